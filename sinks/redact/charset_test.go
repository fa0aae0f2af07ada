package redact

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestRedactKeepsUndecodableBytes rewrites GB18030 (GBK) objects holding
// bytes that do not decode, or not back to themselves, before and after
// the 64 KiB head that encoding detection reads: the copy keeps them as
// they were, and only the values change.
func TestRedactKeepsUndecodableBytes(t *testing.T) {
	t.Parallel()
	line := gbk(t, "客户电话 "+rawMobile+" 地址北京市朝阳区\n")
	body := strings.Repeat(line, 93<<10/len(line)) // about 93 KB
	headEnd := scanner.SniffLen - 1                // the last byte of the head
	pad := strings.Repeat(gbk(t, "中"), (headEnd-1)/2) + "a"
	tests := []struct {
		name, file, in, encoding string
	}{
		{name: "text, after the head", file: "a.txt", encoding: scanner.EncGB18030,
			in: body + "tail \xff\x80 " + rawMobile + " \x81\x20 \x80 \x84\x31\xa4\x37 cut \x81\x30\x81\n" + line},
		{name: "text, at the end of the head", file: "b.txt", encoding: scanner.EncGB18030,
			in: pad + "\xff\x80" + line + body},
		{name: "text, early: read as latin-1", file: "c.txt", encoding: scanner.EncLatin1,
			in: line + "\xff\x80" + body},
		{name: "json, after the head", file: "d.json", encoding: scanner.EncGB18030,
			in: "[" + strings.Repeat("{\"note\":\""+strings.TrimSuffix(line, "\n")+"\"},\n", 3000) +
				"{\"note\":\"" + rawMobile + " \xff\x80 x\",\"k\":\"\x80\xff\"}]\n"},
		{name: "jsonl, after the head", file: "e.jsonl", encoding: scanner.EncGB18030,
			in: strings.Repeat("{\"note\":\""+strings.TrimSuffix(line, "\n")+"\"}\n", 3000) +
				"{\"note\":\"\xff" + rawMobile + "\x80\"}\n"},
		{name: "csv, after the head", file: "f.csv", encoding: scanner.EncGB18030,
			in: gbk(t, "备注,电话\n") + strings.Repeat(gbk(t, "客户,")+rawMobile+"\n", 6000) + "\xff\x80," + rawMobile + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NotContains(t, tt.in, "138****8000")
			want := strings.ReplaceAll(tt.in, rawMobile, "138****8000")
			files := map[string][]byte{tt.file: []byte(tt.in)}
			var enc string
			dst, tally := redactFiles(t, Config{OnResult: func(r *Result) { enc = r.Encoding }}, files)
			assert.Equal(t, tt.encoding, enc)
			assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
			assert.True(t, want == string(readFile(t, dst, tt.file)), "copy differs beyond the values")
			one, _ := redactSource(t, Config{}, &scannertest.MemSource{Files: files, Reader: iotest.OneByteReader})
			assert.True(t, want == string(readFile(t, one, tt.file)), "one byte reads: copy differs beyond the values")
		})
	}
}

// TestKeepRoundTrip decodes and encodes GB18030 with bytes that do not
// make the round trip, read and written one byte at a time.
func TestKeepRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in string }{
		{"valid", gbk(t, "客户 abc ") + "\x84\x31\xa4\x37" + "\x90\x30\x81\x30"},
		{"invalid bytes", "\xff\x80 \x81\x20 \x81\x30\x81 \xfe"},
		{"cut at the end", gbk(t, "中") + "\x81\x30"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := io.ReadAll(newKeepDecoder(iotest.OneByteReader(strings.NewReader(tt.in)), simplifiedchinese.GB18030))
			require.NoError(t, err)
			var out bytes.Buffer
			bw := bufio.NewWriterSize(&out, 16)
			k := newKeepEncoder(bw, simplifiedchinese.GB18030)
			for i := range d {
				_, err := k.Write(d[i : i+1])
				require.NoError(t, err)
			}
			require.NoError(t, k.Close())
			require.NoError(t, bw.Flush())
			assert.Equal(t, tt.in, out.String())
		})
	}
}

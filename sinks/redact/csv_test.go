package redact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Synthetic passport numbers (the rule's examples; passports carry no
// check digit).
const (
	rawPassport  = "E12345678"
	rawPassport2 = "E87654321"
)

// TestRedactCSVAsScanned: CSV and TSV are split into records and fields
// as the scan splits them, whatever the quotes, and everything but the
// replaced values is copied byte for byte.
func TestRedactCSVAsScanned(t *testing.T) {
	t.Parallel()
	tagPolicy := "version: 1\ndefault: {operator: tag, format: '<{category}, \"x\">'}\n"
	tests := []struct {
		name, file, in, want, policy string
	}{
		{name: "tsv cell opening with a quoted word", file: "p.tsv",
			in:   "note\tpassport\n\"VIP\" customer\t" + rawPassport + "\nregular\t" + rawPassport2 + "\n",
			want: "note\tpassport\n\"VIP\" customer\tE******78\nregular\tE******21\n"},
		{name: "csv cell opening with a quoted word", file: "p.csv",
			in:   "note,passport,name\n\"VIP\" customer," + rawPassport + ",张三\nregular," + rawPassport2 + ",李四\n",
			want: "note,passport,name\n\"VIP\" customer,E******78,张*\nregular,E******21,李*\n"},
		{name: "quotes in mid-cell", file: "m.csv",
			in:   "note,passport\nthe \"VIP\" one," + rawPassport + "\n5\" disk,\"" + rawPassport2 + "\"\n",
			want: "note,passport\nthe \"VIP\" one,E******78\n5\" disk,\"E******21\"\n"},
		{name: "quoted cell with delimiter, line break and doubled quotes around pii", file: "q.csv",
			in:   "note,mobile\n\"a, \"\"b\"\"\n手机 " + rawMobile + "\",\"x\"\n",
			want: "note,mobile\n\"a, \"\"b\"\"\n手机 138****8000\",\"x\"\n"},
		{name: "text after a closing quote is part of the value", file: "t.csv",
			in:   "note,mobile\n\"call\" " + rawMobile + ",x\n",
			want: "note,mobile\n\"call 138****8000\",x\n"},
		{name: "blank lines kept", file: "b.csv",
			in:   "name,mobile\n\n张三," + rawMobile + "\n\n\n李四,x\n",
			want: "name,mobile\n\n张*,138****8000\n\n\n李四,x\n"},
		{name: "crlf and lone cr kept", file: "c.csv",
			in:   "name,mobile\r\n张三," + rawMobile + "\r李四,\"x\"\r\n",
			want: "name,mobile\r\n张*,138****8000\r李四,\"x\"\r\n"},
		{name: "byte order mark kept", file: "bom.csv",
			in:   "\xef\xbb\xbfname,mobile\r\n张三," + rawMobile + "\r\n\"x\",\"y\"\r\n",
			want: "\xef\xbb\xbfname,mobile\r\n张*,138****8000\r\n\"x\",\"y\"\r\n"},
		{name: "headerless: a column of names beside mobiles", file: "h.csv",
			in:   "张伟," + rawMobile + "\n李娜,13912345678\n王芳,\n刘洋,13712345670\n",
			want: "张*,138****8000\n李*,139****5678\n王芳,\n刘*,137****5670\n"},
		{name: "headerless: a column of ethnic groups beside mobiles", file: "e.csv",
			in:   "张伟," + rawMobile + ",汉族\n李娜,13912345678,回族\n王芳,,汉族\n",
			want: "张*,138****8000,\n李*,139****5678,\n王芳,,汉族\n"},
		{name: "headerless: one name in the first row, names below", file: "n.csv",
			in:   "张伟,北京市\n李娜," + rawMobile + "\n王芳,13912345678\n刘洋,13712345670\n",
			want: "张伟,北京市\n李*,138****8000\n王*,139****5678\n刘*,137****5670\n"},
		{name: "header: a label that reads like a name over a number", file: "l.csv",
			in:   "金额,备注\n12.5,张伟 " + rawMobile + "\n",
			want: "金额,备注\n12.5,张* 138****8000\n"},
		{name: "hive text table: fields split by \\x01, no header", file: "000000_0",
			in:   "1\x01张伟\x01" + rawMobile + "\x01汉族\n2\x01李娜\x0113912345678\x01回族\n3\x01王芳\x01\x01汉族\n",
			want: "1\x01张*\x01138****8000\x01\n2\x01李*\x01139****5678\x01\n3\x01王芳\x01\x01汉族\n"},
		{name: "hive text table: quotes are plain bytes", file: "q/000000_0",
			in:   "\"VIP\x01" + rawMobile + "\x01x\n\"a\"\x01\"13912345678\"\x01y\n\"z\x01\x01\"w\n",
			want: "\"VIP\x01138****8000\x01x\n\"a\"\x01\"139****5678\"\x01y\n\"z\x01\x01\"w\n"},
		{name: "unquoted replacement holding the delimiter and quotes is quoted", file: "r.csv", policy: tagPolicy,
			in:   "note,mobile\nthe \"VIP\" one," + rawMobile + "\n",
			want: "note,mobile\nthe \"VIP\" one,\"<contact, \"\"x\"\">\"\n"},
		{name: "quoted replacement keeps its quotes, quotes doubled", file: "rq.tsv", policy: tagPolicy,
			in:   "note\tmobile\n5\" disk\t\"" + rawMobile + "\"\n",
			want: "note\tmobile\n5\" disk\t\"<contact, \"\"x\"\">\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{}
			if tt.policy != "" {
				cfg.Policy = policy(t, tt.policy)
			}
			files := map[string][]byte{tt.file: []byte(tt.in)}
			dst, tally := redactFiles(t, cfg, files)
			out := readFile(t, dst, tt.file)
			assert.Equal(t, tt.want, string(out))
			assert.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
			assert.Equal(t, csvShape(t, []byte(tt.in), tt.file), csvShape(t, out, tt.file), "records and fields")
			one, _ := redactSource(t, cfg, &scannertest.MemSource{Files: files, Reader: iotest.OneByteReader})
			assert.Equal(t, tt.want, string(readFile(t, one, tt.file)), "one byte reads")
		})
	}
}

// TestRedactCSVUnclosedQuote: a quote the file ends in holds the rest of
// the file, for the scan and for the copy, which is partial (malformed)
// and closes the quote it rewrote.
func TestRedactCSVUnclosedQuote(t *testing.T) {
	t.Parallel()
	in := "note,mobile\nok,\"手机 " + rawMobile + " and then\nthe end"
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"u.csv": []byte(in)})
	assert.Equal(t, "note,mobile\nok,\"手机 138****8000 and then\nthe end\"", string(readFile(t, dst, "u.csv")))
	assert.Equal(t, int64(1), tally.ByStatus[string(StatusPartial)])
}

// TestRedactCSVProperty: on generated CSV and TSV with quotes, stray
// quotes, blank lines and mixed line breaks around synthetic PII, a scan
// of the copy reports nothing at S3 or S4 and the copy has the original's
// records and fields.
func TestRedactCSVProperty(t *testing.T) {
	t.Parallel()
	columns := [][]string{{rawPassport, rawPassport2}, {rawMobile}, {rawID}, {rawEmail}, {"张三", "王小明"}}
	noise := []string{"", "VIP", "a b", `"VIP" customer`, `5" disk`, `say "hi"`, "x,y", "x\ty", "two\nlines", `""`}
	rng := rand.New(rand.NewPCG(2026, 11))
	files := map[string][]byte{}
	for i := range 60 {
		delim, ext := ",", ".csv"
		if i%2 == 1 {
			delim, ext = "\t", ".tsv"
		}
		eol := []string{"\n", "\r\n"}[i%4/2]
		var b strings.Builder
		if i%5 == 0 {
			b.WriteString("\xef\xbb\xbf")
		}
		b.WriteString(strings.Join([]string{"note", "passport", "mobile", "id_no", "email", "name"}, delim) + eol)
		for range 1 + rng.IntN(12) {
			if rng.IntN(6) == 0 {
				b.WriteString(eol) // a blank line
			}
			for c := range 6 {
				if c > 0 {
					b.WriteString(delim)
				}
				v := noise[rng.IntN(len(noise))]
				if c > 0 {
					v = columns[c-1][rng.IntN(len(columns[c-1]))]
				}
				if rng.IntN(3) == 0 {
					v = noise[rng.IntN(len(noise))] + " " + v
				}
				b.WriteString(generatedCell(rng, v, delim))
			}
			b.WriteString(eol)
		}
		files[fmt.Sprintf("g/f%02d%s", i, ext)] = []byte(b.String())
	}
	dst, tally := redactFiles(t, Config{}, files)
	require.Equal(t, int64(len(files)), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	for _, f := range rescan(t, dst) {
		assert.NotContains(t, []string{"S3", "S4"}, f.Sensitivity, "%s %s %s", f.Object, f.DataType, f.MaskedValue)
	}
	for name, in := range files {
		out := readFile(t, dst, name)
		assert.Equal(t, csvShape(t, in, name), csvShape(t, out, name), name)
		for _, v := range []string{rawPassport, rawPassport2, rawMobile, rawID, rawEmail} {
			assert.NotContains(t, string(out), v, name)
		}
	}
}

// generatedCell writes v as a cell: plain when it can be, quoted (quotes
// doubled) always when it must and sometimes when it need not be, or as a
// quoted word followed by text (`"VIP" v`).
func generatedCell(rng *rand.Rand, v, delim string) string {
	must := strings.ContainsAny(v, delim+"\"\r\n")
	switch r := rng.IntN(4); {
	case must || r == 0:
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	case r == 1 && !strings.ContainsAny(v, delim+"\r\n"):
		return `"VIP" ` + v
	}
	return v
}

// csvShape returns the number of fields of each row, as the scanner's
// CSV reader splits the file.
func csvShape(t *testing.T, b []byte, name string) []int {
	t.Helper()
	delim := byte(',')
	switch {
	case strings.HasSuffix(name, ".tsv"):
		delim = '\t'
	case strings.HasSuffix(name, "000000_0"):
		delim = '\x01'
	}
	rd := scanner.NewCSVReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))), delim)
	var rows []int
	n := 0
	for {
		f, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		require.NoError(t, err)
		n++
		if f.EOL {
			rows, n = append(rows, n), 0
		}
	}
}

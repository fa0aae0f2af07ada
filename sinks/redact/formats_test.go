package redact

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/hamba/avro/v2/ocf"
	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestRedactTextFormats rewrites each text format and checks the exact
// output: only the values change, everything else is kept byte for byte.
func TestRedactTextFormats(t *testing.T) {
	t.Parallel()
	var fv []string
	for i := range 128 {
		fv = append(fv, strconv.FormatFloat(float64(i%17)/17-0.47, 'f', 4, 64))
	}
	face := strings.Join(fv, ", ")
	tests := []struct {
		name, file, in, want string
		status               Status
	}{
		{name: "text", file: "a.log", in: "手机：" + rawMobile + " ok\r\nip 登录IP:" + rawIP + "\n",
			want: "手机：138****8000 ok\r\nip 登录IP:58.22.*.*\n", status: StatusRewritten},
		{name: "csv with header and lat/lng columns", file: "s.csv",
			in:   "store,lat,lng,mobile\r\nA,39.904200,116.407400,\"" + rawMobile + "\"\r\n",
			want: "store,lat,lng,mobile\r\nA,39.9,116.4,\"138****8000\"\r\n", status: StatusRewritten}, // a changed cell keeps its quotes
		{name: "csv without header", file: "n.csv", in: rawID + "," + rawMobile + "\n",
			want: "44971519510707773X,138****8000\n", status: StatusRewritten},
		{name: "tsv", file: "e.tsv", in: "name\tmobile\n张三\t" + rawMobile + "\n",
			want: "name\tmobile\n张*\t138****8000\n", status: StatusRewritten},
		{name: "json keeps layout, vectors and numbers", file: "d.json",
			in: "{\n  \"user\": {\"mobile\": \"" + rawMobile + "\", \"geo\": [39.904200, 116.407400]},\n" +
				"  \"face_embedding\": [" + face + "],\n  \"phone\": " + rawMobile + ",\n  \"esc\": \"\\u624b\\u673a\\uff1a" + rawMobile + "\"\n}\n",
			want: "{\n  \"user\": {\"mobile\": \"138****8000\", \"geo\": [39.9,116.4]},\n" +
				"  \"face_embedding\": [],\n  \"phone\": null,\n  \"esc\": \"\\u624b\\u673a\\uff1a138****8000\"\n}\n", status: StatusRewritten},
		{name: "json records", file: "r.json", in: `[{"lat": 39.904200, "lng": 116.407400}, {"email": "` + rawEmail + `"}]`,
			want: `[{"lat": 39.9, "lng": 116.4}, {"email": "z****.***@example.com"}]`, status: StatusRewritten},
		{name: "json that stops parsing is partial", file: "m.json", in: `{"mobile": "` + rawMobile + `", "x": [1, 手机 ` + rawMobile,
			want: `{"mobile": "138****8000", "x": [1, 手机 138****8000`, status: StatusPartial},
		{name: "jsonl with a line that is not json", file: "l.jsonl",
			in:   `{"mobile":"` + rawMobile + `"}` + "\n" + `not json 手机 ` + rawMobile + "\n\n" + `{"n":1}` + "\n",
			want: `{"mobile":"138****8000"}` + "\n" + `not json 手机 138****8000` + "\n\n" + `{"n":1}` + "\n", status: StatusPartial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string][]byte{tt.file: []byte(tt.in)}
			dst, tally := redactFiles(t, Config{}, files)
			assert.Equal(t, tt.want, string(readFile(t, dst, tt.file)))
			assert.Equal(t, int64(1), tally.ByStatus[string(tt.status)], "%+v", tally.NotRewritten)
			// The same output whatever the read sizes.
			one, _ := redactSource(t, Config{}, &scannertest.MemSource{Files: files, Reader: iotest.OneByteReader})
			assert.Equal(t, tt.want, string(readFile(t, one, tt.file)), "one byte reads")
		})
	}
}

// TestRedactEncodings keeps the character encoding and byte order mark.
func TestRedactEncodings(t *testing.T) {
	t.Parallel()
	text := "客户身份证号：" + rawID + "，手机：" + rawMobile + "\n"
	want := "客户身份证号：44971519510707773X，手机：138****8000\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	require.NoError(t, err)
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	require.NoError(t, err)
	u16be, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String(text)
	require.NoError(t, err)
	tests := []struct {
		name, in, encoding string
		decode             func([]byte) (string, error)
		prefix             string
	}{
		{"gbk", gbk, scanner.EncGB18030, func(b []byte) (string, error) {
			s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
			return string(s), err
		}, ""},
		{"utf-16le with bom", u16, scanner.EncUTF16LE, func(b []byte) (string, error) {
			s, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
			return string(s), err
		}, "\xff\xfe"},
		{"utf-16be without bom", u16be, scanner.EncUTF16BE, func(b []byte) (string, error) {
			s, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder().Bytes(b)
			return string(s), err
		}, ""},
		{"utf-8 with bom", "\xef\xbb\xbf" + text, scanner.EncUTF8BOM, func(b []byte) (string, error) {
			return strings.TrimPrefix(string(b), "\xef\xbb\xbf"), nil
		}, "\xef\xbb\xbf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := &scannertest.MemSource{Files: map[string][]byte{"x.txt": []byte(tt.in)}}
			var enc string
			dst, _ := redactSource(t, Config{OnResult: func(r *Result) { enc = r.Encoding }}, src)
			out := readFile(t, dst, "x.txt")
			assert.True(t, strings.HasPrefix(string(out), tt.prefix))
			got, err := tt.decode(out)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, tt.encoding, enc)
		})
	}
}

// TestRedactLongText replaces values across chunk boundaries of a line
// longer than the chunk window.
func TestRedactLongText(t *testing.T) {
	t.Parallel()
	var in, want strings.Builder
	for i := range 3000 {
		pad := strings.Repeat("x", 200+i%97)
		in.WriteString(pad + " 手机：" + rawMobile + " ")
		want.WriteString(pad + " 手机：138****8000 ")
	}
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"long.txt": []byte(in.String())})
	assert.Equal(t, int64(3000), tally.ByDataType["cn_mobile"])
	assert.Equal(t, want.String(), string(readFile(t, dst, "long.txt")))
}

// pqPerson is the Parquet table of TestRedactParquet.
type pqPerson struct {
	Name   string    `parquet:"name"`
	IDNo   string    `parquet:"id_no"`
	Mobile *int64    `parquet:"mobile,optional"`
	Lat    float64   `parquet:"lat"`
	Lng    float64   `parquet:"lng"`
	Face   []float32 `parquet:"face_embedding,list"`
	Tags   []string  `parquet:"tags,list"`
}

func TestRedactParquet(t *testing.T) {
	t.Parallel()
	mobile := int64(13812348000)
	face := make([]float32, 128)
	for i := range face {
		face[i] = float32(i) / 256
	}
	rows := []pqPerson{
		{Name: "张三", IDNo: rawID, Mobile: &mobile, Lat: 39.9042, Lng: 116.4074, Face: face, Tags: []string{"vip", rawEmail}},
		{Name: "李四", IDNo: "n/a", Lat: 1.5, Lng: 2.5, Tags: []string{"new"}},
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqPerson](&buf, parquet.MaxRowsPerRowGroup(1))
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())

	dst, tally := redactFiles(t, Config{}, map[string][]byte{"p/people.parquet": buf.Bytes()})
	require.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	out := readFile(t, dst, "p/people.parquet")
	f, err := parquet.OpenFile(bytes.NewReader(out), int64(len(out)))
	require.NoError(t, err)
	orig, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	assert.Equal(t, orig.Schema().String(), f.Schema().String())
	assert.Len(t, f.RowGroups(), 2)
	got, err := parquet.Read[pqPerson](bytes.NewReader(out), int64(len(out)))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "张*", got[0].Name)
	assert.Len(t, got[0].IDNo, 18)
	assert.NotEqual(t, rawID, got[0].IDNo)
	assert.Nil(t, got[0].Mobile, "a number column cannot hold a mask: null")
	assert.Equal(t, []float64{39.9, 116.4}, []float64{got[0].Lat, got[0].Lng}, "both coordinate columns generalized")
	assert.Empty(t, got[0].Face, "a face vector is removed whole")
	assert.Equal(t, []string{"vip", "z****.***@example.com"}, got[0].Tags)
	want, err := parquet.Read[pqPerson](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	assert.Equal(t, want[1], got[1], "a row without personal data is unchanged")
	for _, fd := range rescan(t, dst) {
		assert.NotContains(t, []string{"S3", "S4"}, fd.Sensitivity, fd.DataType)
	}
}

// avroPeople is the Avro table of TestRedactAvro: unions with null, an
// enum, a date, a face vector, a coordinate record, an array and a map.
const avroPeople = `{"type":"record","name":"person","fields":[
 {"name":"name","type":"string"},
 {"name":"id_no","type":["null","string"]},
 {"name":"mobile","type":"long"},
 {"name":"phone","type":["null","long"]},
 {"name":"religion","type":{"type":"enum","name":"rel","symbols":["none","Buddhist","Christian"],"default":"none"}},
 {"name":"faith","type":["null",{"type":"enum","name":"rel2","symbols":["none","Buddhist"]}]},
 {"name":"birthday","type":{"type":"int","logicalType":"date"}},
 {"name":"face_embedding","type":{"type":"array","items":"float"}},
 {"name":"geo","type":{"type":"record","name":"geo","fields":[{"name":"lat","type":"double"},{"name":"lng","type":"double"}]}},
 {"name":"tags","type":{"type":"array","items":"string"}},
 {"name":"profile","type":{"type":"map","values":"string"}}]}`

// TestRedactAvro rewrites an Avro file in every codec hamba/avro writes:
// the same schema, codec and records, values replaced in their types.
func TestRedactAvro(t *testing.T) {
	t.Parallel()
	face := make([]any, 128)
	for i := range face {
		face[i] = float32(i%17)/64 - 0.1
	}
	day := int(time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	records := []map[string]any{
		{"name": "张三", "id_no": rawID, "mobile": int64(13812348000), "phone": int64(13812348000), "religion": "Buddhist",
			"faith": map[string]any{"rel2": "Buddhist"}, "birthday": day, "face_embedding": face,
			"geo": map[string]any{"lat": 39.9042, "lng": 116.4074}, "tags": []any{"vip", rawEmail},
			"profile": map[string]any{"mobile": rawMobile}},
		{"name": "n/a", "id_no": nil, "mobile": int64(7), "phone": nil, "religion": "none", "faith": nil, "birthday": day,
			"face_embedding": []any{}, "geo": map[string]any{"lat": 1.5, "lng": 2.5}, "tags": []any{}, "profile": map[string]any{}},
	}
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard} {
		t.Run(string(codec), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			enc, err := ocf.NewEncoder(avroPeople, &buf, ocf.WithCodec(codec), ocf.WithBlockLength(1))
			require.NoError(t, err)
			for _, r := range records {
				require.NoError(t, enc.Encode(r))
			}
			require.NoError(t, enc.Close())
			files := map[string][]byte{"people.avro": buf.Bytes()}
			dst, tally := redactFiles(t, Config{}, files)
			require.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
			out := readFile(t, dst, "people.avro")
			one, _ := redactSource(t, Config{}, &scannertest.MemSource{Files: files, Reader: iotest.OneByteReader})
			assert.Equal(t, out, readFile(t, one, "people.avro"), "the same output whatever the read sizes")
			assert.Equal(t, avroShape(t, buf.Bytes()), avroShape(t, out), "schema, codec and record count")
			got, _ := avroRecords(t, out)
			want, _ := avroRecords(t, buf.Bytes())
			require.Len(t, got, 2)
			g := got[0]
			assert.Equal(t, "张*", g["name"])
			assert.Len(t, g["id_no"], 18)
			assert.NotEqual(t, rawID, g["id_no"])
			assert.Equal(t, int64(0), g["mobile"], "a long cannot hold a mask and is not nullable: zero")
			assert.Nil(t, g["phone"], "a nullable long: null")
			assert.Equal(t, "none", g["religion"], "an enum cannot hold the redaction: its default")
			assert.Nil(t, g["faith"], "a nullable enum: null")
			assert.Equal(t, want[0]["birthday"], g["birthday"])
			assert.Empty(t, g["face_embedding"], "a face vector is removed whole")
			assert.Equal(t, map[string]any{"lat": 39.9, "lng": 116.4}, g["geo"], "both coordinate fields generalized")
			assert.Equal(t, []any{"vip", "z****.***@example.com"}, g["tags"])
			assert.Equal(t, map[string]any{"mobile": "138****8000"}, g["profile"])
			assert.Equal(t, want[1], got[1], "a record without personal data is unchanged")
			for _, fd := range rescan(t, dst) {
				assert.NotContains(t, []string{"S3", "S4"}, fd.Sensitivity, fd.DataType)
			}
		})
	}
}

// avroBzip2 is an Avro file with one bzip2 block of three records
// ("手机 13812348000", "手机 none", "手机 13812348000"), made with Python's bz2:
// Go has no bzip2 encoder.
const avroBzip2 = "T2JqAQQUYXZyby5jb2RlYwpiemlwMhZhdnJvLnNjaGVtYZIBeyJ0eXBlIjoicmVjb3JkIiwibmFtZSI6InIiLCJmaWVsZHMiOlt7Im5hbWUiOiJtb2JpbGUiLCJ0eXBlIjoic3RyaW5nIn1dfQBiemlwMi10ZXN0LXN5bmMhBpwBQlpoOTFBWSZTWX5QCzkAAAI5aQEARAB8QAIBgCgABAAQAQAgADFDTTAAJFRpkeibJ3KcMIDwwejPiBmdX6pbTVKSaXBdyRThQkH5QCzkYnppcDItdGVzdC1zeW5jIQ=="

// TestRedactAvroBzip2: bzip2 blocks are read and written with deflate
// (documented), the records are the same.
func TestRedactAvroBzip2(t *testing.T) {
	t.Parallel()
	in, err := base64.StdEncoding.DecodeString(avroBzip2)
	require.NoError(t, err)
	dst, tally := redactFiles(t, Config{}, map[string][]byte{"b.avro": in})
	require.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
	got, f := avroRecords(t, readFile(t, dst, "b.avro"))
	assert.Equal(t, "deflate", f.Codec)
	assert.Equal(t, []map[string]any{{"mobile": "手机 138****8000"}, {"mobile": "手机 none"}, {"mobile": "手机 138****8000"}}, got)
}

// TestRedactAvroErrors: a damaged file or one over a limit is a failed
// object with a reason, never a crash, and nothing is written.
func TestRedactAvroErrors(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(`{"type":"record","name":"r","fields":[{"name":"mobile","type":"string"}]}`, &buf,
		ocf.WithCodec(ocf.Deflate), ocf.WithBlockLength(10))
	require.NoError(t, err)
	for range 2000 {
		require.NoError(t, enc.Encode(map[string]any{"mobile": rawMobile}))
	}
	require.NoError(t, enc.Close())
	whole := buf.Bytes()
	files := map[string][]byte{"truncated.avro": whole[:len(whole)-40], "header.avro": whole[:20]}
	dst, tally := redactFiles(t, Config{}, files)
	reasons := map[string]string{}
	for _, i := range tally.NotRewritten {
		reasons[strings.TrimPrefix(i.Object, "mem://")] = string(i.Status) + " " + i.Reason
		assert.NotContains(t, i.Error, rawMobile)
	}
	assert.Equal(t, map[string]string{"truncated.avro": "failed malformed", "header.avro": "failed malformed"}, reasons)
	assert.Empty(t, listFiles(t, dst))

	_, tally = redactFiles(t, Config{MaxDecodedSize: 4 << 10}, map[string][]byte{"big.avro": whole})
	require.Len(t, tally.NotRewritten, 1)
	assert.Equal(t, "archive_limit", tally.NotRewritten[0].Reason)
}

// TestRedactUnsupported lists objects and members that cannot be
// rewritten, and copies them byte for byte with CopyUnsupported.
func TestRedactUnsupported(t *testing.T) {
	t.Parallel()
	png := append([]byte("\x89PNG\r\n\x1a\n"), []byte("手机 "+rawMobile)...)
	pdf := []byte("%PDF-1.4\n手机 " + rawMobile + "\n%%EOF\n")
	csvIn := []byte("mobile\n" + rawMobile + "\n")
	zipIn := zipOf(t, map[string][]byte{"data/a.csv": csvIn, "img/p.png": png, "logs/x.log.gz": gz(t, []byte("手机："+rawMobile+"\n"))})
	tgzIn := gz(t, tarOf(t, map[string][]byte{"a.csv": csvIn, "p.png": png}))
	files := map[string][]byte{"doc.pdf": pdf, "a.zip": zipIn, "b.tgz": tgzIn, "empty.txt": {}}
	for _, copyUnsupported := range []bool{false, true} {
		dst, tally := redactFiles(t, Config{CopyUnsupported: copyUnsupported}, files)
		var issues []string
		for _, i := range tally.NotRewritten {
			issues = append(issues, string(i.Status)+" "+i.Reason+" "+i.Format+" "+strings.TrimPrefix(i.Object, "mem://"))
		}
		want := StatusSkipped
		if copyUnsupported {
			want = StatusCopied
		}
		assert.ElementsMatch(t, []string{
			string(want) + " unsupported_format pdf doc.pdf",
			"partial unsupported_format zip a.zip", string(want) + " unsupported_format image a.zip!img/p.png",
			"partial unsupported_format gzip/tar b.tgz", string(want) + " unsupported_format image b.tgz!p.png",
		}, issues)
		zipOut := readFile(t, dst, "a.zip")
		tarOut := tarMembers(t, gunzip(t, readFile(t, dst, "b.tgz")))
		assert.Empty(t, readFile(t, dst, "empty.txt"))
		if copyUnsupported {
			assert.Equal(t, pdf, readFile(t, dst, "doc.pdf"))
			assert.Equal(t, zipMembers(t, zipIn), zipMembers(t, zipOut))
			assert.Equal(t, png, zipMember(t, zipOut, "img/p.png"))
			assert.Equal(t, []string{"a.csv", "p.png"}, tarOut)
		} else {
			_, err := fsStat(dst, "doc.pdf")
			assert.ErrorIs(t, err, fs.ErrNotExist)
			assert.Equal(t, []string{"data/a.csv", "logs/x.log.gz"}, zipMembers(t, zipOut))
			assert.Equal(t, []string{"a.csv"}, tarOut)
		}
		assert.Equal(t, "mobile\n138****8000\n", string(zipMember(t, zipOut, "data/a.csv")))
		assert.Equal(t, "手机：138****8000\n", string(gunzip(t, zipMember(t, zipOut, "logs/x.log.gz"))))
	}
}

// TestRedactObjectErrors: failures are results with reasons, and nothing
// is written for them.
func TestRedactObjectErrors(t *testing.T) {
	t.Parallel()
	src := &scannertest.MemSource{
		Files:  map[string][]byte{"../escape.txt": []byte("x"), "ok.txt": []byte("手机：" + rawMobile), "bad.gz": []byte("\x1f\x8b\x08\x00garbage")},
		Errors: map[string]error{"denied.txt": fs.ErrPermission},
	}
	dst, tally := redactSource(t, Config{}, src)
	reasons := map[string]string{}
	for _, i := range tally.NotRewritten {
		reasons[strings.TrimPrefix(i.Object, "mem://")] = string(i.Status) + " " + i.Reason
		assert.NotContains(t, i.Error, rawMobile)
	}
	assert.Equal(t, map[string]string{"../escape.txt": "failed invalid_name", "denied.txt": "failed permission_denied",
		"bad.gz": "failed malformed"}, reasons)
	assert.Equal(t, []string{"ok.txt"}, listFiles(t, dst))
}

// TestRedactInterrupted: a cancelled run writes nothing half-done.
func TestRedactInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dst := t.TempDir()
	tally, st, err := Run(ctx, Config{Policy: defaultPolicy(t)}, &scannertest.MemSource{Files: opFiles()}, engine(t), &LocalDest{Root: dst})
	assert.True(t, errors.Is(err, context.Canceled))
	assert.True(t, st.Interrupted)
	assert.Zero(t, tally.Written)
	assert.Empty(t, listFiles(t, dst))
}

// TestRedactFF1RecomputeRescan: with recompute_check the tokens are valid
// resident IDs that a rescan reports (documented in the README and the
// summary); without it they are not.
func TestRedactFF1RecomputeRescan(t *testing.T) {
	t.Parallel()
	for _, recompute := range []bool{false, true} {
		p := policy(t, "version: 1\ntypes:\n  cn_resident_id: {operator: ff1, key_env: TEST_SEED, recompute_check: "+
			map[bool]string{false: "false", true: "true"}[recompute]+"}\n")
		dst, _ := redactFiles(t, Config{Policy: p}, opFiles())
		ids := 0
		for _, f := range rescan(t, dst) {
			if f.DataType == "cn_resident_id" {
				ids++
				assert.NotEqual(t, fingerprint(rawID), f.Fingerprint, "a token, not the original")
			}
		}
		if recompute {
			assert.Equal(t, 3, ids)
		} else {
			assert.Zero(t, ids)
		}
	}
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func zipMember(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	zr, err := zipReader(b)
	require.NoError(t, err)
	rc, err := zr.Open(name)
	require.NoError(t, err)
	defer rc.Close()
	out, err := io.ReadAll(rc)
	require.NoError(t, err)
	return out
}

// panicReader stands for a decoder bug: it panics on the first read.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("decoder bug at " + rawMobile) }

// TestRedactPanicAndTimeout: a panic is a failed object (internal_error,
// its text redacted), a slow object one that timed out; neither stops
// the run nor leaves an output behind.
func TestRedactPanicAndTimeout(t *testing.T) {
	t.Parallel()
	src := &scannertest.MemSource{Files: map[string][]byte{"p.txt": []byte("x")},
		Reader: func(io.Reader) io.Reader { return panicReader{} }}
	dst, tally := redactSource(t, Config{}, src)
	require.Len(t, tally.NotRewritten, 1)
	assert.Equal(t, "internal_error", tally.NotRewritten[0].Reason)
	assert.NotContains(t, tally.NotRewritten[0].Error, rawMobile)
	assert.Empty(t, listFiles(t, dst))

	src = &scannertest.MemSource{Files: map[string][]byte{"slow.txt": []byte(strings.Repeat("手机："+rawMobile+"\n", 1000))},
		Reader: func(r io.Reader) io.Reader { return iotest.TimeoutReader(iotest.OneByteReader(r)) }}
	dst, tally = redactSource(t, Config{ObjectTimeout: time.Nanosecond}, src)
	require.Len(t, tally.NotRewritten, 1)
	assert.Equal(t, "timeout", tally.NotRewritten[0].Reason)
	assert.Empty(t, listFiles(t, dst))
}

// TestRedactGzipBomb: gzip output is limited as the scanner limits it
// (scanner.LimitDecompression), by size and by ratio, and the object is
// listed with reason archive_limit, not written.
func TestRedactGzipBomb(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(bytes.Repeat([]byte("all quiet here\n"), 1<<19)) // 7.5 MiB of one line: a ratio of several hundred
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	for name, cfg := range map[string]Config{"ratio": {MaxRatio: 10}, "size": {MaxDecodedSize: 1 << 20}} {
		t.Run(name, func(t *testing.T) {
			dst, tally := redactFiles(t, cfg, map[string][]byte{"quiet.txt.gz": b.Bytes()})
			require.Len(t, tally.NotRewritten, 1)
			assert.Equal(t, "archive_limit", tally.NotRewritten[0].Reason)
			assert.Contains(t, tally.NotRewritten[0].Error, "--max-"+map[string]string{"ratio": "ratio", "size": "decoded-size"}[name])
			assert.Empty(t, listFiles(t, dst))
		})
	}
}

// TestXMLTokensStopOnCancel: the token reader behind every Office part
// returns the context's error at its first token and then every 4,096
// tokens, so a part of any size stops soon after cancellation.
func TestXMLTokensStopOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := newXMLTokens(ctx, strings.NewReader("<a/>")).next()
	require.ErrorIs(t, err, context.Canceled)

	ctx, cancel = context.WithCancel(context.Background())
	x := newXMLTokens(ctx, strings.NewReader("<a>"+strings.Repeat("<b/>", 5000)+"</a>"))
	n := 0
	for ; n < 100; n++ {
		_, _, err := x.next()
		require.NoError(t, err)
	}
	cancel()
	for ; ; n++ {
		if _, _, err = x.next(); err != nil {
			break
		}
	}
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 4096, n, "stopped at the next check")
}

// TestRedactInterruptedAccounts: a run interrupted midway accounts for
// every listed object, as a result or as abandoned (in flight or never
// started), including the one the lister was handing over.
func TestRedactInterruptedAccounts(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{}
	for i := range 2000 {
		files[fmt.Sprintf("f%04d.txt", i)] = []byte("tel 13812348000\n")
	}
	for _, workers := range []int{1, 3} {
		ctx, cancel := context.WithCancel(context.Background())
		var n atomic.Int64
		cfg := Config{Policy: defaultPolicy(t), Workers: workers, OnResult: func(*Result) {
			if n.Add(1) == 40 {
				cancel()
			}
		}}
		tally, st, err := Run(ctx, cfg, &scannertest.MemSource{Files: files}, engine(t), &LocalDest{Root: t.TempDir()})
		cancel()
		require.ErrorIs(t, err, context.Canceled)
		assert.Less(t, tally.Objects, int64(2000), "the run stopped early")
		assert.Equal(t, st.Listed, tally.Objects+st.Abandoned, "workers=%d: listed %d, results %d, abandoned %d", workers, st.Listed, tally.Objects, st.Abandoned)
	}
}

// TestRedactReadsAhead: small remote objects are read ahead of one
// worker, several at once, and the copies are those written without
// reading ahead.
func TestRedactReadsAhead(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{}
	for i := range 50 {
		files[fmt.Sprintf("f%02d.txt", i)] = []byte(fmt.Sprintf("line %d 手机：%s\n", i, rawMobile))
	}
	bs := &scannertest.BarrierSource{Source: &scannertest.MemSource{Files: files}, Need: 6}
	ahead := t.TempDir()
	tally, _, err := Run(context.Background(), Config{Policy: defaultPolicy(t), Workers: 1, Prefetch: 6}, bs, engine(t), &LocalDest{Root: ahead})
	require.NoError(t, err)
	assert.Equal(t, int64(50), tally.Written)
	own := t.TempDir()
	_, _, err = Run(context.Background(), Config{Policy: defaultPolicy(t), Workers: 1, Prefetch: -1}, &scannertest.MemSource{Files: files}, engine(t), &LocalDest{Root: own})
	require.NoError(t, err)
	require.Equal(t, listFiles(t, own), listFiles(t, ahead))
	for _, f := range listFiles(t, own) {
		a, err := os.ReadFile(filepath.Join(ahead, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(own, f))
		require.NoError(t, err)
		assert.Equal(t, string(b), string(a), f)
		assert.NotContains(t, string(a), rawMobile)
	}
}

// TestRedactAbandonsAfterGrace: an object still being rewritten when the
// grace period after an interrupt ends is abandoned: counted, its output
// discarded, and no crash (a nil result used to be written to).
func TestRedactAbandonsAfterGrace(t *testing.T) {
	t.Parallel()
	src := &scannertest.StallSource{MemSource: scannertest.MemSource{Files: map[string][]byte{"a.txt": nil, "b.txt": nil}},
		Head: "tel 13812348000\n", Opened: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-src.Opened; cancel() }()
	dst := t.TempDir()
	tally, st, err := Run(ctx, Config{Policy: defaultPolicy(t), Workers: 1, Prefetch: -1, Grace: 10 * time.Millisecond},
		src, engine(t), &LocalDest{Root: dst})
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, st.Interrupted)
	assert.GreaterOrEqual(t, st.Abandoned, int64(1))
	assert.Equal(t, st.Listed, tally.Objects+st.Abandoned)
	assert.Empty(t, listFiles(t, dst), "nothing half-written")
}

// TestRelPath: names are mirrored as they are or not at all; two names
// that clean to one path cannot both be written there.
func TestRelPath(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"a.csv": "a.csv", "data/2026/a.csv": "data/2026/a.csv", "a..b/c": "a..b/c", "..a": "..a", " a/b ": " a/b ",
		"": "", ".": "", "..": "", "../a": "", "a/../b": "", "a/..": "", "data//a.csv": "", "./a": "", "a/./b": "",
		"/a": "", "a/": "", "//a": "",
	} {
		got, ok := relPath(name)
		assert.Equal(t, want, got, "%q", name)
		assert.Equal(t, want != "", ok, "%q", name)
	}
}

// TestRedactNamesThatCollide: of two objects whose names clean to one
// path, the unclean one fails with invalid_name; the other is written.
func TestRedactNamesThatCollide(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"data/x.txt": []byte("tel 13812348000\n"), "data//x.txt": []byte("tel 13912348000\n"), "data/./y.txt": []byte("y\n")}
	dst := t.TempDir()
	var mu sync.Mutex
	got := map[string]string{}
	tally, _, err := Run(context.Background(), Config{Policy: defaultPolicy(t), OnResult: func(r *Result) {
		mu.Lock()
		defer mu.Unlock()
		got[r.Info.Name] = string(r.Status) + " " + string(r.Reason)
	}}, &scannertest.MemSource{Files: files}, engine(t), &LocalDest{Root: dst})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"data/x.txt": "rewritten ", "data//x.txt": "failed invalid_name", "data/./y.txt": "failed invalid_name"}, got)
	assert.Equal(t, int64(1), tally.Written)
	assert.Equal(t, []string{"data/x.txt"}, listFiles(t, dst))
}

// commitFails is a destination whose uploads all fail at the end.
type commitFails struct{ LocalDest }

func (d *commitFails) Create(ctx context.Context, rel string) (Output, error) {
	o, err := d.LocalDest.Create(ctx, rel)
	return failingCommit{o}, err
}

type failingCommit struct{ Output }

func (o failingCommit) Commit(context.Context) error {
	o.Abort()
	return errors.New("upload refused")
}

// TestRedactCommitFails: an object whose copy could not be published
// fails with write_error, and its values do not count as replaced.
func TestRedactCommitFails(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"a.txt": []byte("tel 13812348000\n")}
	var got *Result
	tally, _, err := Run(context.Background(), Config{Policy: defaultPolicy(t), OnResult: func(r *Result) { got = r }},
		&scannertest.MemSource{Files: files}, engine(t), &commitFails{LocalDest{Root: t.TempDir()}})
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, StatusFailed, got.Status)
	assert.Equal(t, ReasonWriteError, got.Reason)
	assert.Zero(t, tally.Written)
	assert.Zero(t, tally.Values, "nothing written, nothing replaced")
}

// TestRedactZipLinksAndEncrypted: a zip's symbolic link is kept as it is
// (its data is a path, not content); an encrypted member cannot be read,
// so it is left out, or copied as it is with CopyUnsupported, and listed.
func TestRedactZipLinksAndEncrypted(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, mode fs.FileMode, flags uint16, data string) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Flags: flags}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		require.NoError(t, err)
		_, err = w.Write([]byte(data))
		require.NoError(t, err)
	}
	add("a.csv", 0o644, 0, "mobile\n"+rawMobile+"\n")
	add("link.csv", fs.ModeSymlink|0o777, 0, "a.csv")
	add("secret.csv", 0o644, 0x1, "mobile\n"+rawMobile+"\n") // flagged: read as if encrypted
	require.NoError(t, zw.Close())

	for _, copyUnsupported := range []bool{false, true} {
		dst, tally := redactFiles(t, Config{CopyUnsupported: copyUnsupported}, map[string][]byte{"a.zip": buf.Bytes()})
		var issues []string
		for _, i := range tally.NotRewritten {
			issues = append(issues, string(i.Status)+" "+i.Reason+" "+strings.TrimPrefix(i.Object, "mem://"))
		}
		want := StatusSkipped
		if copyUnsupported {
			want = StatusCopied
		}
		assert.ElementsMatch(t, []string{"partial unsupported_format a.zip", string(want) + " unsupported_format a.zip!secret.csv"}, issues)
		out := readFile(t, dst, "a.zip")
		zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
		require.NoError(t, err)
		names := map[string]*zip.File{}
		for _, f := range zr.File {
			names[f.Name] = f
		}
		require.NotNil(t, names["link.csv"])
		assert.True(t, names["link.csv"].Mode()&fs.ModeSymlink != 0, "still a link")
		assert.Equal(t, "a.csv", string(zipMember(t, out, "link.csv")), "the link's target, unchanged")
		assert.Equal(t, "mobile\n138****8000\n", string(zipMember(t, out, "a.csv")))
		if copyUnsupported {
			require.NotNil(t, names["secret.csv"])
			assert.NotZero(t, names["secret.csv"].Flags&0x1, "copied with its header")
		} else {
			assert.Nil(t, names["secret.csv"], "left out")
		}
	}
}

package scanner_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2/ocf"
	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
)

// residentIDs returns n synthetic resident IDs with valid GB 11643 check
// characters (region 110105, adults born in the 1980s).
func residentIDs(n int) []string {
	ids := make([]string, 0, n)
	for i := 0; len(ids) < n; i++ {
		body := fmt.Sprintf("110105198%d%02d%02d%03d", i%10, 1+i%12, 1+i%28, 100+i)
		ids = append(ids, body+string(gbCheck(body)))
	}
	return ids
}

// gbCheck is the GB 11643-1999 MOD 11-2 check character of 17 digits.
func gbCheck(body string) byte {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// sampleCSV is a small table with resident IDs, its rows and the IDs.
func sampleCSV(n int) (string, [][]string, []string) {
	ids := residentIDs(n)
	rows := [][]string{{"姓名", "身份证号", "城市"}}
	for i, id := range ids {
		rows = append(rows, []string{fmt.Sprintf("客户%d", i), id, "北京"})
	}
	var sb strings.Builder
	for _, r := range rows {
		sb.WriteString(strings.Join(r, ",") + "\n")
	}
	return sb.String(), rows, ids
}

// must turns a (bytes, error) result into bytes, failing t on error:
// must(corpus.Zip(m))(t).
func must(b []byte, err error) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		t.Helper()
		require.NoError(t, err)
		return b
	}
}

// xlsxOf writes rows as one sheet of text cells.
func xlsxOf(t testing.TB, name string, rows [][]string) []byte {
	t.Helper()
	sh := corpus.Sheet{Name: name}
	for i, r := range rows {
		var cells []corpus.Cell
		for j, v := range r {
			kind := ""
			if i%2 == 1 && j == 1 {
				kind = "inline"
			}
			cells = append(cells, corpus.Cell{Text: v, Kind: kind})
		}
		sh.Rows = append(sh.Rows, cells)
	}
	return must(corpus.XLSX([]corpus.Sheet{sh}))(t)
}

// patient is the Parquet test table: flat, nested, repeated and typed
// columns.
type patient struct {
	Name    string `parquet:"name"`
	IDNo    string `parquet:"id_no"`
	Phone   string `parquet:"phone,optional"`
	Email   string `parquet:"email"`
	Birth   int32  `parquet:"birth_date,date"`
	Contact struct {
		Mobile string `parquet:"mobile"`
	} `parquet:"contact"`
	Tags      []string  `parquet:"tags,list"`
	Embedding []float32 `parquet:"embedding"`
	Lat       float64   `parquet:"lat"`
	Lng       float64   `parquet:"lng"`
}

// parquetOf writes patients, rowGroup rows per row group, with the
// writer options opts (key/value metadata).
func parquetOf(t testing.TB, rows []patient, rowGroup int, opts ...parquet.WriterOption) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[patient](&buf, append(opts, parquet.MaxRowsPerRowGroup(int64(rowGroup)))...)
	_, err := w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// patients makes n rows; row i has the i-th ID, a phone and an e-mail.
func patients(n int) []patient {
	ids := residentIDs(n)
	out := make([]patient, n)
	for i := range out {
		p := &out[i]
		p.Name = fmt.Sprintf("患者%d", i)
		p.IDNo = ids[i]
		p.Phone = fmt.Sprintf("1381234%04d", 8000+i)
		p.Email = fmt.Sprintf("user%d@example.com", i)
		p.Birth = int32(time.Date(1980+i%10, 3, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
		p.Contact.Mobile = fmt.Sprintf("1391234%04d", 1000+i)
		p.Tags = []string{"vip", "app"}
		p.Embedding = []float32{0.25, -0.5, 0.125}
		p.Lat, p.Lng = 39.904211+float64(i)/1000, 116.407394
	}
	return out
}

const avroSchema = `{"type":"record","name":"user","fields":[
 {"name":"user_id","type":"long"},
 {"name":"id_card","type":["null","string"]},
 {"name":"mobile","type":"string"},
 {"name":"email","type":["null","string"]},
 {"name":"birthday","type":{"type":"int","logicalType":"date"}},
 {"name":"bank","type":{"type":"record","name":"bank","fields":[{"name":"card_no","type":"string"}]}},
 {"name":"tags","type":{"type":"array","items":"string"}},
 {"name":"attributes","type":{"type":"map","values":"string"}}]}`

// avroOf writes n users with the given codec.
func avroOf(t testing.TB, n int, codec ocf.CodecName) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(avroSchema, &buf, ocf.WithCodec(codec), ocf.WithBlockLength(7))
	require.NoError(t, err)
	for i, id := range residentIDs(n) {
		require.NoError(t, enc.Encode(map[string]any{
			"user_id":    int64(i),
			"id_card":    id,
			"mobile":     fmt.Sprintf("1381234%04d", 8000+i),
			"email":      fmt.Sprintf("user%d@example.com", i),
			"birthday":   time.Date(1985, 1, 1+i%28, 0, 0, 0, 0, time.UTC),
			"bank":       map[string]any{"card_no": "6228480402564890018"},
			"tags":       []any{"vip"},
			"attributes": map[string]any{"phone": fmt.Sprintf("1371234%04d", 2000+i)},
		}))
	}
	require.NoError(t, enc.Close())
	return buf.Bytes()
}

// fingerprints of a result's findings of one type.
func fingerprints(r *scanner.ObjectResult, typ string) []string {
	var out []string
	for _, f := range r.Findings {
		if f.DataType == typ {
			out = append(out, f.Fingerprint)
		}
	}
	return out
}

// nested wraps data in n levels of zip.
func nested(t testing.TB, data []byte, n int) []byte {
	t.Helper()
	for i := range n {
		data = must(corpus.Zip([]corpus.Member{{Name: fmt.Sprintf("level%d.zip", i), Data: data}}))(t)
	}
	return data
}

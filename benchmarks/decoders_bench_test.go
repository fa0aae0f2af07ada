package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Decoder benchmarks: one table of orders (neutral columns in every row; a
// resident ID, a phone and an e-mail in one row of 50, as in bulk exports
// where personal data is sparse) stored in each format the
// scanner decodes (docx twice: as text alone, and marked up as Word
// writes it, docx-word; docx-word-page is its first 30 rows, a one-page
// letter whose other parts outweigh its text), scanned end to end through scanner.Run with the
// built-in rules. b.SetBytes is the object's size as stored, so MB/s is
// what a bucket of such files is scanned at (compressed formats look slow
// by it: the table compresses 10-20x); "decoded-MB/s" is the rate of the
// bytes the engine saw, comparable across formats.

// decRow is one row of the benchmark table.
type decRow struct {
	Name  string `parquet:"name"`
	IDNo  string `parquet:"id_no"`
	Phone string `parquet:"phone"`
	Email string `parquet:"email"`
	City  string `parquet:"city"`
	Note  string `parquet:"note"`
}

// decRows makes n rows; every 50th holds valid synthetic identifiers.
func decRows(n int) []decRow {
	rows := make([]decRow, n)
	cities := []string{"北京", "上海", "广州", "深圳", "杭州"}
	for i := range rows {
		rows[i] = decRow{
			Name:  fmt.Sprintf("SKU-%06d", i),
			IDNo:  "-",
			Phone: fmt.Sprintf("%d.%02d", 10+i%900, i%100),
			Email: fmt.Sprintf("2026-11-%02d 10:%02d:00", 1+i%28, i%60),
			City:  cities[i%len(cities)],
			Note:  "已发货，请注意查收",
		}
		if i%50 == 0 {
			body := fmt.Sprintf("110105%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000)
			rows[i].IDNo = body + string(decCheck(body))
			rows[i].Phone = fmt.Sprintf("139%08d", i)
			rows[i].Email = fmt.Sprintf("user%d@example.com", i)
		}
	}
	return rows
}

// decCheck is the GB 11643 MOD 11-2 check character.
func decCheck(body string) byte {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i := range 17 {
		s += int(body[i]-'0') * w[i]
	}
	return "10X98765432"[s%11]
}

// decInputs builds the table in every format once.
var decInputs = sync.OnceValues(func() (map[string][]byte, error) {
	rows := decRows(20000)
	header := []string{"name", "id_no", "phone", "email", "city", "note"}
	var csv strings.Builder
	csv.WriteString(strings.Join(header, ",") + "\n")
	sheet := corpus.Sheet{Name: "Sheet1", Rows: [][]corpus.Cell{cellsOf(header)}}
	paras := []string{strings.Join(header, ", ")}
	var recs []any
	var jsonl bytes.Buffer
	for _, r := range rows {
		vals := []string{r.Name, r.IDNo, r.Phone, r.Email, r.City, r.Note}
		csv.WriteString(strings.Join(vals, ",") + "\n")
		sheet.Rows = append(sheet.Rows, cellsOf(vals))
		paras = append(paras, strings.Join(vals, ", "))
		recs = append(recs, map[string]any{"name": r.Name, "id_no": r.IDNo, "phone": r.Phone, "email": r.Email, "city": r.City, "note": r.Note})
		line, _ := json.Marshal(recs[len(recs)-1])
		jsonl.Write(append(line, '\n'))
	}
	text := []byte(csv.String())
	out := map[string][]byte{"csv": text}
	var err error
	add := func(name string, b []byte, e error) {
		out[name] = b
		if err == nil {
			err = e
		}
	}
	member := []corpus.Member{{Name: "customers.csv", Data: text}}
	z, e := corpus.Zip(member)
	add("zip", z, e)
	tgz, e := corpus.TarGz(member)
	add("tar.gz", tgz, e)
	x, e := corpus.XLSX([]corpus.Sheet{sheet})
	add("xlsx", x, e)
	d, e := corpus.DOCX(paras)
	add("docx", d, e)
	d, e = corpus.WordDOCX(paras)
	add("docx-word", d, e)
	d, e = corpus.WordDOCX(paras[:30])
	add("docx-word-page", d, e)
	var slides [][]string
	for i := 0; i < len(paras); i += 20 {
		slides = append(slides, paras[i:min(i+20, len(paras))])
	}
	pp, e := corpus.PPTX(slides)
	add("pptx", pp, e)
	gz, e := corpus.Gzip(text)
	add("csv.gz", gz, e)
	add("jsonl", jsonl.Bytes(), nil)
	js, e := json.Marshal(recs)
	add("json", js, e)
	a, e := corpus.Avro(`{"type":"record","name":"customer","fields":[{"name":"name","type":"string"},
		{"name":"id_no","type":"string"},{"name":"phone","type":"string"},{"name":"email","type":"string"},
		{"name":"city","type":"string"},{"name":"note","type":"string"}]}`, recs, 1000)
	add("avro", a, e)
	var pq bytes.Buffer
	w := parquet.NewGenericWriter[decRow](&pq, parquet.MaxRowsPerRowGroup(5000))
	_, e = w.Write(rows)
	if e == nil {
		e = w.Close()
	}
	add("parquet", pq.Bytes(), e)
	return out, err
})

func cellsOf(vals []string) []corpus.Cell {
	cs := make([]corpus.Cell, len(vals))
	for i, v := range vals {
		cs[i] = corpus.Cell{Text: v}
	}
	return cs
}

var decEngine = sync.OnceValues(func() (*classifiers.Engine, error) {
	p, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	rs, err := rules.Merge(p)
	if err != nil {
		return nil, err
	}
	return classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("bench"), AsOf: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)})
})

// BenchmarkDecoders scans the same table stored as csv, zip, tar.gz, xlsx,
// docx, Parquet and Avro, one object per iteration on one worker.
func BenchmarkDecoders(b *testing.B) {
	inputs, err := decInputs()
	if err != nil {
		b.Fatal(err)
	}
	eng, err := decEngine()
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"csv", "csv.gz", "json", "jsonl", "zip", "tar.gz", "xlsx", "docx", "docx-word", "docx-word-page", "pptx", "parquet", "avro"} {
		data := inputs[format]
		name := "customers." + strings.TrimSuffix(strings.TrimSuffix(format, "-page"), "-word")
		rows := 20000
		if strings.HasSuffix(format, "-page") {
			rows = 30
		}
		b.Run(fmt.Sprintf("format=%s/rows=%d", format, rows), func(b *testing.B) {
			src := &scannertest.MemSource{Files: map[string][]byte{name: data}}
			cfg := scanner.Config{ScanID: "bench", Workers: 1, TempDir: b.TempDir()}
			var scanned, found int64
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sink := &scannertest.Sink{}
				if _, err := scanner.Run(context.Background(), cfg, src, eng, sink); err != nil {
					b.Fatal(err)
				}
				r := sink.Results[0]
				if r.Status != scanner.StatusComplete {
					b.Fatalf("%s: %s %s %v", name, r.Status, r.Reason, r.Err)
				}
				scanned, found = r.BytesScanned, r.FindingCount()
			}
			b.ReportMetric(float64(scanned), "decoded-B/op")
			if perOp := b.Elapsed().Seconds() / float64(b.N); perOp > 0 {
				b.ReportMetric(float64(scanned)/perOp/1e6, "decoded-MB/s")
			}
			b.ReportMetric(float64(found), "findings/op")
		})
	}
}

package redact

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// CSV and TSV are read with encoding/csv (lenient quotes, ragged rows) and
// written with it: the rows, columns and header stay, quoting becomes
// minimal. As in the scanner (scanner/csv.go) the first row is a header
// when its cells are short, not numbers or dates, and hold nothing the
// engine reports; its cells name the fields, otherwise columns are named
// column_<n>. Every data row is one record; rows are classified in
// batches of about batchBytes.

// Batch bounds: values of many records share one engine call.
const (
	batchBytes   = 256 << 10
	batchRows    = 8192
	maxHeaderLen = 256
)

func (o *objRun) csv(r io.Reader, delim rune, w io.Writer) error {
	br := bufio.NewReaderSize(r, 64<<10)
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cw := csv.NewWriter(w)
	cw.Comma = delim
	cw.UseCRLF = crlf(br)
	b := &csvBatch{o: o, cw: cw}
	first := true
	for {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, _ := cr.FieldPos(0)
				return &malformedError{format: "csv", off: cr.InputOffset(), msg: "line " + strconv.Itoa(max(line, pe.Line)) + ": " + pe.Err.Error()}
			}
			return err
		}
		if first {
			first = false
			if o.csvHeader(row) {
				b.fields = make([]*classifiers.Field, len(row))
				for i, c := range row {
					name := string(bytes.TrimSpace([]byte(c)))
					if name == "" {
						name = "column_" + strconv.Itoa(i+1)
					}
					b.fields[i] = o.w.field(name)
				}
				if err := cw.Write(row); err != nil {
					return err
				}
				continue
			}
		}
		if err := b.add(row); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// crlf reports a first line ending in CRLF.
func crlf(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	i := bytes.IndexByte(head, '\n')
	return i > 0 && head[i-1] == '\r'
}

// csvHeader decides whether the first row is a header (scanner/csv.go
// decideHeader).
func (o *objRun) csvHeader(row []string) bool {
	if len(row) == 0 {
		return false
	}
	cells := make([][]byte, len(row))
	for i, c := range row {
		if len(c) > maxHeaderLen || scanner.LooksNumeric([]byte(c)) {
			return false
		}
		cells[i] = []byte(c)
	}
	return o.w.ed.header(o.ctx, cells)
}

// csvBatch holds rows until their values are classified.
type csvBatch struct {
	o      *objRun
	cw     *csv.Writer
	fields []*classifiers.Field
	rows   [][]string
	buf    []byte
	spans  []classifiers.Span
	cells  [][2]int // per span: row and column
	rec    int64
}

func (b *csvBatch) field(i int) *classifiers.Field {
	for len(b.fields) <= i {
		b.fields = append(b.fields, b.o.w.field("column_"+strconv.Itoa(len(b.fields)+1)))
	}
	return b.fields[i]
}

func (b *csvBatch) add(row []string) error {
	b.rec++
	for i, c := range row {
		if c == "" {
			continue
		}
		start := len(b.buf)
		b.buf = append(b.buf, c...)
		b.spans = append(b.spans, classifiers.Span{Start: start, End: len(b.buf), Field: b.field(i), Record: b.rec, Kind: deid.KindText})
		b.cells = append(b.cells, [2]int{len(b.rows), i})
		b.buf = append(b.buf, '\n')
	}
	b.rows = append(b.rows, row)
	if len(b.buf) >= batchBytes || len(b.rows) >= batchRows {
		return b.flush()
	}
	return nil
}

func (b *csvBatch) flush() error {
	if len(b.spans) > 0 {
		edits, err := b.o.w.ed.records(b.o.ctx, b.buf, b.spans, false)
		if err != nil {
			return err
		}
		var tmp []byte
		for i, es := range edits {
			if len(es) == 0 {
				continue
			}
			sp := b.spans[i]
			tmp = splice(tmp[:0], b.buf[sp.Start:sp.End], es)
			rc := b.cells[i]
			b.rows[rc[0]][rc[1]] = string(tmp)
		}
	}
	if err := b.cw.WriteAll(b.rows); err != nil {
		return err
	}
	b.rows, b.buf, b.spans, b.cells = b.rows[:0], b.buf[:0], b.spans[:0], b.cells[:0]
	return nil
}

package redact

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// Parquet is rewritten row group by row group with parquet-go's generic
// rows: the same schema (the file's own), the same row groups and row
// count, the key/value metadata (its values de-identified: keyValues) and
// the first column's codec. Values go
// to the engine as the scanner presents them (scanner/parquet.go): each
// row a record, field = the column path, typed values as text (dates
// 2006-01-02, timestamps RFC 3339, decimals with their scale), the
// numbers of a repeated numeric column in one row as one comma-separated
// value. Edited values are written back in the column's physical type: a
// string as the replacement's bytes, a number parsed from it, a repeated
// numeric column (an embedding) as an empty list or the edited numbers;
// a replacement that does not fit (null, a tag in a number column) makes
// an optional value null and a required one zero.

// pqCol describes one leaf column.
type pqCol struct {
	field *classifiers.Field
	scanner.ParquetValue
	repeated  bool
	optional  bool // the leaf itself is optional: null is maxDef-1
	maxDef    int
	emptyDef  int // definition level of an empty list (repeated columns)
	flbaWidth int
}

func (o *objRun) parquet(br *bufio.Reader, file *os.File, w io.Writer) error {
	o.addFormat(scanner.FormatParquet)
	ra, size, release, err := o.randomAccess(br, file)
	if err != nil {
		return err
	}
	defer release()
	f, err := parquet.OpenFile(ra, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(64<<10))
	if err != nil {
		if o.ctx.Err() != nil {
			return o.ctx.Err()
		}
		return &malformedError{format: "parquet", msg: "cannot read the footer"}
	}
	opts := []parquet.WriterOption{f.Schema()}
	md := f.Metadata()
	if len(md.RowGroups) > 0 && len(md.RowGroups[0].Columns) > 0 {
		// Keep the source's codec when parquet-go has it (it returns an
		// "unsupported" codec, never nil, for the others: then the
		// writer's default applies).
		if c := parquet.LookupCompressionCodec(md.RowGroups[0].Columns[0].MetaData.Codec); c.String() != "UNSUPPORTED" {
			opts = append(opts, parquet.Compression(c))
		}
	}
	pw := parquet.NewGenericWriter[any](w, opts...)
	b := &pqBatch{o: o, cols: o.parquetColumns(f.Schema()), w: pw}
	var unpacked int64
	for gi, rg := range f.RowGroups() {
		for _, c := range md.RowGroups[gi].Columns {
			unpacked += c.MetaData.TotalUncompressedSize
		}
		if unpacked > o.w.cfg.MaxDecodedSize {
			return &limitError{msg: fmt.Sprintf("parquet row groups unpack to over %d bytes (--max-decoded-size)", o.w.cfg.MaxDecodedSize)}
		}
		if err := b.rowGroup(rg); err != nil {
			return err
		}
		if err := b.flush(); err != nil {
			return err
		}
		if err := pw.Flush(); err != nil {
			return err
		}
	}
	if err := b.keyValues(md.KeyValueMetadata); err != nil {
		return err
	}
	return pw.Close()
}

// keyValues sets the footer's key/value metadata of the copy, each value
// de-identified as the scanner reads it (scanner/parquet.go
// parquetKeyValues): after the rows, all entries one record, field =
// parquet.kv.<key>, every match replaced within the value and the rest of
// it kept. Keys are kept; so are values without matches, byte for byte
// (pandas' and Arrow's schemas among them).
func (b *pqBatch) keyValues(kvs []format.KeyValue) error {
	b.rec++
	for _, kv := range kvs {
		if kv.Value == "" {
			continue
		}
		start := len(b.buf)
		b.buf = append(b.buf, kv.Value...)
		f := b.o.w.field(scanner.ParquetKeyValueField(kv.Key))
		b.spans = append(b.spans, classifiers.Span{Start: start, End: len(b.buf), Field: f, Record: b.rec, Kind: deid.KindText})
		b.buf = append(b.buf, '\n')
	}
	var edits [][]edit
	if len(b.spans) > 0 {
		var err error
		if edits, err = b.o.w.ed.records(b.o.ctx, b.buf, b.spans, false); err != nil {
			return err
		}
	}
	n := 0
	for _, kv := range kvs {
		v := kv.Value
		if v != "" {
			if es := edits[n]; len(es) > 0 {
				sp := b.spans[n]
				v = string(splice(nil, b.buf[sp.Start:sp.End], es))
			}
			n++
		}
		b.w.SetKeyValueMetadata(kv.Key, v)
	}
	b.buf, b.spans = b.buf[:0], b.spans[:0]
	return nil
}

// randomAccess returns the object as an io.ReaderAt: the local file
// itself, or an encrypted spool of the stream.
func (o *objRun) randomAccess(br *bufio.Reader, file *os.File) (io.ReaderAt, int64, func(), error) {
	if file != nil {
		if fi, err := file.Stat(); err == nil && fi.Mode().IsRegular() {
			return file, fi.Size(), func() {}, nil
		}
	}
	sp, err := scanner.NewTempSpool(o.w.cfg.TempDir)
	if err != nil {
		return nil, 0, nil, err
	}
	if _, err := io.Copy(sp, br); err != nil {
		sp.Close()
		return nil, 0, nil, err
	}
	if err := sp.Seal(); err != nil {
		sp.Close()
		return nil, 0, nil, err
	}
	return sp, sp.Size(), sp.Close, nil
}

// parquetColumns prepares the leaf columns in column-index order.
func (o *objRun) parquetColumns(s *parquet.Schema) []pqCol {
	var cols []pqCol
	var walk func(n parquet.Node, segs []string, reps []bool, def, repDef int)
	walk = func(n parquet.Node, segs []string, reps []bool, def, repDef int) {
		if n.Leaf() {
			t := n.Type()
			cols = append(cols, pqCol{field: o.w.field(scanner.ParquetColumnPath(segs, reps)), ParquetValue: scanner.NewParquetValue(t),
				optional: n.Optional(), maxDef: def, emptyDef: repDef - 1, repeated: repDef > 0, flbaWidth: t.Length()})
			return
		}
		for _, f := range n.Fields() {
			d, rd := def, repDef
			if f.Optional() || f.Repeated() {
				d++
			}
			if f.Repeated() {
				rd = d
			}
			walk(f, append(segs[:len(segs):len(segs)], f.Name()), append(reps[:len(reps):len(reps)], f.Repeated()), d, rd)
		}
	}
	walk(s, nil, nil, 0, 0)
	return cols
}

// pqRef ties a span to the values [i, j) of a row of the batch.
type pqRef struct{ row, i, j, col int }

// pqBatch holds rows until their values are classified.
type pqBatch struct {
	o     *objRun
	cols  []pqCol
	w     *parquet.GenericWriter[any]
	rows  []parquet.Row
	buf   []byte
	spans []classifiers.Span
	refs  []pqRef
	rec   int64
	read  []parquet.Row
}

func (b *pqBatch) rowGroup(rg parquet.RowGroup) (err error) {
	rr := rg.Rows()
	defer func() {
		if cerr := rr.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if b.read == nil {
		b.read = make([]parquet.Row, 128)
	}
	for {
		if err := b.o.ctx.Err(); err != nil {
			return err
		}
		n, rerr := rr.ReadRows(b.read)
		for i := range b.read[:n] {
			if err := b.add(b.read[i].Clone()); err != nil {
				return err
			}
		}
		switch {
		case errors.Is(rerr, io.EOF):
			return nil
		case rerr != nil:
			if b.o.ctx.Err() != nil {
				return b.o.ctx.Err()
			}
			return &malformedError{format: "parquet", off: b.rec, msg: "cannot read row"}
		case n == 0:
			return nil
		}
	}
}

// add buffers a row and its values as one record.
func (b *pqBatch) add(row parquet.Row) error {
	b.rec++
	ri := len(b.rows)
	b.rows = append(b.rows, row)
	for i := 0; i < len(row); {
		ci := row[i].Column()
		j := i
		for j < len(row) && row[j].Column() == ci {
			j++
		}
		if ci < 0 || ci >= len(b.cols) {
			i = j
			continue
		}
		c := &b.cols[ci]
		if !c.Numeric() {
			for k := i; k < j; k++ {
				if row[k].IsNull() {
					continue
				}
				start := len(b.buf)
				if b.buf = c.appendText(b.buf, row[k]); len(b.buf) > start {
					b.addSpan(start, c, deid.KindText, pqRef{ri, k, k + 1, ci})
				}
			}
		} else {
			start := len(b.buf)
			for k := i; k < j; k++ {
				if row[k].IsNull() {
					continue
				}
				if len(b.buf) > start {
					b.buf = append(b.buf, ',')
				}
				b.buf = c.appendText(b.buf, row[k])
			}
			if len(b.buf) > start {
				kind := deid.KindJSONNumber
				if c.repeated {
					kind = deid.KindJSONArray
				}
				b.addSpan(start, c, kind, pqRef{ri, i, j, ci})
			}
		}
		i = j
	}
	if len(b.buf) >= batchBytes || len(b.rows) >= batchRows {
		return b.flush()
	}
	return nil
}

func (b *pqBatch) addSpan(start int, c *pqCol, kind deid.Kind, ref pqRef) {
	b.spans = append(b.spans, classifiers.Span{Start: start, End: len(b.buf), Field: c.field, Record: b.rec, Kind: kind})
	b.refs = append(b.refs, ref)
	b.buf = append(b.buf, '\n')
}

// flush classifies the buffered rows, applies the edits and writes them.
func (b *pqBatch) flush() error {
	if len(b.spans) > 0 {
		edits, err := b.o.w.ed.records(b.o.ctx, b.buf, b.spans, false)
		if err != nil {
			return err
		}
		// Later value ranges first, so that a repeated column shrunk to
		// an empty list leaves the earlier indexes of its row valid.
		for s := len(edits) - 1; s >= 0; s-- {
			if len(edits[s]) == 0 {
				continue
			}
			sp, ref := b.spans[s], b.refs[s]
			nv := splice(nil, b.buf[sp.Start:sp.End], edits[s])
			row := b.rows[ref.row]
			repl := b.cols[ref.col].values(row[ref.i:ref.j], nv)
			b.rows[ref.row] = append(row[:ref.i:ref.i], append(repl, row[ref.j:]...)...)
		}
	}
	if len(b.rows) > 0 {
		if _, err := b.w.WriteRows(b.rows); err != nil {
			return err
		}
	}
	b.rows, b.buf, b.spans, b.refs = b.rows[:0], b.buf[:0], b.spans[:0], b.refs[:0]
	return nil
}

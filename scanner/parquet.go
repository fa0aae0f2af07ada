package scanner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/piiscan/piiscan/classifiers"
)

// Parquet input. Row groups are read one at a time, row by row, through
// parquet-go's row reader, which keeps one page per column in memory: so
// memory is bounded by the page size, not the file. Every row is a record
// (record = 0-based row index in the file) whose values are its columns'
// values: field = the column path (patient.id_no; a repeated level is
// written [*], and the list/element levels of the LIST convention are
// folded: tags[*]). Typed values are written as text the engine reads:
// dates as 2006-01-02 (so a birth-date column makes a record a minor's),
// timestamps in RFC 3339, decimals with their scale; a repeated numeric
// column's values in one row are one comma-separated value (an embedding
// vector is one value, like in JSON). byte_offset counts the values of the
// file as if written one per line in row order.
//
// Dictionary-encoded columns are not scanned once per distinct value: the
// engine's result depends on the record (birth dates, coordinate pairs,
// keywords of neighbouring fields), so per-row scanning is what keeps
// every finding's location and record rules right.
//
// The footer's key/value metadata follows the rows (parquetKeyValues).

// Limits on the footer: parquet-go allocates the footer length it reads.
const maxParquetFooter = 64 << 20

// pqColumn is how one leaf column is written.
type pqColumn struct {
	field *classifiers.Field
	ParquetValue
}

func (o *objectScan) scanParquet(in *input) error {
	o.formats = append(o.formats, FormatParquet)
	o.format = FormatParquet
	ra, size, release, err := o.randomAccess(in)
	if err != nil {
		return err
	}
	defer release()
	if err := checkParquetFooter(ra, size); err != nil {
		return err
	}
	f, err := parquet.OpenFile(ra, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true),
		parquet.ReadBufferSize(64<<10))
	if err != nil {
		if o.ctx.Err() != nil {
			return o.ctx.Err()
		}
		return badFormat(FormatParquet, "cannot read the footer; nothing scanned", err)
	}
	cols := o.parquetColumns(f.Schema())
	b := newBatch(o)
	var off, rec, unpacked int64
	rows := make([]parquet.Row, 128)
	var lerr error
	for gi, rg := range f.RowGroups() {
		for _, c := range f.Metadata().RowGroups[gi].Columns {
			unpacked += c.MetaData.TotalUncompressedSize
		}
		if lerr = o.parquetLimit(unpacked, size); lerr != nil {
			break
		}
		if err := o.parquetRowGroup(b, rg, cols, rows, &off, &rec); err != nil {
			return errors.Join(b.finish(), err)
		}
	}
	// The footer is already in memory: its metadata is read even when the
	// row groups were over a limit.
	if err := o.parquetKeyValues(b, f.Metadata().KeyValueMetadata, &off); err != nil {
		return errors.Join(b.finish(), lerr, err)
	}
	return errors.Join(b.finish(), lerr)
}

// parquetKeyValues scans the footer's key/value metadata after the rows,
// as one more record with no index (record is null): writers put free
// text there (an owner, a description, a query with its literals, pandas'
// and Arrow's schemas), and the redact writer rewrites it. Each value is a
// value of its own, field = parquet.kv.<key>, at the offsets that follow
// the rows'. Keys are not scanned, like JSON keys, and are written through
// SafeName like any field. The entries come in parquet-go's order (sorted
// by key), which the redact writer sees too.
func (o *objectScan) parquetKeyValues(b *batch, kvs []format.KeyValue, off *int64) error {
	b.beginRecord()
	for _, kv := range kvs {
		if kv.Value == "" {
			continue
		}
		if err := o.ctx.Err(); err != nil {
			return err
		}
		if err := writeValue(b, o.w.field(parquetKVField(kv.Key)), []byte(kv.Value), -1, off); err != nil {
			return err
		}
	}
	return b.endRecord()
}

// parquetKVField is the field name of a key/value metadata entry.
func parquetKVField(key string) string { return "parquet.kv." + key }

// checkParquetFooter refuses a footer longer than the file or than
// maxParquetFooter before parquet-go allocates it.
func checkParquetFooter(ra io.ReaderAt, size int64) error {
	var tail [8]byte
	if size < 12 {
		return &formatError{format: FormatParquet, msg: "file too short to hold a footer; nothing scanned"}
	}
	if _, err := ra.ReadAt(tail[:], size-8); err != nil {
		return badFormat(FormatParquet, "cannot read the footer", err)
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	switch {
	case string(tail[4:]) != "PAR1":
		return &formatError{format: FormatParquet, msg: "no footer (truncated or encrypted file); nothing scanned"}
	case n > size-12:
		return &formatError{format: FormatParquet, msg: "footer length beyond the file; nothing scanned"}
	case n > maxParquetFooter:
		return &errLimit{msg: fmt.Sprintf("parquet footer over %d bytes", maxParquetFooter)}
	}
	return nil
}

// parquetLimit applies the decompression limits to the column chunks'
// declared uncompressed sizes, row group by row group.
func (o *objectScan) parquetLimit(unpacked, size int64) error {
	cfg := o.w.cfg
	switch {
	case unpacked > cfg.MaxDecodedSize:
		return &errLimit{msg: fmt.Sprintf("parquet row groups unpack to over %d bytes (--max-decoded-size)", cfg.MaxDecodedSize)}
	case unpacked > ratioAfter && size > 0 && unpacked/size > cfg.MaxRatio:
		return &errLimit{msg: fmt.Sprintf("parquet compression ratio over %d (--max-ratio)", cfg.MaxRatio)}
	}
	return nil
}

func (o *objectScan) parquetRowGroup(b *batch, rg parquet.RowGroup, cols []pqColumn, rows []parquet.Row, off, rec *int64) (err error) {
	rr := rg.Rows()
	defer func() {
		if cerr := rr.Close(); err == nil && cerr != nil {
			err = badFormat(FormatParquet, "close row group", cerr)
		}
	}()
	var vbuf []byte
	for {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		n, rerr := rr.ReadRows(rows)
		for i := range rows[:n] {
			if vbuf, err = o.parquetRow(b, rows[i], cols, *rec, off, vbuf); err != nil {
				return err
			}
			*rec++
		}
		switch {
		case rerr == io.EOF:
			return nil
		case rerr != nil:
			if o.ctx.Err() != nil {
				return o.ctx.Err()
			}
			return badFormat(FormatParquet, fmt.Sprintf("row %d", *rec), rerr)
		case n == 0:
			return nil
		}
	}
}

// parquetRow writes one row as a record. Values come in column order; the
// values of a repeated column are consecutive.
func (o *objectScan) parquetRow(b *batch, row parquet.Row, cols []pqColumn, rec int64, off *int64, vbuf []byte) ([]byte, error) {
	b.beginRecord()
	for i := 0; i < len(row); {
		ci := row[i].Column()
		if ci < 0 || ci >= len(cols) {
			i++
			continue
		}
		c := &cols[ci]
		vbuf = vbuf[:0]
		j := i
		for ; j < len(row) && row[j].Column() == ci; j++ {
			v := row[j]
			if v.IsNull() {
				continue
			}
			if !c.numeric {
				// Each text or binary element is its own value.
				if vbuf = c.AppendText(vbuf[:0], v); len(vbuf) > 0 {
					if err := writeValue(b, c.field, vbuf, rec, off); err != nil {
						return vbuf, err
					}
				}
				continue
			}
			if len(vbuf) > 0 {
				vbuf = append(vbuf, ',')
			}
			vbuf = c.AppendText(vbuf, v)
		}
		if c.numeric && len(vbuf) > 0 {
			if err := writeValue(b, c.field, vbuf, rec, off); err != nil {
				return vbuf, err
			}
		}
		i = j
	}
	return vbuf, b.endRecord()
}

// writeValue adds one value of a record at the running offset.
func writeValue(b *batch, f *classifiers.Field, v []byte, rec int64, off *int64) error {
	b.beginValue(f, spanLoc{off: *off, rec: rec})
	*off += int64(len(v)) + 1
	if err := b.write(v); err != nil {
		return err
	}
	return b.endValue()
}

// parquetColumns prepares the leaf columns in column-index order.
func (o *objectScan) parquetColumns(s *parquet.Schema) []pqColumn {
	var cols []pqColumn
	var walk func(n parquet.Node, segs []string, reps []bool)
	walk = func(n parquet.Node, segs []string, reps []bool) {
		if n.Leaf() {
			cols = append(cols, pqColumn{field: o.w.field(columnPath(segs, reps)), ParquetValue: NewParquetValue(n.Type())})
			return
		}
		for _, f := range n.Fields() {
			walk(f, append(segs[:len(segs):len(segs)], f.Name()), append(reps[:len(reps):len(reps)], f.Repeated()))
		}
	}
	walk(s, nil, nil)
	return cols
}

// columnPath writes a column's path: dotted names, [*] after a repeated
// level, the LIST and MAP wrapper levels (list/element, key_value) folded.
func columnPath(segs []string, reps []bool) string {
	var sb strings.Builder
	wrapped := false
	for i, s := range segs {
		switch {
		case reps[i] && i > 0 && (s == "list" || s == "bag" || s == "key_value" || s == "map"):
			sb.WriteString("[*]")
			wrapped = true
			continue
		case wrapped && i == len(segs)-1 && (s == "element" || s == "item" || s == "array"):
			continue
		}
		wrapped = false
		if sb.Len() > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(s)
		if reps[i] {
			sb.WriteString("[*]")
		}
	}
	return sb.String()
}

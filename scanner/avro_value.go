package scanner

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/hamba/avro/v2"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/scanner/avrofile"
)

// avroDec walks Avro values along the schema into the record batch.
type avroDec struct {
	o    *objectScan
	b    *batch
	r    *avro.Reader
	rd   *avrofile.Reader
	tree *avrofile.Tree
	rec  int64
	off  int64
	num  []byte // a numeric array being joined
	tmp  []byte
}

func (d *avroDec) fieldOf(n *avrofile.Node) *classifiers.Field {
	if n.Field == nil {
		n.Field = d.o.w.field(n.Path)
	}
	return n.Field
}

// datum reads one top-level value as record idx.
func (d *avroDec) datum(idx int64) error {
	d.rec = idx
	d.b.beginRecord()
	err := d.value(d.tree.Root, 0)
	if serr := d.rd.Err(); serr != nil {
		return serr // a limit or damaged block, which the reader saw as a failed read
	}
	if err == nil && d.r.Error != nil {
		err = d.r.Error
	}
	if err != nil {
		var fe *formatError
		if errors.As(err, &fe) || isLimit(err) || d.o.ctx.Err() != nil {
			return err
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return &formatError{format: FormatAvro, msg: fmt.Sprintf("record %d runs past its block", idx)}
		}
		return badFormat(FormatAvro, fmt.Sprintf("record %d", idx), err)
	}
	return d.b.endRecord()
}

// value reads one value of n's schema.
func (d *avroDec) value(n *avrofile.Node, depth int) error {
	if depth > avrofile.MaxDepth {
		return &formatError{format: FormatAvro, msg: "values nested too deep"}
	}
	if d.r.Error != nil {
		return d.r.Error
	}
	r := d.r
	switch s := n.Schema.(type) {
	case *avro.RefSchema:
		return d.value(d.tree.Kid(n, 0, s.Schema(), n.Path), depth+1)
	case *avro.RecordSchema:
		for i, f := range s.Fields() {
			if err := d.value(d.tree.Kid(n, i, f.Type(), avrofile.Join(n.Path, f.Name())), depth+1); err != nil {
				return err
			}
		}
	case *avro.UnionSchema:
		i := r.ReadLong()
		ts := s.Types()
		if i < 0 || i >= int64(len(ts)) {
			return &formatError{format: FormatAvro, msg: "union branch out of range"}
		}
		return d.value(d.tree.Kid(n, int(i), ts[i], n.Path), depth+1)
	case *avro.ArraySchema:
		return d.array(n, s, depth)
	case *avro.MapSchema:
		return d.blocks(func() error {
			key := r.ReadBytes()
			if keyScan(key) {
				if err := d.key(n, key); err != nil {
					return err
				}
			}
			return d.value(d.tree.KeyKid(n, s.Values(), key), depth+1)
		})
	case *avro.EnumSchema:
		i := int(r.ReadInt())
		if syms := s.Symbols(); i >= 0 && i < len(syms) {
			return d.write(n, []byte(syms[i]))
		}
		return &formatError{format: FormatAvro, msg: "enum index out of range"}
	case *avro.FixedSchema:
		if s.Size() < 0 || s.Size() > avrofile.MaxValue {
			return &formatError{format: FormatAvro, msg: "bad fixed size"}
		}
		if cap(d.tmp) < s.Size() {
			d.tmp = make([]byte, s.Size())
		}
		v := d.tmp[:s.Size()]
		r.Read(v)
		if dec, ok := s.Logical().(*avro.DecimalLogicalSchema); ok {
			v = avrofile.AppendDecimal(nil, avrofile.TwosComplement(v), int32(dec.Scale()))
		}
		return d.write(n, v)
	case *avro.PrimitiveSchema:
		return d.primitive(n, s)
	}
	return nil // null
}

// primitive reads a primitive value and writes it as text.
func (d *avroDec) primitive(n *avrofile.Node, s *avro.PrimitiveSchema) error {
	r := d.r
	var logical avro.LogicalType
	var scale int
	if ls := s.Logical(); ls != nil {
		logical = ls.Type()
		if dec, ok := ls.(*avro.DecimalLogicalSchema); ok {
			scale = dec.Scale()
		}
	}
	t := d.tmp[:0]
	switch s.Type() {
	case avro.Null:
		return nil
	case avro.Boolean:
		r.ReadBool()
		return nil
	case avro.Int:
		x := int64(r.ReadInt())
		if logical == avro.Date {
			t = time.Unix(x*86400, 0).UTC().AppendFormat(t, time.DateOnly)
		} else {
			t = strconv.AppendInt(t, x, 10)
		}
	case avro.Long:
		x := r.ReadLong()
		switch logical {
		case avro.TimestampMillis, avro.LocalTimestampMillis:
			t = time.UnixMilli(x).UTC().AppendFormat(t, time.RFC3339)
		case avro.TimestampMicros, avro.LocalTimestampMicros:
			t = time.UnixMicro(x).UTC().AppendFormat(t, time.RFC3339)
		default:
			t = strconv.AppendInt(t, x, 10)
		}
	case avro.Float:
		t = strconv.AppendFloat(t, float64(r.ReadFloat()), 'f', -1, 32)
	case avro.Double:
		t = strconv.AppendFloat(t, r.ReadDouble(), 'f', -1, 64)
	case avro.Bytes, avro.String:
		v := r.ReadBytes()
		if logical == avro.Decimal {
			v = avrofile.AppendDecimal(nil, avrofile.TwosComplement(v), int32(scale))
		}
		return d.write(n, v)
	default:
		return nil
	}
	d.tmp = t
	return d.write(n, t)
}

// array reads an array: numbers are joined into one comma-separated value
// (an embedding vector, a coordinate pair), anything else is one value per
// element.
func (d *avroDec) array(n *avrofile.Node, s *avro.ArraySchema, depth int) error {
	items := d.tree.Kid(n, 0, s.Items(), n.Path+"[*]")
	ps, numeric := avrofile.NumericItems(s)
	if !numeric {
		return d.blocks(func() error { return d.value(items, depth+1) })
	}
	d.num = d.num[:0]
	err := d.blocks(func() error {
		if len(d.num) > 0 {
			d.num = append(d.num, ',')
		}
		switch ps.Type() {
		case avro.Int:
			d.num = strconv.AppendInt(d.num, int64(d.r.ReadInt()), 10)
		case avro.Long:
			d.num = strconv.AppendInt(d.num, d.r.ReadLong(), 10)
		case avro.Float:
			d.num = strconv.AppendFloat(d.num, float64(d.r.ReadFloat()), 'f', -1, 32)
		default:
			d.num = strconv.AppendFloat(d.num, d.r.ReadDouble(), 'f', -1, 64)
		}
		if len(d.num) > avrofile.MaxValue {
			return &formatError{format: FormatAvro, msg: "numeric array too long"}
		}
		return nil
	})
	if err == nil && len(d.num) > 0 {
		err = d.write(items, d.num)
	}
	return err
}

// blocks reads the blocks of an array or map, calling item per element.
func (d *avroDec) blocks(item func() error) error {
	r := d.r
	for i := 0; ; {
		count := r.ReadLong()
		if r.Error != nil {
			return r.Error
		}
		if count == 0 {
			return nil
		}
		if count < 0 {
			count = -count
			r.ReadLong() // block size in bytes
		}
		for ; count > 0; count-- {
			if i++; i&0xfff == 0 {
				if err := d.o.ctx.Err(); err != nil {
					return err
				}
			}
			if err := item(); err != nil {
				return err
			}
			if r.Error != nil {
				return r.Error
			}
		}
	}
}

// key adds a map key that may be a personal value (keyScan: a digit or an
// '@', as for JSON keys) as a value at the path of map n, with the field
// of its keys (the map's name gives no context of its own, as for JSON),
// in the record the map is in.
func (d *avroDec) key(n *avrofile.Node, key []byte) error {
	if n.KeyField == nil {
		n.KeyField = d.fieldOf(n).Keys()
	}
	return writeValue(d.b, n.KeyField, key, d.rec, &d.off)
}

// write adds a value of n's field to the record.
func (d *avroDec) write(n *avrofile.Node, v []byte) error {
	if len(v) == 0 {
		return nil
	}
	return writeValue(d.b, d.fieldOf(n), v, d.rec, &d.off)
}

package redact

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/hamba/avro/v2"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/avrofile"
)

// avroRW reads datums along the schema, copies their encoding to a
// pending block and gives their values to the engine in batches.
type avroRW struct {
	o    *objRun
	r    *avro.Reader
	rd   *avrofile.Reader
	enc  *avroEnc
	w    io.Writer
	tree *avrofile.Tree

	out   []byte // the pending block: datums, encoded
	count int64  // datums in out
	slots []aslot
	buf   []byte
	spans []classifiers.Span
	rec   int64
	num   []byte // a numeric array being joined
	tmp   []byte
	blk   []byte
	maps  int // numbers the maps of the pending block, for their keys
}

// aslot is a value of the pending block: out[o0:o1], in a union whose
// index starts at u0 (-1: not in a union) and whose null branch is null
// (-1: none).
type aslot struct {
	o0, o1 int
	u0     int
	null   int
	items  int // numbers of a numeric array
	s      avro.Schema
	mapKey int // for a map key: the number of its map (avroRW.maps), else 0
}

// avroString is the schema of a map key.
var avroString = avro.NewPrimitiveSchema(avro.String, nil)

// unionRef is the union a value is a branch of.
type unionRef struct{ u0, null int }

// datum reads one top-level value as a record; a big batch is written
// as a block.
func (a *avroRW) datum() error {
	a.rec++
	err := a.value(a.tree.Root, 0, nil)
	if serr := a.rd.Err(); serr != nil {
		return serr // a limit or damaged block, which the reader saw as a failed read
	}
	if err == nil && a.r.Error != nil {
		err = a.r.Error
	}
	if err != nil {
		var mal *malformedError
		switch {
		case errors.As(err, &mal), isLimit(err), a.o.ctx.Err() != nil:
			return err
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("record %d runs past its block", a.rec-1)}
		}
		return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("record %d does not decode", a.rec-1)}
	}
	a.count++
	if len(a.buf) >= batchBytes || len(a.out) >= maxPending || a.count >= batchRows {
		return a.flush()
	}
	return nil
}

// value copies one value of n's schema.
func (a *avroRW) value(n *avrofile.Node, depth int, u *unionRef) error {
	if depth > avrofile.MaxDepth {
		return &malformedError{format: scanner.FormatAvro, msg: "values nested too deep"}
	}
	if a.r.Error != nil {
		return a.r.Error
	}
	r := a.r
	switch s := n.Schema.(type) {
	case *avro.RefSchema:
		return a.value(a.tree.Kid(n, 0, s.Schema(), n.Path), depth+1, u)
	case *avro.RecordSchema:
		for i, f := range s.Fields() {
			if err := a.value(a.tree.Kid(n, i, f.Type(), avrofile.Join(n.Path, f.Name())), depth+1, nil); err != nil {
				return err
			}
		}
	case *avro.UnionSchema:
		u0 := len(a.out)
		i := r.ReadLong()
		ts := s.Types()
		if r.Error != nil {
			return r.Error
		}
		if i < 0 || i >= int64(len(ts)) {
			return &malformedError{format: scanner.FormatAvro, msg: "union branch out of range"}
		}
		a.out = binary.AppendVarint(a.out, i)
		null := -1
		for k, t := range ts {
			if t.Type() == avro.Null {
				null = k
			}
		}
		return a.value(a.tree.Kid(n, int(i), ts[i], n.Path), depth+1, &unionRef{u0, null})
	case *avro.ArraySchema:
		return a.array(n, s, depth, u)
	case *avro.MapSchema:
		a.maps++
		m := a.maps
		return a.blocks(func() error {
			o0 := len(a.out)
			key := r.ReadBytes()
			a.out = appendAvroBytes(a.out, key)
			if scanner.JSONKeyScan(key) {
				a.key(n, o0, key, m)
			}
			return a.value(a.tree.KeyKid(n, s.Values(), key), depth+1, nil)
		})
	case *avro.EnumSchema:
		o0 := len(a.out)
		i := int(r.ReadInt())
		syms := s.Symbols()
		if r.Error != nil {
			return r.Error
		}
		if i < 0 || i >= len(syms) {
			return &malformedError{format: scanner.FormatAvro, msg: "enum index out of range"}
		}
		a.out = binary.AppendVarint(a.out, int64(i))
		a.write(n, o0, []byte(syms[i]), deid.KindText, u, 0)
	case *avro.FixedSchema:
		if s.Size() < 0 || s.Size() > avrofile.MaxValue {
			return &malformedError{format: scanner.FormatAvro, msg: "bad fixed size"}
		}
		o0 := len(a.out)
		a.out = append(a.out, make([]byte, s.Size())...)
		v := a.out[o0:]
		r.Read(v)
		if dec, ok := s.Logical().(*avro.DecimalLogicalSchema); ok {
			v = avrofile.AppendDecimal(a.tmp[:0], avrofile.TwosComplement(v), int32(dec.Scale()))
			a.tmp = v
		}
		a.write(n, o0, v, deid.KindText, u, 0)
	case *avro.PrimitiveSchema:
		return a.primitive(n, s, u)
	}
	return nil // null
}

// primitive copies a primitive value and writes it as text, as
// scanner/avro_value.go does.
func (a *avroRW) primitive(n *avrofile.Node, s *avro.PrimitiveSchema, u *unionRef) error {
	r := a.r
	var logical avro.LogicalType
	scale := 0
	if ls := s.Logical(); ls != nil {
		logical = ls.Type()
		if dec, ok := ls.(*avro.DecimalLogicalSchema); ok {
			scale = dec.Scale()
		}
	}
	o0 := len(a.out)
	t := a.tmp[:0]
	kind := deid.KindJSONNumber
	switch s.Type() {
	case avro.Null:
		return nil
	case avro.Boolean:
		if r.ReadBool() {
			a.out = append(a.out, 1)
		} else {
			a.out = append(a.out, 0)
		}
		return nil
	case avro.Int:
		x := int64(r.ReadInt())
		a.out = binary.AppendVarint(a.out, x)
		if logical == avro.Date {
			t, kind = time.Unix(x*86400, 0).UTC().AppendFormat(t, time.DateOnly), deid.KindText
		} else {
			t = strconv.AppendInt(t, x, 10)
		}
	case avro.Long:
		x := r.ReadLong()
		a.out = binary.AppendVarint(a.out, x)
		switch logical {
		case avro.TimestampMillis, avro.LocalTimestampMillis:
			t, kind = time.UnixMilli(x).UTC().AppendFormat(t, time.RFC3339), deid.KindText
		case avro.TimestampMicros, avro.LocalTimestampMicros:
			t, kind = time.UnixMicro(x).UTC().AppendFormat(t, time.RFC3339), deid.KindText
		default:
			t = strconv.AppendInt(t, x, 10)
		}
	case avro.Float:
		x := r.ReadFloat()
		a.out = binary.LittleEndian.AppendUint32(a.out, math.Float32bits(x))
		t = strconv.AppendFloat(t, float64(x), 'f', -1, 32)
	case avro.Double:
		x := r.ReadDouble()
		a.out = binary.LittleEndian.AppendUint64(a.out, math.Float64bits(x))
		t = strconv.AppendFloat(t, x, 'f', -1, 64)
	case avro.Bytes, avro.String:
		v := r.ReadBytes()
		a.out = appendAvroBytes(a.out, v)
		if logical == avro.Decimal {
			v = avrofile.AppendDecimal(t, avrofile.TwosComplement(v), int32(scale))
			a.tmp = v
		}
		a.write(n, o0, v, deid.KindText, u, 0)
		return nil
	default:
		return nil
	}
	a.tmp = t
	a.write(n, o0, t, kind, u, 0)
	return nil
}

// array copies an array: numbers are joined into one comma-separated
// value (an embedding vector, a coordinate pair), anything else is one
// value per element.
func (a *avroRW) array(n *avrofile.Node, s *avro.ArraySchema, depth int, u *unionRef) error {
	items := a.tree.Kid(n, 0, s.Items(), n.Path+"[*]")
	ps, numeric := avrofile.NumericItems(s)
	if !numeric {
		return a.blocks(func() error { return a.value(items, depth+1, nil) })
	}
	o0 := len(a.out)
	a.num = a.num[:0]
	count := 0
	err := a.blocks(func() error {
		if len(a.num) > 0 {
			a.num = append(a.num, ',')
		}
		count++
		r := a.r
		switch ps.Type() {
		case avro.Int:
			x := int64(r.ReadInt())
			a.out = binary.AppendVarint(a.out, x)
			a.num = strconv.AppendInt(a.num, x, 10)
		case avro.Long:
			x := r.ReadLong()
			a.out = binary.AppendVarint(a.out, x)
			a.num = strconv.AppendInt(a.num, x, 10)
		case avro.Float:
			x := r.ReadFloat()
			a.out = binary.LittleEndian.AppendUint32(a.out, math.Float32bits(x))
			a.num = strconv.AppendFloat(a.num, float64(x), 'f', -1, 32)
		default:
			x := r.ReadDouble()
			a.out = binary.LittleEndian.AppendUint64(a.out, math.Float64bits(x))
			a.num = strconv.AppendFloat(a.num, x, 'f', -1, 64)
		}
		if len(a.num) > avrofile.MaxValue {
			return &malformedError{format: scanner.FormatAvro, msg: "numeric array too long"}
		}
		return nil
	})
	if err == nil && len(a.num) > 0 {
		sl := a.write(items, o0, a.num, deid.KindJSONArray, u, count)
		sl.s = s
	}
	return err
}

// blocks copies the blocks of an array or map, calling item per element.
// A block given with its byte size is written without it.
func (a *avroRW) blocks(item func() error) error {
	r := a.r
	for i := 0; ; {
		count := r.ReadLong()
		if r.Error != nil {
			return r.Error
		}
		if count < 0 {
			count = -count
			r.ReadLong() // block size in bytes
		}
		a.out = binary.AppendVarint(a.out, count)
		if count == 0 {
			return nil
		}
		for ; count > 0; count-- {
			if i++; i&0xfff == 0 {
				if err := a.o.ctx.Err(); err != nil {
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

// write adds the value out[o0:] of n's field, read as text v, to the
// batch; it returns the value's slot (nil for an empty value).
func (a *avroRW) write(n *avrofile.Node, o0 int, v []byte, kind deid.Kind, u *unionRef, items int) *aslot {
	if len(v) == 0 {
		return nil
	}
	if n.Field == nil {
		n.Field = a.o.w.field(n.Path)
	}
	start := len(a.buf)
	a.buf = append(a.buf, v...)
	a.spans = append(a.spans, classifiers.Span{Start: start, End: len(a.buf), Field: n.Field, Record: a.rec, Kind: kind})
	a.buf = append(a.buf, '\n')
	sl := aslot{o0: o0, o1: len(a.out), u0: -1, null: -1, items: items, s: n.Schema}
	if u != nil {
		sl.u0, sl.null = u.u0, u.null
	}
	a.slots = append(a.slots, sl)
	return &a.slots[len(a.slots)-1]
}

// key adds a map key that may be a personal value, out[o0:] in the
// pending block, as the scanner reads it (scanner/avro_value.go key): a
// string value at the path of map n (number m), with the field of its
// keys, in the record the map is in.
func (a *avroRW) key(n *avrofile.Node, o0 int, key []byte, m int) {
	if n.KeyField == nil {
		n.KeyField = a.o.w.field(n.Path).Keys()
	}
	start := len(a.buf)
	a.buf = append(a.buf, key...)
	a.spans = append(a.spans, classifiers.Span{Start: start, End: len(a.buf), Field: n.KeyField, Record: a.rec, Kind: deid.KindText})
	a.buf = append(a.buf, '\n')
	a.slots = append(a.slots, aslot{o0: o0, o1: len(a.out), u0: -1, null: -1, s: avroString, mapKey: m})
}

// flush classifies the pending datums and writes them as one block, with
// the edited values encoded again.
func (a *avroRW) flush() error {
	if a.count == 0 {
		return nil
	}
	var edits [][]edit
	if len(a.spans) > 0 {
		var err error
		if edits, err = a.o.w.ed.records(a.o.ctx, a.buf, a.spans, false); err != nil {
			return err
		}
	}
	data := a.out
	if changed := len(edits) > 0 && anyEdit(edits); changed {
		data = a.blk[:0]
		pos := 0
		var nv, enc []byte
		var keyed map[int]*keySet // the replaced keys of each map (keyed.go)
		for i, sl := range a.slots {
			if len(edits[i]) == 0 {
				continue
			}
			sp := a.spans[i]
			nv = splice(nv[:0], a.buf[sp.Start:sp.End], edits[i])
			if sl.mapKey > 0 {
				// A map is read whole within a block's datums, so its keys
				// are all in this flush.
				if keyed == nil {
					keyed = map[int]*keySet{}
				}
				if keyed[sl.mapKey] == nil {
					keyed[sl.mapKey] = newKeySet()
				}
				nv = keyed[sl.mapKey].unique(nv, 0)
			}
			start := sl.o0
			var ok bool
			if enc, ok = encodeAvro(enc[:0], sl, nv); !ok {
				if sl.u0 >= 0 && sl.null >= 0 {
					start, enc = sl.u0, binary.AppendVarint(enc[:0], int64(sl.null))
				} else {
					enc = zeroAvro(enc[:0], sl)
				}
			}
			data = append(append(data, a.out[pos:start]...), enc...)
			pos = sl.o1
		}
		data = append(data, a.out[pos:]...)
		a.blk = data
	}
	if err := a.enc.block(a.w, a.count, data); err != nil {
		return err
	}
	a.out, a.slots, a.buf, a.spans, a.count, a.maps = a.out[:0], a.slots[:0], a.buf[:0], a.spans[:0], 0, 0
	return nil
}

func anyEdit(edits [][]edit) bool {
	for _, es := range edits {
		if len(es) > 0 {
			return true
		}
	}
	return false
}

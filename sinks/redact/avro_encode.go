package redact

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/hamba/avro/v2"
)

// Edited values of an Avro file are written back in their own types
// (avro.go says how); these functions encode them.

// encodeAvro encodes edited text as a value of the slot's type; false
// when the type cannot hold it.
func encodeAvro(dst []byte, sl aslot, nv []byte) ([]byte, bool) {
	switch s := sl.s.(type) {
	case *avro.EnumSchema:
		for i, sym := range s.Symbols() {
			if sym == string(nv) {
				return binary.AppendVarint(dst, int64(i)), true
			}
		}
		return dst, false
	case *avro.FixedSchema:
		if _, ok := s.Logical().(*avro.DecimalLogicalSchema); ok {
			return dst, false
		}
		b := make([]byte, s.Size())
		for i := copy(b, nv); i < len(b); i++ {
			b[i] = ' '
		}
		return append(dst, b...), true
	case *avro.ArraySchema:
		// The edited numbers when there are as many, else an empty array.
		ps := s.Items().(*avro.PrimitiveSchema)
		parts := splitNumbers(nv)
		if parts == nil || len(parts) != sl.items {
			return binary.AppendVarint(dst, 0), true
		}
		out := binary.AppendVarint(dst, int64(len(parts)))
		for _, p := range parts {
			var ok bool
			if out, ok = encodePrimitive(out, ps, p); !ok {
				return binary.AppendVarint(dst[:0], 0), true
			}
		}
		return binary.AppendVarint(out, 0), true
	case *avro.PrimitiveSchema:
		return encodePrimitive(dst, s, nv)
	}
	return dst, false
}

// encodePrimitive parses text back into a primitive type.
func encodePrimitive(dst []byte, s *avro.PrimitiveSchema, t []byte) ([]byte, bool) {
	var logical avro.LogicalType
	if ls := s.Logical(); ls != nil {
		logical = ls.Type()
	}
	str := string(t)
	switch s.Type() {
	case avro.String:
		return appendAvroBytes(dst, t), true
	case avro.Bytes:
		if logical == avro.Decimal {
			return dst, false
		}
		return appendAvroBytes(dst, t), true
	case avro.Int:
		if logical == avro.Date {
			d, ok := parseDay(str)
			return binary.AppendVarint(dst, d), ok && d == int64(int32(d))
		}
		x, err := strconv.ParseInt(str, 10, 32)
		return binary.AppendVarint(dst, x), err == nil
	case avro.Long:
		switch logical {
		case avro.TimestampMillis, avro.LocalTimestampMillis:
			ts, ok := parseTime(str)
			return binary.AppendVarint(dst, ts.UnixMilli()), ok
		case avro.TimestampMicros, avro.LocalTimestampMicros:
			ts, ok := parseTime(str)
			return binary.AppendVarint(dst, ts.UnixMicro()), ok
		}
		x, err := strconv.ParseInt(str, 10, 64)
		return binary.AppendVarint(dst, x), err == nil
	case avro.Float:
		x, err := strconv.ParseFloat(str, 32)
		return binary.LittleEndian.AppendUint32(dst, math.Float32bits(float32(x))), err == nil
	case avro.Double:
		x, err := strconv.ParseFloat(str, 64)
		return binary.LittleEndian.AppendUint64(dst, math.Float64bits(x)), err == nil
	}
	return dst, false
}

// zeroAvro encodes the zero value of the slot's type.
func zeroAvro(dst []byte, sl aslot) []byte {
	switch s := sl.s.(type) {
	case *avro.EnumSchema:
		i := 0
		if s.HasDefault() {
			for k, sym := range s.Symbols() {
				if sym == s.Default() {
					i = k
				}
			}
		}
		return binary.AppendVarint(dst, int64(i))
	case *avro.FixedSchema:
		return append(dst, make([]byte, s.Size())...)
	case *avro.PrimitiveSchema:
		switch s.Type() {
		case avro.Float:
			return append(dst, 0, 0, 0, 0)
		case avro.Double:
			return append(dst, 0, 0, 0, 0, 0, 0, 0, 0)
		}
	}
	// A long, an int, an empty string or bytes, an empty array: one zero.
	return binary.AppendVarint(dst, 0)
}

// appendAvroBytes writes a length-prefixed byte string.
func appendAvroBytes(dst, b []byte) []byte {
	return append(binary.AppendVarint(dst, int64(len(b))), b...)
}

package redact

import (
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
)

// Parquet values: how the scanner writes them as text, and how edited
// text is written back in the column's physical type.

// values returns the values that replace old (the values of one span)
// given the edited text nv.
func (c *pqCol) values(old []parquet.Value, nv []byte) []parquet.Value {
	first := old[0]
	rep, col := first.RepetitionLevel(), first.Column()
	if c.Numeric() && c.repeated {
		// One value per number; a changed count or anything else than
		// numbers empties the list.
		var nonNull []int
		for k, v := range old {
			if !v.IsNull() {
				nonNull = append(nonNull, k)
			}
		}
		parts := splitNumbers(nv)
		if parts != nil && len(parts) == len(nonNull) {
			out := make([]parquet.Value, len(old))
			copy(out, old)
			for n, k := range nonNull {
				out[k] = c.scalar(parts[n], old[k])
			}
			return out
		}
		return []parquet.Value{parquet.NullValue().Level(rep, c.emptyDef, col)}
	}
	return []parquet.Value{c.scalar(nv, first)}
}

// splitNumbers splits "1.5,2,null" into its parts, or returns nil when nv
// is not such a list.
func splitNumbers(nv []byte) [][]byte {
	if !numberList(nv) {
		return nil
	}
	var out [][]byte
	start := 0
	for i := 0; i <= len(nv); i++ {
		if i == len(nv) || nv[i] == ',' {
			out = append(out, trimSpace(nv[start:i]))
			start = i + 1
		}
	}
	return out
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// scalar converts edited text to a value of the column at old's levels;
// text that does not fit gives null (optional leaf) or zero.
func (c *pqCol) scalar(t []byte, old parquet.Value) parquet.Value {
	rep, def, col := old.RepetitionLevel(), old.DefinitionLevel(), old.Column()
	v, ok := c.parse(t)
	if !ok {
		if c.optional {
			return parquet.NullValue().Level(rep, c.maxDef-1, col)
		}
		v = c.zero()
	}
	return v.Level(rep, def, col)
}

func (c *pqCol) zero() parquet.Value {
	switch c.Kind() {
	case parquet.Boolean:
		return parquet.BooleanValue(false)
	case parquet.Int32:
		return parquet.Int32Value(0)
	case parquet.Int64:
		return parquet.Int64Value(0)
	case parquet.Int96:
		return parquet.Int96Value(deprecated.Int96{})
	case parquet.Float:
		return parquet.FloatValue(0)
	case parquet.Double:
		return parquet.DoubleValue(0)
	case parquet.FixedLenByteArray:
		return parquet.FixedLenByteArrayValue(make([]byte, c.flbaWidth))
	}
	return parquet.ByteArrayValue([]byte{})
}

// parse reads edited text back into the column's physical type.
func (c *pqCol) parse(t []byte) (parquet.Value, bool) {
	s := string(t)
	if s == "null" && c.Numeric() {
		return parquet.Value{}, false
	}
	switch c.Kind() {
	case parquet.Int32:
		switch {
		case c.IsDate():
			d, ok := parseDay(s)
			return parquet.Int32Value(int32(d)), ok
		case c.IsDecimal():
			x, ok := unscaled(s, c.Scale())
			return parquet.Int32Value(int32(x)), ok && x == int64(int32(x))
		}
		x, err := strconv.ParseInt(s, 10, 32)
		return parquet.Int32Value(int32(x)), err == nil
	case parquet.Int64:
		switch {
		case c.IsTimestamp():
			ts, ok := parseTime(s)
			return parquet.Int64Value(ts.UnixNano() / int64(c.Unit())), ok
		case c.IsDecimal():
			x, ok := unscaled(s, c.Scale())
			return parquet.Int64Value(x), ok
		}
		x, err := strconv.ParseInt(s, 10, 64)
		return parquet.Int64Value(x), err == nil
	case parquet.Float:
		x, err := strconv.ParseFloat(s, 32)
		return parquet.FloatValue(float32(x)), err == nil
	case parquet.Double:
		x, err := strconv.ParseFloat(s, 64)
		return parquet.DoubleValue(x), err == nil
	case parquet.Int96, parquet.Boolean:
		return parquet.Value{}, false
	case parquet.FixedLenByteArray:
		if c.IsDecimal() {
			return parquet.Value{}, false
		}
		b := make([]byte, c.flbaWidth)
		n := copy(b, t)
		for i := n; i < len(b); i++ {
			b[i] = ' '
		}
		return parquet.FixedLenByteArrayValue(b), true
	}
	if c.IsDecimal() {
		return parquet.Value{}, false
	}
	return parquet.ByteArrayValue([]byte(s)), true
}

// parseDay reads YYYY, YYYY-MM or YYYY-MM-DD (a generalized date) as days
// since 1970-01-01.
func parseDay(s string) (int64, bool) {
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Unix() / 86400, true
		}
	}
	return 0, false
}

// parseTime reads RFC 3339 or a date.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if d, ok := parseDay(s); ok {
		return time.Unix(d*86400, 0), true
	}
	return time.Time{}, false
}

// unscaled reads a decimal with at most scale decimals as its unscaled
// integer.
func unscaled(s string, scale int32) (int64, bool) {
	intPart, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, frac = s[:i], s[i+1:]
			break
		}
	}
	if len(frac) > int(scale) {
		return 0, false
	}
	for len(frac) < int(scale) {
		frac += "0"
	}
	x, err := strconv.ParseInt(intPart+frac, 10, 64)
	return x, err == nil
}

// appendText writes a value as the scanner does (scanner.ParquetValue
// AppendText), except what is never de-identified: legacy INT96
// timestamps, and byte-array decimals, which are amounts, not identifiers.
func (c *pqCol) appendText(dst []byte, v parquet.Value) []byte {
	switch c.Kind() {
	case parquet.Int96:
		return dst
	case parquet.ByteArray, parquet.FixedLenByteArray:
		if c.IsDecimal() {
			return dst
		}
	}
	return c.AppendText(dst, v)
}

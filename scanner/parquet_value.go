package scanner

import (
	"encoding/binary"
	"math/big"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/piiscan/piiscan/scanner/avrofile"
)

// ParquetValue is how the values of a Parquet leaf column read as text:
// dates as 2006-01-02, timestamps in RFC 3339, decimals scaled, numbers
// as written. The redact writer uses it to see a column's values as the
// scanner does, and to write replacements back in the column's type.
type ParquetValue struct {
	kind    parquet.Kind
	logical format.LogicalTypeValue
	conv    deprecated.ConvertedType
	hasConv bool
	scale   int32
	numeric bool
}

// NewParquetValue describes the values of a leaf column of type t.
func NewParquetValue(t parquet.Type) ParquetValue {
	c := ParquetValue{kind: t.Kind()}
	if lt := t.LogicalType(); lt != nil {
		c.logical = lt.Value
		if d, ok := lt.Value.(*format.DecimalType); ok {
			c.scale = d.Scale
		}
	}
	if ct := t.ConvertedType(); ct != nil {
		c.conv, c.hasConv = *ct, true
	}
	switch c.kind {
	case parquet.Int32, parquet.Int64, parquet.Float, parquet.Double:
		c.numeric = !c.IsDate() && !c.IsTimestamp()
	}
	return c
}

// Kind is the column's physical type.
func (c *ParquetValue) Kind() parquet.Kind { return c.kind }

// Logical is the column's logical type, nil when none.
func (c *ParquetValue) Logical() format.LogicalTypeValue { return c.logical }

// Numeric reports a number column that is neither a date nor a
// timestamp: its values in one row are one comma-separated value.
func (c *ParquetValue) Numeric() bool { return c.numeric }

// IsDecimal reports a DECIMAL column; Scale is its scale.
func (c *ParquetValue) IsDecimal() bool {
	return c.scale > 0 || c.hasConv && c.conv == deprecated.Decimal
}

// Scale is the scale of a DECIMAL column.
func (c *ParquetValue) Scale() int32 { return c.scale }

// IsDate reports a DATE column (days since the epoch).
func (c *ParquetValue) IsDate() bool {
	_, ok := c.logical.(*format.DateType)
	return ok || c.hasConv && c.conv == deprecated.Date
}

// IsTimestamp reports a TIMESTAMP column (INT96 included).
func (c *ParquetValue) IsTimestamp() bool {
	_, ok := c.logical.(*format.TimestampType)
	return ok || c.hasConv && (c.conv == deprecated.TimestampMillis || c.conv == deprecated.TimestampMicros) || c.kind == parquet.Int96
}

// AppendText writes a value as the scanner presents it to the engine;
// booleans and UUIDs write nothing.
func (c *ParquetValue) AppendText(dst []byte, v parquet.Value) []byte {
	decimal := c.IsDecimal()
	switch c.kind {
	case parquet.Boolean:
		return dst
	case parquet.Int32:
		if c.IsDate() {
			return time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(dst, time.DateOnly)
		}
		if decimal {
			return avrofile.AppendDecimal(dst, big.NewInt(int64(v.Int32())), c.scale)
		}
		return strconv.AppendInt(dst, int64(v.Int32()), 10)
	case parquet.Int64:
		if c.IsTimestamp() {
			return appendTimestamp(dst, v.Int64(), c.Unit())
		}
		if decimal {
			return avrofile.AppendDecimal(dst, big.NewInt(v.Int64()), c.scale)
		}
		return strconv.AppendInt(dst, v.Int64(), 10)
	case parquet.Int96:
		// Legacy Impala timestamps: nanoseconds of the day, then the Julian day.
		b := v.Bytes()
		if len(b) != 12 {
			return dst
		}
		nanos := int64(binary.LittleEndian.Uint64(b[:8]))
		days := int64(binary.LittleEndian.Uint32(b[8:])) - 2440588
		return time.Unix(days*86400, nanos).UTC().AppendFormat(dst, time.RFC3339)
	case parquet.Float:
		return strconv.AppendFloat(dst, float64(v.Float()), 'f', -1, 32)
	case parquet.Double:
		return strconv.AppendFloat(dst, v.Double(), 'f', -1, 64)
	}
	if _, ok := c.logical.(*format.UUIDType); ok {
		return dst
	}
	if decimal {
		return avrofile.AppendDecimal(dst, avrofile.TwosComplement(v.ByteArray()), c.scale)
	}
	return append(dst, v.ByteArray()...)
}

// Unit is the unit of a timestamp column.
func (c *ParquetValue) Unit() time.Duration {
	if ts, ok := c.logical.(*format.TimestampType); ok && ts.Unit.Value != nil {
		return ts.Unit.Value.Duration()
	}
	if c.hasConv && c.conv == deprecated.TimestampMicros {
		return time.Microsecond
	}
	return time.Millisecond
}

func appendTimestamp(dst []byte, n int64, unit time.Duration) []byte {
	var t time.Time
	switch unit {
	case time.Nanosecond:
		t = time.Unix(0, n)
	case time.Microsecond:
		t = time.UnixMicro(n)
	default:
		t = time.UnixMilli(n)
	}
	return t.UTC().AppendFormat(dst, time.RFC3339)
}

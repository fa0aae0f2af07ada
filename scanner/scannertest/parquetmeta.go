package scannertest

import (
	"encoding/base64"
	"encoding/binary"
)

// PandasMetadata is the "pandas" key/value metadata pyarrow writes for a
// DataFrame of two text columns (name, phone) with a range index: machine
// text with numbers (versions, the index bounds) and no personal data.
const PandasMetadata = `{"index_columns": [{"kind": "range", "name": null, "start": 0, "stop": 2, "step": 1}], ` +
	`"column_indexes": [{"name": null, "field_name": null, "pandas_type": "unicode", "numpy_type": "object", "metadata": {"encoding": "UTF-8"}}], ` +
	`"columns": [{"name": "name", "field_name": "name", "pandas_type": "unicode", "numpy_type": "object", "metadata": null}, ` +
	`{"name": "phone", "field_name": "phone", "pandas_type": "unicode", "numpy_type": "object", "metadata": null}], ` +
	`"creator": {"library": "pyarrow", "version": "15.0.2"}, "pandas_version": "2.2.1"}`

// ArrowSchemaMetadata is an "ARROW:schema" value shaped like pyarrow's:
// the base64 of an Arrow IPC schema message (the 0xFFFFFFFF continuation
// marker, the length, then a flatbuffer), which carries the field names
// and, like pyarrow's, the schema's own metadata (PandasMetadata). The
// flatbuffer tables are filler bytes: what matters to a scanner is the
// text, a few kilobytes of base64 with digit runs.
func ArrowSchemaMetadata() string {
	var body []byte
	// Filler standing in for the vtables and offsets: every byte value,
	// so that the base64 holds every character.
	for i := range 512 {
		body = append(body, byte(i*37+11))
	}
	for _, s := range []string{"name", "phone", "pandas", PandasMetadata} {
		body = binary.LittleEndian.AppendUint32(body, uint32(len(s)))
		body = append(body, s...)
		body = append(body, 0, 0, 0, 0)
	}
	msg := []byte{0xff, 0xff, 0xff, 0xff}
	msg = binary.LittleEndian.AppendUint32(msg, uint32(len(body)))
	return base64.StdEncoding.EncodeToString(append(msg, body...))
}

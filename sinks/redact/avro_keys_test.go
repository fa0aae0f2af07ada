package redact

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"testing/iotest"

	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner/scannertest"
)

// avroKeyedSchema: contacts keyed by phone number, e-mail or ID number,
// and attributes keyed by field names.
const avroKeyedSchema = `{"type":"record","name":"account","fields":[
 {"name":"id","type":"long"},
 {"name":"contacts","type":{"type":"map","values":{"type":"record","name":"contact","fields":[{"name":"note","type":"string"}]}}},
 {"name":"attrs","type":{"type":"map","values":"string"}}]}`

// otherMobile masks like rawMobile (138****8000).
const otherMobile = "13898768000"

// TestRedactAvroMapKeys: map keys holding personal values are replaced
// as the scan reads them, two keys masked alike kept apart with "#2" so
// that no entry is lost; the header's user metadata values are replaced
// within the text; reserved avro.* entries, field-name keys and the rest
// stay. The copy keeps schema, codec and record count, hamba/avro reads
// it, it holds none of the raw values, and what redact replaced per data
// type is what a scan of the source reports.
func TestRedactAvroMapKeys(t *testing.T) {
	t.Parallel()
	meta := map[string][]byte{
		"source.owner": []byte(kvOwner),
		"source.table": []byte("accounts_2024"),
		"avro.test":    []byte("13912345678"), // reserved: framing, not read
	}
	recs := []map[string]any{
		{"id": int64(1), "contacts": map[string]any{
			rawMobile:   map[string]any{"note": "a"},
			otherMobile: map[string]any{"note": "b"},
			rawEmail:    map[string]any{"note": "c"},
			rawID:       map[string]any{"note": "d"},
		}, "attrs": map[string]any{"v2": "x", "2024": "y", "phone": "z"}},
		{"id": int64(2), "contacts": map[string]any{}, "attrs": map[string]any{"k3": "w"}},
	}
	raws := []string{rawMobile, otherMobile, rawEmail, rawID}
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate} {
		t.Run(string(codec), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			enc, err := ocf.NewEncoder(avroKeyedSchema, &buf, ocf.WithCodec(codec), ocf.WithMetadata(meta))
			require.NoError(t, err)
			for _, r := range recs {
				require.NoError(t, enc.Encode(r))
			}
			require.NoError(t, enc.Close())
			in := buf.Bytes()
			files := map[string][]byte{"keyed.avro": in}
			dst, tally := redactFiles(t, Config{}, files)
			require.Equal(t, int64(1), tally.ByStatus[string(StatusRewritten)], "%+v", tally.NotRewritten)
			out := readFile(t, dst, "keyed.avro")
			one, _ := redactSource(t, Config{}, &scannertest.MemSource{Files: files, Reader: iotest.OneByteReader})
			assert.Equal(t, out, readFile(t, one, "keyed.avro"), "the same output whatever the read sizes")
			assert.Equal(t, avroShape(t, in), avroShape(t, out), "schema, codec and record count")
			if codec == ocf.Null {
				for _, v := range raws {
					assert.False(t, bytes.Contains(out, []byte(v)), "a raw value left in the copy")
				}
			}

			got, _ := avroRecords(t, out)
			want, _ := avroRecords(t, in)
			require.Len(t, got, 2)
			contacts := got[0]["contacts"].(map[string]any)
			require.Len(t, contacts, 4, "every entry kept")
			var keys, notes []string
			for k, v := range contacts {
				keys = append(keys, k)
				notes = append(notes, v.(map[string]any)["note"].(string))
				assert.False(t, containsAny(k, raws), "a key keeps a raw value")
			}
			sort.Strings(notes)
			assert.Equal(t, []string{"a", "b", "c", "d"}, notes, "the values under the keys")
			assert.Contains(t, keys, "138****8000")
			assert.Contains(t, keys, "138****8000#2", "keys masked alike are kept apart")
			assert.Contains(t, keys, "z****.***@example.com")
			assert.Equal(t, want[0]["attrs"], got[0]["attrs"], "keys that are field names stay")
			assert.Equal(t, want[1], got[1], "a record without personal data is unchanged")

			dec, err := ocf.NewDecoder(bytes.NewReader(out))
			require.NoError(t, err)
			md := dec.Metadata()
			assert.Equal(t, kvOwnerRedacted, string(md["source.owner"]))
			assert.Equal(t, "accounts_2024", string(md["source.table"]))
			assert.Equal(t, "13912345678", string(md["avro.test"]), "a reserved entry is kept as it is")

			// What redact replaced, per data type, is what a scan of the
			// source reports.
			src := filepath.Join(t.TempDir(), "src")
			require.NoError(t, os.MkdirAll(src, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(src, "keyed.avro"), in, 0o644))
			scanned := map[string]int64{}
			for _, f := range rescan(t, src) {
				scanned[f.DataType]++
			}
			assert.Equal(t, map[string]int64{"cn_mobile": 3, "email": 2, "cn_resident_id": 1}, scanned)
			assert.Equal(t, scanned, tally.ByDataType)
			for _, fd := range rescan(t, dst) {
				assert.NotContains(t, []string{"S3", "S4"}, fd.Sensitivity, "%s %s", fd.DataType, *fd.Field)
			}
		})
	}
}

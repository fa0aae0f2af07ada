package scanner_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// avroKeyedSchema is a table keyed as exports often are: a map keyed by
// phone number, e-mail or ID number, and a map keyed by field names.
const avroKeyedSchema = `{"type":"record","name":"account","fields":[
 {"name":"id","type":"long"},
 {"name":"contacts","type":{"type":"map","values":{"type":"record","name":"contact","fields":[{"name":"note","type":"string"}]}}},
 {"name":"attrs","type":{"type":"map","values":"string"}}]}`

// avroKeyedOwner is free text with an e-mail and a mobile number in the
// header's user metadata.
const avroKeyedOwner = "zhang.san@example.com tel 13812348000"

// avroKeyed writes two records whose contacts are keyed by personal
// values, with user metadata (and a reserved avro.* key holding a number,
// which is framing and not read).
func avroKeyed(t testing.TB, meta bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	opts := []ocf.EncoderFunc{ocf.WithCodec(ocf.Deflate)}
	if meta {
		opts = append(opts, ocf.WithMetadata(map[string][]byte{
			"source.owner": []byte(avroKeyedOwner),
			"source.table": []byte("accounts"),
			"avro.test":    []byte("13912345678"),
		}))
	}
	enc, err := ocf.NewEncoder(avroKeyedSchema, &buf, opts...)
	require.NoError(t, err)
	recs := []map[string]any{
		{"id": int64(1), "contacts": map[string]any{
			"13812348000":           map[string]any{"note": "n/a"},
			"zhang.san@example.com": map[string]any{"note": "n/a"},
		}, "attrs": map[string]any{"v2": "a", "2024": "b", "phone": "c"}},
		{"id": int64(2), "contacts": map[string]any{
			"11010519491231002X": map[string]any{"note": "n/a"},
		}, "attrs": map[string]any{}},
	}
	for _, r := range recs {
		require.NoError(t, enc.Encode(r))
	}
	require.NoError(t, enc.Close())
	return buf.Bytes()
}

// TestAvroMapKeys: map keys holding personal values are read as values at
// the map's path, in the record of the map, as JSON keys are; the user
// metadata's values after the records, field avro.meta.<key>, no record;
// field names with digits, reserved avro.* entries and metadata keys are
// not reported.
func TestAvroMapKeys(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"keyed.avro": avroKeyed(t, true), "rows.avro": avroKeyed(t, false)}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	type hit struct {
		Type, Field string
		Record      int64
	}
	hits := func(name string) []hit {
		r := sink.ByName(name)
		require.NotNil(t, r)
		require.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
		var out []hit
		for _, l := range locs(r) {
			out = append(out, hit{l.Type, l.Field, l.Record})
		}
		// hamba/avro writes a Go map's keys in no fixed order.
		slices.SortFunc(out, func(a, b hit) int {
			return strings.Compare(a.Field+a.Type, b.Field+b.Type)
		})
		return out
	}
	rows := []hit{
		{"cn_mobile", "contacts", 0},
		{"email", "contacts", 0},
		{"cn_resident_id", "contacts", 1},
	}
	slices.SortFunc(rows, func(a, b hit) int { return strings.Compare(a.Field+a.Type, b.Field+b.Type) })
	assert.Equal(t, rows, hits("rows.avro"))
	want := append([]hit{
		{"cn_mobile", "avro.meta.source.owner", -1},
		{"email", "avro.meta.source.owner", -1},
	}, rows...)
	assert.Equal(t, want, hits("keyed.avro"))

	// The metadata follows the records, whose offsets are those of the
	// file without metadata.
	r := sink.ByName("keyed.avro")
	var last int64
	for _, f := range sink.ByName("rows.avro").Findings {
		last = max(last, f.ByteOffset)
	}
	n := 0
	for _, f := range r.Findings {
		if strings.HasPrefix(*f.Field, "avro.meta.") {
			n++
			assert.Nil(t, f.Record)
			assert.Greater(t, f.ByteOffset, last, "after the records")
		}
	}
	assert.Equal(t, 2, n)
}

// TestAvroDataKeyPaths: the values under a map key that is data (a phone
// number, an e-mail, user_10001, 2024) share the map's [*], as JSON writes
// such members *, so that a path never spells a key; keys that are field
// names stay in the path.
func TestAvroDataKeyPaths(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(avroKeyedSchema, &buf)
	require.NoError(t, err)
	require.NoError(t, enc.Encode(map[string]any{"id": int64(1),
		"contacts": map[string]any{
			"13812348000":           map[string]any{"note": "tel 13912345678"},
			"zhang.san@example.com": map[string]any{"note": "tel 13912345679"},
			"user_10001":            map[string]any{"note": "tel 13912345670"},
			"work":                  map[string]any{"note": "tel 13912345671"},
		},
		"attrs": map[string]any{"2024": "13912345672", "phone": "13912345673"}}))
	require.NoError(t, enc.Close())
	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"a.avro": buf.Bytes()}}, scanner.Config{Workers: 1})
	r := sink.ByName("a.avro")
	require.Equal(t, scanner.StatusComplete, r.Status, "%v", r.Err)
	fields := map[string]int{}
	for _, f := range r.Findings {
		if f.DataType == "cn_mobile" {
			fields[*f.Field]++
		}
	}
	assert.Equal(t, map[string]int{
		"contacts":           1, // the key itself
		"contacts[*].note":   3,
		"contacts.work.note": 1,
		"attrs[*]":           1,
		"attrs.phone":        1,
	}, fields)
}

// TestAvroMetadataDamaged: the header is in memory before the blocks, so
// its metadata is read when the blocks are cut short or over
// --max-decoded-size.
func TestAvroMetadataDamaged(t *testing.T) {
	t.Parallel()
	whole := avroKeyed(t, true)
	files := map[string][]byte{"cut.avro": whole[:len(whole)-20]}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	over := run(t, &scannertest.MemSource{Files: map[string][]byte{"big.avro": whole}}, scanner.Config{Workers: 1, MaxDecodedSize: 16})
	for _, r := range []*scanner.ObjectResult{sink.ByName("cut.avro"), over.ByName("big.avro")} {
		require.NotNil(t, r)
		assert.NotEqual(t, scanner.StatusComplete, r.Status, r.Info.Name)
		var got []string
		for _, f := range r.Findings {
			if strings.HasPrefix(*f.Field, "avro.meta.") {
				got = append(got, f.DataType+" "+*f.Field)
			}
		}
		assert.Equal(t, []string{"email avro.meta.source.owner", "cn_mobile avro.meta.source.owner"}, got, r.Info.Name)
	}
}

package avrofile_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner/avrofile"
)

const schema = `{"type":"record","name":"r","fields":[{"name":"phone","type":"string"}]}`

// file writes n records with codec, blockLen records a block.
func file(t *testing.T, n int, codec ocf.CodecName, blockLen int) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(schema, &buf, ocf.WithCodec(codec), ocf.WithBlockLength(blockLen))
	require.NoError(t, err)
	for range n {
		require.NoError(t, enc.Encode(map[string]any{"phone": strings.Repeat("1", 100)}))
	}
	require.NoError(t, enc.Close())
	return buf.Bytes()
}

// read reads a file's datums; it returns their count and the error.
func read(t *testing.T, b []byte, lim avrofile.Limits) (int, error) {
	t.Helper()
	br := bufio.NewReader(bytes.NewReader(b))
	h, err := avrofile.ReadHeader(br)
	if err != nil {
		return 0, err
	}
	if lim.Unpacked == nil {
		lim = avrofile.Limits{Unpacked: new(int64), MaxDecoded: 1 << 30, MaxRatio: 1000}
	}
	r := avrofile.NewReader(br, h, lim)
	defer r.Close()
	n := 0
	err = r.Datums(context.Background(), func() error {
		r.Values.ReadBytes()
		n++
		if r.Err() != nil {
			return r.Err()
		}
		return r.Values.Error
	})
	return n, err
}

func kindOf(err error) avrofile.Kind {
	var e *avrofile.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return -1
}

func TestDatums(t *testing.T) {
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard} {
		t.Run(string(codec), func(t *testing.T) {
			n, err := read(t, file(t, 10, codec, 3), avrofile.Limits{})
			require.NoError(t, err)
			assert.Equal(t, 10, n)
		})
	}
}

func TestErrors(t *testing.T) {
	whole := file(t, 10, ocf.Deflate, 3)
	tests := []struct {
		name string
		b    []byte
		lim  avrofile.Limits
		kind avrofile.Kind
		msg  string
	}{
		{"magic", []byte("Obj\x02"), avrofile.Limits{}, avrofile.Malformed, "bad magic"},
		{"header", whole[:20], avrofile.Limits{}, avrofile.Malformed, "bad metadata"},
		{"sync", whole[:len(whole)-1], avrofile.Limits{}, avrofile.Malformed, "block 3: bad sync marker"},
		{"decoded", whole, avrofile.Limits{Unpacked: new(int64), MaxDecoded: 500, MaxRatio: 1000}, avrofile.Limit,
			"avro blocks decode to over 500 bytes (--max-decoded-size)"},
		{"codec", header(t, "lz4"), avrofile.Limits{}, avrofile.Unsupported, "lz4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := read(t, tt.b, tt.lim)
			require.Error(t, err)
			assert.Equal(t, tt.kind, kindOf(err))
			assert.Equal(t, "avro: "+tt.msg, err.Error())
		})
	}
}

// header is a header with codec and a metadata key given twice.
func header(t *testing.T, codec string) []byte {
	t.Helper()
	str := func(b []byte, s string) []byte { return append(binary.AppendVarint(b, int64(len(s))), s...) }
	b := append([]byte(nil), avrofile.Magic...)
	b = binary.AppendVarint(b, 3)
	b = str(str(b, "avro.schema"), schema)
	b = str(str(b, "avro.codec"), "null")
	b = str(str(b, "avro.codec"), codec)
	b = binary.AppendVarint(b, 0)
	return append(b, "0123456789abcdef"...)
}

func TestHeaderRepeatedKey(t *testing.T) {
	h, err := avrofile.ReadHeader(bufio.NewReader(bytes.NewReader(header(t, "deflate"))))
	require.NoError(t, err)
	assert.Len(t, h.Meta, 2)
	assert.Equal(t, "deflate", h.Codec)
	assert.Equal(t, "0123456789abcdef", string(h.Sync[:]))
}

func TestTree(t *testing.T) {
	s := avro.MustParse(`{"type":"map","values":"string"}`)
	tr := avrofile.NewTree(s)
	ms := s.(*avro.MapSchema)
	n := tr.KeyKid(tr.Root, ms.Values(), []byte("phone"))
	assert.Equal(t, "phone", n.Path)
	assert.Same(t, n, tr.KeyKid(tr.Root, ms.Values(), []byte("phone")))
	assert.Equal(t, "[*]", tr.KeyKid(tr.Root, ms.Values(), bytes.Repeat([]byte("k"), 65)).Path)
	assert.Equal(t, "13812348000", tr.KeyKid(tr.Root, ms.Values(), []byte("13812348000")).Path, "without DataKey")
	tr = avrofile.NewTree(s)
	tr.DataKey = func(k []byte) bool { return bytes.IndexByte(k, '@') >= 0 }
	assert.Equal(t, "[*]", tr.KeyKid(tr.Root, ms.Values(), []byte("a@b.cn")).Path, "a key that is data is no path")
	assert.Equal(t, "phone", tr.KeyKid(tr.Root, ms.Values(), []byte("phone")).Path)
	assert.Equal(t, "a.b", avrofile.Join("a", "b"))
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		b     []byte
		scale int32
		want  string
	}{
		{[]byte{0x30, 0x39}, 2, "123.45"},
		{[]byte{0xcf, 0xc7}, 2, "-123.45"},
		{[]byte{0x05}, 3, "0.005"},
		{[]byte{0xff}, 0, "-1"},
		{nil, 2, "0.00"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(avrofile.AppendDecimal(nil, avrofile.TwosComplement(tt.b), tt.scale)))
	}
	assert.Equal(t, "7", string(avrofile.AppendDecimal(nil, big.NewInt(7), 65)))
	// Moved from scanner's TestDecimal (Parquet decimals use these too).
	assert.Equal(t, "12.34", string(avrofile.AppendDecimal(nil, big.NewInt(1234), 2)))
	assert.Equal(t, "-0.05", string(avrofile.AppendDecimal(nil, big.NewInt(-5), 2)))
	assert.Equal(t, "7", string(avrofile.AppendDecimal(nil, big.NewInt(7), 0)))
	assert.Equal(t, "-1", avrofile.TwosComplement([]byte{0xff}).String())
	assert.Equal(t, "255", avrofile.TwosComplement([]byte{0x00, 0xff}).String())
}

package redact

import (
	"bufio"
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStripImage(t *testing.T) {
	t.Parallel()
	var plain bytes.Buffer
	require.NoError(t, jpeg.Encode(&plain, image.NewGray(image.Rect(0, 0, 8, 8)), nil))
	p := plain.Bytes()
	withExif := append(append(bytes.Clone(p[:2]), exifAPP1(1)...), p[2:]...)
	// Entropy-coded data with a stuffed 0xFF and a restart marker, which
	// are data, not segments.
	scan := append([]byte{0xFF, 0xD8}, segment(0xDA, []byte{1, 1, 0, 0, 63, 0})...)
	scan = append(scan, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD9)
	scanOut := append(bytes.Clone(scan[:len(scan)-3]), 0xFF, 0xD9) // the fill byte goes
	pngText := pngImage(t, "GPS 39.9042,116.4074")
	tests := []struct {
		name    string
		in      []byte
		want    []byte // nil: an error
		removed bool
	}{
		{name: "jpeg without metadata", in: p, want: p},
		{name: "exif, orientation 1: nothing kept", in: withExif, want: p, removed: true},
		{name: "stuffed bytes and restart markers", in: scan, want: scanOut},
		{name: "jpeg with bytes after it", in: append(bytes.Clone(p), "trailer"...), want: p, removed: true},
		{name: "truncated jpeg", in: p[:len(p)/2]},
		{name: "png text chunk", in: pngText, want: pngImage(t, ""), removed: true},
		{name: "png with bytes after it", in: append(pngImage(t, ""), "trailer"...), want: pngImage(t, ""), removed: true},
		{name: "truncated png", in: pngText[:40]},
		{name: "not a picture", in: []byte("GIF89a")},
		{name: "empty", in: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			w := bufio.NewWriter(&out)
			removed, err := stripImage(bufio.NewReader(bytes.NewReader(tt.in)), w)
			require.NoError(t, w.Flush())
			if tt.want == nil {
				assert.ErrorIs(t, err, errBadImage)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, out.Bytes())
			assert.Equal(t, tt.removed, removed)
		})
	}
}

func TestExifOrientation(t *testing.T) {
	t.Parallel()
	app1 := exifAPP1(8)
	assert.Equal(t, 8, exifOrientation(app1[4:]))
	assert.Equal(t, 6, exifOrientation(orientationAPP1(6)[4:]), "the block written in its place reads back")
	assert.Zero(t, exifOrientation([]byte("Exif\x00\x00MM\x00\x2a\xff\xff\xff\xff")), "IFD0 out of range")
	assert.Zero(t, exifOrientation([]byte("http://ns.adobe.com/xap/1.0/\x00")))
}

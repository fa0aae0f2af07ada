package scanner_test

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// fmrRecord builds an ISO/IEC 19794-2:2005 finger minutiae record (as
// benchmarks/corpus does): a 24-byte header ("FMR\0", version, record
// length, capture device, image size and resolution, one view) and a
// finger view of n minutiae, with an empty extended data block.
func fmrRecord(version string, n int) []byte {
	length := 24 + 4 + 6*n + 2
	b := append([]byte("FMR\x00"), version...)
	b = binary.BigEndian.AppendUint32(b, uint32(length))
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint16(b, 300)
	b = binary.BigEndian.AppendUint16(b, 400)
	b = append(b, 0, 197, 0, 197, 1, 0)
	b = append(b, 1, 0, 60, byte(n))
	for i := range n {
		b = binary.BigEndian.AppendUint16(b, 1<<14|uint16(i*13%300))
		b = binary.BigEndian.AppendUint16(b, uint16(i*29%400))
		b = append(b, byte(i*37), 60)
	}
	return append(b, 0, 0)
}

// TestRawFingerprintTemplate checks that a file holding a raw finger
// minutiae record is scanned (format fmr) and reported as a fingerprint
// template, alone or compressed; a file that starts "FMR\0" without a
// template version is still binary.
func TestRawFingerprintTemplate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		data   []byte
		format string
		status scanner.Status
		found  int
	}{
		{"finger.fmr", fmrRecord(" 20\x00", 20), "fmr", scanner.StatusComplete, 1},
		{"finger.bin", fmrRecord(" 20\x00", 40), "fmr", scanner.StatusComplete, 1},
		{"template", fmrRecord("030\x00", 12), "fmr", scanner.StatusComplete, 1},
		{"finger.fmr.gz", gz(t, string(fmrRecord(" 20\x00", 20))), "gzip/fmr", scanner.StatusComplete, 1},
		{"other.bin", []byte("FMR\x00garbage\x00\x01\x02\x03"), "binary", scanner.StatusSkipped, 0},
		{"b64.txt", []byte("template Rk1SACAyMAAAAADkAAABPAFiAMUAxQEAAAAoJ0CQAHQf\n"), "text", scanner.StatusComplete, 1},
	}
	files := map[string][]byte{}
	for _, tc := range cases {
		files[tc.name] = tc.data
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sink.ByName(tc.name)
			require.NotNil(t, r)
			assert.Equal(t, tc.format, r.Format)
			assert.Equal(t, tc.status, r.Status)
			n := 0
			for _, l := range locs(r) {
				assert.Equal(t, "fingerprint_template", l.Type)
				n++
			}
			assert.Equal(t, tc.found, n)
		})
	}
}

package sinks

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// spySink records how many findings each result carried in memory and in
// its Spill before handing it to the Parquet sink.
type spySink struct {
	*Parquet
	inMemory, spilled int64
}

func (s *spySink) WriteObject(ctx context.Context, r *scanner.ObjectResult) error {
	s.inMemory += int64(len(r.Findings))
	s.spilled += r.Spill.Count()
	return s.Parquet.WriteObject(ctx, r)
}

// TestParquetSpill drives the spill path through scanner.Run, since a
// scanner.Spill cannot be built outside package scanner: the same object
// scanned with and without spilling must give the same findings rows, and
// the sink must remove the spill file.
func TestParquetSpill(t *testing.T) {
	t.Parallel()
	b, err := rules.Builtin()
	require.NoError(t, err)
	rs, err := rules.Merge(b)
	require.NoError(t, err)
	eng, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("test-key"), AsOf: scannedAt})
	require.NoError(t, err)

	// Synthetic addresses at the reserved example.com domain.
	var text strings.Builder
	const n = 7
	for i := range n {
		fmt.Fprintf(&text, "contact: user%d@example.com\n", i)
	}
	src := &scannertest.MemSource{Files: map[string][]byte{"contacts.txt": []byte(text.String())}}

	tests := []struct {
		name        string
		spillAt     int
		wantSpilled bool
	}{
		{"in memory", 1000, false},
		{"spilled", 3, true},
	}
	var rows [][]scanner.Finding
	for _, tt := range tests {
		root, spillDir := t.TempDir(), t.TempDir()
		p, err := NewParquet(testConfig(root))
		require.NoError(t, err)
		sink := &spySink{Parquet: p}
		cfg := scanner.Config{ScanID: testScan, Workers: 1, SpillAt: tt.spillAt, TempDir: spillDir}
		_, err = scanner.Run(t.Context(), cfg, src, eng, sink)
		require.NoError(t, err, tt.name)
		require.NoError(t, sink.Close(), tt.name)

		assert.Equal(t, tt.wantSpilled, sink.spilled > 0, "%s: spill used", tt.name)
		assert.Equal(t, int64(n), sink.inMemory+sink.spilled, tt.name)
		left, err := os.ReadDir(spillDir)
		require.NoError(t, err)
		assert.Empty(t, left, "%s: the sink closes the spill", tt.name)

		findings, objects := p.Paths()
		got := readRows[scanner.Finding](t, findings)
		require.Len(t, got, n, tt.name)
		for i := 1; i < len(got); i++ {
			assert.Less(t, got[i-1].ByteOffset, got[i].ByteOffset, "%s: offset order survives the spill", tt.name)
		}
		objs := readRows[scanner.ObjectRow](t, objects)
		require.Len(t, objs, 1)
		assert.Equal(t, int64(n), objs[0].Findings, tt.name)
		assert.Equal(t, int64(n), p.Tally().Findings, tt.name)
		for i := range got {
			got[i].ScannedAt = scannedAt // the scan time differs between runs
		}
		rows = append(rows, got)
	}
	assert.Equal(t, rows[0], rows[1], "spilled and in-memory findings are the same rows")
}

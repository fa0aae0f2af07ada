package scanner

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAddFindingGrowth: an object's findings slice doubles as it grows (a
// handful of copies, not the dozen of append's quarter steps for slices
// this large) and never holds more than SpillAt findings.
func TestAddFindingGrowth(t *testing.T) {
	t.Parallel()
	const spillAt = 5000
	w := &worker{cfg: &Config{SpillAt: spillAt}}
	o := &objectScan{w: w}
	moves := 0
	var first *Finding
	for i := range spillAt - 1 {
		o.addFinding(Finding{ByteOffset: int64(i)})
		if &o.findings[0] != first {
			first = &o.findings[0]
			moves++
		}
		assert.LessOrEqual(t, cap(o.findings), spillAt, "never more room than the spill threshold")
	}
	// 64, 128, ..., 4096, then the rest up to 5000: eight arrays.
	assert.LessOrEqual(t, moves, 8, "the slice doubles")
	assert.Len(t, o.findings, spillAt-1)
	assert.Equal(t, int64(spillAt-2), o.findings[spillAt-2].ByteOffset)
	assert.Nil(t, o.spill, "below the threshold nothing is spilled")
}

// A findings slice goes back to the pool with nothing set past its length,
// even after spills emptied and refilled it: recycleFindings clears only
// up to the length, and a stale finding would pin its strings.
func TestRecycledFindingsHoldNothing(t *testing.T) {
	w := &worker{cfg: &Config{SpillAt: 5, TempDir: t.TempDir()}}
	o := &objectScan{w: w, findings: make([]Finding, 0, 8)}
	for i := range 12 { // spills at 5 and 10, leaves 2
		o.addFinding(Finding{DataType: "cn_mobile", MaskedValue: fmt.Sprintf("138****%04d", i)})
	}
	require.NotNil(t, o.spill)
	defer o.spill.Close()
	require.Len(t, o.findings, 2)
	r := &ObjectResult{Findings: o.findings}
	full := o.findings[:cap(o.findings)]
	recycleFindings(r)
	for i, f := range full {
		require.Equal(t, Finding{}, f, "element %d of the backing array", i)
	}
}

func TestObjectVersion(t *testing.T) {
	mt := time.Date(2026, 11, 24, 5, 0, 0, 123, time.UTC)
	assert.Equal(t, fmt.Sprintf("%d-%d", 640, mt.UnixNano()), ObjectInfo{Size: 640, ModTime: mt}.Version())
	assert.Equal(t, "0-"+fmt.Sprint(time.Unix(0, 0).UnixNano()), ObjectInfo{ModTime: time.Unix(0, 0)}.Version())
	assert.Equal(t, "E1", ObjectInfo{Size: 3, ETag: "E1"}.Version())
	assert.Empty(t, ObjectInfo{Size: -1}.Version())
}

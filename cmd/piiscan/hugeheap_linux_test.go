//go:build linux

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vmFlags returns the VmFlags of the mapping holding addr, from
// /proc/self/smaps ("hg": marked with MADV_HUGEPAGE).
func vmFlags(t *testing.T, addr uintptr) []string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	require.NoError(t, err)
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Fields(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("no mapping holds %#x", addr)
	return nil
}

// mappingRange parses the range of a mapping's first smaps line
// ("7f..-7f.. rw-p ...").
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	r, _, found := strings.Cut(line, " ")
	a, b, dash := strings.Cut(r, "-")
	if !found || !dash {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}

func addrOf(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// The heap allocated before hugeHeap, and what the scan allocates after
// it (once a collection has freed the block), sit in mappings marked for
// huge pages. Runs where the system's mode is "madvise" (Debian's), in a
// process of its own: a scan calls hugeHeap on a young heap, not on one
// that other tests have grown over several arenas.
func TestHugeHeapMarksTheHeap(t *testing.T) {
	if !thpAdvised() {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	if os.Getenv("PIISCAN_HUGEHEAP_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHugeHeapMarksTheHeap$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PIISCAN_HUGEHEAP_CHILD=1", "GODEBUG=")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "PASS")
		return
	}
	before := make([]byte, 64<<10)
	hugeHeap(2)
	assert.Contains(t, vmFlags(t, addrOf(before)), "hg", "the heap allocated before")
	runtime.GC() // frees the block, as the scan's first collection does
	marked := 0
	var keep [][]byte
	for range 64 {
		b := make([]byte, 256<<10)
		keep = append(keep, b)
		if strings.Contains(strings.Join(vmFlags(t, addrOf(b)), " "), "hg") {
			marked++
		}
	}
	assert.Equal(t, len(keep), marked, "allocations after the block is freed come from marked pages")
	runtime.KeepAlive(before)
}

func TestHugeHeapModes(t *testing.T) {
	dir := t.TempDir()
	old := thpModeFile
	t.Cleanup(func() { thpModeFile = old })
	for mode, want := range map[string]bool{
		"always [madvise] never\n": true,
		"[always] madvise never\n": false, // the heap has huge pages already
		"always madvise [never]\n": false,
	} {
		thpModeFile = filepath.Join(dir, "enabled")
		require.NoError(t, os.WriteFile(thpModeFile, []byte(mode), 0o644))
		assert.Equal(t, want, thpAdvised(), mode)
	}
	thpModeFile = filepath.Join(dir, "missing") // no THP in this kernel
	assert.False(t, thpAdvised())
}

//go:build linux

package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Transparent huge pages for the scan's heap.
//
// A scan's heap grows to a few tens of MiB in its first second (each
// worker's windows and record batches, the findings of the objects in
// flight, the Parquet row group being built) and every 4 KiB page of it
// is faulted in once: about 9,000 page faults on the 95 MB bench corpus,
// against rg's 460 for the whole run, and with two workers the faults of
// both threads contend for the same address space.
//
// Debian and Ubuntu ship transparent huge pages in "madvise" mode, where
// only memory a program marks with madvise(MADV_HUGEPAGE) gets 2 MiB
// pages, and Go's runtime marks none of the heap (go.dev/doc/gc-guide,
// "Linux transparent huge pages", leaves the choice to operators). So
// hugeHeap marks it. The runtime maps heap memory with mmap(MAP_FIXED) as
// the heap grows, which drops any mark on that range, so hugeHeap first
// has the runtime map enough for the whole scan: it allocates one large
// block (never written, so it costs no memory), marks the heap arena from
// its start through the block, and drops the block for the next
// collection to free. The scan's objects are then allocated from those
// pages: one 2 MiB fault replaces 512 small ones.
//
// Measured on the bench corpus (2 cores, alternating runs): page faults
// 10,400 to 3,600 at one worker and 13,200 to 3,200 at two; wall time
// about 3% lower at one worker and 5% lower at two (31 runs each, medians
// 264 to 257 ms and 178 to 169 ms); peak RSS 58 to 61 MiB at one
// worker, 66 to 71 at two and 75 to 89 at four (memory is taken in 2 MiB
// steps). The block and the collection it causes cost an empty scan about
// a millisecond.
//
// Nothing else changes: the memory is the same Go heap, with the same
// contents, merely backed by larger pages. hugeHeap does nothing when
// the system's mode is "always" (the heap already gets huge pages) or
// "never", and nothing with GODEBUG=disablethp=1, Go's own switch for
// systems where huge pages hurt: with the kernel's default defrag setting
// a fault in marked memory may compact memory to find a free huge page,
// which can stall on a host whose memory is badly fragmented.

const (
	hugePage  = 2 << 20  // x86-64 and arm64 (4 KiB base pages)
	heapArena = 64 << 20 // runtime.heapArenaBytes on 64-bit Linux
)

// thpModeFile holds the system's transparent huge page mode.
var thpModeFile = "/sys/kernel/mm/transparent_hugepage/enabled"

// hugeHeapOnce: the heap is marked once per process (tests run many
// scans in one, and two calls at once would restore each other's
// collector setting).
var hugeHeapOnce sync.Once

// hugeHeap backs the heap with transparent huge pages, sized for a scan
// with the given number of workers (see above).
func hugeHeap(workers int) {
	if !thpAdvised() || strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return
	}
	hugeHeapOnce.Do(func() { markHeap(workers) })
}

func markHeap(workers int) {
	size := min(32<<20+16<<20*max(workers, 1), 256<<20)
	// No collection may start while the block is live: it would set the
	// next heap goal from it.
	prev := debug.SetGCPercent(-1)
	block := make([]byte, size)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(block)))
	beg := p &^ (heapArena - 1) // the heap allocated before the block
	end := (p + uintptr(size)) &^ (hugePage - 1)
	// Best effort: an error (an old kernel, a hole in the range) leaves
	// the heap as it was.
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, beg, end-beg, unix.MADV_HUGEPAGE)
	runtime.KeepAlive(block)
	block = nil
	// The block is garbage when collections resume: the first one frees
	// it (concurrently; a forced collection here took 1.5 to 6 ms).
	debug.SetGCPercent(prev)
}

// thpAdvised reports whether transparent huge pages are in "madvise" mode.
func thpAdvised() bool {
	b, err := os.ReadFile(thpModeFile)
	return err == nil && strings.Contains(string(b), "[madvise]")
}

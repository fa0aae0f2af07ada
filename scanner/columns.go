package scanner

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// lineIndex gives the line and 1-based character column of a stream offset
// held in a parser's window, worked out only when a finding asks for it.
// Values are ~100,000 per MB and findings a few hundred, so a value records
// only its offset; the index keeps where the lines of the window start (the
// parser adds each line break it passes) and what it needs about the line
// the window starts in. UTF-8 continuation bytes (10xxxxxx), which make the
// byte and character columns differ, are counted in the window's bytes at
// the time of asking.
type lineIndex struct {
	starts []int64 // offsets where a line starts inside the window, ascending
	last   int64   // the last start added (it may have left the window)
	line   int64   // 1-based line of the window's first byte
	ls     int64   // offset where that line starts (at or before the window)
	cont   int64   // continuation bytes in [ls, window start)
	// The last answer: findings come in offset order, so the next one on
	// the same line counts on from here (a 100 MB one-line JSON document
	// is then counted once, not once per finding).
	memoLS, memoAt, memoCont int64
}

func newLineIndex() lineIndex { return lineIndex{line: 1, memoLS: -1} }

// add records that a line starts at stream offset start (the byte after a
// line break). Starts come in order; a repeat is ignored.
func (l *lineIndex) add(start int64) {
	if start > l.last {
		l.starts = append(l.starts, start)
		l.last = start
	}
}

// current is the line of the parser's position: the lines started so far.
func (l *lineIndex) current() int64 { return l.line + int64(len(l.starts)) }

// discard settles the index for raw (the stream bytes from base) leaving
// the front of the window: the lines they hold are counted, and the
// continuation bytes of the line running on past them are carried.
func (l *lineIndex) discard(raw []byte, base int64) {
	end := base + int64(len(raw))
	k := 0
	for k < len(l.starts) && l.starts[k] <= end {
		k++
	}
	if k > 0 {
		l.line += int64(k)
		l.ls = l.starts[k-1]
		l.cont = int64(countCont(raw[l.ls-base:]))
		l.starts = l.starts[:copy(l.starts, l.starts[k:])]
	} else {
		l.cont += int64(countCont(raw))
	}
	l.memoLS = -1
}

// at returns the line and character column of pos, a stream offset in
// raw (the window's bytes, from stream offset base). Every line start at
// or before pos must have been added.
func (l *lineIndex) at(raw []byte, base, pos int64) (line, col int64) {
	k, _ := slices.BinarySearch(l.starts, pos+1) // starts at or before pos
	ls, from, c := l.ls, base, l.cont
	if k > 0 {
		ls, from, c = l.starts[k-1], l.starts[k-1], 0
	}
	if l.memoLS == ls && l.memoAt <= pos && l.memoAt >= from {
		from, c = l.memoAt, l.memoCont
	}
	c += int64(countCont(raw[from-base : pos-base]))
	l.memoLS, l.memoAt, l.memoCont = ls, pos, c
	return l.line + int64(k), pos - ls - c + 1
}

// countCont counts UTF-8 continuation bytes (10xxxxxx), eight at a time;
// a word of ASCII costs a load and a test.
func countCont(b []byte) int {
	n := 0
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if w&0x8080808080808080 == 0 {
			continue
		}
		// top bit set and next bit clear
		n += bits.OnesCount64(w & 0x8080808080808080 &^ (w << 1))
	}
	for ; i < len(b); i++ {
		if b[i]&0xC0 == 0x80 {
			n++
		}
	}
	return n
}

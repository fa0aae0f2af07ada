package scanner

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/bits"
)

// window is the CSV and JSON parsers' buffer over a decoded text stream:
// buf[:n] holds the stream bytes [off, off+n). Bytes leave the front only
// when nothing needs them any more: the parser keeps the token it is on,
// and the record batch keeps the values whose line and column have not
// been worked out yet (they are, lazily, from these very bytes; see
// lineIndex). The window grows to hold a batch's worth of input and, at
// windowMax, settles the batch's locations instead so memory stays bounded.
type window struct {
	ctx   context.Context
	r     io.Reader
	buf   []byte
	n     int
	off   int64 // stream offset of buf[0]
	eof   bool  // no more input (or a read error, or cancellation, in err)
	err   error
	lines lineIndex
	b     *batch // holds bytes for its pending locations; may be nil
}

// Window sizes: a parser's token never needs more than maxInline+1 bytes
// (longer values are streamed piece by piece), so windowMin holds one with
// room to read; a batch of 256 KiB of values usually spans well under
// windowMax of input.
const (
	windowMin = 2 * (maxInline + 64)
	windowMax = 4 << 20
)

// init readies a window over r; b, if not nil, keeps its pending
// locations' bytes in it. spare, if large enough, becomes the buffer (a
// worker's from its last object; see worker.winBuf).
func (w *window) init(ctx context.Context, r io.Reader, b *batch, spare []byte) {
	buf := spare[:cap(spare)]
	if len(buf) < windowMin {
		buf = make([]byte, windowMin)
	}
	*w = window{ctx: ctx, r: r, buf: buf, lines: newLineIndex(), b: b}
	if b != nil {
		b.win = w
	}
}

// more reads more input after dropping the bytes before buf[keep] that
// nothing else holds. It returns how far the kept bytes moved down (the
// caller shifts its indexes by it) and whether any input arrived.
func (w *window) more(keep int) (int, bool) {
	if w.eof {
		return 0, false
	}
	if err := w.ctx.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		w.eof, w.err = true, err
		return 0, false
	}
	// After the object's timeout the reads go on: what the readers hold
	// (the sniffer's buffer, which a read that stalled filled) comes
	// first, then the timeout as the read error, and the parser scans
	// what came (objectScan.drain).
	d := w.drop(keep)
	if d > 0 {
		w.lines.discard(w.buf[:d], w.off)
		w.n = copy(w.buf, w.buf[d:w.n])
		w.off += int64(d)
	}
	got := false
	for empty := 0; w.n < len(w.buf); {
		m, err := w.r.Read(w.buf[w.n:])
		w.n += m
		got = got || m > 0
		if err != nil {
			w.eof = true
			if !errors.Is(err, io.EOF) {
				w.err = err
			}
			break
		}
		if m == 0 {
			if empty++; empty > 100 {
				w.eof, w.err = true, io.ErrNoProgress
				break
			}
		}
	}
	return d, got
}

// drop decides how many bytes leave the front, growing the buffer when
// what stays would leave less than half of it to read into.
func (w *window) drop(keep int) int {
	d := keep
	if w.b != nil {
		if h := w.b.hold() - w.off; h < int64(d) {
			d = int(max(h, 0))
		}
	}
	if w.n-d <= len(w.buf)/2 {
		return d
	}
	if len(w.buf) < windowMax {
		w.grow(2 * len(w.buf))
		return d
	}
	// Full at the cap: work the batch's pending locations out now, so
	// their bytes can go.
	if w.b != nil && d < keep {
		w.b.settle(w.off + int64(keep))
		d = keep
	}
	if w.n-d == len(w.buf) {
		w.grow(2 * len(w.buf)) // never reached: tokens are short
	}
	return d
}

func (w *window) grow(size int) {
	nb := make([]byte, min(size, math.MaxInt32))
	copy(nb, w.buf[:w.n])
	w.buf = nb
}

// at returns the line and 1-based character column of stream offset pos,
// which the window still holds.
func (w *window) at(pos int64) (int64, int64) {
	return w.lines.at(w.buf[:w.n], w.off, pos)
}

// nextByte caches the index of the next occurrence of one byte in a
// window, so that a search over a row or a line is done once and not once
// per value. from is where the cached search began; after a refill the
// cache is reset.
type nextByte struct{ at, from int }

// find returns the index of the first c in buf at or after x, or len(buf).
func (nb *nextByte) find(buf []byte, x int, c byte) int {
	if nb.from <= x && nb.at >= x {
		return nb.at
	}
	return nb.search(buf, x, c)
}

// search is find's slow half, kept out of line so that find inlines.
//
//go:noinline
func (nb *nextByte) search(buf []byte, x int, c byte) int {
	j := indexByteFrom(buf, x, c)
	nb.at, nb.from = j, x
	return j
}

func (nb *nextByte) reset() { nb.from = math.MaxInt }

// indexByteFrom is bytes.IndexByte from x, answering len(buf) for none.
func indexByteFrom(buf []byte, x int, c byte) int {
	if j := bytes.IndexByte(buf[x:], c); j >= 0 {
		return x + j
	}
	return len(buf)
}

// quoteFrom returns the index of the first '"' in buf at or after x, or
// len(buf). Keys and short values end within a word or two, where a
// SWAR test (a zero byte of w^'"'·0x0101...: its lowest one is exact)
// is cheaper than calling bytes.IndexByte, which takes the rest.
func quoteFrom(buf []byte, x int) int {
	const ones, highs, quotes = 0x0101010101010101, 0x8080808080808080, 0x2222222222222222
	for k := 0; k < 2 && x+8 <= len(buf); k++ {
		t := binary.LittleEndian.Uint64(buf[x:]) ^ quotes
		if m := (t - ones) &^ t & highs; m != 0 {
			return x + bits.TrailingZeros64(m)>>3
		}
		x += 8
	}
	return indexByteFrom(buf, x, '"')
}

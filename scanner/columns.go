package scanner

import (
	"bytes"
	"encoding/binary"
)

// columns keeps the line and character column of a parser that walks a
// block buffer. Lines are counted as the parser passes newlines;
// UTF-8 continuation bytes (which make byte and character columns differ)
// are counted only when a location is asked for, over the bytes since the
// last request, and not at all in blocks that are plain ASCII. Locations
// are needed once per value, while bytes are many.
type columns struct {
	line      int64 // current line, 1-based
	lineStart int64 // stream offset of the current line
	mark      int64 // continuation bytes are counted up to here
	cont      int64 // continuation bytes between lineStart and mark
	ascii     bool  // the current block has no byte >= 0x80
}

func newColumns() columns { return columns{line: 1} }

// block starts a new block at stream offset off: the bytes of the old one
// up to its end must have been settled with settle.
func (c *columns) block(blk []byte) { c.ascii = isASCIIBlock(blk) }

// settle counts continuation bytes of blk (at stream offset off) up to end,
// before the block is replaced.
func (c *columns) settle(blk []byte, off, end int64) {
	if c.ascii || end <= c.mark {
		c.mark = max(c.mark, end)
		return
	}
	from := max(c.mark, c.lineStart, off)
	if from < end {
		c.cont += int64(countCont(blk[from-off : end-off]))
	}
	c.mark = end
}

// newline records a newline at stream offset nl.
func (c *columns) newline(nl int64) {
	c.line++
	c.lineStart = nl + 1
	c.cont = 0
	c.mark = max(c.mark, nl+1)
}

// newlines records the newlines in seg (at stream offset off), if any.
func (c *columns) newlines(seg []byte, off int64) {
	i := bytes.IndexByte(seg, '\n')
	if i < 0 {
		return
	}
	// Settle continuation bytes before the last newline resets them.
	for ; i >= 0; i = bytes.IndexByte(seg, '\n') {
		c.newline(off + int64(i))
		seg, off = seg[i+1:], off+int64(i)+1
	}
}

// at returns the line and 1-based character column of stream offset at,
// which lies in blk (at stream offset off).
func (c *columns) at(blk []byte, off, at int64) (int64, int64) {
	if c.lineStart > c.mark {
		c.mark, c.cont = c.lineStart, 0
	}
	if !c.ascii && at > c.mark {
		from := max(c.mark, off)
		c.cont += int64(countCont(blk[from-off : at-off]))
	}
	c.mark = max(c.mark, at)
	return c.line, at - c.lineStart - c.cont + 1
}

// isASCIIBlock reports a block without bytes >= 0x80, eight at a time.
func isASCIIBlock(b []byte) bool {
	var acc uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		acc |= binary.LittleEndian.Uint64(b[i:])
	}
	for ; i < len(b); i++ {
		acc |= uint64(b[i])
	}
	return acc&0x8080808080808080 == 0
}

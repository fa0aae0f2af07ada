package scanner

import (
	"errors"
	"io"
	"unicode/utf8"
)

// ChunkConfig sizes the chunk window [back B][owned N][ahead A]. Zero values
// take the defaults. Ahead must cover the longest match (rules.MaxLen) and
// Back the keyword window, so that every match is found exactly once.
type ChunkConfig struct {
	Owned int // N, default 256 KiB
	Back  int // B, default 256
	Ahead int // A, default 4 KiB
}

// Default chunk sizes (STYLE.md section 4).
const (
	DefaultOwned = 256 << 10
	DefaultBack  = 256
	DefaultAhead = 4 << 10
)

func (c ChunkConfig) withDefaults() ChunkConfig {
	if c.Owned <= 0 {
		c.Owned = DefaultOwned
	}
	if c.Back <= 0 {
		c.Back = DefaultBack
	}
	if c.Ahead <= 0 {
		c.Ahead = DefaultAhead
	}
	return c
}

// Chunk is one window of a stream. Matches are reported only by the chunk
// whose owned region [OwnStart, OwnEnd) holds their start; the bytes around
// it are context. Base is the stream offset of Data[0]. Data is valid until
// the next call to Next.
type Chunk struct {
	Data             []byte
	OwnStart, OwnEnd int
	Base             int64
}

// Chunker cuts a stream into overlapping chunks in one reused buffer, so a
// line of any length (a 1 GiB file without a newline) is scanned in bounded
// memory. It either pulls from a reader (NewChunker) or is fed with Write
// (NewPushChunker). Not safe for concurrent use.
type Chunker struct {
	cfg     ChunkConfig
	r       io.Reader
	buf     []byte
	n       int   // bytes in buf
	own     int   // start of the next owned region in buf
	base    int64 // stream offset of buf[0]
	eof     bool  // no more input
	done    bool
	err     error
	prevEnd int  // end of the last owned region, valid when pending
	pending bool // the last chunk's owned bytes are still in buf
}

// NewChunker returns a chunker reading from r.
func NewChunker(r io.Reader, cfg ChunkConfig) *Chunker {
	return newChunkerBuf(r, cfg, nil)
}

// newChunkerBuf is NewChunker reusing buf when it is large enough (a
// worker's buffer from its last object: allocating and zeroing a quarter
// of a megabyte per object dominated scans of many small objects).
func newChunkerBuf(r io.Reader, cfg ChunkConfig, buf []byte) *Chunker {
	cfg = cfg.withDefaults()
	n := cfg.Back + cfg.Owned + cfg.Ahead
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	return &Chunker{cfg: cfg, r: r, buf: buf[:n]}
}

// NewPushChunker returns a chunker fed by Write and CloseWrite.
func NewPushChunker(cfg ChunkConfig) *Chunker { return NewChunker(nil, cfg) }

// Err returns the read error that ended the stream early, if any (a
// truncated gzip member, a reset connection). The chunks before it are valid.
func (c *Chunker) Err() error { return c.err }

// shift drops what the last chunk owned, keeping Back bytes before the next
// owned region as look-behind.
func (c *Chunker) shift() {
	if !c.pending {
		return
	}
	c.pending = false
	keep := max(c.prevEnd-c.cfg.Back, 0)
	copy(c.buf, c.buf[keep:c.n])
	c.n -= keep
	c.base += int64(keep)
	c.own = c.prevEnd - keep
}

func (c *Chunker) want() int { return c.own + c.cfg.Owned + c.cfg.Ahead }

// Next returns the next chunk, or io.EOF after the last one. A read error
// ends the stream: the bytes read so far are still returned as chunks and
// the error is kept for Err. A push chunker without a full window and not
// closed returns errNeedInput.
func (c *Chunker) Next() (Chunk, error) {
	if c.done {
		return Chunk{}, io.EOF
	}
	c.shift()
	if c.r != nil {
		c.fill()
	} else if !c.eof && c.n < c.want() {
		return Chunk{}, errNeedInput
	}
	if c.own >= c.n {
		c.done = true
		return Chunk{}, io.EOF
	}
	end := c.own + c.cfg.Owned
	if c.eof && end >= c.n {
		end = c.n
		c.done = true
	} else {
		// Keep a UTF-8 character in one owned region: move the end back to
		// a character start, or forward when the region is too small.
		e := end
		for k := 0; k < utf8.UTFMax && e > c.own+1 && !utf8.RuneStart(c.buf[e]); k++ {
			e--
		}
		if !utf8.RuneStart(c.buf[e]) || e == c.own {
			e = end
			for k := 0; k < utf8.UTFMax && e < c.n && !utf8.RuneStart(c.buf[e]); k++ {
				e++
			}
		}
		end = e
	}
	c.prevEnd = end
	c.pending = true
	return Chunk{Data: c.buf[:c.n], OwnStart: c.own, OwnEnd: end, Base: c.base}, nil
}

// fill reads until the window is full or the input ends. It does not use
// io.ReadFull, which would turn a reader's own io.ErrUnexpectedEOF (a
// truncated gzip stream) into an ordinary short read.
func (c *Chunker) fill() {
	for !c.eof && c.n < c.want() {
		m, err := c.r.Read(c.buf[c.n:c.want()])
		c.n += m
		if err != nil {
			c.eof = true
			if !errors.Is(err, io.EOF) {
				c.err = err
			}
		}
	}
}

var errNeedInput = errors.New("chunker needs more input")

// Write appends bytes to a push chunker. It returns the number of bytes
// taken: fewer than len(p) when the window is full and the caller must take
// a chunk with Next (Ready reports when one is available) before writing on.
func (c *Chunker) Write(p []byte) int {
	c.shift()
	m := copy(c.buf[c.n:c.want()], p)
	c.n += m
	return m
}

// Ready reports whether a push chunker has a full window for Next.
func (c *Chunker) Ready() bool {
	c.shift()
	return c.n >= c.want()
}

// CloseWrite marks the end of a push chunker's input: Next then drains the rest.
func (c *Chunker) CloseWrite() { c.eof = true }

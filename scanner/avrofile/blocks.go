package avrofile

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/golang/snappy"
	"github.com/hamba/avro/v2"
	"github.com/klauspost/compress/zstd"
)

// ratioAfter is the decoded size of a block past which MaxRatio applies, as
// for the scanner's other containers: small blocks compress well.
const ratioAfter = 1 << 20

// Limits bound the decoding of blocks. Unpacked counts the decoded bytes of
// the whole object (other decoders of the object add to it too), up to
// MaxDecoded; a block may not decode to more than MaxRatio times its size.
// The messages name the command-line flags that set them.
type Limits struct {
	Unpacked   *int64
	MaxDecoded int64
	MaxRatio   int64
}

// Reader reads the blocks that follow the header.
type Reader struct {
	// Values reads the values of the current block; it sees io.EOF at the
	// block's end.
	Values *avro.Reader
	br     *bufio.Reader
	h      *Header
	src    *block
}

// NewReader reads the blocks of h's file from br, which is just past the
// header. Close releases the codec.
func NewReader(br *bufio.Reader, h *Header, lim Limits) *Reader {
	src := &block{lim: lim}
	return &Reader{Values: avro.NewReader(src, 32<<10, avro.WithReaderConfig(API)), br: br, h: h, src: src}
}

// Datums reads the blocks up to the end of the file and calls datum once
// per datum of each, with Values at its start: datum reads the value. It
// checks that a block's values fill it and that the sync marker follows.
// It returns datum's error as it is, ctx's error, an error of a reader
// under br, or an *Error.
func (r *Reader) Datums(ctx context.Context, datum func() error) error {
	br := r.br
	for blk := 0; ; blk++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		count, err := binary.ReadVarint(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		size, serr := binary.ReadVarint(br)
		switch {
		case err != nil || serr != nil:
			return &Error{Kind: Malformed, Msg: fmt.Sprintf("block %d: truncated header", blk)}
		case count < 0 || size < 0:
			return &Error{Kind: Malformed, Msg: fmt.Sprintf("block %d: negative count or size", blk)}
		case size > MaxBlock:
			return &Error{Kind: Limit, Msg: fmt.Sprintf("avro block %d: %d bytes is over %d", blk, size, MaxBlock)}
		}
		if err := r.src.open(br, r.h.Codec, size); err != nil {
			return err
		}
		for range count {
			if err := datum(); err != nil {
				return err
			}
		}
		if err := r.end(blk); err != nil {
			return err
		}
		var got [16]byte
		if _, err := io.ReadFull(br, got[:]); err != nil || got != r.h.Sync {
			return &Error{Kind: Malformed, Msg: fmt.Sprintf("block %d: bad sync marker", blk)}
		}
	}
}

// Err is the error that stopped the decoding of the current block (a limit
// or a damaged block), which Values reports only as a failed read; nil if
// none did.
func (r *Reader) Err() error { return r.src.err }

// end checks that the block's values used all of its bytes, and skips to
// the sync marker.
func (r *Reader) end(blk int) error {
	s := r.src
	if s.err != nil {
		return s.err
	}
	r.Values.Peek()
	if !errors.Is(r.Values.Error, io.EOF) {
		return &Error{Kind: Malformed, Msg: fmt.Sprintf("block %d: values do not fill the block", blk)}
	}
	r.Values.Error = nil
	s.r = nil
	if _, err := io.Copy(io.Discard, &s.lr); err != nil {
		return &Error{Kind: Truncated, Msg: "block", Block: blk, Err: err}
	}
	return nil
}

// Close releases the zstandard decoder.
func (r *Reader) Close() {
	if r.src.zstd != nil {
		r.src.zstd.Close()
	}
}

// block is the value reader's source: the current block's decoded bytes,
// then io.EOF. It enforces the decompression limits.
type block struct {
	lim    Limits
	r      io.Reader
	lr     io.LimitedReader
	size   int64
	out    int64
	err    error
	flate  io.ReadCloser
	zstd   *zstd.Decoder
	buf    []byte
	decbuf []byte
	mem    bytes.Reader
}

// open starts a block of size compressed bytes.
func (s *block) open(br *bufio.Reader, codec string, size int64) error {
	s.lr = io.LimitedReader{R: br, N: size}
	s.size, s.out, s.err = size, 0, nil
	switch codec {
	case "deflate":
		if s.flate == nil {
			s.flate = flate.NewReader(&s.lr)
		} else if err := s.flate.(flate.Resetter).Reset(&s.lr, nil); err != nil {
			return err
		}
		s.r = s.flate
	case "zstandard":
		if s.zstd == nil {
			d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(MaxBlock*4))
			if err != nil {
				return err
			}
			s.zstd = d
		}
		if err := s.zstd.Reset(&s.lr); err != nil {
			return &Error{Kind: Undecodable, Msg: "zstandard block", Err: err}
		}
		s.r = s.zstd
	case "bzip2":
		s.r = bzip2.NewReader(&s.lr)
	case "snappy":
		return s.openSnappy()
	default:
		s.r = &s.lr
	}
	return nil
}

// openSnappy decodes a snappy block whole: the format has no streaming
// form. The block ends with the CRC-32 of the decoded bytes.
func (s *block) openSnappy() error {
	if int64(cap(s.buf)) < s.size {
		s.buf = make([]byte, s.size)
	}
	s.buf = s.buf[:s.size]
	if _, err := io.ReadFull(&s.lr, s.buf); err != nil || s.size < 4 {
		return &Error{Kind: Malformed, Msg: "truncated snappy block"}
	}
	body := s.buf[:s.size-4]
	n, err := snappy.DecodedLen(body)
	if err != nil {
		return &Error{Kind: Undecodable, Msg: "snappy block", Err: err}
	}
	if err := s.limit(int64(n), int64(n)); err != nil {
		return err
	}
	if cap(s.decbuf) < n {
		s.decbuf = make([]byte, n)
	}
	dec, err := snappy.Decode(s.decbuf[:n], body)
	if err != nil {
		return &Error{Kind: Undecodable, Msg: "snappy block", Err: err}
	}
	if crc32.ChecksumIEEE(dec) != binary.BigEndian.Uint32(s.buf[s.size-4:]) {
		return &Error{Kind: Malformed, Msg: "snappy block checksum mismatch"}
	}
	s.mem.Reset(dec)
	s.r = &s.mem
	return nil
}

// limit counts n more decoded bytes, of which the block has out so far.
func (s *block) limit(n, out int64) error {
	*s.lim.Unpacked += n
	switch {
	case *s.lim.Unpacked > s.lim.MaxDecoded:
		return &Error{Kind: Limit, Msg: fmt.Sprintf("avro blocks decode to over %d bytes (--max-decoded-size)", s.lim.MaxDecoded)}
	case s.size > 0 && out > ratioAfter && out/s.size > s.lim.MaxRatio:
		return &Error{Kind: Limit, Msg: fmt.Sprintf("avro block compression ratio over %d (--max-ratio)", s.lim.MaxRatio)}
	}
	return nil
}

func (s *block) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.r == nil {
		return 0, io.EOF
	}
	n, err := s.r.Read(p)
	s.out += int64(n)
	if s.r != &s.mem {
		if lerr := s.limit(int64(n), s.out); lerr != nil {
			s.err = lerr
			return n, lerr
		}
	}
	if err != nil && err != io.EOF {
		s.err = &Error{Kind: Undecodable, Msg: "block", Err: err}
		return n, s.err
	}
	return n, err
}

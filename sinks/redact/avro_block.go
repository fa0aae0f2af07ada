package redact

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/golang/snappy"
	"github.com/hamba/avro/v2"
	"github.com/klauspost/compress/zstd"

	"github.com/piiscan/piiscan/scanner"
)

// The blocks of an Avro object container file: decoded within the
// limits for reading, encoded in the file's codec for writing.

// avroSrc is the value reader's source: the current block's decoded
// bytes, then io.EOF; it enforces the decompression limits.
type avroSrc struct {
	o      *objRun
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
func (s *avroSrc) open(br *bufio.Reader, codec string, size int64) error {
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
			d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxAvroBlock*4))
			if err != nil {
				return err
			}
			s.zstd = d
		}
		if err := s.zstd.Reset(&s.lr); err != nil {
			return &malformedError{format: scanner.FormatAvro, msg: "bad zstandard block"}
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

// openSnappy decodes a snappy block whole (the format has no streaming
// form); the block ends with the CRC-32 of the decoded bytes.
func (s *avroSrc) openSnappy() error {
	if int64(cap(s.buf)) < s.size {
		s.buf = make([]byte, s.size)
	}
	s.buf = s.buf[:s.size]
	if _, err := io.ReadFull(&s.lr, s.buf); err != nil || s.size < 4 {
		return &malformedError{format: scanner.FormatAvro, msg: "truncated snappy block"}
	}
	body := s.buf[:s.size-4]
	n, err := snappy.DecodedLen(body)
	if err != nil {
		return &malformedError{format: scanner.FormatAvro, msg: "bad snappy block"}
	}
	if err := s.limit(int64(n), int64(n)); err != nil {
		return err
	}
	if cap(s.decbuf) < n {
		s.decbuf = make([]byte, n)
	}
	dec, err := snappy.Decode(s.decbuf[:n], body)
	if err != nil {
		return &malformedError{format: scanner.FormatAvro, msg: "bad snappy block"}
	}
	if crc32.ChecksumIEEE(dec) != binary.BigEndian.Uint32(s.buf[s.size-4:]) {
		return &malformedError{format: scanner.FormatAvro, msg: "snappy block checksum mismatch"}
	}
	s.mem.Reset(dec)
	s.r = &s.mem
	return nil
}

// limit counts n more decoded bytes, of which the block has out so far.
func (s *avroSrc) limit(n, out int64) error {
	cfg := s.o.w.cfg
	s.o.unpacked += n
	switch {
	case s.o.unpacked > cfg.MaxDecodedSize:
		return &limitError{msg: fmt.Sprintf("avro blocks decode to over %d bytes (--max-decoded-size)", cfg.MaxDecodedSize)}
	case s.size > 0 && out > 1<<20 && out/s.size > cfg.MaxRatio:
		return &limitError{msg: fmt.Sprintf("avro block compression ratio over %d (--max-ratio)", cfg.MaxRatio)}
	}
	return nil
}

func (s *avroSrc) Read(p []byte) (int, error) {
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
		s.err = &malformedError{format: scanner.FormatAvro, msg: "bad block"}
		return n, s.err
	}
	return n, err
}

// end checks that the block's values used all of its bytes, and skips to
// the sync marker.
func (s *avroSrc) end(r *avro.Reader, blk int) error {
	if s.err != nil {
		return s.err
	}
	r.Peek()
	if !errors.Is(r.Error, io.EOF) {
		return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("block %d: values do not fill the block", blk)}
	}
	r.Error = nil
	s.r = nil
	if _, err := io.Copy(io.Discard, &s.lr); err != nil {
		return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("block %d: truncated", blk)}
	}
	return nil
}

func (s *avroSrc) close() {
	if s.zstd != nil {
		s.zstd.Close()
	}
}

// avroEnc compresses and writes output blocks.
type avroEnc struct {
	codec string
	sync  [16]byte
	flate *flate.Writer
	zstd  *zstd.Encoder
	z     bytes.Buffer
	hdr   []byte
}

// block writes count datums encoded in data as one block.
func (e *avroEnc) block(w io.Writer, count int64, data []byte) error {
	e.z.Reset()
	body := data
	switch e.codec {
	case "deflate":
		if e.flate == nil {
			fw, err := flate.NewWriter(&e.z, flate.DefaultCompression)
			if err != nil {
				return err
			}
			e.flate = fw
		} else {
			e.flate.Reset(&e.z)
		}
		if _, err := e.flate.Write(data); err != nil {
			return err
		}
		if err := e.flate.Close(); err != nil {
			return err
		}
		body = e.z.Bytes()
	case "snappy":
		out := snappy.Encode(e.z.AvailableBuffer()[:0], data)
		body = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	case "zstandard":
		if e.zstd == nil {
			z, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
			if err != nil {
				return err
			}
			e.zstd = z
		}
		body = e.zstd.EncodeAll(data, e.z.AvailableBuffer()[:0])
	}
	e.hdr = binary.AppendVarint(binary.AppendVarint(e.hdr[:0], count), int64(len(body)))
	if _, err := w.Write(e.hdr); err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	_, err := w.Write(e.sync[:])
	return err
}

func (e *avroEnc) close() {
	if e.zstd != nil {
		_ = e.zstd.Close()
	}
}

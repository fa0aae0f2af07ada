package scanner

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
)

// Avro object container files (Avro 1.11 specification, "Object Container
// Files"). hamba/avro parses the schema and reads the binary encoding; the
// container framing is read here, because the library's OCF decoder
// allocates whatever block size the file claims and inflates a block
// without a bound. Blocks are streamed through their codec (null, deflate,
// snappy, zstandard, bzip2) into the value reader, within the size and
// ratio limits. Values are walked along the schema and written straight
// into the record batch: each top-level datum is a record (record = 0-based
// datum index), field = the dotted field path (patient.id_no, tags[*],
// attributes.<key>), byte_offset as for Parquet.

// Avro limits: the header's metadata, one compressed block, one string.
const (
	maxAvroMeta      = 4 << 20
	maxAvroBlock     = 64 << 20
	maxAvroValue     = 64 << 20
	maxAvroDepth     = 64
	maxAvroMetaItems = 1024
)

// avroAPI reads values up to maxAvroValue bytes (hamba's default, 1 MiB,
// would refuse a long text field).
var avroAPI = avro.Config{MaxByteSliceSize: maxAvroValue}.Freeze()

var avroMagic = []byte("Obj\x01")

func (o *objectScan) scanAvro(in *input) error {
	o.formats = append(o.formats, FormatAvro)
	o.format = FormatAvro
	br := in.br
	schema, codec, sync, err := readAvroHeader(br)
	if err != nil {
		if o.ctx.Err() != nil {
			return o.ctx.Err()
		}
		return err
	}
	src := &avroBlock{o: o}
	d := &avroDec{o: o, b: newBatch(o), r: avro.NewReader(src, 32<<10, avro.WithReaderConfig(avroAPI)), src: src}
	d.root = &avroNode{s: schema}
	defer src.close()
	var idx int64
	for blk := 0; ; blk++ {
		if err := o.ctx.Err(); err != nil {
			return errors.Join(d.b.finish(), err)
		}
		count, err := binary.ReadVarint(br)
		if err == io.EOF {
			break
		}
		size, serr := binary.ReadVarint(br)
		switch {
		case err != nil || serr != nil:
			return errors.Join(d.b.finish(), &formatError{format: FormatAvro, msg: fmt.Sprintf("block %d: truncated header", blk)})
		case count < 0 || size < 0:
			return errors.Join(d.b.finish(), &formatError{format: FormatAvro, msg: fmt.Sprintf("block %d: negative count or size", blk)})
		case size > maxAvroBlock:
			return errors.Join(d.b.finish(), &errLimit{msg: fmt.Sprintf("avro block %d: %d bytes is over %d", blk, size, maxAvroBlock)})
		}
		if err := src.open(br, codec, size); err != nil {
			return errors.Join(d.b.finish(), err)
		}
		for range count {
			if err := d.datum(idx); err != nil {
				return errors.Join(d.b.finish(), err)
			}
			idx++
		}
		if err := src.end(d.r, blk); err != nil {
			return errors.Join(d.b.finish(), err)
		}
		var got [16]byte
		if _, err := io.ReadFull(br, got[:]); err != nil || got != sync {
			return errors.Join(d.b.finish(), &formatError{format: FormatAvro, msg: fmt.Sprintf("block %d: bad sync marker", blk)})
		}
	}
	return d.b.finish()
}

// readAvroHeader reads the magic, the metadata map and the sync marker.
func readAvroHeader(br *bufio.Reader) (avro.Schema, string, [16]byte, error) {
	var sync [16]byte
	bad := func(msg string) (avro.Schema, string, [16]byte, error) {
		return nil, "", sync, &formatError{format: FormatAvro, msg: msg + "; nothing scanned"}
	}
	var magic [4]byte
	if _, err := io.ReadFull(br, magic[:]); err != nil || !bytes.Equal(magic[:], avroMagic) {
		return bad("bad magic")
	}
	meta := map[string][]byte{}
	total := int64(0)
	for {
		n, err := binary.ReadVarint(br)
		if err != nil {
			return bad("truncated header")
		}
		if n == 0 {
			break
		}
		if n < 0 { // a block with its byte size
			n = -n
			if _, err := binary.ReadVarint(br); err != nil {
				return bad("truncated header")
			}
		}
		if int64(len(meta))+n > maxAvroMetaItems {
			return bad("too many metadata entries")
		}
		for range n {
			k, err := readAvroBytes(br, &total)
			if err != nil {
				return bad("bad metadata")
			}
			v, err := readAvroBytes(br, &total)
			if err != nil {
				return bad("bad metadata")
			}
			meta[string(k)] = v
		}
	}
	if _, err := io.ReadFull(br, sync[:]); err != nil {
		return bad("truncated header")
	}
	schema, err := avro.ParseBytesWithCache(meta["avro.schema"], "", &avro.SchemaCache{})
	if err != nil {
		return nil, "", sync, badFormat(FormatAvro, "bad schema; nothing scanned", err)
	}
	codec := string(meta["avro.codec"])
	switch codec {
	case "", "null", "deflate", "snappy", "zstandard", "bzip2":
	default:
		return nil, "", sync, &errUnsupported{format: "avro codec " + SafeText(codec)}
	}
	return schema, codec, sync, nil
}

// readAvroBytes reads a length-prefixed byte string of the header.
func readAvroBytes(br *bufio.Reader, total *int64) ([]byte, error) {
	n, err := binary.ReadVarint(br)
	if err != nil || n < 0 || *total+n > maxAvroMeta {
		return nil, errors.New("bad length")
	}
	*total += n
	b := make([]byte, n)
	_, err = io.ReadFull(br, b)
	return b, err
}

// avroBlock is the value reader's source: the current block's decoded
// bytes, then io.EOF. It enforces the decompression limits.
type avroBlock struct {
	o      *objectScan
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
func (s *avroBlock) open(br *bufio.Reader, codec string, size int64) error {
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
			return badFormat(FormatAvro, "zstandard block", err)
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
func (s *avroBlock) openSnappy() error {
	if int64(cap(s.buf)) < s.size {
		s.buf = make([]byte, s.size)
	}
	s.buf = s.buf[:s.size]
	if _, err := io.ReadFull(&s.lr, s.buf); err != nil || s.size < 4 {
		return &formatError{format: FormatAvro, msg: "truncated snappy block"}
	}
	body := s.buf[:s.size-4]
	n, err := snappy.DecodedLen(body)
	if err != nil {
		return badFormat(FormatAvro, "snappy block", err)
	}
	if lerr := s.limit(int64(n)); lerr != nil {
		return lerr
	}
	if cap(s.decbuf) < n {
		s.decbuf = make([]byte, n)
	}
	dec, err := snappy.Decode(s.decbuf[:n], body)
	if err != nil {
		return badFormat(FormatAvro, "snappy block", err)
	}
	if crc32.ChecksumIEEE(dec) != binary.BigEndian.Uint32(s.buf[s.size-4:]) {
		return &formatError{format: FormatAvro, msg: "snappy block checksum mismatch"}
	}
	s.out = 0
	s.mem.Reset(dec)
	s.r = &s.mem
	return nil
}

// limit checks a block of n decoded bytes against the limits.
func (s *avroBlock) limit(n int64) error {
	cfg := s.o.w.cfg
	s.o.unpacked += n
	switch {
	case s.o.unpacked > cfg.MaxDecodedSize:
		return &errLimit{msg: fmt.Sprintf("avro blocks decode to over %d bytes (--max-decoded-size)", cfg.MaxDecodedSize)}
	case s.size > 0 && n > ratioAfter && n/s.size > cfg.MaxRatio:
		return &errLimit{msg: fmt.Sprintf("avro block compression ratio over %d (--max-ratio)", cfg.MaxRatio)}
	}
	return nil
}

func (s *avroBlock) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.r == nil {
		return 0, io.EOF
	}
	n, err := s.r.Read(p)
	s.out += int64(n)
	if s.r != &s.mem {
		if lerr := s.limitRunning(int64(n)); lerr != nil {
			s.err = lerr
			return n, lerr
		}
	}
	if err != nil && err != io.EOF {
		s.err = badFormat(FormatAvro, "block", err)
		return n, s.err
	}
	return n, err
}

func (s *avroBlock) limitRunning(n int64) error {
	cfg := s.o.w.cfg
	s.o.unpacked += n
	switch {
	case s.o.unpacked > cfg.MaxDecodedSize:
		return &errLimit{msg: fmt.Sprintf("avro blocks decode to over %d bytes (--max-decoded-size)", cfg.MaxDecodedSize)}
	case s.size > 0 && s.out > ratioAfter && s.out/s.size > cfg.MaxRatio:
		return &errLimit{msg: fmt.Sprintf("avro block compression ratio over %d (--max-ratio)", cfg.MaxRatio)}
	}
	return nil
}

// end checks that the block's values used all of its bytes, and skips to
// the sync marker.
func (s *avroBlock) end(r *avro.Reader, blk int) error {
	if s.err != nil {
		return s.err
	}
	r.Peek()
	if !errors.Is(r.Error, io.EOF) {
		return &formatError{format: FormatAvro, msg: fmt.Sprintf("block %d: values do not fill the block", blk)}
	}
	r.Error = nil
	s.r = nil
	if _, err := io.Copy(io.Discard, &s.lr); err != nil {
		return badFormat(FormatAvro, "block", err)
	}
	return nil
}

func (s *avroBlock) close() {
	if s.zstd != nil {
		s.zstd.Close()
	}
}

package redact

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/hamba/avro/v2"

	"github.com/piiscan/piiscan/scanner"
)

// Avro object container files (Avro 1.11 specification, "Object Container
// Files") are read as scanner/avro.go reads them and written again with
// the same header: magic, metadata (schema and codec included, in their
// order) and sync marker. Values go to the engine as the scanner presents
// them: each top-level datum a record, field = the dotted field path
// (bank.card_no, tags[*], profile.<key>), numbers of a numeric array
// joined into one comma-separated value. Datums are transcribed value by
// value into a pending block; a batch of records (about batchBytes of
// values) is classified, its edited values encoded again, and it is
// written as one block. So the record count is the same but blocks may
// be cut at other records than the original's.
//
// A replacement is written in the value's own type: strings and bytes
// as they are; numbers, dates (YYYY, YYYY-MM or YYYY-MM-DD) and
// timestamps (RFC 3339 or a date) parsed back; an enum symbol by its
// index; fixed values padded with spaces or cut to their size; a
// numeric array (a face or voice vector) as the edited numbers when
// their count is the same, else as an empty array. A replacement the
// type cannot hold (a mask in a long, a tag in an enum, an edited
// decimal) falls back as in Parquet: null when the value is in a union
// with null, otherwise the type's zero (0, "", an empty array, the
// enum's default or first symbol, zero bytes).
//
// Codecs: null, deflate, snappy and zstandard are written as they were
// read. Go has no bzip2 encoder, so bzip2 files are written with deflate
// and their avro.codec says so. Memory: one pending block (about
// batchBytes of values plus the record being read) and, for snappy, one
// decoded block.

// Avro limits, as scanner/avro.go's.
const (
	maxAvroMeta      = 4 << 20
	maxAvroBlock     = 64 << 20
	maxAvroValue     = 64 << 20
	maxAvroDepth     = 64
	maxAvroMetaItems = 1024
)

// avroAPI reads values up to maxAvroValue bytes.
var avroAPI = avro.Config{MaxByteSliceSize: maxAvroValue}.Freeze()

var avroMagic = []byte("Obj\x01")

// avroMeta is one metadata entry of the header.
type avroMeta struct {
	key string
	val []byte
}

func (o *objRun) avro(br *bufio.Reader, w io.Writer) error {
	o.addFormat(scanner.FormatAvro)
	meta, sync, err := readAvroHeader(br)
	if err != nil {
		return err
	}
	var schemaJSON []byte
	codec := ""
	for _, m := range meta {
		switch m.key {
		case "avro.schema":
			schemaJSON = m.val
		case "avro.codec":
			codec = string(m.val)
		}
	}
	schema, err := avro.ParseBytesWithCache(schemaJSON, "", &avro.SchemaCache{})
	if err != nil {
		return &malformedError{format: scanner.FormatAvro, msg: "bad schema"}
	}
	outCodec := codec
	switch codec {
	case "", "null", "deflate", "snappy", "zstandard":
	case "bzip2":
		outCodec = "deflate"
		for i := range meta {
			if meta[i].key == "avro.codec" {
				meta[i].val = []byte(outCodec)
			}
		}
	default:
		return &unsupportedError{format: "avro codec " + scanner.SafeText(codec)}
	}
	src := &avroSrc{o: o}
	defer src.close()
	enc := &avroEnc{codec: outCodec, sync: sync}
	defer enc.close()
	a := &avroRW{o: o, r: avro.NewReader(src, 32<<10, avro.WithReaderConfig(avroAPI)), src: src, enc: enc, w: w}
	a.root = &avroNode{s: schema}
	if err := writeAvroHeader(w, meta, sync); err != nil {
		return err
	}
	for blk := 0; ; blk++ {
		if err := o.ctx.Err(); err != nil {
			return err
		}
		count, err := binary.ReadVarint(br)
		if errors.Is(err, io.EOF) {
			break
		}
		size, serr := binary.ReadVarint(br)
		switch {
		case err != nil || serr != nil:
			return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("block %d: truncated header", blk)}
		case count < 0 || size < 0:
			return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("block %d: negative count or size", blk)}
		case size > maxAvroBlock:
			return &limitError{msg: fmt.Sprintf("avro block %d: %d bytes is over %d", blk, size, maxAvroBlock)}
		}
		if err := src.open(br, codec, size); err != nil {
			return err
		}
		for range count {
			if err := a.datum(); err != nil {
				return err
			}
		}
		if err := src.end(a.r, blk); err != nil {
			return err
		}
		var got [16]byte
		if _, err := io.ReadFull(br, got[:]); err != nil || got != sync {
			return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("block %d: bad sync marker", blk)}
		}
	}
	return a.flush()
}

// readAvroHeader reads the magic, the metadata map (in its order) and the
// sync marker.
func readAvroHeader(br *bufio.Reader) ([]avroMeta, [16]byte, error) {
	var sync [16]byte
	bad := func(msg string) ([]avroMeta, [16]byte, error) {
		return nil, sync, &malformedError{format: scanner.FormatAvro, msg: msg}
	}
	var magic [4]byte
	if _, err := io.ReadFull(br, magic[:]); err != nil || !bytes.Equal(magic[:], avroMagic) {
		return bad("bad magic")
	}
	var meta []avroMeta
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
			meta = append(meta, avroMeta{string(k), v})
		}
	}
	if _, err := io.ReadFull(br, sync[:]); err != nil {
		return bad("truncated header")
	}
	return meta, sync, nil
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

// writeAvroHeader writes the magic, the metadata as one block and the
// sync marker.
func writeAvroHeader(w io.Writer, meta []avroMeta, sync [16]byte) error {
	b := append([]byte(nil), avroMagic...)
	if len(meta) > 0 {
		b = binary.AppendVarint(b, int64(len(meta)))
		for _, m := range meta {
			b = appendAvroBytes(appendAvroBytes(b, []byte(m.key)), m.val)
		}
	}
	b = binary.AppendVarint(b, 0)
	b = append(b, sync[:]...)
	_, err := w.Write(b)
	return err
}

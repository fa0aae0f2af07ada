// Package avrofile reads the framing of Avro object container files (Avro
// 1.11 specification, "Object Container Files") for the scanner and the
// redact writer: the header, the blocks through their codec within the
// decompression limits, and the schema tree that values are walked along.
// The values themselves are read by each side, since the scanner only
// presents them for classification while the redact writer also copies
// their encoding.
//
// hamba/avro parses the schema and reads the binary encoding; the framing
// is read here, because the library's OCF decoder allocates whatever block
// size the file claims and inflates a block without a bound.
package avrofile

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"

	"github.com/hamba/avro/v2"
)

// Limits of a file: the header's metadata, one compressed block, one value
// (a string, a fixed or a joined numeric array) and the nesting of values.
const (
	MaxMeta      = 4 << 20
	MaxBlock     = 64 << 20
	MaxValue     = 64 << 20
	MaxDepth     = 64
	MaxMetaItems = 1024
)

// API reads values up to MaxValue bytes (hamba's default, 1 MiB, would
// refuse a long text field).
var API = avro.Config{MaxByteSliceSize: MaxValue}.Freeze()

// Magic starts every object container file.
var Magic = []byte("Obj\x01")

// Kind says what went wrong in an Error.
type Kind int

const (
	// Malformed: the framing is damaged; Msg says how.
	Malformed Kind = iota
	// Undecodable: a codec failed with Err on Msg ("snappy block").
	Undecodable
	// Truncated: the rest of block Block could not be read (Err).
	Truncated
	// BadSchema: the header's schema did not parse (Err).
	BadSchema
	// Limit: a size or ratio limit; Msg says which.
	Limit
	// Unsupported: the header names codec Msg, which is not read here.
	Unsupported
)

// Error is a damaged or over-limit file. Msg carries nothing of the file's
// content except an Unsupported codec name; Err is a third-party error,
// whose text may quote the input, so callers redact it.
type Error struct {
	Kind  Kind
	Msg   string
	Block int
	Err   error
}

func (e *Error) Error() string { return "avro: " + e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// Meta is one metadata entry of the header.
type Meta struct {
	Key string
	Val []byte
}

// Header is what precedes the blocks.
type Header struct {
	// Meta holds the metadata in the order of the file. The format makes
	// it a map: a key given again keeps its first place and its last value.
	Meta   []Meta
	Sync   [16]byte
	Schema avro.Schema
	// Codec is "", "null", "deflate", "snappy", "zstandard" or "bzip2".
	Codec string
}

// ReadHeader reads the magic, the metadata and the sync marker, parses the
// schema and checks the codec. Its errors are *Error: Malformed, BadSchema
// or Unsupported.
func ReadHeader(br *bufio.Reader) (*Header, error) {
	h := &Header{}
	bad := func(msg string) (*Header, error) {
		return nil, &Error{Kind: Malformed, Msg: msg}
	}
	var magic [4]byte
	if _, err := io.ReadFull(br, magic[:]); err != nil || !bytes.Equal(magic[:], Magic) {
		return bad("bad magic")
	}
	at := map[string]int{} // key → index in h.Meta
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
		if int64(len(h.Meta))+n > MaxMetaItems {
			return bad("too many metadata entries")
		}
		for range n {
			k, err := readBytes(br, &total)
			if err != nil {
				return bad("bad metadata")
			}
			v, err := readBytes(br, &total)
			if err != nil {
				return bad("bad metadata")
			}
			if i, ok := at[string(k)]; ok {
				h.Meta[i].Val = v
				continue
			}
			at[string(k)] = len(h.Meta)
			h.Meta = append(h.Meta, Meta{string(k), v})
		}
	}
	if _, err := io.ReadFull(br, h.Sync[:]); err != nil {
		return bad("truncated header")
	}
	schema, err := avro.ParseBytesWithCache(h.Get("avro.schema"), "", &avro.SchemaCache{})
	if err != nil {
		return nil, &Error{Kind: BadSchema, Msg: "bad schema", Err: err}
	}
	h.Schema = schema
	h.Codec = string(h.Get("avro.codec"))
	switch h.Codec {
	case "", "null", "deflate", "snappy", "zstandard", "bzip2":
	default:
		return nil, &Error{Kind: Unsupported, Msg: h.Codec}
	}
	return h, nil
}

// Get returns the value of metadata key, nil when there is none.
func (h *Header) Get(key string) []byte {
	for _, m := range h.Meta {
		if m.Key == key {
			return m.Val
		}
	}
	return nil
}

// readBytes reads a length-prefixed byte string of the header; total
// counts the bytes of all of them, up to MaxMeta.
func readBytes(br *bufio.Reader, total *int64) ([]byte, error) {
	n, err := binary.ReadVarint(br)
	if err != nil || n < 0 || *total+n > MaxMeta {
		return nil, errors.New("bad length")
	}
	*total += n
	b := make([]byte, n)
	_, err = io.ReadFull(br, b)
	return b, err
}

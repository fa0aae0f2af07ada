package redact

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
)

// The blocks of an Avro object container file are encoded in the file's
// codec for writing (package avrofile decodes them for reading).

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

package redact

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/avrofile"
)

// Avro object container files (Avro 1.11 specification, "Object Container
// Files") are read with package avrofile, as the scanner reads them, and
// written again with the same header: magic, metadata (schema and codec
// included, in their order; a key given twice is written once, with its
// last value) and sync marker; the values of the user metadata (keys other
// than the reserved avro.*) are de-identified as the scanner reads them
// (field avro.meta.<key>, avroRW.meta). Values go to the engine as the
// scanner presents them: each top-level datum a record, field = the dotted
// field path (bank.card_no, tags[*], profile.<key>), numbers of a numeric
// array joined into one comma-separated value, a map key with a digit or
// an '@' a string value at its map's path (a map keyed by phone number),
// replaced like one, and kept distinct from the other replaced keys of
// its map with "#2", "#3", ... as JSON keys are (keyed.go). Datums are transcribed value by
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

func (o *objRun) avro(br *bufio.Reader, w io.Writer) error {
	o.addFormat(scanner.FormatAvro)
	h, err := avrofile.ReadHeader(br)
	if err != nil {
		return avroError(err)
	}
	outCodec := h.Codec
	if h.Codec == "bzip2" {
		outCodec = "deflate"
		for i := range h.Meta {
			if h.Meta[i].Key == "avro.codec" {
				h.Meta[i].Val = []byte(outCodec)
			}
		}
	}
	cfg := o.w.cfg
	rd := avrofile.NewReader(br, h, avrofile.Limits{Unpacked: &o.unpacked, MaxDecoded: cfg.MaxDecodedSize, MaxRatio: cfg.MaxRatio})
	defer rd.Close()
	enc := &avroEnc{codec: outCodec, sync: h.Sync}
	defer enc.close()
	a := &avroRW{o: o, r: rd.Values, rd: rd, enc: enc, w: w, tree: avrofile.NewTree(h.Schema)}
	a.tree.DataKey = scanner.JSONDataKey // paths named as the scanner names them
	if err := a.meta(h.Meta); err != nil {
		return err
	}
	if err := writeAvroHeader(w, h.Meta, h.Sync); err != nil {
		return err
	}
	if err := rd.Datums(o.ctx, a.datum); err != nil {
		return avroError(err)
	}
	return a.flush()
}

// avroError gives avrofile's errors the writer's kinds.
func avroError(err error) error {
	var e *avrofile.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Kind {
	case avrofile.Limit:
		return &limitError{msg: e.Msg}
	case avrofile.Unsupported:
		return &unsupportedError{format: "avro codec " + scanner.SafeText(e.Msg)}
	case avrofile.Undecodable:
		return &malformedError{format: scanner.FormatAvro, msg: "bad " + e.Msg}
	case avrofile.Truncated:
		return &malformedError{format: scanner.FormatAvro, msg: fmt.Sprintf("block %d: truncated", e.Block)}
	}
	return &malformedError{format: scanner.FormatAvro, msg: e.Msg}
}

// meta de-identifies the header's user metadata in place, each value as
// the scanner reads it (scanner/avro.go meta): one record of its own,
// field = avro.meta.<key>, every match replaced within the value and the
// rest of it kept. Keys are kept, and so are the reserved entries
// (avro.schema, avro.codec, any avro.*) and values without matches, byte
// for byte.
func (a *avroRW) meta(meta []avrofile.Meta) error {
	var at []int // index in meta of each span
	for i, m := range meta {
		if len(m.Val) == 0 || scanner.AvroReservedMeta(m.Key) {
			continue
		}
		start := len(a.buf)
		a.buf = append(a.buf, m.Val...)
		a.spans = append(a.spans, classifiers.Span{Start: start, End: len(a.buf), Field: a.o.w.field(scanner.AvroMetaField(m.Key)), Record: a.rec, Kind: deid.KindText})
		a.buf = append(a.buf, '\n')
		at = append(at, i)
	}
	if len(at) == 0 {
		return nil
	}
	edits, err := a.o.w.ed.records(a.o.ctx, a.buf, a.spans, false)
	if err != nil {
		return err
	}
	for k, i := range at {
		if len(edits[k]) > 0 {
			sp := a.spans[k]
			meta[i].Val = splice(nil, a.buf[sp.Start:sp.End], edits[k])
		}
	}
	a.buf, a.spans = a.buf[:0], a.spans[:0]
	return nil
}

// writeAvroHeader writes the magic, the metadata as one block and the
// sync marker.
func writeAvroHeader(w io.Writer, meta []avrofile.Meta, sync [16]byte) error {
	b := append([]byte(nil), avrofile.Magic...)
	if len(meta) > 0 {
		b = binary.AppendVarint(b, int64(len(meta)))
		for _, m := range meta {
			b = appendAvroBytes(appendAvroBytes(b, []byte(m.Key)), m.Val)
		}
	}
	b = binary.AppendVarint(b, 0)
	b = append(b, sync[:]...)
	_, err := w.Write(b)
	return err
}

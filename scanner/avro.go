package scanner

import (
	"errors"

	"github.com/piiscan/piiscan/scanner/avrofile"
)

// Avro object container files (Avro 1.11 specification, "Object Container
// Files"). The container framing (header, blocks through their codec —
// null, deflate, snappy, zstandard, bzip2 — within the size and ratio
// limits) is read by package avrofile, shared with the redact writer.
// Values are walked along the schema and written straight into the record
// batch: each top-level datum is a record (record = 0-based datum index),
// field = the dotted field path (patient.id_no, tags[*],
// attributes.<key>), byte_offset as for Parquet.

func (o *objectScan) scanAvro(in *input) error {
	o.formats = append(o.formats, FormatAvro)
	o.format = FormatAvro
	br := in.br
	h, err := avrofile.ReadHeader(br)
	if err != nil {
		if o.ctx.Err() != nil {
			return o.ctx.Err()
		}
		return avroError(err, "; nothing scanned")
	}
	cfg := o.w.cfg
	rd := avrofile.NewReader(br, h, avrofile.Limits{Unpacked: &o.unpacked, MaxDecoded: cfg.MaxDecodedSize, MaxRatio: cfg.MaxRatio})
	defer rd.Close()
	d := &avroDec{o: o, b: newBatch(o), r: rd.Values, rd: rd, tree: avrofile.NewTree(h.Schema)}
	var idx int64
	err = rd.Datums(o.ctx, func() error {
		err := d.datum(idx)
		idx++
		return err
	})
	if err != nil {
		return errors.Join(d.b.finish(), avroError(err, ""))
	}
	return d.b.finish()
}

// avroError gives avrofile's errors the scanner's kinds; suffix ends the
// text of a damaged header.
func avroError(err error, suffix string) error {
	var e *avrofile.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Kind {
	case avrofile.Limit:
		return &errLimit{msg: e.Msg}
	case avrofile.Unsupported:
		return &errUnsupported{format: "avro codec " + SafeText(e.Msg)}
	case avrofile.Undecodable, avrofile.Truncated, avrofile.BadSchema:
		return badFormat(FormatAvro, e.Msg+suffix, e.Err)
	}
	return &formatError{format: FormatAvro, msg: e.Msg + suffix}
}

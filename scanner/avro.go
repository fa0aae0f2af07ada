package scanner

import (
	"errors"
	"strings"

	"github.com/piiscan/piiscan/scanner/avrofile"
)

// Avro object container files (Avro 1.11 specification, "Object Container
// Files"). The container framing (header, blocks through their codec —
// null, deflate, snappy, zstandard, bzip2 — within the size and ratio
// limits) is read by package avrofile, shared with the redact writer.
// Values are walked along the schema and written straight into the record
// batch: each top-level datum is a record (record = 0-based datum index),
// field = the dotted field path (patient.id_no, tags[*],
// attributes.<key>), byte_offset as for Parquet. A map key with a digit
// or an '@' (a map keyed by phone number, e-mail or ID number) is a value
// too, at the map's path, as JSON keys are (avroDec.key); the header's
// user metadata is read after the records (avroDec.meta).

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
	d.tree.DataKey = dataKey
	var idx int64
	err = rd.Datums(o.ctx, func() error {
		err := d.datum(idx)
		idx++
		return err
	})
	if err != nil {
		err = avroError(err, "")
	}
	// The header is already in memory: its metadata is read even when the
	// blocks were damaged or over a limit.
	if o.ctx.Err() == nil && d.b.vstart < 0 {
		if merr := d.meta(h.Meta); merr != nil {
			return errors.Join(d.b.finish(), err, merr)
		}
	}
	return errors.Join(d.b.finish(), err)
}

// meta scans the header's user metadata after the records, as one more
// record with no index (record is null), as Parquet's key/value metadata
// is read (parquetKeyValues): exporters put free text there (an owner, a
// source, a query with its literals), and the redact writer rewrites it.
// Each value is a value of its own, field = avro.meta.<key>, at the
// offsets that follow the records'. The keys the specification reserves
// (avro.schema, avro.codec and any other avro.*) are not read, nor are
// the keys themselves.
func (d *avroDec) meta(meta []avrofile.Meta) error {
	started := false
	for _, m := range meta {
		if len(m.Val) == 0 || AvroReservedMeta(m.Key) {
			continue
		}
		if !started {
			d.b.beginRecord()
			started = true
		}
		if err := writeValue(d.b, d.o.w.field(avroMetaField(m.Key)), m.Val, -1, &d.off); err != nil {
			return err
		}
	}
	return d.b.endRecord()
}

// avroMetaField is the field name of a user metadata entry.
func avroMetaField(key string) string { return "avro.meta." + key }

// AvroMetaField is the field name the scanner gives a value of an Avro
// file's user metadata under key; the redact writer names it the same.
func AvroMetaField(key string) string { return avroMetaField(key) }

// AvroReservedMeta reports whether an Avro metadata key is reserved by the
// specification ("avro." and a name: avro.schema, avro.codec): such
// entries are the file's framing, neither read as values nor rewritten.
func AvroReservedMeta(key string) bool { return strings.HasPrefix(key, "avro.") }

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

package scanner

import (
	"path"
	"slices"
	"strings"

	"github.com/piiscan/piiscan/classifiers"
)

// Values in object names. A key or a path holds values as often as the
// content does, in buckets most of all: avatars/13800138000.png,
// idcards/110105194912310029.jpg, exports/zhang@example.com.csv. The
// content of the first two is not read (pictures are skipped), so without
// reading the names a scan of such a bucket reported nothing.
//
// Each '/'-separated segment of the object's name (the key for OSS, the
// path under the scanned folder for files) is read as a text value with no
// field, as a de-identified copy reads it to rename the copy
// (sinks/redact): without its extension, where a value ends
// (13800138000.csv; zhang@example.com.json, whose domain would otherwise
// end in .json, no top-level domain), and whole for what that misses (a
// folder named zhang@example.com). Each reading is read after the folders
// that lead to it, as a text is read after the words before a value: they
// are its context, not part of its values (orders/<18 digits>.json is an
// order number, as "order 6222..." is in a text; passport/E12345678.jpg a
// passport). A value both readings find counts once.
// The findings have format "name", byte_offset and length within the
// name, and no line, column, record or field; an archive member's name is
// read the same way, its findings under the member's container_path. They
// count like the content's findings: in the object's findings, its level
// and --fail-on. The file name a gzip header holds (gzip -N), which redact
// renames like a member's, is read the same way, with field gzip.name
// (archive_text.go), under the gzip's own container_path.

// nameFormat is the format column of a finding in a name.
const nameFormat = "name"

// maxNameExt is the longest extension a segment is also read without.
const maxNameExt = 12

// addNameFindings reads name and adds the findings it holds to the
// object, under the current container path.
func (o *objectScan) addNameFindings(name string) error { return o.nameFindings(name, nil) }

// nameFindings is addNameFindings with the findings' field: nil for an
// object's or member's name, which is where the container_path points;
// gzip.name for the file name a gzip header holds, which is not.
func (o *objectScan) nameFindings(name string, field *string) error {
	if name == "" {
		return nil
	}
	em := &o.w.names
	em.ms = em.ms[:0]
	var err error
	NameReadings(name, func(text string, seg int) {
		if err == nil {
			em.buf = append(em.buf[:0], text...)
			err = o.w.sc.ScanName(o.ctx, em.buf, seg, em)
		}
	})
	if err != nil {
		return err
	}
	// Both readings' matches, less those inside another: a duplicate, or
	// the mobile number that starts 13800138000_zhang@example.com, inside
	// the address.
	slices.SortStableFunc(em.ms, func(a, b classifiers.Match) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	end := -1
	for i := range em.ms {
		m := &em.ms[i]
		if m.End <= end {
			continue
		}
		end = m.End
		f := o.finding(m, int64(m.Start), 0, 0, -1, nil)
		f.Format = nameFormat
		f.Field = field
		o.addFinding(f)
	}
	return nil
}

// NameReadings calls read with each reading of name, in order: for each
// non-empty '/'-separated segment, the segment without its extension (one
// of 1 to maxNameExt bytes after the last dot, not the whole segment: .env
// has none), then whole. A reading is given with the folders before it:
// text is name up to the reading's end, and the segment starts at text[seg].
// Its values are those that start at seg or after; the folders are its
// context. Offsets in text are offsets in name. Scan reads names so, and
// redact (sinks/redact) so renames copies, one segment at a time.
func NameReadings(name string, read func(text string, seg int)) {
	off := 0
	for s := range strings.SplitSeq(name, "/") {
		if s != "" {
			SegmentReadings(name[:off+len(s)], off, read)
		}
		off += len(s) + 1
	}
}

// SegmentReadings calls read with the readings of the segment
// upTo[seg:], which ends upTo: without its extension, then whole.
func SegmentReadings(upTo string, seg int, read func(text string, seg int)) {
	s := upTo[seg:]
	if ext := path.Ext(s); len(ext) > 1 && len(ext) < len(s) && len(ext) <= maxNameExt {
		read(upTo[:len(upTo)-len(ext)], seg)
	}
	read(upTo, seg)
}

// nameReader holds a reading's bytes and collects the matches of a name's
// readings, whose offsets are offsets in the name. A worker keeps one.
type nameReader struct {
	buf []byte
	ms  []classifiers.Match
}

func (e *nameReader) Match(m *classifiers.Match) error {
	x := *m
	x.Field, x.Anchor, x.Replacement = nil, nil, nil
	e.ms = append(e.ms, x)
	return nil
}

func (e *nameReader) EndRecord(int64, bool) error { return nil }
func (e *nameReader) Anchor(int) any              { return nil }

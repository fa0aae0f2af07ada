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
// folder named zhang@example.com). A value both readings find counts once.
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
// object, under the current container path. The readings of all the
// segments go to the engine in one buffer, one per line (no detector
// crosses a line break), so a name costs one engine call.
func (o *objectScan) addNameFindings(name string) error { return o.nameFindings(name, nil) }

// nameFindings is addNameFindings with the findings' field: nil for an
// object's or member's name, which is where the container_path points;
// gzip.name for the file name a gzip header holds, which is not.
func (o *objectScan) nameFindings(name string, field *string) error {
	if name == "" {
		return nil
	}
	em := &o.w.names
	em.reset()
	NameReadings(name, em.add)
	if err := o.w.sc.ScanText(o.ctx, em.buf, 0, len(em.buf), nil, em); err != nil {
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

// NameReadings calls read with each reading of name, in order, and its
// offset in name: each non-empty '/'-separated segment without its
// extension (one of 1 to maxNameExt bytes after the last dot, not the
// whole segment: .env has none), then whole. Scan reads names so, and
// redact (sinks/redact) so renames copies, one segment at a time.
func NameReadings(name string, read func(text string, off int)) {
	off := 0
	for seg := range strings.SplitSeq(name, "/") {
		if seg != "" {
			if ext := path.Ext(seg); len(ext) > 1 && len(ext) < len(seg) && len(ext) <= maxNameExt {
				read(seg[:len(seg)-len(ext)], off)
			}
			read(seg, off)
		}
		off += len(seg) + 1
	}
}

// nameReader holds the readings of a name's segments, one per line, and
// collects their matches with offsets in the name. A worker keeps one.
type nameReader struct {
	buf    []byte
	pieces []namePiece
	ms     []classifiers.Match
}

// namePiece is one reading: it starts at buf[at] and name[off].
type namePiece struct{ at, off int }

func (e *nameReader) reset() {
	e.buf, e.pieces, e.ms = e.buf[:0], e.pieces[:0], e.ms[:0]
}

func (e *nameReader) add(s string, off int) {
	e.pieces = append(e.pieces, namePiece{at: len(e.buf), off: off})
	e.buf = append(append(e.buf, s...), '\n')
}

func (e *nameReader) Match(m *classifiers.Match) error {
	k := len(e.pieces) - 1
	for k > 0 && e.pieces[k].at > m.Start {
		k--
	}
	d := e.pieces[k].off - e.pieces[k].at
	x := *m
	x.Start += d
	x.End += d
	x.Field, x.Anchor, x.Replacement = nil, nil, nil
	e.ms = append(e.ms, x)
	return nil
}

func (e *nameReader) EndRecord(int64, bool) error { return nil }
func (e *nameReader) Anchor(int) any              { return nil }

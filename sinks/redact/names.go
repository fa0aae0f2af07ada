package redact

import (
	"bytes"
	"context"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/piiscan/piiscan/scanner"
)

// Object names. A key such as users/13800138000/profile.json or
// exports/110105194912310029.csv holds a value, and a copy that mirrored
// it would keep the value in the destination's listing. So each segment
// of an object's relative path is read as a text (the scanner's reading
// of a value with no field) and its values are replaced by the policy's
// operators, as in the object's content: the same FF1 token, mask or tag.
//
// A segment that the replacements would leave unusable (empty, "." or
// "..", or holding a '/': the redact operator removes a value whole) has
// each value replaced by "<redacted>" instead. Operators
// that are not one-to-one (a mask keeps 7 of a mobile number's 11 digits)
// can give two objects the same name: the run's nameBook gives the later
// one "~2", "~3", ... before its extension, so no copy replaces another.
// Which of two such objects gets the suffix depends on the order they
// finish in; a name that holds no value is kept as it is and is not
// checked against the renamed ones (a source object literally named like
// another's replacement, 138****8000.csv, would share its copy's name).
//
// The names of zip and tar members, the target of a tar link and the
// file name a gzip header holds are rewritten the same way, each archive
// with a nameBook of its own.
//
// Config.KeepNames keeps every name as it is.

// nameBook records the destination paths given to renamed objects in one
// run, shared by the workers.
type nameBook struct {
	mu    sync.Mutex
	taken map[string]string // destination path -> source name
}

func newNameBook() *nameBook { return &nameBook{taken: map[string]string{}} }

// claim returns rel for source name src, with a "~N" suffix when another
// source already took rel.
func (b *nameBook) claim(src, rel string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	dir, file := path.Split(rel)
	ext := path.Ext(file)
	if ext == file {
		ext = "" // a dot file such as .env has no extension
	}
	stem := strings.TrimSuffix(file, ext)
	cand := rel
	for n := 2; ; n++ {
		if prev, ok := b.taken[cand]; !ok || prev == src {
			b.taken[cand] = src
			return cand
		}
		cand = dir + stem + "~" + strconv.Itoa(n) + ext
	}
}

// renamed returns rel with the values of its segments replaced, and
// whether anything was. The replacements count as values of res, the
// editor's current object.
func (e *engineEditor) renamed(ctx context.Context, res *Result, rel string) (string, bool, error) {
	// The readings count into a scratch result: a value both readings of
	// a segment find counts once, below.
	scratch := &Result{}
	e.res = scratch
	defer func() { e.res = res }()
	segs := strings.Split(rel, "/")
	var kept []Replacement
	off := 0
	for i, seg := range segs {
		at := off
		off += len(seg) + 1
		if seg == "" {
			continue
		}
		edits, ops, err := e.nameEdits(ctx, rel[:at+len(seg)], at)
		if err != nil {
			return "", false, err
		}
		if len(edits) == 0 {
			continue
		}
		data := []byte(seg)
		out := splice(nil, data, edits)
		if !segmentOK(out) {
			for k := range edits {
				edits[k].repl = []byte("<redacted>")
				ops[k].Operator = "redact"
			}
			out = splice(nil, data, edits)
		}
		segs[i], kept = string(out), append(kept, ops...)
	}
	e.res = res
	for _, op := range kept {
		e.count(op.DataType, op.Operator)
	}
	res.Guarded += scratch.Guarded
	for k, n := range scratch.Redetectable {
		if res.Redetectable == nil {
			res.Redetectable = map[string]int64{}
		}
		res.Redetectable[k] += n
	}
	return strings.Join(segs, "/"), len(kept) > 0, nil
}

// nameEdits returns the edits of the path segment upTo[seg:], in offset
// order within the segment, with each one's data type and operator. The
// segment is read as the scan reads it (scanner.SegmentReadings): without
// its extension, where a value ends (13800138000.csv;
// zhang@example.com.json, whose domain would otherwise end in .json, no
// top-level domain), and whole for what that misses (a folder named
// zhang@example.com), each after the folders before it, its context
// (passport/E12345678.jpg).
func (e *engineEditor) nameEdits(ctx context.Context, upTo string, seg int) ([]edit, []Replacement, error) {
	type found struct {
		edit
		op Replacement
	}
	var all []found
	var err error
	scanner.SegmentReadings(upTo, seg, func(text string, seg int) {
		if err != nil {
			return
		}
		data := []byte(text)
		var edits []edit
		edits, err = e.nameText(ctx, data, seg)
		for k, x := range edits {
			x.start -= seg
			x.end -= seg
			all = append(all, found{x, e.ops[k]})
		}
	})
	if err != nil {
		return nil, nil, err
	}
	// Both readings' edits, less those inside another (a duplicate, or
	// the mobile number that starts 13800138000_zhang@example.com, inside
	// the address): splice writes what still overlaps in full.
	slices.SortFunc(all, func(a, b found) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var edits []edit
	var ops []Replacement
	for _, x := range all {
		if len(edits) > 0 && x.end <= edits[len(edits)-1].end {
			continue
		}
		edits, ops = append(edits, x.edit), append(ops, x.op)
	}
	return edits, ops, nil
}

// segmentOK reports whether s can be a path segment of a copy.
func segmentOK(s []byte) bool {
	return len(s) > 0 && !bytes.Equal(s, []byte(".")) && !bytes.Equal(s, []byte("..")) &&
		bytes.IndexByte(s, '/') < 0 && bytes.IndexByte(s, 0) < 0
}

// memberName returns the name an archive member (or a gzip header's file
// name, or a link's target) is written under; book, when not nil, keeps
// the archive's names apart. It counts a renamed member in
// Result.MemberNames.
func (o *objRun) memberName(book *nameBook, name string) (string, error) {
	e, ok := o.w.ed.(*engineEditor)
	if !ok || o.w.cfg.KeepNames || name == "" {
		return name, nil
	}
	dst, renamed, err := e.renamed(o.ctx, o.res, name)
	if err != nil || !renamed {
		return name, err
	}
	if book != nil {
		dst = book.claim(name, dst)
	}
	o.res.MemberNames++
	return dst, nil
}

// metaText returns free text an archive keeps beside its members (a zip
// or gzip comment, a zip member's comment, a tar member's owner names,
// PAX comment and extended attributes) with the values it holds replaced,
// read as a text value as the scan reads it (scanner/archive_text.go): a
// copy that kept a value there would hand it to whoever reads the copy.
func (o *objRun) metaText(s string) (string, error) {
	e, ok := o.w.ed.(*engineEditor)
	if !ok || s == "" {
		return s, nil
	}
	data := []byte(s)
	edits, err := e.text(o.ctx, data, 0, len(data), nil)
	if err != nil || len(edits) == 0 {
		return s, err
	}
	return string(splice(nil, data, edits)), nil
}

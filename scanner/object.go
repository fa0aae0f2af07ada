package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
	"unsafe"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
)

// objectScan is the state of one object being scanned by one worker: where
// findings go, the record being assembled and per-column statistics.
type objectScan struct {
	ctx       context.Context
	w         *worker
	res       *ObjectResult
	base      Finding // the columns shared by every finding of the object
	top       int     // rules.LevelRank of the highest sensitivity so far
	container *string // archive member path, nil at top level
	ints      []int64 // slab of findings' lines, columns and records (int64Of)
	format    string  // inner format of the current stream
	formats   []string
	findings  []Finding
	spill     *Spill
	pend      []Finding  // findings of the record being closed
	pendNum   []*numType // the coincidence rule's type of each of pend (numbers.go), or nil
	numOpen   []*numType // types of columns not yet decided by the coincidence rule
	// numUnsorted: findings the coincidence rule held back were added after
	// findings of later offsets (numbers.go: release)
	numUnsorted bool
	crowd       bool  // the open record holds too many findings to hold (hold)
	crowds      int   // records taken as collections, this object
	bytes       int64 // decoded bytes classified
	cols        map[*classifiers.Field]*colStat
	colCache    [8]struct {
		f  *classifiers.Field
		st *colStat
	}
	colOrder []*classifiers.Field
	warnings []string
	// archives: bytes unpacked from members (all levels) and members read,
	// against Config.MaxDecodedSize and Config.MaxMembers
	unpacked int64
	members  int64
}

// colStat counts, for one column, how many values were seen and how many
// held each data type, for column verdicts.
type colStat struct {
	values int64
	byType map[string]int64
	num    *numStat // digit-run values, for the coincidence rule (numbers.go)
}

// Column verdicts need this share of sampled values of one type.
const (
	verdictShare  = 0.8
	verdictMin    = 5
	verdictSample = 10000
)

func (o *objectScan) addFinding(f Finding) {
	if r := rules.LevelRank(f.Sensitivity); r > o.top {
		o.top = r
	}
	if n := len(o.findings); n == cap(o.findings) {
		// Double, up to the spill threshold. append grows a slice this
		// large by a quarter at a time, which copied each of an object's
		// findings (about 300 bytes each) four times over: 3% of a
		// one-worker scan went to those copies.
		more := max(n, 64)
		if room := o.w.cfg.SpillAt - n; room > 0 { // none when a spill failed
			more = min(more, room)
		}
		grown := make([]Finding, n, n+more) // exactly: slices.Grow rounds up
		copy(grown, o.findings)
		o.findings = grown
	}
	o.findings = append(o.findings, f)
	if len(o.findings) >= o.w.cfg.SpillAt {
		o.spillFindings()
	}
}

// spillFindings moves the in-memory findings to the spill file, keeping
// memory bounded for objects with very many findings.
func (o *objectScan) spillFindings() {
	if o.spill == nil {
		s, err := newSpill(o.w.cfg.TempDir)
		if err != nil {
			o.warnings = append(o.warnings, err.Error())
			return // keep them in memory rather than lose them
		}
		o.spill = s
	}
	// Spilled findings must be in offset order: what the coincidence rule
	// still holds goes now, in order, and its columns count as undecided.
	if o.releaseHeld(); o.numUnsorted {
		sortFindings(o.findings)
		o.numUnsorted = false
	}
	if err := o.spill.add(o.findings); err != nil {
		o.warnings = append(o.warnings, err.Error())
		return
	}
	// Cleared before reuse, so that a pooled slice holds no finding past
	// its length (recycleFindings clears only up to the length).
	clear(o.findings)
	o.findings = o.findings[:0]
}

// finding builds a finding from a match and its location.
func (o *objectScan) finding(m *classifiers.Match, off int64, line, col int64, rec int64, field *classifiers.Field) Finding {
	f := o.base
	f.ContainerPath = o.container
	f.Format = o.format
	f.ByteOffset = off
	f.Length = int32(m.End - m.Start)
	if line > 0 {
		f.Line = o.int64Of(line)
		f.Column = o.int64Of(col)
	}
	if rec >= 0 {
		f.Record = o.int64Of(rec)
	}
	if m.Field != nil {
		field = m.Field
	}
	if field != nil && field.Name != "" {
		f.Field = &field.Name // a worker's fields live as long as the run; nothing writes through it
	}
	f.DataType = m.DataType
	f.Category = m.Category
	f.Sensitivity = m.Level
	f.Confidence = m.Confidence
	f.Minor = m.Minor
	f.MaskedValue = m.Masked
	f.Fingerprint = m.Fingerprint
	f.Evidence = m.Evidence
	return f
}

// int64Of returns a pointer to v for a finding's line, column or record,
// cut from a slab instead of allocated on its own: three allocations per
// finding were 135,000 on the bench corpus. A full slab is left to the
// findings that point into it and a new one started, so no pointer handed
// out is ever written again.
func (o *objectScan) int64Of(v int64) *int64 {
	if len(o.ints) == cap(o.ints) {
		o.ints = make([]int64, 0, 256)
	}
	o.ints = append(o.ints, v)
	return &o.ints[len(o.ints)-1]
}

// maxRecordFindings bounds the findings held for one record until it ends
// (see hold). A variable, so that tests can lower it.
var maxRecordFindings = 4096

// hold keeps a finding of the record being scanned until the record ends,
// when closeRecord applies the minor rule to all of them. A record with
// more than maxRecordFindings findings is not one person's record but a
// collection of many people's data (a JSON document that is one object
// keyed by phone number, a map of users): what it holds is released as
// it is, and its later findings as they come, so its findings cost no
// memory of their own. The minor rule does not apply to such a record as a
// whole; each finding keeps its own minor flag (a child's resident ID is
// still minor and S4). The object's notes say so, without values.
func (o *objectScan) hold(f Finding) { o.holdNum(f, nil) }

// holdNum is hold for a finding that the coincidence rule may drop when t
// is not nil (numbers.go).
func (o *objectScan) holdNum(f Finding, t *numType) {
	if o.crowd {
		o.emit(f, t)
		return
	}
	o.pend = append(o.pend, f)
	o.pendNum = append(o.pendNum, t)
	if len(o.pend) <= maxRecordFindings {
		return
	}
	o.crowd = true
	if o.crowds++; o.crowds == 1 {
		o.note(fmt.Sprintf("%s: a record with more than %d findings was taken as a collection of many people's data: "+
			"the minor rule (all of a minor's record is S4) was not applied to it as a whole", o.where(), maxRecordFindings))
	}
	for i := range o.pend {
		o.emit(o.pend[i], o.pendNum[i])
	}
	clear(o.pend) // it pins no strings
	clear(o.pendNum)
	o.pend, o.pendNum = o.pend[:0], o.pendNum[:0]
}

// closeRecord releases a record's findings; if its subject is a minor (a
// birth-date field, or a resident ID of a child in the record) every finding
// of the record is marked minor and graded S4 (PIPL Art. 28: personal
// information of minors under 14 is sensitive). A record taken as a
// collection (hold) has nothing left to release.
func (o *objectScan) closeRecord(minor bool) {
	o.crowd = false
	for _, f := range o.pend {
		minor = minor || f.Minor
	}
	for i := range o.pend {
		if minor {
			if !o.pend[i].Minor {
				o.pend[i].Evidence += ",minor:record"
			}
			o.pend[i].Minor = true
			o.pend[i].Sensitivity = "S4"
		}
		o.emit(o.pend[i], o.pendNum[i])
	}
	clear(o.pendNum)
	o.pend, o.pendNum = o.pend[:0], o.pendNum[:0]
}

// verdicts turns column statistics into column verdicts.
func (o *objectScan) verdicts() []ColumnVerdict {
	var out []ColumnVerdict
	for _, f := range o.colOrder {
		st := o.cols[f]
		if st.values < verdictMin {
			continue
		}
		best, n := "", int64(0)
		for t, c := range st.byType {
			if c > n || (c == n && t < best) {
				best, n = t, c
			}
		}
		share := float64(n) / float64(st.values)
		if share >= verdictShare {
			out = append(out, ColumnVerdict{Object: o.res.Info.Key, Column: f.Name, DataType: best, Share: share, Sampled: st.values})
		}
	}
	return out
}

func (o *objectScan) col(f *classifiers.Field) *colStat {
	// A tiny direct-mapped cache in front of the map: a batch cycles
	// through the same handful of columns value after value.
	slot := &o.colCache[(uintptr(unsafe.Pointer(f))>>4)&7]
	if slot.f == f && slot.st != nil {
		return slot.st
	}
	st := o.cols[f]
	defer func() { slot.f, slot.st = f, st }()
	if st == nil {
		if o.cols == nil {
			o.cols = map[*classifiers.Field]*colStat{}
		}
		st = &colStat{byType: map[string]int64{}}
		o.cols[f] = st
		o.colOrder = append(o.colOrder, f)
	}
	return st
}

// textEmitter turns matches of a text chunk into findings, tracking line
// and column as it moves forward through the chunk.
type textEmitter struct {
	o         *objectScan
	data      []byte
	base      int64 // stream offset of data[0]
	pos       int   // offset in data where line and col hold
	line, col int64
	field     *classifiers.Field
	rec       int64

	// A streamed record value's escapes (batch.writeEscape), by their
	// offset in the decoded stream: the marks from ei on are still ahead,
	// and extra is how many more bytes the ones passed took in the raw
	// stream than decoded. cbase is the decoded offset of data[0].
	esc   []escMark
	ei    int
	extra int64
	cbase int64
}

func newTextEmitter(o *objectScan, field *classifiers.Field, line, col int64) *textEmitter {
	return &textEmitter{o: o, field: field, line: line, col: col, rec: -1}
}

// setChunk moves to a new chunk whose owned region starts where the last
// one's ended.
func (t *textEmitter) setChunk(c Chunk, base int64) {
	t.data, t.base, t.pos, t.cbase = c.Data, base+c.Base, c.OwnStart, c.Base
}

// index returns where escape e is in data.
func (t *textEmitter) index(e escMark) int { return e.at - int(t.cbase) }

// escape notes an escape of a streamed value, in order.
func (t *textEmitter) escape(e escMark) {
	if t.ei >= 1024 && 2*t.ei >= len(t.esc) {
		t.esc, t.ei = t.esc[:copy(t.esc, t.esc[t.ei:])], 0
	}
	t.esc = append(t.esc, e)
}

// advance moves line and column to offset to, over the escapes before it:
// an escape's raw characters (ASCII) count in the column and its decoded
// bytes do not (a JSON "\n" breaks no line of the stream).
func (t *textEmitter) advance(to int) {
	for ; t.ei < len(t.esc); t.ei++ {
		e := t.esc[t.ei]
		at := t.index(e)
		if at >= to {
			break
		}
		t.text(at)
		if t.line > 0 {
			t.col += int64(e.raw)
		}
		t.extra += int64(e.raw - e.dec)
		t.pos = max(t.pos, at+e.dec)
	}
	t.text(to)
}

// text moves line and column over the plain bytes up to offset to.
func (t *textEmitter) text(to int) {
	if to <= t.pos {
		return
	}
	seg := t.data[t.pos:to]
	if nl := bytes.Count(seg, []byte{'\n'}); nl > 0 {
		t.line += int64(nl)
		last := bytes.LastIndexByte(seg, '\n')
		t.col = 1 + int64(utf8.RuneCount(seg[last+1:]))
	} else {
		t.col += int64(utf8.RuneCount(seg))
	}
	t.pos = to
}

func (t *textEmitter) Match(m *classifiers.Match) error {
	t.advance(m.Start)
	f := t.o.finding(m, t.base+int64(m.Start)+t.extra, t.line, t.col, t.rec, t.field)
	for _, e := range t.esc[t.ei:] {
		if t.index(e) >= m.End {
			break
		}
		f.Length += int32(e.raw - e.dec) // escapes within the match
	}
	t.o.addFinding(f)
	return nil
}

func (t *textEmitter) EndRecord(int64, bool) error { return nil }
func (t *textEmitter) Anchor(int) any              { return nil }

// anchorLoc is the location of a finding reported when the object ends
// (a location trace), captured while its record was scanned.
type anchorLoc struct {
	loc   spanLoc
	field *classifiers.Field
}

// finishEmitter receives the object-level findings of Scanner.Finish.
type finishEmitter struct{ o *objectScan }

func (f finishEmitter) Match(m *classifiers.Match) error {
	a, _ := m.Anchor.(*anchorLoc)
	if a == nil {
		a = &anchorLoc{loc: spanLoc{rec: -1}}
	}
	field := a.field
	if m.Field != nil {
		field = m.Field
	}
	fd := f.o.finding(m, a.loc.off, a.loc.line, a.loc.col, a.loc.rec, field)
	fd.Length = 0
	f.o.addFinding(fd)
	return nil
}

func (f finishEmitter) EndRecord(int64, bool) error { return nil }
func (f finishEmitter) Anchor(int) any              { return nil }

// scanChunks classifies a stream as text, chunk by chunk.
func (o *objectScan) scanChunks(ch *Chunker, em *textEmitter, base int64) error {
	for {
		c, err := ch.Next()
		if err != nil {
			if err == errNeedInput {
				return nil
			}
			break // io.EOF
		}
		if err := o.ctx.Err(); err != nil && !o.drain(ch.Err()) {
			return err
		}
		em.setChunk(c, base)
		if err := o.w.sc.ScanText(o.ctx, c.Data, c.OwnStart, c.OwnEnd, em.field, em); err != nil {
			return err
		}
		em.advance(c.OwnEnd)
		o.bytes += int64(c.OwnEnd - c.OwnStart)
		o.w.progress.addBytes(int64(c.OwnEnd - c.OwnStart))
	}
	return ch.Err()
}

// drain reports whether the object's input ended with its timeout
// (readErr, the error its reader stopped with): a read that stalled (stdin
// gone quiet) and was cut by --object-timeout. Then what was read before
// it, at most a window or a batch, is still scanned, and the object's
// context no longer stops that: a partial row would otherwise count bytes
// no detector saw, and findings read in time would be lost.
func (o *objectScan) drain(readErr error) bool {
	if !errors.Is(readErr, context.DeadlineExceeded) {
		return false
	}
	if o.ctx.Err() != nil {
		o.ctx = context.WithoutCancel(o.ctx)
	}
	return true
}

// sortFindings orders findings by offset (spilled findings are already in
// order relative to each other and precede the in-memory ones).
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		switch {
		case a.ByteOffset < b.ByteOffset:
			return -1
		case a.ByteOffset > b.ByteOffset:
			return 1
		}
		return 0
	})
}

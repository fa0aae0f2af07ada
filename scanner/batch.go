package scanner

import (
	"bytes"
	"math"
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/piiscan/piiscan/classifiers"
)

// spanLoc is where a value of a structured record sits in the decoded
// stream, for findings' locations. The CSV and JSON parsers fill in only
// off and rec; line and col are worked out from the parser's window when a
// finding needs them (batch.loc).
type spanLoc struct {
	off  int64 // stream offset of the value's first byte
	rec  int64 // output record index, -1 for none
	line int64 // 1-based line of that byte; 0 when not known yet, or when lines do not apply
	col  int64 // 1-based character column
}

// fieldSlot is a field as a parser keeps it (per CSV column, per JSON
// path): the engine's field and, once the field has a value, its column
// statistics, so that counting a value costs no map lookup.
type fieldSlot struct {
	f  *classifiers.Field
	st *colStat
}

// Batch sizes: values of many records share one buffer so the engine runs
// once per ~256 KiB rather than once per field; a value longer than
// maxInline is streamed through a chunker instead.
const (
	batchBytes = 256 << 10
	maxInline  = 64 << 10
)

// A record is scanned in parts once it holds maxRecordBytes of values or
// maxRecordSpans values and a buffer of the batch is full: the batch is
// scanned with the record left open (flush(true), as before a streamed
// value) instead of growing, so that one huge record (a JSON document that
// is one object with a million members, a CSV row of a million cells)
// costs the memory of a batch, not of the record. Record rules that carry
// over (birth date, coordinate fields) still see the whole record; keyword
// windows and companions stop at a part's edge. Records under the bounds,
// nearly all, are scanned whole as before. Variables, so that tests can
// lower them.
var (
	maxRecordBytes = 4 * batchBytes
	maxRecordSpans = 1 << 16
)

// batch assembles structured records (CSV rows, JSON objects, Parquet rows)
// for ScanRecords. Values are copied into one buffer, separated by '\n',
// which no detector crosses.
type batch struct {
	o      *objectScan
	buf    []byte
	spans  []classifiers.Span
	locs   []spanLoc
	rec    int64 // internal record id of the record being built
	inRec  bool
	vstart int // start of the open value in buf, -1 when none
	vfield *classifiers.Field
	vslot  *fieldSlot // the open value's slot, when its parser counts values
	vloc   spanLoc
	// where the open record starts in buf and spans (0 once a flush left
	// it open), for maxRecordBytes and maxRecordSpans
	recBuf, recSpan int
	// lazy locations: win holds the bytes of locs[lazy:] and of vloc, whose
	// line and column are still 0 (nil for formats without lines)
	win  *window
	lazy int
	// streaming of a huge value: streamN decoded bytes of it written so far
	stream   *Chunker
	streamEm *textEmitter
	streamN  int
	// column statistics: on, counted by the parser as values are added
	// (otherwise by countValues at flush), and the spans of this batch
	// already counted per type
	stats     bool
	counted   bool
	lastSpan  int
	lastTypes []string
	// the coincidence rule (numbers.go): spans of this flush whose digit
	// runs are counted, and the last span whose hit is counted
	numNext, numSpan int
	// the escapes of the values in buf, in order (writeEscape)
	esc []escMark
}

// escMark notes an escape in a value of the batch: the dec bytes at buf[at:]
// stand for raw bytes of the stream (JSON's "\n" or "\u4e2d", a CSV
// field's doubled quote), so that a finding's offset, length and column
// count the bytes of the stream, not the decoded value's.
type escMark struct{ at, dec, raw int }

// writeEscape appends the decoded bytes dec of an escape raw bytes long
// to the open value. A streamed value's escapes go to its text emitter,
// noted before their bytes can reach a chunk that is scanned.
func (b *batch) writeEscape(dec []byte, raw int) error {
	if b.stream == nil && b.pastInline(len(dec)) {
		if err := b.startStream(nil); err != nil {
			return err
		}
	}
	if b.stream != nil {
		b.streamEm.escape(escMark{at: b.streamN, dec: len(dec), raw: raw})
		return b.streamWrite(dec)
	}
	if err := b.write(dec); err != nil {
		return err
	}
	if b.vstart >= 0 {
		b.esc = append(b.esc, escMark{at: len(b.buf) - len(dec), dec: len(dec), raw: raw})
	}
	return nil
}

// escFrom returns the index of the first escape at or after buf offset at.
func (b *batch) escFrom(at int) int {
	return sort.Search(len(b.esc), func(i int) bool { return b.esc[i].at >= at })
}

// escIn reports an escape in buf[from:to].
func (b *batch) escIn(from, to int) bool {
	if len(b.esc) == 0 {
		return false // the common case: no value of the batch has one
	}
	k := b.escFrom(from)
	return k < len(b.esc) && b.esc[k].at < to
}

// rawPlace works out a match's place in the stream when escapes lie
// between its value's start and its end: the stream offset, line and
// column of buf[start] in the value of span sp at loc, and how many more
// bytes the match takes in the stream than in buf[start:end].
func (b *batch) rawPlace(sp classifiers.Span, loc spanLoc, start, end int) (off, line, col int64, extra int) {
	off, line, col = loc.off, loc.line, loc.col
	pos := sp.Start
	plain := func(to int) {
		seg := b.buf[pos:to]
		off += int64(len(seg))
		line, col = advanceLine(seg, line, col)
	}
	i := b.escFrom(sp.Start)
	for ; i < len(b.esc) && b.esc[i].at < start; i++ {
		e := b.esc[i]
		plain(e.at)
		off += int64(e.raw)
		if line > 0 {
			col += int64(e.raw) // an escape's characters are ASCII
		}
		pos = e.at + e.dec
	}
	plain(start)
	for ; i < len(b.esc) && b.esc[i].at < end; i++ {
		extra += b.esc[i].raw - b.esc[i].dec
	}
	return off, line, col, extra
}

// advanceLine moves a line and column (line 0: none) over text seg.
func advanceLine(seg []byte, line, col int64) (int64, int64) {
	if line == 0 {
		return line, col
	}
	if nl := bytes.Count(seg, []byte{'\n'}); nl > 0 {
		return line + int64(nl), 1 + int64(utf8.RuneCount(seg[bytes.LastIndexByte(seg, '\n')+1:]))
	}
	return line, col + int64(utf8.RuneCount(seg))
}

func newBatch(o *objectScan) *batch {
	b := &batch{o: o, vstart: -1, lastSpan: -1, stats: o.w.cfg.columnStats}
	// Take the worker's spare buffers (a second batch alive at the same
	// time simply starts empty); finish gives them back.
	w := o.w
	b.buf, b.spans, b.locs = w.spareBuf[:0], w.spareSpans[:0], w.spareLocs[:0]
	w.spareBuf, w.spareSpans, w.spareLocs = nil, nil, nil
	return b
}

// release returns the batch's buffers to the worker for the next object.
func (b *batch) release() {
	w := b.o.w
	if cap(b.buf) <= 4*batchBytes {
		w.spareBuf, w.spareSpans, w.spareLocs = b.buf[:0], b.spans[:0], b.locs[:0]
	}
	b.buf, b.spans, b.locs = nil, nil, nil
}

// beginRecord starts a record; rec is its output index (-1 for none).
func (b *batch) beginRecord() {
	if b.inRec {
		b.endRecord()
	}
	b.rec++
	b.inRec = true
	b.recBuf, b.recSpan = len(b.buf), len(b.spans)
}

// beginValue opens a value of field f at loc.
func (b *batch) beginValue(f *classifiers.Field, loc spanLoc) {
	if !b.inRec {
		b.beginRecord()
	}
	b.vstart = len(b.buf)
	b.vfield, b.vslot, b.vloc = f, nil, loc
}

// beginSlot opens a value of a parser's field slot at loc; the value is
// counted for column statistics when it ends.
func (b *batch) beginSlot(s *fieldSlot, loc spanLoc) {
	b.beginValue(s.f, loc)
	b.vslot = s
}

// cut scans the buffered records now, so that the next value starts a
// call of the engine. No value may be open.
func (b *batch) cut() error {
	if len(b.spans) == 0 {
		return nil
	}
	b.inRec = false
	return b.flush(false)
}

// relabel gives the open value the field of slot s instead, unless it is
// streamed (its field is then the one it began with).
func (b *batch) relabel(s *fieldSlot) {
	if b.vstart >= 0 && b.stream == nil {
		b.vfield, b.vslot = s.f, s
	}
}

// add appends a whole value of slot s at loc: the parsers' common case,
// one copy and one span, with no value left open.
func (b *batch) add(s *fieldSlot, loc spanLoc, v []byte) error {
	n, k := len(b.buf), len(b.spans)
	if len(v) == 0 || len(v) > maxInline || !b.inRec || cap(b.buf)-n <= len(v) || k == cap(b.spans) || k == cap(b.locs) {
		return b.addSlow(s, loc, v)
	}
	// Reslicing in place stores only the lengths, and setting the span
	// field by field keeps the GC's write barrier to the one pointer. The
	// bytes are copied last, so that nothing is kept across the call.
	e := n + len(v)
	b.buf = b.buf[:e+1]
	b.buf[e] = '\n'
	b.spans = b.spans[:k+1]
	sp := &b.spans[k]
	sp.Start, sp.End, sp.Field, sp.Record, sp.Kind = n, e, s.f, b.rec, 0
	b.locs = b.locs[:k+1]
	b.locs[k] = loc
	if b.stats {
		b.count(s)
	}
	copy(b.buf[n:e], v)
	return nil
}

// addSlow is add for the cases that need more: a new record, an empty
// value, a full buffer, a value to stream.
func (b *batch) addSlow(s *fieldSlot, loc spanLoc, v []byte) error {
	if !b.inRec {
		b.beginRecord()
	}
	if len(v) == 0 {
		return nil
	}
	if k := len(b.spans); k == cap(b.spans) || k == cap(b.locs) {
		if b.over() {
			if err := b.split(); err != nil {
				return err
			}
		} else {
			b.spans, b.locs = slices.Grow(b.spans, 1), slices.Grow(b.locs, 1)
		}
	}
	b.beginSlot(s, loc)
	if err := b.write(v); err != nil {
		return err
	}
	return b.endValue()
}

// count counts a value of slot s for column statistics (up to the sample).
func (b *batch) count(s *fieldSlot) {
	if st := s.st; st != nil {
		if st.values < verdictSample {
			st.values++
		}
		return
	}
	b.countNew(s)
}

// countNew counts the first value of a slot, finding its statistics.
func (b *batch) countNew(s *fieldSlot) {
	if s.f == nil {
		return
	}
	s.st = b.o.col(s.f)
	b.count(s)
}

// write appends bytes of the open value.
func (b *batch) write(p []byte) error {
	if b.stream != nil {
		return b.streamWrite(p)
	}
	if b.pastInline(len(p)) {
		return b.startStream(p)
	}
	if len(b.buf)+len(p) > cap(b.buf) && b.over() {
		if err := b.split(); err != nil {
			return err
		}
	}
	b.buf = append(b.buf, p...)
	return nil
}

// pastInline reports that n more bytes take the open value past maxInline,
// so that it is streamed.
func (b *batch) pastInline(n int) bool { return len(b.buf)-b.vstart+n > maxInline }

// writeByte appends one byte of the open value.
func (b *batch) writeByte(c byte) error {
	if b.stream == nil && len(b.buf)-b.vstart < maxInline && len(b.buf) < cap(b.buf) {
		b.buf = append(b.buf, c)
		return nil
	}
	return b.write([]byte{c})
}

// endValue closes the open value.
func (b *batch) endValue() error {
	if b.stream != nil {
		return b.endStream()
	}
	if b.vstart < 0 {
		return nil
	}
	if len(b.buf) > b.vstart {
		if (len(b.spans) == cap(b.spans) || len(b.locs) == cap(b.locs)) && b.over() {
			if err := b.split(); err != nil {
				return err
			}
		}
		b.spans = append(b.spans, classifiers.Span{Start: b.vstart, End: len(b.buf), Field: b.vfield, Record: b.rec})
		b.locs = append(b.locs, b.vloc)
		b.buf = append(b.buf, '\n')
		if b.stats && b.vslot != nil {
			b.count(b.vslot)
		}
	}
	b.vstart, b.vslot = -1, nil
	return nil
}

// over reports that the open record holds maxRecordBytes of values or
// maxRecordSpans values. It is asked only where a buffer is full, so that
// add's fast path pays nothing for it.
func (b *batch) over() bool {
	return b.inRec && (len(b.buf)-b.recBuf >= maxRecordBytes || len(b.spans)-b.recSpan >= maxRecordSpans)
}

// split scans the batch, the open record continuing in the next flush,
// where a full buffer would otherwise grow; an open value moves to the
// start of the emptied buffer and goes on there. Growing happens only for
// records under the bounds, so the buffers stay within about twice them.
func (b *batch) split() error {
	if b.vstart < 0 {
		return b.flush(true)
	}
	full, v := b.buf, b.vstart
	marks, k := b.esc, b.escFrom(v) // the open value's escapes go with it
	b.buf, b.esc = b.buf[:v], b.esc[:k]
	if err := b.flush(true); err != nil {
		return err
	}
	b.buf = append(b.buf, full[v:]...) // within the same array: a move to its start
	b.vstart = 0
	b.esc = marks[:copy(marks, marks[k:])]
	for i := range b.esc {
		b.esc[i].at -= v
	}
	return nil
}

// dropValue discards the open value, which must not be streaming (a JSON
// key read the slow way that turned out to be a plain field name).
func (b *batch) dropValue() {
	if b.vstart >= 0 {
		b.buf, b.esc = b.buf[:b.vstart], b.esc[:b.escFrom(b.vstart)]
	}
	b.vstart, b.vslot = -1, nil
}

// endRecord closes the current record and scans the batch when it is big.
func (b *batch) endRecord() error {
	if !b.inRec {
		return nil
	}
	b.inRec = false
	if len(b.buf) >= batchBytes {
		return b.flush(false)
	}
	return nil
}

// finish scans what is left and releases the buffers.
func (b *batch) finish() error {
	if b.vstart >= 0 {
		if err := b.endValue(); err != nil {
			return err
		}
	}
	b.inRec = false
	err := b.flush(false)
	b.release()
	return err
}

// flush scans the buffered records. With more, the last record continues
// in the next flush (its record rules wait for its remaining fields).
func (b *batch) flush(more bool) error {
	o := b.o
	if len(b.spans) > 0 || !more {
		// With no spans this only ends a record an earlier flush left open.
		if b.stats && !b.counted {
			b.countValues()
		}
		b.numNext, b.numSpan = 0, -1
		if err := o.w.sc.ScanRecords(o.ctx, b.buf, b.spans, more, (*recEmitter)(b)); err != nil {
			return err
		}
		b.countNumbers(len(b.spans) - 1)
		n := int64(len(b.buf) - len(b.spans)) // separators are not data
		o.bytes += n
		o.w.progress.addBytes(n)
	}
	if !more && (len(o.pend) > 0 || o.crowd) {
		o.closeRecord(false) // a record the engine did not hold open
	}
	b.buf, b.spans, b.locs, b.esc = b.buf[:0], b.spans[:0], b.locs[:0], b.esc[:0]
	b.recBuf, b.recSpan = 0, 0
	b.lazy = 0
	b.lastSpan = -1
	return o.ctx.Err()
}

func (b *batch) countValues() {
	for i := range b.spans {
		f := b.spans[i].Field
		if f == nil {
			continue
		}
		st := b.o.col(f)
		if st.values < verdictSample {
			st.values++
		}
	}
}

// startStream turns the open value into a stream: the batch so far is
// scanned first (findings stay in offset order), then the value's bytes go
// through a push chunker like any text.
func (b *batch) startStream(p []byte) error {
	v := b.vstart
	head := append([]byte(nil), b.buf[v:]...)
	k := b.escFrom(v)
	marks := slices.Clone(b.esc[k:]) // the head's escapes, which go on with it
	b.buf, b.esc = b.buf[:v], b.esc[:k]
	if err := b.flush(true); err != nil {
		return err
	}
	b.stream, b.streamN = NewPushChunker(b.o.w.cfg.Chunk), 0
	b.resolve(&b.vloc)
	b.streamEm = newTextEmitter(b.o, b.vfield, b.vloc.line, b.vloc.col)
	b.streamEm.rec = b.vloc.rec
	for _, e := range marks {
		e.at -= v // from the value's start, as the chunker counts
		b.streamEm.escape(e)
	}
	if err := b.streamWrite(head); err != nil {
		return err
	}
	return b.streamWrite(p)
}

func (b *batch) streamWrite(p []byte) error {
	b.streamN += len(p)
	for len(p) > 0 {
		n := b.stream.Write(p)
		p = p[n:]
		for b.stream.Ready() {
			if err := b.o.scanChunks(b.stream, b.streamEm, b.vloc.off); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *batch) endStream() error {
	b.stream.CloseWrite()
	err := b.o.scanChunks(b.stream, b.streamEm, b.vloc.off)
	b.stream, b.streamEm = nil, nil
	b.vstart, b.vslot = -1, nil
	return err
}

// resolve works out the line and column of l, if they are still to do.
func (b *batch) resolve(l *spanLoc) {
	if l.line == 0 && b.win != nil {
		l.line, l.col = b.win.at(l.off)
	}
}

// loc returns the location of span i, worked out now if need be.
func (b *batch) loc(i int) spanLoc {
	b.resolve(&b.locs[i])
	return b.locs[i]
}

// hold returns the first stream offset whose bytes a pending location
// needs, or math.MaxInt64.
func (b *batch) hold() int64 {
	h := int64(math.MaxInt64)
	for b.lazy < len(b.locs) && b.locs[b.lazy].line != 0 {
		b.lazy++ // worked out already (a finding, or a CSV header cell)
	}
	if b.lazy < len(b.locs) {
		h = b.locs[b.lazy].off
	}
	if b.vstart >= 0 && b.vloc.line == 0 {
		h = min(h, b.vloc.off)
	}
	return h
}

// settle works out the locations before stream offset limit now, because
// the window must let their bytes go.
func (b *batch) settle(limit int64) {
	for ; b.lazy < len(b.locs) && b.locs[b.lazy].off < limit; b.lazy++ {
		b.resolve(&b.locs[b.lazy])
	}
	if b.vstart >= 0 && b.vloc.off < limit {
		b.resolve(&b.vloc)
	}
}

// recEmitter maps a batch's matches to findings.
type recEmitter batch

func (r *recEmitter) Match(m *classifiers.Match) error {
	b := (*batch)(r)
	sp := b.spans[m.Span]
	loc := b.loc(m.Span)
	var f Finding
	if b.escIn(sp.Start, m.End) {
		off, line, col, extra := b.rawPlace(sp, loc, m.Start, m.End)
		f = b.o.finding(m, off, line, col, loc.rec, sp.Field)
		f.Length += int32(extra)
	} else {
		seg := b.buf[sp.Start:m.Start]
		line, col := advanceLine(seg, loc.line, loc.col)
		f = b.o.finding(m, loc.off+int64(len(seg)), line, col, loc.rec, sp.Field)
	}
	b.o.holdNum(f, b.numMatch(m, &sp))
	if b.stats && sp.Field != nil && m.Field == nil {
		if b.lastSpan != m.Span {
			b.lastSpan, b.lastTypes = m.Span, b.lastTypes[:0]
		}
		if !contains(b.lastTypes, m.DataType) {
			b.lastTypes = append(b.lastTypes, m.DataType)
			st := b.o.col(sp.Field)
			if st.byType[m.DataType] < st.values {
				st.byType[m.DataType]++
			}
		}
	}
	return nil
}

func (r *recEmitter) Anchor(span int) any {
	b := (*batch)(r)
	if span < 0 || span >= len(b.spans) {
		return nil
	}
	return &anchorLoc{loc: b.loc(span), field: b.spans[span].Field}
}

func (r *recEmitter) EndRecord(_ int64, minor bool) error {
	(*batch)(r).o.closeRecord(minor)
	return nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

package scanner

import (
	"bytes"
	"unicode/utf8"

	"github.com/piiscan/piiscan/classifiers"
)

// spanLoc is where a value of a structured record sits in the decoded
// stream, for findings' locations.
type spanLoc struct {
	off  int64 // stream offset of the value's first byte
	line int64 // 1-based line of that byte, 0 when lines do not apply
	col  int64 // 1-based character column
	rec  int64 // output record index, -1 for none
}

// Batch sizes: values of many records share one buffer so the engine runs
// once per ~256 KiB rather than once per field; a value longer than
// maxInline is streamed through a chunker instead.
const (
	batchBytes = 256 << 10
	maxInline  = 64 << 10
)

// batch assembles structured records (CSV rows, JSON objects, Parquet rows)
// for ScanRecords. Values are separated by '\n', which no detector crosses.
type batch struct {
	o      *objectScan
	buf    []byte
	spans  []classifiers.Span
	locs   []spanLoc
	rec    int64 // internal record id of the record being built
	inRec  bool
	vstart int // start of the open value in buf, -1 when none
	vfield *classifiers.Field
	vloc   spanLoc
	// streaming of a huge value
	stream   *Chunker
	streamEm *textEmitter
	// column statistics: the spans of this batch already counted per type
	lastSpan  int
	lastTypes []string
}

func newBatch(o *objectScan) *batch {
	b := &batch{o: o, vstart: -1, lastSpan: -1}
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
}

// beginValue opens a value of field f at loc.
func (b *batch) beginValue(f *classifiers.Field, loc spanLoc) {
	if !b.inRec {
		b.beginRecord()
	}
	b.vstart = len(b.buf)
	b.vfield, b.vloc = f, loc
}

// write appends bytes of the open value.
func (b *batch) write(p []byte) error {
	if b.stream != nil {
		return b.streamWrite(p)
	}
	if len(b.buf)-b.vstart+len(p) > maxInline {
		return b.startStream(p)
	}
	b.buf = append(b.buf, p...)
	return nil
}

// writeByte appends one byte of the open value.
func (b *batch) writeByte(c byte) error {
	if b.stream == nil && len(b.buf)-b.vstart < maxInline {
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
		b.spans = append(b.spans, classifiers.Span{Start: b.vstart, End: len(b.buf), Field: b.vfield, Record: b.rec})
		b.locs = append(b.locs, b.vloc)
		b.buf = append(b.buf, '\n')
	}
	b.vstart = -1
	return nil
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
	if len(b.spans) > 0 {
		if o.w.cfg.columnStats {
			b.countValues()
		}
		if err := o.w.sc.ScanRecords(o.ctx, b.buf, b.spans, more, (*recEmitter)(b)); err != nil {
			return err
		}
		n := int64(len(b.buf) - len(b.spans)) // separators are not data
		o.bytes += n
		o.w.progress.addBytes(n)
	} else if !more && len(o.pend) > 0 {
		o.closeRecord(false)
	}
	b.buf, b.spans, b.locs = b.buf[:0], b.spans[:0], b.locs[:0]
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
	head := append([]byte(nil), b.buf[b.vstart:]...)
	b.buf = b.buf[:b.vstart]
	if err := b.flush(true); err != nil {
		return err
	}
	b.stream = NewPushChunker(b.o.w.cfg.Chunk)
	b.streamEm = newTextEmitter(b.o, b.vfield, b.vloc.line, b.vloc.col)
	b.streamEm.rec = b.vloc.rec
	if err := b.streamWrite(head); err != nil {
		return err
	}
	return b.streamWrite(p)
}

func (b *batch) streamWrite(p []byte) error {
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
	b.vstart = -1
	return err
}

// recEmitter maps a batch's matches to findings.
type recEmitter batch

func (r *recEmitter) Match(m *classifiers.Match) error {
	b := (*batch)(r)
	sp := b.spans[m.Span]
	loc := b.locs[m.Span]
	seg := b.buf[sp.Start:m.Start]
	line, col := loc.line, loc.col
	if line > 0 {
		if nl := bytes.Count(seg, []byte{'\n'}); nl > 0 {
			line += int64(nl)
			col = 1 + int64(utf8.RuneCount(seg[bytes.LastIndexByte(seg, '\n')+1:]))
		} else {
			col += int64(utf8.RuneCount(seg))
		}
	}
	f := b.o.finding(m, loc.off+int64(len(seg)), line, col, loc.rec, sp.Field)
	b.o.pend = append(b.o.pend, f)
	if b.o.w.cfg.columnStats && sp.Field != nil && m.Field == nil {
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
	return &anchorLoc{loc: b.locs[span], field: b.spans[span].Field}
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

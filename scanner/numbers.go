package scanner

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
)

// The coincidence rule for columns of numbers. A column of random integers
// (ids, counters, a test file's bitwidth62) holds values that look like
// cards or mobiles by chance: one random 19-digit number in ten passes
// Luhn, and a third of the 11-digit numbers between 1e10 and 2e10 start
// like a mobile segment. A real card or phone column has nearly every value
// valid; a column where many values of the same shape pass no check is a
// column of numbers, and its few valid ones are coincidences.
//
// For each column, values that are a whole run of digits (one leading '+'
// or '-' allowed; a sign is not a digit) are counted by their number of
// digits, with how many of them any finding sat in (hits). For each data
// type T, the findings of T on such values give the digit counts T takes
// (lens). When the column has numMin values of T's digit counts and fewer
// than numShare of them passed any check, the findings of T on digit-run
// values that have neither a keyword nor a field hint are dropped, and the
// object gets one note (counts only, never values). Findings with context
// are always kept. Types whose structure random numbers essentially never
// pass (numStrong) are left alone.
//
// Memory stays bounded: a type's context-free findings are held only while
// its column is undecided, which is while it has fewer than numMin values
// of its digit counts, so at most numMin of them per column and type. At
// the end of the object a column with at least numMinEnd such values is
// decided the same way; one with fewer keeps what it held.
const (
	// numMin same-shaped values decide a column: with numShare 0.8, 32
	// random 19-digit numbers (one in ten passes Luhn) reach 26 hits with
	// a chance under 1e-15, and a real column with 1% bad values falls
	// under 26 of 32 with a chance under 1e-7.
	numMin = 32
	// numMinEnd is the smallest column decided when the object ends (a
	// 200-row Parquet test file holds 27 11-digit values in a column).
	numMinEnd = 16
	// numShare: a column whose values of T's shape pass any check this
	// often or more is taken as data (a mobile column with some
	// landlines still passes: the landlines are hits too).
	numShare = 0.8
	// digit counts looked at: no digits-only detector takes fewer than 7
	numMinDigits = 7
	numMaxDigits = 24
)

// numStrong are the types left alone: cn_resident_id needs a real date, a
// region code and GB 11643's MOD 11-2, which random 18-digit numbers pass
// about once in ten million.
var numStrong = map[string]bool{"cn_resident_id": true}

// Decision states of a numType.
const (
	numOpen int8 = iota
	numKeep
	numDrop
)

// numStat is a column's count of digit-run values.
type numStat struct {
	byLen [numMaxDigits + 1]int64 // digit-run values by number of digits
	hits  [numMaxDigits + 1]int64 // of those, values any finding sat in
	types []*numType
}

// numType is one data type's findings on a column's digit-run values.
type numType struct {
	col      *numStat
	dataType string
	lens     uint32 // digit counts of the type's findings on digit-run values
	found    int64  // those findings, with or without context
	state    int8
	held     []Finding // context-free findings while the column is undecided
	dropped  int64
}

// digitRun returns the number of digits of v when v is a whole run of
// ASCII digits with at most one leading sign, within the lengths looked
// at; otherwise 0.
func digitRun(v []byte) int {
	n := len(v)
	if n < numMinDigits || n > numMaxDigits+1 {
		return 0
	}
	start := 0
	if v[0] == '+' || v[0] == '-' {
		start = 1
	}
	if n-start < numMinDigits || n-start > numMaxDigits {
		return 0
	}
	for i := start; i < n; i++ {
		if v[i]-'0' > 9 {
			return 0
		}
	}
	return n - start
}

// values of T's digit counts and how many of them passed any check
func (t *numType) counts() (vals, hits int64) {
	for m := t.lens; m != 0; m &= m - 1 {
		l := bits.TrailingZeros32(m)
		vals += t.col.byLen[l]
		hits += t.col.hits[l]
	}
	return vals, hits
}

// decide settles an open type once its column has least values of its
// digit counts: held findings are released or dropped.
func (o *objectScan) decide(t *numType, least int64) {
	if t.state != numOpen {
		return
	}
	vals, hits := t.counts()
	if vals < least {
		return
	}
	if float64(hits) < numShare*float64(vals) {
		t.state = numDrop
		t.dropped += int64(len(t.held))
	} else {
		t.state = numKeep
		o.release(t.held, true)
	}
	clear(t.held)
	t.held = nil
}

// release adds findings held back by the coincidence rule to the object's
// findings. They come after findings of later offsets, so the findings in
// memory are sorted before they spill (numUnsorted); they are added at once,
// so that a spill cannot fall between them and leave some of them after
// findings it wrote. spill is false from within spillFindings.
func (o *objectScan) release(held []Finding, spill bool) {
	if len(held) == 0 {
		return
	}
	for i := range held {
		if r := rules.LevelRank(held[i].Sensitivity); r > o.top {
			o.top = r
		}
	}
	o.findings = append(o.findings, held...)
	o.numUnsorted = true
	if spill && len(o.findings) >= o.w.cfg.SpillAt {
		o.spillFindings()
	}
}

// emit passes a finding on to the object's findings unless t (its numType
// when it is a context-free finding on a digit-run value, else nil) holds
// or drops it.
func (o *objectScan) emit(f Finding, t *numType) {
	if t == nil {
		o.addFinding(f)
		return
	}
	switch t.state {
	case numKeep:
		o.addFinding(f)
	case numDrop:
		t.dropped++
	default:
		t.held = append(t.held, f)
		o.decide(t, numMin)
	}
}

// releaseHeld gives up on every open type: its held findings are kept. It
// runs before findings spill, which must keep offset order.
func (o *objectScan) releaseHeld() {
	for _, t := range o.numOpen {
		if t.state == numOpen {
			t.state = numKeep
			o.release(t.held, false)
			clear(t.held)
			t.held = nil
		}
	}
	o.numOpen = o.numOpen[:0]
}

// numFinish decides the open types at the end of the object (numMinEnd),
// keeps what is still held and notes each dropped type once.
func (o *objectScan) numFinish() {
	for _, t := range o.numOpen {
		o.decide(t, numMinEnd)
		if t.state == numOpen {
			t.state = numKeep
			o.release(t.held, true)
			clear(t.held)
			t.held = nil
		}
	}
	o.numOpen = nil
	// One note per column and type, the first numNotes of them; then one
	// for the rest, so that a file of 30 such columns is not 30 notes.
	const numNotes = 3
	notes, moreCols, moreDropped := 0, 0, int64(0)
	for _, f := range o.colOrder {
		st := o.cols[f]
		if st.num == nil {
			continue
		}
		for _, t := range st.num.types {
			if t.dropped == 0 {
				continue
			}
			if notes == numNotes {
				moreCols++
				moreDropped += t.dropped
				continue
			}
			notes++
			vals, _ := t.counts()
			o.note(fmt.Sprintf("%s: column %s: %s of %s %s values passed %s's checks, taken as numbers, not %s (%s without a keyword or field hint dropped)",
				o.where(), SafeText(f.Name), humanize.Comma(t.found), humanize.Comma(vals), digitLens(t.lens), t.dataType, t.dataType, plural(t.dropped, "finding")))
		}
	}
	if moreCols > 0 {
		cols := "columns"
		if moreCols == 1 {
			cols = "column"
		}
		o.note(fmt.Sprintf("%s: %s more %s taken as numbers the same way (%s without a keyword or field hint dropped)",
			o.where(), humanize.Comma(int64(moreCols)), cols, plural(moreDropped, "finding")))
	}
}

// plural writes n and a noun: "1 finding", "1,000 findings".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return humanize.Comma(n) + " " + noun + "s"
}

// numType returns the numType of data type dt in column st.
func (o *objectScan) numType(st *colStat, dt string) *numType {
	if st.num == nil {
		st.num = &numStat{}
	}
	for _, t := range st.num.types {
		if t.dataType == dt {
			return t
		}
	}
	t := &numType{col: st.num, dataType: dt}
	st.num.types = append(st.num.types, t)
	o.numOpen = append(o.numOpen, t)
	return t
}

// digitLens names a set of digit counts: "19-digit", "18- to 20-digit".
func digitLens(m uint32) string {
	lo, hi := bits.TrailingZeros32(m), 31-bits.LeadingZeros32(m)
	if lo == hi {
		return strconv.Itoa(lo) + "-digit"
	}
	return strconv.Itoa(lo) + "- to " + strconv.Itoa(hi) + "-digit"
}

// contextFree reports evidence with neither a keyword nor a field hint.
func contextFree(ev string) bool {
	return !strings.Contains(ev, "keyword:") && !strings.Contains(ev, "field")
}

// countNumbers counts the digit-run values of spans [b.numNext, upto] of
// the batch being scanned: values are counted in the order findings come,
// so that a column's counts and its findings always cover the same values.
func (b *batch) countNumbers(upto int) {
	for ; b.numNext <= upto; b.numNext++ {
		sp := &b.spans[b.numNext]
		if sp.Field == nil {
			continue
		}
		n := sp.End - sp.Start
		if n < numMinDigits || n > numMaxDigits+1 {
			continue
		}
		if l := digitRun(b.buf[sp.Start:sp.End]); l > 0 {
			st := b.o.col(sp.Field)
			if st.num == nil {
				st.num = &numStat{}
			}
			st.num.byLen[l]++
		}
	}
}

// numMatch counts a match on a digit-run value for the coincidence rule
// and returns its numType when the finding is one the rule may drop.
func (b *batch) numMatch(m *classifiers.Match, sp *classifiers.Span) *numType {
	b.countNumbers(m.Span)
	if sp.Field == nil || m.Field != nil {
		return nil
	}
	l := digitRun(b.buf[sp.Start:sp.End])
	if l == 0 {
		return nil
	}
	o := b.o
	st := o.col(sp.Field)
	if b.numSpan != m.Span {
		b.numSpan = m.Span
		st.num.hits[l]++
	}
	if numStrong[m.DataType] {
		return nil
	}
	t := o.numType(st, m.DataType)
	t.lens |= 1 << l
	t.found++
	if !contextFree(m.Evidence) {
		return nil
	}
	return t
}

package classifiers

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"slices"

	"github.com/piiscan/piiscan/classifiers/deid"
)

// Match is one de-identified finding. It never holds the raw value.
type Match struct {
	DataType, Category, Level string
	// Start and End are byte offsets of the match in the scanned buffer.
	Start, End int
	// Span is the index of the span holding the match (ScanRecords), or -1.
	Span int
	// Record is the record of that span, or -1 for text.
	Record     int64
	Confidence float32
	// Minor is set when the value itself shows its holder is under 14
	// (a resident ID). Record-level minors come through Emitter.EndRecord.
	Minor       bool
	Masked      string
	Fingerprint string
	Evidence    string
	// Field, when not nil, is the field the finding belongs to when that is
	// not the span's own (a coordinate built from latitude/longitude fields).
	Field *Field
	// Anchor, for findings reported by Finish (location traces), is the
	// location the caller returned from Emitter.Anchor.
	Anchor any
	// Replacement and Operator are set when the scanner has a
	// de-identification policy (SetPolicy): the bytes that replace
	// [Start, End) in a de-identified copy, and the operator that made them.
	// The raw value itself still never leaves the engine.
	Replacement []byte
	Operator    string
}

// Emitter receives a scanner's output. Matches come in offset order within a
// call. Match pointers are valid only during the call.
type Emitter interface {
	Match(m *Match) error
	// EndRecord closes a record of ScanRecords; minor reports a birth-date
	// field that puts the record's subject under 14 on the reference day.
	EndRecord(record int64, minor bool) error
	// Anchor returns the caller's location of span (of the current
	// ScanRecords call), kept for a finding Finish reports later.
	Anchor(span int) any
}

// Span is one value of a structured record inside a ScanRecords buffer.
// Spans are sorted, do not overlap and are separated by at least one byte
// that no detector crosses ('\n'). Spans of one record are consecutive.
type Span struct {
	Start, End int
	Field      *Field
	Record     int64
	// Kind is the value's type in its format (a JSON string, number,
	// array ...), so that a replacement keeps the document valid.
	Kind deid.Kind
}

// Scanner scans buffers with an Engine. It holds reusable buffers and the
// state of the record being read, so it is not safe for concurrent use: use
// one per goroutine and call Reset between objects.
type Scanner struct {
	e        *Engine
	mac      hash.Hash
	sum      []byte
	hexBuf   [64]byte
	slab     []byte            // where match strings are cut from (strs.go)
	evb      []byte            // evidence being built
	mbuf     []byte            // masked value being built
	interned map[string]string // evidence strings
	tlds     map[string]bool   // icannTLD's answers
	canon    []byte            // canonical value of the current candidate
	low      []byte            // lower-cased keyword window
	digits   []byte            // concatenated digit groups
	upper    []byte            // an alphanumeric token in upper case (token)
	runes    []rune            // regexp2 window
	r2b      []int             // rune index -> byte offset
	wins     [][2]int          // user-rule windows (user.go)
	ulow     []byte            // buf with ASCII lowered around the chunk, for the user rules
	ulowOK   bool              // ulow is up to date for this call
	ulowOff  int               // ulow[i-ulowOff] is buf[i]

	// user rules (user.go, userpre_scan.go)
	urLo, urHi  int         // runes and r2b hold buf[urLo:urHi] in this call
	userLast    int         // the last start a match may have in the current span
	pwins       []preWindow // prefilter windows
	userPreMode userPreMode // tests: userPreOff, userPreAlways

	// per call
	buf        []byte
	own0, own1 int
	spans      []Span
	textField  *Field
	name       bool // ScanName: the text is an object's name
	lastSpan   int
	recLo      int // bounds of the current record in buf (keyword window)
	recHi      int
	out        []Match
	ctx        context.Context

	open      recFacts            // the record continuing from the previous call
	companion map[int64]bool      // records of this call with identity/contact data
	cols      []colRead           // profile decisions of positional columns, this object (columns.go)
	prof      map[int]*colProfile // and the counts of those still open
	seen      [][3]int            // prose term ranges reported in this call, and their rules (seenAt)
	recs      []recFacts          // reused by recordFacts
	ctxSpans  []int               // recordFacts: spans of fields with ctxRules in the current record
	waitNames []int               // and of bare name columns waiting for a companion
	policy    *deid.Policy        // de-identification, when making copies
	traces    map[string]*trace
	hasNet    bool              // IPv6 or MAC rules are enabled
	gs        [maxGrp + 1]group // digit groups of the sequence being parsed
	kwHits    []int             // the fused pass\'s candidates: prose keywords,
	anchors   []int             // address anchors (号, 室)
	tmpl      []int             // and template starts
	points    []recPoint        // coordinates found by the text detectors in this call
	stats     Stats
	userTO    []RuleTimeouts // user rules that gave up on text at a timeout, this object
	toLeft    int            // timeouts the current user rule may still have in this call

	// full-width forms (fullwidth.go)
	sawWide bool   // the pass met a full-width digit
	folded  bool   // the scanner reads fbuf, a folded copy of orig.buf
	orig    view   // the original's view while folded
	fbuf    []byte // the folded copy, of orig.buf[foldLo:]
	foldLo  int
	runs    []foldRun // its folded characters
	toks    []wideTok // the full-width tokens of the buffer being folded
	fspans  []Span    // the spans mapped onto it

	subjHits []int // the pass's starts of subject_value_ends characters (族)
	idAt     []int // starts of identity documents and mobiles found (idHolders)
}

// Stats counts a scanner's work, for benchmarks and debugging.
type Stats struct {
	Candidates int64 // shapes that reached a validator
	Matches    int64
	Timeouts   int64 // user-rule matches abandoned at the regexp2 timeout
}

// NewScanner returns a scanner for one goroutine.
func (e *Engine) NewScanner() *Scanner {
	return &Scanner{
		e:      e,
		hasNet: e.det[dIpv6] != nil || e.det[dMacAddress] != nil,
		mac:    hmac.New(sha256.New, e.key),
		sum:    make([]byte, 0, sha256.Size),
		canon:  make([]byte, 0, 64),
		low:    make([]byte, 0, 512),
	}
}

// SetPolicy makes every match carry its replacement under policy p (nil
// turns it off). Used to write de-identified copies.
func (s *Scanner) SetPolicy(p *deid.Policy) { s.policy = p }

// Reset forgets per-object state: an open record, location traces,
// user-rule timeouts and the profiles of positional columns.
func (s *Scanner) Reset() {
	s.open = recFacts{}
	s.traces = nil
	s.userTO = s.userTO[:0]
	s.cols = s.cols[:0]
	clear(s.prof)
}

// Stats returns the counters since the scanner was made.
func (s *Scanner) Stats() Stats { return s.stats }

// ScanText finds matches in buf whose start lies in [own0, own1). The bytes
// before own0 and after own1 are look-behind and look-ahead: they give
// context and let a match that starts in the owned region end after it, but
// a match starting there belongs to the neighbouring chunk. field, if not
// nil, is the column or key the text belongs to.
func (s *Scanner) ScanText(ctx context.Context, buf []byte, own0, own1 int, field *Field, em Emitter) error {
	return s.scanText(ctx, buf, own0, own1, field, false, em)
}

// ScanName is ScanText for an object's name (a path or key, or an archive
// member's name): the bytes before own0 are its folders, the context of
// the segment from own0 on. In a name, a shape that numbers files as
// often as it holds a value needs a keyword there: a solid HKID (a letter
// and seven digits is how cameras name pictures: P1010234.JPG) and a
// card number of one group of digits (a numeric id: items/<16 digits>.json).
func (s *Scanner) ScanName(ctx context.Context, buf []byte, own0 int, em Emitter) error {
	return s.scanText(ctx, buf, own0, len(buf), nil, true, em)
}

func (s *Scanner) scanText(ctx context.Context, buf []byte, own0, own1 int, field *Field, name bool, em Emitter) error {
	s.begin(ctx, buf, own0, own1, nil, field)
	s.name = name
	defer func() { s.name = false }()
	s.recLo, s.recHi = 0, len(buf)
	s.scan()
	err := s.runUserOriginal()
	s.unfold()
	if err != nil {
		return err
	}
	slices.SortStableFunc(s.out, byStart)
	for i := range s.out {
		if i > 0 && sameMatch(&s.out[i], &s.out[i-1]) {
			continue
		}
		if err := em.Match(&s.out[i]); err != nil {
			return err
		}
	}
	return nil
}

// sameMatch reports a match found twice (by a field rule and the prose pass).
func sameMatch(a, b *Match) bool {
	return a.Start == b.Start && a.DataType == b.DataType && a.Fingerprint == b.Fingerprint
}

// Finds reports whether the engine would report anything in text. It is
// used to tell a CSV header from a first row of data.
func (s *Scanner) Finds(ctx context.Context, text []byte) bool {
	var c countEmitter
	_ = s.ScanText(ctx, text, 0, len(text), nil, &c)
	return c > 0
}

// LooksLikeHeader reports whether the cells of a table's first row read
// like column labels rather than a row of values: the engine reports
// nothing in them, and they do not read like a person's values (a gender,
// an ethnic group, two Chinese names: ValueScore) unless a cell is a label
// the rules know (姓名, phone), which no row of values holds. Taking a row
// of values for a header would name every finding's column with a value
// (scan), keep the row as it is (redact) and leave a headerless table's
// columns unprofiled (columns.go). The callers check the cells' lengths
// and numbers first.
//
// One Chinese name alone is ambiguous: 张伟 is a value, but 金额 and 余额
// (amount, balance) read like names too. When next is not nil it returns
// the cells of the second row (nil when it cannot tell), and a name in
// that row's cell under the first row's makes the first row data:
// "张伟,北京市" over "李娜,上海市". Without one the row is a header.
func (s *Scanner) LooksLikeHeader(ctx context.Context, cells [][]byte, next func() [][]byte) bool {
	if s.Finds(ctx, bytes.Join(cells, []byte{'\n'})) {
		return false
	}
	score, named := 0, -1
	for i, c := range cells {
		v := ValueScore(c)
		score += v
		if v == 1 {
			named = i
		}
	}
	if score == 0 {
		return true
	}
	for _, c := range cells {
		if s.e.Field(string(bytes.TrimSpace(c))).Known() {
			return true
		}
	}
	if score > 1 {
		return false
	}
	if named < 0 || next == nil {
		return true
	}
	row := next()
	return named >= len(row) || ValueScore(row[named]) != 1
}

type countEmitter int

func (c *countEmitter) Match(*Match) error          { *c++; return nil }
func (c *countEmitter) EndRecord(int64, bool) error { return nil }
func (c *countEmitter) Anchor(int) any              { return nil }

// ScanRecords classifies buf, whose values are described by spans. Every
// record ends in this call unless more is set, in which case the last record
// continues in the next call (its birth date or coordinates may come later).
// A record left open that the next call does not continue (its first span
// is of another record, or it has none and more is not set) ended before
// it: EndRecord is called for it first.
func (s *Scanner) ScanRecords(ctx context.Context, buf []byte, spans []Span, more bool, em Emitter) error {
	s.begin(ctx, buf, 0, len(buf), spans, nil)
	if s.open.active && (len(spans) == 0 && !more || len(spans) > 0 && spans[0].Record != s.open.rec) {
		o := s.open
		s.open = recFacts{}
		if err := em.EndRecord(o.rec, o.birthMinor); err != nil {
			return err
		}
	}
	if len(spans) == 0 {
		return nil
	}
	s.profileColumns()
	s.scan()
	if err := s.runUserOriginal(); err != nil {
		s.unfold()
		return err
	}
	// Record facts (birth dates, coordinate fields) and the matches they
	// make, read on the folded copy when there is one.
	recs := s.recordFacts()
	s.unfold()
	slices.SortStableFunc(s.out, byStart)
	mi := 0
	for ri := range recs {
		r := &recs[ri]
		var gpsSeen []string
		var idSubject *Match
		for mi < len(s.out) && s.out[mi].Record == r.rec {
			m := &s.out[mi]
			mi++
			if mi > 1 && sameMatch(m, &s.out[mi-2]) {
				continue
			}
			if m.DataType == "gps_coordinate" {
				if slices.Contains(gpsSeen, m.Fingerprint) {
					continue
				}
				gpsSeen = append(gpsSeen, m.Fingerprint)
			}
			if idSubject == nil && (m.Category == "identity" || m.Category == "contact") {
				idSubject = m
			}
			if err := em.Match(m); err != nil {
				return err
			}
		}
		if s.e.det[dLocationTrace] != nil {
			s.addTrace(r, em, idSubject)
			r.points = r.points[:0]
		}
		if ri == len(recs)-1 && more {
			s.open = *r
			break
		}
		if err := em.EndRecord(r.rec, r.birthMinor); err != nil {
			return err
		}
		s.open = recFacts{}
	}
	// Matches whose record is not in recs cannot happen (every match lies in
	// a span); emit any left defensively so nothing is lost.
	for ; mi < len(s.out); mi++ {
		if err := em.Match(&s.out[mi]); err != nil {
			return err
		}
	}
	return nil
}

func byStart(a, b Match) int { return a.Start - b.Start }

func (s *Scanner) begin(ctx context.Context, buf []byte, own0, own1 int, spans []Span, field *Field) {
	s.ctx = ctx
	s.buf = buf
	s.own0, s.own1 = own0, own1
	s.spans = spans
	s.textField = field
	s.lastSpan = 0
	s.out = s.out[:0]
	s.points = s.points[:0]
}

// spanAt returns the index of the span holding offset p, or -1.
func (s *Scanner) spanAt(p int) int {
	sp := s.spans
	if len(sp) == 0 {
		return -1
	}
	i := s.lastSpan
	if i >= len(sp) || sp[i].Start > p {
		i = 0
	}
	// Candidates arrive almost in offset order, a few spans apart: gallop
	// forward from the last hit (steps of 8, 16, 32...) and search only
	// the last step, so a jump of d spans costs about 2 log d comparisons.
	if step := 8; i+step < len(sp) && sp[i+step].End < p {
		lo := i + step
		for lo+step < len(sp) && sp[lo+step].End < p {
			lo += step
			step *= 2
		}
		hi := min(lo+step, len(sp))
		// sp[lo].End < p; find the first span in (lo, hi) with End >= p.
		for lo+1 < hi {
			mid := int(uint(lo+hi) >> 1)
			if sp[mid].End < p {
				lo = mid
			} else {
				hi = mid
			}
		}
		i = hi
	}
	for i < len(sp) && sp[i].End < p {
		i++
	}
	if i >= len(sp) || sp[i].Start > p {
		return -1
	}
	s.lastSpan = i
	return i
}

// candidate is a validated value on its way to becoming a Match. canon holds
// its canonical form (in s.canon or s.digits, valid until the next candidate).
type candidate struct {
	ri         *ruleInfo
	start, end int
	canon      []byte
	minor      bool
	evidence   string // detector-specific evidence, added to the rule's
	also       string // one more signal (the keyword a prose term was found by)
	prose      bool   // found in free text: the rule's "field" evidence does not apply
	strong     bool   // a validator proved it: negative keywords cannot veto
	needCtx    bool   // weak on its own: needs a keyword or field hint
}

// emit finishes a candidate: ownership, context, allow lists, grading and
// de-identification. It reports whether a match was produced.
func (s *Scanner) emit(c candidate) bool {
	if c.start < s.own0 || c.start >= s.own1 || c.ri == nil {
		if c.ri != nil && c.ri.holderID && c.start >= s.own1 && c.start < s.own1+leadIn {
			// Owned by the next call, but its holder's name, right before
			// it, may be owned by this one: the same checks decide.
			if _, ok := s.accept(c); ok {
				s.idAt = append(s.idAt, c.start)
			}
		}
		return false
	}
	ri := c.ri
	a, ok := s.accept(c)
	if !ok {
		return false
	}
	span, rec, fieldEv, kwEv, conf := a.span, a.rec, a.fieldEv, a.kwEv, a.conf
	if ri.holderID {
		s.idAt = append(s.idAt, c.start)
	}
	evidence := ri.evidence
	if c.prose {
		evidence = ""
	}
	s.evb = appendEvidence(s.evb[:0], evidence)
	for _, add := range [...]string{c.evidence, c.also, fieldEv, kwEv} {
		s.evb = appendEvidence(s.evb, add)
	}
	level := ri.rule.Level
	if c.minor {
		level = "S4"
	}
	s.stats.Matches++
	if rec >= 0 && ri.detector == "gps_coordinate" {
		if lat, lng, ok := splitPair(c.canon); ok {
			s.points = append(s.points, recPoint{rec: rec, p: point(lat, lng)})
		}
	}
	var repl []byte
	var op string
	if s.policy != nil {
		repl, op = s.replace(ri, c.start, c.end, span)
	}
	s.out = append(s.out, Match{
		Replacement: repl,
		Operator:    op,
		DataType:    ri.rule.ID,
		Category:    ri.rule.Category,
		Level:       level,
		Start:       c.start,
		End:         c.end,
		Span:        span,
		Record:      rec,
		Confidence:  conf,
		Minor:       c.minor,
		Masked:      s.mask(ri, c.canon),
		Fingerprint: s.fingerprint(c.canon),
		Evidence:    s.intern(s.evb),
	})
	return true
}

// accepted is what accept found out about a candidate.
type accepted struct {
	span          int
	rec           int64
	fieldEv, kwEv string
	conf          float32
}

// accept runs a candidate's checks but ownership: value boundaries, context
// and allow lists.
func (s *Scanner) accept(c candidate) (accepted, bool) {
	ri := c.ri
	a := accepted{span: -1, rec: -1}
	bd := bounds{s.recLo, s.recHi, s.recLo, s.recHi}
	field := s.textField
	if s.spans != nil {
		a.span = s.spanAt(c.start)
		if a.span < 0 || c.end > s.spans[a.span].End {
			return a, false // crosses a value boundary
		}
		sp := &s.spans[a.span]
		field, a.rec = sp.Field, sp.Record
		bd.lo, bd.hi = s.recordBounds(a.span)
		bd.vlo, bd.vhi = sp.Start, sp.End
	}
	var ok bool
	a.fieldEv, a.kwEv, ok, a.conf = s.context(ri, c.start, c.end, bd, field, c.strong, c.needCtx)
	if !ok || s.e.allowed(ri, c.canon) {
		return a, false
	}
	return a, true
}

// replace applies the de-identification policy to the raw bytes of a
// match. A failure falls back to the policy's fallback operator inside
// deid; an error left over yields an empty replacement (the value is
// removed rather than kept).
func (s *Scanner) replace(ri *ruleInfo, start, end, span int) ([]byte, string) {
	kind := deid.KindText
	if span >= 0 && span < len(s.spans) {
		kind = s.spans[span].Kind
	}
	out, op, err := s.policy.Apply(deid.OpContext{DataType: ri.rule.ID, Category: ri.rule.Category, Kind: kind}, s.buf[start:end])
	if err != nil {
		return []byte{}, "redact"
	}
	return out, op
}

// recordBounds returns the byte range of the record holding span i, the
// keyword window for values of structured data.
func (s *Scanner) recordBounds(i int) (int, int) {
	rec := s.spans[i].Record
	lo, hi := i, i
	for lo > 0 && s.spans[lo-1].Record == rec && i-lo < 64 {
		lo--
	}
	for hi+1 < len(s.spans) && s.spans[hi+1].Record == rec && hi-i < 64 {
		hi++
	}
	return s.spans[lo].Start, s.spans[hi].End
}

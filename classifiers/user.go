package classifiers

import (
	"bytes"
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// runUser runs the user rules (regexp2 patterns). A rule with keywords and
// no field hints only looks at windows around keyword hits in the owned
// region; otherwise it scans the whole owned region, or, when its pattern
// has a literal prefilter (userpre.go), windows around the literals with
// the same matches. Each window is turned into runes once, since regexp2
// matches runes, and rune positions are mapped back to byte offsets.
func (s *Scanner) runUser() error {
	s.ulowOK = false
	s.urLo, s.urHi = -1, -1
	for _, ri := range s.e.user {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		// A rule that needs a keyword runs only around its keywords; one
		// whose keywords are optional (they raise confidence) runs over
		// the whole chunk, as DESIGN.md section 5 says (but only where its
		// pattern's literals let a match be).
		s.toLeft = maxUserTimeouts
		if ri.rule.KeywordsRequired && len(ri.keywords) > 0 && len(ri.fieldToks) == 0 && !s.fieldHinted(ri) {
			s.userNearKeywords(ri)
			continue
		}
		a, b := max(0, s.own0-userLookBehind), min(len(s.buf), s.own1+ri.rule.EffectiveMaxLen())
		if ri.pre != nil && s.userPreMode != userPreOff {
			s.userPrefiltered(ri, a, b)
			continue
		}
		s.userWindow(ri, a, b)
	}
	return nil
}

// userLookBehind is how much of the text before the owned region a user
// pattern scanned over the chunk sees (lookbehind, \b, and the matches
// that start before it and so bound where the next can start).
const userLookBehind = 256

// fieldHinted reports whether the text's field or a span's field names this rule.
func (s *Scanner) fieldHinted(ri *ruleInfo) bool {
	if s.textField != nil && s.textField.hints.has(ri.idx) {
		return true
	}
	for i := range s.spans {
		if f := s.spans[i].Field; f != nil && f.hints.has(ri.idx) {
			return true
		}
	}
	return false
}

// userNearKeywords finds the rule's keywords in the owned region and runs
// the pattern on merged windows around them.
func (s *Scanner) userNearKeywords(ri *ruleInfo) {
	reach := ri.window + ri.rule.EffectiveMaxLen()
	lo := max(0, s.own0-reach)
	hi := min(len(s.buf), s.own1+reach)
	low, off := s.userLower()
	wins := s.wins[:0]
	for _, k := range ri.keywords {
		for from := lo; ; {
			j := bytes.Index(low[from-off:hi-off], k.b)
			if j < 0 {
				break
			}
			at := from + j
			wins = append(wins, [2]int{max(lo, at-reach), min(hi, at+len(k.b)+reach)})
			from = at + len(k.b)
		}
	}
	s.wins = wins
	if len(wins) == 0 {
		return
	}
	// Merge overlapping windows so a match is tried once.
	slices.SortFunc(wins, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	cur := wins[0]
	for _, w := range wins[1:] {
		if w[0] <= cur[1] {
			cur[1] = max(cur[1], w[1])
			continue
		}
		s.userWindow(ri, cur[0], cur[1])
		cur = w
	}
	s.userWindow(ri, cur[0], cur[1])
}

// userLower returns the part of buf the user rules search, from own0
// less their reach to own1 plus it, with ASCII letters lowered, made once
// per call for all the rules; low[i-off] is buf[i] lowered. Only that
// part: a caller may pass a buf much larger than its chunk.
func (s *Scanner) userLower() (low []byte, off int) {
	if !s.ulowOK {
		s.ulowOff = max(0, s.own0-s.e.userReach)
		hi := min(len(s.buf), s.own1+s.e.userReach)
		s.ulow = append(s.ulow[:0], s.buf[s.ulowOff:hi]...)
		lowerASCII(s.ulow, s.ulow)
		s.ulowOK = true
	}
	return s.ulow, s.ulowOff
}

// userWindow runs one pattern over buf[a:b]. A search that hits the
// regexp2 match timeout is taken up again past the attempt that stuck
// (userStep), so one hostile stretch does not hide the matches after it.
func (s *Scanner) userWindow(ri *ruleInfo, a, b int) { s.userSpan(ri, a, b, a, b) }

// userSpan runs one pattern over buf[a:b], trying the matches that start
// in [from, last] only: a match found starting past last ends the span
// (the prefilter's windows, whose text is not the chunk's beyond that).
func (s *Scanner) userSpan(ri *ruleInfo, a, b, from0, last int) {
	if a != s.urLo || b != s.urHi {
		// Rules without a prefilter share the span of the chunk.
		s.runes = s.runes[:0]
		s.r2b = s.r2b[:0]
		for i := a; i < b; {
			if c := s.buf[i]; c < utf8.RuneSelf {
				s.runes = append(s.runes, rune(c))
				s.r2b = append(s.r2b, i)
				i++
				continue
			}
			r, n := utf8.DecodeRune(s.buf[i:b])
			s.runes = append(s.runes, r)
			s.r2b = append(s.r2b, i)
			i += n
		}
		s.r2b = append(s.r2b, b)
		s.urLo, s.urHi = a, b
	}
	s.userLast = last
	from, _ := slices.BinarySearch(s.r2b, from0) // rune index the search goes on from
	for {
		m, err := ri.re.FindRunesMatchStartingAt(s.runes, from)
		for err == nil && m != nil {
			if !s.userMatch(ri, m) {
				return
			}
			from = after(m)
			if from > len(s.runes) {
				return
			}
			m, err = ri.re.FindRunesMatchStartingAt(s.runes, from)
		}
		if err == nil {
			return
		}
		// The error is a timeout. Its text quotes the input: drop it.
		s.stats.Timeouts++
		var ok bool
		if from, ok = s.userStep(ri, from); !ok {
			return
		}
	}
}

// userMatch emits a user-rule match; it reports false once the match
// starts past the owned region, where the search can stop.
func (s *Scanner) userMatch(ri *ruleInfo, m *regexp2.Match) bool {
	start := s.r2b[m.Index]
	end := s.r2b[m.Index+m.Length]
	if start >= s.own1 || start > s.userLast {
		return false
	}
	val := s.buf[start:end]
	s.stats.Candidates++
	if end > start && (ri.validator == nil || ri.validator(val)) {
		s.canon = append(s.canon[:0], val...)
		s.emit(candidate{ri: ri, start: start, end: end, canon: s.canon, strong: ri.validator != nil})
	}
	return true
}

// after is where the search goes on after m: its end, or one past an
// empty match (as regexp2's FindNextMatch does).
func after(m *regexp2.Match) int {
	if m.Length == 0 {
		return m.Index + 1
	}
	return m.Index + m.Length
}

// Bounds on the work spent past the timeouts of one user rule in one call
// (ScanText, ScanRecords), so that hostile text costs a rule a few seconds
// per call at most. A timeout takes rules.PatternTimeout plus one to two
// ticks of regexp2's coarse clock (regexp2.DefaultClockPeriod): about a
// quarter of a second. The bound is a count, not a clock, so that what is
// found does not depend on how busy the machine is; but on a busy machine
// an attempt that normally ends in time times out too, and one hostile
// run then costs five or six timeouts instead of three or four. 16 lets
// two such runs in one call be stepped past (8 did not, under -race with
// other tests running: TestUserRuleTimeoutResumes failed most times).
const (
	maxUserTimeouts = 16 // start positions given up on
	// maxObjectTimeouts bounds a rule's timeouts in one object (since
	// Reset): past it, a timeout ends the window at once, as a hostile
	// file of many chunks would otherwise cost seconds per chunk.
	maxObjectTimeouts = 64
	// stepQuiet is how many start positions are tried one by one after
	// the last stuck one before the ordinary search takes over again.
	stepQuiet = 64
)

// userStep takes up a search from rune index from that timed out. regexp2
// does not say which attempt stuck, so the anchored twin (ri.at) tries
// the start positions one by one, each under its own timeout, as the
// search did, until one matches (it is emitted) or times out. A stuck
// position is skipped, and so are the positions after it when they
// stick too: by 1, 2, 4... runes, so that a long hostile run costs a
// few timeouts, not one per rune (the runs skipped are why the object is
// reported partial). After stepQuiet quiet positions the ordinary search
// takes over again. userStep returns where it goes on, or false when the
// window is done or given up (the budget of the call is spent).
func (s *Scanner) userStep(ri *ruleInfo, from int) (int, bool) {
	if ri.at == nil || s.toLeft <= 0 || s.userTimeoutsOf(ri) >= maxObjectTimeouts {
		s.userGaveUp(ri, true)
		return 0, false
	}
	skip, quiet, stuck := 1, 0, false
	for p := from; p <= len(s.runes); {
		if s.ctx.Err() != nil {
			s.userGaveUp(ri, true)
			return 0, false
		}
		m, err := ri.at.FindRunesMatchStartingAt(s.runes, p)
		switch {
		case err != nil:
			s.stats.Timeouts++
			s.toLeft--
			if s.toLeft <= 0 {
				s.userGaveUp(ri, true)
				return 0, false
			}
			s.userGaveUp(ri, false)
			p += skip
			skip *= 2
			quiet, stuck = 0, true
			continue
		case m != nil:
			if !s.userMatch(ri, m) {
				return 0, false
			}
			return after(m), true
		}
		p++
		skip = 1
		if quiet++; stuck && quiet >= stepQuiet {
			return p, true
		}
	}
	return 0, false
}

// userGaveUp notes that ri gave up on a start position, or with rest set
// on the rest of a window, in this object.
func (s *Scanner) userGaveUp(ri *ruleInfo, rest bool) {
	for i := range s.userTO {
		if t := &s.userTO[i]; t.RuleID == ri.rule.ID {
			t.Timeouts++
			t.GaveUp = t.GaveUp || rest
			return
		}
	}
	s.userTO = append(s.userTO, RuleTimeouts{RuleID: ri.rule.ID, Timeouts: 1, GaveUp: rest})
}

// userTimeoutsOf returns ri's timeouts in this object.
func (s *Scanner) userTimeoutsOf(ri *ruleInfo) int {
	for i := range s.userTO {
		if s.userTO[i].RuleID == ri.rule.ID {
			return s.userTO[i].Timeouts
		}
	}
	return 0
}

// RuleTimeouts says that a user rule hit the regexp2 match timeout in the
// current object, so that matches of it may be missing.
type RuleTimeouts struct {
	RuleID string
	// Timeouts counts the places the rule gave up on: a start position
	// (and the skipped ones after it), or the rest of a window.
	Timeouts int
	// GaveUp is set when the rest of a window was left unscanned (the
	// pattern cannot be stepped, or the call's budget was spent).
	GaveUp bool
}

// UserTimeouts lists the user rules that gave up on text since Reset, in
// the order they first did. The slice is valid until the next Reset.
func (s *Scanner) UserTimeouts() []RuleTimeouts { return s.userTO }

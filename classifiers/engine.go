// Package classifiers is piiscan's matching engine.
//
// The built-in data types are found by hand-written detectors that walk each
// buffer once: a byte-class table sends digits, '@' and a few other bytes to
// small parsers that build candidates (digit groups with their separators,
// alphanumeric tokens, dotted numbers, e-mail shapes) and validate them with
// check digits (GB 11643 MOD 11-2, Luhn, ISO 13616 mod 97, HKID, ...). Only
// validated candidates pay for context: keywords in a proximity window and
// the field (column or JSON key) the value sits in. Values typed in
// full-width forms (１３８…, Ｅ１２…) are read on a copy of the buffer
// with them folded to ASCII (fullwidth.go). User rules are regexp2
// patterns compiled with a match timeout.
//
// Raw values never leave this package: every Match carries the masked value
// and an HMAC-SHA256 fingerprint of the canonical value, never the value.
package classifiers

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dlclark/regexp2"

	"github.com/piiscan/piiscan/rules"
)

// Options configure an Engine. The zero value is usable: a random HMAC key,
// today's date as the reference for ages and a discarding logger.
type Options struct {
	// HMACKey keys the fingerprints. Empty means a random per-engine key, so
	// fingerprints cannot be joined across runs.
	HMACKey []byte
	// AsOf is the reference date for ages (minors). Zero means today (UTC).
	AsOf time.Time
	// Logger receives debug output; nil discards.
	Logger *slog.Logger
}

// Engine is a compiled ruleset. It is immutable after Compile and safe for
// concurrent use; each goroutine scans with its own Scanner.
type Engine struct {
	rules []*ruleInfo
	byDet map[string]*ruleInfo    // built-in detector name -> rule
	det   [numDetectors]*ruleInfo // the same by index, for hot paths
	user  []*ruleInfo             // regexp2 rules, in ruleset order
	// userReach is how far around the owned region the user rules read:
	// their keyword windows plus their match length, or the look-behind.
	userReach int
	// fieldRules judge a whole value by its field's name (categories,
	// biometrics, names); proseRules also look for their dictionary near
	// their keywords in free text.
	fieldRules []*ruleInfo
	// dictRules: the field rules with a dictionary of values, for the
	// profiles of positional columns (columns.go)
	dictRules  []*ruleInfo
	proseRules []*ruleInfo
	proseSet   *kwSet          // the prose rules' keywords, for one pass
	icdRule    *ruleInfo       // the rule that reports ICD-10 codes, if any
	pairs      *[1 << 16]uint8 // the fused pass's table, see pass.go
	key        []byte
	asOf       time.Time // midnight UTC of the reference day
	notAfter   time.Time // latest plausible birth date
	ruleset    string
	fields     map[string][]fieldToken // record-rule field kinds
	// allow is the rule packs' allow list (values never reported, whatever
	// the rule) in each canonical form a compiled rule uses.
	allow    [numCanonKinds]allowSet
	allowRes []*regexp2.Regexp
	log      *slog.Logger
	randKey  bool

	// subjectEnds are the last characters of values that count after a
	// subject phrase (subject.go), with their rules.
	subjectEnds []subjectEnd
}

// ruleInfo is a rule prepared for matching.
type ruleInfo struct {
	idx        int
	rule       rules.Rule
	level      int // 1..4
	conf       float32
	window     int
	keywords   []keyword
	negatives  []keyword
	kwIdx      kwIndex // keywords by first byte
	negIdx     kwIndex // negatives by first byte
	fieldToks  []fieldToken
	negFields  []fieldToken
	canon      canonKind // how the rule's canonical values are built
	allow      allowSet  // the rule's own allow list, canonical
	packAllow  allowSet  // the packs' allow list in the rule's form
	allowRes   []*regexp2.Regexp
	re         *regexp2.Regexp // user pattern rules
	at         *regexp2.Regexp // re anchored where the search starts (\G), to step past a timed-out attempt; nil if it does not compile
	pre        *userPre        // re's literal prefilter; nil: re runs over the whole chunk
	validator  Validator
	detector   string
	evidence   string // base evidence: checksum or format
	maskTagged string // precomputed "<redacted:category>"
	params     params
	holderID   bool // an identity document or mobile: its holder's name may come right before it (idHolders)
}

// ErrRule is wrapped by Compile errors about one rule.
var ErrRule = errors.New("invalid rule")

// Compile prepares a ruleset for scanning. It returns an error naming the
// rule (and its file) when a detector or validator name is unknown or a
// pattern does not compile. It never panics on user input.
func Compile(rs *rules.Ruleset, opts Options) (*Engine, error) {
	if rs == nil {
		return nil, errors.New("compile rules: nil ruleset")
	}
	e := &Engine{
		byDet:   map[string]*ruleInfo{},
		ruleset: rs.ID(),
		fields:  map[string][]fieldToken{},
		log:     opts.Logger,
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	e.key = opts.HMACKey
	if len(e.key) == 0 {
		e.key = make([]byte, 32)
		if _, err := rand.Read(e.key); err != nil {
			return nil, fmt.Errorf("compile rules: random hmac key: %w", err)
		}
		e.randKey = true
	}
	asOf := opts.AsOf
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	e.asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	// A birth date after both the reference day and today is not real.
	e.notAfter = e.asOf
	if now := time.Now().UTC(); now.After(e.notAfter) {
		e.notAfter = now
	}
	for kind, toks := range rs.Fields {
		for _, t := range toks {
			e.fields[kind] = append(e.fields[kind], newFieldToken(t))
		}
	}
	for _, p := range rs.AllowPatterns {
		re, err := compilePattern(p)
		if err != nil {
			return nil, fmt.Errorf("compile allow pattern: %w", err)
		}
		e.allowRes = append(e.allowRes, re)
	}
	for i, r := range rs.Rules {
		ri, err := e.prepare(i, r)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: rule %s: %v", ErrRule, sourceName(r), r.ID, err)
		}
		// The packs' allow list, canonicalised once per form in use.
		if len(rs.Allow) > 0 {
			if e.allow[ri.canon] == nil {
				e.allow[ri.canon] = newAllowSet(ri.canon, rs.Allow)
			}
			ri.packAllow = e.allow[ri.canon]
		}
		e.rules = append(e.rules, ri)
		if ri.detector != "" {
			ri.holderID = holderDetectors[ri.detector]
			if _, dup := e.byDet[ri.detector]; !dup {
				e.byDet[ri.detector] = ri
				e.det[detectorIndex[ri.detector]] = ri
			}
			if fieldDetectors[ri.detector] {
				e.fieldRules = append(e.fieldRules, ri)
			}
			if ri.detector == "field_value" && len(ri.params.terms) > 0 {
				e.dictRules = append(e.dictRules, ri)
			}
			if ri.params.icd10 && e.icdRule == nil {
				e.icdRule = ri
			}
			if (ri.detector == "field_value" && len(ri.params.terms) > 0 || ri.detector == "person_name") && (len(ri.keywords) > 0 || len(ri.params.leads) > 0) {
				e.proseRules = append(e.proseRules, ri)
			}
		} else {
			e.user = append(e.user, ri)
			e.userReach = max(e.userReach, userLookBehind, ri.window+r.EffectiveMaxLen())
		}
	}
	for _, ri := range e.rules {
		if ri.detector == "field_value" && len(ri.params.terms) > 0 {
			for _, ch := range ri.params.subjectEnds {
				e.subjectEnds = append(e.subjectEnds, subjectEnd{ch: ch, ri: ri})
			}
		}
	}
	e.markValueKeywords()
	if len(e.proseRules) > 0 {
		e.proseSet = newKwSet()
		for i, ri := range e.proseRules {
			for _, k := range ri.keywords {
				e.proseSet.add(i, k)
			}
			for k := range ri.params.afterLabels {
				e.proseSet.add(i, newKeyword(k))
			}
			for k := range ri.params.leads {
				e.proseSet.add(i, newKeyword(k))
			}
		}
	}
	e.buildPairs()
	return e, nil
}

// holderDetectors find documents and numbers whose holder's name may come
// right before them in free text (idHolders).
var holderDetectors = map[string]bool{
	"cn_resident_id": true, "cn_passport": true, "hk_id": true, "tw_id": true,
	"hk_macau_permit": true, "tw_permit": true, "cn_mobile": true,
}

// markValueKeywords flags every keyword that is, contains or is contained
// in a dictionary value of any rule: its text in a finding's evidence would
// repeat what the data says (a record's 犯罪记录 next to its 政治面貌).
func (e *Engine) markValueKeywords() {
	var terms [][]byte
	for _, ri := range e.rules {
		for _, t := range ri.params.terms {
			terms = append(terms, t.b)
		}
	}
	if len(terms) == 0 {
		return
	}
	for _, ri := range e.rules {
		for i := range ri.keywords {
			k := &ri.keywords[i]
			for _, t := range terms {
				if bytes.Contains(k.b, t) || bytes.Contains(t, k.b) {
					k.value = true
					break
				}
			}
		}
	}
}

func sourceName(r rules.Rule) string {
	if r.Source == "" {
		return "rules"
	}
	return r.Source
}

func (e *Engine) prepare(i int, r rules.Rule) (*ruleInfo, error) {
	ri := &ruleInfo{
		idx:        i,
		rule:       r,
		level:      rules.LevelRank(r.Level),
		conf:       float32(r.Confidence),
		window:     r.EffectiveWindow(),
		canon:      detectorCanon[r.Detector],
		detector:   r.Detector,
		evidence:   "format",
		maskTagged: "<redacted:" + r.Category + ">",
	}
	if ri.conf == 0 {
		ri.conf = 0.8
	}
	if r.Detector != "" {
		if _, ok := Detectors[r.Detector]; !ok {
			return nil, fmt.Errorf("unknown detector %q (see `piiscan rules list`)", r.Detector)
		}
		ri.evidence = detectorEvidence[r.Detector]
	}
	var err error
	if ri.params, err = compileParams(r); err != nil {
		return nil, err
	}
	if r.Pattern != "" {
		re, err := compilePattern(r.Pattern)
		if err != nil {
			return nil, err
		}
		ri.re = re
		// The twin tries one start position only (see userStep). The group
		// is non-capturing, so group numbers and backreferences are kept.
		// A pattern the wrapper breaks (an x-mode comment running to its
		// end) keeps no twin, and its scan stops at a timeout as before.
		if at, err := compilePattern(`\G(?:` + r.Pattern + `)`); err == nil {
			ri.at = at
		}
		ri.pre = newUserPre(r.Pattern)
	}
	if r.Validator != "" {
		v, ok := Validators[r.Validator]
		if !ok {
			return nil, fmt.Errorf("unknown validator %q, want one of %s", r.Validator, strings.Join(ValidatorNames(), ", "))
		}
		ri.validator = v
		ri.evidence = "validator:" + r.Validator
	}
	for _, k := range r.Keywords {
		ri.keywords = append(ri.keywords, newKeyword(k))
	}
	for _, k := range r.NegativeKeywords {
		ri.negatives = append(ri.negatives, newKeyword(k))
		ri.negFields = append(ri.negFields, newFieldToken(k))
	}
	ri.kwIdx, ri.negIdx = newKwIndex(ri.keywords), newKwIndex(ri.negatives)
	for _, f := range r.FieldNames {
		ri.fieldToks = append(ri.fieldToks, newFieldToken(f))
	}
	ri.allow = newAllowSet(ri.canon, r.Allow)
	for _, p := range r.AllowPatterns {
		re, err := compilePattern(p)
		if err != nil {
			return nil, fmt.Errorf("allow_patterns: %w", err)
		}
		ri.allowRes = append(ri.allowRes, re)
	}
	return ri, nil
}

func compilePattern(p string) (*regexp2.Regexp, error) {
	re, err := regexp2.Compile(p, regexp2.None)
	if err != nil {
		return nil, fmt.Errorf("pattern: %w", err)
	}
	re.MatchTimeout = rules.PatternTimeout
	return re, nil
}

// Ruleset returns the ruleset id written to every finding.
func (e *Engine) Ruleset() string { return e.ruleset }

// RandomKey reports whether fingerprints use a random per-run key.
func (e *Engine) RandomKey() bool { return e.randKey }

// AsOf returns the reference day for ages.
func (e *Engine) AsOf() time.Time { return e.asOf }

// RuleInfo describes a compiled rule for listings.
type RuleInfo struct {
	ID, Category, Level, Description string
	Detector, Pattern                string
}

// Rules lists the compiled rules in ruleset order.
func (e *Engine) Rules() []RuleInfo {
	out := make([]RuleInfo, 0, len(e.rules))
	for _, r := range e.rules {
		out = append(out, RuleInfo{r.rule.ID, r.rule.Category, r.rule.Level, r.rule.Description, r.rule.Detector, r.rule.Pattern})
	}
	return out
}

// allowed reports whether a canonical value is on an allow list. The
// lists hold canonical values too (see canonical).
func (e *Engine) allowed(ri *ruleInfo, canon []byte) bool {
	if len(ri.packAllow) == 0 && len(ri.allow) == 0 && len(e.allowRes) == 0 && len(ri.allowRes) == 0 {
		return false
	}
	s := string(canon)
	if ri.packAllow[s] || ri.allow[s] {
		return true
	}
	for _, re := range e.allowRes {
		if ok, err := re.MatchString(s); err == nil && ok {
			return true
		}
	}
	for _, re := range ri.allowRes {
		if ok, err := re.MatchString(s); err == nil && ok {
			return true
		}
	}
	return false
}

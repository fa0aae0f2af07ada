package classifiers

// Shared pieces of the second round of conformance tests
// (conformance_new_*_test.go): the detectors added after the first round
// (cn_uscc, cn_license_plate, imei, mac_address, ipv6, phone_number,
// cn_landline and the permits) run against the same external vectors
// (testdata/conformance/README.md), with the machinery of
// conformance_helpers_test.go: every vector agrees with its source or is a
// named disagreement, and TestConformanceSummary logs one line per source.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// newSources lists the second-round sources, in summary order.
func newSources() []confSource {
	return slices.Concat(newIDSources(), newNetSources(), newPhoneSources())
}

// newDisagreements is every named disagreement of the second round.
var newDisagreements = slices.Concat(newIDDisagreements, newNetDisagreements, newPhoneDisagreements)

// confKey is the HMAC key of confEngine (conformance_helpers_test.go).
var confKey = []byte("test-key")

// confFingerprint is the fingerprint confEngine gives a canonical value: a
// match's canonical form is not exported, but its fingerprint is the HMAC
// of it, so "our canonical form is X" is checked by comparing fingerprints.
func confFingerprint(canon string) string {
	h := hmac.New(sha256.New, confKey)
	h.Write([]byte(canon))
	return hex.EncodeToString(h.Sum(nil))
}

// stdnumCase is one record of stdnum/cases.jsonl.
type stdnumCase struct {
	Type    string         `json:"type"`
	Value   string         `json:"value"`
	Valid   bool           `json:"valid"`
	Error   *string        `json:"error"`
	Compact *string        `json:"compact"`
	Kwargs  map[string]any `json:"kwargs"`
	Line    int            `json:"line"`
	Source  string         `json:"source"`
}

// stdnumCases returns the cases.jsonl records of one type, default options
// only (the kwargs cases exercise options our detectors do not have).
func stdnumCases(t testing.TB, typ string) []stdnumCase {
	t.Helper()
	var out []stdnumCase
	for _, c := range readJSONL[stdnumCase](t, "stdnum/cases.jsonl") {
		if c.Type == typ && len(c.Kwargs) == 0 {
			out = append(out, c)
		}
	}
	return out
}

// stdnumFunction is one record of stdnum/functions.jsonl.
type stdnumFunction struct {
	Type     string         `json:"type"`
	Function string         `json:"function"`
	Args     []string       `json:"args"`
	Kwargs   map[string]any `json:"kwargs"`
	Output   string         `json:"output"`
	Line     int            `json:"line"`
}

// detectAt scans text with the built-in engine and says how the matches of
// the given data types relate to the span want: "found" when exactly one
// match covers exactly want (and, when canon is not empty, its canonical
// form is canon), "not found" when there is no match of those types, and
// otherwise a description of what was found ("cn_license_plate [3,12)").
func detectAt(t testing.TB, text string, want confSpan, canon string, types ...string) string {
	t.Helper()
	var exact, other []string
	for _, m := range scanString(t, confEngine(t), text).ms {
		if !slices.Contains(types, m.DataType) {
			continue
		}
		if m.Start == want.start && m.End == want.end {
			if canon != "" && m.Fingerprint != confFingerprint(canon) {
				exact = append(exact, m.DataType+" (canonical form is not "+canon+")")
				continue
			}
			exact = append(exact, m.DataType)
			continue
		}
		other = append(other, fmt.Sprintf("%s [%d,%d)", m.DataType, m.Start, m.End))
	}
	switch {
	case len(exact) == 0 && len(other) == 0:
		return "not found"
	case len(exact) == 1 && len(other) == 0 && !strings.Contains(exact[0], "("):
		return "found"
	}
	return "found " + strings.Join(slices.Concat(exact, other), ", ")
}

// detectValue scans kw+v and reports with detectAt whether v itself is
// found.
func detectValue(t testing.TB, kw, v, canon string, types ...string) string {
	t.Helper()
	return detectAt(t, kw+v, confSpan{len(kw), len(kw) + len(v)}, canon, types...)
}

// foundValidity renders a detectAt verdict in the valid/invalid words of
// the validator vectors; anything else (a partial or a different match)
// stays as it is, so it cannot pass for either.
func foundValidity(s string) string {
	switch s {
	case "found":
		return "valid"
	case "not found":
		return "invalid"
	}
	return s
}

// anyRuleLoad returns the any-rule examples of one category as vectors with
// the verdicts "valid" (an example) and "invalid" (a counter-example).
func anyRuleLoad(category string) func(t testing.TB) []confVector {
	return func(t testing.TB) []confVector {
		var vs []confVector
		for _, e := range readJSONL[anyRuleExample](t, "any-rule/examples.jsonl") {
			if e.Category == category {
				vs = append(vs, confVector{name: fmt.Sprintf("L%d_%s", e.Line, e.Value), input: e.Value, want: validity(e.Match)})
			}
		}
		return dedupVectors(vs)
	}
}

// presidioByteSpans returns a Presidio case's expected spans as byte spans.
func presidioByteSpans(c presidioCase) []confSpan {
	var out []confSpan
	if c.Bytes != nil {
		for _, s := range c.Bytes {
			out = append(out, confSpan{s[0], s[1]})
		}
		return out
	}
	for _, s := range c.Spans {
		out = append(out, confSpan{byteOffset(c.Text, s[0]), byteOffset(c.Text, s[1])})
	}
	return out
}

// spansOf renders the spans of the matches of the given data types.
func spansOf(t testing.TB, text string, types ...string) string {
	t.Helper()
	var spans []confSpan
	for _, m := range scanString(t, confEngine(t), text).ms {
		if slices.Contains(types, m.DataType) {
			spans = append(spans, confSpan{m.Start, m.End})
		}
	}
	return renderSpans(spans)
}

// runSources runs each source as a subtest.
func runSources(t *testing.T, srcs []confSource) {
	t.Helper()
	for _, src := range srcs {
		t.Run(src.name, func(t *testing.T) {
			t.Parallel()
			runConformance(t, src)
		})
	}
}

package classifiers

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/piiscan/piiscan/rules"
)

// ExampleError is a rule example that the engine does not treat as the
// rule says: a match example without a finding of the rule's data type, or
// a no_match example with one. It names the example by its place in the
// rule (examples.match[0]) and never quotes it: examples are shaped like
// the personal data they stand for, and errors must not carry such values.
type ExampleError struct {
	// List is "match" or "no_match"; Index is 0-based within it.
	List  string
	Index int
	// Found lists the data types found in a match example instead.
	Found []string
}

func (e *ExampleError) Error() string {
	where := fmt.Sprintf("examples.%s[%d] (%s %s example)", e.List, e.Index, ordinal(e.Index+1), strings.ReplaceAll(e.List, "_", "-"))
	if e.List == "no_match" {
		return where + " should not match but does"
	}
	found := "nothing"
	if len(e.Found) > 0 {
		found = strings.Join(e.Found, ", ")
	}
	return where + " should match but does not (found " + found + ")"
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// CheckExamples runs the examples of every compiled rule from a user pack
// (the built-in pack's are run by tests) through this engine, with all its
// rules, allow lists and levels: each match example must give a finding of
// the rule's data type and each no_match example none (DESIGN.md section 5).
// The first failure is returned as a *rules.Error wrapping an
// *ExampleError. Examples are few and short: this costs a few scans.
//
// An example is text, "(column NAME) VALUE" for a value in a named column,
// or "(csv) header|row|row" for a small table; {floats:N} and {base64:N}
// stand for a vector of N numbers and a blob of N bytes.
func (e *Engine) CheckExamples(ctx context.Context) error {
	sc := e.NewScanner()
	for _, ri := range e.rules {
		r := ri.rule
		if r.Source == rules.BuiltinName {
			continue
		}
		lists := [...]struct {
			name string
			exs  []string
		}{{"match", r.Examples.Match}, {"no_match", r.Examples.NoMatch}}
		for _, l := range lists {
			list := l.name
			for i, ex := range l.exs {
				found, err := runExample(ctx, sc, ex)
				if err != nil {
					return &rules.Error{File: sourceName(r), Rule: r.ID, Err: fmt.Errorf("examples.%s[%d]: %w", list, i, err)}
				}
				if found.has(r.ID) == (list == "match") {
					continue
				}
				return &rules.Error{File: sourceName(r), Rule: r.ID, Err: &ExampleError{List: list, Index: i, Found: found.list()}}
			}
		}
	}
	return nil
}

// typeSet collects the data types of matches, in order of first finding.
type typeSet struct{ types []string }

func (t *typeSet) Match(m *Match) error {
	if !t.has(m.DataType) {
		t.types = append(t.types, m.DataType)
	}
	return nil
}
func (t *typeSet) EndRecord(int64, bool) error { return nil }
func (t *typeSet) Anchor(int) any              { return nil }

func (t *typeSet) has(id string) bool {
	for _, x := range t.types {
		if x == id {
			return true
		}
	}
	return false
}

func (t *typeSet) list() []string { return t.types }

// runExample scans one example as text or as records and returns the data
// types found.
func runExample(ctx context.Context, sc *Scanner, ex string) (*typeSet, error) {
	sc.Reset()
	ex = expandExample(ex)
	found := &typeSet{}
	switch {
	case strings.HasPrefix(ex, "(column "):
		name, value, _ := strings.Cut(strings.TrimPrefix(ex, "(column "), ") ")
		return found, runExampleTable(ctx, sc, []string{name}, [][]string{{value}}, found)
	case strings.HasPrefix(ex, "(csv) "):
		rows := strings.Split(strings.TrimPrefix(ex, "(csv) "), "|")
		var cells [][]string
		for _, r := range rows[1:] {
			cells = append(cells, strings.Split(r, ","))
		}
		return found, runExampleTable(ctx, sc, strings.Split(rows[0], ","), cells, found)
	}
	if err := sc.ScanText(ctx, []byte(ex), 0, len(ex), nil, found); err != nil {
		return nil, err
	}
	return found, sc.Finish(found)
}

// runExampleTable scans rows of values under column names as records.
func runExampleTable(ctx context.Context, sc *Scanner, header []string, rows [][]string, em Emitter) error {
	buf, spans := exampleRecords(sc, header, rows)
	if err := sc.ScanRecords(ctx, buf, spans, false, em); err != nil {
		return err
	}
	return sc.Finish(em)
}

// examplePlaceholder is {floats:N} or {base64:N}; N is bounded so that a
// user pack cannot ask for a huge example.
var examplePlaceholder = regexp.MustCompile(`\{(floats|base64):(\d{1,5})\}`)

// expandExample replaces the placeholders with synthetic values.
func expandExample(s string) string {
	return examplePlaceholder.ReplaceAllStringFunc(s, func(m string) string {
		p := examplePlaceholder.FindStringSubmatch(m)
		n, _ := strconv.Atoi(p[2])
		if p[1] == "floats" {
			parts := make([]string, n)
			for i := range parts {
				parts[i] = fmt.Sprintf("%.4f", float64((i*37)%200-100)/101)
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		blob := make([]byte, n)
		for i := range blob {
			blob[i] = byte(i*131 + 7)
		}
		return base64.StdEncoding.EncodeToString(blob)
	})
}

// exampleRecords lays rows of values under column names out as the
// scanner's record batches are: the values joined by '\n', one span each.
func exampleRecords(sc *Scanner, header []string, rows [][]string) ([]byte, []Span) {
	var buf []byte
	var spans []Span
	for r, row := range rows {
		for i, v := range row {
			var f *Field
			if i < len(header) {
				f = sc.e.Field(header[i])
			}
			spans = append(spans, Span{Start: len(buf), End: len(buf) + len(v), Field: f, Record: int64(r)})
			buf = append(append(buf, v...), '\n')
		}
	}
	return buf, spans
}

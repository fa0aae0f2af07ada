package classifiers

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Columns of a table without a header. A database export (PostgreSQL's
// COPY, MySQL's SELECT ... INTO OUTFILE, a Hive text table, JSON arrays
// of arrays) usually has no header row, so its columns are named by
// position (column_1, column_2, ...; $[*][0], $[*][1], ... in JSON) and
// no field name says which one holds names, a diagnosis or an
// ethnic group: the rules of such columns (person_name and the dictionary
// rules: religious_belief, medical_health, specific_identity) found nothing
// in it. The values say it instead. Once a positional column has
// profileMin values (in one call, a batch of the reader's rows, or over
// several), it is profiled:
//
//   - a column whose values are nearly all Chinese names (two to four Han
//     characters starting with a common surname), most of them different,
//     is read as a bare name column;
//   - a column where at least half of the values that are not the rule's
//     "none" words (无, 群众, none) are short and hold a term of the rule's
//     dictionary (汉族, 佛教, 糖尿病) is read as that rule's column: any value
//     of it is judged as if the column were named for the rule.
//
// As in a column named "name", a value of such a column is reported only
// in a record that also holds identity, contact or financial data (a table
// of ethnic groups or diseases names no one), and a name not when it names
// a team, a company or a place. The decision holds for the rest of the
// object (Reset forgets it).
//
// Latin names are not profiled: Title Case words ("Order Date", "New
// York") are as common in other columns.
const (
	profileMin      = 3   // values a column needs to be profiled
	profileMax      = 256 // values looked at per column
	profileNames    = 0.8 // share of its values that look like names
	profileDistinct = 0.6 // share of those names that are different
	profileTerms    = 0.5 // share of its other values that hold a dictionary term
	profileTermLen  = 64  // longer values are free text: they do not count as terms
)

// colRead is what a positional column's profile decided.
type colRead struct {
	decided bool
	names   bool        // a name column
	rules   []*ruleInfo // dictionary rules it is the column of
}

// positionalColumn returns n for a field named column_<n> (n >= 1), the
// name the readers give the columns of a table without a header, or n-1
// for a cell of a JSON row, $[*][<n-1>] (in JSON Lines $[<n-1>]: see
// scanner.JSONRowCell); 0 else.
func positionalColumn(name string) int {
	if d, ok := strings.CutPrefix(name, "column_"); ok {
		return max(columnNumber(d, 1), 0)
	}
	if len(name) < 4 || name[0] != '$' || name[len(name)-1] != ']' {
		return 0
	}
	i := strings.LastIndexByte(name, '[')
	if i != 1 && name[i-1] != ']' {
		return 0
	}
	if n := columnNumber(name[i+1:len(name)-1], 0); n >= 0 {
		return n + 1
	}
	return 0
}

// columnNumber parses d, one to six decimal digits without a leading
// zero, when it is at least least; -1 else.
func columnNumber(d string, least int) int {
	if d == "" || len(d) > 6 || d[0] == '0' && len(d) > 1 || strings.Trim(d, "0123456789") != "" {
		return -1
	}
	n, _ := strconv.Atoi(d)
	if n < least {
		return -1
	}
	return n
}

// colProfile counts one column's values in profileColumns.
type colProfile struct {
	values, names int
	distinct      map[string]struct{}
	none, terms   []int // per dictionary rule (Engine.dictRules)
}

// profileColumns counts the values of this call's positional columns that
// are still open, and decides those that have profileMin values so far; the
// others wait for the next call's values.
func (s *Scanner) profileColumns() {
	// In a table without a header every field is positional, the first
	// one too (the readers start a call at JSON rows that follow other
	// members: {"columns": [...], "data": [[...]]}, pandas' "split"); in
	// a JSON table whose column list labels some columns, the first is a
	// labelled cell or positional. A call whose first field is neither has
	// nothing to profile (extra cells of a ragged row under a header are
	// left alone): a gate that does not hang on where a call ends, so that
	// scan and redact, whose calls end in other places, profile alike.
	if f := s.spans[0].Field; !positional(f) && (f == nil || !f.labelled) {
		return
	}
	for i := range s.spans {
		f := s.spans[i].Field
		if f == nil || f.col == 0 || f.col < len(s.cols) && s.cols[f.col].decided {
			continue
		}
		if s.prof == nil {
			s.prof = map[int]*colProfile{}
		}
		p := s.prof[f.col]
		if p == nil {
			p = &colProfile{distinct: map[string]struct{}{}, none: make([]int, len(s.e.dictRules)), terms: make([]int, len(s.e.dictRules))}
			s.prof[f.col] = p
		}
		if p.values >= profileMax {
			continue
		}
		v := trimValue(s.buf[s.spans[i].Start:s.spans[i].End])
		if len(v) == 0 {
			continue
		}
		p.values++
		if hanName(v) {
			p.names++
			p.distinct[string(v)] = struct{}{}
		}
		low := strings.ToLower(string(v))
		for k, ri := range s.e.dictRules {
			switch {
			case ri.params.empty[low]:
				p.none[k]++
			case len(v) <= profileTermLen:
				if _, ok := ri.params.findTerm(v); ok {
					p.terms[k]++
				}
			}
		}
	}
	for col, p := range s.prof {
		if p.values < profileMin {
			continue
		}
		for len(s.cols) <= col {
			s.cols = append(s.cols, colRead{})
		}
		c := colRead{decided: true}
		if s.e.det[dPersonName] != nil && float64(p.names) >= profileNames*float64(p.values) && float64(len(p.distinct)) >= profileDistinct*float64(p.names) {
			c.names = true
		}
		for k, ri := range s.e.dictRules {
			if p.terms[k] > 0 && float64(p.terms[k]) >= profileTerms*float64(p.values-p.none[k]) {
				c.rules = append(c.rules, ri)
			}
		}
		s.cols[col] = c
		delete(s.prof, col)
	}
}

func positional(f *Field) bool { return f != nil && f.col > 0 }

// readColumn returns what the profile of a positional field decided, or
// nil.
func (s *Scanner) readColumn(f *Field) *colRead {
	if f.col == 0 || f.col >= len(s.cols) || !s.cols[f.col].decided {
		return nil
	}
	if c := &s.cols[f.col]; c.names || len(c.rules) > 0 {
		return c
	}
	return nil
}

// columnValues applies the rules a profile found for the positional field
// of span i.
func (s *Scanner) columnValues(c *colRead, i int, r *recFacts) {
	if !s.companion[s.spans[i].Record] {
		return
	}
	if c.names {
		s.fieldValue(s.e.det[dPersonName], i, r)
	}
	for _, ri := range c.rules {
		s.fieldValue(ri, i, r)
	}
}

// profiled reports that rule ri judges a value of field f because f's
// profile said so (columnValues), not because f is named for it.
func profiled(f *Field, ri *ruleInfo) bool {
	return f.col > 0 && !f.hints.has(ri.idx)
}

// hanName reports a Chinese name as looksLikeName reads one: Latin names
// are left out of profiles.
func hanName(v []byte) bool {
	r, _ := utf8.DecodeRune(v)
	return isHanRune(r) && looksLikeName(v)
}

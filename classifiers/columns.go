package classifiers

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Columns of a table without a header. A database export (PostgreSQL's
// COPY, MySQL's SELECT ... INTO OUTFILE, a Hive text table) usually has no
// header row, so its columns are named by position (column_1, column_2,
// ...) and no field name says which one holds names: person_name, a rule
// of name columns, found nothing in it. The values say it instead: once a
// positional column has profileMin values (in one call, a batch of the
// reader's rows, or over several), it is profiled, and a column whose
// values are nearly all Chinese names (two to four Han characters starting
// with a common surname), most of them different, is read as a bare name
// column. As with a column named "name", a value is
// then reported only in a record that also holds identity, contact or
// financial data, and not when it names a team, a company or a place. The
// decision holds for the rest of the object (Reset forgets it).
//
// Latin names are not profiled: Title Case words ("Order Date", "New
// York") are as common in other columns.
const (
	profileMin      = 3   // values a column needs to be profiled
	profileMax      = 256 // values looked at per column
	profileNames    = 0.8 // share of its values that look like names
	profileDistinct = 0.6 // share of those names that are different
)

// Profile decisions of a positional column.
const (
	colOpen int8 = iota
	colNames
	colOther
)

// positionalColumn returns n for a field named column_<n> (n >= 1), the
// name the readers give the columns of a table without a header; 0 else.
func positionalColumn(name string) int {
	d, ok := strings.CutPrefix(name, "column_")
	if !ok || d == "" || d[0] == '0' || len(d) > 6 {
		return 0
	}
	n, err := strconv.Atoi(d)
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// colProfile counts one column's values in profileColumns.
type colProfile struct {
	values, names int
	distinct      map[string]struct{}
}

// profileColumns counts the values of this call's positional columns that
// are still open, and decides those that have profileMin values so far; the
// others wait for the next call's values.
func (s *Scanner) profileColumns() {
	// In a table without a header every field is positional, the first
	// one too; a call whose first field is not has nothing to profile
	// (extra cells of a ragged row under a header are left alone).
	if f := s.spans[0].Field; f == nil || f.col == 0 || s.e.det[dPersonName] == nil {
		return
	}
	seen := false
	for i := range s.spans {
		f := s.spans[i].Field
		if f == nil || f.col == 0 || f.col < len(s.cols) && s.cols[f.col] != colOpen {
			continue
		}
		if s.prof == nil {
			s.prof = map[int]*colProfile{}
		}
		p := s.prof[f.col]
		if p == nil {
			p = &colProfile{distinct: map[string]struct{}{}}
			s.prof[f.col] = p
		}
		seen = true
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
	}
	if !seen {
		return
	}
	for col, p := range s.prof {
		if p.values < profileMin {
			continue
		}
		for len(s.cols) <= col {
			s.cols = append(s.cols, colOpen)
		}
		s.cols[col] = colOther
		if float64(p.names) >= profileNames*float64(p.values) && float64(len(p.distinct)) >= profileDistinct*float64(p.names) {
			s.cols[col] = colNames
		}
		delete(s.prof, col)
	}
}

// nameColumn reports a positional field its profile read as names.
func (s *Scanner) nameColumn(f *Field) bool {
	return f.col > 0 && f.col < len(s.cols) && s.cols[f.col] == colNames
}

// hanName reports a Chinese name as looksLikeName reads one: Latin names
// are left out of profiles.
func hanName(v []byte) bool {
	r, _ := utf8.DecodeRune(v)
	return r >= 0x4e00 && r <= 0x9fff && looksLikeName(v)
}

package classifiers

import (
	"bytes"
	"sort"
	"strconv"
	"time"
)

// recFacts is what record rules learn from one record's fields: latitude
// and longitude values (a coordinate in two columns) and a birth date (the
// record's subject is a minor). The values stay inside the engine.
type recFacts struct {
	rec        int64
	active     bool
	lat, lng   float64
	latOK      bool
	lngOK      bool
	latField   *Field
	gpsDone    bool
	birthMinor bool
	subject    bool // a field names a subject (user_id, face_image): see Field.ctxRules
	// location traces: the record's points and its subject field, if any
	points       [][2]int32
	subjectFP    string
	subjectField *Field
	subjectSpan  int
}

// recPoint is a coordinate a text detector found in a record.
type recPoint struct {
	rec int64
	p   [2]int32
}

// recordFacts walks the spans in order, reads the fields that record rules
// use and returns the facts of each record in this call, in order. It
// appends coordinate matches built from latitude/longitude fields.
func (s *Scanner) recordFacts() []recFacts {
	recs := s.recs[:0]
	defer func() { s.recs = recs[:0] }()
	s.findCompanions()
	spans := s.spans
	for i := 0; i < len(spans); {
		// A record's spans are consecutive: one entry per run of them.
		rec := spans[i].Record
		f := recFacts{rec: rec, active: true}
		if len(recs) == 0 && s.open.active && s.open.rec == rec {
			f = s.open
			f.points = append([][2]int32(nil), s.open.points...)
		}
		recs = append(recs, f)
		r := &recs[len(recs)-1]
		s.ctxSpans, s.waitNames = s.ctxSpans[:0], s.waitNames[:0]
		out0 := len(s.out)
		for ; i < len(spans) && spans[i].Record == rec; i++ {
			// Most fields have no record rule: test that first, in the loop.
			if fl := spans[i].Field; fl != nil && (fl.recWork || s.readColumn(fl) != nil) {
				s.spanFacts(r, i, fl)
			}
		}
		// Fields whose rules need a subject field anywhere in the record.
		if r.subject {
			for _, k := range s.ctxSpans {
				for _, ri := range spans[k].Field.ctxRules {
					s.fieldValue(ri, k, r)
				}
			}
		}
		// Names in bare name columns that waited for a companion: the
		// record's biometric data, read with the record, is one.
		if len(s.waitNames) > 0 && biometricSince(s.out[out0:], rec) {
			s.companion[rec] = true
			for _, k := range s.waitNames {
				s.fieldValue(s.e.det[dPersonName], k, r)
			}
		}
	}
	// Coordinates the text detectors found belong to their record too.
	for _, p := range s.points {
		if k := recordIndex(recs, p.rec); k >= 0 {
			recs[k].points = append(recs[k].points, p.p)
		}
	}
	return recs
}

// biometricSince reports a biometric match of record rec in out.
func biometricSince(out []Match, rec int64) bool {
	for i := range out {
		if out[i].Record == rec && out[i].Category == "biometric" {
			return true
		}
	}
	return false
}

// recordIndex returns the index of record rec in recs, or -1. The batch
// numbers its records in ascending order, so a binary search finds it; a
// caller that numbered them otherwise still gets the answer, by a scan.
func recordIndex(recs []recFacts, rec int64) int {
	if k := sort.Search(len(recs), func(k int) bool { return recs[k].rec >= rec }); k < len(recs) && recs[k].rec == rec {
		return k
	}
	for k := range recs {
		if recs[k].rec == rec {
			return k
		}
	}
	return -1
}

// spanFacts applies field fl's record rules to span i of record r.
func (s *Scanner) spanFacts(r *recFacts, i int, fl *Field) {
	for _, ri := range fl.valueRules {
		s.fieldValue(ri, i, r)
	}
	if c := s.readColumn(fl); c != nil {
		s.columnValues(c, i, r)
	}
	if len(fl.ctxRules) > 0 {
		s.ctxSpans = append(s.ctxSpans, i)
	}
	r.subject = r.subject || fl.subject
	if fl.kind == kindNone {
		return
	}
	sp := &s.spans[i]
	v := trimValue(s.buf[sp.Start:sp.End])
	switch fl.kind {
	case kindSubject:
		if r.subjectFP == "" && len(v) > 0 && len(v) <= 256 {
			r.subjectFP, r.subjectField, r.subjectSpan = s.fingerprint(v), fl, i
		}
	case kindLatitude:
		if x, ok := parseCoord(v); ok {
			r.lat, r.latOK, r.latField = x, true, fl
		}
	case kindLongitude:
		if x, ok := parseCoord(v); ok {
			r.lng, r.lngOK = x, true
		}
	case kindBirthDate:
		if b, ok := earliestBirth(v, s.e.notAfter); ok && underAge(b, s.e.asOf, 14) {
			r.birthMinor = true
		}
	}
	if r.latOK && r.lngOK && !r.gpsDone {
		r.gpsDone = true
		if s.fieldCoordinate(i, r) {
			r.points = append(r.points, point(r.lat, r.lng))
		}
	}
}

// findCompanions notes the records of this call that hold identity,
// contact, financial or biometric data, which makes a bare "name" column
// a name: a face enrolment record holds an id, a name and the face.
func (s *Scanner) findCompanions() {
	if s.companion == nil {
		s.companion = map[int64]bool{}
	}
	clear(s.companion)
	for i := range s.out {
		switch s.out[i].Category {
		case "identity", "contact", "financial_account", "biometric":
			// Biometric data found by the text pass (a template); vectors
			// are read with the record (recordFacts: waitNames).
			s.companion[s.out[i].Record] = true
		}
	}
}

// fieldCoordinate makes a gps_coordinate match from a record's latitude and
// longitude fields, located at the span that completed the pair.
func (s *Scanner) fieldCoordinate(span int, r *recFacts) bool {
	ri := s.e.det[dGpsCoordinate]
	if ri == nil || !validLatLng(r.lat, r.lng) {
		return false
	}
	s.canon = appendLatLng(s.canon[:0], r.lat, r.lng)
	if s.e.allowed(ri, s.canon) {
		return false
	}
	sp := s.spans[span]
	s.stats.Matches++
	s.out = append(s.out, Match{
		DataType:    ri.rule.ID,
		Category:    ri.rule.Category,
		Level:       ri.rule.Level,
		Start:       sp.Start,
		End:         sp.End,
		Span:        span,
		Record:      sp.Record,
		Confidence:  min(0.99, ri.conf+0.15),
		Masked:      s.mask(ri, s.canon),
		Fingerprint: s.fingerprint(s.canon),
		Evidence:    "fields:latitude+longitude",
		Field:       r.latField,
	})
	return true
}

// trimValue drops surrounding spaces and quotes.
func trimValue(v []byte) []byte {
	return bytes.Trim(bytes.TrimSpace(v), `"'`)
}

// parseCoord reads a decimal coordinate with at least two decimals: one
// decimal (about 10 km) locates a city, not a person, and is what a
// generalized copy keeps.
func parseCoord(v []byte) (float64, bool) {
	dot := bytes.IndexByte(v, '.')
	if len(v) == 0 || len(v) > 24 || dot < 0 || len(v)-dot-1 < 2 {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(v), 64)
	return x, err == nil
}

// earliestBirth reads a birth-date column value and returns the earliest
// day its subject can have been born on, no later than notAfter. A full date
// (2012-03-04, 2012/3/4, 2012.03.04, 20120304, 2012年3月4日, optionally
// followed by a time) is that day. A year and month alone (2015-07,
// 2015.07, 2015/7, 201507, 2015年7月) give the 1st of the month: a subject
// born that day is the oldest the value allows. A day and month written
// before the year (03/01/2015, 3-1-2015, 03.01.2015) read either way round,
// and the earlier real date of the two readings counts. A subject is then
// certainly under an age when the earliest birth day makes them so.
func earliestBirth(v []byte, notAfter time.Time) (time.Time, bool) {
	if len(v) < 6 || len(v) > 40 {
		return time.Time{}, false
	}
	if allDigits(v[:6]) && (len(v) == 6 || len(v) >= 8 && allDigits(v[:8]) && (len(v) == 8 || !isDigit(v[8]))) {
		if len(v) == 6 { // YYYYMM
			return monthStart(num(v[:4]), num(v[4:6]), notAfter)
		}
		if b, ok := parseDate8(v); ok && !b.After(notAfter) {
			return b, true
		}
		return time.Time{}, false
	}
	// Up to three numbers, each followed by a separator: - / . or one of
	// 年 月 日 (3 bytes each); a time may follow the third.
	var parts, lens [3]int
	n, i := 0, 0
	for n < 3 && i < len(v) {
		j := i
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		if j == i || j-i > 4 {
			return time.Time{}, false
		}
		parts[n], lens[n] = num(v[i:j]), j-i
		n++
		switch {
		case j == len(v):
		case v[j] == '-' || v[j] == '/' || v[j] == '.':
			j++
		case bytes.HasPrefix(v[j:], []byte("年")), bytes.HasPrefix(v[j:], []byte("月")), bytes.HasPrefix(v[j:], []byte("日")):
			j += 3
		case n < 3:
			return time.Time{}, false
		}
		i = j
	}
	switch {
	case n == 2 && i == len(v) && lens[0] == 4 && lens[1] <= 2:
		return monthStart(parts[0], parts[1], notAfter)
	case n != 3:
		return time.Time{}, false
	case lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2:
		if b, ok := makeDate(parts[0], parts[1], parts[2]); ok && !b.After(notAfter) {
			return b, true
		}
	case lens[0] <= 2 && lens[1] <= 2 && lens[2] == 4:
		// DD/MM/YYYY or MM/DD/YYYY: keep the earlier real date.
		dm, okDM := makeDate(parts[2], parts[1], parts[0])
		md, okMD := makeDate(parts[2], parts[0], parts[1])
		okDM = okDM && !dm.After(notAfter)
		okMD = okMD && !md.After(notAfter)
		switch {
		case okDM && okMD:
			if md.Before(dm) {
				return md, true
			}
			return dm, true
		case okDM:
			return dm, true
		case okMD:
			return md, true
		}
	}
	return time.Time{}, false
}

// monthStart returns the 1st of month m of year y, if that is a real month
// that has begun by notAfter.
func monthStart(y, m int, notAfter time.Time) (time.Time, bool) {
	b, ok := makeDate(y, m, 1)
	if !ok || b.After(notAfter) {
		return time.Time{}, false
	}
	return b, true
}

// num reads a run of at most 9 ASCII digits.
func num(d []byte) int {
	x := 0
	for _, c := range d {
		x = x*10 + int(c-'0')
	}
	return x
}

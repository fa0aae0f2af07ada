package classifiers

import (
	"math"
	"strconv"
)

// Location traces: three or more distinct coordinates that belong to one
// subject within one object (PIPL Art. 28 "whereabouts"). The subject is a
// device/user/member/vehicle id field of the record, or else the first
// personal identifier found in it. One location_trace finding is reported
// per subject per object, when the object is finished.

// Bounds on the state kept per object.
const (
	maxTraceSubjects = 100_000
	maxTracePoints   = 10_000
)

// trace is what is known of one subject in the current object.
type trace struct {
	fp      string // the subject's fingerprint: HMAC of its canonical value
	field   *Field
	how     string // evidence: subject:field:device_id or subject:cn_mobile
	points  map[[2]int32]struct{}
	anchor  any // the caller's location of the subject's first point
	ordinal int
}

// point rounds a coordinate to 1e-6 degrees (the canonical precision).
func point(lat, lng float64) [2]int32 {
	return [2]int32{int32(math.Round(lat * 1e6)), int32(math.Round(lng * 1e6))}
}

// addTrace records the points of a finished record for its subject.
func (s *Scanner) addTrace(r *recFacts, em Emitter, idSubject *Match) {
	if len(r.points) == 0 {
		return
	}
	fp, field, how, span := r.subjectFP, r.subjectField, "", r.subjectSpan
	if fp != "" {
		how = "subject:field:" + field.Name
	} else if idSubject != nil {
		fp, field, how, span = idSubject.Fingerprint, nil, "subject:"+idSubject.DataType, idSubject.Span
		if idSubject.Span >= 0 && idSubject.Span < len(s.spans) {
			field = s.spans[idSubject.Span].Field
		}
	} else {
		return
	}
	if s.traces == nil {
		s.traces = map[string]*trace{}
	}
	t := s.traces[fp]
	if t == nil {
		if len(s.traces) >= maxTraceSubjects {
			return
		}
		t = &trace{fp: fp, field: field, how: how, points: map[[2]int32]struct{}{}, ordinal: len(s.traces)}
		t.anchor = em.Anchor(span)
		s.traces[fp] = t
	}
	for _, p := range r.points {
		if len(t.points) < maxTracePoints {
			t.points[p] = struct{}{}
		}
	}
}

// Finish reports what needs the whole object (location traces). Call it
// once after the object's last ScanText or ScanRecords; Reset clears it.
func (s *Scanner) Finish(em Emitter) error {
	ri := s.e.det[dLocationTrace]
	if ri == nil || len(s.traces) == 0 {
		return nil
	}
	ts := make([]*trace, 0, len(s.traces))
	for _, t := range s.traces {
		if len(t.points) >= 3 {
			ts = append(ts, t)
		}
	}
	// Report in the order subjects were first seen, for stable output.
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].ordinal < ts[j-1].ordinal; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	for _, t := range ts {
		n := len(t.points)
		m := Match{
			DataType: ri.rule.ID, Category: ri.rule.Category, Level: ri.rule.Level,
			Span: -1, Record: -1, Confidence: ri.conf,
			Masked:      strconv.Itoa(n) + " points",
			Fingerprint: t.fp,
			Evidence:    "trace," + t.how + ",points:" + strconv.Itoa(n),
			Field:       t.field,
			Anchor:      t.anchor,
		}
		if err := em.Match(&m); err != nil {
			return err
		}
	}
	return nil
}

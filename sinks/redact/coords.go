package redact

import (
	"bytes"
	"context"
	"regexp"
	"strconv"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
)

// Coordinates held in two fields of one record (lat, lng columns) are
// reported by the engine as one gps_coordinate match located on the field
// that completed the pair. A copy must generalize both fields, or the
// other one keeps its full precision; the engine keeps its field kinds to
// itself, so they are learnt by probing it once per field with synthetic
// values (no data is involved).

type coordKind uint8

const (
	coordNone coordKind = iota + 1
	coordLat
	coordLng
)

// coordFields tells latitude and longitude fields, cached per field.
type coordFields struct {
	probe    *classifiers.Scanner
	lat, lng *classifiers.Field
	kinds    map[*classifiers.Field]coordKind
}

func newCoordFields(eng *classifiers.Engine) *coordFields {
	return &coordFields{probe: eng.NewScanner(), lat: eng.Field("latitude"), lng: eng.Field("longitude"),
		kinds: map[*classifiers.Field]coordKind{}}
}

// Synthetic probe values: a valid pair with six decimals.
var (
	probeLat = []byte("31.234567")
	probeLng = []byte("121.456789")
)

// kind returns whether f is a latitude or longitude field for the engine.
func (c *coordFields) kind(f *classifiers.Field) coordKind {
	if f == nil {
		return coordNone
	}
	if k, ok := c.kinds[f]; ok {
		return k
	}
	k := coordNone
	switch {
	case c.pairs(f, c.lng):
		k = coordLat
	case c.pairs(c.lat, f):
		k = coordLng
	}
	if len(c.kinds) < 100_000 {
		c.kinds[f] = k
	}
	return k
}

// pairs reports whether the engine makes a coordinate of a record whose
// first field is latF and second lngF.
func (c *coordFields) pairs(latF, lngF *classifiers.Field) bool {
	buf := make([]byte, 0, 32)
	buf = append(append(buf, probeLat...), '\n')
	buf = append(append(buf, probeLng...), '\n')
	spans := []classifiers.Span{
		{Start: 0, End: len(probeLat), Field: latF},
		{Start: len(probeLat) + 1, End: len(probeLat) + 1 + len(probeLng), Field: lngF},
	}
	var em coordProbe
	c.probe.Reset()
	_ = c.probe.ScanRecords(context.Background(), buf, spans, false, &em)
	return bool(em)
}

type coordProbe bool

func (p *coordProbe) Match(m *classifiers.Match) error {
	if m.DataType == "gps_coordinate" && m.Field != nil {
		*p = true
	}
	return nil
}
func (p *coordProbe) EndRecord(int64, bool) error { return nil }
func (p *coordProbe) Anchor(int) any              { return nil }

// coordPair generalizes every latitude and longitude value of the record
// of m (each with the policy's gps_coordinate operator, one coordinate at
// a time).
func (e *engineEditor) coordPair(m *classifiers.Match) {
	rec := e.spans[m.Span].Record
	lo, hi := m.Span, m.Span
	for lo > 0 && e.spans[lo-1].Record == rec {
		lo--
	}
	for hi+1 < len(e.spans) && e.spans[hi+1].Record == rec {
		hi++
	}
	for i := lo; i <= hi; i++ {
		sp := e.spans[i]
		if e.coords.kind(sp.Field) == coordNone && i != m.Span {
			continue
		}
		v := e.buf[sp.Start:sp.End]
		t := bytes.Trim(bytes.TrimSpace(v), `"'`)
		if _, err := strconv.ParseFloat(string(t), 64); err != nil || len(t) == 0 {
			continue
		}
		if hasEditAt(e.out[i]) {
			continue
		}
		repl, op := e.apply(m.DataType, m.Category, sp.Kind, t)
		e.count(m.DataType, op)
		off := bytes.Index(v, t)
		e.out[i] = append(e.out[i], edit{off, off + len(t), repl})
	}
}

// hasEditAt reports a value that already has an edit (a second coordinate
// match of the same record).
func hasEditAt(es []edit) bool { return len(es) > 0 }

// coordNumber is a decimal coordinate inside a written pair.
var coordNumber = regexp.MustCompile(`-?\d{1,3}\.\d+`)

// perNumber handles a coordinate written with words between its numbers
// ("lat: 25.078284, lng: 121.559982", "纬度：48.8950，经度：2.3903"), which the
// policy's operator for the pair does not read, so that the fallback
// removed it: the operator is applied to each number instead, keeping
// the words. It reports false when that does not apply.
func (e *engineEditor) perNumber(dataType, category, op string, kind deid.Kind, raw []byte) ([]byte, string, bool) {
	if dataType != "gps_coordinate" || (kind != deid.KindText && kind != deid.KindJSONString) {
		return nil, "", false
	}
	want := e.policy.For(dataType, category).Name()
	if op == want || op != e.policy.Fallback().Name() {
		return nil, "", false
	}
	locs := coordNumber.FindAllIndex(raw, -1)
	if len(locs) != 2 {
		return nil, "", false
	}
	var out []byte
	prev := 0
	for _, l := range locs {
		r, o, err := e.policy.Apply(deid.OpContext{DataType: dataType, Category: category, Kind: deid.KindText}, raw[l[0]:l[1]])
		if err != nil || o != want {
			return nil, "", false
		}
		out = append(append(out, raw[prev:l[0]]...), r...)
		prev = l[1]
	}
	return append(out, raw[prev:]...), want, true
}

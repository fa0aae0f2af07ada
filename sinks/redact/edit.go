package redact

import (
	"bytes"
	"context"
	"slices"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
)

// edit replaces [start, end) of a value (or of a text chunk's data) with
// repl.
type edit struct {
	start, end int
	repl       []byte
}

// editor decides what to replace. The rewriters hand it values exactly as
// the scanner's decoders hand them to the engine: a text chunk with its
// owned region, or a batch of record values (spans). Editors are used by
// one worker at a time.
type editor interface {
	// text returns the edits of matches starting in data[own0:own1], in
	// offset order, with offsets in data; field, if not nil, is the field
	// the text belongs to (a side value's, scanner.OOXMLSide).
	text(ctx context.Context, data []byte, own0, own1 int, field *classifiers.Field) ([]edit, error)
	// records returns, per span, the edits of its value in offset order,
	// with offsets relative to the span's start. more says that the last
	// record continues in the next call. The result is valid until the
	// next call.
	records(ctx context.Context, buf []byte, spans []classifiers.Span, more bool) ([][]edit, error)
	// header reports whether a first CSV row reads like a header: it holds
	// nothing the engine reports.
	header(ctx context.Context, cells [][]byte, next func() [][]byte) bool
	// begin starts an object whose counters are res's.
	begin(res *Result)
}

// wholeCategories are the categories whose values are sensitive as a
// whole (PIPL Art. 28): a match on a field's value replaces all of it.
var wholeCategories = map[string]bool{
	"biometric": true, "religious_belief": true, "medical_health": true, "specific_identity": true,
}

// engineEditor replaces what the engine reports, with the replacements
// its policy computed (classifiers.Scanner.SetPolicy).
type engineEditor struct {
	sc     *classifiers.Scanner
	policy *deid.Policy
	coords *coordFields
	res    *Result

	buf   []byte
	spans []classifiers.Span
	out   [][]edit
	texts []edit
	ops   []Replacement // each of texts' data type and operator
	guard []byte
	err   error
}

func newEngineEditor(eng *classifiers.Engine, p *deid.Policy) *engineEditor {
	sc := eng.NewScanner()
	sc.SetPolicy(p)
	return &engineEditor{sc: sc, policy: p, coords: newCoordFields(eng)}
}

func (e *engineEditor) begin(res *Result) {
	e.res = res
	e.sc.Reset()
}

func (e *engineEditor) count(dataType, op string) {
	if e.res.Values == nil {
		e.res.Values = map[Replacement]int64{}
	}
	e.res.Values[Replacement{dataType, op}]++
}

// apply runs the policy on a raw value, for matches the engine left
// without a replacement. An error removes the value rather than keep it.
func (e *engineEditor) apply(dataType, category string, kind deid.Kind, v []byte) ([]byte, string) {
	out, op, err := e.policy.Apply(deid.OpContext{DataType: dataType, Category: category, Kind: kind}, v)
	if err != nil {
		out, _ = deid.Redact{}.Apply(deid.OpContext{Kind: kind}, v)
		return out, "redact"
	}
	return out, op
}

func (e *engineEditor) text(ctx context.Context, data []byte, own0, own1 int, field *classifiers.Field) ([]edit, error) {
	e.buf, e.spans, e.texts, e.ops = data, nil, e.texts[:0], e.ops[:0]
	if err := e.sc.ScanText(ctx, data, own0, own1, field, (*textEm)(e)); err != nil {
		return nil, err
	}
	return e.texts, nil
}

// nameText is text for a reading of a name (scanner.NameReadings): the
// values from seg on, data's folders before seg their context.
func (e *engineEditor) nameText(ctx context.Context, data []byte, seg int) ([]edit, error) {
	e.buf, e.spans, e.texts, e.ops = data, nil, e.texts[:0], e.ops[:0]
	if err := e.sc.ScanName(ctx, data, seg, (*textEm)(e)); err != nil {
		return nil, err
	}
	return e.texts, nil
}

// textEm receives the matches of ScanText.
type textEm engineEditor

func (t *textEm) Match(m *classifiers.Match) error {
	e := (*engineEditor)(t)
	repl, op := m.Replacement, m.Operator
	if repl == nil {
		repl, op = e.apply(m.DataType, m.Category, deid.KindText, e.buf[m.Start:m.End])
	}
	if r, o, ok := e.perNumber(m.DataType, m.Category, op, deid.KindText, e.buf[m.Start:m.End]); ok {
		repl, op = r, o
	}
	lo, hi := max(0, m.Start-guardWindow), min(len(e.buf), m.End+guardWindow)
	if e.ghostText(e.buf[lo:m.Start], repl, e.buf[m.End:hi], m.DataType) {
		repl, op = e.fallback(m, deid.KindText)
	}
	e.count(m.DataType, op)
	e.texts = append(e.texts, edit{m.Start, m.End, repl})
	e.ops = append(e.ops, Replacement{m.DataType, op})
	return nil
}
func (t *textEm) EndRecord(int64, bool) error { return nil }
func (t *textEm) Anchor(int) any              { return nil }

func (e *engineEditor) records(ctx context.Context, buf []byte, spans []classifiers.Span, more bool) ([][]edit, error) {
	e.buf, e.spans, e.err = buf, spans, nil
	if cap(e.out) < len(spans) {
		e.out = make([][]edit, len(spans))
	}
	e.out = e.out[:len(spans)]
	for i := range e.out {
		e.out[i] = e.out[i][:0]
	}
	if err := e.sc.ScanRecords(ctx, buf, spans, more, (*recEm)(e)); err != nil {
		return nil, err
	}
	if e.err != nil {
		return nil, e.err
	}
	for _, es := range e.out {
		if len(es) > 1 {
			slices.SortStableFunc(es, func(a, b edit) int { return a.start - b.start })
		}
	}
	return e.out, nil
}

func (e *engineEditor) header(ctx context.Context, cells [][]byte, next func() [][]byte) bool {
	return e.sc.LooksLikeHeader(ctx, cells, next)
}

// recEm receives the matches of ScanRecords.
type recEm engineEditor

func (r *recEm) Match(m *classifiers.Match) error {
	e := (*engineEditor)(r)
	if m.Span < 0 || m.Span >= len(e.spans) {
		return nil // an object-level finding (location trace): no bytes of its own
	}
	sp := e.spans[m.Span]
	if m.DataType == "gps_coordinate" && m.Field != nil {
		// A coordinate made of latitude and longitude fields: the match
		// sits on one of them, generalize both.
		e.coordPair(m)
		return nil
	}
	start, end := m.Start, m.End
	repl, op := m.Replacement, m.Operator
	raw := e.buf[start:end]
	if repl == nil {
		repl, op = e.apply(m.DataType, m.Category, sp.Kind, raw)
	}
	if r, o, ok := e.perNumber(m.DataType, m.Category, op, sp.Kind, raw); ok {
		repl, op = r, o
	}
	switch {
	case wholeCategories[m.Category] && coversValue(e.buf[sp.Start:sp.End], start-sp.Start, end-sp.Start):
		// Sensitive as a whole: the replacement takes the whole value,
		// quotes and spaces around it included.
		start, end = sp.Start, sp.End
	case sp.Kind == deid.KindJSONArray && !wholeCategories[m.Category]:
		// A numeric array (a coordinate pair, numbers in a vector): the
		// replacement for an array slot is [], but the operator's text
		// result may still be a list of numbers (a generalized pair).
		if alt, aop := e.apply(m.DataType, m.Category, deid.KindText, raw); numberList(alt) {
			repl, op = alt, aop
		}
	}
	if e.ghostValue(repl, sp, m.DataType) {
		repl, op = e.fallback(m, sp.Kind)
	}
	e.count(m.DataType, op)
	e.out[m.Span] = append(e.out[m.Span], edit{start - sp.Start, end - sp.Start, repl})
	return nil
}
func (r *recEm) EndRecord(int64, bool) error { return nil }
func (r *recEm) Anchor(int) any              { return nil }

// coversValue reports whether [start, end) is all of v but surrounding
// white space and quotes.
func coversValue(v []byte, start, end int) bool {
	t := bytes.Trim(bytes.TrimSpace(v), `"'`)
	if len(t) == 0 {
		return true
	}
	lead := bytes.Index(v, t)
	return start <= lead && end >= lead+len(t)
}

// decryptEditor replaces encrypt tokens with their plaintext.
type decryptEditor struct {
	policy *deid.Policy
	res    *Result
	texts  []edit
	out    [][]edit
}

func (d *decryptEditor) begin(res *Result) { d.res = res }

func (d *decryptEditor) header(context.Context, [][]byte, func() [][]byte) bool { return false }

// tokens appends the edits of the tokens starting in v[from:to].
func (d *decryptEditor) tokens(dst []edit, v []byte, from, to int) []edit {
	for from < to {
		s, e, ok := deid.NextToken(v, from)
		if !ok || s >= to {
			break
		}
		from = e
		pt, err := d.policy.Decrypt(v[s:e])
		if err != nil {
			d.res.TokensFailed++
			continue
		}
		if d.res.Values == nil {
			d.res.Values = map[Replacement]int64{}
		}
		alg, _, _ := deid.ParseToken(v[s:e])
		d.res.Values[Replacement{"encrypt/" + alg, "decrypt"}]++
		dst = append(dst, edit{s, e, pt})
	}
	return dst
}

func (d *decryptEditor) text(_ context.Context, data []byte, own0, own1 int, _ *classifiers.Field) ([]edit, error) {
	d.texts = d.tokens(d.texts[:0], data, own0, own1)
	return d.texts, nil
}

func (d *decryptEditor) records(_ context.Context, buf []byte, spans []classifiers.Span, _ bool) ([][]edit, error) {
	if cap(d.out) < len(spans) {
		d.out = make([][]edit, len(spans))
	}
	d.out = d.out[:len(spans)]
	for i, sp := range spans {
		d.out[i] = d.tokens(d.out[i][:0], buf[sp.Start:sp.End], 0, sp.End-sp.Start)
	}
	return d.out, nil
}

// splice appends v with the edits applied to dst. Edits are in offset
// order; one that overlaps the previous is written in full from where the
// previous ended, so no byte of either value is kept.
func splice(dst, v []byte, edits []edit) []byte {
	pos := 0
	for _, e := range edits {
		if e.end <= pos {
			continue
		}
		if e.start > pos {
			dst = append(dst, v[pos:e.start]...)
		}
		dst = append(dst, e.repl...)
		pos = e.end
	}
	return append(dst, v[min(pos, len(v)):]...)
}

package redact

import (
	"context"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
)

// The replacement guard. A format-preserving token can read as another
// identifier than the one it replaces: an FF1 token of a 19-digit card
// written 6236-6897-2450-8992-359 has a wrong check digit as a whole, but
// its first four groups are a 16-digit number that passes Luhn about one
// time in ten, and a rescan reports that. So every replacement is scanned
// again in its context (the bytes around it in text, its field in
// records); if the engine reports an identifier in it that is not the
// replacement itself as the same type (the intended outcome of substitute
// or of ff1 with recompute_check), the policy's fallback operator (redact
// or tag) is used instead. Another type counts at any level (a landline
// inside a card token is S2 alone, but S4 in a minor's record); the same
// type inside the replacement counts at S3 and S4 (the card above), not
// below (an IPv4 generalized to a CIDR is still a dotted quad, as
// documented).

// guardWindow is the context kept on each side of a replacement in text.
const guardWindow = 64

// ghostEm collects what the guard's rescan reports.
type ghostEm struct {
	own0, own1 int
	dataType   string
	ghost      bool
	valid      bool // the replacement is a valid identifier of its type
}

func (g *ghostEm) Match(m *classifiers.Match) error {
	if m.Start >= g.own1 || m.End <= g.own0 {
		return nil
	}
	sameType := m.DataType == g.dataType
	switch {
	case sameType && m.Start == g.own0 && m.End == g.own1:
		g.valid = true // a valid identifier by design (substitute, recompute_check)
	case sameType && m.Level != "S3" && m.Level != "S4":
		g.valid = true // a documented low-level leftover (an IPv4 CIDR)
	default:
		g.ghost = true
	}
	return nil
}
func (g *ghostEm) EndRecord(int64, bool) error { return nil }
func (g *ghostEm) Anchor(int) any              { return nil }

// ghostText reports a replacement that reads as another identifier between
// the bytes before and after it.
func (e *engineEditor) ghostText(before, repl, after []byte, dataType string) bool {
	if len(repl) < 5 {
		return false
	}
	e.guard = append(append(append(e.guard[:0], before...), repl...), after...)
	g := &ghostEm{own0: len(before), own1: len(before) + len(repl), dataType: dataType}
	p := e.coords.probe
	p.Reset()
	_ = p.ScanText(context.Background(), e.guard, g.own0, g.own1, nil, g)
	e.redetectable(g)
	return g.ghost
}

// ghostValue is ghostText for a value of a record, in its field.
func (e *engineEditor) ghostValue(repl []byte, sp classifiers.Span, dataType string) bool {
	if len(repl) < 5 {
		return false
	}
	e.guard = append(append(e.guard[:0], repl...), '\n')
	g := &ghostEm{own0: 0, own1: len(repl), dataType: dataType}
	p := e.coords.probe
	p.Reset()
	_ = p.ScanRecords(context.Background(), e.guard, []classifiers.Span{{Start: 0, End: len(repl), Field: sp.Field, Kind: sp.Kind}}, false, g)
	e.redetectable(g)
	return g.ghost
}

// fallback replaces a value with the policy's fallback operator.
func (e *engineEditor) fallback(m *classifiers.Match, kind deid.Kind) ([]byte, string) {
	fb := e.policy.Fallback()
	out, err := fb.Apply(deid.OpContext{DataType: m.DataType, Category: m.Category, Kind: kind}, nil)
	if err != nil {
		out, _ = deid.Redact{}.Apply(deid.OpContext{Kind: kind}, nil)
		return out, "redact"
	}
	e.res.Guarded++
	return out, fb.Name()
}

// redetectable counts replacements that a rescan reports as their type.
func (e *engineEditor) redetectable(g *ghostEm) {
	if g.valid && !g.ghost {
		if e.res.Redetectable == nil {
			e.res.Redetectable = map[string]int64{}
		}
		e.res.Redetectable[g.dataType]++
	}
}

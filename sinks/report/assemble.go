package report

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
)

// categoryOrder is DESIGN.md section 3's category list.
var categoryOrder = []string{
	"identity", "contact", "financial_account", "network", "whereabouts", "biometric",
	"medical_health", "religious_belief", "specific_identity", "organization",
}

// statusOrder is the lifecycle order of objects.status.
var statusOrder = []string{"complete", "partial", "skipped", "failed"}

// rank orders known names by their list and unknown ones after, by name.
func rank(order []string) func(a, b string) int {
	return func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(a, b))
	}
}

// report sorts the aggregates into a Report.
func (b *builder) report() *Report {
	o := b.opts
	r := &Report{
		Dataset:     b.root,
		Version:     o.Version,
		GeneratedAt: o.Now().UTC().Truncate(time.Second),
		Filter: Filter{
			Since: b.since, Until: b.until, ScanIDs: append([]string{}, o.ScanIDs...),
			Latest: o.Latest, PrefixDepth: o.PrefixDepth, Top: o.Top,
		},
		Totals:         b.totals,
		BySensitivity:  b.bySens,
		PrefixRoot:     b.pre.root,
		PrefixesTotal:  int64(len(b.byPre)),
		PrefixesCapped: b.capped,
		Problems:       b.problems,
	}

	r.ByCategory = make([]CategoryCount, 0, len(b.byCat))
	for _, k := range slices.SortedFunc(maps.Keys(b.byCat), rank(categoryOrder)) {
		r.ByCategory = append(r.ByCategory, *b.byCat[k])
	}
	r.ByDataType = make([]DataTypeCount, 0, len(b.byType))
	for _, v := range b.byType {
		r.ByDataType = append(r.ByDataType, *v)
	}
	slices.SortFunc(r.ByDataType, func(a, b DataTypeCount) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), strings.Compare(a.DataType, b.DataType))
	})
	r.ByDay = make([]DayCount, 0, len(b.byDay))
	for _, k := range sortedKeys(b.byDay) {
		d := b.byDay[k]
		d.Runs = int64(len(d.runs))
		r.ByDay = append(r.ByDay, d.DayCount)
	}
	if n := len(r.ByDay); n > 0 {
		r.FirstDate, r.LastDate = r.ByDay[0].Date, r.ByDay[n-1].Date
	}

	prefixes := make([]*PrefixCount, 0, len(b.byPre))
	for _, v := range b.byPre {
		prefixes = append(prefixes, v)
	}
	slices.SortFunc(prefixes, func(a, b *PrefixCount) int {
		return cmp.Or(cmp.Compare(b.Findings, a.Findings), cmp.Compare(b.Objects, a.Objects), strings.Compare(a.Prefix, b.Prefix))
	})
	r.ByPrefix = make([]PrefixCount, 0, min(len(prefixes), o.Top))
	for _, p := range prefixes[:min(len(prefixes), o.Top)] {
		r.ByPrefix = append(r.ByPrefix, *p)
	}

	r.TopObjects = make([]ObjectCount, 0, len(b.top.items))
	for _, it := range b.top.sorted() {
		r.TopObjects = append(r.TopObjects, *it)
	}

	r.ObjectsByStatus = make([]StatusCount, 0, len(b.statuss))
	for _, k := range slices.SortedFunc(maps.Keys(b.statuss), rank(statusOrder)) {
		st := b.statuss[k]
		sc := StatusCount{Status: k, Objects: st.objects, Reasons: make([]ReasonCount, 0, len(st.reasons))}
		for reason, n := range st.reasons {
			sc.Reasons = append(sc.Reasons, ReasonCount{Reason: reason, Objects: n})
		}
		slices.SortFunc(sc.Reasons, func(a, b ReasonCount) int {
			return cmp.Or(cmp.Compare(b.Objects, a.Objects), strings.Compare(a.Reason, b.Reason))
		})
		r.ObjectsByStatus = append(r.ObjectsByStatus, sc)
	}

	runs := make([]*runAgg, 0, len(b.runs))
	for _, v := range b.runs {
		// A run known only from the name of a file that could not be
		// read is not a run of this report (the file is a problem).
		if v.summary || v.objects > 0 || v.findings > 0 {
			runs = append(runs, v)
		}
	}
	slices.SortFunc(runs, newer)
	r.Runs = make([]Run, 0, len(runs))
	for _, v := range runs {
		// Dates outside the range belong to the run, not to this report.
		for d := range v.dates {
			if !b.inRange(d) {
				delete(v.dates, d)
			}
		}
		r.Runs = append(r.Runs, v.toRun())
	}
	if len(r.Runs) > 0 {
		r.Runs[0].Latest = true
	}
	r.Totals.Runs = int64(len(r.Runs))
	r.CarriedFrom = []string{}
	if b.carry != nil {
		r.CarriedFrom = append(r.CarriedFrom, b.carry.runs...)
	}
	if r.Problems == nil {
		r.Problems = []Problem{}
	}
	slices.SortFunc(r.Problems, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return r
}

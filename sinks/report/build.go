package report

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Build reads the dataset under root (a local directory) and aggregates
// it. Rows stream through in batches and only aggregates are kept, so
// memory grows with the number of distinct categories, data types, days,
// prefixes (capped) and runs, not with the number of rows; the report of
// one run also keeps about 40 bytes per object its run listed as
// unchanged (carry.go).
//
// It reads the objects table twice (the object column only, then the
// columns it counts) and the findings table once. Files that cannot be
// read become Report.Problems and the rest is reported; a file that
// breaks off midway may be partly counted. Build returns an error
// wrapping ErrNotDataset when root is not a dataset, an error for
// invalid options, and ctx's error when cancelled.
func Build(ctx context.Context, root string, opts Options) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := checkDataset(root); err != nil {
		return nil, err
	}
	fparts, fprob, err := listParts(root, findingsTable)
	if err != nil {
		return nil, err
	}
	oparts, oprob, err := listParts(root, objectsTable)
	if err != nil {
		return nil, err
	}
	runs, sprob, err := readSummaries(root)
	if err != nil {
		return nil, err
	}
	b := newBuilder(root, opts, runs)
	b.problems = slices.Concat(fprob, oprob, sprob)
	for _, p := range slices.Concat(fparts, oparts) {
		r := b.run(p.scanID)
		r.dates[p.dt] = struct{}{}
		r.shards[p.shard] = struct{}{}
	}
	order := b.runOrder()
	b.selectRuns()
	allF, allO := slices.Clone(fparts), slices.Clone(oparts)
	fparts, oparts = b.keepParts(fparts), b.keepParts(oparts)
	b.carry = b.resolveUnchanged(ctx, oparts, allO, order)

	// Pass 1: the common directory of local objects, for prefixes (the
	// carried objects are objects of the selected run: already seen).
	for _, p := range oparts {
		readPartInto(ctx, b, p, func(rows []objectNameRow) {
			for i := range rows {
				b.pre.observe(rows[i].Object)
			}
		})
	}
	fparts = append(fparts, b.carry.carriedParts(allF)...)
	oparts = append(oparts, b.carry.carriedParts(allO)...)
	// Pass 2: objects; this also settles the top objects.
	for _, p := range oparts {
		if readPartInto(ctx, b, p, func(rows []objectRow) { b.addObjects(p, rows) }) {
			b.totals.ObjectsFiles++
		}
	}
	b.topKeys = make(map[string]*ObjectCount, len(b.top.items))
	for _, it := range b.top.items {
		b.topKeys[it.ScanID+"\x00"+it.Object] = it
	}
	// Pass 3: findings.
	for _, p := range fparts {
		if readPartInto(ctx, b, p, func(rows []findingRow) { b.addFindings(p, rows) }) {
			b.totals.FindingsFiles++
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.report(), nil
}

// checkDataset tells a dataset from a typo: root must be a directory
// holding at least one of the dataset's directories.
func checkDataset(root string) error {
	st, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrNotDataset, errText(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrNotDataset, root)
	}
	for _, d := range []string{findingsTable, objectsTable, scansDir} {
		if st, err := os.Stat(filepath.Join(root, d)); err == nil && st.IsDir() {
			return nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s", ErrNotDataset, errText(err))
		}
	}
	return fmt.Errorf("%w: %s has no findings/, objects/ or scans/ directory", ErrNotDataset, root)
}

// builder holds the aggregates while the files stream by.
type builder struct {
	root string
	opts Options
	pre  prefixer

	runs    map[string]*runAgg
	keep    map[string]bool // runs kept by --scan-id/--latest; nil keeps all
	since   string          // YYYY-MM-DD or ""
	until   string
	totals  Totals
	bySens  Levels
	byCat   map[string]*CategoryCount
	byType  map[string]*DataTypeCount
	byDay   map[string]*dayAgg
	byPre   map[string]*PrefixCount
	capped  bool
	statuss map[string]*statusAgg
	top     *topObjects
	topKeys map[string]*ObjectCount // by scan id and object

	lastObject string // cache: consecutive rows share their object
	lastPrefix *PrefixCount

	problems []Problem
	failed   map[string]bool // parts that could not be read
	carry    *carry          // rows unchanged objects stand for (carry.go)
}

type dayAgg struct {
	DayCount
	runs map[string]struct{}
}

type statusAgg struct {
	objects int64
	reasons map[string]int64
}

func newBuilder(root string, opts Options, runs map[string]*runAgg) *builder {
	b := &builder{
		root:    root,
		opts:    opts,
		pre:     prefixer{depth: opts.PrefixDepth},
		runs:    runs,
		bySens:  Levels{},
		byCat:   map[string]*CategoryCount{},
		byType:  map[string]*DataTypeCount{},
		byDay:   map[string]*dayAgg{},
		byPre:   map[string]*PrefixCount{},
		statuss: map[string]*statusAgg{},
		top:     newTopObjects(opts.Top),
		failed:  map[string]bool{},
	}
	if !opts.Since.IsZero() {
		b.since = opts.Since.Format(time.DateOnly)
	}
	if !opts.Until.IsZero() {
		b.until = opts.Until.Format(time.DateOnly)
	}
	return b
}

// run returns the aggregate of a run, creating it for a run known only
// from its Parquet files.
func (b *builder) run(id string) *runAgg {
	r := b.runs[id]
	if r == nil {
		r = newRunAgg(id)
		b.runs[id] = r
	}
	return r
}

func (b *builder) inRange(dt string) bool {
	return (b.since == "" || dt >= b.since) && (b.until == "" || dt <= b.until)
}

// selectRuns applies --scan-id, the date range and --latest to the runs:
// a run is kept when it has a partition (or, without files, a start
// date) in the range. Runs left out are dropped from b.runs.
func (b *builder) selectRuns() {
	ids := map[string]bool{}
	for _, id := range b.opts.ScanIDs {
		ids[id] = true
	}
	var kept []*runAgg
	for id, r := range b.runs {
		ok := len(ids) == 0 || ids[id]
		if ok {
			ok = slices.ContainsFunc(sortedKeys(r.dates), b.inRange)
		}
		if ok {
			kept = append(kept, r)
		} else {
			delete(b.runs, id)
		}
	}
	if b.opts.Latest && len(kept) > 0 {
		slices.SortFunc(kept, newer)
		for _, r := range kept[1:] {
			delete(b.runs, r.id)
		}
		kept = kept[:1]
	}
	if len(ids) > 0 || b.opts.Latest {
		b.keep = map[string]bool{}
		for _, r := range kept {
			b.keep[r.id] = true
		}
	}
}

// keepParts returns the parts in the date range of kept runs.
func (b *builder) keepParts(parts []part) []part {
	return slices.DeleteFunc(parts, func(p part) bool {
		return !b.inRange(p.dt) || (b.keep != nil && !b.keep[p.scanID])
	})
}

// keepRow applies the run filter to a row: a file holds one run's rows,
// but the row's own scan id is what counts.
func (b *builder) keepRow(scanID string) bool {
	return b.keep == nil || b.keep[scanID]
}

// keepObject applies the run filter to an objects row, and tells a
// carried row of an earlier run (carry.go).
func (b *builder) keepObject(r *objectRow) (keep, carried bool) {
	if b.carry.carries(r.ScanID, r.Object) {
		return true, true
	}
	return b.keepRow(r.ScanID) && !b.carry.replaced(r.ScanID, r.Object, r.Reason), false
}

// runOrder returns the ids of the runs, newest first.
func (b *builder) runOrder() []string {
	runs := make([]*runAgg, 0, len(b.runs))
	for _, r := range b.runs {
		runs = append(runs, r)
	}
	slices.SortFunc(runs, newer)
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = r.id
	}
	return ids
}

// readPartInto reads one part, recording a failure as a problem. It reports
// whether the whole file was read.
func readPartInto[T any](ctx context.Context, b *builder, p part, fn func([]T)) bool {
	if b.failed[p.rel] {
		return false // the objects table is read twice; report it once
	}
	err := readPart(ctx, p.path, fn)
	if err == nil {
		return true
	}
	if ctx.Err() == nil {
		b.failed[p.rel] = true
		b.problems = append(b.problems, Problem{Path: p.rel, Error: errText(err)})
		b.opts.Logger.Warn("report: skip unreadable file", "path", p.rel, "err", err)
	}
	return false
}

// day returns the aggregate of a partition.
func (b *builder) day(dt string) *dayAgg {
	d := b.byDay[dt]
	if d == nil {
		d = &dayAgg{DayCount: DayCount{Date: dt, Levels: Levels{}}, runs: map[string]struct{}{}}
		b.byDay[dt] = d
	}
	return d
}

// prefixOf returns the prefix aggregate of an object, folding prefixes
// beyond maxPrefixes into OtherPrefixes.
func (b *builder) prefixOf(object string) *PrefixCount {
	if object == b.lastObject && b.lastPrefix != nil {
		return b.lastPrefix
	}
	key := b.pre.prefix(object)
	pc := b.byPre[key]
	if pc == nil {
		if len(b.byPre) >= maxPrefixes {
			b.capped = true
			key = OtherPrefixes
			pc = b.byPre[key]
		}
		if pc == nil {
			pc = &PrefixCount{Prefix: key, Levels: Levels{}}
			b.byPre[key] = pc
		}
	}
	b.lastObject, b.lastPrefix = object, pc
	return pc
}

func (b *builder) addObjects(p part, rows []objectRow) {
	for i := range rows {
		row := &rows[i]
		keep, carried := b.keepObject(row)
		if !keep {
			continue
		}
		d := b.day(p.dt)
		t := &b.totals
		t.Objects++
		t.BytesScanned += row.BytesScanned
		if row.Size > 0 {
			t.ObjectBytes += row.Size
		}
		pc := b.prefixOf(row.Object)
		pc.Objects++
		if row.Findings > 0 {
			t.ObjectsWithFindings++
			pc.ObjectsWithFindings++
		}
		st := b.statuss[row.Status]
		if st == nil {
			st = &statusAgg{reasons: map[string]int64{}}
			b.statuss[row.Status] = st
		}
		st.objects++
		if row.Reason != "" {
			st.reasons[row.Reason]++
		}
		d.Objects++
		d.runs[row.ScanID] = struct{}{}
		if carried {
			// It stands for the selected run's unchanged row.
			b.totals.CarriedObjects++
			for id := range b.keep {
				b.run(id).objects++
			}
		} else {
			b.run(row.ScanID).objects++
		}
		b.top.offer(row, p.dt)
	}
}

func (b *builder) addFindings(p part, rows []findingRow) {
	for i := range rows {
		f := &rows[i]
		carried := b.carry.carries(f.ScanID, f.Object)
		if !carried && !b.keepRow(f.ScanID) {
			continue
		}
		d := b.day(p.dt)
		lvl := f.Sensitivity
		b.totals.Findings++
		b.bySens[lvl]++
		c := b.byCat[f.Category]
		if c == nil {
			c = &CategoryCount{Category: f.Category, Levels: Levels{}}
			b.byCat[f.Category] = c
		}
		c.Total++
		c.Levels[lvl]++
		dtc := b.byType[f.DataType]
		if dtc == nil {
			dtc = &DataTypeCount{DataType: f.DataType, Category: f.Category, Levels: Levels{}}
			b.byType[f.DataType] = dtc
		}
		dtc.Total++
		dtc.Levels[lvl]++
		d.Findings++
		d.Levels[lvl]++
		d.runs[f.ScanID] = struct{}{}
		if f.Minor {
			b.totals.Minors++
			c.Minors++
			d.Minors++
		}
		pc := b.prefixOf(f.Object)
		pc.Findings++
		pc.Levels[lvl]++
		if !carried {
			b.run(f.ScanID).findings++
		}
		if len(b.topKeys) > 0 {
			if oc := b.topKeys[f.ScanID+"\x00"+f.Object]; oc != nil {
				oc.Levels[lvl]++
			}
		}
	}
}

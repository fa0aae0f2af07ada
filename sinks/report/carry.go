package report

import (
	"context"
	"hash/maphash"
	"slices"
)

// An incremental run (scan --incremental) lists an object it did not read
// again as a skipped/unchanged row, without findings: its findings are in
// the rows of the run that last read it. The report of one run (--latest,
// or a single --scan-id) is the view a dashboard wants of the data as it
// is now, so such an object is counted with its last real scan: the row
// of the newest earlier run with the same object version whose reason is
// not unchanged (README: "for the current state of each object, take its
// latest row whose reason is not unchanged"), and that run's findings of
// the object. Without it the report of a daily incremental job whose data
// did not change says "0 findings". Earlier runs are searched whatever
// the date range, since the last real scan may be older than --since.
// Memory: about 40 bytes per unchanged row (objects and versions are kept
// as 64-bit hashes; two objects whose names collide, about one chance in
// 10^7 among a million objects, would share a run).

// carryRow is the projection of the objects table that finds the rows
// unchanged objects stand for.
type carryRow struct {
	ScanID        string `parquet:"scan_id"`
	Object        string `parquet:"object"`
	ObjectVersion string `parquet:"object_version"`
	Reason        string `parquet:"reason"`
}

// reasonUnchanged is scanner.ReasonUnchanged (the report reads the
// dataset and does not import the scanner).
const reasonUnchanged = "unchanged"

// carry maps each unchanged object of the selected run to the run whose
// row stands for it.
type carry struct {
	seed maphash.Seed
	from map[uint64]string // hash of the object -> scan id of its last real scan
	runs []string          // those scan ids, newest first
}

func (c *carry) hash(s string) uint64 { return maphash.String(c.seed, s) }

// carries reports whether row is a carried row of an earlier run.
func (c *carry) carries(scanID, object string) bool {
	return c != nil && c.from[c.hash(object)] == scanID
}

// replaced reports whether row is an unchanged row of the selected run
// that a carried row stands for.
func (c *carry) replaced(scanID, object, reason string) bool {
	if c == nil || reason != reasonUnchanged {
		return false
	}
	from := c.from[c.hash(object)]
	return from != "" && from != scanID
}

// resolveUnchanged finds the rows the selected run's unchanged rows stand
// for. kept are the objects parts of the selected run; all are every
// objects part of the dataset. It returns nil when there is nothing to
// carry.
func (b *builder) resolveUnchanged(ctx context.Context, kept, all []part, order []string) *carry {
	if len(b.keep) != 1 {
		return nil
	}
	var sel string
	for id := range b.keep {
		sel = id
	}
	c := &carry{seed: maphash.MakeSeed()}
	want := map[uint64]uint64{} // object -> version
	for _, p := range kept {
		readPartInto(ctx, b, p, func(rows []carryRow) {
			for _, r := range rows {
				if r.ScanID == sel && r.Reason == reasonUnchanged {
					want[c.hash(r.Object)] = c.hash(r.ObjectVersion)
				}
			}
		})
	}
	if len(want) == 0 {
		return nil
	}
	rank := map[string]int{}
	for i, id := range order {
		rank[id] = i
	}
	self, ok := rank[sel]
	if !ok {
		return nil
	}
	from := map[uint64]string{}
	for _, p := range all {
		if r, ok := rank[p.scanID]; !ok || r <= self {
			continue // the selected run, or a newer one
		}
		readPartInto(ctx, b, p, func(rows []carryRow) {
			for _, r := range rows {
				if r.Reason == reasonUnchanged {
					continue
				}
				h := c.hash(r.Object)
				v, ok := want[h]
				if !ok || c.hash(r.ObjectVersion) != v {
					continue
				}
				rr, ok := rank[r.ScanID]
				if !ok || rr <= self {
					continue
				}
				if cur := from[h]; cur == "" || rr < rank[cur] {
					from[h] = r.ScanID
				}
			}
		})
	}
	if len(from) == 0 {
		return nil
	}
	c.from = from
	for _, id := range from {
		if !slices.Contains(c.runs, id) {
			c.runs = append(c.runs, id)
		}
	}
	slices.SortFunc(c.runs, func(a, b string) int { return rank[a] - rank[b] })
	return c
}

// carriedParts returns the parts of the runs c carries rows from.
func (c *carry) carriedParts(all []part) []part {
	if c == nil {
		return nil
	}
	var out []part
	for _, p := range all {
		if slices.Contains(c.runs, p.scanID) {
			out = append(out, p)
		}
	}
	return out
}

package report

import (
	"cmp"
	"slices"
	"strings"
)

// prefixer maps an object URI to its prefix: the bucket (oss://) or the
// common directory of the local objects (file://), followed by at most
// depth directory names. The common directory is used because absolute
// local paths share long uninteresting heads (/home/ci/builds/...): the
// top-level folders of what was scanned are what people ask about.
type prefixer struct {
	depth int
	root  string // common directory of file:// objects, ending in "/"
}

const (
	fileScheme = "file://"
	ossScheme  = "oss://"
)

// observe widens the common directory to cover a local object. Objects
// other than file:// ones are ignored.
func (p *prefixer) observe(object string) {
	if !strings.HasPrefix(object, fileScheme) {
		return
	}
	dir := object[:strings.LastIndexByte(object, '/')+1]
	if p.root == "" {
		p.root = dir
		return
	}
	if strings.HasPrefix(dir, p.root) {
		return
	}
	n := 0
	for n < len(dir) && n < len(p.root) && dir[n] == p.root[n] {
		n++
	}
	// Cut at a directory boundary; both start with "file:///", so a
	// slash is always found.
	p.root = p.root[:strings.LastIndexByte(p.root[:n], '/')+1]
}

// prefix returns object's prefix.
func (p *prefixer) prefix(object string) string {
	var base, rest string
	switch {
	case p.root != "" && strings.HasPrefix(object, p.root):
		base, rest = p.root, object[len(p.root):]
	case strings.HasPrefix(object, ossScheme):
		key := object[len(ossScheme):]
		i := strings.IndexByte(key, '/')
		if i < 0 {
			return object
		}
		base, rest = object[:len(ossScheme)+i+1], key[i+1:]
	default:
		// stdin://, or a local object the objects table did not list.
		i := strings.Index(object, "://")
		if i < 0 {
			return object
		}
		base, rest = object[:i+3], object[i+3:]
	}
	end := 0
	for range p.depth {
		j := strings.IndexByte(rest[end:], '/')
		if j < 0 {
			break
		}
		end += j + 1
	}
	return base + rest[:end]
}

// topObjects keeps the n objects with the most findings in one run, in
// memory bounded by n: an object seen again keeps its larger count. This
// is exact: an evicted object had at most the current minimum, and the
// minimum only grows, so a later row of it can only come back in with a
// count above its evicted one.
type topObjects struct {
	n     int
	items []*ObjectCount
	index map[string]*ObjectCount // by object
	min   int                     // index of the worst item
}

func newTopObjects(n int) *topObjects {
	return &topObjects{n: n, index: make(map[string]*ObjectCount, n)}
}

// worse orders objects by fewer findings, then by larger name, so that
// ties keep the same objects whatever the reading order.
func worse(a, b *ObjectCount) bool {
	if a.Findings != b.Findings {
		return a.Findings < b.Findings
	}
	return a.Object > b.Object
}

// offer considers one objects row.
func (t *topObjects) offer(row *objectRow, dt string) {
	if row.Findings <= 0 {
		return
	}
	if old := t.index[row.Object]; old != nil {
		if row.Findings > old.Findings {
			*old = ObjectCount{Object: row.Object, ScanID: row.ScanID, Date: dt, Status: row.Status, Findings: row.Findings, Levels: Levels{}}
			t.findMin()
		}
		return
	}
	cand := &ObjectCount{Object: row.Object, ScanID: row.ScanID, Date: dt, Status: row.Status, Findings: row.Findings, Levels: Levels{}}
	if len(t.items) < t.n {
		t.items = append(t.items, cand)
		t.index[cand.Object] = cand
		t.findMin()
		return
	}
	if !worse(t.items[t.min], cand) {
		return
	}
	delete(t.index, t.items[t.min].Object)
	t.items[t.min] = cand
	t.index[cand.Object] = cand
	t.findMin()
}

// findMin points t.min at the worst item. n is the size of a table, so
// a linear scan is cheaper than a heap's bookkeeping; it runs only when
// the set changes.
func (t *topObjects) findMin() {
	t.min = 0
	for i, it := range t.items {
		if worse(it, t.items[t.min]) {
			t.min = i
		}
	}
}

// sorted returns the objects, most findings first.
func (t *topObjects) sorted() []*ObjectCount {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(a, b *ObjectCount) int {
		return cmp.Or(cmp.Compare(b.Findings, a.Findings), cmp.Compare(a.Object, b.Object))
	})
	return out
}

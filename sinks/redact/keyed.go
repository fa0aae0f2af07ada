package redact

import (
	"bytes"
	"strconv"
)

// Replaced JSON keys are kept distinct within their object. Two keys can
// be masked alike (13812345678 and 13899995678 both become 138****5678),
// and a JSON reader keeps one of two equal keys, losing the other's value.
// A replaced key equal to one written before in its object gets "#2",
// "#3", ... before its closing quote.

// keySet is the replaced keys written in one object, and for each key
// written more than once the next suffix to try, so that a million keys
// masked alike cost a million steps, not half a million squared.
type keySet struct {
	seen map[string]bool
	next map[string]int
}

// uniqueKey returns key (a JSON string token, quotes included) made
// distinct from the replaced keys written before it in object obj.
func (p *jsonRW) uniqueKey(obj int, key []byte) []byte {
	if p.keyed == nil {
		p.keyed = map[int]*keySet{}
	}
	ks := p.keyed[obj]
	if ks == nil {
		ks = &keySet{seen: map[string]bool{}, next: map[string]int{}}
		p.keyed[obj] = ks
	}
	if !ks.seen[string(key)] {
		ks.seen[string(key)] = true
		return key
	}
	body := bytes.TrimSuffix(key, []byte{'"'})
	n := max(ks.next[string(key)], 2)
	for ; ; n++ {
		k := append(append(append([]byte(nil), body...), '#'), strconv.Itoa(n)...)
		k = append(k, '"')
		if !ks.seen[string(k)] {
			ks.seen[string(k)] = true
			ks.next[string(key)] = n + 1
			return k
		}
	}
}

// forgetClosedObjects drops the keys of the objects no longer open: all
// their keys have been written.
func (p *jsonRW) forgetClosedObjects() {
	if len(p.keyed) == 0 {
		return
	}
	for obj := range p.keyed {
		open := false
		for _, f := range p.stack {
			if f.obj == obj {
				open = true
				break
			}
		}
		if !open {
			delete(p.keyed, obj)
		}
	}
}

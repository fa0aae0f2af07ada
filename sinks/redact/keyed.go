package redact

import (
	"strconv"
)

// Replaced JSON keys are kept distinct within their object, and replaced
// Avro map keys within their map. Two keys can
// be masked alike (13812345678 and 13899995678 both become 138****5678),
// and a JSON reader keeps one of two equal keys, losing the other's value
// (an Avro reader too, decoding a map). A replaced key equal to one written
// before in its object gets "#2", "#3", ... (in JSON before its closing
// quote).

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
		ks = newKeySet()
		p.keyed[obj] = ks
	}
	return ks.unique(key, 1)
}

func newKeySet() *keySet { return &keySet{seen: map[string]bool{}, next: map[string]int{}} }

// unique returns key made distinct from the keys given before: key itself
// the first time, else key with "#2", "#3", ... inserted before its last
// tail bytes (a JSON token's closing quote; none for an Avro map key).
func (ks *keySet) unique(key []byte, tail int) []byte {
	if !ks.seen[string(key)] {
		ks.seen[string(key)] = true
		return key
	}
	body, end := key[:len(key)-tail], key[len(key)-tail:]
	n := max(ks.next[string(key)], 2)
	for ; ; n++ {
		k := append(append(append([]byte(nil), body...), '#'), strconv.Itoa(n)...)
		k = append(k, end...)
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

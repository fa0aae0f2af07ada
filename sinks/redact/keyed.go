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

// uniqueKey returns key (a JSON string token, quotes included) made
// distinct from the replaced keys written before it in object obj.
func (p *jsonRW) uniqueKey(obj int, key []byte) []byte {
	if p.keyed == nil {
		p.keyed = map[int]map[string]bool{}
	}
	seen := p.keyed[obj]
	if seen == nil {
		seen = map[string]bool{}
		p.keyed[obj] = seen
	}
	if !seen[string(key)] {
		seen[string(key)] = true
		return key
	}
	body := bytes.TrimSuffix(key, []byte{'"'})
	for n := 2; ; n++ {
		k := append(append(append([]byte(nil), body...), '#'), strconv.Itoa(n)...)
		k = append(k, '"')
		if !seen[string(k)] {
			seen[string(k)] = true
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

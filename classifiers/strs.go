package classifiers

import (
	"bytes"
	"strings"
	"unsafe"
)

// The strings of a match (masked value, fingerprint, evidence) outlive the
// scan: they go into findings. Made one by one they cost five allocations
// per match, a few percent of the engine on mixed text. They are cut from a
// slab instead, and evidence, a handful of distinct strings, is interned.

// slabSize is the size of a string slab: a few hundred matches' strings.
// A slab stays alive while any string cut from it does; findings are
// written in the order they were made, so slabs die in order too.
const slabSize = 8 << 10

// maxInterned bounds the evidence strings a scanner keeps (field names are
// part of evidence, and a scan may meet any number of fields).
const maxInterned = 1024

// keep returns b as a string cut from the scanner's slab. Bytes handed out
// are never written again: a full slab is left to the strings that use it
// and a new one is started.
func (s *Scanner) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(s.slab)-len(s.slab) < len(b) {
		s.slab = make([]byte, 0, max(slabSize, len(b)))
	}
	off := len(s.slab)
	s.slab = append(s.slab, b...)
	return unsafe.String(&s.slab[off], len(b))
}

// intern returns b as a string, the same string each time for the same
// bytes while the table has room.
func (s *Scanner) intern(b []byte) string {
	if v, ok := s.interned[string(b)]; ok {
		return v
	}
	v := s.keep(b)
	if len(s.interned) < maxInterned {
		if s.interned == nil {
			s.interned = map[string]string{}
		}
		s.interned[v] = v
	}
	return v
}

// appendEvidence appends the comma-separated signals of add to ev, leaving
// out those ev already names. An empty ev takes add as it is.
func appendEvidence(ev []byte, add string) []byte {
	if len(ev) == 0 {
		return append(ev, add...)
	}
	for add != "" {
		var item string
		item, add, _ = strings.Cut(add, ",")
		if item == "" || hasEvidence(ev, item) {
			continue
		}
		ev = append(ev, ',')
		ev = append(ev, item...)
	}
	return ev
}

// hasEvidence reports whether the comma-separated list ev names item.
func hasEvidence(ev []byte, item string) bool {
	for len(ev) > 0 {
		x := ev
		if i := bytes.IndexByte(ev, ','); i >= 0 {
			x, ev = ev[:i], ev[i+1:]
		} else {
			ev = nil
		}
		if string(x) == item {
			return true
		}
	}
	return false
}

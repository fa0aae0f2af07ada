package deid

import (
	"bytes"
	"strconv"
	"strings"
)

// shape is a written value split into its content (ASCII letters and
// digits) and the rest (spaces, dashes, parentheses, a +86 prefix), which
// format-preserving operators keep where it is: "+86 138-1234-5678" has
// the content 13812345678, and a token is written back as "+86 xxx-xxxx-xxxx".
type shape struct {
	v   []byte // the written value
	pos []int  // offsets of the content bytes, in order
}

// newShape splits v. For cn_mobile a country code (+86, 0086, 86 before
// eleven digits) is part of the frame, not of the content.
func newShape(dataType string, v []byte) shape {
	s := shape{v: v}
	for i, c := range v {
		if isAlnum(c) {
			s.pos = append(s.pos, i)
		}
	}
	if dataType == "cn_mobile" {
		c := s.content()
		switch {
		case len(c) == 13 && string(c[:2]) == "86":
			s.pos = s.pos[2:]
		case len(c) == 15 && string(c[:4]) == "0086":
			s.pos = s.pos[4:]
		}
	}
	return s
}

// content returns the content bytes as written.
func (s shape) content() []byte {
	out := make([]byte, len(s.pos))
	for i, p := range s.pos {
		out[i] = s.v[p]
	}
	return out
}

// with returns a copy of the written value whose content is replaced, in
// order, by c (len(c) == len(s.pos)).
func (s shape) with(c []byte) []byte {
	out := bytes.Clone(s.v)
	for i, p := range s.pos {
		out[p] = c[i]
	}
	return out
}

// upper returns an upper-cased copy of ASCII b.
func upper(b []byte) []byte {
	out := bytes.Clone(b)
	for i, c := range out {
		if isLower(c) {
			out[i] = c - 'a' + 'A'
		}
	}
	return out
}

// lower returns a lower-cased copy of ASCII b.
func lower(b []byte) []byte {
	out := bytes.Clone(b)
	for i, c := range out {
		if isUpper(c) {
			out[i] = c - 'A' + 'a'
		}
	}
	return out
}

// alnumTypes are the types whose canonical value is their ASCII content,
// upper-cased: separators, parentheses and a mobile country code dropped.
var alnumTypes = map[string]bool{
	"cn_resident_id": true, "hk_id": true, "tw_id": true, "cn_passport": true,
	"cn_mobile": true, "bank_card": true, "iban": true, "imei": true,
	"cn_uscc": true, "hk_macau_permit": true, "tw_permit": true,
}

// Canonical returns the canonical form of a value as DESIGN.md section 4
// defines it (upper case without separators for identifiers, digits
// without the country code for mobiles, lower case for e-mail, "lat,lng"
// to six decimals for coordinates). Hash pseudonyms are computed over it,
// so "138 1234 5678" and "+86 13812345678" get the same pseudonym, and
// with the same key and hmac-sha256 the pseudonym equals the findings'
// fingerprint column.
func Canonical(dataType string, value []byte) []byte {
	v := bytes.TrimSpace(value)
	switch {
	case alnumTypes[dataType]:
		return upper(newShape(dataType, v).content())
	case dataType == "email":
		return lower(v)
	case dataType == "gps_coordinate":
		if p, ok := parsePair(v); ok {
			return []byte(strconv.FormatFloat(p.lat, 'f', 6, 64) + "," + strconv.FormatFloat(p.lng, 'f', 6, 64))
		}
	}
	return bytes.Clone(v)
}

// pair is a parsed coordinate pair with its written form.
type pair struct {
	lat, lng float64
	latS     string // the numbers as written
	lngS     string
	lead     string // text before, between and after the numbers
	mid      string
	tail     string
}

// parsePair reads "lat,lng", "lat, lng", "lat lng", optionally in
// parentheses or brackets.
func parsePair(v []byte) (pair, bool) {
	s := string(v)
	var p pair
	i := 0
	for i < len(s) && strings.IndexByte("([{ ", s[i]) >= 0 {
		i++
	}
	p.lead = s[:i]
	j := numberEnd(s, i)
	if j == i {
		return p, false
	}
	p.latS = s[i:j]
	k := j
	for k < len(s) && (s[k] == ',' || s[k] == ' ' || s[k] == ';') {
		k++
	}
	if k == j {
		return p, false
	}
	p.mid = s[j:k]
	e := numberEnd(s, k)
	if e == k {
		return p, false
	}
	p.lngS = s[k:e]
	p.tail = s[e:]
	if strings.Trim(p.tail, ")]} ") != "" {
		return p, false
	}
	var err1, err2 error
	p.lat, err1 = strconv.ParseFloat(p.latS, 64)
	p.lng, err2 = strconv.ParseFloat(p.lngS, 64)
	if err1 != nil || err2 != nil || p.lat < -90 || p.lat > 90 || p.lng < -180 || p.lng > 180 {
		return p, false
	}
	return p, true
}

// numberEnd returns the end of a decimal number starting at i.
func numberEnd(s string, i int) int {
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	d := j
	for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
		j++
	}
	if j == d {
		return i
	}
	return j
}

// decimals returns the number of digits after the decimal point.
func decimals(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

package deid

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// GeneralizeConfig configures Generalize. As chooses what the value is;
// empty means by data type: gps_coordinate is "gps", ipv4 "ipv4",
// cn_address "address", ids containing "date", "birth" or "dob" "date", ids
// containing "age" "age".
type GeneralizeConfig struct {
	// As is date, age, gps, geohash, address or ipv4.
	As string `yaml:"as"`
	// Level is "year" or "month" for dates (default year), "city" or
	// "district" for addresses (default city).
	Level string `yaml:"level"`
	// Band is the width of age bands (default 5: 35-39).
	Band int `yaml:"band"`
	// Decimals keeps this many decimals of coordinates (default 2, about
	// 1 km). Precision keeps this many geohash characters (default 5,
	// about 5 km).
	Decimals  *int `yaml:"decimals"`
	Precision int  `yaml:"precision"`
	// Prefix is the IPv4 prefix length kept: 8, 16 (default) or 24.
	// Style "wildcard" (default) writes 10.20.*.*, "cidr" 10.20.0.0/16;
	// a CIDR is still a dotted quad that a rescan reports as ipv4 (S2).
	Prefix int    `yaml:"prefix"`
	Style  string `yaml:"style"`
}

// Validate checks the configuration.
func (c GeneralizeConfig) Validate() error {
	switch c.As {
	case "", "date", "age", "gps", "geohash", "address", "ipv4":
	default:
		return fmt.Errorf("as %q, want date, age, gps, geohash, address or ipv4", c.As)
	}
	switch c.Level {
	case "", "year", "month", "city", "district":
	default:
		return fmt.Errorf("level %q, want year, month, city or district", c.Level)
	}
	switch {
	case c.Band < 0 || c.Band > 100:
		return fmt.Errorf("band %d out of range 1..100", c.Band)
	case c.Decimals != nil && (*c.Decimals < 0 || *c.Decimals > 6):
		return fmt.Errorf("decimals %d out of range 0..6", *c.Decimals)
	case c.Precision < 0 || c.Precision > 12:
		return fmt.Errorf("precision %d out of range 1..12", c.Precision)
	case c.Prefix != 0 && c.Prefix != 8 && c.Prefix != 16 && c.Prefix != 24:
		return fmt.Errorf("prefix %d, want 8, 16 or 24", c.Prefix)
	case c.Style != "" && c.Style != "wildcard" && c.Style != "cidr":
		return fmt.Errorf("style %q, want wildcard or cidr", c.Style)
	}
	return nil
}

// Generalize coarsens a value: dates to the year or month, ages to bands,
// coordinates to fewer decimals or a geohash, addresses to the city or
// district, IPv4 addresses to a prefix. The written style is kept
// ("1990-05-17" becomes "1990-05", "1990年5月17日" "1990年5月").
type Generalize struct {
	cfg GeneralizeConfig
}

var _ Operator = (*Generalize)(nil)

// NewGeneralize returns a Generalize operator.
func NewGeneralize(cfg GeneralizeConfig) (*Generalize, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("generalize: %w", err)
	}
	return &Generalize{cfg: cfg}, nil
}

// Name returns "generalize".
func (g *Generalize) Name() string { return "generalize" }

// as returns what to read the value as.
func (g *Generalize) as(dataType string) string {
	if g.cfg.As != "" {
		return g.cfg.As
	}
	switch dataType {
	case "gps_coordinate":
		return "gps"
	case "ipv4":
		return "ipv4"
	case "cn_address":
		return "address"
	}
	switch {
	case strings.Contains(dataType, "date") || strings.Contains(dataType, "birth") || strings.Contains(dataType, "dob"):
		return "date"
	case strings.Contains(dataType, "age"):
		return "age"
	}
	return ""
}

// Apply generalizes the value.
func (g *Generalize) Apply(ctx OpContext, value []byte) ([]byte, error) {
	v := bytes.TrimSpace(value)
	var out []byte
	ok := false
	switch g.as(ctx.DataType) {
	case "date":
		out, ok = g.date(v, ctx.Kind == KindJSONNumber)
	case "age":
		out, ok = g.age(v, ctx.Kind == KindJSONNumber)
	case "gps":
		out, ok = g.gps(v)
	case "geohash":
		out, ok = g.geohash(v)
	case "address":
		out, ok = g.address(v)
	case "ipv4":
		out, ok = g.ipv4(v)
	default:
		return nil, unsupported(g.Name(), ctx.DataType, "no generalization for this type; set `as`")
	}
	if !ok {
		return nil, unsupported(g.Name(), ctx.DataType, "value not in a form it reads")
	}
	return fitKind(g.Name(), ctx, out)
}

// date keeps the year or year and month of YYYY-MM-DD, YYYY/M/D,
// YYYY.MM.DD, YYYYMMDD and YYYY年M月D日 (a time after it is dropped).
func (g *Generalize) date(v []byte, number bool) ([]byte, bool) {
	month := g.cfg.Level == "month"
	if len(v) >= 8 && allDigits(v[:8]) && (len(v) == 8 || !isDigit(v[8])) {
		if _, ok := makeDate(atoi(v[:4]), atoi(v[4:6]), atoi(v[6:8])); !ok {
			return nil, false
		}
		if month {
			return bytes.Clone(v[:6]), true
		}
		return bytes.Clone(v[:4]), true
	}
	if number || len(v) < 8 || !allDigits(v[:4]) {
		return nil, false
	}
	y := atoi(v[:4])
	rest := v[4:]
	sep, n := utf8.DecodeRune(rest)
	if sep != '-' && sep != '/' && sep != '.' && sep != '年' {
		return nil, false
	}
	rest = rest[n:]
	i := 0
	for i < len(rest) && i < 2 && isDigit(rest[i]) {
		i++
	}
	if i == 0 {
		return nil, false
	}
	m := atoi(rest[:i])
	if m < 1 || m > 12 {
		return nil, false
	}
	if !month {
		if sep == '年' {
			return fmt.Appendf(nil, "%04d年", y), true
		}
		return fmt.Appendf(nil, "%04d", y), true
	}
	if sep == '年' {
		return fmt.Appendf(nil, "%04d年%s月", y, rest[:i]), true
	}
	return fmt.Appendf(nil, "%04d%c%s", y, sep, rest[:i]), true
}

// age maps an age (optionally followed by 岁 or "years") to its band
// "35-39"; in a JSON number slot, to the band's lower bound.
func (g *Generalize) age(v []byte, number bool) ([]byte, bool) {
	i := 0
	for i < len(v) && isDigit(v[i]) {
		i++
	}
	if i == 0 || i > 3 {
		return nil, false
	}
	suffix := strings.TrimSpace(string(v[i:]))
	if suffix != "" && suffix != "岁" && suffix != "周岁" && !strings.EqualFold(suffix, "years") && !strings.EqualFold(suffix, "y") {
		return nil, false
	}
	band := g.cfg.Band
	if band == 0 {
		band = 5
	}
	lo := atoi(v[:i]) / band * band
	if number {
		return strconv.AppendInt(nil, int64(lo), 10), true
	}
	if band == 1 {
		return strconv.AppendInt(nil, int64(lo), 10), true
	}
	out := fmt.Appendf(nil, "%d-%d", lo, lo+band-1)
	if suffix == "岁" || suffix == "周岁" {
		out = append(out, suffix...)
	}
	return out, true
}

func (g *Generalize) decimals() int {
	if g.cfg.Decimals == nil {
		return 2
	}
	return *g.cfg.Decimals
}

// gps rounds a pair (or one coordinate) to the configured decimals,
// keeping the separator.
func (g *Generalize) gps(v []byte) ([]byte, bool) {
	d := g.decimals()
	if p, ok := parsePair(v); ok {
		out := p.lead + strconv.FormatFloat(roundTo(p.lat, d), 'f', d, 64) + p.mid +
			strconv.FormatFloat(roundTo(p.lng, d), 'f', d, 64) + p.tail
		return []byte(out), true
	}
	x, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < -180 || x > 180 {
		return nil, false
	}
	return strconv.AppendFloat(nil, roundTo(x, d), 'f', d, 64), true
}

func roundTo(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// geohash encodes a pair as a geohash prefix (Niemeyer's base-32 cells).
func (g *Generalize) geohash(v []byte) ([]byte, bool) {
	p, ok := parsePair(v)
	if !ok {
		return nil, false
	}
	n := g.cfg.Precision
	if n == 0 {
		n = 5
	}
	return []byte(geohash(p.lat, p.lng, n)), true
}

const geohashBase32 = "0123456789bcdefghjkmnpqrstuvwxyz"

func geohash(lat, lng float64, n int) string {
	latR := [2]float64{-90, 90}
	lngR := [2]float64{-180, 180}
	out := make([]byte, 0, n)
	bit, ch := 0, 0
	even := true
	for len(out) < n {
		r, x := &latR, lat
		if even {
			r, x = &lngR, lng
		}
		mid := (r[0] + r[1]) / 2
		ch <<= 1
		if x >= mid {
			ch |= 1
			r[0] = mid
		} else {
			r[1] = mid
		}
		even = !even
		if bit++; bit == 5 {
			out = append(out, geohashBase32[ch])
			bit, ch = 0, 0
		}
	}
	return string(out)
}

// address cuts a Chinese address after the city (the first 市, 州 or 盟;
// failing those the first 区 or 县) or after the district (the first 区,
// 县 or 旗 after the city).
func (g *Generalize) address(v []byte) ([]byte, bool) {
	s := string(v)
	city := cutAfter(s, 0, "市", "自治州", "盟", "地区")
	if city < 0 {
		city = cutAfter(s, 0, "区", "县")
	}
	if city < 0 {
		return nil, false
	}
	if g.cfg.Level != "district" {
		return []byte(s[:city]), true
	}
	if d := cutAfter(s, city, "区", "县", "旗", "市"); d > 0 {
		return []byte(s[:d]), true
	}
	return []byte(s[:city]), true
}

// cutAfter returns the end of the earliest of the markers at or after
// from, or -1.
func cutAfter(s string, from int, markers ...string) int {
	best := -1
	for _, m := range markers {
		if i := strings.Index(s[from:], m); i >= 0 && (best < 0 || from+i+len(m) < best) {
			best = from + i + len(m)
		}
	}
	return best
}

// ipv4 keeps the first Prefix bits (8, 16 or 24) of a dotted quad.
func (g *Generalize) ipv4(v []byte) ([]byte, bool) {
	q, ok := parseIPv4(v)
	if !ok {
		return nil, false
	}
	prefix := g.cfg.Prefix
	if prefix == 0 {
		prefix = 16
	}
	keep := prefix / 8
	parts := make([]string, 4)
	for i := range 4 {
		switch {
		case i < keep:
			parts[i] = strconv.Itoa(q[i])
		case g.cfg.Style == "cidr":
			parts[i] = "0"
		default:
			parts[i] = "*"
		}
	}
	out := strings.Join(parts, ".")
	if g.cfg.Style == "cidr" {
		out += "/" + strconv.Itoa(prefix)
	}
	return []byte(out), true
}

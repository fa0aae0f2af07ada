package classifiers

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// canonKind says how a detector builds the canonical value it compares with
// allow lists (DESIGN.md section 4). Allow-list entries are written the way
// people write values ("11010519491231002x", "Zhang.San@Example.com",
// "138 1234 8000"); each is brought to the canonical form of the rule it is
// checked against, or it would never be equal to a match.
type canonKind uint8

const (
	// canonText: the matched text as is (user patterns, field values).
	canonText canonKind = iota
	// canonUpper: upper case without separators (identity numbers, IBAN,
	// USCC, plates, permits).
	canonUpper
	// canonLower: lower case (e-mail).
	canonLower
	// canonDigits: digits only (cards, IMEI).
	canonDigits
	// canonMobile: the 11 digits, without a +86 or 0086 country code.
	canonMobile
	// canonLandline: digits with the trunk 0, without a +86 country code.
	canonLandline
	// canonE164: +country code and number (libphonenumber E.164).
	canonE164
	canonIPv4 // dotted quad without leading zeros
	canonIPv6 // RFC 5952 text (netip)
	canonMAC  // six lower-case hex pairs joined by ':'
	canonGPS  // "lat,lng" with six decimals
	numCanonKinds
)

// detectorCanon maps a built-in detector to its canonical form; detectors
// not listed (and user patterns) use canonText.
var detectorCanon = map[string]canonKind{
	"cn_resident_id":   canonUpper,
	"hk_id":            canonUpper,
	"tw_id":            canonUpper,
	"cn_passport":      canonUpper,
	"hk_macau_permit":  canonUpper,
	"tw_permit":        canonUpper,
	"cn_uscc":          canonUpper,
	"iban":             canonUpper,
	"cn_license_plate": canonUpper,
	"email":            canonLower,
	"bank_card":        canonDigits,
	"imei":             canonDigits,
	"cn_mobile":        canonMobile,
	"cn_landline":      canonLandline,
	"phone_number":     canonE164,
	"ipv4":             canonIPv4,
	"ipv6":             canonIPv6,
	"mac_address":      canonMAC,
	"gps_coordinate":   canonGPS,
}

// canonical brings an allow-list entry to the canonical form k. An entry
// that cannot be in that form (letters in a phone number, a malformed
// address) is kept as written, trimmed: it can only equal a value that
// was already canonical, as before.
func canonical(k canonKind, v string) string {
	v = strings.TrimSpace(v)
	switch k {
	case canonUpper:
		return upperASCII(dropSeparators(v, " -()·.\t"))
	case canonLower:
		return lowerASCIIString(v)
	case canonDigits:
		if d, ok := digitsOf(v); ok {
			return d
		}
	case canonMobile:
		if d, ok := digitsOf(v); ok {
			switch {
			case len(d) == 13 && strings.HasPrefix(d, "86"):
				return d[2:]
			case len(d) == 15 && strings.HasPrefix(d, "0086"):
				return d[4:]
			}
			return d
		}
	case canonLandline:
		if d, ok := digitsOf(v); ok {
			// The detector writes the trunk 0 in place of a +86.
			if rest, cut := strings.CutPrefix(d, "0086"); cut {
				return "0" + rest
			}
			if rest, cut := strings.CutPrefix(d, "86"); cut {
				return "0" + rest
			}
			return d
		}
	case canonE164:
		if d, ok := digitsOf(v); ok {
			if num, err := phonenumbers.Parse("+"+strings.TrimPrefix(d, "00"), "ZZ"); err == nil {
				return phonenumbers.Format(num, phonenumbers.E164)
			}
			return "+" + d
		}
	case canonIPv4:
		return ipv4Canon(v)
	case canonIPv6:
		if a, err := netip.ParseAddr(v); err == nil {
			return a.String()
		}
		return strings.ToLower(v)
	case canonMAC:
		h := strings.ToLower(dropSeparators(v, ":-."))
		if len(h) != 12 || strings.Trim(h, "0123456789abcdef") != "" {
			return strings.ToLower(v)
		}
		var b strings.Builder
		for i := 0; i < 12; i += 2 {
			if i > 0 {
				b.WriteByte(':')
			}
			b.WriteString(h[i : i+2])
		}
		return b.String()
	case canonGPS:
		lat, lng, ok := strings.Cut(strings.Trim(v, "()[] "), ",")
		if !ok {
			return v
		}
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lng), 64)
		if err1 != nil || err2 != nil {
			return v
		}
		return string(appendLatLng(nil, la, lo))
	}
	return v
}

// digitsOf returns the digits of a number written with the separators
// people use (spaces, dashes, dots, parentheses, a leading +), and false
// if it holds anything else.
func digitsOf(v string) (string, bool) {
	d := dropSeparators(v, " -.()+\t")
	if d == "" || strings.Trim(d, "0123456789") != "" {
		return "", false
	}
	return d, true
}

func dropSeparators(v, seps string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(seps, r) {
			return -1
		}
		return r
	}, v)
}

// lowerASCIIString lowers ASCII letters only, as the e-mail detector does.
func lowerASCIIString(v string) string {
	b := []byte(v)
	lowerASCII(b, b)
	return string(b)
}

// upperASCII raises ASCII letters only, as the identity detectors do.
func upperASCII(v string) string {
	b := []byte(v)
	for i, c := range b {
		b[i] = upperTable[c]
	}
	return string(b)
}

// ipv4Canon drops leading zeros from each part, as the detector does.
func ipv4Canon(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) != 4 {
		return v
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 {
			return v
		}
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".")
}

// allowSet is an allow list in one canonical form.
type allowSet map[string]bool

// newAllowSet canonicalises entries for kind k.
func newAllowSet(k canonKind, entries []string) allowSet {
	s := make(allowSet, len(entries))
	for _, v := range entries {
		if c := canonical(k, v); c != "" {
			s[c] = true
		}
	}
	return s
}

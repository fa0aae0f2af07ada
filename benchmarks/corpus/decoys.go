package corpus

import (
	"strconv"
	"strings"
	"time"
)

// Decoys are look-alikes a correct scanner must not report. They are plain
// text: never labelled. Every digit run a decoy produces is checked (or
// built) so that it is not accidentally valid: runs of 13-19 digits fail
// Luhn, 18-digit runs fail the resident-ID rules, 11-digit runs are outside
// the mobile segments.

// DecoyKinds names the kinds of decoys the corpus contains.
var DecoyKinds = []string{
	"order_or_waybill_number", "luhn_invalid_card", "resident_id_bad_check",
	"resident_id_bad_date", "resident_id_bad_region", "long_run_with_embedded_phone_or_id",
	"unix_timestamp", "non_mobile_11_digits", "version_string", "ip_part_over_255",
	"email_fake_tld", "uuid", "hex_hash", "short_decimal_or_price", "iban_bad_check",
	"passport_shape_without_keyword", "hkid_bad_check", "twid_bad_check", "mobile_glued_to_letters",
	"coordinate_out_of_range",
	// Issue 3 types (decoys_more.go and the tables that hold them).
	"uscc_bad_check_character", "uscc_bad_organization_code", "uscc_bad_region", "plate_four_characters",
	"plate_letter_i", "plate_six_digits_without_d_or_f", "plate_shape_without_province", "service_hotline_number",
	"landline_solid_without_keyword", "phone_invalid_or_short", "time_with_colons", "version_with_colons",
	"mac_placeholder_or_five_groups", "ipv6_loopback_or_unspecified", "imei_bad_luhn", "imei_shape_without_keyword",
	"permit_seven_digits", "incomplete_address", "product_name_in_name_column", "category_keyword_without_value",
	"category_value_without_keyword", "none_value_in_category_field", "icd_shape_without_context",
	"short_vector_in_embedding_column", "vector_in_non_biometric_column", "template_text_without_template",
	"template_unknown_version", "one_or_two_points_per_subject",
}

// safeRun reports whether a bounded digit run is valid as no labelled type.
func safeRun(d string, asOf time.Time) bool {
	n := len(d)
	switch {
	case n == 11 && validMobile(d):
		return false
	case n >= 13 && n <= 19 && luhnValid(d):
		return false
	case n == 18 && (validResidentID(d, asOf) || validUSCC(d)):
		return false
	}
	return true
}

// groupsSafe reports whether no run of two or more consecutive digit groups
// of w (groups split at spaces and dashes) is valid as a labelled type,
// except whole, the value w itself stands for. A scanner that joins digit
// groups could otherwise find, say, a Luhn-valid card among the groups of
// an IBAN or a spaced ID.
func groupsSafe(w, whole string, asOf time.Time) bool {
	gs := strings.FieldsFunc(w, func(r rune) bool { return r == ' ' || r == '-' || r == '+' })
	for i := range gs {
		run := ""
		for j := i; j < len(gs) && allDigits(gs[j]); j++ {
			run += gs[j]
			if j > i && run != whole && !safeRun(run, asOf) {
				return false
			}
		}
	}
	return true
}

// safeDigits draws prefix + random digits up to n until the run is safe.
func (g *gen) safeDigits(prefix string, n int) string {
	for {
		d := prefix + g.digits(n-len(prefix))
		if safeRun(d, g.asOf) {
			return d
		}
	}
}

// orderNo is an order or waybill number: 16-20 digits starting with 1 or 6.
// It never starts with 62: some scanners accept UnionPay numbers without
// Luhn (many issued test numbers fail it), so 62 would make it contested.
func (g *gen) orderNo() string {
	for {
		d := g.safeDigits(pick(g, []string{"1", "6", "20261", "68", "1688"}), 16+g.r.IntN(5))
		if !strings.HasPrefix(d, "62") {
			return d
		}
	}
}

// badCard has a real IIN prefix and length but a wrong Luhn digit. UnionPay
// (62) is left out for the reason given at orderNo.
func (g *gen) badCard() string {
	c := g.cardVal().canon
	for strings.HasPrefix(c, "62") {
		c = g.cardVal().canon
	}
	last := (int(c[len(c)-1]-'0') + 1 + g.r.IntN(9)) % 10
	return c[:len(c)-1] + strconv.Itoa(last)
}

// badIDCheck is a resident ID with a wrong check character.
func (g *gen) badIDCheck() string {
	for {
		id := g.residentID(g.newPerson(false), false)
		wrong := gbCheckMap[(strings.IndexByte(gbCheckMap, id[17])+1+g.r.IntN(10))%11]
		d := id[:17] + string(wrong)
		if safeRun(d, g.asOf) {
			return d
		}
	}
}

// badIDDate has a correct check character but an impossible birth date
// (month 13, 30 February or day 32).
func (g *gen) badIDDate() string {
	dates := []string{"19901301", "19850230", "20010230", "19770732", "19921315"}
	return g.checked(pick(g, regions), pick(g, dates))
}

// badIDRegion has a correct check character and date but a province prefix
// 00 or 99.
func (g *gen) badIDRegion() string {
	region := pick(g, []string{"00", "99"}) + g.digits(4)
	return g.checked(region, g.adultBirth().Format("20060102"))
}

// checked completes region+date with a sequence number and the correct
// check character, redrawing Luhn-valid results.
func (g *gen) checked(region, date string) string {
	for {
		body := region + date + g.digits(3)
		id := body + string(gbCheck(body))
		if !luhnValid(id) {
			return id
		}
	}
}

// longRun is a 20-22 digit id that contains a valid mobile or resident ID
// as a substring; as a whole it is neither.
func (g *gen) longRun() string {
	if g.chance(2) {
		return "2026" + g.digits(3) + g.mobileVal(0).canon + g.digits(2)
	}
	return g.residentID(g.newPerson(false), false) + g.digits(2+g.r.IntN(3))
}

// unixTS is a 10-digit (seconds) or 13-digit (milliseconds) timestamp.
func (g *gen) unixTS() string {
	s := g.asOf.Unix() - int64(g.r.IntN(86400*365))
	if g.chance(2) {
		return strconv.FormatInt(s, 10)
	}
	for {
		ms := strconv.FormatInt(s*1000+int64(g.r.IntN(1000)), 10)
		if safeRun(ms, g.asOf) {
			return ms
		}
	}
}

// nonMobile is 11 digits in a segment that is not mobile.
func (g *gen) nonMobile() string {
	p := pick(g, []string{"120", "121", "125", "128", "140", "141", "142", "143", "144", "154", "1741", "1745", "1749", "160", "163", "164", "168", "194"})
	return g.safeDigits(p, 11)
}

func (g *gen) version() string {
	return pick(g, []string{"1.2.3", "v2.10.3.1", "1.2.3.4.5", "3.14.159", "v10.2.3.4", "2.0.1-rc.3", "go1.26.8"})
}

func (g *gen) badIP() string {
	a := strconv.Itoa(1 + g.r.IntN(223))
	switch g.r.IntN(3) {
	case 0:
		return strconv.Itoa(256+g.r.IntN(700)) + "." + a + ".1.1"
	case 1:
		return "192.168.1." + strconv.Itoa(256+g.r.IntN(700))
	}
	return "10." + a + "." + strconv.Itoa(300+g.r.IntN(600)) + ".12"
}

func (g *gen) fakeEmail() string {
	return pick(g, []string{"user@host.invalidtld", "x@localhost", "admin@intranet", "noreply@build.corp-internal",
		"ops@server.lan0", "test@example.notatld", "root@localhost"})
}

func (g *gen) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[g.r.IntN(16)]
	}
	return string(b)
}

func (g *gen) uuid() string {
	h := g.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

func (g *gen) price() string {
	return pick(g, []string{"￥", "$", "RMB ", "€"}) + strconv.Itoa(1+g.r.IntN(9999)) + "." + g.digits(2)
}

func (g *gen) shortDecimals() string {
	return pick(g, []string{"3.14, 2.71", "1.5,2.25", "12.5,88.25", "0.98, 1.02", "120.50,190.25"})
}

// badIBAN is a valid IBAN with one BBAN digit changed (mod 97 detects every
// single substitution), written solid or grouped.
func (g *gen) badIBAN() string {
	s := []byte(g.ibanCompact())
	for i := len(s) - 1; i > 4; i-- {
		if s[i] >= '0' && s[i] <= '9' {
			s[i] = '0' + (s[i]-'0'+1+byte(g.r.IntN(9)))%10
			break
		}
	}
	if w := group4(string(s), " "); g.chance(2) && groupsSafe(w, "", g.asOf) {
		return w
	}
	return string(s)
}

// passportShape is E or G + 8 digits: only a passport when a keyword or a
// passport column says so, which decoys never have.
func (g *gen) passportShape() string { return g.passportVal().canon }

func (g *gen) badHK() string {
	v := g.hkVal().canon
	body, c := v[:len(v)-1], v[len(v)-1]
	const checks = "0123456789A"
	return body + "(" + string(checks[(strings.IndexByte(checks, c)+1+g.r.IntN(10))%11]) + ")"
}

func (g *gen) badTW() string {
	v := g.twVal().canon
	return v[:9] + strconv.Itoa((int(v[9]-'0')+1+g.r.IntN(9))%10)
}

// gluedMobile is a valid mobile glued to letters, which the catalogue says
// is not a phone number.
func (g *gen) gluedMobile() string {
	return pick(g, []string{"abc", "uid", "sn", "ID"}) + g.mobileVal(0).canon + pick(g, []string{"", "x", "ab"})
}

// outOfRange is a latitude/longitude-looking pair outside the valid ranges.
func (g *gen) outOfRange() string {
	return micro(91000000+g.r.IntN(8000000), 6) + "," + micro(181000000+g.r.IntN(9000000), 6)
}

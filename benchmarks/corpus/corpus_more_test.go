package corpus

import (
	"encoding/csv"
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the data types added with issue 3.

// TestCoverageMore checks the written styles of the issue-3 types and the
// structure of the PIPL files: every sensitive category in structured data
// and in prose, traces of each kind of subject.
func TestCoverageMore(t *testing.T) {
	t.Parallel()
	_, m := small.get(t)
	has := func(typ, path string, f func(string) bool) bool {
		for _, l := range m.Labels {
			if l.DataType == typ && (path == "" || l.Path == path) && f(l.Written) {
				return true
			}
		}
		return false
	}
	anyW := func(string) bool { return true }
	styles := []struct {
		name, typ, path string
		f               func(string) bool
	}{
		{"uscc MA code", TypeUSCC, "", func(w string) bool { return strings.Contains(w, "MA") }},
		{"uscc digits", TypeUSCC, "", func(w string) bool { return allDigits(w[:17]) }},
		{"plate solid", TypePlate, "", func(w string) bool { return !strings.ContainsAny(w, "· ") && len(w) == 9 }},
		{"plate dot", TypePlate, "", func(w string) bool { return strings.Contains(w, "·") }},
		{"plate space", TypePlate, "", func(w string) bool { return strings.Contains(w, " ") }},
		{"plate new energy", TypePlate, "", func(w string) bool {
			return len(strings.NewReplacer("·", "", " ", "").Replace(w)) == 10
		}},
		{"landline dash", TypeLandline, "", func(w string) bool { return w[0] == '0' && strings.Contains(w, "-") }},
		{"landline paren", TypeLandline, "", func(w string) bool { return strings.HasPrefix(w, "(") && !strings.Contains(w, " ") }},
		{"landline paren groups", TypeLandline, "", func(w string) bool { return strings.HasPrefix(w, "(") && strings.Contains(w, " ") }},
		{"landline +86", TypeLandline, "", func(w string) bool { return strings.HasPrefix(w, "+86 ") }},
		{"landline solid", TypeLandline, "", allDigits},
		{"landline 7-digit subscriber", TypeLandline, "", func(w string) bool { return len(digitsOf(w)) == 11 && w[0] == '0' && w[1] >= '3' }},
		{"phone parens", TypePhone, "", func(w string) bool { return strings.Contains(w, "(") }},
		{"phone dashes", TypePhone, "", func(w string) bool { return strings.Contains(w, "-") }},
		{"phone spaces only", TypePhone, "", func(w string) bool { return !strings.ContainsAny(w, "-(") }},
		{"ipv6 compressed", TypeIPv6, "", func(w string) bool { return strings.Contains(w, "::") }},
		{"ipv6 full zeros", TypeIPv6, "", func(w string) bool { return strings.Count(w, ":") == 7 && strings.Contains(w, ":0000:") }},
		{"ipv6 capitals", TypeIPv6, "", func(w string) bool { return w != strings.ToLower(w) }},
		{"ipv6 link-local", TypeIPv6, "", func(w string) bool { return strings.HasPrefix(strings.ToLower(w), "fe80") }},
		{"mac colons", TypeMAC, "", func(w string) bool { return strings.Count(w, ":") == 5 }},
		{"mac dashes", TypeMAC, "", func(w string) bool { return strings.Count(w, "-") == 5 }},
		{"mac dotted", TypeMAC, "", func(w string) bool { return strings.Count(w, ".") == 2 }},
		{"mac capitals", TypeMAC, "", func(w string) bool { return w != strings.ToLower(w) }},
		{"imei solid", TypeIMEI, "", allDigits},
		{"imei 2-6-6-1", TypeIMEI, "", func(w string) bool { return len(w) == 18 && w[2] == '-' }},
		{"imei 8-6-1", TypeIMEI, "", func(w string) bool { return len(w) == 17 && w[8] == '-' }},
		{"hk permit C", TypeHKMacauPermit, "", func(w string) bool { return w[0] == 'C' }},
		{"home return permit", TypeHKMacauPermit, "", func(w string) bool { return w[0] == 'H' || w[0] == 'M' }},
		{"tw permit", TypeTWPermit, "", anyW},
		{"address room", TypeAddress, "", func(w string) bool { return strings.HasSuffix(w, "室") }},
		{"address number", TypeAddress, "", func(w string) bool { return strings.HasSuffix(w, "号") }},
		{"address unit", TypeAddress, "", func(w string) bool { return strings.Contains(w, "单元") }},
		{"address in prose", TypeAddress, "text/profiles_zh.txt", anyW},
		{"name zh", TypeName, "", func(w string) bool { return w[0] >= 0x80 }},
		{"name latin", TypeName, "", func(w string) bool { return w[0] < 0x80 }},
		{"name bare column", TypeName, "csv/customers_en.csv", anyW},
		{"name in json", TypeName, "json/users.json", anyW},
		{"face json array", TypeFace, "", func(w string) bool { return strings.HasPrefix(w, "[") && !strings.Contains(w, " ") }},
		{"face bracketed list", TypeFace, "", func(w string) bool { return strings.HasPrefix(w, "[") && strings.Contains(w, ", ") }},
		{"face csv list", TypeFace, "csv/biometric_enrolment.csv", func(w string) bool { return strings.Contains(w, ",") }},
		{"face base64", TypeFace, "", func(w string) bool { return !strings.Contains(w, ",") }},
		{"voice base64", TypeVoice, "", func(w string) bool { return !strings.Contains(w, ",") }},
		{"voice list", TypeVoice, "", func(w string) bool { return strings.Contains(w, ",") }},
		{"iris hex", TypeIris, "", func(w string) bool { return len(w) == 512 }},
		{"iris base64", TypeIris, "", func(w string) bool { return len(w) != 512 }},
		{"template csv", TypeFingerprint, "csv/biometric_enrolment.csv", anyW},
		{"template log", TypeFingerprint, "logs/access_control.log", anyW},
		{"template prose", TypeFingerprint, "text/case_notes_en.md", anyW},
		{"religion field zh", TypeReligion, "csv/hr_profiles_zh.csv", anyW},
		{"religion field en", TypeReligion, "csv/members_intl.csv", anyW},
		{"religion prose zh", TypeReligion, "text/profiles_zh.txt", anyW},
		{"religion prose en", TypeReligion, "text/case_notes_en.md", anyW},
		{"medical field zh", TypeMedical, "csv/outpatient_zh.csv", anyW},
		{"medical field en", TypeMedical, "jsonl/ehr_en.jsonl", anyW},
		{"medical prose zh", TypeMedical, "text/medical_notes_zh.txt", anyW},
		{"medical prose en", TypeMedical, "text/case_notes_en.md", anyW},
		{"icd code", TypeMedical, "", func(w string) bool { return icdRe.MatchString(w) && len(w) <= 8 }},
		{"identity field", TypeIdentity, "csv/hr_profiles_zh.csv", anyW},
		{"identity prose", TypeIdentity, "text/profiles_zh.txt", anyW},
		{"trace device_id", TypeTrace, "csv/device_locations.csv", anyW},
		{"trace imei", TypeTrace, "jsonl/app_pings.jsonl", anyW},
		{"trace phone", TypeTrace, "jsonl/courier_tracks.jsonl", anyW},
		{"trace gzip", TypeTrace, "gz/app_pings.jsonl.gz", anyW},
	}
	for _, s := range styles {
		assert.True(t, has(s.typ, s.path, s.f), s.name)
	}
	var minorMedical bool
	for _, l := range m.Labels {
		minorMedical = minorMedical || l.Minor && l.DataType == TypeMedical
	}
	assert.True(t, minorMedical, "children's medical records are minors' data")
	for _, f := range []string{"csv/products.csv", "text/decoys_pipl_zh.txt", "text/decoys_pipl_en.md", "logs/ops.log"} {
		assert.Contains(t, m.PIIFree, f)
	}
}

// TestTraces recomputes the location traces of the files with subjects
// from the files themselves: a subject with three or more distinct points
// has exactly one trace label, others none.
func TestTraces(t *testing.T) {
	t.Parallel()
	dir, m := small.get(t)
	traces := map[string]map[string]int{}
	for _, l := range m.Labels {
		if l.DataType == TypeTrace {
			if traces[l.Path] == nil {
				traces[l.Path] = map[string]int{}
			}
			traces[l.Path][l.Canonical]++
		}
	}
	points := func(path string) map[string]map[string]bool {
		subj := map[string]map[string]bool{}
		add := func(s, lat, lng string) {
			if subj[s] == nil {
				subj[s] = map[string]bool{}
			}
			a, _ := strconv.ParseFloat(lat, 64)
			b, _ := strconv.ParseFloat(lng, 64)
			subj[s][strconv.FormatFloat(a, 'f', 6, 64)+","+strconv.FormatFloat(b, 'f', 6, 64)] = true
		}
		text := decoded(t, dir, path)
		switch {
		case strings.HasSuffix(path, ".csv"):
			rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
			require.NoError(t, err)
			for _, r := range rows[1:] {
				if strings.HasPrefix(path, "csv/device") {
					add(r[0], r[2], r[3]) // device_id, recorded_at, lat, lng
				} else {
					// 车牌号 (the first identifier), 司机姓名, 签到时间, 纬度, 经度
					add(strings.NewReplacer("·", "", " ", "").Replace(r[0]), r[3], r[4])
				}
			}
		default:
			for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &v))
				if gps, ok := v["gps"].(string); ok {
					lat, lng, _ := strings.Cut(gps, ",")
					ph, _ := canonFromWrittenMore(Label{DataType: TypeTrace, Written: v["rider_phone"].(string)})
					add(ph, lat, lng)
				} else {
					add(v["imei"].(string), strconv.FormatFloat(v["lat"].(float64), 'f', 6, 64), strconv.FormatFloat(v["lng"].(float64), 'f', 6, 64))
				}
			}
		}
		return subj
	}
	for _, path := range []string{"csv/device_locations.csv", "csv/fleet_checkins.csv", "jsonl/app_pings.jsonl",
		"gz/app_pings.jsonl.gz", "jsonl/courier_tracks.jsonl"} {
		subj := points(path)
		require.NotEmpty(t, subj, path)
		short := 0
		for s, pts := range subj {
			if len(pts) >= 3 {
				assert.Equal(t, 1, traces[path][s], "%s: a subject with %d points has one trace", path, len(pts))
			} else {
				short++
				assert.Zero(t, traces[path][s], "%s: %d points are no trace", path, len(pts))
			}
		}
		assert.Positive(t, short, "%s has subjects with one or two points", path)
		assert.Len(t, traces[path], len(subj)-short, path)
	}
	assert.Empty(t, traces["csv/fleet_checkins.csv"])
}

// TestPhoneNumbers checks the foreign numbers against libphonenumber's
// metadata: every form the generator draws and every label is valid and
// not a mainland number; the decoys are invalid.
func TestPhoneNumbers(t *testing.T) {
	t.Parallel()
	g := &gen{r: rngFor(11, "phones"), asOf: DefaultAsOf}
	for range 3000 {
		v := g.intlPhoneVal()
		num, err := phonenumbers.Parse(v.written, "ZZ")
		require.NoError(t, err, v.written)
		assert.True(t, phonenumbers.IsValidNumber(num), v.written)
		assert.Equal(t, v.canon, phonenumbers.Format(num, phonenumbers.E164), v.written)
		assert.True(t, validIntlPhone(v.canon), v.canon)
	}
	for _, bad := range []string{"+999 1234 5678", "+1 555", "+44 20 1234", "+852 1234", "+65 1234"} {
		num, err := phonenumbers.Parse(bad, "ZZ")
		assert.True(t, err != nil || !phonenumbers.IsValidNumber(num), bad)
	}
	_, m := small.get(t)
	for _, l := range m.Labels {
		if l.DataType != TypePhone {
			continue
		}
		num, err := phonenumbers.Parse(l.Written, "ZZ")
		require.NoError(t, err, l.Written)
		assert.True(t, phonenumbers.IsValidNumber(num), l.Written)
		assert.NotEqual(t, int32(86), num.GetCountryCode(), l.Written)
		assert.Equal(t, l.Canonical, phonenumbers.Format(num, phonenumbers.E164))
	}
}

func TestUSCCVectors(t *testing.T) {
	t.Parallel()
	// Real codes (stdnum's test list): the mod 31 check, the embedded
	// organization code, the authority table and the province all hold.
	for _, v := range readLines(t, "stdnum/cn_uscc.valid.txt") {
		s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(v))
		assert.Equal(t, s[17], usccCheckChar(s[:17]), v)
		assert.True(t, validUSCC(s), v)
	}
	for _, v := range readLines(t, "stdnum/cn_uscc.invalid.txt") {
		assert.False(t, validUSCC(v), v)
	}
	assert.True(t, validUSCC("91350100M000100Y43"))
	assert.False(t, validUSCC("91350100M000100Y44"))
	// Worked by hand: 1*3+2*7+3*9+4*10+5*5+6*8+7*4+8*2 = 201 and
	// 11 - 201 mod 11 = 8.
	assert.Equal(t, byte('8'), orgCheckChar("12345678"))
	g := &gen{r: rngFor(5, "uscc"), asOf: DefaultAsOf}
	for range 1000 {
		v := g.usccVal()
		require.True(t, validUSCC(v.canon), v.canon)
		bad := g.badUSCC()
		assert.False(t, validUSCC(bad), bad)
	}
}

func TestNetworkVectors(t *testing.T) {
	t.Parallel()
	for _, v := range readLines(t, "stdnum/imei.valid.txt") {
		if d := digitsOf(v); len(d) == 15 {
			assert.True(t, validIMEI(d), v)
		}
	}
	for _, v := range readLines(t, "stdnum/imei.invalid.txt") {
		assert.False(t, validIMEI(digitsOf(v)), v)
	}
	for _, v := range readLines(t, "stdnum/mac.valid.txt") {
		assert.True(t, validMAC(macCanon(v)), v)
	}
	for _, v := range readLines(t, "stdnum/mac.invalid.txt") {
		if h, err := strconv.ParseUint(v[:2], 16, 8); err == nil && h&1 == 1 && len(v) == 17 {
			continue // stdnum rejects multicast addresses; the catalogue does not
		}
		assert.False(t, validMAC(macCanon(v)), v)
	}
	// The generator's RFC 5952 formatting agrees with net/netip.
	g := &gen{r: rngFor(9, "ipv6"), asOf: DefaultAsOf}
	for i := range 2000 {
		v := g.ipv6Val(i % 4)
		a, err := netip.ParseAddr(v.written)
		require.NoError(t, err, v.written)
		assert.Equal(t, a.String(), v.canon, v.written)
		assert.True(t, validIPv6(v.canon), v.canon)
		mac := g.macVal(i % 5)
		assert.Equal(t, mac.canon, macCanon(mac.written))
		im := g.imeiVal(i % 3)
		assert.True(t, validIMEI(im.canon) && !validCard(im.canon), im.canon)
		assert.False(t, validIMEI(g.badIMEI()))
	}
	for _, s := range []string{"::1", "::", "::ffff:10.0.0.1", "2001:DB8::1", "2001:db8:0:0:1:0:0:1"} {
		assert.False(t, validIPv6(s), s)
	}
	assert.True(t, validIPv6("2001:db8::1:0:0:1"))
}

func TestPlateVectors(t *testing.T) {
	t.Parallel()
	type row struct {
		Category string `json:"category"`
		Value    string `json:"value"`
		Match    bool   `json:"expected_match"`
	}
	n := 0
	for _, r := range readJSONL[row](t, "any-rule/examples.jsonl") {
		// any-rule's regular plates allow six serial characters without D
		// or F; the catalogue's do not, so only its other examples count.
		if (r.Category == "cn_plate_new_energy" || r.Category == "cn_plate_regular") && r.Match {
			n++
			assert.True(t, validPlate(r.Value), r.Value)
		}
	}
	assert.Positive(t, n)
	for _, s := range []string{"京I12345", "京A1234", "A12345", "京A123456", "浙苏H6F681", "京AABCDE"} {
		assert.False(t, validPlate(s), s)
	}
	g := &gen{r: rngFor(4, "plates"), asOf: DefaultAsOf}
	for i := range 1000 {
		v := g.plateVal(i % 3)
		require.True(t, validPlate(v.canon), v.canon)
		assert.False(t, validPlate(strings.NewReplacer("·", "", " ", "").Replace(g.plateLike())))
	}
}

func TestLandlines(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"01062345678", "075587654321", "02161234567", "03912345678"} {
		assert.True(t, validLandline(s), s)
	}
	for _, s := range []string{"01012345678", "0101234", "13812348000", "4008208820", "0812345678"} {
		assert.False(t, validLandline(s), s)
	}
	g := &gen{r: rngFor(6, "landlines"), asOf: DefaultAsOf}
	for i := range 1000 {
		v := g.landlineVal(i % 5)
		c, _ := canonFromWrittenMore(Label{DataType: TypeLandline, Written: v.written})
		assert.Equal(t, v.canon, c, v.written)
		assert.True(t, validLandline(v.canon), v.canon)
	}
}

func TestBiometricValues(t *testing.T) {
	t.Parallel()
	g := &gen{r: rngFor(8, "bio"), asOf: DefaultAsOf}
	for i := range 200 {
		v := g.faceVal(TypeFace, 128, i%4)
		b, ok := blobFromWritten(v.written)
		require.True(t, ok)
		assert.Len(t, b, 512)
		assert.True(t, validVector(b, 64))
		tv := g.templateVal()
		tb, ok := validBlob(tv.canon, 24)
		require.True(t, ok)
		assert.True(t, validTemplate(tb))
		assert.True(t, strings.HasPrefix(tv.written, "Rk1SA"))
		assert.Zero(t, len(tb)%3, "ISO records of one view without extended data are multiples of 3 bytes")
		bad, decodes := blobFromWritten(g.badTemplateB64())
		assert.True(t, decodes)
		assert.False(t, validTemplate(bad))
	}
	// The same vector as a list and as base64 has one canonical value.
	v := g.embedding(64)
	a, _ := blobFromWritten("[" + strings.Join(v.text, ", ") + "]")
	assert.Equal(t, v.bytes(), a)
}

package classifiers

// Conformance of the phone detectors: phone_number (a '+' and
// libphonenumber validity, mainland numbers excluded), cn_mobile and
// cn_landline, against Presidio's PHONE_NUMBER tests, libphonenumber's
// example numbers and any-rule's landline examples.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConformanceNewPhones(t *testing.T) {
	t.Parallel()
	runSources(t, newPhoneSources())
}

// phoneTypes are our phone data types: Presidio's PHONE_NUMBER is any of them.
var phoneTypes = []string{"phone_number", "cn_mobile", "cn_landline"}

// presidioLeniencies are the leniency settings of Presidio's phone tests,
// the default (1, "VALID") first: the same text has different expected
// results under different leniencies, so each is its own source.
var presidioLeniencies = []int{1, 0, 2, 3}

type presidioPhoneCase struct {
	presidioCase
	Leniency *int `json:"leniency"`
}

// phoneKeyword precedes the example numbers: solid landlines need context.
const phoneKeyword = "电话 "

// phoneFound scans "电话 <v>" and names the phone data type of the one match
// over v, checking its canonical form (E.164 for phone_number, the 11
// digits for cn_mobile, the digits with the trunk 0 for cn_landline).
func phoneFound(t testing.TB, v string) string {
	t.Helper()
	text := phoneKeyword + v
	digits := stripChars(v, " -()")
	canon := map[string]string{"phone_number": digits, "cn_mobile": digits, "cn_landline": digits}
	if rest, ok := strings.CutPrefix(digits, "+86"); ok {
		canon["cn_mobile"], canon["cn_landline"] = rest, "0"+rest
	}
	var got []string
	for _, m := range scanString(t, confEngine(t), text).ms {
		s := fmt.Sprintf("%s [%d,%d)", m.DataType, m.Start, m.End)
		if m.Start == len(phoneKeyword) && m.End == len(text) {
			s = m.DataType
			if m.Fingerprint != confFingerprint(canon[m.DataType]) {
				s += " (canonical form is not " + canon[m.DataType] + ")"
			}
		}
		got = append(got, s)
	}
	if len(got) == 0 {
		return "none"
	}
	return strings.Join(got, ", ")
}

func newPhoneSources() []confSource {
	var out []confSource
	for _, lv := range presidioLeniencies {
		name := "presidio PHONE_NUMBER any phone type"
		if lv != 1 {
			name += fmt.Sprintf(", leniency %d", lv)
		}
		out = append(out, confSource{
			name: name,
			vectors: func(t testing.TB) []confVector {
				var vs []confVector
				for _, c := range readJSONL[presidioPhoneCase](t, "presidio/detections.jsonl") {
					l := 1
					if c.Leniency != nil {
						l = *c.Leniency
					}
					if c.Entity != "PHONE_NUMBER" || l != lv {
						continue
					}
					vs = append(vs, confVector{name: fmt.Sprintf("L%d_%s", c.Line, shorten(c.Text, 48)), input: c.Text, want: renderSpans(presidioByteSpans(c.presidioCase))})
				}
				return dedupVectors(vs)
			},
			verdict: func(t testing.TB, text string) string { return spansOf(t, text, phoneTypes...) },
		})
	}
	return append(out,
		confSource{
			// Every example number, after "电话 ". CN fixed-line numbers are
			// cn_landline (example_national is the national significant
			// number without the trunk 0 a Chinese writer puts in front, so
			// it is added); the CN mobile is cn_mobile; CN service numbers
			// (toll-free 800, shared-cost 400, premium 168) are none, since
			// cn_mobile and cn_landline cover subscriber numbers and
			// phone_number leaves +86 to them; HK, MO and TW numbers of every
			// type (service numbers too: phone_number filters on
			// libphonenumber validity, not on type) are phone_number in E.164.
			name: "libphonenumber example_numbers all phone types",
			vectors: func(t testing.TB) []confVector {
				var vs []confVector
				for _, e := range readJSONL[phoneExample](t, "libphonenumber/example_numbers.jsonl") {
					national := e.National
					want := "phone_number"
					switch {
					case e.Region == "CN" && e.Type == "fixedLine":
						want = "cn_landline"
						if !strings.HasPrefix(national, "0") {
							national = "0" + national
						}
					case e.Region == "CN" && e.Type == "mobile":
						want = "cn_mobile"
					case e.Region == "CN":
						want = "none"
					}
					name := fmt.Sprintf("%s_%s_", e.Region, e.Type)
					vs = append(vs, confVector{name: name + "e164_" + e.E164, input: e.E164, want: want})
					v := confVector{name: name + "national_" + national, input: national, want: want}
					if e.Region != "CN" {
						v.skip = "written without its country code: phone_number needs the leading '+' (we assume no region)"
					}
					vs = append(vs, v)
				}
				return dedupVectors(vs)
			},
			verdict: phoneFound,
		},
		confSource{
			name:    "any-rule cn_landline",
			vectors: anyRuleLoad("cn_landline"),
			verdict: func(t testing.TB, v string) string {
				return foundValidity(detectValue(t, phoneKeyword, v, stripChars(v, " -()"), "cn_landline"))
			},
		},
	)
}

const (
	// usPrefix starts most of Presidio's phone texts: "(415) 555-0132" is a
	// US number written without its country code.
	usPrefix = "My US number is (415) 555-0132, and my international one is"

	noPlus = "policy: phone_number needs the leading '+' and country code; written nationally, a number's " +
		"region is a guess (Presidio tries its default regions US, UK, DE, FE, IL, IN, CA, BR, here plus JP " +
		"and CN, and so finds "
	noPlusUS   = noPlus + "(415) 555-0132 as a US number); mainland numbers are the exception (cn_mobile, cn_landline)"
	noGrouping = "; and phone_number checks libphonenumber validity of the digits, not their grouping " +
		"(Presidio's leniency 2/3, STRICT_GROUPING and EXACT_GROUPING, reject a grouping the region does not use)"
	subscriberOne = "policy: a mainland local number never starts with 0 or 1 (1xx are service codes, 0 is the " +
		"trunk prefix), so landline() rejects the subscriber number 12345678; libphonenumber's CN pattern allows it " +
		"in its placeholder example. 010-62345678 is found"
)

var newPhoneDisagreements = []confDisagreement{
	{name: "presidio_phone_japanese_mobile_without_plus", source: "presidio PHONE_NUMBER any phone type",
		input: "My Japanese number is 090-1234-5678", says: "[22,35)", we: "none",
		reason: "policy: numbers outside the mainland are reported in international format only (a leading +); " +
			"Presidio parses this one with its default regions. It is not a mainland landline either: 090 is not " +
			"the trunk 0 and an area code"},
	{name: "presidio_phone_us_national_and_+1", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +1 415 555 0132", says: "[16,30) [60,75)", we: "[60,75)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_+44", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +44 (20) 7123 4567", says: "[16,30) [60,78)", we: "[60,78)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_+91_solid", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +91 4155550132", says: "[16,30) [60,74)", we: "[60,74)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_+55", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +55 11 98456 5666", says: "[16,30) [60,77)", we: "[60,77)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_+49", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +49 30 1234567", says: "[16,30) [60,74)", we: "[60,74)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_+39", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +39 06 678 4343", says: "[16,30) [60,75)", we: "[60,75)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_+30", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +30 21 0 1234567", says: "[16,30) [60,76)", we: "[60,76)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_+33", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " +33 1 42 68 53 00", says: "[16,30) [60,77)", we: "[60,77)", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_glued", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + "415-555-0132", says: "[16,30)", we: "none", reason: noPlusUS},
	{name: "presidio_phone_us_national_and_91_without_plus", source: "presidio PHONE_NUMBER any phone type",
		input: usPrefix + " 91-415-555-0132", says: "[16,30) [60,75)", we: "none",
		reason: noPlusUS + "; 91-415-555-0132 (India, written without '+') likewise"},
	{name: "presidio_phone_israeli_09-7625400", source: "presidio PHONE_NUMBER any phone type",
		input: "My Israeli number is 09-7625400", says: "[21,31)", we: "none",
		reason: noPlus + "09-7625400 as an Israeli number)"},
	{name: "presidio_phone_us_(415)555-0132_underscore", source: "presidio PHONE_NUMBER any phone type",
		input: "_: (415)555-0132", says: "[3,16)", we: "none", reason: noPlusUS},
	{name: "presidio_phone_us_(415)555-0132_united_states", source: "presidio PHONE_NUMBER any phone type",
		input: "United States: (415)555-0132", says: "[15,28)", we: "none", reason: noPlusUS},
	{name: "presidio_phone_us_415-555-0132", source: "presidio PHONE_NUMBER any phone type",
		input: "US: 415-555-0132", says: "[4,16)", we: "none", reason: noPlusUS},

	{name: "presidio_phone_leniency0_us_national_and_glued", source: "presidio PHONE_NUMBER any phone type, leniency 0",
		input: usPrefix + "415-555-0132", says: "[16,30) [59,71)", we: "none",
		reason: noPlusUS + "; leniency 0 (POSSIBLE) also takes the number glued to \"is\""},
	{name: "presidio_phone_leniency2_us_national_and_91_without_plus", source: "presidio PHONE_NUMBER any phone type, leniency 2",
		input: usPrefix + " 91-415-555-0132", says: "[16,30)", we: "none", reason: noPlusUS},
	{name: "presidio_phone_leniency2_us_national_and_+91_grouped", source: "presidio PHONE_NUMBER any phone type, leniency 2",
		input: usPrefix + " +91 4155 550132", says: "[16,30) [60,75)", we: "[60,75)", reason: noPlusUS},
	{name: "presidio_phone_leniency3_us_national_and_+91_grouped", source: "presidio PHONE_NUMBER any phone type, leniency 3",
		input: usPrefix + " +91 4155 550132", says: "[16,30)", we: "[60,75)", reason: noPlusUS + noGrouping},
	{name: "presidio_phone_leniency3_us_national_and_+91_solid", source: "presidio PHONE_NUMBER any phone type, leniency 3",
		input: usPrefix + " +91 4155550132", says: "[16,30) [60,74)", we: "[60,74)", reason: noPlusUS},

	{name: "libphonenumber_cn_fixedline_01012345678", source: "libphonenumber example_numbers all phone types",
		input: "01012345678", says: "cn_landline", we: "none", reason: subscriberOne},
	{name: "libphonenumber_cn_fixedline_+861012345678", source: "libphonenumber example_numbers all phone types",
		input: "+861012345678", says: "cn_landline", we: "none", reason: subscriberOne},

	{name: "anyrule_landline_89076543_no_area_code", source: "any-rule cn_landline",
		input: "89076543", says: "valid", we: "invalid",
		reason: "policy: cn_landline needs the area code; eight bare digits are any number (an amount, a date, an ID)"},
	{name: "anyrule_landline_010-12345678-1234_subscriber_1", source: "any-rule cn_landline",
		input: "010-12345678-1234", says: "valid", we: "invalid",
		reason: subscriberOne + " (and an extension is left out of the span: see TestConformanceNewLandlinePins)"},
}

// TestConformanceNewLandlinePins pins down why the landline examples above
// are disagreements, and a grouping problem the Presidio vectors hide.
func TestConformanceNewLandlinePins(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"anyrule_as_written_subscriber_starts_with_1", "电话 010-12345678-1234", "none"},
		{"subscriber_corrected_extension_left_out", "电话 010-62345678-1234", "[7,19)"},
		{"libphonenumber_example_as_written", "电话 01012345678", "none"},
		{"libphonenumber_example_subscriber_corrected", "电话 01062345678", "[7,18)"},
		{"libphonenumber_example_e164_corrected", "电话 +861062345678", "[7,20)"},
		// A first group that is not the trunk 0 and the area code the
		// number implies is not a mainland landline (Japanese mobiles).
		{"japanese_mobile_090_not_landline", "My Japanese number is 090-1234-5678", "none"},
		{"japanese_mobile_080_not_landline", "080-2345-6789", "none"},
		{"area_code_group_right", "电话 0755-2345678", "[7,19)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, spansOf(t, tt.text, "cn_landline"))
		})
	}
}

package classifiers

// Conformance of the mainland mobile check with Google libphonenumber's
// metadata (the derived prefix list and the official example numbers).

import (
	"fmt"
	"strings"
	"testing"
)

func TestConformanceCNMobile(t *testing.T) {
	t.Parallel()
	for _, src := range mobileSources() {
		t.Run(src.name, func(t *testing.T) {
			t.Parallel()
			runConformance(t, src)
		})
	}
}

// mobileTails complete a number after its first six digits: every prefix
// test below enumerates the digits up to the sixth (the longest listed
// prefix has five) and then tries each tail.
var mobileTails = []string{"00000", "99999", "27183", "31415"}

// mobilePrefixVerdict checks every 11-digit number starting with prefix p
// (exhaustive to six digits, then the tails): "mobile" if all pass cnMobile,
// "not mobile" if none does, else how many do.
func mobilePrefixVerdict(_ testing.TB, p string) string {
	width := 6 - len(p)
	end := 1
	for range width {
		end *= 10
	}
	pass, n := 0, 0
	for i := range end {
		head := p
		if width > 0 {
			head = fmt.Sprintf("%s%0*d", p, width, i)
		}
		for _, tail := range mobileTails {
			n++
			if cnMobile([]byte(head + tail)) {
				pass++
			}
		}
	}
	switch pass {
	case n:
		return "mobile"
	case 0:
		return "not mobile"
	}
	return fmt.Sprintf("mixed (%d of %d numbers pass)", pass, n)
}

// uncoveredPrefixes returns the shortest prefixes of 1xx... numbers that no
// listed prefix covers: whole 3-digit blocks (140, 154, ...) and, inside a
// partly listed block, the rest of it (1611-1619, 17406-17409, ...).
func uncoveredPrefixes(listed []string) []string {
	covered := func(p string) bool { // every number starting with p is listed
		for _, l := range listed {
			if strings.HasPrefix(p, l) {
				return true
			}
		}
		return false
	}
	touched := func(p string) bool { // some number starting with p is listed
		for _, l := range listed {
			if strings.HasPrefix(p, l) || strings.HasPrefix(l, p) {
				return true
			}
		}
		return false
	}
	var out []string
	var walk func(p string)
	walk = func(p string) {
		switch {
		case covered(p):
		case !touched(p):
			out = append(out, p)
		default:
			for d := '0'; d <= '9'; d++ {
				walk(p + string(d))
			}
		}
	}
	for b := 100; b <= 199; b++ {
		walk(fmt.Sprint(b))
	}
	return out
}

type phoneExample struct {
	Region   string `json:"region"`
	Type     string `json:"number_type"`
	National string `json:"example_national"`
	E164     string `json:"example_e164"`
}

func mobileSources() []confSource {
	return []confSource{
		{
			// Listed prefixes must be mobile; every 1xx prefix they leave out
			// must not be (140-144, 146, 148, 149, 154, 160, 163, 164, 168,
			// 169, 174[1-9], 179, 194 and 10x-12x).
			name: "libphonenumber cn_mobile_prefixes",
			vectors: func(t testing.TB) []confVector {
				listed := readLines(t, "libphonenumber/cn_mobile_prefixes.txt")
				var vs []confVector
				for _, p := range listed {
					vs = append(vs, confVector{name: "listed_" + p, input: p, want: "mobile"})
				}
				for _, p := range uncoveredPrefixes(listed) {
					vs = append(vs, confVector{name: "unlisted_" + p, input: p, want: "not mobile"})
				}
				return vs
			},
			verdict: mobilePrefixVerdict,
		},
		{
			// Every example number of CN, HK, MO and TW, national and E.164:
			// cn_mobile must find the CN mobile example and nothing else.
			name: "libphonenumber example_numbers",
			vectors: func(t testing.TB) []confVector {
				var vs []confVector
				for _, e := range readJSONL[phoneExample](t, "libphonenumber/example_numbers.jsonl") {
					want := "none"
					if e.Region == "CN" && e.Type == "mobile" {
						want = "cn_mobile"
					}
					for _, form := range []struct{ name, v string }{{"national", e.National}, {"e164", e.E164}} {
						vs = append(vs, confVector{name: fmt.Sprintf("%s_%s_%s_%s", e.Region, e.Type, form.name, form.v), input: form.v, want: want})
					}
				}
				return dedupVectors(vs)
			},
			verdict: func(t testing.TB, v string) string {
				switch detectSpans(t, v, "cn_mobile") {
				case "none":
					return "none"
				case renderSpans([]confSpan{{0, len(v)}}):
					return "cn_mobile"
				default:
					return "cn_mobile (part): " + detectSpans(t, v, "cn_mobile")
				}
			},
		},
	}
}

// mobileDisagreements: none. (The 1740[0-5] segment check was fixed after
// this test found it looked one digit too far right.)
var mobileDisagreements = []confDisagreement{}

package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// gen draws synthetic values from one file's random source.
type gen struct {
	r     *rand.Rand
	asOf  time.Time
	clock time.Time // log clock, see logTime
}

func newGen(c *config, path string) *gen {
	return &gen{r: rngFor(c.seed, path), asOf: c.asOf}
}

// pick returns a random element.
func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// chance is true with probability 1/n.
func (g *gen) chance(n int) bool { return g.r.IntN(n) == 0 }

// digits returns n random decimal digits.
func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// regions are real county-level codes (GB/T 2260) of many provinces. Gansu
// (62) is left out on purpose: an 18-digit number starting with 62 is also
// shaped like a UnionPay card.
var regions = []string{
	"110101", "110105", "110108", "120101", "130102", "140105", "150102", "210102",
	"220102", "230102", "310101", "310104", "310115", "320102", "320505", "330102",
	"330106", "340102", "350102", "360102", "360426", "370102", "410105", "420106",
	"430102", "440104", "440305", "450103", "460106", "500103", "510107", "520102",
	"530102", "540102", "610113", "630102", "640104", "650102",
}

// person is one synthetic data subject.
type person struct {
	zh          string // Chinese name
	sur, given  string // pinyin
	birth       time.Time
	minor, male bool
}

// between returns a random day in [lo, hi].
func (g *gen) between(lo, hi time.Time) time.Time {
	days := int(hi.Sub(lo).Hours() / 24)
	if days <= 0 {
		return lo
	}
	return lo.AddDate(0, 0, g.r.IntN(days+1))
}

// adultBirth is a birth date between 1930 and 18 years before AsOf.
func (g *gen) adultBirth() time.Time {
	return g.between(time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC), g.asOf.AddDate(-18, 0, 0))
}

// minorBirth is a birth date that makes the holder under 14 on AsOf, avoiding
// 29 February (its 14th birthday depends on a leap-year convention).
func (g *gen) minorBirth() time.Time {
	for {
		b := g.between(g.asOf.AddDate(-14, 0, 1), g.asOf.AddDate(0, 0, -30))
		if !(b.Month() == time.February && b.Day() == 29) {
			return b
		}
	}
}

// newPerson makes a subject; minor selects a birth date under 14.
func (g *gen) newPerson(minor bool) person {
	s := pick(g, surnames)
	gv := pick(g, givenNames)
	p := person{zh: s[0] + gv[0], sur: s[1], given: gv[1], male: g.chance(2)}
	if minor {
		p.birth = g.minorBirth()
	} else {
		p.birth = g.adultBirth()
	}
	p.minor = isMinor(p.birth, g.asOf)
	return p
}

// residentID returns the canonical ID of p. wantX forces the check
// character X. IDs that also pass Luhn are redrawn, so that no labelled ID
// is at the same time a card-shaped number.
func (g *gen) residentID(p person, wantX bool) string {
	region := pick(g, regions)
	date := p.birth.Format("20060102")
	for {
		seq := g.r.IntN(1000)
		if (seq%2 == 1) != p.male {
			seq ^= 1
		}
		body := region + date + pad3(seq)
		c := gbCheck(body)
		if wantX && c != 'X' {
			continue
		}
		id := body + string(c)
		if c != 'X' && luhnValid(id) {
			continue
		}
		return id
	}
}

// idVal writes a resident ID in a style: 0 solid, 1 "6 8 4" groups, 2
// lower-case (an x check character written x). wantX forces the check
// character X; otherwise about one ID in eleven has it anyway.
func (g *gen) idVal(p person, style int, wantX bool) val {
	id := g.residentID(p, wantX)
	w := id
	switch style {
	case 1:
		for w = id[:6] + " " + id[6:14] + " " + id[14:]; !groupsSafe(w, id, g.asOf); {
			id = g.residentID(p, wantX)
			w = id[:6] + " " + id[6:14] + " " + id[14:]
		}
	case 2:
		w = strings.ToLower(id)
	}
	return val{typ: TypeResidentID, canon: id, written: w, minor: p.minor}
}

// mobileSegments are the mobile prefixes drawn from (3 digits each).
var mobileSegments = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "162", "165", "166",
	"167", "170", "171", "172", "173", "175", "176", "177", "178", "180", "181", "182",
	"183", "184", "185", "186", "187", "188", "189", "190", "191", "192", "193", "195",
	"196", "197", "198", "199",
}

// mobileVal returns a mobile number written in one of six styles:
// 0 plain, 1 "+86 138 1234 5678", 2 "+8613812345678",
// 3 "0086-138-1234-5678", 4 "138-1234-5678", 5 "138 1234 5678".
func (g *gen) mobileVal(style int) val {
	for {
		v := g.mobileTry(style)
		if groupsSafe(v.written, v.canon, g.asOf) {
			return v
		}
	}
}

func (g *gen) mobileTry(style int) val {
	m := pick(g, mobileSegments) + g.digits(8)
	a, b, c := m[:3], m[3:7], m[7:]
	w := m
	switch style {
	case 1:
		w = "+86 " + a + " " + b + " " + c
	case 2:
		w = "+86" + m
	case 3:
		w = "0086-" + a + "-" + b + "-" + c
	case 4:
		w = a + "-" + b + "-" + c
	case 5:
		w = a + " " + b + " " + c
	}
	return val{typ: TypeMobile, canon: m, written: w}
}

// anyMobile picks a style with plain numbers most common.
func (g *gen) anyMobile() val {
	if g.chance(2) {
		return g.mobileVal(0)
	}
	return g.mobileVal(g.r.IntN(6))
}

var freeMail = []string{"qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "sina.com", "foxmail.com", "yeah.net"}

var companyMail = []string{"lanting-tech.cn", "qingshan.com.cn", "beifang-logistics.com", "yunhai.net",
	"minzhu-foundation.org", "hengtai.com.cn", "huaxia-edu.cn", "mail.xinghe.com"}

// emailVal returns an address built from a person's pinyin name. Some are
// written with capitals; the canonical form is lower-case.
func (g *gen) emailVal(p person) val {
	dom := pick(g, freeMail)
	if g.chance(3) {
		dom = pick(g, companyMail)
	}
	var local string
	switch g.r.IntN(6) {
	case 0:
		local = p.given + "." + p.sur
	case 1:
		local = p.sur + "." + p.given + strconv.Itoa(10+g.r.IntN(90))
	case 2:
		local = p.sur + "_" + p.given
	case 3:
		local = p.given + p.sur + strconv.Itoa(1960+g.r.IntN(50))
	case 4:
		local = p.sur + "." + p.given + "+" + pick(g, []string{"shop", "news", "work", "bill"})
	default:
		// QQ mail uses the account number: 6 to 10 digits, never mobile-sized.
		local, dom = strconv.Itoa(100000+g.r.IntN(900000))+g.digits(g.r.IntN(5)), "qq.com"
	}
	canon := local + "@" + dom
	w := canon
	if g.chance(5) {
		w = strings.ToUpper(local[:1]) + local[1:] + "@" + strings.ToUpper(dom[:1]) + dom[1:]
	}
	return val{typ: TypeEmail, canon: canon, written: w, minor: p.minor}
}

// ipVal returns a public or private address, never 0.x, loopback,
// multicast or broadcast.
func (g *gen) ipVal() val {
	var a, b int
	switch g.r.IntN(4) {
	case 0:
		a, b = 10, g.r.IntN(256)
	case 1:
		a, b = 192, 168
	case 2:
		a, b = 172, 16+g.r.IntN(16)
	default:
		a = pick(g, []int{36, 39, 42, 58, 59, 61, 101, 103, 106, 110, 112, 114, 116, 119, 120, 121, 122, 123, 124, 125, 171, 180, 182, 183, 202, 210, 211, 218, 220, 221, 222})
		b = g.r.IntN(256)
	}
	ip := strconv.Itoa(a) + "." + strconv.Itoa(b) + "." + strconv.Itoa(g.r.IntN(256)) + "." + strconv.Itoa(1+g.r.IntN(254))
	return val{typ: TypeIPv4, canon: ip, written: ip}
}

// cardPrefixes are IIN prefixes with the card lengths they are drawn with.
var cardPrefixes = []struct {
	prefix string
	length int
}{
	{"622202", 19}, {"621700", 19}, {"622848", 19}, {"621226", 19}, {"623668", 19},
	{"622588", 16}, {"625036", 16}, {"622155", 16}, {"628288", 16},
	{"4", 16}, {"438088", 16}, {"51", 16}, {"53", 16}, {"55", 16},
	{"34", 15}, {"37", 15}, {"3528", 16}, {"3566", 16},
}

// cardVal returns a Luhn-valid card number written solid (half of the
// time), in groups of four separated by spaces or dashes, or 4-6-5 for Amex.
func (g *gen) cardVal() val {
	p := pick(g, cardPrefixes)
	body := p.prefix + g.digits(p.length-len(p.prefix)-1)
	num := body + string(luhnDigit(body))
	w := num
	if !g.chance(2) {
		sep := pick(g, []string{" ", " ", "-"})
		if len(num) == 15 {
			w = num[:4] + sep + num[4:10] + sep + num[10:]
		} else {
			w = group4(num, sep)
		}
		if !groupsSafe(w, num, g.asOf) {
			w = num
		}
	}
	return val{typ: TypeBankCard, canon: num, written: w}
}

// group4 splits s into groups of four joined by sep.
func group4(s, sep string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 3-len(s)) + s
}

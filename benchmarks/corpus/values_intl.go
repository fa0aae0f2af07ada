package corpus

import (
	"strconv"
	"strings"
)

// ibanFormats describe how to draw a BBAN per country: 'n' is a digit, 'a'
// an upper-case letter, 'c' a digit or letter. National check digits are
// filled in afterwards for BE, ES, FR and IT.
var ibanFormats = []struct{ country, bban string }{
	{"DE", "nnnnnnnnnnnnnnnnnn"},
	{"GB", "aaaannnnnnnnnnnnnn"},
	{"FR", "nnnnnnnnnnnnnnnnnnnnnnn"},
	{"ES", "nnnnnnnnnnnnnnnnnnnn"},
	{"IT", "annnnnnnnnnnnnnnnnnnnnn"},
	{"NL", "aaaannnnnnnnnn"},
	{"CH", "nnnnnnnnnnnnnnnnn"},
	{"BE", "nnnnnnnnnnnn"},
	{"AT", "nnnnnnnnnnnnnnnn"},
	{"PL", "nnnnnnnnnnnnnnnnnnnnnnnn"},
}

// ibanCompact draws a valid compact IBAN.
func (g *gen) ibanCompact() string {
	f := pick(g, ibanFormats)
	b := []byte(f.bban)
	for i, k := range b {
		switch k {
		case 'n':
			b[i] = byte('0' + g.r.IntN(10))
		case 'a':
			b[i] = byte('A' + g.r.IntN(26))
		}
	}
	bban := string(b)
	switch f.country {
	case "BE":
		bban = bban[:10] + beCheck(bban[:10])
	case "ES":
		bban = bban[:8] + esControl(bban[:8], bban[10:]) + bban[10:]
	case "FR":
		bban = bban[:21] + ribKey(bban[:21])
	case "IT":
		bban = string(itCIN(bban[1:])) + bban[1:]
	}
	return f.country + ibanCheckDigits(f.country, bban) + bban
}

// ibanVal writes an IBAN solid or in groups of four separated by spaces.
func (g *gen) ibanVal() val {
	iban := g.ibanCompact()
	w := iban
	if grouped := group4(iban, " "); g.chance(2) && groupsSafe(grouped, "", g.asOf) {
		w = grouped
	}
	return val{typ: TypeIBAN, canon: iban, written: w}
}

// hkPrefixes are the one- and two-letter HKID prefixes drawn from.
var hkPrefixes = []string{"A", "C", "D", "E", "G", "H", "K", "M", "P", "R", "V", "Y", "Z", "WX", "XA", "XB", "XC"}

// hkVal returns an HKID written "A123456(3)" or "A1234563".
func (g *gen) hkVal() val {
	body := pick(g, hkPrefixes) + g.digits(6)
	c := string(hkCheck(body))
	w := body + c
	if !g.chance(3) {
		w = body + "(" + c + ")"
	}
	return val{typ: TypeHKID, canon: body + c, written: w}
}

// twVal returns a Taiwan national ID.
func (g *gen) twVal() val {
	body := string(rune('A'+g.r.IntN(26))) + strconv.Itoa(1+g.r.IntN(2)) + g.digits(7)
	sum, _ := twSum(body + "0")
	id := body + strconv.Itoa((10-sum%10)%10)
	return val{typ: TypeTWID, canon: id, written: id}
}

// passportVal returns E or G followed by 8 digits. Callers must write a
// passport keyword right before it or put it in a passport column.
func (g *gen) passportVal() val {
	p := pick(g, []string{"E", "G"}) + g.digits(8)
	return val{typ: TypePassport, canon: p, written: p}
}

// cities anchor coordinates (latitude, longitude in microdegrees).
var cities = [][2]int{
	{39904200, 116407400}, {31230416, 121473701}, {23129110, 113264385}, {22543096, 114057865},
	{30274085, 120155070}, {30572815, 104066801}, {34341568, 108939774}, {29563010, 106551557},
	{32060255, 118796877}, {38042307, 114514860}, {45803775, 126534967}, {22319304, 114169361},
	{25033964, 121564468}, {-33868820, 151209296}, {51507351, -1127758}, {40712776, -74005974},
	{-23550520, -46633309}, {35689487, 139691706}, {48856614, 2352222}, {1352083, 103819836},
}

// point is a coordinate in microdegrees.
type point struct{ lat, lng int }

// newPoint jitters a city anchor by up to about 5 km. With four decimals
// the point is rounded to 100 microdegrees, so it can be written exactly.
func (g *gen) newPoint(four bool) point { return g.jitter(pick(g, cities), four) }

// cnPoint is a point near a city of mainland China, Hong Kong or Taiwan.
func (g *gen) cnPoint(four bool) point { return g.jitter(pick(g, cities[:cnCities]), four) }

// cnCities is the number of leading cities that are in China.
const cnCities = 13

func (g *gen) jitter(c [2]int, four bool) point {
	p := point{c[0] + g.r.IntN(100001) - 50000, c[1] + g.r.IntN(100001) - 50000}
	if four {
		p.lat -= p.lat % 100
		p.lng -= p.lng % 100
	}
	return p
}

// micro formats microdegrees with the given number of decimals (4 or 6).
func micro(v, decimals int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	frac := strconv.Itoa(1000000 + v%1000000)[1:]
	return sign + strconv.Itoa(v/1000000) + "." + frac[:decimals]
}

// canon is the canonical "lat,lng" with 6 decimals each.
func (p point) canon() string { return micro(p.lat, 6) + "," + micro(p.lng, 6) }

// gpsPhrase writes a coordinate pair as text in one of four styles and
// returns the text before the value, the value and the text after it:
// 0 "39.904200,116.407400", 1 "(31.2304, 121.4737)",
// 2 "lat: 31.230416, lng: 121.473701", 3 "纬度：31.2304，经度：121.4737".
func (g *gen) gpsPhrase(style int) (pre string, v val, post string) {
	p := g.newPoint(style == 1 || style == 3)
	d := 6
	if style == 1 || style == 3 {
		d = 4
	}
	la, ln := micro(p.lat, d), micro(p.lng, d)
	v = val{typ: TypeGPS, canon: p.canon()}
	switch style {
	case 0:
		v.written = la + "," + ln
	case 1:
		pre, v.written, post = "(", la+", "+ln, ")"
	case 2:
		pre, v.written = "lat: ", la+", lng: "+ln
	default:
		pre, v.written = "纬度：", la+"，经度："+ln
	}
	return pre, v, post
}

// gpsText appends a coordinate pair phrase to d.
func (g *gen) gpsText(d *doc, style int) {
	pre, v, post := g.gpsPhrase(style)
	d.s(pre).v(v).s(post)
}

// surnames and givenNames hold common Chinese names with their pinyin; any
// combination is synthetic.
var surnames = [][2]string{
	{"张", "zhang"}, {"王", "wang"}, {"李", "li"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"},
	{"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"},
	{"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"林", "lin"},
	{"罗", "luo"}, {"高", "gao"}, {"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"},
	{"唐", "tang"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"}, {"彭", "peng"},
}

var givenNames = [][2]string{
	{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"},
	{"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"},
	{"杰", "jie"}, {"娟", "juan"}, {"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"秀英", "xiuying"},
	{"霞", "xia"}, {"平", "ping"}, {"刚", "gang"}, {"建华", "jianhua"}, {"文", "wen"}, {"欣怡", "xinyi"},
	{"子轩", "zixuan"}, {"浩然", "haoran"}, {"思远", "siyuan"}, {"雨涵", "yuhan"}, {"晓东", "xiaodong"},
	{"海燕", "haiyan"},
}

// enName is the pinyin name in Western order ("Wei Zhang").
func (p person) enName() string {
	return strings.ToUpper(p.given[:1]) + p.given[1:] + " " + strings.ToUpper(p.sur[:1]) + p.sur[1:]
}

package corpus

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
)

// Values of the data types added with issue 3: organization codes, plates,
// landlines and foreign phones, network identifiers, travel permits,
// addresses, names, biometric data and the PIPL category values.

// usccKinds are the authority and type pairs drawn, weighted like a
// company register: mostly enterprises (91), some individual businesses
// (92), cooperatives (93), public institutions (11, 12), social
// organizations (51-53) and others (Y1).
var usccKinds = []string{"91", "91", "91", "91", "91", "91", "92", "93", "11", "12", "51", "52", "53", "Y1"}

// usccVal returns a valid unified social credit code: authority and type,
// the region code of the registering county, an organization code (the
// "MA" codes issued since 2015 or an older all-digit one) with its GB 11714
// check character, and the GB 32100 check character.
func (g *gen) usccVal() val {
	kind := pick(g, usccKinds)
	body := g.digits(8)
	if g.chance(2) {
		body = "MA" + g.fromAlphabet(usccChars, 6)
	}
	first := kind + pick(g, regions) + body + string(orgCheckChar(body))
	code := first + string(usccCheckChar(first))
	return val{typ: TypeUSCC, canon: code, written: code}
}

// fromAlphabet draws n characters of an alphabet.
func (g *gen) fromAlphabet(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// plateProvinces lists the province characters as strings, for pick.
var plateProvinces = func() []string {
	var out []string
	for _, r := range plateProvinceChars {
		out = append(out, string(r))
	}
	return out
}()

// plateLetters are the city letters (no I, no O).
const plateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ"

// plateVal returns a licence plate written in a style: 0 solid ("京A12345"),
// 1 with a middle dot ("粤B·D12345"), 2 with a space ("沪C 88888"). About
// one in three is a new-energy plate (six serial characters).
func (g *gen) plateVal(style int) val {
	prov := pick(g, plateProvinces)
	letter := string(plateLetters[g.r.IntN(len(plateLetters))])
	var serial string
	switch g.r.IntN(6) {
	case 0:
		serial = string("DF"[g.r.IntN(2)]) + g.digits(5)
	case 1:
		serial = g.digits(5) + string("DF"[g.r.IntN(2)])
	default:
		b := []byte(g.digits(5))
		for k := g.r.IntN(3); k > 0; k-- {
			b[g.r.IntN(4)] = plateLetters[g.r.IntN(len(plateLetters))]
		}
		serial = string(b)
	}
	canon := prov + letter + serial
	w := canon
	switch style {
	case 1:
		w = prov + letter + "·" + serial
	case 2:
		w = prov + letter + " " + serial
	}
	return val{typ: TypePlate, canon: canon, written: w}
}

// areaCodes are real area codes (without the trunk 0) with the length of
// their subscriber numbers.
var areaCodes = []struct {
	code string
	sub  int
}{
	{"10", 8}, {"20", 8}, {"21", 8}, {"22", 8}, {"23", 8}, {"24", 8}, {"25", 8}, {"27", 8}, {"28", 8},
	{"29", 8}, {"755", 8}, {"571", 8}, {"512", 8}, {"532", 8}, {"731", 8}, {"371", 8}, {"591", 8},
	{"871", 8}, {"898", 8}, {"311", 8}, {"391", 7}, {"833", 7}, {"912", 7}, {"951", 7},
}

// landlineVal returns a fixed-line number written in a style:
// 0 "010-62345678", 1 "(0755)87654321", 2 "(0755) 8765 4321",
// 3 "+86 21 6123 4567", 4 solid "02088889999" (only next to a landline
// keyword or in a phone column).
func (g *gen) landlineVal(style int) val {
	for {
		if v := g.landlineTry(style); groupsSafe(v.written, v.canon, g.asOf) {
			return v
		}
	}
}

func (g *gen) landlineTry(style int) val {
	a := pick(g, areaCodes)
	sub := strconv.Itoa(2+g.r.IntN(7)) + g.digits(a.sub-1)
	canon := "0" + a.code + sub
	split := sub[:a.sub-4] + " " + sub[a.sub-4:]
	w := canon
	switch style {
	case 0:
		w = "0" + a.code + "-" + sub
	case 1:
		w = "(0" + a.code + ")" + sub
	case 2:
		w = "(0" + a.code + ") " + split
	case 3:
		w = "+86 " + a.code + " " + split
	}
	return val{typ: TypeLandline, canon: canon, written: w}
}

// intlPhoneVal returns a phone number outside the mainland in one of the
// written forms of intlPatterns; the canonical form is E.164.
func (g *gen) intlPhoneVal() val {
	for {
		if v := g.intlPhoneTry(); groupsSafe(v.written, "", g.asOf) {
			return v
		}
	}
}

func (g *gen) intlPhoneTry() val {
	p := pick(g, intlPatterns)
	var w, canon strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '#' {
			c = byte('0' + g.r.IntN(10))
		}
		w.WriteByte(c)
		if c == '+' || isDigitByte(c) {
			canon.WriteByte(c)
		}
	}
	return val{typ: TypePhone, canon: canon.String(), written: w.String()}
}

// ipv6Val returns an IPv6 address of a Chinese carrier (China Mobile,
// China Telecom, China Unicom) or link-local prefix (never the
// documentation prefix 2001:db8::/32, which names no host), written in a
// style: 0 RFC 5952 (the canonical form), 1 full with leading zeros, 2
// compressed in capitals, 3 full without leading zeros. Every written form
// has a group of four hex digits (the first), which tells an address from
// a time such as 12:34:56.
func (g *gen) ipv6Val(style int) val {
	var a [8]uint16
	rnd := func() uint16 { return uint16(g.r.IntN(1 << 16)) }
	switch g.r.IntN(4) {
	case 0:
		a = [8]uint16{0x2409, uint16(0x8a00 + g.r.IntN(0x100)), rnd(), rnd(), 0, 0, rnd(), rnd()}
	case 1:
		a = [8]uint16{0x240e, uint16(0x300 + g.r.IntN(0x100)), rnd(), rnd(), rnd(), rnd(), rnd(), rnd()}
	case 2:
		a = [8]uint16{0x2408, uint16(0x8000 + g.r.IntN(0x1000)), rnd(), rnd(), 0, 0, 0, rnd()}
	default:
		a = [8]uint16{0xfe80, 0, 0, 0, rnd(), rnd() | 0xff, 0xfe00 | uint16(g.r.IntN(0x100)), rnd()}
	}
	if a[7] == 0 {
		a[7] = 1
	}
	canon := ipv6Text(a)
	w := canon
	switch style {
	case 1, 3:
		parts := make([]string, 8)
		for i, x := range a {
			parts[i] = strconv.FormatUint(uint64(x), 16)
			if style == 1 {
				parts[i] = strings.Repeat("0", 4-len(parts[i])) + parts[i]
			}
		}
		w = strings.Join(parts, ":")
	case 2:
		w = strings.ToUpper(canon)
	}
	return val{typ: TypeIPv6, canon: canon, written: w}
}

// ouis are vendor prefixes of MAC addresses (Apple, Raspberry Pi, Huawei,
// Xiaomi, TP-Link, Intel, ...).
var ouis = []string{"3c:22:fb", "b8:27:eb", "d8:c7:71", "28:6c:07", "50:c7:bf", "a4:5e:60", "f0:18:98",
	"9c:b6:d0", "ac:de:48", "00:1a:11", "e4:5f:01", "70:85:c2"}

// macVal returns a MAC address written in a style: 0 lower case with
// colons, 1 capitals with colons, 2 capitals with dashes, 3 lower case with
// dashes, 4 the dotted form ("3c22.fb12.ab09").
func (g *gen) macVal(style int) val {
	canon := pick(g, ouis) + ":" + g.hex(2) + ":" + g.hex(2) + ":" + g.hex(2)
	w := canon
	switch style {
	case 1:
		w = strings.ToUpper(canon)
	case 2:
		w = strings.ToUpper(strings.ReplaceAll(canon, ":", "-"))
	case 3:
		w = strings.ReplaceAll(canon, ":", "-")
	case 4:
		h := strings.ReplaceAll(canon, ":", "")
		w = h[:4] + "." + h[4:8] + "." + h[8:]
	}
	return val{typ: TypeMAC, canon: canon, written: w}
}

// imeiVal returns an IMEI (an 8-digit type allocation code, a 6-digit
// serial and the Luhn digit) written in a style: 0 solid, 1 "86-234567-
// 890123-4", 2 "86234567-890123-4". Allocation codes start with 86 or
// 350/351: never a card prefix (34 and 37 are American Express, 3528-3589
// JCB, 4 Visa), so an IMEI is never also card-shaped.
func (g *gen) imeiVal(style int) val {
	for {
		if v := g.imeiTry(style); groupsSafe(v.written, v.canon, g.asOf) {
			return v
		}
	}
}

func (g *gen) imeiTry(style int) val {
	tac := pick(g, []string{"86", "86", "350", "351"})
	body := tac + g.digits(14-len(tac))
	imei := body + string(luhnDigit(body))
	w := imei
	switch style {
	case 1:
		w = imei[:2] + "-" + imei[2:8] + "-" + imei[8:14] + "-" + imei[14:]
	case 2:
		w = imei[:8] + "-" + imei[8:14] + "-" + imei[14:]
	}
	return val{typ: TypeIMEI, canon: imei, written: w}
}

// hkMacauPermitVal returns an exit-entry permit for Hong Kong and Macao (C,
// or W for the older booklets) or a Home Return Permit (H for Hong Kong, M
// for Macao residents) number. It needs a permit keyword or column.
func (g *gen) hkMacauPermitVal(letters string) val {
	p := string(letters[g.r.IntN(len(letters))]) + g.digits(8)
	return val{typ: TypeHKMacauPermit, canon: p, written: p}
}

// twPermitVal returns a mainland-Taiwan travel permit number (T or L and
// eight digits). It needs a permit keyword or column.
func (g *gen) twPermitVal() val {
	p := string("TL"[g.r.IntN(2)]) + g.digits(8)
	return val{typ: TypeTWPermit, canon: p, written: p}
}

// addrPlaces are cities with their province prefix (empty for the
// municipalities, whose name is a province-level name), districts and
// roads. No road or district contains a province name.
var addrPlaces = []struct {
	prov, city string
	districts  []string
	roads      []string
}{
	{"", "北京市", []string{"朝阳区", "海淀区", "东城区", "西城区", "丰台区"}, []string{"建国路", "中关村大街", "学院路", "望京街", "安定门外大街"}},
	{"", "上海市", []string{"浦东新区", "徐汇区", "静安区", "黄浦区"}, []string{"世纪大道", "漕溪北路", "南京西路", "淮海中路"}},
	{"", "天津市", []string{"和平区", "南开区"}, []string{"南京路", "卫津路"}},
	{"", "重庆市", []string{"渝中区", "江北区"}, []string{"解放碑步行街", "建新北路"}},
	{"广东省", "深圳市", []string{"南山区", "福田区", "宝安区"}, []string{"科技南路", "深南大道", "宝安大道"}},
	{"广东省", "广州市", []string{"天河区", "越秀区", "海珠区"}, []string{"天河路", "中山五路", "江南大道中"}},
	{"浙江省", "杭州市", []string{"西湖区", "滨江区", "余杭区"}, []string{"文三路", "江南大道", "文一西路"}},
	{"四川省", "成都市", []string{"武侯区", "锦江区", "青羊区"}, []string{"人民南路四段", "春熙路", "天府大道北段"}},
	{"江苏省", "南京市", []string{"鼓楼区", "玄武区"}, []string{"中山路", "珠江路"}},
	{"湖北省", "武汉市", []string{"武昌区", "洪山区"}, []string{"中北路", "珞喻路"}},
	{"陕西省", "西安市", []string{"雁塔区", "碑林区"}, []string{"长安南路", "南大街"}},
	{"福建省", "厦门市", []string{"思明区", "湖里区"}, []string{"鹭江道", "嘉禾路"}},
}

// addressText returns a postal address: province (for provinces), city,
// district, road and number, often with a building and room ("2栋301室",
// "5幢2单元602室", "B座1203室"). withBlock adds the "3号楼" form, whose
// number and building both end in 号.
func (g *gen) addressText(withBlock bool) string {
	pl := pick(g, addrPlaces)
	var b strings.Builder
	b.WriteString(pl.prov + pl.city + pick(g, pl.districts) + pick(g, pl.roads))
	b.WriteString(strconv.Itoa(1+g.r.IntN(399)) + "号")
	if withBlock {
		b.WriteString(strconv.Itoa(1+g.r.IntN(12)) + "号楼" + strconv.Itoa(1+g.r.IntN(30)) + "0" + strconv.Itoa(1+g.r.IntN(4)) + "室")
		return b.String()
	}
	switch g.r.IntN(4) {
	case 1:
		b.WriteString(strconv.Itoa(1+g.r.IntN(9)) + "栋" + strconv.Itoa(1+g.r.IntN(30)) + "0" + strconv.Itoa(1+g.r.IntN(4)) + "室")
	case 2:
		b.WriteString(strconv.Itoa(1+g.r.IntN(12)) + "幢" + strconv.Itoa(1+g.r.IntN(4)) + "单元" + strconv.Itoa(1+g.r.IntN(30)) + "0" + strconv.Itoa(1+g.r.IntN(4)) + "室")
	case 3:
		b.WriteString(string("ABCD"[g.r.IntN(4)]) + "座" + strconv.Itoa(1+g.r.IntN(30)) + "0" + strconv.Itoa(1+g.r.IntN(9)) + "室")
	}
	return b.String()
}

// addrVal is an address as a labelled value.
func (g *gen) addrVal() val {
	a := g.addressText(false)
	return val{typ: TypeAddress, canon: a, written: a}
}

// nameVal labels a person's name as written in a name column.
func nameVal(name string) val { return val{typ: TypeName, canon: name, written: name} }

// westernFirst and westernLast are common English given and family names.
var (
	westernFirst = []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
		"Elizabeth", "William", "Susan", "Sarah", "Thomas", "Emily", "Daniel", "Olivia", "Oliver", "Charlotte",
		"Liam", "Sophie", "Noah", "Hannah", "Lucas", "Chloe"}
	westernLast = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
		"Anderson", "Taylor", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis", "O'Brien",
		"Walker", "Hall", "Young", "Wright", "Scott", "Smith-Jones"}
)

// westernName returns "Given Family", sometimes with a middle initial
// word ("Mary Ann Smith").
func (g *gen) westernName() string {
	n := pick(g, westernFirst) + " " + pick(g, westernLast)
	if g.chance(8) {
		n = pick(g, westernFirst) + " " + n
	}
	return n
}

// vector is an embedding: float32 values written with six decimals.
type vector struct {
	text []string // each number as written
	f    []float32
}

// embedding draws a dims-dimensional vector with values in (-0.25, 0.25),
// the range of a normalised face or speaker embedding. Every pair of
// neighbours is then near (0, 0), which no scanner may take for a
// latitude/longitude pair.
func (g *gen) embedding(dims int) vector {
	v := vector{text: make([]string, dims), f: make([]float32, dims)}
	for i := range dims {
		k := g.r.IntN(499999) - 249999
		s := micro(k, 6)
		v.text[i] = s
		f, _ := strconv.ParseFloat(s, 32)
		v.f[i] = float32(f)
	}
	return v
}

// bytes returns the vector's canonical value: its numbers as little-endian
// float32s.
func (v vector) bytes() []byte {
	out := make([]byte, 0, 4*len(v.f))
	for _, f := range v.f {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(f))
	}
	return out
}

// binVal labels a binary canonical value (hex-encoded in the label).
func binVal(typ string, canon []byte, written string) val {
	return val{typ: typ, canon: hex.EncodeToString(canon), written: written}
}

// b64Safe reports whether base64 text holds no run of seven or more
// digits. Shorter runs, even after a '+' or between slashes, are no value
// of any type (the shortest digit values are HKIDs with seven digits, and
// numbers after a '+' need seven digits); a letter next to a digit run
// makes it part of a token, which is no value unless the whole token is.
func b64Safe(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			if run++; run >= 7 {
				return false
			}
		} else {
			run = 0
		}
	}
	return true
}

// maxEmbeddingDraws bounds the vectors safeEmbedding draws before it
// repairs the last one; almost every draw is safe at once (about 98% of
// 512-dimension vectors), so the bound only matters for a seed that is
// unlucky many times in a row, and no seed's files change below it.
const maxEmbeddingDraws = 64

// safeEmbedding draws vectors until their base64 form is b64Safe. After
// maxEmbeddingDraws unsafe draws it repairs the last vector instead, so it
// returns for every seed: an unbounded redraw loop is only probably
// finite, and the generator must never hang.
func (g *gen) safeEmbedding(dims int) (vector, string) {
	v := g.embedding(dims)
	for range maxEmbeddingDraws - 1 {
		if s := base64.StdEncoding.EncodeToString(v.bytes()); b64Safe(s) {
			return v, s
		}
		v = g.embedding(dims)
	}
	return repairEmbedding(v)
}

// repairEmbedding makes a vector's base64 form b64Safe by zeroing the
// value under the seventh digit of each digit run, first run first. It
// terminates: a base64 digit (52-61) has its two high bits set, and the
// high bits of that seventh character lie in the zeroed float (6c is
// even, so bits 6c and 6c+1 never straddle a 32-bit boundary), which
// makes it an 'A'-'P'. Characters before the zeroed float are unchanged,
// and the one that straddles it can only end a run of at most six. So
// every repair moves the first run past the zeroed float, and at most
// len(v.f) repairs are made. A zero is a legal embedding value (written
// 0.000000), so the vector stays a vector.
func repairEmbedding(v vector) (vector, string) {
	for {
		s := base64.StdEncoding.EncodeToString(v.bytes())
		c := firstDigitRun(s, 7)
		if c < 0 {
			return v, s
		}
		i := 6 * c / 32 // the float holding the high bits of character c
		v.f[i], v.text[i] = 0, "0.000000"
	}
}

// firstDigitRun returns the index of the character that completes the
// first run of n digits, or -1.
func firstDigitRun(s string, n int) int {
	run := 0
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			run = 0
			continue
		}
		if run++; run >= n {
			return i
		}
	}
	return -1
}

// faceVal returns a face embedding in a written form: 0 a JSON array
// ("[0.012345,-0.123456,...]"), 1 a bracketed list with spaces, 2 a bare
// comma-separated list (quoted in CSV), 3 base64 of the float32 bytes.
func (g *gen) faceVal(typ string, dims, style int) val {
	v, b64 := g.safeEmbedding(dims)
	var w string
	switch style {
	case 0:
		w = "[" + strings.Join(v.text, ",") + "]"
	case 1:
		w = "[" + strings.Join(v.text, ", ") + "]"
	case 2:
		w = strings.Join(v.text, ",")
	default:
		w = b64
	}
	return binVal(typ, v.bytes(), w)
}

// irisVal returns a 2048-bit iris code as hex (style 0) or base64.
func (g *gen) irisVal(style int) val {
	for {
		b := []byte(g.hex(512))
		code, _ := hex.DecodeString(string(b))
		if style == 0 {
			return binVal(TypeIris, code, string(b))
		}
		if s := base64.StdEncoding.EncodeToString(code); b64Safe(s) {
			return binVal(TypeIris, code, s)
		}
	}
}

// fmrRecord builds an ISO/IEC 19794-2:2005 finger minutiae record: a
// 24-byte header ("FMR\0", " 20\0", the record length, capture device 0,
// a 500 dpi image size) and one finger view of 12-60 minutiae (type and x,
// y, angle, quality), with an empty extended data block.
func (g *gen) fmrRecord() []byte {
	n := 12 + g.r.IntN(49)
	length := 24 + 4 + 6*n + 2
	b := make([]byte, 0, length)
	b = append(b, "FMR\x00 20\x00"...)
	b = binary.BigEndian.AppendUint32(b, uint32(length))
	b = append(b, 0, 0)
	w, h := 256+g.r.IntN(100), 300+g.r.IntN(100)
	b = binary.BigEndian.AppendUint16(b, uint16(w))
	b = binary.BigEndian.AppendUint16(b, uint16(h))
	b = append(b, 0, 197, 0, 197, 1, 0) // 197 px/cm, one view
	b = append(b, byte(1+g.r.IntN(10)), 0, byte(40+g.r.IntN(61)), byte(n))
	for range n {
		typ := uint16(1 + g.r.IntN(2))
		b = binary.BigEndian.AppendUint16(b, typ<<14|uint16(g.r.IntN(w)))
		b = binary.BigEndian.AppendUint16(b, uint16(g.r.IntN(h)))
		b = append(b, byte(g.r.IntN(256)), byte(30+g.r.IntN(71)))
	}
	return append(b, 0, 0)
}

// templateVal returns a fingerprint template written as base64.
func (g *gen) templateVal() val {
	for {
		rec := g.fmrRecord()
		if s := base64.StdEncoding.EncodeToString(rec); b64Safe(s) {
			return binVal(TypeFingerprint, rec[:min(len(rec), maxTemplateBytes)], s)
		}
	}
}

// catVal labels a category value written in its own field (canonical: the
// value) or a dictionary term in prose (canonical: the term as written).
func catVal(typ, s string) val { return val{typ: typ, canon: s, written: s} }

// Category values of structured records. The first entries of each list
// mean "none" and are never labelled.
var (
	ethnicities = []string{"汉族", "汉族", "汉族", "汉族", "汉族", "回族", "满族", "壮族", "蒙古族", "藏族", "维吾尔族",
		"苗族", "彝族", "朝鲜族", "土家族"}
	politics = []string{"群众", "群众", "群众", "中共党员", "中共党员", "共青团员", "中共预备党员", "民盟",
		"九三学社", "无党派人士"}
	religionsZH = []string{"无", "无", "无", "无", "无宗教信仰", "不详", "佛教", "基督教", "伊斯兰教", "天主教",
		"道教", "藏传佛教"}
	religionsEN = []string{"none", "none", "n/a", "Prefer not to say", "Christianity", "Buddhist", "Catholic",
		"Muslim", "Hindu", "Jewish", "Protestant", "Buddhism", "Christian"}
	disabilities = []string{"无", "无", "无", "无", "健全", "视力残疾", "肢体残疾", "听力残疾", "言语残疾"}
	criminal     = []string{"无", "无", "无", "无", "无犯罪记录", "有犯罪记录", "曾受刑事处罚",
		"2015年因危险驾驶罪被判处拘役两个月"}
	diagnosesZH = []string{"正常", "2型糖尿病", "原发性高血压", "急性支气管炎", "支气管哮喘", "冠心病",
		"慢性乙型肝炎", "肺结核", "抑郁症", "腰椎间盘突出症", "急性上呼吸道感染", "过敏性鼻炎"}
	allergiesZH = []string{"无", "无", "无", "青霉素过敏", "磺胺类药物过敏", "海鲜过敏", "花粉过敏"}
	diagnosesEN = []string{"Type 2 diabetes mellitus", "Essential hypertension", "Asthma", "Major depressive disorder",
		"Chronic hepatitis B", "Migraine without aura", "Osteoarthritis of knee", "Seasonal allergic rhinitis"}
	icdEN         = []string{"E11.9", "I10", "J45.909", "F32.9", "B18.1", "G43.009", "M17.9", "J30.2"}
	allergiesEN   = []string{"none", "none", "Penicillin", "Peanuts", "Latex", "Sulfonamides"}
	medicationsEN = []string{"none", "Metformin 500 mg twice daily", "Amlodipine 5 mg daily", "Salbutamol inhaler as needed",
		"Sertraline 50 mg daily", "Entecavir 0.5 mg daily"}
	bloodTypes = []string{"A+", "A-", "B+", "B-", "O+", "O-", "AB+", "AB-"}
)

// catCell is a category field value: labelled unless it means "none" (a
// religion field also needs a religion's name).
func catCell(typ, s string) cell {
	if !validCategory(typ, s) {
		return t(s)
	}
	return cv(catVal(typ, s))
}

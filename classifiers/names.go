package classifiers

import (
	"strings"
	"unicode/utf8"
)

// surnames are the common Chinese family names (the Hundred Family Surnames
// and the most frequent modern ones); compound surnames are checked first.
const singleSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"

// traditionalSurnames are the traditional forms of those that differ (張,
// 陳, 黃, 葉 ...): Hong Kong, Macao and Taiwan customers write their names
// with them.
const traditionalSurnames = "張劉陳楊黃趙吳孫馬鄭羅謝許韓馮鄧蕭葉蘇呂盧鍾鐘譚陸賈韋鄒賀顧龔嚴錢萬溫齊喬龐顏莊聶魯歐關蘭寧紀畢單塗駱藍鮑華饒時農車項連蘆婁竇費衛應閔鄔邊師欒榮鄺談樂勞諶藺樓聞區闞權強帥豐計門雲烏蔣閻龍湯"

var compoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "西门", "南宫", "端木", "独孤", "轩辕", "呼延",
	"歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "西門", "南宮", "獨孤", "軒轅"}

// isSurname reports whether a Han name starts with a common surname.
func isSurname(name string) bool {
	for _, c := range compoundSurnames {
		if strings.HasPrefix(name, c) && utf8.RuneCountInString(name) >= 3 {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(name)
	return strings.ContainsRune(singleSurnames, r) || strings.ContainsRune(traditionalSurnames, r)
}

// provinces are the province-level divisions an address may start with.
var provinces = []string{
	"北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
	"安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州",
	"云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
}

var (
	adminMarks = []string{"省", "市", "区", "县", "州", "盟", "旗", "镇", "乡"}
	roadMarks  = []string{"路", "街", "道", "巷", "弄", "胡同", "村", "里", "苑", "小区", "大厦", "广场"}
	unitMarks  = []string{"号", "室", "栋", "幢", "楼", "单元", "座"}
)

// addressSpan finds a Chinese postal address in v: it starts at a province
// name or at the two characters before the first 市, has an administrative
// level (市, 区, 县, ...), a road or estate and a number (88号, 301室). It
// returns the byte range of the address in v.
func addressSpan(v []byte) ([2]int, bool) {
	s := string(v)
	start := -1
	for _, p := range provinces {
		if i := strings.Index(s, p); i >= 0 && (start < 0 || i < start) {
			start = i
		}
	}
	if start < 0 {
		i := strings.Index(s, "市")
		if i < 6 {
			return [2]int{}, false
		}
		start = i - 6 // two Han characters before 市
		if !utf8.RuneStart(s[start]) || s[start] < utf8.RuneSelf {
			return [2]int{}, false
		}
	}
	rest := s[start:]
	admin := 0
	for _, m := range adminMarks {
		if strings.Contains(rest, m) {
			admin++
		}
	}
	road := false
	for _, m := range roadMarks {
		if strings.Contains(rest, m) {
			road = true
			break
		}
	}
	// The address ends after the last number-and-unit ("88号", "3栋301室").
	end := -1
	for _, m := range unitMarks {
		for from := 0; ; {
			i := strings.Index(rest[from:], m)
			if i < 0 {
				break
			}
			at := from + i
			if at > 0 && (isDigit(rest[at-1]) || (rest[at-1]|0x20 >= 'a' && rest[at-1]|0x20 <= 'z')) && at+len(m) > end {
				end = at + len(m)
			}
			from = at + len(m)
		}
	}
	if admin < 1 || !road || end < 0 {
		return [2]int{}, false
	}
	return [2]int{start, start + end}, true
}

// proseAddresses finds addresses in free text: every "号" or "室" preceded
// by a digit anchors a look back (at most 40 characters, stopping at
// punctuation) for an address start. Anchors whose addresses overlap
// ("阜通东大街6号院3号楼" holds one at 6号 and one at 3号) report the longest
// only.
func (s *Scanner) proseAddresses(ri *ruleInfo) {
	buf := s.buf
	from := 0
	pend := [2]int{-1, -1} // the address waiting for the ones overlapping it
	flush := func() {
		if pend[0] >= 0 {
			s.canon = append(s.canon[:0], buf[pend[0]:pend[1]]...)
			s.emit(candidate{ri: ri, start: pend[0], end: pend[1], canon: s.canon})
		}
	}
	for _, at := range s.anchors {
		if at < from || at+3 > len(buf) {
			continue
		}
		anchor := buf[at : at+3]
		from = at + len(anchor)
		if at == 0 || !isDigit(buf[at-1]) {
			continue
		}
		// Look back over Han characters, digits and letters.
		b := at
		for n := 0; b > 0 && n < 40; n++ {
			_, size := utf8.DecodeLastRune(buf[:b])
			c := buf[b-size]
			if c == ' ' && adminSpace(buf, b-1) {
				b--
				continue
			}
			if size == 1 && !isAlnum(c) && c != '-' && c != '#' {
				break
			}
			if size == 3 && isCJKPunct(buf[b-size:b]) {
				break
			}
			b -= size
		}
		// Extend over a following unit ("88号2栋301室").
		e := at + len(anchor)
		for k := 0; k < 12 && e < len(buf); k++ {
			r, size := utf8.DecodeRune(buf[e:])
			if !(isAlnum(buf[e]) || r == '栋' || r == '幢' || r == '楼' || r == '室' || r == '单' || r == '元' || r == '层' || r == '座' || r == '-') {
				break
			}
			e += size
		}
		sp, ok := addressSpan(buf[b:e])
		if !ok || s.inValueRuleField(b+sp[0], ri) {
			continue
		}
		start, end := b+sp[0], b+sp[1]
		switch {
		case pend[0] >= 0 && start < pend[1] && pend[0] < end:
			if end-start > pend[1]-pend[0] {
				pend = [2]int{start, end}
			}
		default:
			flush()
			pend = [2]int{start, end}
		}
		if end > from {
			from = end
		}
	}
	flush()
}

// adminSpace reports that the space at i separates the levels of an
// address ("上海市 浦东新区 人民路"): an administrative mark before it, a Han
// character after it.
func adminSpace(buf []byte, i int) bool {
	if i < 3 || i+3 >= len(buf) {
		return false
	}
	r, _ := utf8.DecodeLastRune(buf[:i])
	next, _ := utf8.DecodeRune(buf[i+1:])
	return strings.ContainsRune("省市区县州旗盟", r) && isHanRune(next)
}

// isHanRune reports a CJK unified ideograph of the basic block, the
// characters names, addresses and labels are read in.
func isHanRune(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }

// isCJKPunct reports a full-width punctuation mark (，。；：！？、 and brackets).
func isCJKPunct(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff0f) || (r >= 0xff1a && r <= 0xff20)
}

// inValueRuleField reports a position inside a value whose field already
// applies rule ri to the whole value.
func (s *Scanner) inValueRuleField(p int, ri *ruleInfo) bool {
	if s.spans == nil {
		return false
	}
	i := s.spanAt(p)
	if i < 0 || s.spans[i].Field == nil {
		return false
	}
	for _, r := range s.spans[i].Field.valueRules {
		if r == ri {
			return true
		}
	}
	return false
}

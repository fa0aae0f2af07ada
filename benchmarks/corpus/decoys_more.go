package corpus

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Decoys of the data types added with issue 3, and the PII-free files that
// hold them. A category keyword and a category value never stand within a
// rule's window (64 bytes) of each other in a decoy: keyword-only and
// value-only lines are written in separate sections.

// badUSCC is a credit code with a wrong check character (kind 0), a wrong
// organization code check character with a recomputed final check (kind
// 1), or an unknown province in its region code (kind 2), written solid.
func (g *gen) badUSCC() string {
	for {
		if c := g.badUSCCTry(); !allDigits(c) || safeRun(c, g.asOf) {
			return c
		}
	}
}

// badUSCCTry draws one code for badUSCC; an all-digit one may still be a
// Luhn-valid number, which badUSCC redraws.
func (g *gen) badUSCCTry() string {
	code := g.usccVal().canon
	switch g.r.IntN(3) {
	case 0:
		k := (strings.IndexByte(usccChars, code[17]) + 1 + g.r.IntN(30)) % 31
		return code[:17] + string(usccChars[k])
	case 1:
		wrong := byte('0' + (int(code[16]-'0')+1+g.r.IntN(9))%10)
		if code[16] == 'X' {
			wrong = byte('0' + g.r.IntN(10))
		}
		first := code[:16] + string(wrong)
		return first + string(usccCheckChar(first))
	}
	first := code[:2] + pick(g, []string{"00", "99", "70"}) + code[4:17]
	return first + string(usccCheckChar(first))
}

// badIMEI is an IMEI with a wrong Luhn digit.
func (g *gen) badIMEI() string {
	v := g.imeiVal(0).canon
	return v[:14] + strconv.Itoa((int(v[14]-'0')+1+g.r.IntN(9))%10)
}

// serviceNumber is a national service or hotline number: no area code.
func (g *gen) serviceNumber() string {
	return pick(g, []string{"400-820-8820", "400-610-5555", "800-810-8888", "95588", "95533", "10086", "12345", "12306"})
}

// badIntlPhone is a '+' number libphonenumber rejects: an unassigned
// country code, or too few digits.
func (g *gen) badIntlPhone() string {
	return pick(g, []string{"+999 1234 5678", "+1 555", "+44 20 1234", "+852 1234", "+65 1234"})
}

// badTemplateB64 is base64 of a finger minutiae record with an unknown
// version (" 10\0"): it starts like a template ("Rk1SA") but is none.
func (g *gen) badTemplateB64() string {
	for {
		rec := g.fmrRecord()
		copy(rec[4:8], " 10\x00")
		if s := base64.StdEncoding.EncodeToString(rec); b64Safe(s) {
			return s
		}
	}
}

// shortVector is a list of a few numbers, too short for a face feature.
func (g *gen) shortVector(n int) string {
	return "[" + strings.Join(g.embedding(n).text, ", ") + "]"
}

// productNames are brand and product names in name columns; several are a
// person's name in shape (surname and given name, or two capitalised
// words), which only other personal data in the record would make a name.
var productNames = []string{"王老吉", "李锦记", "张小泉", "马应龙", "老干妈", "Johnnie Walker", "Jack Daniels",
	"Tom Ford", "周黑鸭", "Mary Kay"}

// buildProductsDecoy: a PII-free product table: names in a bare "name"
// column, short vectors in the features and embedding columns, a price
// history of 64 numbers in a column no biometric rule names, plate-like
// model codes, hotlines, versions with colons and credit-code-shaped
// supplier codes with wrong checks.
func buildProductsDecoy(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("sku", "name", "product_name", "category", "features", "embedding", "price_history", "model_code",
		"hotline", "schema_version", "supplier_code", "note")
	cats := []string{"食品饮料", "厨具", "宗教文化用品", "医疗器械", "保健品", "酒水"}
	for i := 0; i < c.rows; i++ {
		prices := make([]string, 64)
		base := 10 + g.r.IntN(200)
		for k := range prices {
			prices[k] = strconv.Itoa(base+g.r.IntN(5)) + "." + g.digits(2)
		}
		name := pick(g, productNames)
		tb.row(t("SKU-"+g.hex(8)), t(name), t(name+pick(g, []string{"礼盒装", " 500ml", " 经典款"})), t(pick(g, cats)),
			t(g.shortVector(3+g.r.IntN(6))), t(g.shortVector(16)), t(strings.Join(prices, ",")), t(g.plateLike()),
			t(g.serviceNumber()), t(strconv.Itoa(1+g.r.IntN(3))+":"+strconv.Itoa(g.r.IntN(20))+":"+strconv.Itoa(g.r.IntN(10))),
			t(g.badUSCC()), t(g.quietDecoyZH()))
	}
	return d, nil
}

// Category decoys: a keyword without a value, and a value without a
// keyword. They are written in separate sections of their files.
var (
	keywordOnlyZH = []string{"宗教信仰：无。", "政治面貌：群众。", "残疾类别：无。", "犯罪记录：无犯罪记录。",
		"诊断：未见异常。", "故障诊断工具已升级到新版本。", "患者满意度调查问卷已全部回收。", "民族团结一家亲。",
		"民族风格的装修很受欢迎。", "他的信仰是把工作做好。", "病历模板字段调整完毕。", "入院须知已更新。"}
	valueOnlyZH = []string{"佛教文化历史悠久，寺庙建筑风格独特。", "本季度糖尿病药物的销售额同比增长。",
		"汉族传统服饰展览下周开幕。", "基督教堂的彩窗修复工程完工。", "高血压药物集采价格公布。",
		"道教名山的游客数量创新高。", "肿瘤医院的新院区开工建设。", "伊斯兰教建筑的穹顶很有特色。"}
	keywordOnlyEN = []string{"The religion field was added to the survey form.", "Diagnosis codes are validated nightly.",
		"Patient portal maintenance is scheduled for Sunday.", "The condition of the road was poor.",
		"Ethnicity column removed from the export.", "Admitted users can edit the wiki.",
		"A medical record template was uploaded.", "Faith in the new release is high."}
	valueOnlyEN = []string{"Cancer season starts in late June.", "Keystroke latency improved by half.",
		"The stroke order of the characters matters.", "Market depression fears eased this week.",
		"Buddhist temples in Kyoto draw crowds.", "The Christian Dior show opened in Paris.",
		"Asthma inhaler sales data arrived late.", "Hindu Kush weather report."}
)

// fillerZH and fillerEN separate the sections: longer than any keyword
// window.
const (
	fillerZH = "以下内容为系统自动生成的说明文字，用于隔开不同的段落，与任何个人或者机构都没有关系，请勿回复本邮件。"
	fillerEN = "The following text is generated automatically to separate the sections and relates to no person or organization at all."
)

// buildDecoysPIPLZH: PII-free Chinese text with the new decoys: category
// keywords without values and values without keywords, plate-like codes,
// wrong credit codes, hotlines, a solid landline without a keyword, short
// permit numbers, IMEIs failing Luhn and a Luhn-valid one without keyword,
// incomplete addresses, invalid foreign numbers, text about templates and
// times and versions with colons.
func buildDecoysPIPLZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("敏感信息识别规则说明（本文件不含个人信息）\n\n")
	for _, s := range keywordOnlyZH {
		d.s(s).s("\n")
	}
	d.s("\n").s(fillerZH).s("\n\n")
	for _, s := range valueOnlyZH {
		d.s(s).s("\n")
	}
	d.s("\n").s(fillerZH).s("\n\n")
	for i := 0; i < max(8, c.rows/4); i++ {
		switch i % 8 {
		case 0:
			d.s("临时号牌 " + g.plateLike() + " 已过期，固定车位 " + string(plateLetters[g.r.IntN(len(plateLetters))]) + g.digits(5) + "。\n")
		case 1:
			d.s("统一社会信用代码 " + g.badUSCC() + " 校验失败，请核对营业执照。\n")
		case 2:
			d.s("客服热线 " + g.serviceNumber() + "，银行服务 " + g.serviceNumber() + "。\n")
		case 3:
			d.s("通行证 " + string("CWHMTL"[g.r.IntN(6)]) + g.digits(7) + " 位数不足，IMEI " + g.badIMEI() + " 校验失败。\n")
		case 4:
			d.s("地址不完整：" + pick(g, []string{"朝阳区很大", "建国路88号", "北京市朝阳区", "科技南路18号"}) + "。\n")
		case 5:
			d.s("国际号码 " + g.badIntlPhone() + " 无效，FMR 报表已生成，模板数据 " + g.badTemplateB64() + " 版本不支持。\n")
		case 6:
			d.s("版本 " + strconv.Itoa(1+g.r.IntN(3)) + ":" + strconv.Itoa(g.r.IntN(20)) + ":" + strconv.Itoa(g.r.IntN(10)) +
				"，时间 " + g.clockText() + "，回环地址 ::1，占位 00:00:00:00:00:00。\n")
		default:
			d.s("批次 " + g.landlineVal(4).written + " 已归档，物料 " + g.imeiVal(0).written + " 已入库，型号 E" + g.digits(2) + "。\n")
		}
	}
	return d, nil
}

// buildDecoysPIPLEN: the English counterpart, as markdown.
func buildDecoysPIPLEN(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("# Data dictionary notes (no personal data)\n\n")
	for _, s := range keywordOnlyEN {
		d.s("- ").s(s).s("\n")
	}
	d.s("\n").s(fillerEN).s("\n\n")
	for _, s := range valueOnlyEN {
		d.s("- ").s(s).s("\n")
	}
	d.s("\n").s(fillerEN).s("\n\n")
	for i := 0; i < max(8, c.rows/4); i++ {
		switch i % 6 {
		case 0:
			d.s("- Invalid numbers " + g.badIntlPhone() + " and " + g.badIntlPhone() + " were dropped.\n")
		case 1:
			d.s("- Build " + strconv.Itoa(1+g.r.IntN(3)) + ":" + strconv.Itoa(g.r.IntN(20)) + ":" + strconv.Itoa(g.r.IntN(10)) +
				" finished at " + g.clockText() + ".\n")
		case 2:
			d.s("- The FMR exporter v2 writes " + strconv.Itoa(24+g.r.IntN(100)) + " byte headers; Rk1SA is its base64 prefix.\n")
		case 3:
			d.s("- Loopback ::1 and the null MAC 00:00:00:00:00:00 are filtered; 12:34:56:78 is not a MAC.\n")
		case 4:
			d.s("- Embedding " + g.shortVector(4) + " is a toy example.\n")
		default:
			d.s("- Room E" + g.digits(2) + " hosts the " + g.serviceNumber() + " hotline team.\n")
		}
	}
	return d, nil
}

// buildOpsDecoyLog: a PII-free operations log with colon-separated times
// and versions, loopback and placeholder addresses and template messages.
func buildOpsDecoyLog(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows*2; i++ {
		d.s(g.logTime(c).Format("2006-01-02 15:04:05.000")).s(" ")
		switch i % 6 {
		case 0:
			d.s("INFO  [deploy] image registry.local/api:" + strconv.Itoa(1+g.r.IntN(9)) + "." + strconv.Itoa(g.r.IntN(20)) +
				" digest sha256:" + g.hex(64) + "\n")
		case 1:
			d.s("INFO  [health] uptime " + g.clockText() + ", listening on [::1]:8080 and [::]:9090\n")
		case 2:
			d.s("WARN  [device] imei check failed for " + g.badIMEI() + ", mac 00:00:00:00:00:00 ignored\n")
		case 3:
			d.s("INFO  [biometric] FMR parser v2 loaded, template cache size 2048\n")
		case 4:
			d.s("INFO  [schema] migrated " + strconv.Itoa(1+g.r.IntN(3)) + ":" + strconv.Itoa(g.r.IntN(20)) + ":" +
				strconv.Itoa(g.r.IntN(10)) + " -> " + g.version() + ", " + g.noisyDecoyEN() + "\n")
		default:
			d.s("INFO  [ipam] pool 12:34:56:78 reserved, " + g.quietDecoyEN() + "\n")
		}
	}
	return d, nil
}

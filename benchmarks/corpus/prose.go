package corpus

import (
	"strconv"
)

// sentence appends one sentence to d.
type sentence func(g *gen, d *doc, p person)

// zhSentences cover every type and written style, with and without
// keywords (the keyword-free ones are for types that do not need one).
// Every labelled value sits between spaces or punctuation.
var zhSentences = []sentence{
	func(g *gen, d *doc, p person) {
		d.f("我的身份证号码是：{}，请帮我核实一下。", g.idVal(p, 0, false))
	},
	func(g *gen, d *doc, p person) {
		d.f("客户{}的手机：{}，邮箱：{}。", txt(p.zh), g.mobileVal(0), g.emailVal(p))
	},
	func(g *gen, d *doc, p person) {
		d.f("请把退款打到我的银行卡 {} 上，谢谢。", g.cardVal())
	},
	func(g *gen, d *doc, p person) { d.f("护照号码：{}，有效期至2031年。", g.passportVal()) },
	func(g *gen, d *doc, p person) { d.f("香港身份證號碼：{}。", g.hkVal()) },
	func(g *gen, d *doc, p person) { d.f("台灣身分證字號 {}，請核對。", g.twVal()) },
	func(g *gen, d *doc, p person) { d.s("我们约在 "); g.gpsText(d, 0); d.s(" 附近见面。") },
	func(g *gen, d *doc, p person) { d.s("门店定位 "); g.gpsText(d, 1); d.s("，欢迎到店。") },
	func(g *gen, d *doc, p person) { d.s("巡检记录："); g.gpsText(d, 3); d.s("。") },
	func(g *gen, d *doc, p person) { d.f("汇款账户 IBAN：{}。", g.ibanVal()) },
	func(g *gen, d *doc, p person) { d.f("服务器 {} 出现多次异常登录。", g.ipVal()) },
	func(g *gen, d *doc, p person) { d.f("有事可以打 {} 找{}。", g.mobileVal(5), txt(p.zh)) },
	func(g *gen, d *doc, p person) { d.f("{}说资料已经发到 {} 了。", txt(p.zh), g.emailVal(p)) },
	func(g *gen, d *doc, p person) { d.f("证件号 {} 已登记。", g.idVal(p, 1, false)) },
	func(g *gen, d *doc, p person) { d.f("身份证：{}（末位是小写x）。", g.idVal(p, 2, true)) },
	func(g *gen, d *doc, p person) { d.f("出差用的护照 passport: {}。", g.passportVal()) },
	func(g *gen, d *doc, p person) { d.f("联系电话：{}（工作日）。", g.mobileVal(1)) },
	func(g *gen, d *doc, p person) {
		d.f("备用号码 {} 已停用，新号码为 {}。", g.mobileVal(3), g.mobileVal(2))
	},
	func(g *gen, d *doc, p person) {
		d.f("请拨打 {} 或 {} 联系前台。", g.mobileVal(4), g.mobileVal(5))
	},
	func(g *gen, d *doc, p person) {
		k := g.newPerson(true)
		d.f("孩子（"+strconv.Itoa(k.birth.Year())+"年出生）的身份证号：{}。", g.idVal(k, 0, false))
	},
	func(g *gen, d *doc, p person) { d.f("信用卡 {} 本月到期。", g.cardVal()) },
	func(g *gen, d *doc, p person) { d.s(g.quietDecoyZH()).s("。") },
}

// enSentences are the English counterparts.
var enSentences = []sentence{
	func(g *gen, d *doc, p person) {
		d.f("My ID card number is {}, please verify it. ", g.idVal(p, 0, false))
	},
	func(g *gen, d *doc, p person) {
		d.f("You can reach {} at {} or by mail at {} anytime. ", txt(p.enName()), g.mobileVal(1), g.emailVal(p))
	},
	func(g *gen, d *doc, p person) { d.f("Refund to card {} please. ", g.cardVal()) },
	func(g *gen, d *doc, p person) { d.f("Passport No. {} expires in 2031. ", g.passportVal()) },
	func(g *gen, d *doc, p person) { d.f("Her HKID is {} and it was renewed. ", g.hkVal()) },
	func(g *gen, d *doc, p person) { d.f("Taiwan ID {} was checked. ", g.twVal()) },
	func(g *gen, d *doc, p person) { d.s("We met at "); g.gpsText(d, 1); d.s(" near the river. ") },
	func(g *gen, d *doc, p person) { d.s("Last fix "); g.gpsText(d, 2); d.s(" (GPS). ") },
	func(g *gen, d *doc, p person) { d.f("Wire the money today to IBAN {}, thanks. ", g.ibanVal()) },
	func(g *gen, d *doc, p person) { d.f("The login came from {} at night. ", g.ipVal()) },
	func(g *gen, d *doc, p person) { d.f("Text me on {} when you land. ", g.mobileVal(2)) },
	func(g *gen, d *doc, p person) { d.f("Send the slides to {} before Friday. ", g.emailVal(p)) },
	func(g *gen, d *doc, p person) {
		d.f("Old number {} is gone; use {} instead. ", g.mobileVal(3), g.mobileVal(0))
	},
	func(g *gen, d *doc, p person) {
		d.f("The citizen id {} was spaced out on the form. ", g.idVal(p, 1, false))
	},
	func(g *gen, d *doc, p person) { d.s(g.quietDecoyEN()).s(". ") },
}

// prose appends paragraphs cycling through the sentence list, so that even
// the small corpus holds every template. Each paragraph has one subject
// person (an adult); the only minors in prose are children named in their
// own sentence, whose ID is the only value of that sentence.
func (g *gen) prose(d *doc, list []sentence, paragraphs, perPara int, sep string) {
	k := 0
	for i := 0; i < paragraphs; i++ {
		p := g.newPerson(false)
		for j := 0; j < perPara; j++ {
			list[k%len(list)](g, d, p)
			k++
		}
		d.s(sep)
	}
}

// paragraphs is how many paragraphs prose files get.
func paragraphs(c *config) int { return max(6, c.rows/4) }

// buildProseZH: Chinese prose, plus the two 14th-birthday edge cases as
// sentences holding only the child's ID.
func buildProseZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("客户服务记录\n\n")
	g.prose(d, zhSentences, paragraphs(c), 4, "\n\n")
	edge := g.newPerson(true)
	edge.birth = c.asOf.AddDate(-14, 0, 0)
	edge.minor = isMinor(edge.birth, c.asOf)
	d.f("今天刚满14岁的学生，身份证号：{}。\n", g.idVal(edge, 0, false))
	edge.birth = c.asOf.AddDate(-14, 0, 1)
	edge.minor = isMinor(edge.birth, c.asOf)
	d.f("明天才满14岁的学生，身份证号：{}。\n", g.idVal(edge, 0, false))
	return d, nil
}

// buildNotesZHMarkdown: Chinese markdown with headings, a list and a table.
func buildNotesZHMarkdown(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("# 会员资料整理\n\n## 联系方式\n\n")
	for i := 0; i < max(4, c.rows/8); i++ {
		p := g.newPerson(false)
		d.f("- "+p.zh+"：手机 {}，邮箱 {}\n", g.anyMobile(), g.emailVal(p))
	}
	d.s("\n## 证件\n\n| 姓名 | 身份证号 | 银行卡 |\n|---|---|---|\n")
	for i := 0; i < max(4, c.rows/8); i++ {
		p := g.newPerson(false)
		d.f("| "+p.zh+" | {} | {} |\n", g.idVal(p, 0, i%3 == 1), g.cardVal())
	}
	d.s("\n## 备忘\n\n")
	g.prose(d, zhSentences[6:], max(3, c.rows/10), 3, "\n\n")
	d.s("```\n# 配置示例，不含个人信息\nversion: 1.2.3\nbuild: " + g.unixTS() + "\n```\n")
	return d, nil
}

// buildProseEN: an English letter.
func buildProseEN(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("Dear team,\n\n")
	g.prose(d, enSentences, paragraphs(c), 4, "\n\n")
	d.s("Best regards,\nCustomer Care\n")
	return d, nil
}

// buildReportENMarkdown: an English markdown incident report with a table.
func buildReportENMarkdown(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("# Incident report\n\n| time | source | account |\n|---|---|---|\n")
	for i := 0; i < max(4, c.rows/8); i++ {
		d.f("| 2026-11-2"+strconv.Itoa(g.r.IntN(3))+" | {} | {} |\n", g.ipVal(), g.emailVal(g.newPerson(false)))
	}
	d.s("\n## Notes\n\n")
	g.prose(d, enSentences[2:], max(3, c.rows/10), 3, "\n\n")
	return d, nil
}

// buildGBKText: Chinese prose encoded as GBK (labels hold the UTF-8 text).
// Every character the sentences use must exist in GBK (the yen sign does
// not: prices use the full-width ￥); Generate fails otherwise.
func buildGBKText(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.gbk = true
	d.s("客户回访记录（GBK 编码）\n\n")
	g.prose(d, zhSentences, max(4, c.rows/8), 4, "\r\n\r\n")
	return d, nil
}

// buildDecoyProseZH: PII-free Chinese text made of decoys only.
func buildDecoyProseZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("系统对账说明\n\n")
	for i := 0; i < c.rows*2; i++ {
		d.s(g.noisyDecoyZH()).s("。")
		if i%4 == 3 {
			d.s("\n\n")
		}
	}
	return d, nil
}

// buildDecoyProseEN: PII-free English markdown made of decoys only.
func buildDecoyProseEN(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("# Release notes\n\n")
	for i := 0; i < c.rows*2; i++ {
		d.s("- ").s(g.noisyDecoyEN()).s("\n")
	}
	return d, nil
}

package corpus

import (
	"strconv"
	"strings"
	"time"
)

// Tables of organizations, vehicles, travellers and foreign members: the
// identifiers added with issue 3 in the columns where data engineers find
// them.

var (
	companyWords = []string{"蓝亭", "青山", "北方", "云海", "恒泰", "华夏", "星河", "明珠", "远航", "瑞丰"}
	companyKinds = []string{"科技有限公司", "物流有限公司", "餐饮管理有限公司", "贸易有限公司", "教育咨询有限公司",
		"建筑工程有限公司", "医疗器械有限公司"}
	companyStatus = []string{"存续", "存续", "存续", "在业", "迁出", "注销"}
)

// buildCompaniesZH: a company register. The credit code, the registered
// address, the contact person (联系人, a name column) and a landline in the
// phone column (solid in one row of five: the column is its context).
func buildCompaniesZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("企业名称", "统一社会信用代码", "注册地址", "联系人", "联系电话", "手机", "邮箱", "成立日期", "经营状态")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		name := pick(g, cityNames) + pick(g, companyWords) + pick(g, companyKinds)
		founded := g.between(time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC), c.asOf.AddDate(0, -1, 0))
		tb.row(t(name), cv(g.usccVal()), cv(g.addrVal()), cv(nameVal(p.zh)), cv(g.landlineVal(i%5)),
			cv(g.mobileVal(i%6)), cv(g.emailVal(p)), t(founded.Format("2006-01-02")), t(pick(g, companyStatus)))
	}
	return d, nil
}

var (
	carBrands = []string{"比亚迪 汉", "吉利 星越", "大众 朗逸", "丰田 凯美瑞", "特斯拉 Model 3", "蔚来 ES6", "本田 雅阁"}
	bayCodes  = []string{"B2-0135", "A1-2201", "B1-0608", "C3-1150"}
)

// buildVehiclesZH: a parking register: plates solid, with a middle dot or
// a space, new-energy plates with six serial characters, the owner's name
// (车主姓名) and phone. The bay code and some remarks are plate-like but
// not plates (no province character, four serial characters).
func buildVehiclesZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("车牌号", "车主姓名", "手机", "车辆品牌", "登记日期", "车位", "备注")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		reg := g.between(time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), c.asOf)
		note := t(pick(g, []string{"", "", "月租", "访客", "夜间停放"}))
		switch i % 7 {
		case 2:
			note = t("原车位 " + pick(g, bayCodes) + "，临时号牌 " + g.plateLike())
		case 5:
			note = t("固定车位 " + string(plateLetters[g.r.IntN(len(plateLetters))]) + g.digits(5))
		}
		tb.row(cv(g.plateVal(i%3)), cv(nameVal(p.zh)), cv(g.mobileVal(i%6)), t(pick(g, carBrands)),
			t(reg.Format("2006-01-02")), t(pick(g, bayCodes)), note)
	}
	return d, nil
}

// buildTravellersZH: a travel agency's list. The document type names the
// permit (往来港澳通行证, 大陆居民往来台湾通行证, 港澳居民来往内地通行证):
// the permit number's keyword is in the same record.
func buildTravellersZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("姓名", "证件类型", "证件号码", "手机", "出行日期", "目的地")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		var kind string
		var num val
		dest := ""
		switch i % 5 {
		case 0, 1:
			kind, num, dest = "往来港澳通行证", g.hkMacauPermitVal("CCCW"), pick(g, []string{"香港", "澳门"})
		case 2:
			kind, num, dest = "大陆居民往来台湾通行证", g.twPermitVal(), pick(g, []string{"台北", "高雄", "台中"})
		case 3:
			kind, num, dest = "港澳居民来往内地通行证", g.hkMacauPermitVal("HM"), pick(g, cityNames)
		default:
			kind, num, dest = "居民身份证", g.idVal(p, 0, false), pick(g, cityNames)
		}
		at := c.asOf.AddDate(0, 0, 1+g.r.IntN(90))
		tb.row(cv(nameVal(p.zh)), t(kind), cv(num), cv(g.anyMobile()), t(at.Format("2006-01-02")), t(dest))
	}
	return d, nil
}

// countryOf names the country of an E.164 number's calling code.
func countryOf(e164 string) string {
	for _, cc := range []struct{ code, name string }{
		{"+852", "Hong Kong"}, {"+853", "Macao"}, {"+886", "Taiwan"}, {"+44", "United Kingdom"},
		{"+65", "Singapore"}, {"+81", "Japan"}, {"+49", "Germany"}, {"+33", "France"}, {"+61", "Australia"},
		{"+60", "Malaysia"}, {"+66", "Thailand"}, {"+91", "India"}, {"+1", "United States"}, {"+7", "Russia"},
	} {
		if strings.HasPrefix(e164, cc.code) {
			return cc.name
		}
	}
	return ""
}

// buildMembersIntl: an English member list: foreign phone numbers (phone,
// whatsapp), the customer's name, e-mail and a religion field, which is
// often "none", "n/a" or "Prefer not to say".
func buildMembersIntl(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("customer_name", "phone", "whatsapp", "email", "religion", "country", "joined")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		name := p.enName()
		if i%3 != 0 {
			name = g.westernName()
		}
		ph := g.intlPhoneVal()
		wa := t("")
		if i%3 == 1 {
			wa = cv(g.intlPhoneVal())
		}
		joined := g.between(time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC), c.asOf)
		tb.row(cv(nameVal(name)), cv(ph), wa, cv(g.emailVal(p)), catCell(TypeReligion, pick(g, religionsEN)),
			t(countryOf(ph.canon)), t(joined.Format("2006-01-02")))
	}
	return d, nil
}

// buildHRProfilesZH: an HR register with the specific-identity fields of
// PIPL Art. 28 (民族, 政治面貌, 残疾类别, 犯罪记录) and a religion field.
// Most values mean "none" (无, 群众, 健全, 无犯罪记录) and are not labelled.
func buildHRProfilesZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("工号", "姓名", "性别", "民族", "政治面貌", "宗教信仰", "残疾类别", "犯罪记录", "手机", "家庭住址", "入职日期")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		sex := "女"
		if p.male {
			sex = "男"
		}
		hired := g.between(time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC), c.asOf)
		tb.row(t("HR"+strconv.Itoa(10000+i)), cv(nameVal(p.zh)), t(sex), catCell(TypeIdentity, pick(g, ethnicities)),
			catCell(TypeIdentity, pick(g, politics)), catCell(TypeReligion, pick(g, religionsZH)),
			catCell(TypeIdentity, pick(g, disabilities)), catCell(TypeIdentity, pick(g, criminal)),
			cv(g.mobileVal(i%6)), cv(g.addrVal()), t(hired.Format("2006-01-02")))
	}
	return d, nil
}

// plateLike is a code shaped like a plate that is none: four serial
// characters, the letter I, or six digits (a six-character serial is a
// new-energy plate only with D or F first or last). Seven digits would make
// the letter and digits an HKID shape.
func (g *gen) plateLike() string {
	prov := pick(g, plateProvinces)
	switch g.r.IntN(3) {
	case 0:
		return prov + string(plateLetters[g.r.IntN(len(plateLetters))]) + g.digits(4)
	case 1:
		return prov + "I" + g.digits(5)
	}
	return prov + string(plateLetters[g.r.IntN(len(plateLetters))]) + g.digits(6)
}

// buildExportNoHeader: a database export without a header row (COPY ...
// TO CSV, SELECT ... INTO OUTFILE): the name, ethnic group and diagnosis
// columns are known by their values only. They are findings in the rows
// that hold a mobile too; one row in seven has none, and its name is not
// labelled (a name no labelled row has, so that a copy's check for the
// labelled ones is not confused by it), its diagnosis is 正常 and its
// ethnic group left empty. A brand column (its brands start with a surname)
// and a city column are decoys.
func buildExportNoHeader(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	for _, r := range exportRows(c, g) {
		tb.row(r...)
	}
	return d, nil
}

// buildExportRowsJSON: the export of buildExportNoHeader as pandas writes
// a table with to_json(orient="split"): the column names apart, and each
// row an array whose cells are known by their position (the id a number).
func buildExportRowsJSON(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	rows := exportRows(c, g)
	d.s(`{"columns":["id","name","sex","mobile","ethnicity","diagnosis","brand","city","date"],"index":[`)
	for i := range rows {
		if i > 0 {
			d.s(",")
		}
		d.s(strconv.Itoa(i))
	}
	d.s(`],"data":[`)
	for i, r := range rows {
		if i > 0 {
			d.s(",")
		}
		d.s("[")
		for k, cl := range r {
			if k == 0 {
				d.s(cl[0].written)
				continue
			}
			d.s(`,"`)
			for _, p := range cl {
				d.v(p)
			}
			d.s(`"`)
		}
		d.s("]")
	}
	d.s("]}")
	return d, nil
}

// exportRows makes the rows of a database export without a header
// (buildExportNoHeader).
func exportRows(c *config, g *gen) [][]cell {
	people := make([]person, c.rows)
	labelled := map[string]bool{}
	for i := range people {
		people[i] = g.newPerson(false)
		if i%7 != 3 {
			labelled[people[i].zh] = true
		}
	}
	rows := make([][]cell, 0, len(people))
	for i, p := range people {
		for i%7 == 3 && labelled[p.zh] {
			p = g.newPerson(false)
		}
		sex := "女"
		if p.male {
			sex = "男"
		}
		name, mobile := cv(nameVal(p.zh)), cv(g.mobileVal(0))
		eth, dx := catCell(TypeIdentity, pick(g, ethnicities)), catCell(TypeMedical, pick(g, diagnosesZH))
		if i%7 == 3 {
			name, mobile, eth, dx = t(p.zh), t(""), t(""), t(diagnosesZH[0])
		}
		rows = append(rows, []cell{t(strconv.Itoa(200000 + i)), name, t(sex), mobile, eth, dx, t(pick(g, productNames[:4])),
			t(pick(g, cityNames)), t(g.between(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), c.asOf).Format("2006-01-02"))})
	}
	return rows
}

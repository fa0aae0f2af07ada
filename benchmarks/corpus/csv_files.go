package corpus

import (
	"strconv"
	"time"
)

// buildCustomersZH: Chinese headers, UTF-8 BOM, CRLF line ends, quoted
// remarks holding commas, line breaks and sometimes a phone. No minors (the
// table has no birth-date column).
func buildCustomersZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("\ufeff")
	tb := table{d: d, sep: ",", eol: "\r\n"}
	tb.header("姓名", "性别", "身份证号", "手机号", "邮箱", "银行卡号", "城市", "备注")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		sex := "女"
		if p.male {
			sex = "男"
		}
		// Mostly solid IDs; every eighth row spaced "6 8 4", and some with a
		// lower-case x check character.
		idStyle := 0
		switch i % 8 {
		case 3:
			idStyle = 1
		case 6:
			idStyle = 2
		}
		// Remarks exercise CSV quoting (commas, line breaks) and carry a
		// phone inside a quoted multi-line field, or a quiet decoy.
		note := t(pick(g, zhNotes))
		switch i % 9 {
		case 4:
			note = c2("周末送货，\n备用手机：", g.mobileVal(g.r.IntN(6)), ", 请先致电")
		case 7:
			note = t(g.quietDecoyZH())
		}
		tb.row(cv(nameVal(p.zh)), t(sex), cv(g.idVal(p, idStyle, idStyle == 2)), cv(g.mobileVal(i%6)),
			cv(g.emailVal(p)), cv(g.cardVal()), t(pick(g, cityNames)), note)
	}
	return d, nil
}

// c2 makes a cell of text, a value and text.
func c2(before string, v val, after string) cell { return cell{txt(before), v, txt(after)} }

// buildCustomersEN: English headers, LF, a date-of-birth column (minors are
// record-level), ragged rows, one extra unnamed field holding an e-mail.
func buildCustomersEN(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("name", "dob", "phone", "email", "card_number", "ip_address", "notes")
	notes := []string{"", "prefers email", "call after 6pm, weekdays", "moved to \"Building 3\"", "family plan"}
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(i%8 == 5)
		note := t(pick(g, notes))
		if i%10 == 9 {
			note = t(g.quietDecoyEN())
		}
		// A bare "name" column: a name because the record holds a phone.
		cells := []cell{cv(nameVal(p.enName())), t(date(p)), cv(g.mobileVal((i + 2) % 6)), cv(g.emailVal(p)),
			cv(g.cardVal()), cv(g.ipVal()), note}
		switch i % 13 {
		case 6:
			cells = cells[:6] // ragged: notes missing
		case 11:
			cells = append(cells, cv(g.emailVal(p))) // ragged: extra field
		}
		// The row is the subject's record: with a minor's date of birth every
		// value in it is a minor's.
		tb.row(minorCells(p.minor, cells)...)
	}
	return d, nil
}

// buildStudentsZH: a class list of children with a birth-date column. The
// first two rows are the exact 14th-birthday edges: one turns 14 on AsOf
// (not a minor) and one turns 14 the day after (a minor).
func buildStudentsZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("学生姓名", "性别", "身份证号", "出生日期", "班级", "入学年份")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(true)
		switch {
		case i == 0:
			p.birth = c.asOf.AddDate(-14, 0, 0)
		case i == 1:
			p.birth = c.asOf.AddDate(-14, 0, 1)
		case i%6 == 5:
			p.birth = g.between(c.asOf.AddDate(-17, 0, 0), c.asOf.AddDate(-14, 0, -1))
		default:
			p.birth = g.between(c.asOf.AddDate(-14, 0, 2), c.asOf.AddDate(-6, 0, 0))
		}
		p.minor = isMinor(p.birth, c.asOf)
		sex := "女"
		if p.male {
			sex = "男"
		}
		grade := min(12, max(1, c.asOf.Year()-p.birth.Year()-6))
		class := strconv.Itoa(grade) + "年级" + strconv.Itoa(1+g.r.IntN(6)) + "班"
		cells := []cell{cv(nameVal(p.zh)), t(sex), cv(g.idVal(p, 0, i%5 == 2)), t(date(p)), t(class),
			t(strconv.Itoa(p.birth.Year() + 6))}
		tb.row(minorCells(p.minor, cells)...)
	}
	return d, nil
}

// buildMembersHKTW: HKID, Taiwan ID and a passport column (labelled by the
// column name), English headers.
func buildMembersHKTW(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("member", "hkid", "tw_id", "passport_no", "mobile", "email")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		hk, tw, pp := cv(g.hkVal()), cv(g.twVal()), cv(g.passportVal())
		switch i % 5 {
		case 1:
			tw = t("")
		case 3:
			hk = t("")
		case 4:
			pp = t("")
		}
		tb.row(t(p.enName()), hk, tw, pp, cv(g.anyMobile()), cv(g.emailVal(p)))
	}
	return d, nil
}

// buildPayments: IBANs and cards, CRLF, amounts and timestamps as decoys.
func buildPayments(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\r\n"}
	tb.header("payer", "iban", "card_number", "amount", "currency", "paid_at", "unix_time")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		paid := c.asOf.Add(-time.Duration(g.r.IntN(86400*90)) * time.Second)
		tb.row(t(p.enName()), cv(g.ibanVal()), cv(g.cardVal()), t(strconv.Itoa(g.r.IntN(50000))+"."+g.digits(2)),
			t(pick(g, []string{"EUR", "CNY", "USD", "GBP"})), t(paid.Format(time.RFC3339)), t(g.unixTS()))
	}
	return d, nil
}

// buildStoreVisits: coordinates in separate 纬度/经度 columns (one label per
// row, Written is the latitude text) and a text column with a pair.
func buildStoreVisits(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("门店", "纬度", "经度", "到店时间", "停留分钟", "备注")
	stores := []string{"徐汇店", "天河店", "西湖店", "南山店", "武侯店", "朝阳店"}
	for i := 0; i < c.rows; i++ {
		dec := 6
		if i%3 == 0 {
			dec = 4
		}
		pt := g.cnPoint(dec == 4)
		lat := val{typ: TypeGPS, canon: pt.canon(), written: micro(pt.lat, dec)}
		note := t("")
		if i%7 == 3 {
			pre, v, post := g.gpsPhrase(0)
			note = cell{txt("补录坐标 " + pre), v, txt(post)}
		}
		at := c.asOf.Add(-time.Duration(g.r.IntN(86400*30)) * time.Second)
		tb.row(t(pick(g, stores)), cv(lat), t(micro(pt.lng, dec)), t(at.Format("2006-01-02 15:04:05")),
			t(strconv.Itoa(5+g.r.IntN(120))), note)
	}
	return d, nil
}

// buildEmployeesTSV: a tab-separated table. The staff code is E or G plus 8
// digits: passport-shaped, but the file has no passport keyword or column.
func buildEmployeesTSV(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: "\t", eol: "\n"}
	tb.header("工号", "姓名", "身份证号", "手机", "邮箱", "入职日期")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		hired := g.between(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), c.asOf)
		tb.row(t(g.passportShape()), cv(nameVal(p.zh)), cv(g.idVal(p, 0, false)), cv(g.anyMobile()), cv(g.emailVal(p)),
			t(hired.Format("2006-01-02")))
	}
	return d, nil
}

// buildOrdersDecoy: a PII-free order table full of look-alikes.
func buildOrdersDecoy(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("订单号", "运单号", "交易流水号", "商品SKU", "数量", "单价", "下单时间戳", "备注")
	for i := 0; i < c.rows; i++ {
		tb.row(t(g.orderNo()), t(g.orderNo()), t(g.longRun()), t("SKU-"+g.hex(6)), t(strconv.Itoa(1+g.r.IntN(9))),
			t(g.price()), t(g.unixTS()), t(g.noisyDecoyZH()))
	}
	return d, nil
}

package corpus

import (
	"strings"
)

// cell is one CSV field made of text and labelled values.
type cell []val

// cv makes a cell from parts.
func cv(parts ...val) cell { return parts }

// t makes a plain-text cell.
func t(s string) cell { return cell{txt(s)} }

// table writes delimiter-separated rows with RFC 4180 quoting.
type table struct {
	d   *doc
	sep string // "," or "\t"
	eol string // "\n" or "\r\n"
}

// row writes one record. A field is quoted when it holds the separator, a
// quote or a line break; the labels keep the unquoted value, which still
// appears verbatim in the file (values never contain quotes).
func (tb table) row(cells ...cell) {
	for i, cl := range cells {
		if i > 0 {
			tb.d.s(tb.sep)
		}
		var raw strings.Builder
		for _, p := range cl {
			raw.WriteString(p.written)
		}
		s := raw.String()
		quote := strings.Contains(s, tb.sep) || strings.ContainsAny(s, "\"\r\n")
		if quote {
			tb.d.s(`"`)
		}
		for _, p := range cl {
			if quote && p.typ == "" {
				p.written = strings.ReplaceAll(p.written, `"`, `""`)
			}
			tb.d.v(p)
		}
		if quote {
			tb.d.s(`"`)
		}
	}
	tb.d.s(tb.eol)
}

// header writes the header row.
func (tb table) header(names ...string) {
	cells := make([]cell, len(names))
	for i, n := range names {
		cells[i] = t(n)
	}
	tb.row(cells...)
}

// minorCells marks every labelled value of a record as a minor's when the
// record's subject is a minor.
func minorCells(minor bool, cells []cell) []cell {
	if !minor {
		return cells
	}
	for _, cl := range cells {
		for i := range cl {
			if cl[i].typ != "" {
				cl[i].minor = true
			}
		}
	}
	return cells
}

// mark sets the minor flag on a labelled value.
func mark(v val, minor bool) val {
	if v.typ != "" {
		v.minor = minor
	}
	return v
}

// date formats a day as 2006-01-02.
func date(p person) string { return p.birth.Format("2006-01-02") }

// cityNames are used as neutral columns.
var cityNames = []string{"北京", "上海", "广州", "深圳", "杭州", "成都", "西安", "南京", "武汉", "重庆", "苏州", "天津"}

// zhNotes are neutral remarks of customer tables.
var zhNotes = []string{"", "", "VIP客户", "周末送货，请提前联系", "地址变更, 待确认", "老客户\n已回访", "偏好电子发票"}

// quietDecoyZH returns a decoy phrase with no negative keyword and no
// passport-shaped value, safe to place near labelled values.
func (g *gen) quietDecoyZH() string {
	switch g.r.IntN(12) {
	case 0:
		return "系统版本 " + g.version() + "，构建时间戳 " + g.unixTS()
	case 1:
		return "请求ID " + g.uuid() + "，校验值 " + g.hex(40)
	case 2:
		return "证件号 " + g.badIDCheck() + " 校验位错误"
	case 3:
		return "测试数据 " + g.badIDDate() + " 的出生日期不存在"
	case 4:
		return "地区码无效：" + g.badIDRegion()
	case 5:
		return "座机 " + g.nonMobile() + " 不是手机号"
	case 6:
		return "内网地址 " + g.badIP() + " 配置错误，退信地址 " + g.fakeEmail()
	case 7:
		return "参数约为 " + g.shortDecimals() + "，单价 " + g.price()
	case 8:
		return "IBAN " + g.badIBAN() + " 校验失败"
	case 9:
		return "卡号 " + g.badCard() + " 校验失败，香港身份證 " + g.badHK() + " 核验不通过"
	case 10:
		return "設備 " + g.gluedMobile() + " 已註冊，身分證 " + g.badTW() + " 格式錯誤"
	}
	return "坐标越界 " + g.outOfRange() + "，请重新定位"
}

// quietDecoyEN is the English counterpart of quietDecoyZH.
func (g *gen) quietDecoyEN() string {
	switch g.r.IntN(12) {
	case 0:
		return "build " + g.version() + " released at " + g.unixTS()
	case 1:
		return "request " + g.uuid() + " checksum " + g.hex(32)
	case 2:
		return "fixture " + g.badIDCheck() + " fails its check character"
	case 3:
		return "fixture " + g.badIDDate() + " has an impossible birth date"
	case 4:
		return "region code of " + g.badIDRegion() + " is unknown"
	case 5:
		return "landline-style number " + g.nonMobile() + " is not a mobile"
	case 6:
		return "bad address " + g.badIP() + " and bounced mail " + g.fakeEmail()
	case 7:
		return "ratio about " + g.shortDecimals() + " at unit price " + g.price()
	case 8:
		return "IBAN " + g.badIBAN() + " failed validation"
	case 9:
		return "card " + g.badCard() + " declined as invalid, HKID " + g.badHK() + " rejected"
	case 10:
		return "device " + g.gluedMobile() + " registered, Taiwan ID " + g.badTW() + " rejected"
	}
	return "point " + g.outOfRange() + " is out of range"
}

// noisyDecoyZH returns any decoy phrase, including ones with negative
// keywords (order, waybill) or passport-shaped values without a keyword.
// Only for lines that are far from labelled values.
func (g *gen) noisyDecoyZH() string {
	switch g.r.IntN(6) {
	case 0:
		return "订单号：" + g.orderNo() + "，金额 " + g.price() + "，状态：已发货"
	case 1:
		return "运单号 " + g.orderNo() + " 已由快递员揽收"
	case 2:
		return "交易流水号：" + g.longRun() + "，请妥善保存"
	case 3:
		return "批次号 " + g.passportShape() + "，生产日期 2026-03-12"
	}
	return g.quietDecoyZH()
}

// noisyDecoyEN is the English counterpart of noisyDecoyZH.
func (g *gen) noisyDecoyEN() string {
	switch g.r.IntN(6) {
	case 0:
		return "Order no. " + g.orderNo() + " shipped, total " + g.price()
	case 1:
		return "Waybill " + g.orderNo() + " is out for delivery"
	case 2:
		return "transaction id " + g.longRun() + " settled"
	case 3:
		return "batch code " + g.passportShape() + " made on 2026-03-12"
	}
	return g.quietDecoyEN()
}

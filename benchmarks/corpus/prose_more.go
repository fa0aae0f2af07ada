package corpus

import (
	"strconv"
)

// Prose with the data types of issue 3. Category terms are labelled only
// where a keyword of their rule stands next to them (the catalogue's
// prose rule); their canonical value is the dictionary term as written.
// Names in prose are not labelled (names count in name columns only).

// Medical terms of prose notes: the disease phrase and the dictionary term
// inside it (the longest one: 乙型肝炎, not 肝炎 inside it).
var (
	zhConditions = []struct{ phrase, term, icd string }{
		{"2型糖尿病", "糖尿病", "E11.9"}, {"原发性高血压", "高血压", "I10"}, {"冠心病", "冠心病", "I25.1"},
		{"支气管哮喘", "哮喘", "J45.9"}, {"慢性乙型肝炎", "乙型肝炎", "B18.1"}, {"继发性肺结核", "肺结核", "A16.2"},
		{"抑郁症", "抑郁症", "F32.9"}, {"脑卒中后遗症", "脑卒中", "I69.3"}, {"癫痫", "癫痫", "G40.9"},
		{"帕金森病", "帕金森", "G20"}, {"乳腺癌术后", "乳腺癌", "C50.9"}, {"慢阻肺急性加重", "慢阻肺", "J44.1"},
	}
	zhSymptoms   = []string{"头痛", "咳嗽", "胸闷", "发热", "乏力", "心悸", "腹痛", "失眠"}
	enConditions = []struct{ term, icd string }{
		{"asthma", "J45.909"}, {"hypertension", "I10"}, {"diabetes", "E11.9"}, {"depression", "F32.9"},
		{"epilepsy", "G40.909"}, {"COPD", "J44.9"}, {"tuberculosis", "A15.0"}, {"stroke", "I63.9"},
	}
	enBeliefs = []string{"Catholic", "Muslim", "Buddhist", "Hindu", "Jewish", "Protestant"}
)

// buildMedicalNotesZH: outpatient notes: keywords (患者, 主诉, 既往史, 诊断,
// ICD-10) before disease terms and codes, contact details and the home
// address after 家庭住址.
func buildMedicalNotesZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("门诊病历摘录\n\n")
	for i := 0; i < max(12, c.rows/3); i++ {
		p := g.newPerson(false)
		sex := "女"
		if p.male {
			sex = "男"
		}
		age := c.asOf.Year() - p.birth.Year()
		cur, past := pick(g, zhConditions), pick(g, zhConditions)
		d.s("病历号 BL2026-" + g.digits(5) + "\n")
		d.s("患者" + p.zh + "，" + sex + "，" + strconv.Itoa(age) + "岁。主诉：" + pick(g, zhSymptoms) +
			strconv.Itoa(1+g.r.IntN(14)) + "天。\n")
		d.f("既往史：{}"+strconv.Itoa(1+g.r.IntN(20))+"年，规律服药。\n", catVal(TypeMedical, past.term))
		// The phrase around the term is written as text; only the term is
		// labelled.
		pre, post := cut(cur.phrase, cur.term)
		d.f("诊断："+pre+"{}"+post+"（ICD-10：{}）。\n", catVal(TypeMedical, cur.term), catVal(TypeMedical, cur.icd))
		switch i % 3 {
		case 0:
			d.f("联系电话：{}；家庭住址：{}。\n\n", g.landlineVal(i/3%4), g.addrVal())
		case 1:
			d.f("手机：{}，家庭住址：{}。\n\n", g.mobileVal(i%6), g.addrVal())
		default:
			d.f("家属电话 {}，住址：{}。\n\n", g.intlPhoneVal(), g.addrVal())
		}
	}
	return d, nil
}

// cut splits s around the first occurrence of sub.
func cut(s, sub string) (string, string) {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return s[:i], s[i+len(sub):]
		}
	}
	return s, ""
}

// profileSentences are the sentences of Chinese staff profiles, one
// subject per paragraph.
var profileSentences = []sentence{
	func(g *gen, d *doc, p person) {
		d.f(p.zh+"，民族：{}，政治面貌：", catVal(TypeIdentity, pick(g, ethnicities)))
		if pol := pick(g, politics); pol == "群众" {
			d.s("群众。")
		} else {
			d.f("{}。", catVal(TypeIdentity, pol))
		}
	},
	func(g *gen, d *doc, p person) { d.f("家庭住址：{}。", g.addrVal()) },
	func(g *gen, d *doc, p person) {
		d.f("他信仰{}多年，每周参加活动。", catVal(TypeReligion, pick(g, religionsZH[6:])))
	},
	func(g *gen, d *doc, p person) {
		d.f("办公电话：{}，传真 {}。", g.landlineVal(0), g.landlineVal(1))
	},
	func(g *gen, d *doc, p person) {
		d.f("名下车辆车牌 {}，常停地下车库。", g.plateVal(g.r.IntN(3)))
	},
	func(g *gen, d *doc, p person) {
		d.f("港澳通行证 {}，下月赴港出差。", g.hkMacauPermitVal("CW"))
	},
	func(g *gen, d *doc, p person) { d.f("往来台湾通行证 {} 已签注。", g.twPermitVal()) },
	func(g *gen, d *doc, p person) { d.f("所在公司统一社会信用代码：{}。", g.usccVal()) },
	func(g *gen, d *doc, p person) { d.f("工作手机串号（IMEI）：{}。", g.imeiVal(g.r.IntN(3))) },
	func(g *gen, d *doc, p person) { d.f("座机 {}（分机 "+g.digits(3)+"）。", g.landlineVal(4)) },
	func(g *gen, d *doc, p person) {
		d.f("残疾类别：{}，已办理残疾证。", catVal(TypeIdentity, pick(g, disabilities[5:])))
	},
	func(g *gen, d *doc, p person) {
		d.f("宗教信仰：{}。", catVal(TypeReligion, pick(g, religionsZH[6:11])))
	},
	func(g *gen, d *doc, p person) { d.f("回乡证号码 {}，常住香港。", g.hkMacauPermitVal("HM")) },
	func(g *gen, d *doc, p person) { d.f("海外联系方式：{}。", g.intlPhoneVal()) },
	func(g *gen, d *doc, p person) { d.f("通讯地址：{}，邮编 "+g.digits(6)+"。", g.addrVal()) },
}

// buildProfilesZH: staff profiles in Chinese prose: specific identity
// (民族, 政治面貌, 残疾) and religion next to their keywords, addresses,
// landlines, plates, permits, credit codes and IMEIs.
func buildProfilesZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("员工档案摘要\n\n")
	g.prose(d, profileSentences, max(12, c.rows/5), 5, "\n\n")
	return d, nil
}

// caseNoteSentences are English case notes.
var caseNoteSentences = []sentence{
	func(g *gen, d *doc, p person) {
		cnd := pick(g, enConditions)
		d.f("Patient admitted on 2026-10-0"+strconv.Itoa(1+g.r.IntN(9))+" with {}; ICD-10 {}. ",
			catVal(TypeMedical, cnd.term), catVal(TypeMedical, cnd.icd))
	},
	func(g *gen, d *doc, p person) {
		d.f("Diagnosed with {} in "+strconv.Itoa(2000+g.r.IntN(25))+", stable on treatment. ", catVal(TypeMedical, pick(g, enConditions).term))
	},
	func(g *gen, d *doc, p person) {
		d.f("She is a practising {} and asked for a chaplain visit. ", catVal(TypeReligion, pick(g, enBeliefs)))
	},
	func(g *gen, d *doc, p person) { d.f("Call the family on {} after 6pm. ", g.intlPhoneVal()) },
	func(g *gen, d *doc, p person) {
		d.f("Religion: {}. ", catVal(TypeReligion, pick(g, []string{"Buddhism", "Christianity", "Islam", "Hinduism"})))
	},
	func(g *gen, d *doc, p person) { d.f("Her phone (IMEI {}) was returned. ", g.imeiVal(0)) },
	func(g *gen, d *doc, p person) {
		d.f("Portal login from {} on the ward Wi-Fi. ", g.ipv6Val(g.r.IntN(4)))
	},
	func(g *gen, d *doc, p person) { d.f("Bedside monitor MAC {} was replaced. ", g.macVal(g.r.IntN(5))) },
	func(g *gen, d *doc, p person) {
		d.f("Home Return Permit No. {} was copied. ", g.hkMacauPermitVal("HM"))
	},
	func(g *gen, d *doc, p person) { d.f("Office landline tel {} on weekdays. ", g.landlineVal(3)) },
	func(g *gen, d *doc, p person) { d.f("The biometric log kept template {} for audit. ", g.templateVal()) },
}

// buildCaseNotesEN: English case notes as markdown bullets.
func buildCaseNotesEN(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	d.s("# Case notes\n\n")
	g.prose(d, caseNoteSentences, max(12, c.rows/5), 4, "\n\n")
	return d, nil
}

package corpus

import (
	"strconv"
	"time"
)

// Files of the PIPL Art. 28 sensitive categories in structured data:
// medical records, biometric enrolments and a call centre's speaker
// embeddings. Category values are labelled with the whole trimmed field
// value as canonical value; values that mean "none" are not labelled.

var departments = []string{"内分泌科", "心内科", "呼吸内科", "消化内科", "儿科", "骨科", "精神科", "全科"}

// icdFor pairs the Chinese diagnoses with their ICD-10 codes.
var icdFor = map[string]string{
	"正常": "Z00.0", "2型糖尿病": "E11.9", "原发性高血压": "I10", "急性支气管炎": "J20.9", "支气管哮喘": "J45.9",
	"冠心病": "I25.1", "慢性乙型肝炎": "B18.1", "肺结核": "A15.0", "抑郁症": "F32.9", "腰椎间盘突出症": "M51.2",
	"急性上呼吸道感染": "J06.9", "过敏性鼻炎": "J30.4",
}

// buildOutpatientZH: outpatient visits with a birth-date column (children
// are minors, record-level; the first two rows are the 14th-birthday
// edges), a diagnosis, its ICD-10 code and allergies. No other field
// holds a medical keyword, so only the fields are findings.
func buildOutpatientZH(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("就诊号", "患者姓名", "性别", "出生日期", "科室", "诊断", "icd_code", "过敏史", "就诊日期")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(i%5 == 1)
		switch i {
		case 0:
			p.birth = c.asOf.AddDate(-14, 0, 0)
		case 1:
			p.birth = c.asOf.AddDate(-14, 0, 1)
		}
		p.minor = isMinor(p.birth, c.asOf)
		sex := "女"
		if p.male {
			sex = "男"
		}
		dept := pick(g, departments)
		if p.minor {
			dept = "儿科"
		}
		diag := pick(g, diagnosesZH)
		visit := c.asOf.AddDate(0, 0, -g.r.IntN(180))
		cells := []cell{t("MZ" + visit.Format("20060102") + g.digits(4)), cv(nameVal(p.zh)), t(sex), t(date(p)), t(dept),
			catCell(TypeMedical, diag), catCell(TypeMedical, icdFor[diag]), catCell(TypeMedical, pick(g, allergiesZH)),
			t(visit.Format("2006-01-02"))}
		tb.row(minorCells(p.minor, cells)...)
	}
	return d, nil
}

// buildEHRJSONL: English electronic health records, one patient per line,
// with a date of birth (children are minors). One line in ten carries a
// free-text note whose keyword ("Patient") stands within a few bytes of the
// diagnosis field of the same record.
func buildEHRJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(i%6 == 3)
		name := p.enName()
		if i%2 == 0 {
			name = g.westernName()
		}
		k := g.r.IntN(len(diagnosesEN))
		kv := []any{"mrn", jt("MRN" + g.digits(7)), "patient_name", js(nameVal(name)), "dob", jt(date(p)),
			"sex", jt(pick(g, []string{"F", "M"}))}
		if i%10 == 7 {
			kv = append(kv, "note", jt("Patient reports better sleep since the last visit."))
		}
		kv = append(kv, "diagnosis", jcat(TypeMedical, diagnosesEN[k]), "icd10", jcat(TypeMedical, icdEN[k]),
			"allergies", jcat(TypeMedical, pick(g, allergiesEN)), "medications", jcat(TypeMedical, pick(g, medicationsEN)),
			"blood_type", jcat(TypeMedical, pick(g, bloodTypes)), "visit", jt(c.asOf.AddDate(0, 0, -g.r.IntN(365)).Format("2006-01-02")))
		d.json(markJSON(obj(kv...), p.minor), "")
		d.s("\n")
	}
	return d, nil
}

// jcat is a JSON string holding a category field value (labelled unless it
// means "none").
func jcat(typ, s string) jv {
	cl := catCell(typ, s)
	return js(cl...)
}

// buildFaceEnrollmentJSONL: face enrolments, one per line: a 128-d
// embedding as a JSON array of numbers, a 512-d one as base64 of its
// float32 bytes, or a bracketed list in a string.
func buildFaceEnrollmentJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < max(24, c.rows/2); i++ {
		p := g.newPerson(false)
		at := c.asOf.Add(-time.Duration(g.r.IntN(86400*120)) * time.Second)
		kv := []any{"user_id", jt("U" + strconv.Itoa(100000+i*37)), "full_name", js(nameVal(p.zh))}
		switch i % 3 {
		case 0:
			kv = append(kv, "model", jt("arcface-r100"), "face_embedding", jn(g.faceVal(TypeFace, 128, 0)))
		case 1:
			kv = append(kv, "model", jt("insightface-512"), "face_feature", js(g.faceVal(TypeFace, 512, 3)))
		default:
			kv = append(kv, "model", jt("facenet-128"), "face_vector", js(g.faceVal(TypeFace, 128, 1)))
		}
		kv = append(kv, "quality", jn(txt("0."+g.digits(2))), "captured_at", jt(at.Format(time.RFC3339)))
		d.json(obj(kv...), "")
		d.s("\n")
	}
	return d, nil
}

// buildBiometricCSV: an access-control enrolment table: a face feature (a
// quoted list of numbers or base64), a voiceprint (base64 or a list), an
// iris code (hex or base64) and an ISO/IEC 19794-2 fingerprint template
// (base64), each in a column of its own.
func buildBiometricCSV(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("员工编号", "姓名", "人脸特征", "声纹特征", "虹膜特征", "指纹模板", "录入时间")
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(false)
		face := g.faceVal(TypeFace, 256, 2+i%2)
		voice := g.faceVal(TypeVoice, 192, 3)
		if i%2 == 1 {
			voice = g.faceVal(TypeVoice, 192, 2)
		}
		iris := cv(g.irisVal(i % 2))
		if i%4 == 3 {
			iris = t("")
		}
		at := c.asOf.Add(-time.Duration(g.r.IntN(86400*365)) * time.Second)
		tb.row(t("EMP"+strconv.Itoa(20000+i)), cv(nameVal(p.zh)), cv(face), cv(voice), iris, cv(g.templateVal()),
			t(at.Format("2006-01-02 15:04:05")))
	}
	return d, nil
}

// buildSpeakerJSONL: a call centre's speaker identification: the caller's
// name and phone and a 192-d speaker embedding (x-vector) under
// "speaker_embedding", a voiceprint column name of the catalogue.
func buildSpeakerJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < max(12, c.rows/5); i++ {
		p := g.newPerson(false)
		ph := g.mobileVal(i % 6)
		if i%2 == 1 {
			ph = g.intlPhoneVal()
		}
		d.json(obj("call_id", jt("call-"+g.hex(8)), "customer_name", js(nameVal(p.enName())),
			"phone", js(ph), "speaker_embedding", jn(g.faceVal(TypeVoice, 192, 0)),
			"duration_s", jnum(30+g.r.IntN(600))), "")
		d.s("\n")
	}
	return d, nil
}

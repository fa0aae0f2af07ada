package corpus

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Files of the formats data engineers store: Parquet, Avro, archives and
// Office documents. Their labels are recorded like the text files'; the
// file's bytes are encoded from the labelled content (doc.raw). Archive
// members are built by the text builders and their labels carry the
// archive's path, since findings name the archive as their object.

// pqPatient is the Parquet table's row: flat, nested, repeated and typed
// columns, a birth date (minors are record-level) and a lat/lng pair. The
// date is written as its day number: parquet-go v0.32 writes a time.Time
// tagged date as a wrong day number.
type pqPatient struct {
	Name      string `parquet:"name"`
	IDNo      string `parquet:"id_no"`
	Mobile    string `parquet:"mobile,optional"`
	Email     string `parquet:"email"`
	BirthDate int32  `parquet:"birth_date,date"` // days since 1970-01-01
	Emergency struct {
		Name  string `parquet:"name"`
		Phone string `parquet:"phone"`
	} `parquet:"emergency_contact"`
	Tags []string `parquet:"tags,list"`
	Lat  float64  `parquet:"lat"`
	Lng  float64  `parquet:"lng"`
	Note string   `parquet:"note"`
}

// buildPatientsParquet: a patient table in row groups of 32 rows.
func buildPatientsParquet(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	rows := make([]pqPatient, c.rows)
	for i := range rows {
		p := g.newPerson(i%6 == 4)
		r := &rows[i]
		lbl := func(v val) string {
			d.v(mark(v, p.minor))
			return v.written
		}
		// "name" and "emergency_contact.name" are bare name columns of a
		// record holding a resident ID and phones: names.
		r.Name = lbl(nameVal(p.zh))
		r.IDNo = lbl(g.idVal(p, 0, i%7 == 3))
		if i%5 != 2 {
			r.Mobile = lbl(g.mobileVal(i % 6))
		}
		r.Email = lbl(g.emailVal(p))
		r.BirthDate = int32(p.birth.Unix() / 86400)
		r.Emergency.Name = lbl(nameVal(g.newPerson(false).zh))
		r.Emergency.Phone = lbl(g.anyMobile())
		r.Tags = []string{pick(g, []string{"门诊", "住院", "复诊"}), "app"}
		pt := g.cnPoint(false)
		r.Lat, r.Lng = float64(pt.lat)/1e6, float64(pt.lng)/1e6
		lbl(val{typ: TypeGPS, canon: pt.canon(), written: strconv.FormatFloat(r.Lat, 'f', -1, 64)})
		if i%4 == 1 {
			r.Note = g.quietDecoyZH()
		}
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqPatient](&buf, parquet.MaxRowsPerRowGroup(32), parquet.CreatedBy("piiscan-corpus", "1", "0"))
	if _, err := w.Write(rows); err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	d.raw = buf.Bytes()
	return d, nil
}

// avroUsersSchema is the Avro table's schema: nullable unions, a nested
// record, a date (minors are record-level), an array and a map.
const avroUsersSchema = `{"type":"record","name":"user","namespace":"piiscan.corpus","fields":[
 {"name":"user_id","type":"long"},
 {"name":"name","type":"string"},
 {"name":"id_card","type":["null","string"]},
 {"name":"mobile","type":"string"},
 {"name":"email","type":["null","string"]},
 {"name":"birthday","type":{"type":"int","logicalType":"date"}},
 {"name":"bank","type":{"type":"record","name":"bank","fields":[
   {"name":"iban","type":"string"},{"name":"card_no","type":["null","string"]}]}},
 {"name":"last_login_ip","type":"string"},
 {"name":"tags","type":{"type":"array","items":"string"}},
 {"name":"profile","type":{"type":"map","values":"string"}}]}`

// buildUsersAvro: an Avro object container file, deflate blocks of 16.
func buildUsersAvro(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	var records []any
	for i := range c.rows {
		p := g.newPerson(i%7 == 2)
		lbl := func(v val) string {
			d.v(mark(v, p.minor))
			return v.written
		}
		var id, mail, card any
		if i%6 != 5 {
			id = lbl(g.idVal(p, 0, false))
		}
		if i%4 != 3 {
			mail = lbl(g.emailVal(p))
		}
		mobile := lbl(g.mobileVal(i % 6))
		bank := map[string]any{"iban": lbl(g.ibanVal()), "card_no": card}
		if i%3 == 0 {
			bank["card_no"] = lbl(g.cardVal())
		}
		ip := lbl(g.ipVal())
		// One key per map: Go's map order would make the bytes differ.
		profile := map[string]any{"nickname": p.enName()}
		if i%5 == 0 {
			profile = map[string]any{"backup_phone": lbl(g.anyMobile())}
		}
		records = append(records, map[string]any{
			"user_id": int64(10000 + i), "name": lbl(nameVal(p.zh)), "id_card": id, "mobile": mobile, "email": mail,
			"birthday": p.birth, "bank": bank, "last_login_ip": ip,
			"tags": []any{pick(g, []string{"vip", "新客", "老客"})}, "profile": profile,
		})
	}
	var err error
	d.raw, err = Avro(avroUsersSchema, records, 16)
	return d, err
}

// memberSpec is one archive member and the builder of its content.
type memberSpec struct {
	name  string
	build func(c *config, path string) (*doc, error)
}

// buildArchive writes members into a zip or a tar.gz (by the path's
// extension); each member's labels move to the archive's path.
func buildArchive(members []memberSpec) func(c *config, path string) (*doc, error) {
	return func(c *config, path string) (*doc, error) {
		d := newDoc(path)
		d.gzip = false
		var ms []Member
		for _, m := range members {
			md, err := m.build(c, path+"/"+m.name)
			if err != nil {
				return nil, err
			}
			data, err := md.encode()
			if err != nil {
				return nil, err
			}
			ms = append(ms, Member{Name: m.name, Data: data})
			for _, l := range md.labels {
				l.Path = path
				d.labels = append(d.labels, l)
			}
		}
		var err error
		if strings.HasSuffix(path, ".zip") {
			d.raw, err = Zip(ms)
		} else {
			d.raw, err = TarGz(ms)
		}
		return d, err
	}
}

// buildCustomersXLSX: a workbook with a customer sheet (birth dates as
// date cells, shared and inline strings) and a payments sheet.
func buildCustomersXLSX(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	lv := func(v val, minor bool, kind string) Cell {
		d.v(mark(v, minor))
		return Cell{Text: v.written, Kind: kind}
	}
	customers := Sheet{Name: "客户", Rows: [][]Cell{{{Text: "姓名"}, {Text: "身份证号"}, {Text: "手机号"}, {Text: "邮箱"},
		{Text: "出生日期"}, {Text: "城市"}, {Text: "备注"}}}}
	for i := range c.rows {
		p := g.newPerson(i%6 == 1)
		kind := ""
		if i%3 == 2 {
			kind = "inline"
		}
		note := Cell{Text: pick(g, zhNotes)}
		if i%8 == 5 {
			note = Cell{Text: g.quietDecoyZH()}
		}
		// Names repeat: inline strings keep one occurrence per cell.
		customers.Rows = append(customers.Rows, []Cell{lv(nameVal(p.zh), p.minor, "inline"), lv(g.idVal(p, i%8/7, false), p.minor, kind),
			lv(g.mobileVal(i%6), p.minor, ""), lv(g.emailVal(p), p.minor, kind), {Text: date(p), Kind: "date"},
			{Text: pick(g, cityNames)}, note})
	}
	payments := Sheet{Name: "Payments", Rows: [][]Cell{{{Text: "payer"}, {Text: "iban"}, {Text: "card_number"}, {Text: "amount"}}}}
	for range max(10, c.rows/4) {
		p := g.newPerson(false)
		payments.Rows = append(payments.Rows, []Cell{{Text: p.enName()}, lv(g.ibanVal(), false, ""),
			lv(g.cardVal(), false, "inline"), {Text: strconv.Itoa(g.r.IntN(50000)) + "." + g.digits(2), Kind: "number"}})
	}
	var err error
	d.raw, err = XLSX([]Sheet{customers, payments})
	return d, err
}

// buildLetterDOCX: the Chinese prose as a Word document, one paragraph per
// line.
func buildLetterDOCX(c *config, path string) (*doc, error) {
	d, err := buildProseZH(c, path)
	if err != nil {
		return nil, err
	}
	d.raw, err = DOCX(strings.Split(string(d.b), "\n"))
	return d, err
}

// buildDeckPPTX: the English prose as slides of eight paragraphs.
func buildDeckPPTX(c *config, path string) (*doc, error) {
	d, err := buildProseEN(c, path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(d.b), "\n")
	var slides [][]string
	for len(lines) > 0 {
		n := min(8, len(lines))
		slides = append(slides, lines[:n])
		lines = lines[n:]
	}
	d.raw, err = PPTX(slides)
	return d, err
}

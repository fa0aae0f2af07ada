package corpus

import (
	"strconv"
	"time"
)

// latLng returns a {lat, lng} pair of JSON numbers under the given key
// names; the latitude carries the coordinate's label.
func (g *gen) latLng(latKey, lngKey string, four bool) []any {
	dec := 6
	if four {
		dec = 4
	}
	p := g.newPoint(four)
	lat := val{typ: TypeGPS, canon: p.canon(), written: micro(p.lat, dec)}
	return []any{latKey, jn(lat), lngKey, jn(txt(micro(p.lng, dec)))}
}

// buildUsersJSON: a pretty-printed array of user objects (each element a
// record) with a birthday field, nested tags and some minors.
func buildUsersJSON(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	users := make([]jv, 0, c.rows)
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(i%7 == 3)
		u := obj("id", jnum(1000+i), "name", js(nameVal(p.zh)), "birthday", jt(date(p)),
			"id_card", js(g.idVal(p, 0, i%9 == 4)), "mobile", js(g.mobileVal(i%6)), "email", js(g.emailVal(p)),
			"tags", arr(jt(pick(g, []string{"vip", "新客", "老客"})), jt("app")),
			"last_login_ip", js(g.ipVal()), "app_version", jt(g.version()))
		// Each array element is a record; a minor's birthday makes all its
		// values a minor's.
		users = append(users, markJSON(u, p.minor))
	}
	d.json(arr(users...), "  ")
	d.s("\n")
	return d, nil
}

// buildPatientJSON: one document of nested objects and arrays
// ({"patient": {"id_no": ...}}); the patient is an adult.
func buildPatientJSON(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	p, ec := g.newPerson(false), g.newPerson(false)
	// One latitude/longitude field pair per document: the document is one
	// record, and a record holds one field-pair coordinate. The second
	// visit writes its position as text.
	pre, where, post := g.gpsPhrase(2)
	visits := []jv{
		obj("site", jt("浦东服务网点"), "time", jt("2026-11-02T09:30:00+08:00"),
			"location", obj(g.latLng("latitude", "longitude", true)...)),
		obj("site", jt("天河服务网点"), "time", jt("2026-11-15T14:10:00+08:00"),
			"position", js(txt(pre), where, txt(post))),
	}
	doc := obj(
		"record_id", jt("MR-2026-"+g.digits(6)),
		"patient", obj(
			"name", js(nameVal(p.zh)),
			"birthday", jt(date(p)),
			"id_no", js(g.idVal(p, 0, false)),
			"passport", js(g.passportVal()),
			"contacts", arr(
				obj("type", jt("mobile"), "value", js(g.mobileVal(1))),
				obj("type", jt("email"), "value", js(g.emailVal(p))),
			),
			"emergency_contact", obj("name", js(nameVal(ec.zh)), "phone", js(g.mobileVal(0))),
		),
		"visits", arr(visits...),
		"billing", obj("card_no", js(g.cardVal()), "amount", jn(txt(strconv.Itoa(g.r.IntN(5000))+"."+g.digits(2)))),
		"audit", obj("request", jt(g.uuid()), "ts", jn(txt(g.unixTS()))),
	)
	d.json(doc, "  ")
	d.s("\n")
	return d, nil
}

// buildAccountJSON: a nested account profile with IBAN, cards, a login
// history array and HK/TW identity numbers.
func buildAccountJSON(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	p := g.newPerson(false)
	var logins []jv
	for i := 0; i < max(3, c.rows/8); i++ {
		at := c.asOf.Add(-time.Duration(g.r.IntN(86400*60)) * time.Second)
		logins = append(logins, obj("ip", js(g.ipVal()), "at", jt(at.Format(time.RFC3339)), "ok", jn(txt("true"))))
	}
	doc := obj(
		"account", obj(
			"owner", jt(p.enName()),
			"email", js(g.emailVal(p)),
			"iban", js(g.ibanVal()),
			"cards", arr(
				obj("brand", jt("unionpay"), "number", js(g.cardVal())),
				obj("brand", jt("other"), "number", js(g.cardVal())),
			),
			"identity", obj("hk_id", js(g.hkVal()), "tw_id", js(g.twVal())),
			"login_history", arr(logins...),
		),
		"meta", obj("version", jt(g.version()), "checksum", jt(g.hex(64)), "created", jn(txt(g.unixTS()))),
	)
	d.json(doc, "\t")
	d.s("\n")
	return d, nil
}

// buildInventoryDecoyJSON: a PII-free array of stock items full of decoys.
func buildInventoryDecoyJSON(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	items := make([]jv, 0, c.rows)
	for i := 0; i < c.rows; i++ {
		items = append(items, obj(
			"sku", jt("SKU-"+g.hex(8)), "batch", jt(g.passportShape()), "order_no", jt(g.orderNo()),
			"price", jn(txt(strconv.Itoa(1+g.r.IntN(999))+"."+g.digits(2))), "updated", jn(txt(g.unixTS())),
			"firmware", jt(g.version()), "checksum", jt(g.hex(40)), "note", jt(g.noisyDecoyEN())))
	}
	d.json(arr(items...), "  ")
	d.s("\n")
	return d, nil
}

// buildEventsJSONL: one app event per line with contact data, the client
// IP and a location object. No subject id field, so no location trace.
func buildEventsJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	events := []string{"login", "logout", "view", "share", "checkout"}
	for i := 0; i < c.rows*2; i++ {
		p := g.newPerson(false)
		at := c.asOf.Add(-time.Duration(g.r.IntN(86400*7)) * time.Second)
		// Four kinds of events: contact data, a location object (a field
		// pair), telemetry decoys only, and a coordinate written as text.
		kv := []any{"ts", jt(at.Format(time.RFC3339)), "event", jt(pick(g, events))}
		switch i % 4 {
		case 0:
			kv = append(kv, "contact", obj("email", js(g.emailVal(p)), "phone", js(g.mobileVal(i%6))), "ip", js(g.ipVal()))
		case 1:
			kv = append(kv, "ip", js(g.ipVal()), "geo", obj(g.latLng("lat", "lng", i%3 == 0)...))
		case 2:
			kv = append(kv, "app_version", jt(g.version()), "trace_id", jt(g.uuid()), "ts_ms", jn(txt(g.unixTS())))
		default:
			pre, v, post := g.gpsPhrase(i / 4 % 4)
			kv = append(kv, "message", js(txt("shared location "+pre), v, txt(post+" ok")))
		}
		d.json(obj(kv...), "")
		d.s("\n")
	}
	return d, nil
}

// buildKYCJSONL: identity checks, one applicant per line, with a date of
// birth (minors are record-level) and one identity document each.
func buildKYCJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows; i++ {
		p := g.newPerson(i%6 == 2)
		kv := []any{"applicant", jt(p.zh), "dob", jt(date(p))}
		switch i % 4 {
		case 0:
			kv = append(kv, "id_type", jt("resident_id"), "id_no", js(g.idVal(p, 0, i%8 == 0)))
		case 1:
			kv = append(kv, "id_type", jt("passport"), "passport_no", js(g.passportVal()))
		case 2:
			kv = append(kv, "id_type", jt("hkid"), "hkid", js(g.hkVal()))
		default:
			kv = append(kv, "id_type", jt("twid"), "tw_id", js(g.twVal()))
		}
		kv = append(kv, "mobile", js(g.anyMobile()), "iban", js(g.ibanVal()), "verified", jn(txt("true")))
		d.json(markJSON(obj(kv...), p.minor), "")
		d.s("\n")
	}
	return d, nil
}

// buildMetricsDecoyJSONL: PII-free metrics lines full of decoys.
func buildMetricsDecoyJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows*2; i++ {
		d.json(obj("ts", jn(txt(g.unixTS())), "host", jt("web-0"+strconv.Itoa(1+g.r.IntN(9))),
			"version", jt(g.version()), "latency_ms", jn(txt(strconv.Itoa(g.r.IntN(900))+"."+g.digits(1))),
			"trace_id", jt(g.uuid()), "waybill", jt(g.orderNo()), "peer", jt(g.badIP()),
			"ratio", jt(g.shortDecimals()), "msg", jt(g.noisyDecoyEN())), "")
		d.s("\n")
	}
	return d, nil
}

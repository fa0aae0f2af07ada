package corpus

import (
	"slices"
	"strconv"
	"time"
)

// Network logs (MAC and IPv6 addresses, fingerprint templates in an access
// control log) and location pings of devices, phones and vehicles. A
// subject with three or more distinct points in one file is a location
// trace: one label per subject, whose canonical value is the subject's
// value (a device_id or imei field) or, without such a field, the first
// personal identifier of its records (a phone number). Subjects with one or
// two points are not traces; their coordinates are still labelled.

// buildNetworkLog: DHCP, Wi-Fi, SSH and web server lines with IPv4, IPv6
// and MAC addresses in all written forms, among times and versions with
// colons.
func buildNetworkLog(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows*2; i++ {
		d.s(g.logTime(c).Format("2006-01-02 15:04:05.000")).s(" ")
		switch i % 7 {
		case 0:
			d.f("dhcpd: DHCPACK on {} to {} (android-"+g.hex(6)+") via eth0\n", g.ipVal(), g.macVal(i/7%2))
		case 1:
			d.f("hostapd: wlan0: STA {} IEEE 802.11: associated (aid "+strconv.Itoa(1+g.r.IntN(30))+")\n", g.macVal(2+i/7%2))
		case 2:
			d.f("sshd["+strconv.Itoa(1000+g.r.IntN(9000))+"]: Accepted publickey for deploy from {} port "+
				strconv.Itoa(40000+g.r.IntN(20000))+" ssh2\n", g.ipv6Val(i/7%4))
		case 3:
			d.s("kernel: IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready, uptime " + g.clockText() + "\n")
		case 4:
			d.f("nginx: client {} request GET /api/v1/ping status 200 in 0."+g.digits(3)+"s\n", g.ipv6Val((i/7+1)%4))
		case 5:
			d.f("arp: {} is-at {} on vlan"+strconv.Itoa(10+g.r.IntN(90))+"\n", g.ipVal(), g.macVal(4))
		default:
			d.s("ntpd: clock offset " + g.clockText() + ", loopback ::1 ignored, mac filter 00:00:00:00:00:00 skipped\n")
		}
	}
	return d, nil
}

// clockText is a time of day with milliseconds, a colon-separated decoy.
func (g *gen) clockText() string {
	two := func(n int) string { return strconv.Itoa(100 + n)[1:] }
	return two(g.r.IntN(24)) + ":" + two(g.r.IntN(60)) + ":" + two(g.r.IntN(60)) + "." + g.digits(3)
}

// buildAccessLog: an access-control log: fingerprint templates (base64)
// after a space or as key=value, station MAC addresses, and lines about
// templates that hold none.
func buildAccessLog(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows; i++ {
		d.s(g.logTime(c).Format("2006-01-02 15:04:05.000")).s(" ")
		gate := "[gate-" + strconv.Itoa(1+g.r.IntN(8)) + "] "
		emp := "EMP" + strconv.Itoa(20000+g.r.IntN(c.rows))
		switch i % 5 {
		case 0:
			d.f("INFO  "+gate+"fingerprint enrolled emp="+emp+" template {} quality="+strconv.Itoa(40+g.r.IntN(60))+"\n", g.templateVal())
		case 1:
			d.f("INFO  "+gate+"fingerprint verify emp="+emp+" template={} score="+strconv.Itoa(g.r.IntN(100))+"\n", g.templateVal())
		case 2:
			d.f("INFO  [wifi] station {} associated, bssid={}\n", g.macVal(i/5%4), g.macVal(0))
		case 3:
			d.s("DEBUG " + gate + "FMR header ok for badge B" + g.digits(4) + ", no template stored\n")
		default:
			d.f("INFO  [vpn] session from {} assigned {}\n", g.ipv6Val(i/5%4), g.ipVal())
		}
	}
	return d, nil
}

// walk returns n distinct points of a path starting near a Chinese city,
// each 100 to 5,000 microdegrees from the last (rounded to four decimals
// when four is set).
func (g *gen) walk(n int, four bool) []point {
	p := g.cnPoint(four)
	pts := make([]point, n)
	for i := range pts {
		pts[i] = p
		p.lat += (1 + g.r.IntN(50)) * 100
		p.lng += (1 + g.r.IntN(50)) * 100 * (1 - 2*g.r.IntN(2))
	}
	return pts
}

// ping is one location report of a subject.
type ping struct {
	subj int
	p    point
	at   time.Time
}

// pings draws the points of subjects: most have 3-8 (a trace), every
// fourth has one or two. They are returned in time order, interleaved.
func (g *gen) pings(c *config, subjects int, four func(int) bool) ([]ping, []int) {
	var out []ping
	counts := make([]int, subjects)
	for s := range subjects {
		n := 3 + g.r.IntN(6)
		if s%4 == 3 {
			n = 1 + s/4%2
		}
		counts[s] = n
		at := c.asOf.Add(-time.Duration(1+g.r.IntN(72)) * time.Hour)
		for _, p := range g.walk(n, four(s)) {
			out = append(out, ping{subj: s, p: p, at: at})
			at = at.Add(time.Duration(60+g.r.IntN(1800)) * time.Second)
		}
	}
	slices.SortStableFunc(out, func(a, b ping) int { return a.at.Compare(b.at) })
	return out, counts
}

// traceLabel appends a location_trace label for a subject with three or
// more points.
func traceLabel(d *doc, n int, canon, written string) {
	if n >= 3 {
		d.labels = append(d.labels, Label{Path: d.path, DataType: TypeTrace, Canonical: canon, Written: written})
	}
}

// buildDeviceLocations: location reports of devices keyed by device_id,
// latitude and longitude in columns (six decimals, or four for some
// devices).
func buildDeviceLocations(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("device_id", "recorded_at", "lat", "lng", "accuracy_m", "battery_pct")
	n := max(16, c.rows/5)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "dev-" + g.hex(8)
	}
	four := func(s int) bool { return s%3 == 1 }
	ps, counts := g.pings(c, n, four)
	for _, p := range ps {
		dec := 6
		if four(p.subj) {
			dec = 4
		}
		lat := val{typ: TypeGPS, canon: p.p.canon(), written: micro(p.p.lat, dec)}
		tb.row(t(ids[p.subj]), t(p.at.In(cst).Format(time.RFC3339)), cv(lat), t(micro(p.p.lng, dec)),
			t(strconv.Itoa(3+g.r.IntN(40))), t(strconv.Itoa(5+g.r.IntN(95))))
	}
	for s, id := range ids {
		traceLabel(d, counts[s], id, id)
	}
	return d, nil
}

// buildAppPingsJSONL: app pings keyed by the phone's IMEI (a subject field
// and an IMEI column), with its MAC, an IPv6 address and the position as
// two JSON numbers.
func buildAppPingsJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	n := max(8, c.rows/10)
	imeis, macs := make([]val, n), make([]val, n)
	for i := range imeis {
		imeis[i], macs[i] = g.imeiVal(0), g.macVal(i%2)
	}
	ps, counts := g.pings(c, n, func(int) bool { return false })
	for _, p := range ps {
		lat := val{typ: TypeGPS, canon: p.p.canon(), written: micro(p.p.lat, 6)}
		d.json(obj("ts", jt(p.at.In(cst).Format(time.RFC3339)), "imei", js(imeis[p.subj]), "mac", js(macs[p.subj]),
			"ip", js(g.ipv6Val(g.r.IntN(4))), "lat", jn(lat), "lng", jn(txt(micro(p.p.lng, 6))),
			"battery", jnum(5+g.r.IntN(95))), "")
		d.s("\n")
	}
	for s, v := range imeis {
		traceLabel(d, counts[s], v.written, v.written)
	}
	return d, nil
}

// buildCourierTracksJSONL: couriers' positions as "lat,lng" text keyed by
// nothing but the rider's phone number: the phone is the trace's subject.
func buildCourierTracksJSONL(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	n := max(8, c.rows/10)
	phones := make([]val, n)
	for i := range phones {
		phones[i] = g.mobileVal(i % 6)
	}
	ps, counts := g.pings(c, n, func(int) bool { return false })
	for _, p := range ps {
		pos := val{typ: TypeGPS, canon: p.p.canon(), written: micro(p.p.lat, 6) + "," + micro(p.p.lng, 6)}
		d.json(obj("ts", jt(p.at.In(cst).Format(time.RFC3339)), "rider_phone", js(phones[p.subj]),
			"status", jt(pick(g, []string{"picked_up", "delivering", "delivering", "arrived"})), "gps", js(pos)), "")
		d.s("\n")
	}
	for s, v := range phones {
		traceLabel(d, counts[s], v.canon, v.written)
	}
	return d, nil
}

// buildFleetCheckins: vehicles checking in at depots, one or two times
// each: plates, drivers' names and coordinates, but no trace.
func buildFleetCheckins(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	tb := table{d: d, sep: ",", eol: "\n"}
	tb.header("车牌号", "司机姓名", "签到时间", "纬度", "经度", "站点")
	depots := []string{"城东仓", "城西仓", "空港物流园", "南站货场"}
	for i := 0; i < max(20, c.rows/4); i++ {
		plate, driver := g.plateVal(i%3), g.newPerson(false)
		for k := 0; k < 1+i%2; k++ {
			pt := g.cnPoint(false)
			lat := val{typ: TypeGPS, canon: pt.canon(), written: micro(pt.lat, 6)}
			at := c.asOf.Add(-time.Duration(g.r.IntN(86400*7)) * time.Second)
			tb.row(cv(plate), cv(nameVal(driver.zh)), t(at.In(cst).Format("2006-01-02 15:04")), cv(lat),
				t(micro(pt.lng, 6)), t(pick(g, depots)))
		}
	}
	return d, nil
}

package corpus

import (
	"strconv"
	"time"
)

// cst is China Standard Time, the zone of the synthetic logs.
var cst = time.FixedZone("CST", 8*3600)

// userAgents avoid dotted quads: every four-part version has a part > 255.
var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36",
	"curl/8.4.0",
	"okhttp/4.12.0",
}

// logTime returns the next moment of the file's log clock: it starts a week
// before AsOf and advances by up to a minute per line.
func (g *gen) logTime(c *config) time.Time {
	if g.clock.IsZero() {
		g.clock = c.asOf.AddDate(0, 0, -7).In(cst)
	}
	g.clock = g.clock.Add(time.Duration(1+g.r.IntN(60000)) * time.Millisecond)
	return g.clock
}

// nginxLine writes one combined-format access log line; the client address
// is always labelled, query strings sometimes carry a phone or e-mail.
func (g *gen) nginxLine(c *config, d *doc, i int) {
	d.v(g.ipVal()).s(" - - [").s(g.logTime(c).Format("02/Jan/2006:15:04:05 -0700")).s(`] "`)
	switch i % 6 {
	case 0:
		d.f("GET /api/v1/profile?phone={}&lang=zh HTTP/1.1", g.mobileVal(0))
	case 1:
		d.f("GET /api/v1/subscribe?email={}&src=app HTTP/1.1", g.emailVal(g.newPerson(false)))
	case 2:
		d.s("GET /static/js/app." + g.hex(8) + ".js HTTP/1.1")
	case 3:
		d.s("POST /api/v1/login HTTP/1.1")
	case 4:
		d.s("GET /api/v1/search?q=%E6%89%8B%E6%9C%BA&page=" + strconv.Itoa(1+g.r.IntN(9)) + " HTTP/1.1")
	default:
		d.s("GET /health HTTP/1.1")
	}
	d.s(`" `).s(pick(g, []string{"200", "200", "304", "404", "502"})).s(" ").s(strconv.Itoa(200 + g.r.IntN(20000)))
	d.s(` "`).s(pick(g, []string{"-", "https://m.lanting-tech.cn/home", "https://www.qingshan.com.cn/"}))
	d.s(`" "`).s(pick(g, userAgents)).s("\"\n")
}

// buildNginxLog: an access log.
func buildNginxLog(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows*3; i++ {
		g.nginxLine(c, d, i)
	}
	return d, nil
}

// appLine writes one application log line. Values end the line or are
// followed by a space and a key=value pair; an IBAN always ends its line
// so that a following upper-case word cannot pass for one more group.
func (g *gen) appLine(c *config, d *doc, i int) {
	d.s(g.logTime(c).Format("2006-01-02 15:04:05.000")).s(" ")
	switch i % 10 {
	case 0:
		d.f("INFO  [user-service] login ok email={} ip={}\n", g.emailVal(g.newPerson(false)), g.ipVal())
	case 1:
		d.f("WARN  [sms] send failed mobile={} reason=timeout\n", g.anyMobile())
	case 2:
		d.f("INFO  [payment] bind card card={} bank=ICBC\n", g.cardVal())
	case 3:
		d.f("ERROR [payment] transfer rejected code=AM04 iban={}\n", g.ibanVal())
	case 4:
		d.s("DEBUG [geo] position update ")
		g.gpsText(d, 2)
		d.s("\n")
	case 5:
		d.f("INFO  [kyc] verified id={} level=2\n", g.idVal(g.newPerson(false), 0, false))
	case 6:
		d.f("INFO  [kyc] passport check passport={} result=pass\n", g.passportVal())
	case 7:
		d.s("INFO  [build] " + g.quietDecoyEN() + "\n")
	case 8:
		d.s("ERROR [user-service] java.lang.NullPointerException: profile is null\n")
		d.s("\tat com.lanting.user.ProfileService.load(ProfileService.java:" + strconv.Itoa(20+g.r.IntN(400)) + ")\n")
		d.s("\tat com.lanting.user.ProfileController.get(ProfileController.java:57)\n")
	default:
		d.f("INFO  [hk-kyc] document ok hkid={} twid={}\n", g.hkVal(), g.twVal())
	}
}

// buildAppLog: an application log.
func buildAppLog(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows*3; i++ {
		g.appLine(c, d, i)
	}
	return d, nil
}

// buildBuildDecoyLog: a PII-free CI log full of decoys.
func buildBuildDecoyLog(c *config, path string) (*doc, error) {
	g, d := newGen(c, path), newDoc(path)
	for i := 0; i < c.rows*3; i++ {
		d.s(g.logTime(c).Format(time.RFC3339)).s(" ")
		switch i % 4 {
		case 0:
			d.s("step build: go " + g.version() + " sha256:" + g.hex(64) + "\n")
		case 1:
			d.s("step test: ok in " + strconv.Itoa(g.r.IntN(90)) + "." + g.digits(3) + "s, started " + g.unixTS() + "\n")
		default:
			d.s(g.noisyDecoyEN() + "\n")
		}
	}
	return d, nil
}

package corpus

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bulk files make the benchmark corpus: mostly PII-free business lines with
// many decoys and sparse labelled values (about one per 3 KB). They are
// generated in parallel, each from its own random source, so the output does
// not depend on scheduling.

// bulkFileBytes is the size of one bulk file.
const bulkFileBytes = 8 << 20

// bulkFormats are the formats bulk files rotate through.
var bulkFormats = []string{"log", "csv", "jsonl", "txt"}

// piiEvery is the mean number of lines between two labelled lines.
const piiEvery = 24

// generateBulk adds bulk files holding about budget bytes to dir and m.
func generateBulk(c *config, dir string, budget int64, keep func(string) bool, m *Manifest) error {
	var formats []string
	for _, f := range bulkFormats {
		if keep(f) {
			formats = append(formats, f)
		}
	}
	if len(formats) == 0 {
		return nil
	}
	type job struct {
		path string
		size int
	}
	// The split into files depends only on the budget and the formats, and
	// each file's content only on its path, so the output is reproducible
	// however the workers are scheduled.
	var jobs []job
	for i := 0; budget > 0; i++ {
		n := int(min(budget, bulkFileBytes))
		jobs = append(jobs, job{fmt.Sprintf("bulk/part-%05d.%s", i+1, formats[i%len(formats)]), n})
		budget -= int64(n)
	}
	// A fixed pool of workers; results land in their job's slot, so the
	// manifest keeps file order without sorting or locking.
	docs := make([]*doc, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d := bulkDoc(c, jobs[i].path, jobs[i].size)
				_, errs[i] = d.write(dir)
				d.b = nil // keep only the labels
				docs[i] = d
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, d := range docs {
		if errs[i] != nil {
			return errs[i]
		}
		m.add(d)
	}
	return nil
}

// bulkDoc builds one bulk file of about size bytes.
func bulkDoc(c *config, path string, size int) *doc {
	g, d := newGen(c, path), newDoc(path)
	d.b = make([]byte, 0, size+4096)
	f := formatOf(path)
	if f == "csv" {
		d.s("ref_no,created_at,qty,unit_price,amount,status,remark\n")
	}
	base := c.asOf.Add(-7 * 24 * time.Hour).In(cst)
	line := 0
	for len(d.b) < size {
		line++
		at := base.Add(time.Duration(line) * 731 * time.Millisecond)
		switch {
		case g.r.IntN(piiEvery) == 0:
			// Fillers of at least 100 bytes keep negative keywords and
			// passport-shaped decoys out of the labelled value's windows.
			g.bulkFiller(d, f, at, line)
			g.bulkPII(c, d, f, at, line)
			g.bulkFiller(d, f, at, line+1)
		case g.r.IntN(2) == 0:
			g.bulkDecoy(d, f, at, line)
		default:
			g.bulkFiller(d, f, at, line)
		}
	}
	return d
}

// appendTS appends a log timestamp without allocating.
func appendTS(b []byte, t time.Time) []byte {
	return t.AppendFormat(b, "2006-01-02 15:04:05.000")
}

// fillersZH and fillersEN are neutral texts of at least 100 bytes.
var fillersZH = []string{
	"今天的例行巡检已经完成，所有服务运行平稳，没有发现异常告警，下一次巡检安排在明天上午。",
	"本周库存同步任务全部按计划执行，缓存命中率保持稳定，数据库主从延迟处于正常范围之内。",
	"会议纪要：产品组确认了新版首页的改版方案，设计稿将在下周三之前提交评审并同步给测试组。",
}

var fillersEN = []string{
	"The nightly maintenance window finished on schedule; all services reported healthy status and no alerts fired.",
	"Inventory sync completed for every warehouse region, cache hit ratio stayed stable and replication lag was normal.",
	"Meeting notes: the design team agreed on the new landing page layout and will share the final mockups next week.",
}

// bulkFiller writes a neutral line in the file's format.
func (g *gen) bulkFiller(d *doc, f string, at time.Time, line int) {
	zh := pick(g, fillersZH)
	switch f {
	case "log":
		d.b = appendTS(d.b, at)
		d.s(" INFO  [inventory] ").s(pick(g, fillersEN)).s(" keys=")
		d.b = strconv.AppendInt(d.b, int64(g.r.IntN(100000)), 10)
		d.s("\n")
	case "csv":
		d.s("R")
		d.b = strconv.AppendInt(d.b, int64(line), 10)
		d.s(",")
		d.b = at.AppendFormat(d.b, "2006-01-02 15:04:05")
		d.s(",3,12.50,37.50,done,").s(zh).s("\n")
	case "jsonl":
		d.s(`{"ts":"`)
		d.b = at.AppendFormat(d.b, time.RFC3339)
		d.s(`","level":"info","svc":"inventory","msg":"`).s(pick(g, fillersEN)).s(`","keys":`)
		d.b = strconv.AppendInt(d.b, int64(g.r.IntN(100000)), 10)
		d.s("}\n")
	default:
		if line%2 == 0 {
			d.s(zh).s("\n")
		} else {
			d.s(pick(g, fillersEN)).s("\n")
		}
	}
}

// bulkDecoy writes a PII-free line full of look-alikes.
func (g *gen) bulkDecoy(d *doc, f string, at time.Time, line int) {
	switch f {
	case "log":
		d.b = appendTS(d.b, at)
		d.s(" INFO  [trade] ").s(g.noisyDecoyEN()).s("\n")
	case "csv":
		d.s(g.orderNo()).s(",")
		d.b = strconv.AppendInt(d.b, at.Unix(), 10)
		d.s(",1,").s(g.price()).s(",").s(g.unixTS()).s(",pending,").s(g.noisyDecoyZH()).s("\n")
	case "jsonl":
		d.s(`{"ts":`).s(g.unixTS()).s(`,"svc":"trade","trace_id":"`).s(g.uuid()).s(`","msg":"`).s(g.noisyDecoyEN()).s("\"}\n")
	default:
		if line%2 == 0 {
			d.s(g.noisyDecoyZH()).s("。\n")
		} else {
			d.s(g.noisyDecoyEN()).s(".\n")
		}
	}
}

// bulkPII writes one line holding labelled values.
func (g *gen) bulkPII(c *config, d *doc, f string, at time.Time, line int) {
	switch f {
	case "log":
		g.clock = at // keep the log clock near the surrounding lines
		if line%3 == 0 {
			g.nginxLine(c, d, line)
			return
		}
		g.appLine(c, d, line%7)
	case "csv":
		// The labelled sentence goes into the neutral "remark" column: no
		// column name nearby carries a negative keyword.
		p := g.newPerson(false)
		tb := table{d: d, sep: ",", eol: "\n"}
		inner := newDoc(d.path)
		zhSentences[line%(len(zhSentences)-1)](g, inner, p)
		tb.row(t("R"+strconv.Itoa(line)), t(at.Format("2006-01-02 15:04:05")), t("1"), t("0.00"), t("0.00"),
			t("note"), cellOf(inner))
	case "jsonl":
		p := g.newPerson(false)
		var kv []any
		switch line % 5 {
		case 0:
			kv = []any{"mobile", js(g.anyMobile())}
		case 1:
			kv = []any{"email", js(g.emailVal(p))}
		case 2:
			kv = []any{"id_no", js(g.idVal(p, 0, false))}
		case 3:
			kv = []any{"card_no", js(g.cardVal())}
		default:
			kv = append([]any{"client_ip", js(g.ipVal())}, g.latLng("lat", "lng", false)...)
		}
		d.json(obj(append([]any{"ts", jt(at.Format(time.RFC3339)), "svc", jt("crm")}, kv...)...), "")
		d.s("\n")
	default:
		// The last sentence of each list is a decoy; leave it out here.
		p := g.newPerson(false)
		if line%2 == 0 {
			zhSentences[line%(len(zhSentences)-1)](g, d, p)
		} else {
			enSentences[line%(len(enSentences)-1)](g, d, p)
		}
		d.s("\n")
	}
}

// cellOf turns a small doc (text and labels, in order) into one CSV cell.
func cellOf(inner *doc) cell {
	var out cell
	pos := 0
	text := string(inner.b)
	for _, l := range inner.labels {
		i := pos + strings.Index(text[pos:], l.Written)
		out = append(out, txt(text[pos:i]), val{typ: l.DataType, canon: l.Canonical, written: l.Written, minor: l.Minor})
		pos = i + len(l.Written)
	}
	return append(out, txt(text[pos:]))
}

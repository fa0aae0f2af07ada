package benchmarks

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
)

// userPatterns are user-rule patterns of the kinds teams write: a literal
// prefix and digits, a Chinese label, a case-insensitive label, alternative
// labels, an e-mail domain with an unbounded local part, and one pattern
// with no literal at all (a run of capitals and digits), which the engine
// must run over the whole chunk.
var userPatterns = []string{
	`EMP-\d{6}`,
	`BDG-\d{5}`,
	`(?i)\bvin[:：]?\s*[A-HJ-NPR-Z0-9]{17}\b`,
	`合同编号[:：]?[A-Z]{2}\d{8}`,
	`(?i)order[-_ ]?no[:：]\s*\d{8,12}`,
	`[\w.+-]+@corp\.example\.com`,
	`PRJ-[0-9]{4}-[A-Z]{3}`,
	`(?:工牌|胸卡)号?[:：]\s*\d{6}`,
	`\bSSN[:=]\s*\d{3}-\d{2}-\d{4}\b`,
	`\b[A-Z]{2}\d{8}\b`,
}

// userPack writes a pack of n rules cycling through userPatterns (the
// prefixes of the literal ones numbered past the first cycle, so that
// every rule is its own), with keywords optional, required or absent.
func userPack(n int, keywords string) string {
	var b strings.Builder
	b.WriteString("rules:\n")
	for i := range n {
		p := userPatterns[i%len(userPatterns)]
		if c := i / len(userPatterns); c > 0 && strings.Contains(p, "-") && !strings.Contains(p, `\w`) {
			p = strings.Replace(p, "-", fmt.Sprintf("%d-", c), 1)
		}
		fmt.Fprintf(&b, "  - id: user_rule_%02d\n    category: identity\n    level: S2\n    pattern: '%s'\n", i, p)
		switch keywords {
		case "optional", "required":
			b.WriteString("    keywords: [工号, employee, badge]\n")
			if keywords == "required" {
				b.WriteString("    keywords_required: true\n")
			}
		}
	}
	return b.String()
}

// userValues is a line of synthetic values for the user rules.
const userValues = "工号 EMP-123456 badge BDG-12345 VIN: 1HGCM82633A004352 合同编号:AB12345678 " +
	"Order-No: 12345678 li.lei@corp.example.com PRJ-2024-ABC 工牌号：654321 SSN: 123-45-6789 CN12345678\n"

// withUserValues puts userValues after the first line break of every
// 64 KiB of data, so that the user rules have something to find.
func withUserValues(data []byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/(64<<10)*len(userValues)+len(userValues))
	for len(data) > 0 {
		n := min(len(data), 64<<10)
		if i := bytes.IndexByte(data[n-1:], '\n'); i >= 0 {
			n += i
		} else {
			n = len(data)
		}
		out = append(out, data[:n]...)
		out = append(out, userValues...)
		data = data[n:]
	}
	return out
}

// userEngine compiles the built-in rules with a user pack.
func userEngine(b *testing.B, pack string) *classifiers.Engine {
	b.Helper()
	builtin, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	packs := []*rules.Pack{builtin}
	if pack != "" {
		p, err := rules.Load(strings.NewReader(pack), "bench.yaml")
		if err != nil {
			b.Fatal(err)
		}
		packs = append(packs, p)
	}
	rs, err := rules.Merge(packs...)
	if err != nil {
		b.Fatal(err)
	}
	e, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("bench"), AsOf: asOf})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkUserRules runs the engine (built-in rules plus a user pack) over
// mixed text on one core: no pack; 10 rules without keywords, with
// optional keywords (they only raise confidence) and with required
// keywords; and 50 rules with optional keywords. Rules without required
// keywords run over every chunk, so their patterns' cost shows here.
func BenchmarkUserRules(b *testing.B) {
	size := 8 << 20
	if testing.Short() {
		size = 1 << 20
	}
	data := withUserValues(mixedText(b, size))
	tests := []struct {
		name string
		n    int
		kw   string
	}{
		{"none", 0, ""},
		{"nokw", 10, "none"},
		{"optional", 10, "optional"},
		{"required", 10, "required"},
		{"optional50", 50, "optional"},
	}
	for _, tt := range tests {
		b.Run(fmt.Sprintf("rules=%s/size=%s", tt.name, sizeName(size)), func(b *testing.B) {
			pack := ""
			if tt.n > 0 {
				pack = userPack(tt.n, tt.kw)
			}
			benchUser(b, userEngine(b, pack), data)
		})
	}
}

// benchUser is benchEngine with data as one object per iteration: the
// scanner is Reset before each, as the scanner package does per object,
// so that the user rules' timeout budgets (at most 64 per rule and object;
// past them a rule gives up at once) are not spent once for the whole
// benchmark. It also reports the timeouts per object: a rule that gives
// up looks fast and may miss matches.
func benchUser(b *testing.B, e *classifiers.Engine, data []byte) {
	sc := e.NewScanner()
	var c countEm
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc.Reset()
		scanText(b, sc, data, &c)
	}
	b.ReportMetric(float64(c)/float64(b.N), "matches/op")
	b.ReportMetric(float64(sc.Stats().Timeouts)/float64(b.N), "timeouts/op")
}

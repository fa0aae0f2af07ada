package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func renderText(t *testing.T, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, RenderText(&buf, r))
	return buf.String()
}

// tableAfter returns the lines of the text table whose header starts
// with head, up to the next blank line.
func tableAfter(t *testing.T, text, head string) []string {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, head) {
			end := i
			for end < len(lines) && lines[end] != "" && !strings.HasPrefix(lines[end], "...") {
				end++
			}
			return lines[i:end]
		}
	}
	t.Fatalf("no table %q in:\n%s", head, text)
	return nil
}

func TestReportText(t *testing.T) {
	t.Parallel()
	out := renderText(t, build(t, fixture(t), Options{}))

	assert.Contains(t, out, "4 run(s), dates 2026-11-20 .. 2026-11-24 (dt partitions)\n")
	assert.Contains(t, out, "\nFindings: 75 in 10 of 15 objects, 4 about minors\n  S4 5, S3 23, S2 44, S1 3\n")
	assert.Regexp(t, `(?m)^total +3 +44 +23 +5 +75 +4$`, out)
	assert.Regexp(t, `(?m)^cn_mobile +contact +0 +25 +0 +0 +25$`, out)
	assert.Regexp(t, `(?m)^2026-11-23 +1 +4 +13 +3 +0 +9 +1 +0$`, out)
	assert.Regexp(t, `(?m)^skipped +3 +storage_class 1, too_large 1, unsupported_format 1$`, out)
	assert.Regexp(t, `(?m)^oss-20261123 +2026-11-23 09:30:00 +1m31s +2 +4 +13$`, out)
	assert.Regexp(t, `(?m)^crashed-20261124 +- +- +1 +1 +1 +latest, no summary`, out)
	assert.Contains(t, out, "Local prefixes start at file:///data/exports/")

	// The hostile name is escaped: no ESC byte reaches the terminal.
	assert.NotContains(t, out, "\x1b")
	assert.Contains(t, out, `<img src=x onerror=alert(1)>\x1b[31m.csv`)
	for _, c := range catalogue {
		assert.NotContains(t, out, c.masked)
	}

	// Columns line up on a terminal although names hold Chinese
	// characters (two cells each): in the prefix table every row ends in
	// the same cell (the last column is right-aligned), in the objects
	// table the dates start in the same cell.
	date := regexp.MustCompile(`DATE|\d{4}-\d{2}-\d{2}`)
	for _, head := range []string{"PREFIX", "TOP OBJECTS"} {
		rows := tableAfter(t, out, head)
		require.Greater(t, len(rows), 2)
		cjk := false
		col := func(l string) int {
			if head == "PREFIX" {
				return displayWidth(l)
			}
			return displayWidth(l[:date.FindStringIndex(l)[0]])
		}
		for _, l := range rows {
			assert.Equal(t, col(rows[0]), col(l), "%s row %q", head, l)
			cjk = cjk || utf8.RuneCountInString(l) != displayWidth(l)
		}
		assert.True(t, cjk, "%s has a row with wide characters", head)
	}
}

func TestReportTextTop(t *testing.T) {
	t.Parallel()
	out := renderText(t, build(t, fixture(t), Options{Top: 2}))
	assert.Len(t, tableAfter(t, out, "DATA TYPE"), 3)
	assert.Contains(t, out, "... and 7 more data types (--top to show more, --format json for all)\n")
	assert.Contains(t, out, "... and 8 more prefixes")
	assert.Len(t, tableAfter(t, out, "TOP OBJECTS"), 3)
	assert.Len(t, tableAfter(t, out, "SCAN ID"), 3)
	assert.Contains(t, out, "... and 2 more runs")
}

func TestReportTextFilterAndProblems(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(root, "scans", "bad.json"), []byte("[]"), 0o644))
	out := renderText(t, build(t, root, Options{Since: on(21), ScanIDs: []string{"daily-20261121"}, Latest: true}))
	assert.Contains(t, out, "filter: since 2026-11-21; scan id daily-20261121; latest run only\n")
	assert.NotContains(t, out, "note: counts add up every run")
	assert.Contains(t, out, "Problems: 1 file(s) could not be read; the report covers the rest\n  scans/bad.json: decode run summary: ")
}

func TestReportDisplayWidth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		width int
		clean string
	}{
		{"abc", 3, "abc"},
		{"客户", 4, "客户"},
		{"ｆｕｌｌ", 8, "ｆｕｌｌ"},
		{"e\u0301", 1, "e\u0301"},
		{"a\x1b[31mb", 10, `a\x1b[31mb`},
		{"tab\there", 9, `tab\there`},
		{"rtl\u202eevil", 13, `rtl\u202eevil`},
		{"bad\xffutf8", 11, `bad\xffutf8`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			t.Parallel()
			c := clean(tt.in)
			assert.Equal(t, tt.clean, c)
			assert.Equal(t, tt.width, displayWidth(c))
		})
	}
	assert.Equal(t, "1,234,567", group(1234567))
	assert.Equal(t, "-1,000", group(-1000))
	assert.Equal(t, "999", group(999))
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	r := build(t, fixture(t), Options{Version: "test"})
	var buf bytes.Buffer
	require.NoError(t, RenderJSON(&buf, r))
	var back Report
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, *r, back, "the JSON form round-trips")

	// An empty dataset has every key, with [] and {} rather than null.
	empty := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.MkdirAll(filepath.Join(empty, "findings"), 0o755))
	buf.Reset()
	require.NoError(t, RenderJSON(&buf, build(t, empty, Options{})))
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
	for _, k := range []string{"by_category", "by_data_type", "by_day", "by_prefix", "top_objects", "objects_by_status", "runs", "problems"} {
		assert.Equal(t, []any{}, m[k], k)
	}
	assert.Equal(t, map[string]any{}, m["by_sensitivity"])
	assert.Equal(t, []any{}, m["filter"].(map[string]any)["scan_ids"])
	assert.NotContains(t, buf.String(), "null")
}

func renderHTML(t *testing.T, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, RenderHTML(&buf, r))
	return buf.String()
}

func TestReportHTML(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, build(t, fixture(t), Options{Version: "test"}))

	assert.Contains(t, page, "<title>piiscan report: piiscan-out</title>")
	assert.Contains(t, page, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;`)
	// Self-contained: nothing to fetch, nothing to run.
	for _, s := range []string{"<script", "<link", "<img", "<iframe", "http://", "https://", "@import", "url("} {
		assert.NotContains(t, page, s)
	}
	assert.Contains(t, page, `x/&lt;img src=x onerror=alert(1)&gt;\x1b[31m.csv`, "object names are escaped")
	for _, c := range catalogue {
		assert.NotContains(t, page, escaped(c.masked))
	}
	assert.NotContains(t, page, "feed0", "no fingerprint")
	assert.Equal(t, 3, strings.Count(page, `<svg class="chart"`))
	assert.Contains(t, page, `<rect class="seg" data-key="identity" data-level="S4" data-value="4"`)
	assert.Contains(t, page, "@media print")
}

// escaped is s as html/template writes it in text.
func escaped(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(s)
}

func TestReportHTMLOtherBar(t *testing.T) {
	t.Parallel()
	r := build(t, fixture(t), Options{Top: 3})
	v := newHTMLView(r)
	keys := []string{}
	var sum int64
	for _, b := range v.DataTypes.Bars {
		keys = append(keys, b.Key)
		sum += b.Total
	}
	assert.Equal(t, []string{"cn_mobile", "cn_resident_id", "ipv4", "(other)"}, keys)
	assert.Equal(t, "6 other data types", v.DataTypes.Bars[3].Label)
	assert.Equal(t, r.Totals.Findings, sum, "the other bar keeps the chart's total")
}

func TestReportCharts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		max  float64
		want float64
	}{{0, 1}, {3, 1}, {10, 2}, {47, 10}, {75, 20}, {1234, 500}, {1e6, 200000}} {
		assert.Equal(t, tt.want, niceStep(tt.max, 5), "niceStep(%v)", tt.max)
	}

	rows := []barInput{{Key: "a", Label: "a", Levels: Levels{"S1": 3, "S4": 1}}, {Key: "b", Label: strings.Repeat("长", 40), Levels: Levels{"S2": 10}}}
	c := hbarChart("x", "x", rows, levelNames)
	require.Len(t, c.Segs, 3)
	assert.Equal(t, "S4", c.Segs[0].Level, "the most sensitive level first")
	assert.InDelta(t, c.Segs[0].W*3, c.Segs[1].W, 1e-9, "widths are proportional")
	assert.LessOrEqual(t, displayWidth(c.Bars[1].Label), maxLabelCh, "long labels are cut")
	assert.True(t, strings.HasSuffix(c.Bars[1].Label, "…"))
	assert.Equal(t, rows[1].Label, c.Bars[1].Full)
	for _, tk := range c.Ticks {
		assert.LessOrEqual(t, tk.X1, chartW-hValueW+0.001, "axis fits the plot")
	}

	// A year of days: labels thin out so that rotated dates do not touch.
	var days []barInput
	for i := range 365 {
		days = append(days, barInput{Key: fmt.Sprint(i), Label: fmt.Sprint(i), Levels: Levels{"S2": int64(i%7 + 1)}})
	}
	v := vbarChart("t", "t", days, levelNames)
	shown := 0
	for _, b := range v.Bars {
		if b.Label != "" {
			shown++
			assert.True(t, b.Rotate)
		}
		assert.False(t, b.ShowTotal, "no totals over dense columns")
	}
	assert.Greater(t, shown, 20)
	assert.Less(t, shown, 60)
	assert.True(t, hbarChart("e", "e", nil, levelNames).Empty)
	assert.True(t, vbarChart("e", "e", []barInput{{Key: "d", Levels: Levels{}}}, levelNames).Empty)
}

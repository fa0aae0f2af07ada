package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/sinks/sinkstest"
)

// requireBrowserEnv turns a missing browser into a failure; CI sets it so
// that the check cannot silently disappear.
const requireBrowserEnv = "PIISCAN_REQUIRE_BROWSER"

// artifactsEnv names a directory where the rendered page, its screenshot
// and its PDF printout are kept; without it they go to a test temp dir.
const artifactsEnv = "PIISCAN_ARTIFACTS"

// browser is what render.mjs needs: node, Chromium and playwright-core.
type browser struct {
	dir      string // testdata/browser
	chromium string
}

// requireBrowser finds node, Debian's Chromium (or $PIISCAN_CHROMIUM) and
// the npm-installed playwright-core in testdata/browser. It skips the
// test when one is missing, or fails it when PIISCAN_REQUIRE_BROWSER=1.
func requireBrowser(t *testing.T) browser {
	t.Helper()
	unavailable := sinkstest.Unavailable(t, requireBrowserEnv, "the Chromium check")
	if _, err := exec.LookPath("node"); err != nil {
		unavailable("node not found in PATH")
	}
	chromium := os.Getenv("PIISCAN_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
		if p, err := exec.LookPath("chromium"); err == nil {
			chromium = p
		}
	}
	if _, err := os.Stat(chromium); err != nil {
		unavailable("chromium not found at %s (apt-get install chromium, or set PIISCAN_CHROMIUM)", chromium)
	}
	root, err := sinkstest.ModuleRoot()
	if err != nil {
		unavailable("find module root: %v", err)
	}
	dir := filepath.Join(root, "testdata", "browser")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core", "package.json")); err != nil {
		unavailable("playwright-core is not installed: run npm ci in %s", dir)
	}
	return browser{dir: dir, chromium: chromium}
}

// page is what render.mjs prints.
type page struct {
	Title   string `json:"title"`
	Browser string `json:"browser"`
	Console []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"console"`
	PageErrors []string `json:"pageErrors"`
	Requests   []string `json:"requests"`
	URL        string   `json:"url"`
	DOM        struct {
		H1     string `json:"h1"`
		Charts map[string]struct {
			Name     string `json:"name"`
			Box      box    `json:"box"`
			Segments []struct {
				Key   string `json:"key"`
				Level string `json:"level"`
				Value int64  `json:"value"`
				Fill  string `json:"fill"`
				Box   box    `json:"box"`
				Tip   string `json:"tip"`
			} `json:"segments"`
			Labels []struct {
				Key  string `json:"key"`
				Text string `json:"text"`
			} `json:"labels"`
			Totals []struct {
				Key   string `json:"key"`
				Value int64  `json:"value"`
				Text  string `json:"text"`
			} `json:"totals"`
			LabelOverlaps int `json:"labelOverlaps"`
			LabelsClipped int `json:"labelsClipped"`
		} `json:"charts"`
		EmptyCharts []string `json:"emptyCharts"`
		Tables      map[string]struct {
			Headers []string   `json:"headers"`
			Rows    [][]string `json:"rows"`
		} `json:"tables"`
		KPIs        map[string]string `json:"kpis"`
		Sections    []string          `json:"sections"`
		Scripts     int               `json:"scripts"`
		Images      int               `json:"images"`
		Iframes     int               `json:"iframes"`
		Links       int               `json:"links"`
		ScrollWidth int               `json:"scrollWidth"`
		ClientWidth int               `json:"clientWidth"`
		BodyText    string            `json:"bodyText"`
	} `json:"dom"`
}

type box struct{ X, Y, Width, Height float64 }

// render writes r as HTML under dir/name.html, renders it in Chromium
// and returns what the page shows; the screenshot is dir/name.png and the
// printout dir/name.pdf.
func (b browser) render(t *testing.T, r *Report, dir, name string) page {
	t.Helper()
	html := filepath.Join(dir, name+".html")
	png := filepath.Join(dir, name+".png")
	pdf := filepath.Join(dir, name+".pdf")
	var buf bytes.Buffer
	require.NoError(t, RenderHTML(&buf, r))
	require.NoError(t, os.WriteFile(html, buf.Bytes(), 0o644))

	// Chromium starts in about a second; the bound only guards CI
	// against a hung child process.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "render.mjs", "--html", html, "--screenshot", png, "--pdf", pdf, "--chromium", b.chromium)
	cmd.Dir = b.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "render.mjs: %s", stderr.String())
	var p page
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &p), "decode render.mjs output: %s", stdout.String())
	t.Logf("rendered %s in Chromium %s: screenshot %s, printout %s", html, p.Browser, png, pdf)

	shot, err := os.ReadFile(png)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(shot, []byte("\x89PNG\r\n\x1a\n")), "screenshot is a PNG")
	assert.Greater(t, len(shot), 20_000, "screenshot is not blank")
	printout, err := os.ReadFile(pdf)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(printout, []byte("%PDF-")), "printout is a PDF")
	return p
}

// artifactsDir is $PIISCAN_ARTIFACTS (created) or a temp dir.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		return t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

func TestReportHTMLInChromium(t *testing.T) {
	b := requireBrowser(t)
	r := build(t, fixture(t), Options{Version: "test"})
	p := b.render(t, r, artifactsDir(t), "report")
	dom := p.DOM

	// The page is self-contained and quiet: no script, no request but the
	// page itself, no console message, no horizontal scrolling at 1280px.
	assert.Equal(t, "piiscan report: piiscan-out", p.Title)
	assert.Equal(t, "Personal data report", dom.H1)
	assert.Empty(t, p.Console, "console messages (a CSP violation would be one)")
	assert.Empty(t, p.PageErrors)
	assert.Equal(t, []string{p.URL}, p.Requests, "the page loads nothing but itself")
	assert.Zero(t, dom.Scripts)
	assert.Zero(t, dom.Images, "the hostile object name stays text")
	assert.Zero(t, dom.Iframes)
	assert.Zero(t, dom.Links)
	assert.LessOrEqual(t, dom.ScrollWidth, dom.ClientWidth)

	assert.Equal(t, map[string]string{"findings": "75", "high": "28", "minors": "4", "objects": "15", "runs": "4"}, dom.KPIs)
	assert.Empty(t, dom.EmptyCharts)
	require.Contains(t, dom.Charts, "categories")
	require.Contains(t, dom.Charts, "datatypes")
	require.Contains(t, dom.Charts, "timeline")

	// Every chart adds up to the report, bar by bar and level by level,
	// and draws every mark with a size and the colour of its level.
	wantBars := map[string]map[string]Levels{"categories": {}, "datatypes": {}, "timeline": {}}
	var wantLabels = map[string][]string{}
	for _, c := range r.ByCategory {
		wantBars["categories"][c.Category] = c.Levels
		wantLabels["categories"] = append(wantLabels["categories"], c.Category)
	}
	for _, d := range r.ByDataType {
		wantBars["datatypes"][d.DataType] = d.Levels
		wantLabels["datatypes"] = append(wantLabels["datatypes"], d.DataType)
	}
	for _, d := range r.ByDay {
		wantBars["timeline"][d.Date] = d.Levels
		wantLabels["timeline"] = append(wantLabels["timeline"], d.Date)
	}
	for id, want := range wantBars {
		c := dom.Charts[id]
		gotBars := map[string]Levels{}
		fills := map[string]string{}
		var sum int64
		for _, s := range c.Segments {
			if gotBars[s.Key] == nil {
				gotBars[s.Key] = Levels{}
			}
			gotBars[s.Key][s.Level] += s.Value
			sum += s.Value
			assert.Positive(t, s.Box.Width, "%s %s/%s has a width", id, s.Key, s.Level)
			assert.Positive(t, s.Box.Height, "%s %s/%s has a height", id, s.Key, s.Level)
			assert.Contains(t, s.Tip, s.Level, "tooltip")
			if f, ok := fills[s.Level]; ok {
				assert.Equal(t, f, s.Fill, "one colour per level")
			}
			fills[s.Level] = s.Fill
		}
		assert.Equal(t, nonZero(want), gotBars, id)
		assert.Equal(t, r.Totals.Findings, sum, "%s adds up to the findings", id)
		assert.Len(t, fills, 4, "%s: four distinct levels drawn", id)
		assert.Len(t, distinct(fills), 4, "%s: four distinct colours", id)

		var labels []string
		for _, l := range c.Labels {
			labels = append(labels, l.Text)
		}
		assert.Equal(t, wantLabels[id], labels, "%s labels", id)
		for _, tot := range c.Totals {
			var n int64
			for _, v := range want[tot.Key] {
				n += v
			}
			assert.Equal(t, n, tot.Value, "%s total of %s", id, tot.Key)
			assert.Equal(t, group(n), tot.Text)
		}
		assert.Zero(t, c.LabelOverlaps, "%s: labels do not overlap", id)
		assert.Zero(t, c.LabelsClipped, "%s: labels stay inside the chart", id)
		assert.Positive(t, c.Box.Width)
	}

	// Tables show the report's rows.
	require.Contains(t, dom.Tables, "objects")
	objs := dom.Tables["objects"].Rows
	require.Len(t, objs, len(r.TopObjects))
	for i, o := range r.TopObjects {
		assert.Equal(t, clean(o.Object), objs[i][0])
		assert.Equal(t, group(o.Findings), objs[i][1])
	}
	assert.Equal(t, `file:///data/exports/x/<img src=x onerror=alert(1)>\x1b[31m.csv`, objs[len(objs)-1][0])
	assert.Len(t, dom.Tables["prefixes"].Rows, len(r.ByPrefix))
	assert.Equal(t, "file:///data/exports/crm/客户/", dom.Tables["prefixes"].Rows[1][0])
	status := dom.Tables["status"].Rows
	require.Len(t, status, 5)
	assert.Equal(t, []string{"skipped", "3", "20%", "storage_class 1, too_large 1, unsupported_format 1"}, status[2])
	assert.Equal(t, []string{"Total", "15", "", ""}, status[4])
	runs := dom.Tables["runs"].Rows
	require.Len(t, runs, 4)
	assert.Equal(t, "crashed-20261124", runs[0][0])
	assert.Contains(t, runs[0][6], "latest")
	assert.Equal(t, []string{"oss-20261123", "2026-11-23 09:30:00", "1m31s", "2", "4", "13", ""}, runs[1])
	assert.Equal(t, []string{"Category", "S1", "S2", "S3", "S4", "Total", "Minors"}, dom.Tables["categories"].Headers)
	assert.Equal(t, []string{"Total", "3", "44", "23", "5", "75", "4"}, dom.Tables["categories"].Rows[len(r.ByCategory)])

	// No found value reaches the page: not the masked values, not the
	// fingerprints (a hex prefix of the fixture's would do).
	for _, c := range catalogue {
		assert.NotContains(t, dom.BodyText, c.masked)
	}
	assert.NotContains(t, dom.BodyText, "feed0")
}

func TestReportHTMLInChromiumEmpty(t *testing.T) {
	b := requireBrowser(t)
	root := filepath.Join(t.TempDir(), "empty-out")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "scans"), 0o755))
	r := build(t, root, Options{Version: "test"})
	p := b.render(t, r, t.TempDir(), "empty")
	assert.Equal(t, "piiscan report: empty-out", p.Title)
	assert.Empty(t, p.Console)
	assert.Empty(t, p.PageErrors)
	assert.Empty(t, p.DOM.Charts)
	assert.ElementsMatch(t, []string{"categories", "datatypes", "timeline"}, p.DOM.EmptyCharts)
	assert.Equal(t, "0", p.DOM.KPIs["findings"])
}

func nonZero(m map[string]Levels) map[string]Levels {
	out := map[string]Levels{}
	for k, l := range m {
		for lv, v := range l {
			if v != 0 {
				if out[k] == nil {
					out[k] = Levels{}
				}
				out[k][lv] = v
			}
		}
	}
	return out
}

func distinct(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, v := range m {
		out[v] = true
	}
	return out
}

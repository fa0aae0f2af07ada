package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed once, on first use (not at start-up, which every
// command pays: parsing it took 1-2 ms of each run); html/template
// escapes every value by context (text, attribute, URL), so names from the
// dataset cannot inject markup.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"group": group,
		"num":   func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
		"lv":    func(l Levels, k string) string { return group(l[k]) },
		"clean": clean,
		"color": levelColor,
		"ts": func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.UTC().Format("2006-01-02 15:04:05")
		},
		"dur":    func(ms int64) string { return (time.Duration(ms) * time.Millisecond).String() },
		"notes":  func(r Run) string { return strings.Join(runNotes(r), ", ") },
		"bytes":  humanBytes,
		"pct":    pct,
		"dates":  func(d []string) string { return strings.Join(d, ", ") },
		"reason": reasonsText,
		"cell":   func(l Levels, k string) levelCell { return levelCell{Level: k, Value: l[k]} },
	}).Parse(htmlSource))
})

// levelCell is one table cell of a count by level.
type levelCell struct {
	Level string
	Value int64
}

// htmlView is what the template renders: the report plus the charts'
// geometry and the headline figures.
type htmlView struct {
	R          *Report
	Title      string
	Levels     []string
	Stack      []string // legend order, as the bars stack
	KPIs       []kpi
	Categories svgChart
	DataTypes  svgChart
	Timeline   svgChart
	Filter     string
	Note       string
}

// kpi is a headline figure.
type kpi struct {
	ID, Label, Value, Sub string
	Alert                 bool
}

// RenderHTML writes the report as one self-contained HTML page: inline
// CSS, inline SVG charts, no script, no font, image or other external
// resource, and a Content-Security-Policy that forbids loading any. It
// prints on A4 or Letter. It shows counts, catalogue ids, object names
// and run ids only.
func RenderHTML(w io.Writer, r *Report) error {
	if err := htmlTemplate().Execute(w, newHTMLView(r)); err != nil {
		return fmt.Errorf("write report html: %w", err)
	}
	return nil
}

// WriteHTMLFile renders the report into the file at name through a
// temporary file in the same directory, renamed into place when complete,
// so that a dashboard serving the file never shows half a page.
func WriteHTMLFile(name string, r *Report) (err error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("write report html: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	if err := RenderHTML(bw, r); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report html: %w", err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("write report html: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report html: %w", err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return fmt.Errorf("write report html: %w", err)
	}
	return nil
}

func newHTMLView(r *Report) htmlView {
	lv := levelsOf(r)
	t := r.Totals
	v := htmlView{
		R:      r,
		Title:  "piiscan report: " + datasetName(r.Dataset),
		Levels: lv,
		Stack:  stackOrder(lv),
		Filter: filterText(r.Filter),
	}
	if len(r.Runs) > 1 && !r.Filter.Latest && len(r.Filter.ScanIDs) != 1 {
		v.Note = "Counts add up every run: an object scanned by several runs is counted once per run. " +
			"Use --latest or --scan-id for the view of one run."
	}
	if t.CarriedObjects > 0 {
		v.Note = strings.ToUpper(carriedText(r)[:1]) + carriedText(r)[1:] + "."
	}
	high := r.BySensitivity["S4"] + r.BySensitivity["S3"]
	v.KPIs = []kpi{
		{ID: "findings", Label: "Findings", Value: group(t.Findings), Sub: fmt.Sprintf("in %s objects", group(t.ObjectsWithFindings))},
		{ID: "high", Label: "S3 and S4", Value: group(high), Sub: pct(high, t.Findings) + " of findings", Alert: high > 0},
		{ID: "minors", Label: "About minors", Value: group(t.Minors), Sub: "subjects under 14", Alert: t.Minors > 0},
		{ID: "objects", Label: "Objects", Value: group(t.Objects), Sub: humanBytes(t.BytesScanned) + " scanned"},
		{ID: "runs", Label: "Runs", Value: group(t.Runs), Sub: periodText(r)},
	}
	if len(r.Problems) > 0 {
		v.KPIs = append(v.KPIs, kpi{ID: "problems", Label: "Unreadable files", Value: strconv.Itoa(len(r.Problems)), Sub: "see Problems", Alert: true})
	}

	cats := make([]barInput, 0, len(r.ByCategory))
	for _, c := range r.ByCategory {
		cats = append(cats, barInput{Key: c.Category, Label: c.Category, Levels: c.Levels})
	}
	v.Categories = hbarChart("categories", "Findings by category and sensitivity", cats, lv)

	types := make([]barInput, 0, len(r.ByDataType))
	for _, d := range r.ByDataType {
		types = append(types, barInput{Key: d.DataType, Label: d.DataType, Levels: d.Levels})
	}
	v.DataTypes = hbarChart("datatypes", "Findings by data type", topBars(types, r.top(), "%d other data types"), lv)

	days := make([]barInput, 0, len(r.ByDay))
	for _, d := range r.ByDay {
		days = append(days, barInput{Key: d.Date, Label: d.Date, Levels: d.Levels})
	}
	v.Timeline = vbarChart("timeline", "Findings by day (dt partition)", days, lv)
	return v
}

// datasetName is the last element of the dataset path, for the title.
func datasetName(root string) string {
	name := filepath.Base(filepath.Clean(root))
	if name == "." || name == "/" || name == "" {
		name = path.Base(root)
	}
	return clean(name)
}

func periodText(r *Report) string {
	switch {
	case r.FirstDate == "":
		return "no partitions"
	case r.FirstDate == r.LastDate:
		return r.FirstDate
	default:
		return r.FirstDate + " to " + r.LastDate
	}
}

// pct is part/whole as a whole percentage ("0%" for an empty whole).
func pct(part, whole int64) string {
	if whole <= 0 {
		return "0%"
	}
	p := float64(part) * 100 / float64(whole)
	if p > 0 && p < 1 {
		return "<1%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// humanBytes writes n in binary units: 1.5 MiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func reasonsText(rs []ReasonCount) string {
	parts := make([]string, 0, len(rs))
	for _, x := range rs {
		parts = append(parts, x.Reason+" "+group(x.Objects))
	}
	return strings.Join(parts, ", ")
}

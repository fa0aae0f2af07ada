package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Charts are inline SVG whose geometry is computed here, so the page
// needs no script and renders the same in a browser, in print and in a
// mail client that allows SVG. Every mark carries data-key, data-level
// and data-value attributes (and a <title> tooltip) so that tests, and
// people with a DOM inspector, can read the numbers back.

// levelColors are the sensitivity colours: light to dark as the level
// rises, distinguishable in greyscale print and by most colour-blind
// readers (blue-orange-red scale, after ColorBrewer RdYlBu).
var levelColors = map[string]string{
	"S1": "#8fb9d9",
	"S2": "#f2c14e",
	"S3": "#e8743b",
	"S4": "#a50f26",
}

const otherColor = "#9e9e9e"

func levelColor(l string) string {
	if c, ok := levelColors[l]; ok {
		return c
	}
	return otherColor
}

// stackOrder is the order of segments in a bar: the most sensitive first
// (leftmost or lowest), where the eye starts.
func stackOrder(levels []string) []string {
	out := slices.Clone(levels)
	slices.Reverse(out)
	return out
}

// barInput is one bar: a key (also the label) and its counts by level.
type barInput struct {
	Key    string
	Label  string
	Levels Levels
}

func (b barInput) total() int64 {
	var n int64
	for _, v := range b.Levels {
		n += v
	}
	return n
}

// svgChart is what the template draws.
type svgChart struct {
	ID    string
	Title string // accessible name
	W, H  float64
	Segs  []svgSeg
	Bars  []svgBarLabel
	Ticks []svgTick
	Empty bool
}

// svgSeg is one rectangle: the part of a bar for one level.
type svgSeg struct {
	Key, Level, Fill string
	X, Y, W, H       float64
	Value            int64
	Tip              string
}

// svgBarLabel is a bar's name and its total.
type svgBarLabel struct {
	Key, Label, Full string
	LX, LY           float64 // label position
	Anchor           string
	Rotate           bool
	Total            int64
	TX, TY           float64 // total position
	TAnchor          string
	ShowTotal        bool
}

// svgTick is a grid line with its value.
type svgTick struct {
	X1, Y1, X2, Y2 float64
	LX, LY         float64
	Label, Anchor  string
}

// niceStep returns a round step (1, 2 or 5 times a power of ten) that
// cuts 0..maxV into about n intervals.
func niceStep(maxV float64, n int) float64 {
	if maxV <= 0 {
		return 1
	}
	raw := maxV / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return math.Max(1, m*mag)
		}
	}
	return math.Max(1, 10*mag)
}

// shorten cuts a label to at most n display cells, marking the cut; the
// full text goes into the tooltip.
func shorten(s string, n int) string {
	if displayWidth(s) <= n {
		return s
	}
	var sb strings.Builder
	w := 0
	for _, r := range s {
		rw := displayWidth(string(r))
		if w+rw > n-1 {
			break
		}
		sb.WriteRune(r)
		w += rw
	}
	return sb.String() + "…"
}

// Geometry of the charts, in SVG user units (about CSS pixels at full
// width; the SVG scales with the page).
const (
	chartW     = 760.0
	hRowH      = 26.0
	hBarH      = 18.0
	hTop       = 8.0
	hAxisH     = 22.0
	hValueW    = 64.0
	charW      = 7.0 // average width of a 12px label character
	maxLabelCh = 30
)

// hbarChart draws horizontal stacked bars, one row per input.
func hbarChart(id, title string, rows []barInput, levels []string) svgChart {
	c := svgChart{ID: id, Title: title, W: chartW}
	var maxV int64
	labelCh := 6
	for _, r := range rows {
		maxV = max(maxV, r.total())
		labelCh = max(labelCh, min(displayWidth(r.Label), maxLabelCh))
	}
	if len(rows) == 0 || maxV == 0 {
		c.Empty = true
		return c
	}
	labelW := float64(labelCh)*charW + 16
	x0 := labelW
	plotW := chartW - labelW - hValueW
	step := niceStep(float64(maxV), 5)
	axisMax := math.Ceil(float64(maxV)/step) * step
	scale := plotW / axisMax
	c.H = hTop + float64(len(rows))*hRowH + hAxisH

	for v := 0.0; v <= axisMax+step/2; v += step {
		x := x0 + v*scale
		c.Ticks = append(c.Ticks, svgTick{X1: x, Y1: hTop - 2, X2: x, Y2: c.H - hAxisH + 2, LX: x, LY: c.H - 6, Label: group(int64(v)), Anchor: "middle"})
	}
	for i, r := range rows {
		y := hTop + float64(i)*hRowH + (hRowH-hBarH)/2
		x := x0
		for _, l := range stackOrder(levels) {
			v := r.Levels[l]
			if v == 0 {
				continue
			}
			w := float64(v) * scale
			c.Segs = append(c.Segs, svgSeg{Key: r.Key, Level: l, Fill: levelColor(l), X: x, Y: y, W: w, H: hBarH, Value: v,
				Tip: fmt.Sprintf("%s · %s: %s", r.Label, l, group(v))})
			x += w
		}
		c.Bars = append(c.Bars, svgBarLabel{
			Key: r.Key, Label: shorten(r.Label, maxLabelCh), Full: r.Label,
			LX: x0 - 8, LY: y + hBarH/2 + 4, Anchor: "end",
			Total: r.total(), TX: x + 6, TY: y + hBarH/2 + 4, TAnchor: "start", ShowTotal: true,
		})
	}
	return c
}

// Geometry of the column chart over time.
const (
	vH      = 300.0
	vLeft   = 64.0
	vRight  = 16.0
	vTop    = 20.0
	vBottom = 64.0
)

// vbarChart draws vertical stacked columns, one per input, left to right
// (the days of the report).
func vbarChart(id, title string, cols []barInput, levels []string) svgChart {
	c := svgChart{ID: id, Title: title, W: chartW, H: vH}
	var maxV int64
	for _, col := range cols {
		maxV = max(maxV, col.total())
	}
	if len(cols) == 0 || maxV == 0 {
		c.Empty = true
		return c
	}
	plotW := chartW - vLeft - vRight
	plotH := vH - vTop - vBottom
	base := vTop + plotH
	step := niceStep(float64(maxV), 5)
	axisMax := math.Ceil(float64(maxV)/step) * step
	scale := plotH / axisMax
	for v := 0.0; v <= axisMax+step/2; v += step {
		y := base - v*scale
		c.Ticks = append(c.Ticks, svgTick{X1: vLeft, Y1: y, X2: chartW - vRight, Y2: y, LX: vLeft - 8, LY: y + 4, Label: group(int64(v)), Anchor: "end"})
	}
	slot := plotW / float64(len(cols))
	bw := math.Min(56, slot*0.7)
	// Label every k-th column so that dates never overlap: a rotated
	// date needs about 16 units of width.
	every := max(1, int(math.Ceil(16/slot)))
	rotate := slot < 80
	for i, col := range cols {
		x := vLeft + float64(i)*slot + (slot-bw)/2
		y := base
		for _, l := range stackOrder(levels) {
			v := col.Levels[l]
			if v == 0 {
				continue
			}
			h := float64(v) * scale
			y -= h
			c.Segs = append(c.Segs, svgSeg{Key: col.Key, Level: l, Fill: levelColor(l), X: x, Y: y, W: bw, H: h, Value: v,
				Tip: fmt.Sprintf("%s · %s: %s", col.Label, l, group(v))})
		}
		lbl := svgBarLabel{Key: col.Key, Label: col.Label, Full: col.Label, LX: x + bw/2, LY: base + 16, Anchor: "middle",
			Total: col.total(), TX: x + bw/2, TY: y - 5, TAnchor: "middle", ShowTotal: len(cols) <= 31}
		if rotate {
			lbl.Anchor, lbl.Rotate = "end", true
			lbl.LY = base + 12
		}
		if i%every != 0 {
			lbl.Label = ""
		}
		c.Bars = append(c.Bars, lbl)
	}
	return c
}

// topBars returns the first n inputs and, when there are more, one bar
// that adds up the rest, so that a chart always sums to the total.
func topBars(in []barInput, n int, otherLabel string) []barInput {
	if len(in) <= n {
		return in
	}
	rest := barInput{Key: "(other)", Label: fmt.Sprintf(otherLabel, len(in)-n), Levels: Levels{}}
	for _, b := range in[n:] {
		for l, v := range b.Levels {
			rest.Levels[l] += v
		}
	}
	return append(slices.Clip(in[:n]), rest)
}

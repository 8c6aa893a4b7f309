package audit

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"slices"
	"strings"
)

//go:embed report.html.tmpl
var reportTemplate string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":   pct,
	"pctv":  func(f float64) string { return pct(&f) },
	"dur":   dur,
	"color": categoryColor,
	"split": splitExample,
	"add":   func(a, b int) int { return a + b },
	"f1":    func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"deref": func(p *float64) float64 { return *p },
}).Parse(reportTemplate))

// WriteHTML writes rep as one self-contained HTML page: inline styles and
// SVG charts, no external resource, every message text escaped by
// html/template and shown with its direction detected (dir="auto").
func WriteHTML(w io.Writer, rep *Report) error {
	return htmlTemplate.Execute(w, newHTMLView(rep))
}

// palette gives the built-in categories fixed colours.
var palette = map[string]string{
	"deflection": "#d62728", "runaround": "#ff7f0e", "policy-shield": "#8c564b", "dismissive": "#9e0142",
	"overpromise": "#9467bd", "excuse": "#bcbd22", "canned": "#17becf", "unreachable": "#7f7f7f",
	"courtesy": "#2ca02c", "personalization": "#e377c2", "responsiveness": "#1f77b4", "relevance": "#aec7e8",
}

// extraColors colour the categories palette does not name.
var extraColors = []string{"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"}

func categoryColor(c string) string {
	if col, ok := palette[c]; ok {
		return col
	}
	h := fnv.New32a()
	h.Write([]byte(c))
	return extraColors[h.Sum32()%uint32(len(extraColors))]
}

type htmlView struct {
	*Report
	Bars     []barRow
	BarsH    int
	MaxPer   float64
	Timeline timelineView
}

type barRow struct {
	Scorecard
	Y        int
	ScoreW   float64
	Segments []segment
}

type segment struct {
	Category string
	X, W     float64
	Value    float64
}

type timelineView struct {
	Bars  []dayBar
	W, H  int
	Max   int
	Ticks []tick
}

type dayBar struct {
	Day      string
	X, W     float64
	Segments []vsegment
	Total    int
}

type vsegment struct {
	Category string
	Y, H     float64
	Count    int
}

type tick struct {
	X     float64
	Label string
}

const (
	maxBarGroups = 60
	barRowH      = 22
	barAreaW     = 380.0 // leaves room right of a full bar for its value
	maxDays      = 400
)

func newHTMLView(rep *Report) *htmlView {
	v := &htmlView{Report: rep}
	groups := rep.Groups
	if len(groups) > maxBarGroups {
		groups = sortedByScore(groups)[:maxBarGroups]
	}
	for _, g := range groups {
		total := 0.0
		for _, p := range g.Per100 {
			total += p
		}
		v.MaxPer = max(v.MaxPer, total)
	}
	for i, g := range groups {
		row := barRow{Scorecard: g, Y: i * barRowH, ScoreW: g.Score / 100 * barAreaW}
		x := 0.0
		for _, c := range rep.Categories {
			p := g.Per100[c]
			if p == 0 || v.MaxPer == 0 {
				continue
			}
			w := p / v.MaxPer * barAreaW
			row.Segments = append(row.Segments, segment{Category: c, X: x, W: w, Value: p})
			x += w
		}
		v.Bars = append(v.Bars, row)
	}
	v.BarsH = len(v.Bars)*barRowH + 4
	v.Timeline = timeline(rep)
	return v
}

func timeline(rep *Report) timelineView {
	days := slices.DeleteFunc(slices.Clone(rep.Timeline), func(d Day) bool { return strings.HasPrefix(d.Day, "(") })
	if len(days) > maxDays {
		days = days[len(days)-maxDays:]
	}
	tv := timelineView{W: 900, H: 220}
	for _, d := range days {
		t := 0
		for _, n := range d.ByCategory {
			t += n
		}
		tv.Max = max(tv.Max, t)
	}
	if len(days) == 0 || tv.Max == 0 {
		return tv
	}
	slot := float64(tv.W) / float64(len(days))
	every := max(1, len(days)/8)
	for i, d := range days {
		b := dayBar{Day: d.Day, X: float64(i) * slot, W: max(slot*0.8, 1)}
		y := float64(tv.H)
		for _, c := range rep.Categories {
			n := d.ByCategory[c]
			if n == 0 {
				continue
			}
			h := float64(n) / float64(tv.Max) * float64(tv.H-10)
			y -= h
			b.Segments = append(b.Segments, vsegment{Category: c, Y: y, H: h, Count: n})
			b.Total += n
		}
		tv.Bars = append(tv.Bars, b)
		if i%every == 0 {
			tv.Ticks = append(tv.Ticks, tick{X: b.X + b.W/2, Label: d.Day}) // centred under its bar
		}
	}
	return tv
}

// exampleParts is an example's excerpt cut around its finding.
type exampleParts struct{ Before, Span, After string }

func splitExample(e Example) exampleParts {
	t := e.Excerpt
	if e.Start < 0 || e.End < e.Start || e.End > len(t) {
		return exampleParts{Before: t}
	}
	return exampleParts{t[:e.Start], t[e.Start:e.End], t[e.End:]}
}

package audit

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
)

// Groupings are the values of --by.
var Groupings = []string{"agent", "team", "conversation", "day", "week", "category", "file"}

// DefaultWeights are the score weights of the built-in categories.
var DefaultWeights = map[string]float64{
	"deflection": 25, "dismissive": 25, "runaround": 20,
	"policy-shield": 15, "overpromise": 15, "canned": 15, "unreachable": 15,
	"excuse": 10, "personalization": 10, "responsiveness": 10, "relevance": 10,
	"courtesy": 5,
}

// DefaultWeight is the weight of a category DefaultWeights does not name.
const DefaultWeight = 10

// DefaultCritical are the categories that fail a message outright.
var DefaultCritical = []string{"deflection", "dismissive"}

// Options configure an Aggregator.
type Options struct {
	By       string             // one of Groupings (default agent)
	Weights  map[string]float64 // overrides DefaultWeights
	Critical []string           // categories that score a message 0
	Examples int                // example findings kept per group and category (default 20)
	Phrases  int                // top offending phrases per group (default 10)
	Cluster  ClusterOptions
	// Team returns an agent's team ("" when unknown); nil knows none.
	Team func(agent string) string
}

// Aggregator folds records into scorecards. It is not safe for concurrent
// use: feed it in input order, and the report is deterministic.
type Aggregator struct {
	opts     Options
	weights  map[string]float64
	critical map[string]bool

	groups    map[string]*group
	all       *group // every message (the totals; the rows of --by category)
	timeline  map[day]*dayStat
	clusters  *clusterer
	cats      []catCount // the record being added's, reused
	phraseBuf []byte
	files     map[string]struct{}
	skipped   []Skip
	nSkipped  int
	implicit  int
}

// Skip is an input (file, message or line) that could not be read.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

const maxSkipsListed = 100

type group struct {
	key      string
	messages int
	clean    int
	findings int
	score    float64 // sum of message scores
	failed   int     // messages failed by a critical category
	cats     map[string]*catStat
	courtesy [4]ratio
	delays   histogram
	phrases  map[string]*int // counted through a pointer: a repeated phrase is looked up without allocating its key
}

type catStat struct {
	findings int
	messages int // messages with at least one
	examples []Example
}

type ratio struct{ n, of int }

type dayStat struct {
	messages int
	cats     map[string]int
}

// New returns an Aggregator.
func New(opts Options) (*Aggregator, error) {
	if opts.By == "" {
		opts.By = "agent"
	}
	if !slices.Contains(Groupings, opts.By) {
		return nil, fmt.Errorf("--by %q: want one of %s", opts.By, strings.Join(Groupings, ", "))
	}
	if opts.Examples < 0 {
		opts.Examples = 0
	} else if opts.Examples == 0 {
		opts.Examples = 20
	}
	if opts.Phrases <= 0 {
		opts.Phrases = 10
	}
	a := &Aggregator{opts: opts, weights: map[string]float64{}, critical: map[string]bool{},
		groups: map[string]*group{}, all: newGroup(""), timeline: map[day]*dayStat{},
		clusters: newClusterer(opts.Cluster), files: map[string]struct{}{}}
	for k, v := range DefaultWeights {
		a.weights[k] = v
	}
	for k, v := range opts.Weights {
		if v < 0 || v > 100 {
			return nil, fmt.Errorf("weight of %s: %v is not between 0 and 100", k, v)
		}
		a.weights[k] = v
	}
	for _, c := range opts.Critical {
		a.critical[c] = true
	}
	return a, nil
}

func newGroup(key string) *group {
	return &group{key: key, cats: map[string]*catStat{}, phrases: map[string]*int{}}
}

func (a *Aggregator) weight(cat string) float64 {
	if w, ok := a.weights[cat]; ok {
		return w
	}
	return DefaultWeight
}

// Skip records an input that could not be read.
func (a *Aggregator) Skip(path, reason string) {
	a.nSkipped++
	if len(a.skipped) < maxSkipsListed {
		a.skipped = append(a.skipped, Skip{path, reason})
	}
}

// counted reports whether a finding counts toward the scorecards (it is
// not suppressed).
func counted(f *analyzer.Finding) bool { return f.Suppressed == nil }

// Add folds one record in.
func (a *Aggregator) Add(r *Record) {
	a.files[r.Source.Path] = struct{}{}
	cats := a.cats[:0]
	for i := range r.Findings {
		if f := &r.Findings[i]; counted(f) {
			cats = catsAdd(cats, f.Category)
		}
	}
	a.cats = cats
	score := a.messageScore(cats)
	a.addTo(a.all, r, cats, score, "")
	if a.opts.By == "category" {
		for _, c := range cats {
			a.addTo(a.group(c.cat), r, cats, 0, c.cat)
		}
	} else {
		a.addTo(a.group(a.key(r)), r, cats, score, "")
	}
	d := dayOf(r.ReplyTime)
	ds := a.timeline[d]
	if ds == nil {
		ds = &dayStat{cats: map[string]int{}}
		a.timeline[d] = ds
	}
	ds.messages++
	for _, c := range cats {
		ds.cats[c.cat] += c.n
	}
	a.clusters.add(r)
}

// catCount is a category and the counted findings of a message in it.
type catCount struct {
	cat string
	n   int
}

// catsAdd counts one more finding of category c (a message has findings in
// a few of the twelve categories: a slice beats a map).
func catsAdd(cats []catCount, c string) []catCount {
	for i := range cats {
		if cats[i].cat == c {
			cats[i].n++
			return cats
		}
	}
	return append(cats, catCount{c, 1})
}

// day is a calendar day of the timeline; the zero day stands for messages
// without a date.
type day struct {
	y    int
	m, d uint8
}

func dayOf(t time.Time) day {
	if t.IsZero() {
		return day{}
	}
	y, m, d := t.Date()
	return day{y, uint8(m), uint8(d)}
}

func (d day) String() string {
	if d == (day{}) {
		return "(no date)"
	}
	return time.Date(d.y, time.Month(d.m), int(d.d), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func (d day) compare(o day) int {
	return cmp.Or(cmp.Compare(d.y, o.y), cmp.Compare(d.m, o.m), cmp.Compare(d.d, o.d))
}

// messageScore is 100 minus the weight of every category with a counted
// finding, floored at 0; 0 with a critical category.
func (a *Aggregator) messageScore(cats []catCount) float64 {
	s := 100.0
	for _, c := range cats {
		if a.critical[c.cat] {
			return 0
		}
		s -= a.weight(c.cat)
	}
	return max(s, 0)
}

func (a *Aggregator) group(key string) *group {
	g := a.groups[key]
	if g == nil {
		g = newGroup(key)
		a.groups[key] = g
	}
	return g
}

func (a *Aggregator) key(r *Record) string {
	switch a.opts.By {
	case "agent":
		return cmp.Or(r.Agent, "(unknown)")
	case "team":
		if a.opts.Team != nil {
			if t := a.opts.Team(r.Agent); t != "" {
				return t
			}
		}
		return "(no team)"
	case "conversation":
		return cmp.Or(r.Source.Conversation, r.Source.Path+" "+r.Source.MessageID)
	case "day":
		if !r.ReplyTime.IsZero() {
			return r.ReplyTime.Format(time.DateOnly)
		}
		return "(no date)"
	case "week":
		if !r.ReplyTime.IsZero() {
			y, w := r.ReplyTime.ISOWeek()
			return fmt.Sprintf("%04d-W%02d", y, w)
		}
		return "(no date)"
	case "file":
		return cmp.Or(r.Source.Path, "<stdin>")
	}
	return ""
}

// addTo folds r into g; only is the one category that counts (--by
// category), or "" for all.
func (a *Aggregator) addTo(g *group, r *Record, cats []catCount, score float64, only string) {
	if only != "" {
		// Category rows count only their own messages here; the totals
		// come from a.all at the end.
		cs := g.cat(only)
		for _, c := range cats {
			if c.cat == only {
				cs.findings += c.n
			}
		}
		cs.messages++
		a.findingsOf(g, r, only)
		return
	}
	g.messages++
	g.score += score
	if score == 0 && len(cats) > 0 {
		for _, c := range cats {
			if a.critical[c.cat] {
				g.failed++
				break
			}
		}
	}
	if len(cats) == 0 {
		g.clean++
	}
	for _, c := range cats {
		cs := g.cat(c.cat)
		cs.findings += c.n
		cs.messages++
		g.findings += c.n
	}
	if g == a.all && r.Implicit {
		a.implicit++
	}
	c := r.Courtesy
	if !r.Implicit {
		g.courtesy[1].add(true, c.Thanks)
	}
	g.courtesy[0].add(c.GreetingExpected, c.Greeting)
	g.courtesy[2].add(c.Complaint, c.Apology)
	g.courtesy[3].add(c.SignoffExpected, c.Signoff)
	if !r.CustomerTime.IsZero() && !r.ReplyTime.IsZero() {
		if d := r.ReplyTime.Sub(r.CustomerTime); d >= 0 {
			g.delays.add(d)
		}
	}
	if g != a.all {
		a.findingsOf(g, r, "")
	}
}

// findingsOf keeps g's phrases and examples from r's counted findings (of
// category only, or all).
func (a *Aggregator) findingsOf(g *group, r *Record, only string) {
	for i := range r.Findings {
		f := &r.Findings[i]
		if !counted(f) || only != "" && f.Category != only {
			continue
		}
		if !structural[f.Category] {
			a.countPhrase(g, f.Text)
		}
		cs := g.cat(f.Category)
		if len(cs.examples) < a.opts.Examples {
			cs.examples = append(cs.examples, example(r, f))
		}
	}
}

// countPhrase counts the phrase of a finding's text in g, keeping at most
// 4096 distinct phrases (those seen once go first).
func (a *Aggregator) countPhrase(g *group, text string) {
	a.phraseBuf = appendPhrase(a.phraseBuf[:0], text)
	if len(a.phraseBuf) == 0 {
		return
	}
	if n := g.phrases[string(a.phraseBuf)]; n != nil {
		*n++
		return
	}
	g.phrases[string(a.phraseBuf)] = new(1)
	if len(g.phrases) > 4096 {
		for k, v := range g.phrases {
			if *v == 1 {
				delete(g.phrases, k)
			}
		}
	}
}

func (g *group) cat(c string) *catStat {
	cs := g.cats[c]
	if cs == nil {
		cs = &catStat{}
		g.cats[c] = cs
	}
	return cs
}

func (r *ratio) add(applies, yes bool) {
	if applies {
		r.of++
		if yes {
			r.n++
		}
	}
}

// structural categories report a line or the whole message, not a phrase:
// they have no offending phrases to count.
var structural = map[string]bool{"courtesy": true, "relevance": true, "responsiveness": true}

// phrase normalises a finding's text for counting: lower case, inner
// white space collapsed, surrounding punctuation trimmed, at most 80
// characters.
func phrase(s string) string { return string(appendPhrase(nil, s)) }

// appendPhrase appends phrase(s) to dst.
func appendPhrase(dst []byte, s string) []byte {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	space, n := false, 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			if n == 80 {
				return append(dst, "…"...)
			}
			dst = append(dst, ' ')
			n++
			space = false
		}
		if n == 80 {
			return append(dst, "…"...)
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		n++
	}
	return dst
}

// Example is a kept finding shown in (an excerpt of) its message.
type Example struct {
	Rule       string          `json:"rule"`
	Category   string          `json:"category"`
	Severity   string          `json:"severity"`
	Lang       string          `json:"lang,omitempty"`
	Message    string          `json:"message"`
	Suggestion string          `json:"suggestion,omitempty"`
	Where      ExampleLocation `json:"where"`
	Line       int             `json:"line,omitempty"`
	Column     int             `json:"column,omitempty"`
	// Excerpt is the message around the finding; the finding is
	// Excerpt[Start:End].
	Excerpt string `json:"excerpt"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// excerptContext is how many bytes of the message an example keeps on
// each side of the finding.
const excerptContext = 400

func example(r *Record, f *analyzer.Finding) Example {
	ex := Example{Rule: f.Rule, Category: f.Category, Severity: string(f.Severity), Lang: f.Lang,
		Message: f.Message, Suggestion: f.Suggestion, Where: locate(r), Line: f.Span.Line, Column: f.Span.Column}
	t := r.Text
	s, e := f.Span.Start, f.Span.End
	if s < 0 || e < s || e > len(t) || t[s:e] == "" && f.Text != "" {
		// No text (findings read without records): show the phrase.
		ex.Excerpt, ex.Start, ex.End = f.Text, 0, len(f.Text)
		return ex
	}
	lo, hi := max(s-excerptContext, 0), min(e+excerptContext, len(t))
	for lo > 0 && !utf8RuneStart(t[lo]) {
		lo--
	}
	for hi < len(t) && !utf8RuneStart(t[hi]) {
		hi++
	}
	pre, post := "", ""
	if lo > 0 {
		pre = "…"
	}
	if hi < len(t) {
		post = "…"
	}
	ex.Excerpt = pre + t[lo:hi] + post
	ex.Start, ex.End = len(pre)+s-lo, len(pre)+e-lo
	return ex
}

// histogram counts durations to the second below 10 minutes and to 1%
// above, so that a median needs no list of every value.
type histogram struct {
	n       int
	buckets map[int32]int
}

const exactSeconds = 600

func (h *histogram) add(d time.Duration) {
	if h.buckets == nil {
		h.buckets = map[int32]int{}
	}
	sec := d.Seconds()
	b := int32(sec)
	if sec >= exactSeconds {
		b = exactSeconds + int32(math.Log(sec/exactSeconds)/math.Log(1.01))
	}
	h.buckets[b]++
	h.n++
}

// median returns the lower median, or false when there are no values.
func (h *histogram) median() (time.Duration, bool) {
	if h.n == 0 {
		return 0, false
	}
	keys := make([]int32, 0, len(h.buckets))
	for k := range h.buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want, seen := (h.n-1)/2, 0
	for _, k := range keys {
		seen += h.buckets[k]
		if seen > want {
			if k < exactSeconds {
				return time.Duration(k) * time.Second, true
			}
			sec := exactSeconds * math.Pow(1.01, float64(k-exactSeconds)+0.5)
			return time.Duration(math.Round(sec)) * time.Second, true
		}
	}
	return 0, false
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

package audit

import (
	"cmp"
	"maps"
	"slices"
)

// Report is the result of an audit. Its JSON form is the json format.
type Report struct {
	By         string      `json:"by"`
	Scoring    Scoring     `json:"scoring"`
	Summary    Summary     `json:"summary"`
	Categories []string    `json:"categories"` // every category with a finding, sorted
	Groups     []Scorecard `json:"groups"`
	Clusters   []Cluster   `json:"clusters"`
	Timeline   []Day       `json:"timeline"`
	Skipped    []Skip      `json:"skipped,omitempty"` // the first 100
}

// Scoring is the score formula's parameters.
type Scoring struct {
	Weights       map[string]float64 `json:"weights"`
	DefaultWeight float64            `json:"default_weight"`
	Critical      []string           `json:"critical"`
}

// Summary counts what the audit read.
type Summary struct {
	Files      int            `json:"files"`
	Messages   int            `json:"messages"`
	Findings   int            `json:"findings"`
	ByCategory map[string]int `json:"by_category"`
	Score      float64        `json:"score"`
	Skipped    int            `json:"skipped"` // inputs, messages or lines that could not be read
	// FindingsOnly counts the messages known only from their findings
	// (--from-findings over check's JSON Lines): the clean messages of such
	// input are not counted, and they have no courtesy facts.
	FindingsOnly int `json:"findings_only,omitempty"`
}

// Scorecard is one group's row.
type Scorecard struct {
	Group    string `json:"group"`
	Messages int    `json:"messages"` // agent messages
	Findings int    `json:"findings"`
	// ByCategory counts findings per category; Per100 is per 100 agent
	// messages.
	ByCategory map[string]int     `json:"by_category"`
	Per100     map[string]float64 `json:"per_100"`
	Clean      float64            `json:"clean"` // share of messages with no finding
	Score      float64            `json:"score"` // 0–100
	Failed     int                `json:"failed"`
	Courtesy   CourtesyRates      `json:"courtesy"`
	// MedianReplySeconds is the median of ReplyTime − CustomerTime, when
	// known (to the second below 10 minutes, to 1% above).
	MedianReplySeconds *float64             `json:"median_reply_seconds,omitempty"`
	TopPhrases         []NamedCount         `json:"top_phrases"`
	Examples           map[string][]Example `json:"examples,omitempty"`
}

// CourtesyRates are shares (0–1) of the messages where each courtesy is
// expected; nil when it is expected in none.
type CourtesyRates struct {
	Greeting              *float64 `json:"greeting"`
	Thanks                *float64 `json:"thanks"`
	ApologyAfterComplaint *float64 `json:"apology_after_complaint"`
	Signoff               *float64 `json:"signoff"`
}

// Day is one day of the timeline: findings per category.
type Day struct {
	Day        string         `json:"day"`
	Messages   int            `json:"messages"`
	ByCategory map[string]int `json:"by_category"`
}

// Result returns the report. The aggregator can go on after it.
func (a *Aggregator) Result() *Report {
	rep := &Report{By: a.opts.By, Groups: []Scorecard{}, Clusters: a.clusters.result(), Skipped: a.skipped}
	rep.Scoring = Scoring{Weights: maps.Clone(a.weights), DefaultWeight: DefaultWeight, Critical: slices.Sorted(maps.Keys(a.critical))}
	if rep.Scoring.Critical == nil {
		rep.Scoring.Critical = []string{}
	}
	all := a.scorecard(a.all)
	rep.Summary = Summary{Files: len(a.files), Messages: all.Messages, Findings: all.Findings,
		ByCategory: all.ByCategory, Score: all.Score, Skipped: a.nSkipped, FindingsOnly: a.implicit}
	rep.Categories = slices.Sorted(maps.Keys(all.ByCategory))
	if rep.Categories == nil {
		rep.Categories = []string{}
	}
	for _, k := range slices.Sorted(maps.Keys(a.groups)) {
		g := a.groups[k]
		var sc Scorecard
		if a.opts.By == "category" {
			sc = a.categoryCard(g, all)
		} else {
			sc = a.scorecard(g)
		}
		rep.Groups = append(rep.Groups, sc)
	}
	for _, d := range slices.SortedFunc(maps.Keys(a.timeline), day.compare) {
		ds := a.timeline[d]
		rep.Timeline = append(rep.Timeline, Day{Day: d.String(), Messages: ds.messages, ByCategory: maps.Clone(ds.cats)})
	}
	if rep.Clusters == nil {
		rep.Clusters = []Cluster{}
	}
	return rep
}

func (a *Aggregator) scorecard(g *group) Scorecard {
	sc := Scorecard{Group: g.key, Messages: g.messages, Findings: g.findings, Failed: g.failed,
		ByCategory: map[string]int{}, Per100: map[string]float64{}}
	for c, cs := range g.cats {
		sc.ByCategory[c] = cs.findings
		sc.Per100[c] = per100(cs.findings, g.messages)
		if len(cs.examples) > 0 {
			if sc.Examples == nil {
				sc.Examples = map[string][]Example{}
			}
			sc.Examples[c] = cs.examples
		}
	}
	if g.messages > 0 {
		sc.Clean = round(float64(g.clean)/float64(g.messages), 4)
		sc.Score = round(g.score/float64(g.messages), 1)
	}
	sc.Courtesy = rates(g.courtesy)
	if d, ok := g.delays.median(); ok {
		s := d.Seconds()
		sc.MedianReplySeconds = &s
	}
	sc.TopPhrases = topCounts(derefCounts(g.phrases), a.opts.Phrases)
	return sc
}

// categoryCard is a --by category row: every message counts, only the
// category's findings score.
func (a *Aggregator) categoryCard(g *group, all Scorecard) Scorecard {
	cs := g.cat(g.key)
	sc := Scorecard{Group: g.key, Messages: all.Messages, Findings: cs.findings,
		ByCategory: map[string]int{g.key: cs.findings},
		Per100:     map[string]float64{g.key: per100(cs.findings, all.Messages)},
		Courtesy:   all.Courtesy, MedianReplySeconds: all.MedianReplySeconds,
		TopPhrases: topCounts(derefCounts(g.phrases), a.opts.Phrases)}
	if len(cs.examples) > 0 {
		sc.Examples = map[string][]Example{g.key: cs.examples}
	}
	if all.Messages > 0 {
		n := float64(all.Messages)
		sc.Clean = round(1-float64(cs.messages)/n, 4)
		penalty := a.weight(g.key)
		if a.critical[g.key] {
			penalty = 100
			sc.Failed = cs.messages
		}
		sc.Score = round(100-min(penalty, 100)*float64(cs.messages)/n, 1)
	}
	return sc
}

func per100(n, messages int) float64 {
	if messages == 0 {
		return 0
	}
	return round(100*float64(n)/float64(messages), 2)
}

func rates(rs [4]ratio) CourtesyRates {
	f := func(r ratio) *float64 {
		if r.of == 0 {
			return nil
		}
		v := round(float64(r.n)/float64(r.of), 4)
		return &v
	}
	return CourtesyRates{Greeting: f(rs[0]), Thanks: f(rs[1]), ApologyAfterComplaint: f(rs[2]), Signoff: f(rs[3])}
}

// sortedByScore returns the groups, worst score first (then by name).
func sortedByScore(gs []Scorecard) []Scorecard {
	out := slices.Clone(gs)
	slices.SortStableFunc(out, func(a, b Scorecard) int {
		return cmp.Or(cmp.Compare(a.Score, b.Score), cmp.Compare(a.Group, b.Group))
	})
	return out
}

// derefCounts is m with its counts read.
func derefCounts(m map[string]*int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = *v
	}
	return out
}

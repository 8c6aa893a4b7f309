package audit

import (
	"cmp"
	"slices"
)

// ClusterOptions tune the canned-reply clusters.
type ClusterOptions struct {
	Threshold     float64 // exact Jaccard similarity of shingles to join a cluster (default 0.8)
	MinSize       int     // replies a reported cluster has at least (default 3)
	MinWords      int     // shorter replies are not clustered (default 12)
	MaxCandidates int     // candidate clusters held at once (default 20000)
	Max           int     // clusters reported, largest first (default 50)
}

func (o *ClusterOptions) defaults() {
	if o.Threshold <= 0 {
		o.Threshold = 0.8
	}
	if o.MinSize <= 0 {
		o.MinSize = 3
	}
	if o.MinWords <= 0 {
		o.MinWords = defaultMinWords
	}
	if o.MaxCandidates <= 0 {
		o.MaxCandidates = 20000
	}
	if o.Max <= 0 {
		o.Max = 50
	}
}

// Cluster is a group of near-identical replies sent to different customers.
type Cluster struct {
	Size      int          `json:"size"`
	Customers int          `json:"customers"` // distinct customers (counted up to 10000)
	Agents    []NamedCount `json:"agents"`
	// MinSimilarity is the lowest Jaccard similarity of a member to the
	// cluster's first reply.
	MinSimilarity float64         `json:"min_similarity"`
	Example       string          `json:"example"`
	ExampleSource ExampleLocation `json:"example_source"`
	// QuestionSimilarity is the mean estimated similarity of the customer
	// messages the replies answered (absent when fewer than two are known).
	QuestionSimilarity *float64 `json:"question_similarity,omitempty"`
	// DifferentQuestions says the same letter answered dissimilar customer
	// messages: a pre-written reply unrelated to the request.
	DifferentQuestions bool `json:"different_questions"`
}

// NamedCount is a name and how often it occurs.
type NamedCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// ExampleLocation says where an example came from.
type ExampleLocation struct {
	Path         string `json:"path,omitempty"`
	Conversation string `json:"conversation,omitempty"`
	MessageID    string `json:"message_id,omitempty"`
	Turn         int    `json:"turn,omitempty"`
	Line         int    `json:"line,omitempty"`
	Agent        string `json:"agent,omitempty"`
}

// defaultMinWords is the default ClusterOptions.MinWords: Prepare computes
// the shingles and signature of replies at least this long.
const defaultMinWords = 12

const (
	maxClusterAgents    = 50
	maxClusterCustomers = 10000
	maxQuestionSigs     = 8
	maxExampleText      = 1200
)

type candidate struct {
	seq       int64 // order of its first reply
	last      int64 // order of its latest reply
	rep       []uint64
	bands     [numBands]uint64
	size      int
	minSim    float64
	customers map[string]struct{}
	nCust     int
	agents    map[string]int
	questions []Signature
	example   string
	where     ExampleLocation
}

// clusterer finds near-identical replies with bounded memory.
type clusterer struct {
	opts  ClusterOptions
	cands map[int64]*candidate
	index map[uint64]int64 // band key → candidate seq
	n     int64
}

func newClusterer(o ClusterOptions) *clusterer {
	o.defaults()
	return &clusterer{opts: o, cands: map[int64]*candidate{}, index: map[uint64]int64{}}
}

func (c *clusterer) add(r *Record) {
	sh := r.shingles
	if !r.prepared { // a record read back from JSON Lines
		w := words(r.Text, nil)
		r.prepared, r.words = true, len(w)
		if len(w) >= c.opts.MinWords {
			sh = shingles(w, nil)
		}
	}
	if r.words < c.opts.MinWords {
		return
	}
	if sh == nil { // shorter than Prepare's minimum, not than this clusterer's
		sh = shingles(words(r.Text, nil), nil)
	}
	c.n++
	// The aggregator is one goroutine: the signature of a prepared record
	// was computed by a worker.
	sig := r.sig
	if !r.hasSig {
		sig = minhash(sh)
	}
	bands := sig.bands()
	var best *candidate
	bestSim := 0.0
	for _, k := range bands {
		id, ok := c.index[k]
		if !ok {
			continue
		}
		cd := c.cands[id]
		if cd == nil || cd == best {
			continue
		}
		if s := jaccard(sh, cd.rep); s >= c.opts.Threshold && (s > bestSim || s == bestSim && cd.seq < best.seq) {
			best, bestSim = cd, s
		}
	}
	if best == nil {
		best = &candidate{seq: c.n, rep: sh, bands: bands, minSim: 1,
			customers: map[string]struct{}{}, agents: map[string]int{},
			example: clip(r.Text, maxExampleText), where: locate(r)}
		c.cands[c.n] = best
		for _, k := range bands {
			if _, taken := c.index[k]; !taken {
				c.index[k] = c.n
			}
		}
		bestSim = 1
		if len(c.cands) > c.opts.MaxCandidates {
			c.evict()
		}
	}
	best.size++
	best.last = c.n
	best.minSim = min(best.minSim, bestSim)
	if _, seen := best.customers[r.Customer]; !seen && len(best.customers) < maxClusterCustomers {
		best.customers[r.Customer] = struct{}{}
		best.nCust++
	}
	if _, ok := best.agents[r.Agent]; ok || len(best.agents) < maxClusterAgents {
		best.agents[r.Agent]++
	}
	if len(best.questions) < maxQuestionSigs {
		if cs := r.customerSig(); cs != nil {
			best.questions = append(best.questions, *cs)
		}
	}
}

// evict drops half of the candidates, the smallest and least recently
// joined first, so that templates that recur stay.
func (c *clusterer) evict() {
	all := make([]*candidate, 0, len(c.cands))
	for _, cd := range c.cands {
		all = append(all, cd)
	}
	slices.SortFunc(all, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(a.size, b.size), cmp.Compare(a.last, b.last))
	})
	for _, cd := range all[:len(all)/2] {
		delete(c.cands, cd.seq)
		for _, k := range cd.bands {
			if c.index[k] == cd.seq {
				delete(c.index, k)
			}
		}
	}
}

// result returns the clusters that reached the minimum size and went to
// at least two customers, largest first.
func (c *clusterer) result() []Cluster {
	var cands []*candidate
	for _, cd := range c.cands {
		if cd.size >= c.opts.MinSize && cd.nCust >= 2 {
			cands = append(cands, cd)
		}
	}
	slices.SortFunc(cands, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.seq, b.seq))
	})
	if len(cands) > c.opts.Max {
		cands = cands[:c.opts.Max]
	}
	out := make([]Cluster, 0, len(cands))
	for _, cd := range cands {
		cl := Cluster{Size: cd.size, Customers: cd.nCust, MinSimilarity: round(cd.minSim, 3),
			Example: cd.example, ExampleSource: cd.where, Agents: topCounts(cd.agents, 10)}
		if q := cd.questions; len(q) >= 2 {
			sum, n := 0.0, 0
			for i := range q {
				for j := i + 1; j < len(q); j++ {
					sum += q[i].estimate(&q[j])
					n++
				}
			}
			m := round(sum/float64(n), 3)
			cl.QuestionSimilarity = &m
			cl.DifferentQuestions = m < 0.2
		}
		out = append(out, cl)
	}
	return out
}

// customerSig returns the signature of the customer's message: computed
// from the message, or read from CustomerSig; nil when there is none.
func (r *Record) customerSig() *Signature {
	switch {
	case r.custSig != nil:
	case r.customer != "":
		sig := minhash(shingles(words(r.customer, nil), nil))
		r.custSig = &sig
	case r.CustomerSig != "":
		if sig, err := parseSignature(r.CustomerSig); err == nil {
			r.custSig = sig
		}
	}
	return r.custSig
}

func locate(r *Record) ExampleLocation {
	return ExampleLocation{Path: r.Source.Path, Conversation: r.Source.Conversation,
		MessageID: r.Source.MessageID, Turn: r.Source.Turn, Line: r.Source.Line, Agent: r.Agent}
}

// topCounts returns the n largest counts, by count then name.
func topCounts(m map[string]int, n int) []NamedCount {
	out := make([]NamedCount, 0, len(m))
	for k, v := range m {
		out = append(out, NamedCount{k, v})
	}
	slices.SortFunc(out, func(a, b NamedCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

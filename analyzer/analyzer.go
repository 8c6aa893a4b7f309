package analyzer

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/replylint/replylint/rules"
)

// Rule is a compiled rule: its data from the rule file and a small Run that
// reports findings through the Pass. Pattern rules report the matches of
// their patterns; structural rules run a Go check.
type Rule struct {
	*rules.Rule
	Run func(*Pass)

	idx      int32
	variants map[string]*Rule // the same rule id in other languages
}

// Config selects and tunes rules.
type Config struct {
	// Enable and Disable name rule ids or categories. Disable wins. When
	// Enable is not empty, only what it names runs.
	Enable, Disable []string
	// Severity overrides the severity of rule ids or categories.
	Severity map[string]Severity
	// Thresholds tune the context checks; zero values take the defaults.
	Thresholds Thresholds
	// Templates are the team's reply templates: a near-copy of one whose
	// placeholders were not personalised is flagged canned.
	Templates []Template
	// TemplateThreshold is the share of a template's word shingles a reply
	// must contain to be a near-copy (default 0.8).
	TemplateThreshold float64
}

// Analyzer lints documents with a compiled set of rules. It is safe for
// concurrent use.
type Analyzer struct {
	rules  []*Rule
	checks []*Rule // structural rules, one per id (the language variant is chosen per document)
	// checksByLang are the checks in each language's variants (checksFor),
	// worked out once.
	checksByLang map[string][]*Rule
	autos        [numScripts]lazyAutomaton // by script, compiled on first use
	// custAutos match the phrase lists read in the customer's message
	// (complaint), by script: a customer's message does not run the rules.
	custAutos [numScripts]lazyAutomaton
	pats      []patInfo        // every compiled pattern's owner
	phrases   map[string]int32 // phrase list name → index
	byID      map[string]*Rule
	pool      sync.Pool

	thresholds        Thresholds
	templates         []*compiledTemplate
	templateThreshold float64

	// Word sets from phrase lists that are looked up, not matched:
	// "stopword" (relevance, names) and "title" (names).
	stopwords, titleWords map[string]bool
	// concepts are the groups of related words of the relevance check.
	concepts concepts
}

// New compiles a rule set. It fails on a pattern that cannot be compiled
// or a check that does not exist.
func New(set *rules.Set, cfg Config) (*Analyzer, error) {
	for _, name := range append(slices.Clone(cfg.Enable), cfg.Disable...) {
		if !rules.IsCategory(name) && len(set.Lookup(name)) == 0 {
			return nil, fmt.Errorf("unknown rule or category %q (see `replylint rules`)", name)
		}
	}
	for name := range cfg.Severity {
		if !rules.IsCategory(name) && len(set.Lookup(name)) == 0 {
			return nil, fmt.Errorf("severity override: unknown rule or category %q", name)
		}
	}
	a := &Analyzer{phrases: map[string]int32{}, thresholds: cfg.Thresholds.withDefaults(),
		stopwords: map[string]bool{}, titleWords: map[string]bool{}}
	// Patterns are compiled into one automaton per script (Latin, Cyrillic,
	// Arabic), concurrently: a text only runs the automata of its scripts.
	var jobs, custJobs [numScripts][]patJob
	addJob := func(p rules.Pattern, info patInfo, prefix string) {
		to := &jobs
		if customerLists[info.phrase] {
			to = &custJobs
		}
		sc := scriptOf(info.lang)
		if sc == scriptNone {
			sc = scriptLatin
		}
		to[sc] = append(to[sc], patJob{pat: p, info: info, prefix: prefix, seq: len(a.pats)})
		a.pats = append(a.pats, info)
	}
	byID := map[string]*Rule{}
	for _, rr := range set.Rules {
		if !enabled(rr, cfg) {
			// Compiled all the same, matching nothing: the automata of
			// the catalogue stay those of builtin.automata.
			for _, p := range rr.Patterns {
				addJob(p, patInfo{kind: patDisabled, rule: -1, lang: rr.Lang, src: p.Source}, "rule "+rr.ID+": ")
			}
			for _, e := range rr.Exceptions {
				addJob(e.Pattern, patInfo{kind: patDisabled, rule: -1, lang: rr.Lang, src: e.Source}, "rule "+rr.ID+": exception: ")
			}
			continue
		}
		r := &Rule{Rule: rr, idx: int32(len(a.rules))}
		if sev, ok := cfg.Severity[rr.ID]; ok {
			r.Rule = cloneWithSeverity(rr, sev)
		} else if sev, ok := cfg.Severity[rr.Category]; ok {
			r.Rule = cloneWithSeverity(rr, sev)
		}
		if rr.Check != "" {
			check, ok := checks[rr.Check]
			if !ok {
				return nil, fmt.Errorf("%s: rule %s: unknown check %q", rr.Pos, rr.ID, rr.Check)
			}
			r.Run = check
		} else {
			r.Run = runPatterns
		}
		for _, p := range rr.Patterns {
			addJob(p, patInfo{kind: patRule, rule: r.idx, lang: rr.Lang, src: p.Source}, "rule "+rr.ID+": ")
		}
		for _, e := range rr.Exceptions {
			addJob(e.Pattern, patInfo{kind: patException, rule: r.idx, scope: e.Scope, lang: rr.Lang, src: e.Source}, "rule "+rr.ID+": exception: ")
		}
		a.rules = append(a.rules, r)
		if first, ok := byID[rr.ID]; ok {
			first.variants[rr.Lang] = r
			r.variants = first.variants
		} else {
			r.variants = map[string]*Rule{rr.Lang: r}
			byID[rr.ID] = r
			if rr.Check != "" {
				a.checks = append(a.checks, r)
			}
		}
	}
	names := make([]string, 0, len(set.Phrases))
	for name := range set.Phrases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a.phrases[name] = int32(len(a.phrases))
		if name == "stopword" {
			for _, p := range set.Phrases[name] {
				for _, w := range wordList(p.Node()) {
					for _, k := range patternKeys(w, p.Lang) {
						a.stopwords[k] = true
					}
				}
			}
			continue
		}
		if name == "related" {
			for i, p := range set.Phrases[name] {
				a.concepts.add(p.Node(), p.Lang, int32(i)) // one group per entry
			}
			continue
		}
		if name == "title" {
			for _, p := range set.Phrases[name] {
				for _, w := range wordList(p.Node()) {
					for _, k := range patternKeys(w, p.Lang) {
						a.titleWords[k] = true
					}
				}
			}
		}
		for _, p := range set.Phrases[name] {
			addJob(p.Pattern, patInfo{kind: patPhrase, phrase: name, list: a.phrases[name], lang: p.Lang, src: p.Source}, "phrases."+name+": ")
		}
	}
	// The automata are compiled when a text first needs them: what could
	// fail there is checked now (the rules package checked the rest), in
	// the patterns that are not stored compiled (builtin.automata).
	snaps := snapshotEntries()
	var badWord error
	badSeq := len(a.pats)
	var wordBuf []byte
	var wordOff []int32
	for sc := range jobs {
		for _, l := range []struct {
			auto *lazyAutomaton
			jobs []patJob
		}{{&a.autos[sc], jobs[sc]}, {&a.custAutos[sc], custJobs[sc]}} {
			l.auto.jobs, l.auto.npats = l.jobs, len(a.pats)
			if len(snaps) > 0 && len(l.jobs) > 0 {
				l.auto.snap = snaps[fingerprint(l.jobs)]
			}
			if l.auto.snap != "" {
				continue
			}
			for _, j := range l.jobs {
				if j.seq >= badSeq {
					break // report the first in catalogue order
				}
				if w, ok := wordWithoutLetters(j.pat.Node(), &wordBuf, &wordOff); !ok {
					badWord = fmt.Errorf("%s: %spattern %q: %q has no letters or digits", j.pat.Pos, j.prefix, j.info.src, w)
					badSeq = j.seq
					break
				}
			}
		}
	}
	if badWord != nil {
		return nil, badWord
	}
	a.byID = byID
	a.checksByLang = map[string][]*Rule{}
	for _, l := range append([]string{""}, Languages...) {
		a.checksByLang[l] = a.checksFor(l)
	}
	a.templateThreshold = cfg.TemplateThreshold
	if a.templateThreshold <= 0 || a.templateThreshold > 1 {
		a.templateThreshold = 0.8
	}
	if err := a.compileTemplates(cfg.Templates); err != nil {
		return nil, err
	}
	a.pool.New = func() any { return new(scratch) }
	return a, nil
}

// checksFor returns the structural rules in their variants for a
// document in lang: its own, else English, else the first defined.
func (a *Analyzer) checksFor(lang string) []*Rule {
	out := make([]*Rule, 0, len(a.checks))
	for _, r := range a.checks {
		if v, ok := r.variants[lang]; ok {
			r = v
		} else if v, ok := r.variants["en"]; ok {
			r = v
		}
		out = append(out, r)
	}
	return out
}

// wordList returns the words of a pattern that is a word or an
// alternation of words (the form of look-up lists such as stopword).
func wordList(n *rules.Node) []string {
	switch n.Kind {
	case rules.NodeWord:
		return []string{n.Text}
	case rules.NodeAlt, rules.NodeSeq:
		var out []string
		for _, k := range n.Kids {
			out = append(out, wordList(k)...)
		}
		return out
	}
	return nil
}

func cloneWithSeverity(r *rules.Rule, sev Severity) *rules.Rule {
	c := *r
	c.Severity = sev
	return &c
}

func enabled(r *rules.Rule, cfg Config) bool {
	if slices.Contains(cfg.Disable, r.ID) || slices.Contains(cfg.Disable, r.Category) {
		return false
	}
	if len(cfg.Enable) > 0 {
		return slices.Contains(cfg.Enable, r.ID) || slices.Contains(cfg.Enable, r.Category)
	}
	return true
}

// Rules returns the compiled rules, every language variant.
func (a *Analyzer) Rules() []*Rule { return a.rules }

// Run lints one document and returns its findings sorted by position.
func (a *Analyzer) Run(doc Document) []Finding { return a.run(doc, true, nil) }

// Result is a linted document: its findings, and its courtesy facts for
// scorecards.
type Result struct {
	Findings []Finding
	Facts    Facts
}

// Facts are what the analyzer saw of a document's courtesy, from the same
// phrase lists the courtesy rules match (whichever rules are enabled).
type Facts struct {
	Greeting  bool // the message opens with a greeting
	Thanks    bool // it thanks the customer
	Apology   bool // it apologises
	Signoff   bool // it closes with a sign-off
	Complaint bool // the customer's message (Context.Customer) speaks of a problem
}

// Check lints doc and returns its findings and courtesy facts.
func (a *Analyzer) Check(doc Document) Result {
	var res Result
	res.Findings = a.run(doc, true, &res.Facts)
	return res
}

// run lints doc; merge folds overlapping findings of one category into one.
func (a *Analyzer) run(doc Document, merge bool, facts *Facts) []Finding {
	if doc.Kind == "" {
		doc.Kind = KindEmail
	}
	if doc.Role == "customer" {
		return nil
	}
	sc := a.pool.Get().(*scratch)
	defer a.pool.Put(sc)

	// The pass, its document and text live in the worker's scratch, with
	// the offset map and buffers: none of them outlives Run (the findings
	// hold strings, not pointers into them).
	sc.doc = doc
	defer func() { sc.doc, sc.pass = Document{}, Pass{}; sc.msg.release() }()
	p := &sc.pass
	*p = Pass{Doc: &sc.doc, a: a, sc: sc, findings: sc.findings[:0], exceptions: sc.exceptions[:0]}
	pr := sc.msg.prepare(doc.Text, doc.Lang)
	p.Text, p.paras, p.Tokens, p.Lang = pr.text, pr.paras, pr.toks, pr.lang

	// Bucket the matches by rule and by phrase list, in reusable slices.
	sc.byRule = resize(sc.byRule, len(a.rules))
	sc.phrases = resize(sc.phrases, len(a.phrases))
	p.byRule, p.phrases = sc.byRule, sc.phrases
	var fired []int32
	ran := a.match(p.Text.Norm, p.Tokens, p.paras, sc, func(m match) {
		info := &a.pats[m.pat]
		// Arabic and Persian share a script and some words (Arabic بود
		// "with affection" is Persian "was", تأخیر and طبیعی are both): an
		// Arabic pattern or phrase does not count in a paragraph detected
		// as Persian, which takes Persian letters or words. The reverse
		// stays: Persian typed on an Arabic keyboard may be detected as
		// Arabic. Exceptions stay too: they cancel only their own rule's
		// matches, which may be in another paragraph.
		if info.kind != patException && info.lang == "ar" && p.paras[p.Tokens[m.start].Para].lang == "fa" {
			return
		}
		switch info.kind {
		case patRule:
			if len(p.byRule[info.rule]) == 0 {
				fired = append(fired, info.rule)
			}
			p.byRule[info.rule] = append(p.byRule[info.rule], m)
		case patException:
			p.exceptions = append(p.exceptions, m)
		case patPhrase:
			p.phrases[info.list] = append(p.phrases[info.list], p.toMatch(m))
		}
	})
	if ran > 1 {
		// Text order (by last token, as one automaton emits) across scripts.
		for _, ms := range p.phrases {
			slices.SortStableFunc(ms, func(x, y Match) int { return x.Last - y.Last })
		}
	}
	for _, idx := range fired {
		r := a.rules[idx]
		p.rule = r
		r.Run(p)
	}
	checks, ok := a.checksByLang[p.Lang]
	if !ok {
		checks = a.checksFor(p.Lang)
	}
	for _, r := range checks {
		p.rule = r
		r.Run(p)
	}
	p.finish(merge)
	// The findings grew in the worker's buffer: the caller gets its own
	// copy, allocated once.
	sc.findings, sc.exceptions = p.findings[:0], p.exceptions[:0]
	if len(p.findings) == 0 {
		p.findings = nil
	} else {
		p.findings = slices.Clone(p.findings)
	}
	if facts != nil {
		facts.Greeting = p.greetingAtStart()
		facts.Thanks = len(p.Phrases("thanks")) > 0
		facts.Apology = len(p.Phrases("apology")) > 0
		facts.Signoff = p.signoffAtEnd()
		if c := p.customer(); c != nil {
			facts.Complaint = c.complains(p)
		}
	}
	return p.findings
}

// detectLanguages sets the language of each paragraph of t, whose words
// are toks, and returns the document's: forced when given, else the
// language of most text.
func detectLanguages(t *Text, paras []paragraph, toks []Token, forced string) string {
	if forced != "" {
		for i := range paras {
			paras[i].lang = forced
		}
		return forced
	}
	var weight [4]int // by index in Languages
	k := 0
	for i := range paras {
		pr := &paras[i]
		j := k
		for k < len(toks) && int(toks[k].Para) == i {
			k++
		}
		s, e := t.OrigSpan(pr.start, pr.end)
		pr.lang = detectLang(t.Orig[s:e], t.Norm, toks[j:k])
		for li, l := range Languages {
			if pr.lang == l {
				weight[li] += pr.end - pr.start
			}
		}
	}
	doc, best := "en", -1
	for li, l := range Languages {
		if weight[li] > best {
			doc, best = l, weight[li]
		}
	}
	for i := range paras {
		if paras[i].lang == "" {
			paras[i].lang = doc
		}
	}
	return doc
}

// prepared is a text made ready for matching: normalised, split into
// paragraphs with their languages, and tokenised.
type prepared struct {
	text  *Text
	paras []paragraph
	toks  []Token
	lang  string
}

// prepare normalises, splits and tokenises s: what Run does to a message,
// for the other texts (a customer's message, a name, a template).
func prepare(s, forced string) prepared {
	t := Normalize(s)
	paras, toks, lang := segment(t, forced, nil, nil)
	return prepared{text: t, paras: paras, toks: toks, lang: lang}
}

// keys returns the lookup keys of the tokens.
func (pr prepared) keys() []string {
	return pr.appendKeys(make([]string, 0, len(pr.toks)))
}

// appendKeys appends the lookup keys of the tokens to dst.
func (pr prepared) appendKeys(dst []string) []string {
	for _, tk := range pr.toks {
		dst = append(dst, tokenKey(pr.text.Norm, tk, nil))
	}
	return dst
}

// textBuffers prepare text after text in the same memory: a worker's
// messages, a worker's customers' messages.
type textBuffers struct {
	text Text
	norm []byte
	pr   prepared
}

// prepare is prepare(s, forced) in b's buffers: what it returns is valid
// until the next call.
func (b *textBuffers) prepare(s, forced string) *prepared {
	b.norm, b.text.off = normalizeInto(s, b.norm[:0], b.text.off[:0])
	b.text.Orig, b.text.Norm = s, string(b.norm)
	b.pr.text = &b.text
	b.pr.paras, b.pr.toks, b.pr.lang = segment(&b.text, forced, b.pr.paras, b.pr.toks)
	return &b.pr
}

// release drops the references to the last text, keeping the buffers.
func (b *textBuffers) release() { b.text.Orig, b.text.Norm = "", "" }

// Pass is what a rule's Run sees: the document, its normalised text and
// tokens, the matches of the automaton, and Report.
type Pass struct {
	Doc    *Document
	Text   *Text
	Tokens []Token
	Lang   string // the document's language

	a            *Analyzer
	rule         *Rule
	paras        []paragraph
	byRule       [][]match // rule index → its matches
	exceptions   []match
	phrases      [][]Match // phrase list index → its matches
	findings     []Finding
	lines        []int     // byte offsets of line starts in Text.Orig, built on demand
	placeholders *[][2]int // unfilled template placeholders, found on demand
	cust         *customer // the customer's message, prepared on demand
	sc           *scratch  // the worker's (nil outside Run): buffers and caches kept across messages
	keyBuf       []byte
}

// Rule returns the rule being run.
func (p *Pass) Rule() *Rule { return p.rule }

// Match is a match of a pattern: tokens First..Last (inclusive) and the
// corresponding byte range of the normalised text.
type Match struct {
	First, Last int    // token indexes
	Start, End  int    // byte range in Text.Norm
	Lang        string // language of the pattern
}

func (p *Pass) toMatch(m match) Match {
	return Match{
		First: int(m.start), Last: int(m.end),
		Start: int(p.Tokens[m.start].Start), End: int(p.Tokens[m.end].End),
		Lang: p.a.pats[m.pat].lang,
	}
}

// Phrases returns the matches of a phrase list (every language), in text
// order.
func (p *Pass) Phrases(name string) []Match {
	i, ok := p.a.phrases[name]
	if !ok {
		return nil
	}
	return p.phrases[i]
}

// resize returns s with n empty buckets, reusing their memory.
func resize[T any](s [][]T, n int) [][]T {
	if cap(s) < n {
		s = make([][]T, n)
	}
	s = s[:n]
	for i := range s {
		s[i] = s[i][:0]
	}
	return s
}

// ParaLang returns the language of the paragraph that holds token i.
func (p *Pass) ParaLang(i int) string { return p.paras[p.Tokens[i].Para].lang }

// runPatterns is the Run of every pattern rule: it reports the matches of
// the rule's patterns that no exception cancels, once per place.
func runPatterns(p *Pass) {
	r := p.rule
	ms := p.byRule[r.idx]
	slices.SortFunc(ms, func(x, y match) int {
		if x.start != y.start {
			return int(x.start - y.start)
		}
		return int(y.end - x.end)
	})
	lastEnd := int32(-1)
	for _, m := range ms {
		if m.start <= lastEnd {
			continue // overlaps a match already reported for this rule
		}
		if r.SkipQuoted && p.Tokens[m.start].Quoted || p.citedToReject(m) {
			continue
		}
		if p.excepted(r.idx, m) {
			continue
		}
		if os, oe := p.Text.OrigSpan(int(p.Tokens[m.start].Start), int(p.Tokens[m.end].End)); p.inPlaceholder(os, oe) {
			continue // words of an unfilled placeholder are not the agent's
		}
		lastEnd = m.end
		rule := r
		// Arabic and Persian share a script: speak the paragraph's language
		// when the rule has a variant in it.
		if pl := p.ParaLang(int(m.start)); pl != r.Lang {
			if v, ok := r.variants[pl]; ok {
				rule = v
			}
		}
		p.ReportTokens(rule, int(m.start), int(m.end))
	}
}

// quoteRejected reports whether the text around m rejects what it quotes:
// "I'm sorry about the last reply. "That's not our department" is not an
// answer you should have had" cites the phrase to disown it. The cues are
// the phrase list reject_quote, in the quote's sentence or next to it.
func (p *Pass) quoteRejected(m match) bool {
	s := p.Tokens[m.start].Sentence
	for _, r := range p.Phrases("reject_quote") {
		rs, re := p.Tokens[r.First].Sentence, p.Tokens[r.Last].Sentence
		if rs <= s+1 && re >= s-1 {
			return true
		}
	}
	return false
}

// citedToReject reports whether m starts inside quotation marks (a
// pattern's gap may run on past the closing mark) and the text around it
// rejects what it quotes (quoteRejected): "instead of your name it said
// «[Имя клиента]», that was our template's error". Pattern rules and the
// checks that flag a span (placeholders, generic salutations) share it.
func (p *Pass) citedToReject(m match) bool {
	return p.Tokens[m.start].Quoted && p.quoteRejected(m)
}

// quoted reports whether every token of m is inside quotation marks.
func (p *Pass) quoted(m match) bool {
	for i := m.start; i <= m.end; i++ {
		if !p.Tokens[i].Quoted {
			return false
		}
	}
	return true
}

// excepted reports whether an exception of rule idx cancels m.
func (p *Pass) excepted(idx int32, m match) bool {
	for _, e := range p.exceptions {
		info := &p.a.pats[e.pat]
		if info.rule != idx {
			continue
		}
		switch info.scope {
		case rules.ScopeMessage:
			return true
		case rules.ScopeSentence:
			if p.Tokens[e.start].Sentence == p.Tokens[m.start].Sentence ||
				p.Tokens[e.end].Sentence == p.Tokens[m.end].Sentence {
				return true
			}
		case rules.ScopeClause:
			// The exception lies within one clause, one of the match's: an
			// exception's gap reaching across a comma ("if you like, the
			// money will definitely arrive") does not count.
			if c := p.Tokens[e.start].Clause; c == p.Tokens[e.end].Clause && p.Tokens[m.start].Clause <= c && c <= p.Tokens[m.end].Clause {
				return true
			}
		default:
			if e.start <= m.start && e.end >= m.end {
				return true
			}
		}
	}
	return false
}

// ReportTokens reports a finding of rule r over tokens first..last.
func (p *Pass) ReportTokens(r *Rule, first, last int) {
	s, e := p.Text.OrigSpan(int(p.Tokens[first].Start), int(p.Tokens[last].End))
	p.Report(r, s, e, "")
}

// Report reports a finding of rule r over the original bytes [start, end).
// severity, when not empty, lowers the rule's severity for this finding
// (checks use it for low-confidence hints).
func (p *Pass) Report(r *Rule, start, end int, severity Severity) {
	if r == nil {
		r = p.rule
	}
	sev := r.Severity
	if severity != "" && severity.Rank() < sev.Rank() {
		sev = severity
	}
	line, col := p.position(start)
	p.findings = append(p.findings, Finding{
		Rule: r.ID, Category: r.Category, Severity: sev, Lang: r.Lang,
		Message: r.Message, Suggestion: r.Suggestion, Source: p.Doc.Source,
		Span: Span{Start: start, End: end, Line: line, Column: col},
		Text: p.Text.Orig[start:end],
	})
}

// position returns the 1-based line and column (in runes) of a byte offset
// of the original text.
func (p *Pass) position(off int) (int, int) {
	if p.lines == nil {
		p.lines = []int{0}
		for i := 0; i < len(p.Text.Orig); i++ {
			if p.Text.Orig[i] == '\n' {
				p.lines = append(p.lines, i+1)
			}
		}
	}
	l := sort.SearchInts(p.lines, off+1) - 1
	return l + 1, utf8.RuneCountInString(p.Text.Orig[p.lines[l]:off]) + 1
}

func (p *Pass) finish(merge bool) {
	slices.SortStableFunc(p.findings, func(a, b Finding) int {
		if a.Span.Start != b.Span.Start {
			return a.Span.Start - b.Span.Start
		}
		if a.Span.End != b.Span.End {
			return a.Span.End - b.Span.End
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	if !merge {
		return
	}
	// Two phrase findings of one category over the same words are one
	// problem (two rules, or one rule through its Arabic and Persian
	// variants): keep the more severe, then the first. Structural checks
	// only use a line as their location and are never folded.
	kept := p.findings[:0]
	for _, f := range p.findings {
		if r := p.a.byID[f.Rule]; r != nil && r.Check != "" {
			kept = append(kept, f)
			continue
		}
		dup := false
		for i := len(kept) - 1; i >= 0 && kept[i].Span.End > f.Span.Start; i-- {
			k := &kept[i]
			if r := p.a.byID[k.Rule]; r != nil && r.Check != "" {
				continue
			}
			if k.Category == f.Category && k.Span.Start < f.Span.End && f.Span.Start < k.Span.End {
				if f.Severity.Rank() > k.Severity.Rank() {
					*k = f
				}
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, f)
		}
	}
	p.findings = kept
}

// LineText returns the line of s that holds byte offset off, without its
// newline.
func LineText(s string, off int) string {
	off = max(0, min(off, len(s)))
	start := strings.LastIndexByte(s[:off], '\n') + 1
	end := strings.IndexByte(s[off:], '\n')
	if end < 0 {
		return s[start:]
	}
	return s[start : off+end]
}

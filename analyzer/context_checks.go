package analyzer

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/replylint/replylint/rules"
)

// Thresholds tune the context checks.
type Thresholds struct {
	// ChatReply and EmailReply are the longest acceptable delays between the
	// customer's message and the agent's reply (defaults 15 minutes and 24
	// hours).
	ChatReply, EmailReply time.Duration
	// RelevanceMinWords is how many content words a customer's message needs
	// before the relevance check judges a reply to it (default 8); the reply
	// needs as many.
	RelevanceMinWords int
}

func (t Thresholds) withDefaults() Thresholds {
	if t.ChatReply <= 0 {
		t.ChatReply = 15 * time.Minute
	}
	if t.EmailReply <= 0 {
		t.EmailReply = 24 * time.Hour
	}
	if t.RelevanceMinWords <= 0 {
		t.RelevanceMinWords = 8
	}
	return t
}

func init() {
	checks["wrong-name"] = checkWrongName
	checks["generic-salutation"] = checkGenericSalutation
	checks["responsiveness"] = checkResponsiveness
	checks["relevance"] = checkRelevance
}

// salutation finds the opening salutation — the words before the first
// comma, colon, exclamation mark or line end of the first sentence ("Dear
// Mrs. Jackson,", "آقای شاکری گرامی،", "Уважаемая Инна Сергеевна!") — and
// returns its name words (token indexes) and whether it addresses a generic
// "customer". ok is false when the message opens with no salutation.
func (p *Pass) salutation() (names []int, generic []int, ok bool) {
	if len(p.Tokens) == 0 {
		return nil, nil, false
	}
	end := 0 // last token of the salutation
	for end+1 < len(p.Tokens) && end < 6 {
		next := p.Tokens[end+1]
		if next.Sentence != p.Tokens[0].Sentence || next.Line != p.Tokens[0].Line ||
			strings.ContainsAny(p.Text.Norm[p.Tokens[end].End:next.Start], ",:!") {
			break
		}
		end++
	}
	if end == 6 {
		return nil, nil, false // a sentence, not a salutation
	}
	covered := map[int]bool{} // tokens of greeting words and titles
	greeted := false
	for _, list := range []string{"greeting", "title"} {
		for _, m := range p.Phrases(list) {
			if m.First <= end {
				greeted = greeted || list == "greeting" || m.First == 0
				for i := m.First; i <= m.Last; i++ {
					covered[i] = true
				}
			}
		}
	}
	for _, m := range p.Phrases("generic_addressee") {
		if m.First <= end {
			greeted = true
			for i := m.First; i <= m.Last; i++ {
				generic = append(generic, i)
				covered[i] = true
			}
		}
	}
	if !greeted {
		return nil, nil, false
	}
	for i := 0; i <= end; i++ {
		key := tokenKey(p.Text.Norm, p.Tokens[i], nil)
		if covered[i] || p.a.stopwords[key] || p.a.titleWords[key] || !p.nameLike(i) {
			continue
		}
		names = append(names, i)
	}
	return names, generic, true
}

// phraseStarts maps the first token of each match of a phrase list to its
// last token.
func (p *Pass) phraseStarts(name string) map[int]int {
	m := map[int]int{}
	for _, x := range p.Phrases(name) {
		if old, ok := m[x.First]; !ok || x.Last > old {
			m[x.First] = x.Last
		}
	}
	return m
}

// nameLike reports whether token i can be part of a name: capitalised in a
// cased script, any word in Arabic script.
func (p *Pass) nameLike(i int) bool {
	s, _ := p.Text.OrigSpan(int(p.Tokens[i].Start), int(p.Tokens[i].End))
	r, _ := utf8.DecodeRuneInString(p.Text.Orig[s:])
	switch {
	case unicode.IsUpper(r):
		return true
	case unicode.IsLower(r):
		return false
	}
	return unicode.IsLetter(r)
}

// appendNameKeys appends the normalised words of name, without titles, to
// dst, preparing it in tb (a worker's: names change with every
// conversation of an audit).
func (a *Analyzer) appendNameKeys(dst []string, name string, tb *textBuffers) []string {
	pr := tb.prepare(name, "")
	for _, tk := range pr.toks {
		if k := tokenKey(pr.text.Norm, tk, nil); !a.stopwords[k] && !a.titleWords[k] {
			dst = append(dst, strings.Clone(k))
		}
	}
	tb.release()
	return dst
}

// words returns the normalised token keys of s.
func (a *Analyzer) words(s string) []string { return prepare(s, "").keys() }

// sameName reports whether two name words are the same name, allowing for
// inflection (Ольга/Ольге) by a shared prefix of at least four letters.
func sameName(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n >= 4 && n >= min(len(ra), len(rb))-2
}

// customerName returns the customer's name words, when known.
func (p *Pass) customerName() []string {
	name := p.Doc.Context.CustomerName
	if name == "" || len(p.Tokens) == 0 {
		return nil
	}
	// A conversation's replies go to one customer: the worker keeps the
	// last name's keys (two checks read them per message).
	last := &preparedName{}
	if p.sc != nil {
		last = &p.sc.name
	}
	if !last.done || last.name != name {
		tb := new(textBuffers)
		if p.sc != nil {
			tb = &p.sc.nameText
		}
		*last = preparedName{name: name, keys: p.a.appendNameKeys(last.keys[:0], name, tb), done: true}
	}
	return last.keys
}

// preparedName is a customer's name and its keys.
type preparedName struct {
	name string
	keys []string
	done bool
}

// checkGenericSalutation flags a salutation to a generic "customer" when the
// customer's name is known.
func checkGenericSalutation(p *Pass) {
	if len(p.customerName()) == 0 {
		return
	}
	names, generic, ok := p.salutation()
	if !ok || len(generic) == 0 || len(names) > 0 {
		return
	}
	if p.citedToReject(match{start: int32(generic[0]), end: int32(generic[len(generic)-1])}) {
		return // "The letter opened with "Dear valued customer". That shouldn't have gone out."
	}
	s, e := p.Text.OrigSpan(int(p.Tokens[generic[0]].Start), int(p.Tokens[generic[len(generic)-1]].End))
	p.Report(nil, s, e, "")
	p.fill(map[string]string{"{name}": p.Doc.Context.CustomerName})
}

// checkWrongName flags a greeting that names someone other than the
// customer ("Dear Mrs. Jackson" to Mary Johnson). Names in different
// scripts (أحمد, Ahmed) cannot be compared and are left alone.
func checkWrongName(p *Pass) {
	want := p.customerName()
	if len(want) == 0 {
		return
	}
	names, _, ok := p.salutation()
	if !ok || len(names) == 0 {
		return
	}
	comparable := false
	for _, i := range names {
		k := tokenKey(p.Text.Norm, p.Tokens[i], nil)
		for _, w := range want {
			if sameName(k, w) {
				return
			}
			comparable = comparable || sameScript(k, w)
		}
	}
	if !comparable {
		return
	}
	s, e := p.Text.OrigSpan(int(p.Tokens[names[0]].Start), int(p.Tokens[names[len(names)-1]].End))
	p.Report(nil, s, e, "")
	p.fill(map[string]string{"{name}": p.Doc.Context.CustomerName})
}

// sameScript reports whether two words start in the same script.
func sameScript(a, b string) bool {
	ra, _ := utf8.DecodeRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	for _, sc := range []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Arabic, unicode.Greek, unicode.Hebrew} {
		if unicode.Is(sc, ra) {
			return unicode.Is(sc, rb)
		}
	}
	return false
}

// fill replaces {placeholders} in the last finding's message and suggestion.
func (p *Pass) fill(vals map[string]string) {
	f := &p.findings[len(p.findings)-1]
	for k, v := range vals {
		f.Message = strings.ReplaceAll(f.Message, k, v)
		f.Suggestion = strings.ReplaceAll(f.Suggestion, k, v)
	}
}

// variant returns the rule with the given id in the document's language (or
// any language), or the current rule when there is none.
func (p *Pass) variant(id string) *Rule {
	if vs, ok := p.a.byID[id]; ok {
		if r, ok := vs.variants[p.Lang]; ok {
			return r
		}
		return vs
	}
	return p.rule
}

// checkResponsiveness flags a reply sent later than the threshold after the
// customer's message.
func checkResponsiveness(p *Pass) {
	c := p.Doc.Context
	if c.CustomerTime.IsZero() || c.ReplyTime.IsZero() {
		return
	}
	limit := p.a.thresholds.EmailReply
	if p.Doc.Kind == KindChat {
		limit = p.a.thresholds.ChatReply
	}
	delay := c.ReplyTime.Sub(c.CustomerTime)
	if delay <= limit {
		return
	}
	s, e := p.firstLineSpan()
	p.Report(nil, s, e, "")
	p.fill(map[string]string{"{delay}": formatDuration(delay), "{limit}": formatDuration(limit)})
}

// formatDuration prints a delay the way a person says it: 6h, 1h30m, 45m, 2d3h.
func formatDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h := d / time.Hour
	m := (d - h*time.Hour) / time.Minute
	var b strings.Builder
	if days > 0 {
		b.WriteString(itoa(int(days)) + "d")
	}
	if h > 0 {
		b.WriteString(itoa(int(h)) + "h")
	}
	if m > 0 && days == 0 {
		b.WriteString(itoa(int(m)) + "m")
	}
	if b.Len() == 0 {
		return "0m"
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

// arabicArticles are the article ال with the prepositions and
// conjunctions written onto it, longest first.
var arabicArticles = []string{"وال", "بال", "فال", "كال", "لل", "ال"}

// contentStem returns the stem of a content word (its first four letters,
// without the Arabic article), or false for a stop word, a number or a word
// shorter than three letters. The stem is a substring of w.
func (a *Analyzer) contentStem(w string) (string, bool) {
	// The cheap tests first: this runs for every word of a reply and of
	// the customer's message.
	if len(w) < 3 || len(w) < 12 && utf8.RuneCountInString(w) < 3 || !hasLetter(w) || a.stopwords[w] {
		return "", false
	}
	w = withoutArticle(w)
	n := 0
	for i := range w {
		if n == 4 {
			return w[:i], true
		}
		n++
	}
	return w, true
}

// withoutArticle returns an Arabic word without the article written on
// it, when three letters remain.
func withoutArticle(w string) string {
	if w == "" || w[0] != 0xD8 && w[0] != 0xD9 {
		return w
	}
	for _, pre := range arabicArticles {
		if strings.HasPrefix(w, pre) && utf8.RuneCountInString(w)-utf8.RuneCountInString(pre) >= 3 {
			return w[len(pre):]
		}
	}
	return w
}

// concepts are the groups of related words of the "related" phrase lists
// (bought and purchase, hacked and password, printer and cartridge): a
// reply that shares no word with the customer's message but a concept
// is on topic all the same. Each entry of a list is one group.
type concepts struct {
	words map[string][]int32 // word → its groups
	stems map[string][]int32 // stem → the groups of every word it starts
	// minStem is the length in bytes of the shortest stem.
	minStem int
}

// add puts the words and stems of pattern n into group g.
func (c *concepts) add(n *rules.Node, lang string, g int32) {
	switch n.Kind {
	case rules.NodeWord, rules.NodeStem:
		keys := patternKeys(n.Text, lang)
		if len(keys) != 1 {
			return // several words: not one token to look up
		}
		k := withoutArticle(keys[0])
		m := &c.words
		if n.Kind == rules.NodeStem {
			m = &c.stems
			if c.minStem == 0 || len(k) < c.minStem {
				c.minStem = len(k)
			}
		}
		if *m == nil {
			*m = map[string][]int32{}
		}
		if !slices.Contains((*m)[k], g) {
			(*m)[k] = append((*m)[k], g)
		}
	case rules.NodeAlt, rules.NodeSeq:
		for _, kid := range n.Kids {
			c.add(kid, lang, g)
		}
	}
}

// of appends to dst the groups of word w (a token key).
func (c *concepts) of(w string, dst []int32) []int32 {
	w = withoutArticle(w)
	dst = append(dst, c.words[w]...)
	if c.minStem == 0 {
		return dst
	}
	for i := c.minStem; i <= len(w); i++ {
		if i < len(w) && !utf8.RuneStart(w[i]) {
			continue
		}
		dst = append(dst, c.stems[w[:i]]...)
	}
	return dst
}

// shared reports whether a word of the reply and one of words (the
// customer's) fall in one group.
func (c *concepts) shared(p *Pass, words []string) bool {
	if len(c.words) == 0 && len(c.stems) == 0 {
		return false
	}
	var bufQ, bufR [16]int32
	groups := bufQ[:0]
	for _, w := range words {
		groups = c.of(w, groups)
	}
	if len(groups) == 0 {
		return false
	}
	for _, tk := range p.Tokens {
		for _, g := range c.of(tokenKey(p.Text.Norm, tk, p.keyBuf[:0]), bufR[:0]) {
			if slices.Contains(groups, g) {
				return true
			}
		}
	}
	return false
}

// contentStems adds the stems of the content words of words to out.
func (a *Analyzer) contentStems(words []string, out map[string]bool) {
	for _, w := range words {
		if st, ok := a.contentStem(w); ok {
			out[st] = true
		}
	}
}

// linkRE finds links and addresses in a customer's message: pasted links
// are not what the customer asks about.
var linkRE = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+|\S+@\S+\.\w+`)

// checkRelevance flags a reply that shares no content word with the
// question it answers. It is conservative: silent when the question is too
// short to judge, the reply is a few words, or the reply asks the customer
// something ("could you send your system details?" engages with a crash
// report without repeating its words).
func checkRelevance(p *Pass) {
	c := p.customer()
	if c == nil {
		return
	}
	qs := c.stems(p.a)
	if len(qs) < p.a.thresholds.RelevanceMinWords || p.asksCustomer() {
		return
	}
	// The reply's links stay: a help-centre address often names the topic.
	// One shared stem settles it; else the reply must have enough distinct
	// stems to be judged (a short "DM us your order number" cannot be).
	var seenBuf [8]string
	seen := seenBuf[:0]
	for _, tk := range p.Tokens {
		key := tokenKey(p.Text.Norm, tk, p.keyBuf[:0])
		st, ok := p.a.contentStem(key)
		if !ok {
			continue
		}
		if qs[st] {
			return
		}
		if len(seen) < p.a.thresholds.RelevanceMinWords && !slices.Contains(seen, st) {
			if len(key) != int(tk.End-tk.Start) {
				st = strings.Clone(st) // the key of joined morphemes is in keyBuf
			}
			seen = append(seen, st)
		}
	}
	if len(seen) < p.a.thresholds.RelevanceMinWords {
		return
	}
	// No shared word: a shared concept will do (only now, on the few
	// replies that get this far).
	if p.a.concepts.shared(p, c.keys) {
		return
	}
	s, e := p.firstLineSpan()
	p.Report(nil, s, e, "")
}

// asksCustomer reports whether the reply asks the customer a question: a
// question mark ending a sentence (not one inside a link) that does not
// close a stock phrase ("anything else I can help with?").
func (p *Pass) asksCustomer() bool {
	norm := p.Text.Norm
	closers := p.Phrases("signoff")
	for i := 0; i < len(norm); i++ {
		if norm[i] != '?' { // the Arabic ؟ is folded to ?
			continue
		}
		if j := i + 1; j < len(norm) && norm[j] != ' ' && norm[j] != '\n' && norm[j] != '"' && norm[j] != ')' && norm[j] != '?' && norm[j] != '!' {
			continue // a query string (?id=…), not a question
		}
		k := sort.Search(len(p.Tokens), func(j int) bool { return int(p.Tokens[j].Start) >= i }) - 1
		if k < 0 {
			continue
		}
		// A closing phrase ends within the last few words of the question.
		stock := false
		for _, m := range closers {
			if m.Last <= k && m.Last >= k-3 && p.Tokens[m.Last].Sentence == p.Tokens[k].Sentence {
				stock = true
				break
			}
		}
		if !stock {
			return true
		}
	}
	return false
}

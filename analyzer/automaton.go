package analyzer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/replylint/replylint/rules"
)

// The matcher compiles every pattern of every rule, exception and phrase
// list into an automaton over tokens (a Glushkov position automaton: one
// state per word of a pattern, no epsilon moves), one per script (Latin for
// English, Cyrillic for Russian, Arabic for Arabic and Persian), and runs
// the automaton of each script a text has once over it: one pass for a
// text in one language. A byte trie maps each token to the symbols it
// matches (its literal word and every stem it starts with), so the cost per
// token depends on the token's length and on the few partial matches alive
// at that point, not on the number of rules.

// automaton is immutable once built and safe for concurrent use.
type automaton struct {
	trie trie
	// A position accepts a token when one of the token's symbols is in its
	// set: sets[setOf[q]:setOf[q+1]], sorted (a word alternation such as
	// (job|area|department) is one position). An empty set accepts any
	// word. While building (then in trSym).
	setOf   []int32
	sets    []int32
	owner   []int32          // position → pattern index
	last    []bool           // position → accepting, while building (then in hot)
	gapMax  []int32          // position → the gap's size ~N (0: not a gap), while building (then in hot)
	firstBy [][]int32        // symbol → positions a match can start at
	global  []int32          // pattern index → its index in Analyzer.pats
	script  script           // the script of its language
	letters [numScripts]bool // the scripts its words start with

	// Start positions indexed by their first two words. A match starting at
	// a common word ("i", "не", "ما") can only go on if the next word leaves
	// its first position, so the start positions of symbol s are split into
	// those that go on whatever comes next (they accept at once or are
	// followed by a gap or any word), startAny[s], and the others, by the
	// pair (s, a symbol of the next word): the triples (next symbol, from,
	// to) pairs[3*pairOff[s]:3*pairOff[s+1]], sorted by next symbol, whose
	// start entries are pairPos[from:to]. A word's triples are copied into
	// the word cache, so a run searches them where the word's other data
	// is, not in a table too big to stay in cache.
	startAny [][]int32
	pairOff  []int32
	pairs    []int32
	pairPos  []int32
	// startClause[s] are the start entries of symbol s whose pattern is
	// anchored (^): taken only by the first word of a clause.
	startClause [][]int32
	anchored    []bool // position → a start position of an anchored pattern
	// pairNext[s] has bit (t & 63) set for every pair (s, t): most words
	// are followed by none of their pairs' next words.
	pairNext []uint64

	// A pattern whose later word is rarer than its first ("не ~2 компетенц*")
	// is only started in a sentence that contains that word, its factor:
	// factorOf[pat] is true for such patterns, and factorBy[sym] lists the
	// patterns whose factor includes sym.
	factorOf []bool
	factorBy [][]int32

	// The transitions out of position p, indexed by symbol: the pairs
	// trSym/trTo[hot[p].trOff:hot[p].trEnd] sorted by symbol, and the
	// positions that accept any word, anyTo[hot[p].anyOff:hot[p].anyEnd]. A
	// token costs one binary search per live state, whatever the size of
	// the alternations.
	trSym, trTo, anyTo []int32

	// hot is what a run reads of a position, in one record: a live state
	// costs one cache line, not one per table.
	hot []posHot

	// noLookahead turns the next-word pruning off (tests compare both).
	noLookahead bool

	building [][]int32 // position → its symbols, while building
}

// patInfo says what a compiled pattern belongs to.
type patInfo struct {
	kind   patKind
	rule   int32  // index into Analyzer.rules (patRule, patException)
	scope  string // exception scope
	phrase string // phrase list name (patPhrase)
	list   int32  // phrase list index (patPhrase)
	lang   string
	src    string
}

type patKind uint8

const (
	patRule patKind = iota
	patException
	patPhrase
	patDisabled // a pattern or exception of a rule the config turned off
)

// match is one match of one pattern: tokens [start, end].
type match struct {
	pat        int32
	start, end int32 // token indexes, inclusive
}

// posHot is the run-time data of a position.
type posHot struct {
	bloom          uint64 // bit (sym & 63) of each symbol of its transitions
	trOff, trEnd   int32  // its transitions: trSym/trTo[trOff:trEnd]
	anyOff, anyEnd int32  // its any-word successors: anyTo[anyOff:anyEnd]
	global         int32  // its pattern's index in Analyzer.pats
	gapMax         int8   // the gap's size ~N (0: not a gap)
	last           bool   // accepting
}

type builder struct {
	a     *automaton
	keys  map[string]map[string][]string // lang → word → its token keys: words recur across patterns
	buf   []byte
	off   []int32
	kids  []frag     // the fragments of the last sequence compiled
	slab  []int32    // backing store of one-symbol position sets
	edges [][2]int32 // (from, to) position pairs
	one   [1]int32
	// arena backs the position lists of the fragments of the pattern being
	// compiled (reset per pattern: no fragment outlives its pattern).
	arena    []int32
	lit, stm map[string]int32 // symbol of a literal word / stem key
}

func newBuilder() *builder {
	return &builder{a: &automaton{trie: newTrie()}, keys: map[string]map[string][]string{},
		lit: map[string]int32{}, stm: map[string]int32{}}
}

// alloc returns n int32s from the arena, capped so that an append to them
// cannot overwrite their neighbours.
func (b *builder) alloc(n int) []int32 {
	if len(b.arena)+n > cap(b.arena) {
		b.arena = make([]int32, 0, max(4096, n))
	}
	k := len(b.arena)
	b.arena = b.arena[:k+n]
	return b.arena[k : k+n : k+n]
}

// leaf adds a position accepting any of syms (none: any word) and returns
// it as a fragment of one position.
func (b *builder) leaf(syms []int32, pat int32) frag {
	ps := b.alloc(1)
	ps[0] = b.pos(syms, pat)
	return frag{first: ps, last: ps}
}

// cat returns x followed by y, sharing x or y when the other is empty.
func (b *builder) cat(x, y []int32) []int32 {
	switch {
	case len(y) == 0:
		return x
	case len(x) == 0:
		return y
	}
	s := b.alloc(len(x) + len(y))
	copy(s, x)
	copy(s[len(x):], y)
	return s
}

// patternKeys is the cached patternKeys.
func (b *builder) patternKeys(word, lang string) []string {
	m := b.keys[lang]
	if m == nil {
		m = map[string][]string{}
		b.keys[lang] = m
	}
	if keys, ok := m[word]; ok {
		return keys
	}
	// Most pattern words are one plain word: normalise it in the builder's
	// buffers and take the slow path only when it has more than letters.
	b.buf, b.off = normalizeInto(word, b.buf[:0], b.off[:0])
	var keys []string
	if plainWord(b.buf) {
		k := word
		if string(b.buf) != word {
			k = string(b.buf)
		}
		keys = []string{k}
	} else {
		keys = patternKeys(word, lang)
	}
	m[word] = keys
	return keys
}

// plainWord reports whether a normalised word is one token of letters and
// digits only.
func plainWord(w []byte) bool {
	if len(w) == 0 {
		return false
	}
	for i := 0; i < len(w); {
		r, size := rune(w[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(w[i:])
		}
		if !isWordRune(r) {
			return false
		}
		i += size
	}
	return true
}

// add compiles pattern n for owner info.
func (b *builder) add(n *rules.Node, info patInfo, seq int) error {
	pi := int32(len(b.a.global))
	b.a.global = append(b.a.global, int32(seq))
	b.arena = b.arena[:0]
	f, err := b.compile(n, pi, info.lang)
	if err != nil {
		return fmt.Errorf("pattern %q: %w", info.src, err)
	}
	if f.nullable {
		return fmt.Errorf("pattern %q can match no word", info.src)
	}
	for _, p := range f.first {
		syms := b.a.building[p]
		if len(syms) == 0 {
			return fmt.Errorf("pattern %q starts with a gap", info.src)
		}
		for _, s := range syms {
			for int(s) >= len(b.a.firstBy) {
				b.a.firstBy = append(b.a.firstBy, nil)
			}
			b.a.firstBy[s] = append(b.a.firstBy[s], p)
		}
	}
	for _, p := range f.last {
		if len(b.a.building[p]) == 0 {
			return fmt.Errorf("pattern %q ends with a gap", info.src)
		}
		b.a.last[p] = true
	}
	b.a.factorOf = append(b.a.factorOf, false)
	if n.Kind == rules.NodeSeq {
		b.factor(pi, b.kids)
	}
	return nil
}

// factor gives pattern pi, a sequence of fragments, a factor: the symbols
// of its last word that every match must contain, when that word is not the
// first. The last word is the content of most patterns (negation, pronoun
// or verb first, the noun or adjective last), so it is the rarer one.
func (b *builder) factor(pi int32, kids []frag) {
	for k := len(kids) - 1; k > 0; k-- {
		f := kids[k]
		if f.nullable || len(f.last) == 0 {
			continue
		}
		var syms []int32
		for _, p := range f.last {
			if len(b.a.building[p]) == 0 {
				syms = nil
				break
			}
			syms = append(syms, b.a.building[p]...)
		}
		if syms == nil {
			continue
		}
		slices.Sort(syms)
		for _, s := range slices.Compact(syms) {
			for int(s) >= len(b.a.factorBy) {
				b.a.factorBy = append(b.a.factorBy, nil)
			}
			b.a.factorBy[s] = append(b.a.factorBy[s], pi)
		}
		b.a.factorOf[pi] = true
		return
	}
}

func (b *builder) build() *automaton {
	a := b.a
	a.trie.finish()
	for len(a.firstBy) < a.trie.nsyms {
		a.firstBy = append(a.firstBy, nil)
	}
	for len(a.factorBy) < a.trie.nsyms {
		a.factorBy = append(a.factorBy, nil)
	}
	n := len(a.building)
	a.setOf = make([]int32, 0, n+1)
	for _, syms := range a.building {
		a.setOf = append(a.setOf, int32(len(a.sets)))
		slices.Sort(syms)
		a.sets = append(a.sets, slices.Compact(syms)...)
	}
	a.setOf = append(a.setOf, int32(len(a.sets)))
	// Group the edges by their source (a counting sort): follow[fOff[p]:fOff[p+1]].
	fOff := make([]int32, n+1)
	for _, e := range b.edges {
		fOff[e[0]+1]++
	}
	for p := 1; p <= n; p++ {
		fOff[p] += fOff[p-1]
	}
	follow := make([]int32, len(b.edges))
	fill := slices.Clone(fOff[:n])
	for _, e := range b.edges {
		follow[fill[e[0]]] = e[1]
		fill[e[0]]++
	}
	a.hot = make([]posHot, n)
	total := 0
	for _, e := range b.edges {
		total += int(a.setOf[e[1]+1] - a.setOf[e[1]])
	}
	a.trSym = make([]int32, 0, total)
	a.trTo = make([]int32, 0, total)
	type pair struct{ sym, to int32 }
	var pairs []pair
	for p := range n {
		fl := follow[fOff[p]:fOff[p+1]]
		slices.Sort(fl)
		fl = slices.Compact(fl)
		trOff, anyOff := int32(len(a.trSym)), int32(len(a.anyTo))
		pairs = pairs[:0]
		for _, q := range fl {
			set := a.sets[a.setOf[q]:a.setOf[q+1]]
			if len(set) == 0 {
				a.anyTo = append(a.anyTo, q)
			}
			for _, s := range set {
				pairs = append(pairs, pair{s, q})
			}
		}
		slices.SortFunc(pairs, func(x, y pair) int { return int(x.sym - y.sym) })
		var bloom uint64
		for _, pr := range pairs {
			a.trSym = append(a.trSym, pr.sym)
			a.trTo = append(a.trTo, pr.to)
			bloom |= 1 << (pr.sym & 63)
		}
		a.hot[p] = posHot{bloom: bloom, trOff: trOff, trEnd: int32(len(a.trSym)), anyOff: anyOff, anyEnd: int32(len(a.anyTo)),
			global: a.global[a.owner[p]], gapMax: int8(a.gapMax[p]), last: a.last[p]}
	}
	a.building, a.last, a.gapMax, b.edges = nil, nil, nil, nil
	a.setOf, a.sets = nil, nil
	a.indexStarts()
	return a
}

// indexStarts builds startAny, startClause and the start pairs from
// firstBy.
func (a *automaton) indexStarts() {
	a.startAny = make([][]int32, len(a.firstBy))
	a.startClause = make([][]int32, len(a.firstBy))
	a.pairNext = make([]uint64, len(a.firstBy))
	a.pairOff = make([]int32, len(a.firstBy)+1)
	a.pairs, a.pairPos = nil, nil
	type pair struct{ next, pos int32 }
	var pairs []pair
	var anyPos []int32
	for s, qs := range a.firstBy {
		pairs = pairs[:0]
		from := len(anyPos)
		for _, q := range qs {
			if a.anchored[q] {
				a.startClause[s] = append(a.startClause[s], q, a.factored(q))
				continue
			}
			h := &a.hot[q]
			if h.last || h.anyOff != h.anyEnd {
				anyPos = append(anyPos, q)
				continue
			}
			tsym := a.trSym[h.trOff:h.trEnd]
			for k, t := range tsym {
				if k == 0 || t != tsym[k-1] {
					pairs = append(pairs, pair{t, q})
				}
			}
		}
		if len(anyPos) > from {
			a.startAny[s] = anyPos[from:len(anyPos):len(anyPos)]
		}
		slices.SortFunc(pairs, func(x, y pair) int { return int(x.next - y.next) })
		for k := 0; k < len(pairs); {
			j, start := k, int32(len(a.pairPos))
			for ; j < len(pairs) && pairs[j].next == pairs[k].next; j++ {
				q := pairs[j].pos
				a.pairPos = append(a.pairPos, q, a.factored(q))
			}
			a.pairs = append(a.pairs, pairs[k].next, start, int32(len(a.pairPos)))
			a.pairNext[s] |= 1 << (pairs[k].next & 63)
			k = j
		}
		a.pairOff[s+1] = int32(len(a.pairs) / 3)
	}
}

// factored returns the pattern of start position q when it has a factor,
// else -1: the second half of a start entry.
func (a *automaton) factored(q int32) int32 {
	if p := a.owner[q]; a.factorOf[p] {
		return p
	}
	return -1
}

// frag is a compiled sub-pattern: its first and last positions.
type frag struct {
	first, last []int32
	nullable    bool
}

// pos adds a position accepting any of syms (none: any word).
func (b *builder) pos(syms []int32, pat int32) int32 {
	p := int32(len(b.a.building))
	if len(syms) == 1 {
		// One-symbol sets, the most common, share a slab.
		if len(b.slab) == cap(b.slab) {
			b.slab = make([]int32, 0, 4096)
		}
		b.slab = append(b.slab, syms[0])
		syms = b.slab[len(b.slab)-1 : len(b.slab) : len(b.slab)]
	}
	b.a.building = append(b.a.building, syms)
	b.a.owner = append(b.a.owner, pat)
	b.a.last = append(b.a.last, false)
	b.a.gapMax = append(b.a.gapMax, 0)
	b.a.anchored = append(b.a.anchored, false)
	return p
}

// link adds the edges from×to; duplicates are removed by build.
func (b *builder) link(from, to []int32) {
	for _, f := range from {
		for _, t := range to {
			b.edges = append(b.edges, [2]int32{f, t})
		}
	}
}

// seq joins fragments in order.
func (b *builder) seq(fs []frag) frag {
	out := frag{nullable: true}
	var tails []int32 // last positions of the prefix so far
	for _, f := range fs {
		b.link(tails, f.first)
		if out.nullable {
			out.first = b.cat(out.first, f.first)
		}
		if f.nullable {
			tails = b.cat(tails, f.last)
		} else {
			tails = f.last
		}
		out.nullable = out.nullable && f.nullable
	}
	out.last = tails
	return out
}

func (b *builder) compile(n *rules.Node, pat int32, lang string) (frag, error) {
	var f frag
	switch n.Kind {
	case rules.NodeWord, rules.NodeStem:
		keys := b.patternKeys(n.Text, lang)
		if len(keys) == 0 {
			return f, fmt.Errorf("%q has no letters or digits", n.Text)
		}
		if len(keys) == 1 {
			b.one[0] = b.symbol(keys[0], n.Kind == rules.NodeStem)
			f = b.leaf(b.one[:], pat)
			break
		}
		fs := make([]frag, 0, len(keys))
		for i, k := range keys {
			b.one[0] = b.symbol(k, n.Kind == rules.NodeStem && i == len(keys)-1)
			fs = append(fs, b.leaf(b.one[:], pat))
		}
		f = b.seq(fs)
	case rules.NodeAny:
		f = b.leaf(nil, pat)
	case rules.NodeNumber:
		b.one[0] = b.a.trie.numberSym()
		f = b.leaf(b.one[:], pat)
	case rules.NodeGap:
		// One position that consumes up to Max words: its state carries the
		// words it may still take, instead of Max positions in a chain.
		f = b.leaf(nil, pat)
		b.a.gapMax[f.first[0]] = int32(n.Max)
		f.nullable = true
	case rules.NodeSeq:
		kids := joinMorphemes(n.Kids, lang)
		// A ^ is first in the pattern or in a top-level alternative
		// (rules.checkPattern): the sequence's first positions start a
		// match only at the start of a clause.
		anchored := len(kids) > 0 && kids[0].Kind == rules.NodeAnchor
		if anchored {
			kids = kids[1:]
		}
		fs := make([]frag, 0, len(kids))
		for _, k := range kids {
			kf, err := b.compile(k, pat, lang)
			if err != nil {
				return f, err
			}
			fs = append(fs, kf)
		}
		f = b.seq(fs)
		if anchored {
			for _, q := range f.first {
				b.a.anchored[q] = true
			}
		}
		b.kids = fs
	case rules.NodeAnchor:
		return f, fmt.Errorf("^ must come first, in the pattern or in one of its top-level alternatives")
	case rules.NodeAlt:
		// The alternatives that are one word each share one position.
		var set []int32
		for _, k := range n.Kids {
			if k.Optional || k.Kind != rules.NodeWord && k.Kind != rules.NodeStem {
				continue
			}
			if keys := b.patternKeys(k.Text, lang); len(keys) == 1 {
				set = append(set, b.symbol(keys[0], k.Kind == rules.NodeStem))
			}
		}
		if len(set) > 0 {
			f = b.leaf(set, pat)
		}
		for _, k := range n.Kids {
			if !k.Optional && (k.Kind == rules.NodeWord || k.Kind == rules.NodeStem) && len(b.patternKeys(k.Text, lang)) == 1 {
				continue
			}
			kf, err := b.compile(k, pat, lang)
			if err != nil {
				return f, err
			}
			f.first = b.cat(f.first, kf.first)
			f.last = b.cat(f.last, kf.last)
			f.nullable = f.nullable || kf.nullable
		}
	}
	if n.Optional {
		f.nullable = true
	}
	return f, nil
}

// symbol returns the symbol of a literal word or a stem.
func (b *builder) symbol(key string, stem bool) int32 {
	m := b.lit
	if stem {
		m = b.stm
	}
	if s, ok := m[key]; ok {
		return s
	}
	var s int32
	if stem {
		s = b.a.trie.stem(key)
	} else {
		s = b.a.trie.literal(key)
	}
	m[key] = s
	return s
}

// joinMorphemes joins, in a Persian pattern, the words that the tokeniser
// joins in text: "نمی تونم" written with a plain space is the one token
// نميتونم, as it is in text whether typed with ZWNJ, a space or nothing.
func joinMorphemes(kids []*rules.Node, lang string) []*rules.Node {
	if lang != "fa" && lang != "ar" {
		return kids
	}
	var out []*rules.Node // nil until a join: most sequences have none
	for i, k := range kids {
		var prev *rules.Node
		switch {
		case out != nil:
			prev = out[len(out)-1]
		case i > 0:
			prev = kids[i-1]
		}
		if prev != nil && prev.Kind == rules.NodeWord && !prev.Optional && !k.Optional &&
			(k.Kind == rules.NodeWord || k.Kind == rules.NodeStem) {
			pn, kn := normalized(prev.Text), normalized(k.Text)
			if faPrefix[lastField(pn)] || lang == "fa" && faSuffix[kn] {
				if out == nil {
					out = append(make([]*rules.Node, 0, len(kids)), kids[:i]...)
				}
				out[len(out)-1] = &rules.Node{Kind: k.Kind, Text: prev.Text + "\u200c" + k.Text}
				continue
			}
		}
		if out != nil {
			out = append(out, k)
		}
	}
	if out == nil {
		return kids
	}
	return out
}

// normalized returns the normalised form of a pattern word (cached: the
// same words recur across patterns).
func normalized(w string) string {
	if n, ok := normCache.Load(w); ok {
		return n.(string)
	}
	n := Normalize(w).Norm
	normCache.Store(w, n)
	return n
}

var normCache sync.Map

func lastField(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

// patternKeys normalises and tokenises a pattern word the way text is, and
// returns the lookup keys of its tokens.
func patternKeys(word, lang string) []string {
	t := Normalize(word)
	paras := []paragraph{{start: 0, end: len(t.Norm), lang: lang}}
	toks := tokenize(t.Norm, paras, nil)
	keys := make([]string, len(toks))
	for i, tk := range toks {
		keys[i] = tokenKey(t.Norm, tk, nil)
	}
	return keys
}

// tokenKey is the lookup key of a token: its normalised text, without the
// spaces of joined Persian morphemes. buf is scratch space.
func tokenKey(norm string, tk Token, buf []byte) string {
	s := norm[tk.Start:tk.End]
	if strings.IndexByte(s, ' ') < 0 {
		return s
	}
	buf = buf[:0]
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			buf = append(buf, s[i])
		}
	}
	return string(buf)
}

// run matches every pattern over toks and calls emit for each match.
// scratch holds the per-run state so that a run allocates little.
// words is the worker's cache of this automaton's words.
func (a *automaton) run(norm string, toks []Token, paras []paragraph, words *wordCache, sc *scratch, emit func(match)) {
	if len(sc.stamp) < len(a.owner) {
		sc.stamp = make([]uint32, len(a.owner))
		sc.slot = make([]int32, len(a.owner))
		sc.gen = 0
	}
	if len(sc.factor) < len(a.global) {
		sc.factor = make([]uint32, len(a.global))
		sc.sentGen = 0
	}
	// What the matcher needs of every token's word, looked up once.
	refs := sc.refs[:0]
	words.reserve()
	for _, tk := range toks {
		// A word of another script has no symbol here unless a pattern
		// has such words (it may still be an "any word" of a pattern);
		// numbers belong to every script.
		var r wordRef
		if ts := tokenScript(norm[tk.Start]); ts == a.script || ts == scriptNone || a.letters[ts] {
			key := tokenKey(norm, tk, sc.keyBuf[:0])
			// An Arabic word with the conjunction و or ف written onto it
			// (والنظام, فالشركة) is also the word without it.
			_, conj := arabicConjunct(key)
			r = words.lookup(a, key, conj && paras[tk.Para].lang == "ar")
		}
		refs = append(refs, r)
	}
	sc.refs = refs
	pool := words.pool

	active := sc.active[:0]
	next := sc.next[:0]
	sentGen := sc.sentGen
	for i := range toks {
		tk := toks[i]
		if i == 0 || toks[i-1].Sentence != tk.Sentence {
			active = active[:0]
			// A new sentence: mark the patterns whose factor it contains.
			sentGen = a.markFactors(toks, i, refs, pool, sc)
		}
		var nextBloom uint64
		var nextSyms []int32
		if i+1 < len(toks) && toks[i+1].Sentence == tk.Sentence {
			nr := &refs[i+1]
			nextSyms = pool[nr.off : nr.off+nr.nsym]
			nextBloom = nr.bloom
		}
		ref := &refs[i]
		syms := pool[ref.off : ref.off+ref.nsym]
		if len(syms) == 0 && len(active) == 0 {
			continue // the common case: a word no pattern starts with
		}
		// A new generation per token marks the positions reached in this
		// step, without clearing anything.
		sc.gen++
		if sc.gen == 0 {
			clear(sc.stamp)
			sc.gen = 1
		}
		gen := sc.gen
		tokBloom := ref.bloom
		next = next[:0]
		// add reaches position q for a match that started at token s, with
		// left words still allowed in q's gap. Of two ways to reach q, keep
		// the one with more gap left, then the earlier start.
		add := func(q, s, left int32) {
			// Keep q only if it accepts here, can take more gap words, or
			// has a way out on the next word.
			if h := &a.hot[q]; !h.last && left <= 0 && h.anyOff == h.anyEnd && h.bloom&nextBloom == 0 && !a.noLookahead {
				return
			}
			if sc.stamp[q] == gen {
				k := sc.slot[q]
				if left > next[k].left || left == next[k].left && s < next[k].start {
					next[k].start, next[k].left = s, left
				}
				return
			}
			sc.stamp[q] = gen
			sc.slot[q] = int32(len(next))
			next = append(next, state{q, s, left})
		}
		for _, st := range active {
			if st.left > 0 { // stay in the gap one more word
				add(st.pos, st.start, st.left-1)
			}
			h := &a.hot[st.pos]
			for _, q := range a.anyTo[h.anyOff:h.anyEnd] {
				if q != st.pos {
					add(q, st.start, int32(a.hot[q].gapMax)-1)
				}
			}
			bloom := h.bloom
			if bloom&tokBloom == 0 {
				continue // no symbol of this token leaves st.pos
			}
			tsym := a.trSym[h.trOff:h.trEnd]
			tto := a.trTo[h.trOff:h.trEnd]
			for _, s := range syms {
				if bloom&(1<<(s&63)) == 0 || s < tsym[0] || s > tsym[len(tsym)-1] {
					continue
				}
				k, _ := slices.BinarySearch(tsym, s)
				for ; k < len(tsym) && tsym[k] == s; k++ {
					add(tto[k], st.start, 0)
				}
			}
		}
		if a.noLookahead {
			clauseStart := i == 0 || toks[i-1].Clause != tk.Clause
			for _, s := range syms {
				for _, q := range a.firstBy[s] {
					if clauseStart || !a.anchored[q] {
						add(q, int32(i), 0)
					}
				}
			}
		} else {
			// Start entries are (position, pattern or -1 when the pattern
			// has no factor) pairs; those of anchored patterns come first
			// and count only for the first word of a clause.
			from := ref.off + ref.nsym
			if ref.nclause > 0 && i > 0 && toks[i-1].Clause == tk.Clause {
				from += 2 * ref.nclause
			}
			starts := pool[from : ref.off+ref.nsym+2*(ref.nclause+ref.nstart)]
			for k := 0; k < len(starts); k += 2 {
				if p := starts[k+1]; p < 0 || sc.factor[p] == sentGen {
					add(starts[k], int32(i), 0)
				}
			}
			if ref.pairNext&nextBloom != 0 {
				// The word's start pairs, sorted by next symbol.
				tri := pool[ref.off+ref.nsym+2*(ref.nclause+ref.nstart)+ref.nfactor:]
				tri = tri[:3*ref.npair]
				for _, t := range nextSyms {
					if ref.pairNext&(1<<(t&63)) == 0 {
						continue
					}
					lo, hi := 0, int(ref.npair)
					for lo < hi {
						if m := int(uint(lo+hi) >> 1); tri[3*m] < t {
							lo = m + 1
						} else {
							hi = m
						}
					}
					for k := 3 * lo; k < len(tri) && tri[k] == t; k += 3 {
						ps := a.pairPos[tri[k+1]:tri[k+2]]
						for j := 0; j+1 < len(ps); j += 2 {
							if p := ps[j+1]; p < 0 || sc.factor[p] == sentGen {
								add(ps[j], int32(i), 0)
							}
						}
					}
				}
			}
		}
		for _, st := range next {
			if h := &a.hot[st.pos]; h.last {
				emit(match{pat: h.global, start: st.start, end: int32(i)})
			}
		}
		if sc.halt {
			break // emit has seen enough
		}
		active, next = next, active
	}
	sc.active, sc.next = active[:0], next[:0]
	sc.sentGen = sentGen
}

// markFactors marks, for the sentence starting at token i, the patterns
// whose factor it contains, under a new sentence generation it returns.
func (a *automaton) markFactors(toks []Token, i int, refs []wordRef, pool []int32, sc *scratch) uint32 {
	sc.sentGen++
	if sc.sentGen == 0 {
		clear(sc.factor)
		sc.sentGen = 1
	}
	g := sc.sentGen
	for j := i; j < len(toks) && toks[j].Sentence == toks[i].Sentence; j++ {
		r := &refs[j]
		from := r.off + r.nsym + 2*(r.nclause+r.nstart)
		for _, p := range pool[from : from+r.nfactor] {
			sc.factor[p] = g
		}
	}
	return g
}

type state struct{ pos, start, left int32 }

// wordCache holds, per worker and per automaton, what the matcher needs of
// the words seen before (word frequencies are Zipfian, so most words
// were), gathered once from the automaton's per-symbol tables so that a
// token reads one contiguous run of memory instead of a table per symbol.
type wordCache struct {
	cache map[string]wordRef
	conj  map[string]wordRef // Arabic words that may carry the conjunction و or ف
	pool  []int32
}

// wordRef locates a word's data in wordCache.pool, from off: its symbols
// (nsym), its start entries (pairs of position and factored pattern or
// -1): nclause for the first word of a clause only, then nstart for any
// word; the patterns whose factor it holds (nfactor); and its start pairs
// (npair triples of automaton.pairs, sorted by next symbol); bloom has
// bit (s & 63) of each symbol s, pairNext the union of its symbols'
// pairNext.
type wordRef struct {
	off, nsym, nstart, nfactor, nclause, npair int32
	bloom, pairNext                            uint64
}

// reserve prepares the cache for a text's lookups, starting afresh when it
// holds maxCachedWords words or more: before a text's lookups, never during
// them (their refs point into the pool). A text adds at most its own words,
// so the cache stays under maxCachedWords plus one text's words; making room
// for a text's every token instead emptied the cache before each text of
// more than maxCachedWords tokens, however few of its words were new.
func (wc *wordCache) reserve() {
	if wc.cache == nil || len(wc.cache)+len(wc.conj) >= maxCachedWords {
		// The pool is shared by both maps.
		wc.cache, wc.conj = make(map[string]wordRef, 1024), make(map[string]wordRef, 64)
		wc.pool = wc.pool[:0]
	}
}

// lookup returns the data of word key; conj: the word may be an Arabic
// word with the conjunction written on, and is also the word without it.
func (wc *wordCache) lookup(a *automaton, key string, conj bool) wordRef {
	m := &wc.cache
	if conj {
		m = &wc.conj
	}
	if r, ok := (*m)[key]; ok {
		return r
	}
	r := a.gather(key, conj, wc)
	(*m)[strings.Clone(key)] = r
	return r
}

// gather appends the data of word key to wc.pool.
func (a *automaton) gather(key string, conj bool, wc *wordCache) wordRef {
	t := &a.trie
	off := len(wc.pool)
	pool := t.lookup(key, wc.pool)
	if conj {
		rest, _ := arabicConjunct(key)
		pool = t.lookup(rest, pool)
	}
	pool = t.typoSymbols(key, pool, off)
	if t.numSym >= 0 && isNumber(key) {
		pool = append(pool, t.numSym)
	}
	syms := pool[off:]
	r := wordRef{off: int32(off), nsym: int32(len(syms))}
	for _, s := range syms {
		r.bloom |= 1 << (s & 63)
		r.pairNext |= a.pairNext[s]
	}
	// Start entries, those of anchored patterns first (a position listed
	// twice is reached once: add keeps one state per position).
	from := len(pool)
	for _, s := range pool[off : off+len(syms)] {
		pool = append(pool, a.startClause[s]...)
	}
	r.nclause = int32((len(pool) - from) / 2)
	from = len(pool)
	for _, s := range pool[off : off+len(syms)] {
		for _, q := range a.startAny[s] {
			pool = append(pool, q, a.factored(q))
		}
	}
	r.nstart = int32((len(pool) - from) / 2)
	from = len(pool)
	for _, s := range pool[off : off+len(syms)] {
		pool = append(pool, a.factorBy[s]...)
	}
	r.nfactor = int32(len(pool) - from)
	from = len(pool)
	for _, s := range pool[off : off+len(syms)] {
		pool = append(pool, a.pairs[3*a.pairOff[s]:3*a.pairOff[s+1]]...)
	}
	r.npair = int32((len(pool) - from) / 3)
	if len(syms) > 1 {
		sortTriples(pool[from:])
	}
	wc.pool = pool
	return r
}

// sortTriples sorts the triples of t by their first element, stably (the
// triples of one symbol come sorted; a word with several symbols merges
// theirs, once per cached word).
func sortTriples(t []int32) {
	ts := make([][3]int32, 0, len(t)/3)
	for i := 0; i < len(t); i += 3 {
		ts = append(ts, [3]int32{t[i], t[i+1], t[i+2]})
	}
	slices.SortStableFunc(ts, func(x, y [3]int32) int { return cmp.Compare(x[0], y[0]) })
	for i, x := range ts {
		copy(t[3*i:], x[:])
	}
}

// tokenScript is the script of a token from its first byte: ASCII letters
// Latin, U+0400–U+04FF Cyrillic, U+0600–U+06FF Arabic, digits none, and
// the other letters Latin (the catalogue has no other script).
func tokenScript(c byte) script {
	switch {
	case c >= '0' && c <= '9':
		return scriptNone
	case c >= 0xD0 && c <= 0xD3:
		return scriptCyrillic
	case c >= 0xD8 && c <= 0xDB:
		return scriptArabic
	}
	return scriptLatin
}

// patJob is one pattern to compile: its owner, and where it was written.
type patJob struct {
	pat    rules.Pattern
	info   patInfo
	prefix string // "rule ID: " and the like, for errors
	seq    int    // index in Analyzer.pats
}

// compileScript compiles the patterns of one script into an automaton.
func compileScript(jobs []patJob) (*automaton, error) {
	b := newBuilder()
	// Each word, _, # or gap of a pattern makes one position (a word the
	// tokeniser splits, a few): sized once, the per-position tables do not
	// grow by copying.
	n := 0
	trees := make([]*rules.Node, len(jobs))
	for i, j := range jobs {
		trees[i] = j.pat.Node()
		n += positions(trees[i])
	}
	a := b.a
	a.building = make([][]int32, 0, n)
	a.owner = make([]int32, 0, n)
	a.last = make([]bool, 0, n)
	a.gapMax = make([]int32, 0, n)
	a.anchored = make([]bool, 0, n)
	for i, j := range jobs {
		if err := b.add(trees[i], j.info, j.seq); err != nil {
			return nil, fmt.Errorf("%s: %s%v", j.pat.Pos, j.prefix, err)
		}
	}
	a = b.build()
	a.script = scriptOf(jobs[0].info.lang)
	if a.script == scriptNone {
		a.script = scriptLatin
	}
	for c, n := range a.trie.root {
		if n != 0 {
			a.letters[tokenScript(byte(c))] = true
		}
	}
	a.letters[scriptNone] = false // numbers alone do not call for a run
	return a, nil
}

// positions is about the number of positions pattern n compiles to.
func positions(n *rules.Node) int {
	switch n.Kind {
	case rules.NodeSeq, rules.NodeAlt:
		k := 0
		for _, c := range n.Kids {
			k += positions(c)
		}
		return k
	case rules.NodeAnchor:
		return 0
	}
	return 1
}

// arabicConjunct returns an Arabic word without the conjunction و or ف
// prefixed to it, when at least three letters remain (فقط, وقت and وعد are
// words of their own).
func arabicConjunct(key string) (string, bool) {
	if len(key) >= 2+6 && key[0] == 0xD9 && (key[1] == 0x88 || key[1] == 0x81) && utf8.RuneCountInString(key[2:]) >= 3 {
		return key[2:], true
	}
	return "", false
}

// lazyAutomaton is the automaton of one script, compiled on first use: a
// CLI run on an English draft compiles the English patterns only.
type lazyAutomaton struct {
	once sync.Once
	jobs []patJob
	// snap is the automaton of jobs, compiled before (builtin.automata),
	// or empty; npats the number of patterns of the analyzer.
	snap  string
	npats int
	a     *automaton
}

// get returns the automaton, compiling it if needed; nil when the script
// has no pattern.
func (l *lazyAutomaton) get() *automaton {
	if len(l.jobs) == 0 {
		return nil
	}
	l.once.Do(func() {
		if l.snap != "" {
			if a, err := decodeAutomaton(l.snap, l.npats); err == nil {
				l.a = a
				return
			}
			// Compiled instead; TestBuiltinAutomata fails on this.
		}
		a, err := compileScript(l.jobs)
		if err != nil {
			// New checked every pattern: this is a bug, not bad input.
			panic("analyzer: compiling checked patterns: " + err.Error())
		}
		l.a = a
	})
	return l.a
}

// wordWithoutLetters returns a word of pattern n that normalises to no
// letter or digit (a tatweel, a lone diacritic), which no token can match.
func wordWithoutLetters(n *rules.Node, buf *[]byte, off *[]int32) (string, bool) {
	switch n.Kind {
	case rules.NodeWord, rules.NodeStem:
		// A word with a plain letter or digit of the catalogue's scripts
		// keeps it through normalisation; only others need normalising.
		for _, r := range n.Text {
			if plainLetter(r) {
				return "", true
			}
		}
		*buf, *off = normalizeInto(n.Text, (*buf)[:0], (*off)[:0])
		for i := 0; i < len(*buf); {
			r, size := utf8.DecodeRune((*buf)[i:])
			if isWordRune(r) {
				return "", true
			}
			i += size
		}
		return n.Text, false
	}
	for _, k := range n.Kids {
		if w, ok := wordWithoutLetters(k, buf, off); !ok {
			return w, false
		}
	}
	return "", true
}

// plainLetter reports whether r is an ASCII letter or digit, a basic
// Cyrillic letter or an Arabic or Persian letter (not the tatweel): a
// letter that normalisation maps to a letter.
func plainLetter(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	case 0x410 <= r && r <= 0x44F, r == 0x451:
		return true
	case 0x621 <= r && r <= 0x64A:
		return r != 0x640
	}
	switch r {
	case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی':
		return true
	}
	return false
}

// Precompile compiles the automata of every script now, concurrently,
// rather than when a text first needs one: for a server that wants its
// first request as fast as the others.
func (a *Analyzer) Precompile() {
	var wg sync.WaitGroup
	for s := range a.autos {
		wg.Go(func() { a.autos[s].get() })
		wg.Go(func() { a.custAutos[s].get() })
	}
	wg.Wait()
}

// match runs, over toks, the automaton of each script they have (a
// pattern word of another script, "email" in a Persian rule, still matches
// in the text its rule is for); match.pat indexes Analyzer.pats. Each
// automaton emits its matches in the order of their last token; match
// reports how many ran.
func (a *Analyzer) match(norm string, toks []Token, paras []paragraph, sc *scratch, emit func(match)) int {
	return matchWith(&a.autos, &sc.words, norm, toks, paras, sc, emit)
}

// matchWith is match with the automata autos, whose words the worker
// caches in words.
func matchWith(autos *[numScripts]lazyAutomaton, words *[numScripts]wordCache, norm string, toks []Token, paras []paragraph, sc *scratch, emit func(match)) int {
	var present [numScripts]bool
	for _, tk := range toks {
		present[tokenScript(norm[tk.Start])] = true
	}
	n := 0
	for s := range autos {
		if !present[s] {
			continue
		}
		if au := autos[s].get(); au != nil && !sc.halt {
			au.run(norm, toks, paras, &words[s], sc, emit)
			n++
		}
	}
	return n
}

// maxCachedWords bounds the per-worker cache of word symbols.
const maxCachedWords = 1 << 16

type scratch struct {
	msg          textBuffers      // the message of the pass
	cust         preparedCustomer // the last customer's message prepared
	name         preparedName     // the last customer's name prepared
	nameText     textBuffers      // where names are prepared
	findings     []Finding        // a pass's findings, copied out at its end
	exceptions   []match          // a pass's exception matches
	doc          Document         // the document of the pass
	pass         Pass
	refs         []wordRef // token → its word's data
	factor       []uint32  // pattern → the sentence generation that contains its factor
	sentGen      uint32
	byRule       [][]match
	phrases      [][]Match
	words        [numScripts]wordCache // by script: the words of Analyzer.autos
	custWords    [numScripts]wordCache // the words of Analyzer.custAutos
	stamp        []uint32
	gen          uint32
	slot         []int32 // position → its index in next, valid when stamped
	active, next []state
	keyBuf       []byte
	halt         bool // set by an emit that needs no more matches: the run stops
	toks         []Token
}

// trie maps words to literal symbols and word prefixes to stem symbols.
// Nodes are flat: children form a list through sibling links, and a node
// with many children gets a dense table of 256 entries.
type trie struct {
	root   [256]int32 // dense first level: byte → node (0: none)
	nodes  []trieNode
	dense  []int32 // dense tables, 256 entries each
	nsyms  int
	numSym int32 // the symbol of # (any number), -1 until a pattern uses it
}

// numberSym returns the symbol of #.
func (t *trie) numberSym() int32 {
	if t.numSym < 0 {
		t.numSym = int32(t.nsyms)
		t.nsyms++
	}
	return t.numSym
}

// isNumber reports whether a token is a number: digits, with - or . inside.
func isNumber(key string) bool {
	if key == "" || key[0] < '0' || key[0] > '9' {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; (c < '0' || c > '9') && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

type trieNode struct {
	child   int32 // first child (0: none)
	sibling int32 // next child of the same parent (0: none)
	dense   int32 // offset of its dense table + 1 (0: none; set by finish)
	literal int32 // symbol of the word ending here, -1 if none
	stem    int32 // symbol of the stem ending here, -1 if none
	b       byte  // the byte leading here from the parent
	kids    uint8 // number of children, up to 255
}

// finish gives nodes with many children a dense table, so that a lookup
// costs one load per byte there instead of a scan.
func (t *trie) finish() {
	for i := range t.nodes {
		nd := &t.nodes[i]
		if nd.kids > 6 {
			off := len(t.dense)
			t.dense = append(t.dense, make([]int32, 256)...)
			for c := nd.child; c != 0; c = t.nodes[c].sibling {
				t.dense[off+int(t.nodes[c].b)] = c
			}
			nd.dense = int32(off) + 1
		}
	}
}

func newTrie() trie {
	nodes := make([]trieNode, 1, 1<<12)
	nodes[0] = trieNode{literal: -1, stem: -1} // node 0: root
	return trie{nodes: nodes, numSym: -1}
}

func (t *trie) node(key string) *trieNode {
	n := int32(0)
	for i := 0; i < len(key); i++ {
		c := key[i]
		var next int32
		if n == 0 {
			next = t.root[c]
		} else {
			for k := t.nodes[n].child; k != 0; k = t.nodes[k].sibling {
				if t.nodes[k].b == c {
					next = k
					break
				}
			}
		}
		if next == 0 {
			next = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{literal: -1, stem: -1, b: c})
			if n == 0 {
				t.root[c] = next
			} else {
				nd := &t.nodes[n]
				t.nodes[next].sibling = nd.child
				nd.child = next
				if nd.kids < 255 {
					nd.kids++
				}
			}
		}
		n = next
	}
	return &t.nodes[n]
}

func (t *trie) literal(key string) int32 {
	nd := t.node(key)
	if nd.literal < 0 {
		nd.literal = int32(t.nsyms)
		t.nsyms++
	}
	return nd.literal
}

func (t *trie) stem(key string) int32 {
	nd := t.node(key)
	if nd.stem < 0 {
		nd.stem = int32(t.nsyms)
		t.nsyms++
	}
	return nd.stem
}

// lookup appends to dst the symbols that key matches.
func (t *trie) lookup(key string, dst []int32) []int32 {
	if len(key) == 0 {
		return dst
	}
	n := t.root[key[0]]
	i := 1
	for n != 0 {
		nd := &t.nodes[n]
		if nd.stem >= 0 {
			dst = append(dst, nd.stem)
		}
		if i == len(key) {
			if nd.literal >= 0 {
				dst = append(dst, nd.literal)
			}
			return dst
		}
		n = t.next(nd, key[i])
		i++
	}
	return dst
}

// next returns the child of node nd by byte c, 0 if none.
func (t *trie) next(nd *trieNode, c byte) int32 {
	if nd.dense != 0 {
		return t.dense[int(nd.dense)-1+int(c)]
	}
	for k := nd.child; k != 0; k = t.nodes[k].sibling {
		if t.nodes[k].b == c {
			return k
		}
	}
	return 0
}

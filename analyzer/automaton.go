package analyzer

import (
	"fmt"
	"strings"

	"github.com/replylint/replylint/rules"
)

// The matcher compiles every pattern of every rule, exception and phrase
// list into one automaton over tokens (a Glushkov position automaton: one
// state per word of a pattern, no epsilon moves) and runs it once over the
// text. A byte trie maps each token to the symbols it matches (its literal
// word and every stem it starts with), so the cost per token depends on the
// token's length and on the few partial matches alive at that point, not on
// the number of rules.

const anySym = -1 // the symbol of _ and gap positions: any word

// automaton is immutable once built and safe for concurrent use.
type automaton struct {
	trie    trie
	sym     []int32   // position → symbol (anySym for any word)
	owner   []int32   // position → pattern index
	last    []bool    // position → accepting
	follow  [][]int32 // position → next positions
	firstBy [][]int32 // symbol → positions a match can start at
	pats    []patInfo // pattern index → owner
}

// patInfo says what a compiled pattern belongs to.
type patInfo struct {
	kind   patKind
	rule   int32  // index into Analyzer.rules (patRule, patException)
	scope  string // exception scope
	phrase string // phrase list name (patPhrase)
	lang   string
	src    string
}

type patKind uint8

const (
	patRule patKind = iota
	patException
	patPhrase
)

// match is one match of one pattern: tokens [start, end].
type match struct {
	pat        int32
	start, end int32 // token indexes, inclusive
}

type builder struct {
	a   *automaton
	err error
}

func newBuilder() *builder {
	return &builder{a: &automaton{trie: newTrie()}}
}

// add compiles pattern n for owner info.
func (b *builder) add(n *rules.Node, info patInfo) error {
	pi := int32(len(b.a.pats))
	b.a.pats = append(b.a.pats, info)
	f, err := b.compile(n, pi, info.lang)
	if err != nil {
		return fmt.Errorf("pattern %q: %w", info.src, err)
	}
	if f.nullable {
		return fmt.Errorf("pattern %q can match no word", info.src)
	}
	for _, p := range f.first {
		s := b.a.sym[p]
		if s == anySym {
			return fmt.Errorf("pattern %q starts with a gap", info.src)
		}
		for int(s) >= len(b.a.firstBy) {
			b.a.firstBy = append(b.a.firstBy, nil)
		}
		b.a.firstBy[s] = append(b.a.firstBy[s], p)
	}
	for _, p := range f.last {
		if b.a.sym[p] == anySym {
			return fmt.Errorf("pattern %q ends with a gap", info.src)
		}
		b.a.last[p] = true
	}
	return nil
}

func (b *builder) build() *automaton {
	for len(b.a.firstBy) < b.a.trie.nsyms {
		b.a.firstBy = append(b.a.firstBy, nil)
	}
	return b.a
}

// frag is a compiled sub-pattern: its first and last positions.
type frag struct {
	first, last []int32
	nullable    bool
}

func (b *builder) pos(sym int32, pat int32) int32 {
	p := int32(len(b.a.sym))
	b.a.sym = append(b.a.sym, sym)
	b.a.owner = append(b.a.owner, pat)
	b.a.last = append(b.a.last, false)
	b.a.follow = append(b.a.follow, nil)
	return p
}

func (b *builder) link(from, to []int32) {
	for _, f := range from {
		for _, t := range to {
			if !containsPos(b.a.follow[f], t) {
				b.a.follow[f] = append(b.a.follow[f], t)
			}
		}
	}
}

func containsPos(s []int32, p int32) bool {
	for _, x := range s {
		if x == p {
			return true
		}
	}
	return false
}

// seq joins fragments in order.
func (b *builder) seq(fs []frag) frag {
	out := frag{nullable: true}
	var tails []int32 // last positions of the prefix so far
	for _, f := range fs {
		b.link(tails, f.first)
		if out.nullable {
			out.first = append(out.first, f.first...)
		}
		if f.nullable {
			tails = append(tails, f.last...)
		} else {
			tails = append([]int32(nil), f.last...)
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
		keys := patternKeys(n.Text, lang)
		if len(keys) == 0 {
			return f, fmt.Errorf("%q has no letters or digits", n.Text)
		}
		var fs []frag
		for i, k := range keys {
			var sym int32
			if n.Kind == rules.NodeStem && i == len(keys)-1 {
				sym = b.a.trie.stem(k)
			} else {
				sym = b.a.trie.literal(k)
			}
			p := b.pos(sym, pat)
			fs = append(fs, frag{first: []int32{p}, last: []int32{p}})
		}
		f = b.seq(fs)
	case rules.NodeAny:
		p := b.pos(anySym, pat)
		f = frag{first: []int32{p}, last: []int32{p}}
	case rules.NodeGap:
		var fs []frag
		for range n.Max {
			p := b.pos(anySym, pat)
			fs = append(fs, frag{first: []int32{p}, last: []int32{p}, nullable: true})
		}
		f = b.seq(fs)
	case rules.NodeSeq:
		var fs []frag
		for _, k := range joinMorphemes(n.Kids, lang) {
			kf, err := b.compile(k, pat, lang)
			if err != nil {
				return f, err
			}
			fs = append(fs, kf)
		}
		f = b.seq(fs)
	case rules.NodeAlt:
		for _, k := range n.Kids {
			kf, err := b.compile(k, pat, lang)
			if err != nil {
				return f, err
			}
			f.first = append(f.first, kf.first...)
			f.last = append(f.last, kf.last...)
			f.nullable = f.nullable || kf.nullable
		}
	}
	if n.Optional {
		f.nullable = true
	}
	return f, nil
}

// joinMorphemes joins, in a Persian pattern, the words that the tokeniser
// joins in text: "نمی تونم" written with a plain space is the one token
// نميتونم, as it is in text whether typed with ZWNJ, a space or nothing.
func joinMorphemes(kids []*rules.Node, lang string) []*rules.Node {
	if lang != "fa" && lang != "ar" {
		return kids
	}
	out := make([]*rules.Node, 0, len(kids))
	for _, k := range kids {
		if len(out) > 0 {
			prev := out[len(out)-1]
			if prev.Kind == rules.NodeWord && !prev.Optional && !k.Optional &&
				(k.Kind == rules.NodeWord || k.Kind == rules.NodeStem) {
				pn, kn := Normalize(prev.Text).Norm, Normalize(k.Text).Norm
				if faPrefix[lastField(pn)] || lang == "fa" && faSuffix[kn] {
					out[len(out)-1] = &rules.Node{Kind: k.Kind, Text: prev.Text + "\u200c" + k.Text}
					continue
				}
			}
		}
		out = append(out, k)
	}
	return out
}

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
func (a *automaton) run(norm string, toks []Token, sc *scratch, emit func(match)) {
	if len(sc.stamp) < len(a.sym) {
		sc.stamp = make([]int32, len(a.sym))
		sc.startOf = make([]int32, len(a.sym))
	}
	for i := range sc.stamp {
		sc.stamp[i] = -1
	}
	active := sc.active[:0]
	next := sc.next[:0]
	for i := range toks {
		tk := toks[i]
		if i > 0 && toks[i-1].Sentence != tk.Sentence {
			active = active[:0]
		}
		key := tokenKey(norm, tk, sc.keyBuf[:0])
		syms := a.trie.lookup(key, sc.syms[:0])
		sc.syms = syms
		next = next[:0]
		stamp := int32(i)
		add := func(q, s int32) {
			if sc.stamp[q] == stamp {
				if s < sc.startOf[q] {
					sc.startOf[q] = s
					for k := range next {
						if next[k].pos == q {
							next[k].start = s
						}
					}
				}
				return
			}
			sc.stamp[q] = stamp
			sc.startOf[q] = s
			next = append(next, state{q, s})
		}
		for _, st := range active {
			for _, q := range a.follow[st.pos] {
				qs := a.sym[q]
				if qs == anySym || hasSym(syms, qs) {
					add(q, st.start)
				}
			}
		}
		for _, s := range syms {
			for _, q := range a.firstBy[s] {
				add(q, int32(i))
			}
		}
		for _, st := range next {
			if a.last[st.pos] {
				emit(match{pat: a.owner[st.pos], start: st.start, end: int32(i)})
			}
		}
		active, next = next, active
	}
	sc.active, sc.next = active[:0], next[:0]
}

type state struct{ pos, start int32 }

// scratch is reusable per-run memory.
type scratch struct {
	stamp, startOf []int32
	active, next   []state
	syms           []int32
	keyBuf         []byte
	toks           []Token
	matches        []match
}

func hasSym(syms []int32, s int32) bool {
	for _, x := range syms {
		if x == s {
			return true
		}
	}
	return false
}

// trie maps words to literal symbols and word prefixes to stem symbols.
type trie struct {
	root  [256]int32 // dense first level: byte → node (0: none)
	nodes []trieNode
	nsyms int
}

type trieNode struct {
	edges   []trieEdge
	literal int32 // symbol of the word ending here, -1 if none
	stem    int32 // symbol of the stem ending here, -1 if none
}

type trieEdge struct {
	b  byte
	to int32
}

func newTrie() trie {
	return trie{nodes: []trieNode{{literal: -1, stem: -1}}} // node 0: root
}

func (t *trie) node(key string) *trieNode {
	n := int32(0)
	for i := 0; i < len(key); i++ {
		c := key[i]
		var next int32
		if n == 0 {
			next = t.root[c]
		} else {
			for _, e := range t.nodes[n].edges {
				if e.b == c {
					next = e.to
					break
				}
			}
		}
		if next == 0 {
			next = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{literal: -1, stem: -1})
			if n == 0 {
				t.root[c] = next
			} else {
				t.nodes[n].edges = append(t.nodes[n].edges, trieEdge{c, next})
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
		c := key[i]
		i++
		next := int32(0)
		for _, e := range nd.edges {
			if e.b == c {
				next = e.to
				break
			}
		}
		n = next
	}
	return dst
}

package rules

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pattern syntax, matched on normalised tokens:
//
//	word        a word (normalised as the text is: case, ё, ی/ي, diacritics...)
//	stem*       any word that starts with stem (компетенц* matches компетенции)
//	(a|b c|d*)  alternatives; each may be a sequence of words
//	x?          x is optional (x is a word, a stem, a group or _)
//	_           any one word
//	#           any number (digits, with - or . inside: 0800, 555-0192, 3.5)
//	~N          a gap of 0 to N words (N from 1 to 16); ~ alone is ~3
//	^           the start of a clause: of a sentence, or after , ; : or a
//	            dash ("^ read it" is an imperative, "I've read it" is not);
//	            only first in the pattern or in a top-level alternative
//
// A pattern never matches across a sentence boundary. Top-level
// alternatives need no parentheses: "not my job|not my area".

// NodeKind tells what a Node is.
type NodeKind int

// The kinds of pattern nodes.
const (
	NodeWord   NodeKind = iota // Text, possibly several words once normalised
	NodeStem                   // Text is a prefix
	NodeAny                    // one word
	NodeNumber                 // one number
	NodeGap                    // Max words at most
	NodeSeq                    // Kids in order
	NodeAlt                    // one of Kids
	NodeAnchor                 // the start of a clause (no word)
)

// Node is a parsed pattern.
type Node struct {
	Kind     NodeKind
	Text     string
	Max      int
	Optional bool
	Kids     []*Node
}

// ParsePattern parses a pattern.
func ParsePattern(s string) (*Node, error) {
	var slab []Node
	return parsePattern(s, &slab)
}

// parsePattern is ParsePattern taking its nodes from *slab, which a rule
// file's patterns share.
func parsePattern(s string, slab *[]Node) (*Node, error) {
	p := &parser{src: s, slab: *slab}
	defer func() { *slab = p.slab }()
	n, err := p.alt()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q", p.src[p.pos])
	}
	if err := checkPattern(n); err != nil {
		return nil, err
	}
	return n, nil
}

type parser struct {
	src  string
	pos  int
	slab []Node // nodes are allocated together: a pattern has many
}

// node returns a new node with the fields of n.
func (p *parser) node(n Node) *Node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]Node, 0, 256)
	}
	p.slab = append(p.slab, n)
	return &p.slab[len(p.slab)-1]
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("pattern %q: at %d: %s", p.src, p.pos, fmt.Sprintf(format, args...))
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += size
	}
}

func (p *parser) alt() (*Node, error) {
	var alts []*Node
	for {
		seq, err := p.seq()
		if err != nil {
			return nil, err
		}
		alts = append(alts, seq)
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '|' {
			p.pos++
			continue
		}
		break
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return p.node(Node{Kind: NodeAlt, Kids: alts}), nil
}

func (p *parser) seq() (*Node, error) {
	var items []*Node
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] == '|' || p.src[p.pos] == ')' {
			break
		}
		n, err := p.item()
		if err != nil {
			return nil, err
		}
		items = append(items, n)
	}
	if len(items) == 0 {
		return nil, p.errorf("empty alternative")
	}
	if len(items) == 1 {
		return items[0], nil
	}
	return p.node(Node{Kind: NodeSeq, Kids: items}), nil
}

func (p *parser) item() (*Node, error) {
	var n *Node
	switch c := p.src[p.pos]; {
	case c == '(':
		p.pos++
		inner, err := p.alt()
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return nil, p.errorf("missing )")
		}
		p.pos++
		if inner.Optional { // (x?) — keep the inner flag, wrap to allow (x?)?
			inner = p.node(Node{Kind: NodeSeq, Kids: []*Node{inner}})
		}
		n = inner
	case c == '~':
		p.pos++
		start := p.pos
		for p.pos < len(p.src) && '0' <= p.src[p.pos] && p.src[p.pos] <= '9' {
			p.pos++
		}
		max := 3
		if p.pos > start {
			max, _ = strconv.Atoi(p.src[start:p.pos])
		}
		if max < 1 || max > 16 {
			return nil, p.errorf("gap ~%d: must be from 1 to 16", max)
		}
		return p.node(Node{Kind: NodeGap, Max: max}), nil
	case c == '^':
		p.pos++
		return p.node(Node{Kind: NodeAnchor}), nil
	case c == '_' && p.endsWord(p.pos+1):
		p.pos++
		n = p.node(Node{Kind: NodeAny})
	case c == '#' && p.endsWord(p.pos+1):
		p.pos++
		n = p.node(Node{Kind: NodeNumber})
	case c == '?' || c == '*':
		return nil, p.errorf("%q must follow a word or group", c)
	default:
		start := p.pos
		for p.pos < len(p.src) {
			r, size := utf8.DecodeRuneInString(p.src[p.pos:])
			if unicode.IsSpace(r) || r < utf8.RuneSelf && isDelim(byte(r)) {
				break
			}
			p.pos += size
		}
		word := p.src[start:p.pos]
		if !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return nil, p.errorf("%q is not a word: it has no letters or digits (punctuation is not matched)", word)
		}
		n = p.node(Node{Kind: NodeWord, Text: word})
		if p.pos < len(p.src) && p.src[p.pos] == '*' {
			p.pos++
			n.Kind = NodeStem
			if strings.Trim(word, "0123456789") == "" {
				return nil, p.errorf("stem %q*: write # for any number", word)
			}
			if utf8.RuneCountInString(word) < 2 {
				return nil, p.errorf("stem %q*: a stem needs at least 2 letters", word)
			}
		}
	}
	if p.pos < len(p.src) && p.src[p.pos] == '?' {
		p.pos++
		n.Optional = true
	}
	return n, nil
}

// endsWord reports whether position i ends a word: the end, a space or a
// delimiter.
func (p *parser) endsWord(i int) bool {
	if i >= len(p.src) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(p.src[i:])
	return unicode.IsSpace(r) || r < utf8.RuneSelf && isDelim(byte(r))
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '|', '?', '*', '~', '^', ' ', '\t', '\n':
		return true
	}
	return false
}

// checkPattern rejects patterns that could match nothing at all, or that
// start or end with a gap (a gap there only blurs the span).
func checkPattern(n *Node) error {
	if misplacedAnchor(n, true) {
		return fmt.Errorf("pattern %q: ^ must come first, in the pattern or in one of its top-level alternatives", n)
	}
	if nullable(n) {
		return fmt.Errorf("pattern %q can match no word at all: make a word required", n)
	}
	if edgeGap(n, true) || edgeGap(n, false) {
		return fmt.Errorf("pattern %q can start or end with a gap (~) or _ (an optional word next to a gap counts): anchor it on words", n)
	}
	return nil
}

// misplacedAnchor reports whether n has a ^ anywhere but first in a
// sequence that starts the pattern (top) or one of its top-level
// alternatives.
func misplacedAnchor(n *Node, top bool) bool {
	switch n.Kind {
	case NodeAnchor:
		return true
	case NodeSeq:
		for i, k := range n.Kids {
			if i == 0 && k.Kind == NodeAnchor && top && !n.Optional && !k.Optional {
				continue
			}
			if misplacedAnchor(k, top && i == 0 && !n.Optional) {
				return true
			}
		}
	case NodeAlt:
		for _, k := range n.Kids {
			if misplacedAnchor(k, top && !n.Optional) {
				return true
			}
		}
	}
	return false
}

func nullable(n *Node) bool {
	if n.Optional {
		return true
	}
	switch n.Kind {
	case NodeGap, NodeAnchor:
		return true
	case NodeSeq:
		for _, k := range n.Kids {
			if !nullable(k) {
				return false
			}
		}
		return true
	case NodeAlt:
		for _, k := range n.Kids {
			if nullable(k) {
				return true
			}
		}
	}
	return false
}

// edgeGap reports whether a match of n can start (first) or end (!first)
// on a gap or _, skipping optional parts.
func edgeGap(n *Node, first bool) bool {
	switch n.Kind {
	case NodeGap, NodeAny:
		return true
	case NodeSeq:
		for i := range n.Kids {
			k := n.Kids[i]
			if !first {
				k = n.Kids[len(n.Kids)-1-i]
			}
			if edgeGap(k, first) {
				return true
			}
			if !nullable(k) {
				return false
			}
		}
	case NodeAlt:
		for _, k := range n.Kids {
			if edgeGap(k, first) {
				return true
			}
		}
	}
	return false
}

// String formats n back in pattern syntax.
func (n *Node) String() string {
	var b strings.Builder
	n.format(&b, true)
	return b.String()
}

func (n *Node) format(b *strings.Builder, top bool) {
	switch n.Kind {
	case NodeWord:
		b.WriteString(n.Text)
	case NodeStem:
		b.WriteString(n.Text + "*")
	case NodeAny:
		b.WriteString("_")
	case NodeNumber:
		b.WriteString("#")
	case NodeGap:
		fmt.Fprintf(b, "~%d", n.Max)
	case NodeAnchor:
		b.WriteString("^")
	case NodeSeq:
		if n.Optional {
			b.WriteString("(")
		}
		for i, k := range n.Kids {
			if i > 0 {
				b.WriteString(" ")
			}
			k.format(b, false)
		}
		if n.Optional {
			b.WriteString(")")
		}
	case NodeAlt:
		if !top || n.Optional {
			b.WriteString("(")
		}
		for i, k := range n.Kids {
			if i > 0 {
				b.WriteString("|")
			}
			k.format(b, false)
		}
		if !top || n.Optional {
			b.WriteString(")")
		}
	}
	if n.Optional {
		b.WriteString("?")
	}
}

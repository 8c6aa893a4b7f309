package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// The built-in catalogue is also stored parsed, in builtin.snapshot: a
// line-per-record text form of its Set that loads in a few milliseconds,
// where the YAML takes tens (decoding YAML and parsing every pattern is
// most of replylint's start-up). The YAML stays the source: the snapshot
// names the hash of the files it was made from and is used only when they
// match, so an edited catalogue is never read stale; TestBuiltinSnapshot
// fails until the snapshot is regenerated (go test ./rules -run
// TestBuiltinSnapshot -update).
//
// Records are lines of tab-separated fields (\ escapes \, tab and newline
// in text):
//
//	R id category lang severity title message suggestion doc since check skip_quoted file line
//	P line source nodes          a pattern of the rule above
//	X line scope source nodes    an exception of the rule above
//	B text / G text              a bad / good example of the rule above
//	L list lang file line source nodes
//
// nodes is the pattern tree in prefix form, space separated: Wword, Sstem,
// _, #, ^, ~N (a gap), QN and AN (a sequence and an alternation of the next N
// trees), each prefixed with ? when optional.
const snapshotHeader = "replylint rules snapshot 1"

// sourceHash is the hash of the catalogue files under root: their paths
// and contents, in lexical order.
func sourceHash(fsys fs.FS, root string) (string, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	slices.Sort(files)
	h := sha256.New()
	buf := make([]byte, 32<<10)
	for _, name := range files {
		f, err := fsys.Open(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00", name)
		_, err = io.CopyBuffer(h, f, buf)
		f.Close()
		if err != nil {
			return "", err
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// encodeSnapshot writes set in the snapshot form, for sources of the
// given hash.
func encodeSnapshot(set *Set, hash string) string {
	var e snapEncoder
	for _, r := range set.Rules {
		e.line("R", r.ID, r.Category, r.Lang, string(r.Severity), r.Title, r.Message, r.Suggestion, r.Doc, r.Since,
			r.Check, strconv.FormatBool(r.SkipQuoted), r.Pos.File, strconv.Itoa(r.Pos.Line))
		for _, p := range r.Patterns {
			e.line("P", strconv.Itoa(p.Pos.Line), p.Source, e.node(p.Node))
		}
		for _, x := range r.Exceptions {
			e.line("X", strconv.Itoa(x.Pos.Line), x.Scope, x.Source, e.node(x.Node))
		}
		for _, ex := range r.Examples.Bad {
			e.line("B", ex)
		}
		for _, ex := range r.Examples.Good {
			e.line("G", ex)
		}
	}
	names := make([]string, 0, len(set.Phrases))
	for name := range set.Phrases {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, p := range set.Phrases[name] {
			e.line("L", name, p.Lang, p.Pos.File, strconv.Itoa(p.Pos.Line), p.Source, e.node(p.Node))
		}
	}
	// The node counts head the records they were counted in, so that the
	// decoder allocates all nodes at once.
	return fmt.Sprintf("%s\nhash\t%s\nnodes\t%d\t%d\n", snapshotHeader, hash, e.nodes, e.kids) + e.b.String()
}

// snapEncoder writes records and counts the pattern nodes they hold.
type snapEncoder struct {
	b           strings.Builder
	nodes, kids int
}

func (e *snapEncoder) line(fields ...string) {
	for i, f := range fields {
		if i > 0 {
			e.b.WriteByte('\t')
		}
		e.b.WriteString(escapeField(f))
	}
	e.b.WriteByte('\n')
}

// node returns the prefix form of the tree n.
func (e *snapEncoder) node(n *Node) string {
	var b strings.Builder
	var enc func(n *Node)
	enc = func(n *Node) {
		e.nodes++
		e.kids += len(n.Kids)
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if n.Optional {
			b.WriteByte('?')
		}
		switch n.Kind {
		case NodeWord:
			b.WriteString("W" + n.Text)
		case NodeStem:
			b.WriteString("S" + n.Text)
		case NodeAny:
			b.WriteByte('_')
		case NodeNumber:
			b.WriteByte('#')
		case NodeAnchor:
			b.WriteByte('^')
		case NodeGap:
			b.WriteString("~" + strconv.Itoa(n.Max))
		case NodeSeq:
			b.WriteString("Q" + strconv.Itoa(len(n.Kids)))
		case NodeAlt:
			b.WriteString("A" + strconv.Itoa(len(n.Kids)))
		}
		for _, k := range n.Kids {
			enc(k)
		}
	}
	enc(n)
	return b.String()
}

var fieldEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`)

func escapeField(s string) string {
	if !strings.ContainsAny(s, "\\\t\n") {
		return s
	}
	return fieldEscaper.Replace(s)
}

func unescapeField(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s // the common case: a substring of the snapshot, no copy
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// decodeSnapshot reads a snapshot made from sources of hash want. Its
// errors mean only that the YAML must be read instead.
func decodeSnapshot(data, want string) (*Set, error) {
	d := snapDecoder{rest: data}
	if d.line() != snapshotHeader {
		return nil, errors.New("not a rules snapshot of this version")
	}
	if f := d.fields(); len(f) != 2 || f[0] != "hash" || f[1] != want {
		return nil, errors.New("snapshot of other sources")
	}
	f := d.fields()
	if len(f) != 3 || f[0] != "nodes" {
		return nil, errors.New("no node count")
	}
	nodes, err1 := strconv.Atoi(f[1])
	kids, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || nodes < 0 || kids < 0 || nodes > len(data) || kids > len(data) {
		return nil, errors.New("bad node count")
	}
	// All nodes, and all their child lists, in two allocations.
	d.nodes = make([]Node, 0, nodes)
	d.kids = make([]*Node, 0, kids)
	set := &Set{Phrases: map[string][]Phrase{}}
	var r *Rule
	for d.rest != "" {
		f := d.fields()
		if len(f) == 0 {
			return nil, d.errorf("empty record")
		}
		if need := recordFields(f[0]); need == 0 || len(f) != need {
			return nil, d.errorf("bad record %q", f[0])
		}
		if f[0] != "R" && f[0] != "L" && r == nil {
			return nil, d.errorf("%s record before any rule", f[0])
		}
		switch f[0] {
		case "R":
			line, err := strconv.Atoi(f[13])
			if err != nil {
				return nil, d.errorf("bad line %q", f[13])
			}
			r = &Rule{ID: f[1], Category: f[2], Lang: f[3], Severity: Severity(f[4]), Title: unescapeField(f[5]),
				Message: unescapeField(f[6]), Suggestion: unescapeField(f[7]), Doc: unescapeField(f[8]),
				Since: unescapeField(f[9]), Check: f[10], SkipQuoted: f[11] == "true", Pos: Pos{unescapeField(f[12]), line}}
			set.Rules = append(set.Rules, r)
		case "P":
			p, err := d.pattern(r.Pos.File, f[1], f[2], f[3])
			if err != nil {
				return nil, err
			}
			r.Patterns = append(r.Patterns, p)
		case "X":
			p, err := d.pattern(r.Pos.File, f[1], f[3], f[4])
			if err != nil {
				return nil, err
			}
			r.Exceptions = append(r.Exceptions, Exception{Pattern: p, Scope: f[2]})
		case "B":
			r.Examples.Bad = append(r.Examples.Bad, unescapeField(f[1]))
		case "G":
			r.Examples.Good = append(r.Examples.Good, unescapeField(f[1]))
		case "L":
			p, err := d.pattern(unescapeField(f[3]), f[4], f[5], f[6])
			if err != nil {
				return nil, err
			}
			set.Phrases[f[1]] = append(set.Phrases[f[1]], Phrase{Pattern: p, Lang: f[2]})
		}
	}
	return set, nil
}

// recordFields is the number of fields of a record of the kind, 0 for an
// unknown kind.
func recordFields(kind string) int {
	switch kind {
	case "R":
		return 14
	case "P":
		return 4
	case "X":
		return 5
	case "B", "G":
		return 2
	case "L":
		return 7
	}
	return 0
}

type snapDecoder struct {
	rest  string
	n     int // line number
	nodes []Node
	kids  []*Node
	toks  []string
}

func (d *snapDecoder) line() string {
	d.n++
	l, rest, _ := strings.Cut(d.rest, "\n")
	d.rest = rest
	return l
}

func (d *snapDecoder) fields() []string { return strings.Split(d.line(), "\t") }

func (d *snapDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("snapshot line %d: %s", d.n, fmt.Sprintf(format, args...))
}

func (d *snapDecoder) pattern(file, line, source, nodes string) (Pattern, error) {
	l, err := strconv.Atoi(line)
	if err != nil {
		return Pattern{}, d.errorf("bad line %q", line)
	}
	d.toks = d.toks[:0]
	for tok := range strings.SplitSeq(nodes, " ") {
		d.toks = append(d.toks, tok)
	}
	toks := d.toks
	n, err := d.node(&toks)
	if err != nil {
		return Pattern{}, err
	}
	if len(toks) != 0 {
		return Pattern{}, d.errorf("trailing nodes in %q", nodes)
	}
	return Pattern{Source: unescapeField(source), Node: n, Pos: Pos{file, l}}, nil
}

// node decodes the tree at the start of *toks.
func (d *snapDecoder) node(toks *[]string) (*Node, error) {
	if len(*toks) == 0 {
		return nil, d.errorf("missing node")
	}
	tok := (*toks)[0]
	*toks = (*toks)[1:]
	var n Node
	if strings.HasPrefix(tok, "?") {
		n.Optional = true
		tok = tok[1:]
	}
	if tok == "" {
		return nil, d.errorf("empty node")
	}
	nkids := 0
	switch arg := tok[1:]; tok[0] {
	case 'W', 'S':
		n.Kind, n.Text = NodeWord, arg
		if tok[0] == 'S' {
			n.Kind = NodeStem
		}
	case '_':
		n.Kind = NodeAny
	case '#':
		n.Kind = NodeNumber
	case '^':
		n.Kind = NodeAnchor
	case '~', 'Q', 'A':
		v, err := strconv.Atoi(arg)
		if err != nil || v < 0 || v > len(*toks) && tok[0] != '~' {
			return nil, d.errorf("bad node %q", tok)
		}
		switch tok[0] {
		case '~':
			n.Kind, n.Max = NodeGap, v
		case 'Q':
			n.Kind, nkids = NodeSeq, v
		case 'A':
			n.Kind, nkids = NodeAlt, v
		}
	default:
		return nil, d.errorf("bad node %q", tok)
	}
	if nkids > 0 {
		if len(d.kids)+nkids > cap(d.kids) {
			return nil, d.errorf("more child nodes than counted")
		}
		from := len(d.kids)
		d.kids = d.kids[:from+nkids]
		n.Kids = d.kids[from : from+nkids : from+nkids]
		for i := range nkids {
			k, err := d.node(toks)
			if err != nil {
				return nil, err
			}
			n.Kids[i] = k
		}
	}
	if len(d.nodes) == cap(d.nodes) {
		return nil, d.errorf("more nodes than counted")
	}
	d.nodes = append(d.nodes, n)
	return &d.nodes[len(d.nodes)-1], nil
}

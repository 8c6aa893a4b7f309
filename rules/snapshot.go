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
// trees), each prefixed with ? when optional. A pattern's tree is checked
// when the snapshot is read and built when Pattern.Node asks for it.
const snapshotHeader = "replylint rules snapshot 2"

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
			e.line("P", strconv.Itoa(p.Pos.Line), p.Source, e.node(p.Node()))
		}
		for _, x := range r.Exceptions {
			e.line("X", strconv.Itoa(x.Pos.Line), x.Scope, x.Source, e.node(x.Node()))
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
			e.line("L", name, p.Lang, p.Pos.File, strconv.Itoa(p.Pos.Line), p.Source, e.node(p.Node()))
		}
	}
	return fmt.Sprintf("%s\nhash\t%s\n", snapshotHeader, hash) + e.b.String()
}

// snapEncoder writes records.
type snapEncoder struct {
	b strings.Builder
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
	rest string
	n    int // line number
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

func (d *snapDecoder) pattern(file, line, source, tree string) (Pattern, error) {
	l, err := strconv.Atoi(line)
	if err != nil {
		return Pattern{}, d.errorf("bad line %q", line)
	}
	// The tree is checked now and decoded when Pattern.Node asks for it.
	if _, err := decodeTree(tree, false); err != nil {
		return Pattern{}, d.errorf("%v", err)
	}
	return Pattern{Source: unescapeField(source), Pos: Pos{file, l}, tree: tree}, nil
}

// decodeTree decodes a tree in prefix form (encodeSnapshot's node), its
// nodes and child lists in two allocations; without build, it only checks
// the tree, allocating nothing, and returns nil.
func decodeTree(tree string, build bool) (*Node, error) {
	// Every token is a node, and a node is the child of at most one other.
	n := strings.Count(tree, " ") + 1
	t := treeDecoder{rest: tree, left: n, check: !build}
	if build {
		t.nodes = make([]Node, 0, n)
		t.kids = make([]*Node, 0, n)
	}
	root, err := t.node()
	if err != nil {
		return nil, err
	}
	if t.left != 0 {
		return nil, fmt.Errorf("trailing nodes in %q", tree)
	}
	return root, nil
}

type treeDecoder struct {
	rest  string
	left  int // tokens left in rest
	check bool
	nodes []Node
	kids  []*Node
}

// next returns the next token of the tree.
func (t *treeDecoder) next() (string, bool) {
	if t.rest == "" {
		return "", false
	}
	tok, rest, _ := strings.Cut(t.rest, " ")
	t.rest = rest
	t.left--
	return tok, true
}

// node decodes the tree at the start of t.rest.
func (t *treeDecoder) node() (*Node, error) {
	tok, ok := t.next()
	if !ok {
		return nil, errors.New("missing node")
	}
	var n Node
	if strings.HasPrefix(tok, "?") {
		n.Optional = true
		tok = tok[1:]
	}
	if tok == "" {
		return nil, errors.New("empty node")
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
		// A sequence or alternation cannot have more children than
		// there are tokens left.
		if err != nil || v < 0 || tok[0] != '~' && v > t.left {
			return nil, fmt.Errorf("bad node %q", tok)
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
		return nil, fmt.Errorf("bad node %q", tok)
	}
	if t.check {
		for range nkids {
			if _, err := t.node(); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	if nkids > 0 {
		from := len(t.kids)
		if from+nkids > cap(t.kids) {
			return nil, errors.New("more child nodes than nodes")
		}
		t.kids = t.kids[:from+nkids]
		n.Kids = t.kids[from : from+nkids : from+nkids]
		for i := range nkids {
			k, err := t.node()
			if err != nil {
				return nil, err
			}
			n.Kids[i] = k
		}
	}
	t.nodes = append(t.nodes, n)
	return &t.nodes[len(t.nodes)-1], nil
}

package mail

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText turns an HTML body into readable plain text: entities decoded,
// block elements on lines of their own, script and style dropped. Quoted
// content (blockquote, Gmail's gmail_quote, Yahoo's yahoo_quoted) comes out
// as "> " lines, so that Split treats it as it treats quoted plain text;
// Gmail's attribution line (gmail_attr) stays unquoted above it.
func htmlToText(src string) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// Too deeply nested to build a tree: keep the text tokens.
		return htmlTokensText(src)
	}
	w := &textWriter{}
	w.node(doc, 0, 0)
	w.newline()
	return w.finish()
}

// textWriter accumulates the lines of the text.
type textWriter struct {
	lines []string
	cur   strings.Builder
	depth int  // quote depth of the current line
	space bool // a space is pending before the next word
}

var blockElems = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Blockquote: true, atom.Pre: true, atom.Hr: true, atom.Section: true,
	atom.Article: true, atom.Header: true, atom.Footer: true, atom.Address: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Center: true, atom.Form: true, atom.Fieldset: true,
	atom.Figure: true, atom.Main: true, atom.Nav: true, atom.Aside: true, atom.Body: true,
	atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Caption: true, atom.Details: true,
	atom.Summary: true, atom.Legend: true, atom.Figcaption: true,
}

// paraElems are blocks with a blank line around them, as browsers show
// their margins.
var paraElems = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Dl: true,
}

var droppedElems = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Head: true, atom.Title: true, atom.Template: true,
	atom.Noscript: true, atom.Svg: true, atom.Math: true, atom.Object: true, atom.Iframe: true,
	atom.Select: true, atom.Button: true,
}

// node writes n. quote is the blockquote depth; floor is the minimum
// depth inside a gmail_quote container.
func (w *textWriter) node(n *html.Node, quote, floor int) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data, max(quote, floor), false)
		return
	case html.ElementNode:
		if droppedElems[n.DataAtom] {
			return
		}
		class := attr(n, "class")
		switch {
		case n.DataAtom == atom.Blockquote:
			quote++
		case hasClass(class, "gmail_attr"):
			floor = 0
		case hasClass(class, "gmail_quote") || hasClass(class, "yahoo_quoted"):
			floor = max(floor, 1)
		}
		switch n.DataAtom {
		case atom.Br:
			w.forceNewline(max(quote, floor))
			return
		case atom.Pre:
			w.newline()
			w.pre(n, max(quote, floor))
			w.newline()
			return
		case atom.Td, atom.Th:
			w.space = true
		case atom.Img:
			return
		}
		block := blockElems[n.DataAtom]
		para := paraElems[n.DataAtom]
		if para {
			w.paragraph(max(quote, floor))
		} else if block {
			w.newline()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c, quote, floor)
		}
		if para {
			w.paragraph(max(quote, floor))
		} else if block {
			w.newline()
		}
		if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
			w.space = true
		}
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c, quote, floor)
		}
	}
}

// pre writes preformatted text as it is.
func (w *textWriter) pre(n *html.Node, depth int) {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if i > 0 {
			w.forceNewline(depth)
		}
		w.text(line, depth, true)
	}
}

// text writes words, collapsing white space unless raw.
func (w *textWriter) text(s string, depth int, raw bool) {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	if raw {
		if w.cur.Len() == 0 {
			w.depth = depth
		}
		w.cur.WriteString(s)
		return
	}
	words := strings.Fields(s)
	if len(words) == 0 {
		if s != "" {
			w.space = true
		}
		return
	}
	lead := isHTMLSpace(s[0])
	for i, word := range words {
		if w.cur.Len() == 0 {
			w.depth = depth
		} else if i > 0 || w.space || lead {
			w.cur.WriteByte(' ')
		}
		w.cur.WriteString(word)
	}
	w.space = isHTMLSpace(s[len(s)-1])
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// newline ends the current line if it has text.
func (w *textWriter) newline() {
	if w.cur.Len() > 0 {
		w.flush()
	}
	w.space = false
}

// paragraph ends the current line and leaves a blank line (finish
// collapses repeated ones).
func (w *textWriter) paragraph(depth int) {
	w.newline()
	if len(w.lines) > 0 {
		w.depth = depth
		w.flush()
	}
}

// forceNewline ends the current line, even an empty one (a <br>).
func (w *textWriter) forceNewline(depth int) {
	if w.cur.Len() == 0 {
		w.depth = depth
	}
	w.flush()
	w.space = false
}

func (w *textWriter) flush() {
	line := strings.TrimRight(w.cur.String(), " \t")
	w.cur.Reset()
	if w.depth > 0 {
		prefix := strings.Repeat(">", w.depth)
		if line != "" {
			line = prefix + " " + line
		} else {
			line = prefix
		}
	}
	w.lines = append(w.lines, line)
	w.depth = 0
}

// finish joins the lines: no leading blank lines, at most one blank line in
// a row, no trailing blank lines.
func (w *textWriter) finish() string {
	var b strings.Builder
	blank := 0
	for _, line := range w.lines {
		empty := strings.TrimLeft(line, ">") == ""
		if empty {
			if b.Len() == 0 {
				continue
			}
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	out := strings.TrimRight(b.String(), "\n")
	for {
		i := strings.LastIndexByte(out, '\n')
		if i < 0 || strings.TrimLeft(out[i+1:], ">") != "" {
			break
		}
		out = out[:i]
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(class, name string) bool {
	for _, c := range strings.Fields(class) {
		if c == name {
			return true
		}
	}
	return false
}

// htmlTokensText keeps the text of an HTML document that html.Parse
// refuses, without structure.
func htmlTokensText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	w := &textWriter{}
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			w.newline()
			return w.finish()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()), 0, false)
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				skip++
			} else if a == atom.Br || blockElems[a] {
				w.newline()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if (a == atom.Script || a == atom.Style) && skip > 0 {
				skip--
			} else if blockElems[a] {
				w.newline()
			}
		}
	}
}

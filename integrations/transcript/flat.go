package transcript

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// flatObject is a decoded flat row: its members in order, each scalar kept
// as its text and kind, so that decoding a row allocates one string (the
// row's, which plain values are substrings of) and reading a field nothing.
type flatObject struct {
	members []flatMember
}

type flatMember struct {
	key  string
	kind flatKind
	text string // a string's value or a number as written; empty for the others
}

type flatKind uint8

const (
	flatString flatKind = iota
	flatNumber
	flatTrue
	flatFalse
	flatNull
)

// field returns the value of member name (the last one when a key repeats,
// as encoding/json keeps it).
func (o *flatObject) field(name string) (fieldValue, bool) {
	for i := len(o.members) - 1; i >= 0; i-- {
		m := &o.members[i]
		if m.key != name {
			continue
		}
		switch m.kind {
		case flatTrue:
			return fieldValue{text: "true"}, true
		case flatFalse:
			return fieldValue{text: "false"}, true
		case flatNull:
			return fieldValue{null: true}, true
		}
		return fieldValue{text: m.text}, true
	}
	return fieldValue{}, false
}

// decodeFlat decodes the common JSON Lines row, a flat object of strings,
// numbers, booleans and nulls, into obj (reused) without encoding/json's
// reflection. It reports false for anything else (nesting, an unusual
// escape, invalid UTF-8, a syntax error), which then takes encoding/json's
// path and its error message.
func decodeFlat(row string, obj *flatObject) bool {
	obj.members = obj.members[:0]
	p := flatParser{b: row}
	p.space()
	if !p.eat('{') {
		return false
	}
	p.space()
	if p.eat('}') {
		return p.end()
	}
	for {
		p.space()
		key, ok := p.str()
		if !ok {
			return false
		}
		p.space()
		if !p.eat(':') {
			return false
		}
		p.space()
		m, ok := p.value()
		if !ok {
			return false
		}
		m.key = key
		obj.members = append(obj.members, m)
		p.space()
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			return p.end()
		}
		return false
	}
}

type flatParser struct {
	b string
	i int
}

func (p *flatParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *flatParser) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end reports whether only white space follows.
func (p *flatParser) end() bool {
	p.space()
	return p.i == len(p.b)
}

func (p *flatParser) value() (flatMember, bool) {
	if p.i >= len(p.b) {
		return flatMember{}, false
	}
	switch c := p.b[p.i]; {
	case c == '"':
		s, ok := p.str()
		return flatMember{kind: flatString, text: s}, ok
	case c == '-' || '0' <= c && c <= '9':
		s, ok := p.number()
		return flatMember{kind: flatNumber, text: s}, ok
	}
	for _, lit := range [...]struct {
		word string
		kind flatKind
	}{{"true", flatTrue}, {"false", flatFalse}, {"null", flatNull}} {
		if strings.HasPrefix(p.b[p.i:], lit.word) {
			p.i += len(lit.word)
			return flatMember{kind: lit.kind}, true
		}
	}
	return flatMember{}, false
}

// number accepts the JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *flatParser) number() (string, bool) {
	start := p.i
	p.eat('-')
	digits := func() int {
		n := 0
		for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.eat('0') {
		// a leading zero stands alone
	} else if digits() == 0 {
		return "", false
	}
	if p.eat('.') && digits() == 0 {
		return "", false
	}
	if p.eat('e') || p.eat('E') {
		if !p.eat('+') {
			p.eat('-')
		}
		if digits() == 0 {
			return "", false
		}
	}
	return p.b[start:p.i], true
}

// str reads a string: a string without escapes is a substring of the row,
// the escapes of JSON are decoded; a surrogate escape, a control character or invalid UTF-8
// are left to encoding/json.
func (p *flatParser) str() (string, bool) {
	if !p.eat('"') {
		return "", false
	}
	start := p.i
	ascii := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			if !ascii && !utf8.ValidString(s) {
				return "", false
			}
			return s, true
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		p.i++
	}
	return "", false
}

// escaped finishes a string that has escapes, begun at start.
func (p *flatParser) escaped(start int) (string, bool) {
	buf := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", false
			}
			return string(buf), true
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			return "", false
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if p.i+4 > len(p.b) {
				return "", false
			}
			var r rune
			for k := p.i; k < p.i+4; k++ {
				h := p.b[k]
				switch {
				case '0' <= h && h <= '9':
					r = r<<4 | rune(h-'0')
				case 'a' <= h && h <= 'f':
					r = r<<4 | rune(h-'a'+10)
				case 'A' <= h && h <= 'F':
					r = r<<4 | rune(h-'A'+10)
				default:
					return "", false
				}
			}
			if utf16.IsSurrogate(r) {
				return "", false
			}
			p.i += 4
			buf = utf8.AppendRune(buf, r)
		default:
			return "", false
		}
	}
	return "", false
}

package analyzer

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// Template is one of a team's reply templates, with placeholders such as
// {{name}}, [Customer Name] or %ORDER%.
type Template struct {
	Name string // shown in findings (the file name)
	Text string
}

// slotWord stands for a placeholder in a template's tokens.
const slotWord = "replylintslot"

// compiledTemplate is a template as token keys, slots marked.
type compiledTemplate struct {
	name     string
	keys     []string        // token keys; slotWord where a placeholder was
	shingles map[uint64]bool // 3-token shingles of the literal text
	slots    int
}

func init() { checks["template"] = checkTemplate }

// compileTemplates prepares the team's templates.
func (a *Analyzer) compileTemplates(ts []Template) error {
	for _, t := range ts {
		text, n := markSlots(t.Text)
		keys := a.words(text)
		ct := &compiledTemplate{name: t.Name, keys: keys, slots: n, shingles: shingles(keys)}
		if len(ct.shingles) < 3 {
			return fmt.Errorf("template %s: too short to recognise copies of it", t.Name)
		}
		a.templates = append(a.templates, ct)
	}
	return nil
}

// markSlots replaces the placeholders of a template's text by slotWord.
func markSlots(s string) (string, int) {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		end := placeholderAt(s, i, anyBrackets)
		if end > i {
			b.WriteString(" " + slotWord + " ")
			n++
			i = end - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), n
}

// anyBrackets takes any short bracketed text as a placeholder: in a
// template, [Anything] is a slot (angle brackets only as placeholderAngle
// says: <Enter> is a key, not a slot).
func anyBrackets(s string, i int) int {
	if s[i] != '[' {
		return 0
	}
	if c := strings.IndexByte(s[i:], ']'); c > 1 && c < 50 && !strings.ContainsAny(s[i:i+c], "\n") {
		return i + c + 1
	}
	return 0
}

// shingles hashes the runs of three consecutive literal tokens.
func shingles(keys []string) map[uint64]bool {
	out := map[uint64]bool{}
	for i := 0; i+3 <= len(keys); i++ {
		if keys[i] == slotWord || keys[i+1] == slotWord || keys[i+2] == slotWord {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(keys[i] + "\x00" + keys[i+1] + "\x00" + keys[i+2]))
		out[h.Sum64()] = true
	}
	return out
}

// checkTemplate flags a reply that is a near-copy of a team template whose
// placeholders were not personalised: a slot left empty, still a
// placeholder, or filled with a generic word ("customer").
func checkTemplate(p *Pass) {
	if len(p.a.templates) == 0 || len(p.Tokens) < 3 {
		return
	}
	keys := make([]string, len(p.Tokens))
	for i, tk := range p.Tokens {
		keys[i] = tokenKey(p.Text.Norm, tk, nil)
	}
	reply := shingles(keys)
	for _, t := range p.a.templates {
		shared := 0
		for h := range t.shingles {
			if reply[h] {
				shared++
			}
		}
		if float64(shared) < p.a.templateThreshold*float64(len(t.shingles)) || t.slots == 0 {
			continue
		}
		if first, last, ok := p.unfilledSlot(t, keys); ok {
			s, e := p.firstLineSpan()
			if first >= 0 {
				s, e = p.Text.OrigSpan(int(p.Tokens[first].Start), int(p.Tokens[last].End))
			}
			p.Report(nil, s, e, "")
			p.fill(map[string]string{"{template}": t.name})
			return
		}
	}
}

// unfilledSlot aligns the reply with the template around each slot and
// returns the reply tokens that fill the first slot left unpersonalised
// (first < 0 when the slot is empty).
func (p *Pass) unfilledSlot(t *compiledTemplate, keys []string) (first, last int, ok bool) {
	generic := p.phraseStarts("generic_addressee")
	pos := 0 // reply position after the previous anchor
	for i, k := range t.keys {
		if k != slotWord {
			continue
		}
		// Anchor on up to three literal tokens before the slot.
		var left []string
		for j := i - 1; j >= 0 && len(left) < 3 && t.keys[j] != slotWord; j-- {
			left = append([]string{t.keys[j]}, left...)
		}
		var right []string
		for j := i + 1; j < len(t.keys) && len(right) < 2 && t.keys[j] != slotWord; j++ {
			right = append(right, t.keys[j])
		}
		start := pos
		if len(left) > 0 {
			at := indexSeq(keys, left, pos)
			if at < 0 {
				continue // this part of the template was rewritten
			}
			start = at + len(left)
		}
		end := len(keys)
		if len(right) > 0 {
			if at := indexSeq(keys, right, start); at >= 0 && at-start <= 6 {
				end = at
			} else {
				continue
			}
		} else {
			end = min(start+1, len(keys))
		}
		pos = end
		if end == start {
			return -1, -1, true // the slot was left empty: "Hi ,"
		}
		filled := false
		for j := start; j < end; j++ {
			if keys[j] == slotWord {
				return start, end - 1, true
			}
			if _, ok := generic[j]; ok {
				return start, end - 1, true
			}
			if !p.a.stopwords[keys[j]] {
				filled = true
			}
		}
		if !filled {
			return start, end - 1, true
		}
	}
	return 0, 0, false
}

// indexSeq returns the first index ≥ from where seq occurs in s, or -1.
func indexSeq(s, seq []string, from int) int {
	for i := from; i+len(seq) <= len(s); i++ {
		match := true
		for j := range seq {
			if s[i+j] != seq[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

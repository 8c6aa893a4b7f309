// Package rules defines replylint's rule format, loads rule files, and
// embeds the built-in catalogue.
//
// A rule file is YAML, one language and one category per file:
//
//	lang: ru
//	category: deflection
//	rules:
//	  - id: deflection.not-my-responsibility
//	    title: Disowning the problem
//	    message: «Это не моя компетенция» снимает с вас ответственность.
//	    suggestion: Я вам помогу — …
//	    patterns:
//	      - это (не моя|не в моей) компетенц*
//	    exceptions:
//	      - это моя компетенц*
//	    examples:
//	      bad: [Это не моя компетенция.]
//	      good: [Это моя ответственность, я всё исправлю.]
//
// Structural checks (greeting, sign-off, placeholders...) are Go code in
// package analyzer; their rule entries name the check and their word lists
// are the file's phrases:
//
//	phrases:
//	  greeting: [здравствуйте, добрый (день|вечер|утро)]
//
// The pattern syntax is documented at ParsePattern.
package rules

import (
	"fmt"
	"slices"
	"strings"
)

// Severity is how serious a finding is.
type Severity string

// The severities, most serious first.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// ParseSeverity parses a severity name.
func ParseSeverity(s string) (Severity, error) {
	switch v := Severity(strings.ToLower(strings.TrimSpace(s))); v {
	case Error, Warning, Info:
		return v, nil
	}
	return "", fmt.Errorf("severity %q: want error, warning or info", s)
}

// Categories are the stable category ids, the public contract of the JSON
// output.
var Categories = []string{
	"deflection", "runaround", "policy-shield", "dismissive", "overpromise", "excuse",
	"canned", "unreachable", "courtesy", "personalization", "responsiveness", "relevance",
}

// IsCategory reports whether c is a category id.
func IsCategory(c string) bool { return slices.Contains(Categories, c) }

// DefaultSeverity is the severity of a category's rules unless a rule says
// otherwise.
func DefaultSeverity(category string) Severity {
	switch category {
	case "deflection", "runaround", "policy-shield", "dismissive":
		return Error
	}
	return Warning
}

// Rule is one rule in one language.
type Rule struct {
	ID         string
	Category   string
	Lang       string
	Severity   Severity
	Title      string
	Message    string
	Suggestion string
	Doc        string // longer explanation, shown by `replylint rules show`
	Since      string
	Check      string // name of a structural check; empty for a pattern rule
	SkipQuoted bool   // do not match inside quotation marks (for phrases that are only bad when said, not cited)
	Patterns   []Pattern
	Exceptions []Exception
	Examples   Examples
	Pos        Pos
}

// Pattern is a parsed pattern with its source.
type Pattern struct {
	Source string
	Pos    Pos
	node   *Node  // the parsed pattern, or nil while only tree is known
	tree   string // its prefix form in the built-in snapshot, checked at load
}

// NewPattern returns the pattern of source s, parsed as n, written at pos.
func NewPattern(s string, n *Node, pos Pos) Pattern {
	return Pattern{Source: s, Pos: pos, node: n}
}

// Node returns the parsed pattern. A pattern of the built-in catalogue is
// decoded from the snapshot on each call, so callers keep the result: most
// are never needed (their automata are stored compiled), and not building
// them saves start-up about 10 MB of nodes.
func (p Pattern) Node() *Node {
	if p.node != nil || p.tree == "" {
		return p.node
	}
	n, err := decodeTree(p.tree, true)
	if err != nil {
		// The snapshot's trees were checked when it was loaded.
		panic("rules: snapshot tree of " + p.Source + ": " + err.Error())
	}
	return n
}

// Exception cancels a match of its rule. With scope "match" (the default)
// the exception's own match must cover the rule's match; with "clause" it
// has to lie within one clause of the match (sentences split at commas,
// semicolons, colons and dashes: "if you can't reach us, call this number" cancels in
// its clause, not in the next one; an exception reaching across a comma
// needs "sentence"), with "sentence" it has to occur in the same
// sentence, with "message" anywhere in the message.
type Exception struct {
	Pattern
	Scope string
}

// Exception scopes.
const (
	ScopeMatch    = "match"
	ScopeClause   = "clause"
	ScopeSentence = "sentence"
	ScopeMessage  = "message"
)

// Examples are messages that a rule must flag (Bad) and must leave alone
// (Good); the loader's tests run them.
type Examples struct {
	Bad  []string
	Good []string
}

// Pos is a position in a rule file.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Phrase is one entry of a named phrase list.
type Phrase struct {
	Pattern
	Lang string
}

// Set is a loaded collection of rules and phrase lists.
type Set struct {
	Rules   []*Rule
	Phrases map[string][]Phrase // list name → phrases of every language
}

// Lookup returns the rules with the given id, one per language.
func (s *Set) Lookup(id string) []*Rule {
	var out []*Rule
	for _, r := range s.Rules {
		if r.ID == id {
			out = append(out, r)
		}
	}
	return out
}

// IDs returns the distinct rule ids, sorted.
func (s *Set) IDs() []string {
	var ids []string
	for _, r := range s.Rules {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Merge adds the rules and phrases of o to s. A rule whose id and language
// are already in s replaces the earlier one (user rules override built-ins).
func (s *Set) Merge(o *Set) {
	if s.Phrases == nil {
		s.Phrases = map[string][]Phrase{}
	}
	for _, r := range o.Rules {
		replaced := false
		for i, old := range s.Rules {
			if old.ID == r.ID && old.Lang == r.Lang {
				s.Rules[i] = r
				replaced = true
			}
		}
		if !replaced {
			s.Rules = append(s.Rules, r)
		}
	}
	for name, ps := range o.Phrases {
		s.Phrases[name] = append(s.Phrases[name], ps...)
	}
}

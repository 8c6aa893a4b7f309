package rules

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"yaml syntax", "lang: en\nrules:\n  - id: a.b\n    message: x: y\n", "f.yaml:4: mapping values are not allowed in this context"},
		{"unknown lang", "lang: de\nrules: []\n", `f.yaml:1: lang "de": want one of en, ar, fa, ru`},
		{"unknown key", "lang: en\ncategory: deflection\nrules:\n  - id: deflection.x\n    mesage: hi\n", `f.yaml:5: rule deflection.x: unknown key "mesage"`},
		{"bad id", "lang: en\ncategory: deflection\nrules:\n  - id: Deflection X\n", `f.yaml:4: rule Deflection X: id "Deflection X": want category.name`},
		{"id outside category", "lang: en\ncategory: deflection\nrules:\n  - id: excuse.x\n    message: m\n    suggestion: s\n    patterns: [a b]\n", `f.yaml:4: rule excuse.x: id must start with its category "deflection."`},
		{"no suggestion", "lang: en\ncategory: deflection\nrules:\n  - id: deflection.x\n    message: m\n    patterns: [a]\n", "f.yaml:4: rule deflection.x: suggestion is missing"},
		{"bad pattern", "lang: en\ncategory: deflection\nrules:\n  - id: deflection.x\n    message: m\n    suggestion: s\n    patterns:\n      - (not my\n", `f.yaml:8: rule deflection.x: patterns: pattern "(not my": at 7: missing )`},
		{"gap at end", "lang: en\ncategory: deflection\nrules:\n  - id: deflection.x\n    message: m\n    suggestion: s\n    patterns:\n      - not ~2 (my)?\n", `f.yaml:8: rule deflection.x: patterns: pattern "not ~2 my?" can start or end with a gap`},
		{"bad scope", "lang: en\ncategory: deflection\nrules:\n  - id: deflection.x\n    message: m\n    suggestion: s\n    patterns: [a]\n    exceptions:\n      - {pattern: b, scope: para}\n", `f.yaml:9: rule deflection.x: exceptions: scope "para"`},
		{"pattern cut by a comment", "lang: ru\ncategory: runaround\nrules:\n  - id: runaround.x\n    message: m\n    suggestion: s\n    patterns:\n      - позвоните по # #\n", `f.yaml:8: rule runaround.x: patterns "позвоните по" is followed by the comment "# #"`},
		{"bad severity", "lang: en\ncategory: deflection\nrules:\n  - id: deflection.x\n    severity: fatal\n", `f.yaml:5: rule deflection.x: severity "fatal"`},
		{"twice", "lang: en\ncategory: deflection\nrules:\n  - {id: deflection.x, message: m, suggestion: s, patterns: [a]}\n  - {id: deflection.x, message: m, suggestion: s, patterns: [a]}\n", "f.yaml:5: rule deflection.x: defined twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse: no error, want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse error = %q, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestParseRule(t *testing.T) {
	src := `lang: ru
category: deflection
phrases:
  greeting: [здравствуйте]
rules:
  - id: deflection.not-my-responsibility
    message: m
    suggestion: Я вам помогу
    patterns:
      - это (не моя|не в моей) компетенц*
    exceptions:
      - это моя компетенц*
      - {pattern: сам, scope: sentence}
    examples:
      bad: [Это не моя компетенция]
      good: [Это моя ответственность]
`
	set, err := Parse("ru.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Rules) != 1 {
		t.Fatalf("got %d rules, want 1", len(set.Rules))
	}
	r := set.Rules[0]
	if r.Lang != "ru" || r.Category != "deflection" || r.Severity != Error {
		t.Errorf("lang, category, severity = %s, %s, %s; want ru, deflection, error", r.Lang, r.Category, r.Severity)
	}
	if len(r.Patterns) != 1 || r.Patterns[0].Pos.Line != 10 {
		t.Errorf("patterns = %+v, want one at line 10", r.Patterns)
	}
	if len(r.Exceptions) != 2 || r.Exceptions[0].Scope != ScopeMatch || r.Exceptions[1].Scope != ScopeSentence {
		t.Errorf("exceptions = %+v", r.Exceptions)
	}
	if len(set.Phrases["greeting"]) != 1 || set.Phrases["greeting"][0].Lang != "ru" {
		t.Errorf("phrases = %+v", set.Phrases)
	}
}

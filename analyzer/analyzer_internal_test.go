package analyzer

import (
	"strings"
	"testing"

	"github.com/replylint/replylint/rules"
)

// TestExceptionScopes checks what each exception scope cancels: a clause
// exception only a match in its own clause, a sentence exception any in
// its sentence.
func TestExceptionScopes(t *testing.T) {
	rule := func(scope string) *Analyzer {
		t.Helper()
		set, err := rules.Parse("en.yaml", []byte(`lang: en
category: unreachable
rules:
  - id: unreachable.test
    message: m
    suggestion: s
    patterns: ["(can't|cannot) reach us"]
    exceptions:
      - {pattern: "if", scope: `+scope+`}
      - {pattern: "if you like ~3 reach", scope: `+scope+`}
`))
		if err != nil {
			t.Fatal(err)
		}
		a, err := New(set, Config{})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	tests := []struct {
		scope, text string
		want        int
	}{
		{"clause", "If you can't reach us, call this number.", 0},
		{"clause", "If you need help, you can't reach us by phone.", 1},
		{"clause", "If you need help: you can't reach us by phone.", 1},
		{"clause", "إذا احتجت مساعدة، you can't reach us by phone.", 1},
		{"clause", "If needed. You can't reach us by phone.", 1},
		{"clause", "If you like, you can't reach us by phone.", 1},
		{"sentence", "If you need help, you can't reach us by phone.", 0},
		{"sentence", "If needed. You can't reach us by phone.", 1},
		{"sentence", "If needed; you can't reach us by phone.", 0},
		{"clause", "If needed; you can't reach us by phone.", 1},
		{"clause", "إذا احتجت؛ you can't reach us by phone.", 1},
		{"match", "If you can't reach us, call this number.", 1},
		{"message", "If needed. You can't reach us by phone.", 0},
	}
	for _, tt := range tests {
		if got := len(rule(tt.scope).Run(Document{Text: tt.text, Kind: KindText})); got != tt.want {
			t.Errorf("scope %s, %q: %d findings, want %d", tt.scope, tt.text, got, tt.want)
		}
	}
}

// TestMarkSlots checks which parts of a team template are slots: brackets
// and braces are, a key name in angle brackets is text.
func TestMarkSlots(t *testing.T) {
	got, n := markSlots("Press <Enter>, then reply to [Name] by {{date}}.")
	if n != 2 || !strings.Contains(got, "Enter") || !strings.Contains(got, "reply") {
		t.Errorf("markSlots = %q, %d slots; want <Enter> and the words after it kept, 2 slots", got, n)
	}
}

package analyzer

import (
	"strings"
	"testing"
)

// TestExceptionScopes checks what each exception scope cancels: a clause
// exception only a match in its own clause, a sentence exception any in
// its sentence.
func TestExceptionScopes(t *testing.T) {
	rule := func(scope string) string {
		return `lang: en
category: unreachable
rules:
  - id: unreachable.test
    message: m
    suggestion: s
    patterns: ["(can't|cannot) reach us"]
    exceptions:
      - {pattern: "if", scope: ` + scope + `}
      - {pattern: "if you like ~3 reach", scope: ` + scope + `}
      - {pattern: "reach us ~3 anyway", scope: ` + scope + `}
`
	}
	for scope, cases := range map[string][]countCase{
		"clause": {
			{"If you can't reach us, call this number.", 0},
			{"If you need help, you can't reach us by phone.", 1},
			{"If you need help: you can't reach us by phone.", 1},
			{"إذا احتجت مساعدة، you can't reach us by phone.", 1},
			{"If needed. You can't reach us by phone.", 1},
			{"If you like, you can't reach us by phone.", 1},
			{"You can't reach us, anyway.", 1}, // the exception leaves the match's clause
			{"If needed; you can't reach us by phone.", 1},
			{"إذا احتجت؛ you can't reach us by phone.", 1},
		},
		"sentence": {
			{"If you need help, you can't reach us by phone.", 0},
			{"If needed. You can't reach us by phone.", 1},
			{"If needed; you can't reach us by phone.", 0},
			{"You can't reach us, anyway.", 0},
		},
		"match":   {{"If you can't reach us, call this number.", 1}},
		"message": {{"If needed. You can't reach us by phone.", 0}},
	} {
		t.Run(scope, func(t *testing.T) { wantFindings(t, testAnalyzer(t, rule(scope)), cases) })
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

// TestAnchor checks that a ^ pattern starts only at the start of a clause,
// with the lookahead pruning and without it.
func TestAnchor(t *testing.T) {
	a := testAnalyzer(t, `lang: en
category: dismissive
rules:
  - id: dismissive.test
    message: m
    suggestion: s
    patterns: ["^ (just)? read (it|the faq)|did you even read", "(^ go|try) google it"]
`)
	cases := []countCase{
		{"Read it.", 1},
		{"It's in the FAQ, read it.", 1},
		{"It's in the FAQ. Just read the FAQ!", 1},
		{"It's in the FAQ - read it.", 1},
		{"It's in the FAQ: read it.", 1},
		{"I've read it.", 0},
		{"Please read it and tell me what you think.", 0},
		{"I read it twice, and did you even read my reply?", 1},
		{"Go google it.", 1},
		{"I go google it every time.", 0}, // ^ inside a group at the start
		{"I try google it.", 1},
	}
	wantFindings(t, a, cases)
	a.setLookahead(false)
	wantFindings(t, a, cases)
}

package analyzer

import "testing"

const typoRules = `lang: en
category: deflection
rules:
  - id: deflection.test
    message: not yours
    suggestion: own it
    patterns: ["not my responsibility", "not (in)? my (competence|remit)", "escalat* elsewhere", "no accountability", "no compliment", "the complement"]
`

const typoRulesRu = `lang: ru
category: deflection
rules:
  - id: deflection.test-ru
    message: не ваше
    suggestion: возьмите на себя
    patterns: ["не в моей компетенц*", "не моя обязанность", "полная гарантия"]
`

// TestTypos checks that a long word read with one vowel substituted
// matches its pattern word or stem, and that the first letter, the last
// two, short words and pattern words themselves are read as written.
func TestTypos(t *testing.T) {
	a := testAnalyzer(t, typoRules, typoRulesRu)
	tests := []struct {
		text string
		want bool
	}{
		{"That is not my responsability.", true},  // i → a inside the word
		{"That is not my responsebility.", true},  // i → e
		{"This is not in my competance.", true},   // e → a
		{"We escalate elsewhare.", true},          // stem and word: "elsewhare" e → a
		{"Escilating elsewhere.", true},           // inside the stem escalat*
		{"Это не в моей компитенции.", true},      // е → и inside the stem
		{"Это не моя абязанность.", false},        // the first letter stays
		{"That is not my responsibilite.", false}, // the last two letters stay
		{"Это полная гарэнтия.", true},            // а → э
		{"Это полная гарантыя.", false},           // the last two letters stay
		{"Это полная гарантию.", false},           // another case is not a typo
		{"That is not my remet.", false},          // a short word stays
		{"No accountability here.", true},         // the word itself
		{"No accauntability here.", true},         // o → a
		{"Not my responsibility, I will fix it.", true},
		{"That is not my responsibly.", false}, // a deletion is not a substitution
		{"No compliment.", true},
		{"No complement.", false}, // a pattern word of its own is not misspelt
	}
	for _, tt := range tests {
		got := len(a.Run(Document{Text: tt.text, Kind: KindText})) > 0
		if got != tt.want {
			t.Errorf("%q: finding %v, want %v", tt.text, got, tt.want)
		}
	}
}

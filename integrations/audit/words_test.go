package audit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFoldASCII checks the ASCII fast path of words against the unicode
// tables, byte by byte: the only place the two paths differ.
func TestFoldASCII(t *testing.T) {
	for c := range byte(utf8.RuneSelf) {
		if got, want := foldASCII(c), foldRune(rune(c)); got != want {
			t.Errorf("foldASCII(%q) = %d, want %d", c, got, want)
		}
	}
}

func TestPhrase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"That's  NOT my\n job.", "that's not my job"},
		{"  «Это не моя компетенция»  ", "это не моя компетенция"},
		{"هذه ليست مسؤوليتي!", "هذه ليست مسؤوليتي"},
		{strings.Repeat("ab ", 40), strings.TrimSpace(strings.Repeat("ab ", 40))[:80] + "…"},
		{strings.Repeat("abc ", 30), strings.Repeat("abc ", 20) + "…"}, // the 80th character is a space
		{"— Not\tmy  job —", "not my job"},
		{strings.Repeat("я", 81), strings.Repeat("я", 80) + "…"},
		{strings.Repeat("я", 80), strings.Repeat("я", 80)},
	}
	for _, tt := range tests {
		if got := phrase(tt.in); got != tt.want {
			t.Errorf("phrase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

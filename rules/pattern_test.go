package rules

import "testing"

func TestParsePattern(t *testing.T) {
	tests := []struct{ in, want string }{
		{"not my job", "not my job"},
		{"это (не моя|не в моей) компетенц*", "это (не моя|не в моей) компетенц*"},
		{"(really)? not ~2 job", "really? not ~2 job"},
		{"a|b c", "a|b c"},
		{"nothing _ do", "nothing _ do"},
		{"(a b)? c", "(a b)? c"},
		{"call us on #", "call us on #"},
		{"^ read it", "^ read it"},
		{"^ read it|did you read", "^ read it|did you read"},
		{"(^ just|go) google it", "(^ just|go) google it"},
		{"(^) foo", "^ foo"},
	}
	for _, tt := range tests {
		n, err := ParsePattern(tt.in)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", tt.in, err)
			continue
		}
		if got := n.String(); got != tt.want {
			t.Errorf("ParsePattern(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "(a|b", "a)", "~ a", "a ~", "_ a", "a?", "(a|)", "x*", "a ~17 b", "?a", "(a? b?)", "a ~2 b?", "a? ~ b", "a (~2|b)", "a / b", "a (,|b)", "call 0*",
		"^", "read ^ it", "^ ~2 it", "a (^ b)", "(^ a)? b", "^? a", "(^ a|b)? c", "^ _ it", "(^|x) foo", "^|foo"} {
		if _, err := ParsePattern(bad); err == nil {
			t.Errorf("ParsePattern(%q): want an error", bad)
		}
	}
}

func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{"not my job", "(a|b c)? d* ~2 e", "_", "((((a))))", "a|b|c", "~8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParsePattern(s)
		if err != nil {
			return
		}
		// What parses must print back to something that parses the same.
		again, err := ParsePattern(n.String())
		if err != nil {
			t.Fatalf("ParsePattern(%q) ok, but its String %q does not parse: %v", s, n.String(), err)
		}
		if again.String() != n.String() {
			t.Fatalf("round trip of %q: %q != %q", s, again.String(), n.String())
		}
	})
}

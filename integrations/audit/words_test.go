package audit

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// wordsReference is words written plainly, rune by rune through the
// unicode tables: the fast path must agree with it.
func wordsReference(s string) []uint64 {
	var out []uint64
	var h uint64
	in := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			r = unicode.ToLower(r)
		case unicode.IsDigit(r):
			r = '0'
		default:
			if in {
				out = append(out, splitmix(h))
				in = false
			}
			continue
		}
		if !in {
			h, in = 14695981039346656037, true
		}
		h = (h ^ uint64(r)) * 1099511628211
	}
	if in {
		out = append(out, splitmix(h))
	}
	return out
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"", "Order #12345 shipped", "Заказ № 42 ОТПРАВЛЕН", "طلبك رقم ١٢٣ في الطريق", "سفارش‌تان ۴۵ ارسال شد", "a\xffb", "ÀÉÎ dé-jà vu"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := words(s), wordsReference(s); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %v, want %v", s, got, want)
		}
	})
}

func TestPhrase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"That's  NOT my\n job.", "that's not my job"},
		{"  «Это не моя компетенция»  ", "это не моя компетенция"},
		{"هذه ليست مسؤوليتي!", "هذه ليست مسؤوليتي"},
		{strings.Repeat("ab ", 40), strings.TrimSpace(strings.Repeat("ab ", 40))[:80] + "…"},
		{strings.Repeat("я", 81), strings.Repeat("я", 80) + "…"},
		{strings.Repeat("я", 80), strings.Repeat("я", 80)},
	}
	for _, tt := range tests {
		if got := phrase(tt.in); got != tt.want {
			t.Errorf("phrase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package analyzer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"english case and quotes", "That’s NOT “my” job", `that's not "my" job`},
		{"ligature and width (NFKC)", "ﬁle ＡＢＣ", "file abc"},
		{"russian yo and case", "ЕЩЁ Всё", "еще все"},
		{"russian guillemets", "«Это не моя компетенция»", `"это не моя компетенция"`},
		{"arabic diacritics and tatweel", "مَسْؤُولِيَّتِي مســؤولية", "مسووليتي مسووليه"},
		{"arabic alef forms", "أنا إلى آخر", "انا الي اخر"},
		{"arabic alef maqsura and ta marbuta", "على مسؤولية", "علي مسووليه"},
		{"persian ye and kaf unified", "یک کار", "يك كار"},
		{"arabic-keyboard persian", "يك كار", "يك كار"},
		{"zwnj is a space", "می\u200cخواهم", "مي خواهم"},
		{"persian digits", "۱۴۰۲ و ١٢٣", "1402 و 123"},
		{"arabic comma and question mark", "نعم، لماذا؟", "نعم, لماذا?"},
		{"dashes and ellipsis", "a — b – c…", "a - b - c..."},
		{"bidi marks dropped", "a\u200fb\u200ec", "abc"},
		{"nbsp is a space", "a\u00a0b", "a b"},
		{"german sharp s folds", "Straße", "strasse"},
		{"presentation forms", "ﻻ", "لا"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got.Norm != tt.want {
				t.Errorf("Normalize(%q).Norm = %q, want %q", tt.in, got.Norm, tt.want)
			}
			checkOffsets(t, got)
		})
	}
}

// checkOffsets verifies the offset map: one entry per normalised byte plus
// one, never decreasing, every entry on a rune boundary of the original.
func checkOffsets(t *testing.T, x *Text) {
	t.Helper()
	if len(x.off) != len(x.Norm)+1 {
		t.Fatalf("len(off) = %d, want %d", len(x.off), len(x.Norm)+1)
	}
	if int(x.off[len(x.Norm)]) != len(x.Orig) {
		t.Fatalf("off[end] = %d, want %d", x.off[len(x.Norm)], len(x.Orig))
	}
	starts := runeStarts(x.Orig)
	for i, o := range x.off {
		if i > 0 && o < x.off[i-1] {
			t.Fatalf("off[%d] = %d < off[%d] = %d", i, o, i-1, x.off[i-1])
		}
		if !starts[int(o)] {
			t.Fatalf("off[%d] = %d is not on a rune boundary of %q", i, o, x.Orig)
		}
	}
}

// runeStarts returns the offsets where a rune starts when s is decoded as
// range does (an invalid byte is one U+FFFD), plus len(s).
func runeStarts(s string) map[int]bool {
	m := map[int]bool{len(s): true}
	for i := range s {
		m[i] = true
	}
	return m
}

// TestOrigSpanRoundTrip checks, per language, that the span of a word in
// the normalised text maps back to that word in the original.
func TestOrigSpanRoundTrip(t *testing.T) {
	tests := []struct{ text, word, wantOrig string }{
		{"Well, THAT’S not my job.", "that's", "THAT’S"},
		{"Это НЕ МОЯ компетенция, увы", "компетенция", "компетенция"},
		{"Ещё раз: всё готово", "еще", "Ещё"},
		{"هذه ليست مسؤوليتي أبداً", "مسووليتي", "مسؤوليتي"},
		{"هـــذه ليست مَسْؤُولِيَّتِي", "مسووليتي", "مَسْؤُولِيَّتِي"},
		{"این مسئولیت من نیست", "مسيوليت", "مسئولیت"},
		{"من نمی\u200cخواهم", "نمي خواهم", "نمی\u200cخواهم"},
		{"Straße ist zu", "strasse", "Straße"},
	}
	for _, tt := range tests {
		x := Normalize(tt.text)
		i := strings.Index(x.Norm, tt.word)
		if i < 0 {
			t.Errorf("%q: normalised %q has no %q", tt.text, x.Norm, tt.word)
			continue
		}
		s, e := x.OrigSpan(i, i+len(tt.word))
		if got := tt.text[s:e]; got != tt.wantOrig {
			t.Errorf("%q: OrigSpan(%q) = %q, want %q", tt.text, tt.word, got, tt.wantOrig)
		}
	}
}

func TestTokenizePersianJoins(t *testing.T) {
	for _, in := range []string{"نمی\u200cخواهم", "نمی خواهم", "نمیخواهم", "نمي خواهم"} {
		x := Normalize(in)
		paras := []paragraph{{0, len(x.Norm), "fa"}}
		toks := tokenize(x.Norm, paras, nil)
		if len(toks) != 1 || tokenKey(x.Norm, toks[0], nil) != "نميخواهم" {
			var keys []string
			for _, tk := range toks {
				keys = append(keys, tokenKey(x.Norm, tk, nil))
			}
			t.Errorf("tokens of %q = %q, want [نميخواهم]", in, keys)
		}
	}
	// Arabic "أي" (any) must not be glued to the word before it.
	x := Normalize("في أي وقت")
	toks := tokenize(x.Norm, []paragraph{{0, len(x.Norm), "ar"}}, nil)
	if len(toks) != 3 {
		t.Errorf("Arabic tokens = %d, want 3", len(toks))
	}
}

func TestTokenizeNumbers(t *testing.T) {
	x := Normalize("Refunded 100% (£100.50), call 0800-555 or ۱۰۰٪ today.")
	var keys []string
	for _, tk := range tokenize(x.Norm, splitParagraphs(x.Norm, nil), nil) {
		keys = append(keys, tokenKey(x.Norm, tk, nil))
	}
	want := "refunded 100% 100.50 call 0800-555 or 100% today"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("tokens = %q, want %q", got, want)
	}
}

func TestTokenizeSentences(t *testing.T) {
	x := Normalize("Hi Anna,\nthe price is 3.5 euros. Not my job! Really\n\nNew para")
	toks := tokenize(x.Norm, splitParagraphs(x.Norm, nil), nil)
	got := map[string]int32{}
	for _, tk := range toks {
		got[x.Norm[tk.Start:tk.End]] = tk.Sentence
	}
	if _, ok := got["3.5"]; !ok {
		t.Errorf("a decimal number was split: %v", got)
	}
	if got["hi"] == got["the"] {
		t.Errorf("a short greeting line did not end its sentence")
	}
	if got["euros"] == got["not"] || got["job"] == got["really"] || got["really"] == got["new"] {
		t.Errorf("sentence breaks wrong: %v", got)
	}
}

func TestTokenizeQuotes(t *testing.T) {
	tests := []struct{ text, want string }{
		// The quoted words, space-separated.
		{`You wrote 'as I already explained' and you had.`, "as i already explained"},
		{"You wrote ‘as I said’, twice.", "as i said"},
		{`She said «не моя компетенция» и ушла.`, "не моя компетенция"},
		{`It's the customers' orders, don't worry.`, ""},
		{`'Cause we're busy, it's late.`, ""},
		{"An 'open quote\non the next line' is none.", ""},
		{`Rock 'n' roll.`, "n"},
	}
	for _, tt := range tests {
		x := Normalize(tt.text)
		var got []string
		for _, tk := range tokenize(x.Norm, splitParagraphs(x.Norm, nil), nil) {
			if tk.Quoted {
				got = append(got, x.Norm[tk.Start:tk.End])
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("quoted words of %q = %q, want %q", tt.text, g, tt.want)
		}
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Thanks for reaching out, I will help you.", "en"},
		{"Спасибо за обращение, я вам помогу.", "ru"},
		{"شكراً لتواصلك، سأساعدك في ذلك.", "ar"},
		{"هلا نورة، مشكورة على تواصلك. هذي مشكلة في جوالك.", "ar"},
		{"ممنون از پیام شما، کمکتان می‌کنم.", "fa"},
		{"سلام، ممنون از صبرت! لینکش به زودی برات میاد.", "fa"},
		{"سلام خانم كاظمي، ممنون از پيامتون. من فقط كارشناس پذيرش هستم.", "fa"}, // Arabic keyboard
	}
	for _, tt := range tests {
		if got := prepare(tt.text, "").lang; got != tt.want {
			t.Errorf("detectLang(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]string{"fa-IR": "fa", "ar_EG": "ar", "RU": "ru", "ru-RU": "ru", "en-GB": "en", "auto": "", "": ""} {
		got, err := ParseLang(in)
		if err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"de", "xx-!!", "klingon"} {
		if _, err := ParseLang(bad); err == nil {
			t.Errorf("ParseLang(%q): want an error", bad)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "That’s not my job", "هـــذه ليست مَسْؤُولِيَّتِي", "می\u200cخواهم", "ЁЖ", "ﬁ\u0301", "\xff\xfe", "e\u0301\u0327", "ß\u0345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x := Normalize(s)
		checkOffsets(t, x)
		paras := splitParagraphs(x.Norm, nil)
		for _, tk := range tokenize(x.Norm, paras, nil) {
			if tk.Start < 0 || tk.End > int32(len(x.Norm)) || tk.Start >= tk.End {
				t.Fatalf("bad token %+v in %q", tk, x.Norm)
			}
			os, oe := x.OrigSpan(int(tk.Start), int(tk.End))
			if os < 0 || oe > len(s) || os > oe {
				t.Fatalf("OrigSpan(%d,%d) = %d,%d outside %d", tk.Start, tk.End, os, oe, len(s))
			}
			if starts := runeStarts(s); !starts[os] || !starts[oe] {
				t.Fatalf("OrigSpan not on rune boundaries: %d,%d in %q", os, oe, s)
			}
		}
	})
}

func TestTokenizeAbbreviations(t *testing.T) {
	for _, in := range []string{"Dear Mrs. Jackson, hello", "Уважаемый г. Петров, здравствуйте", "Hi Dr. Who"} {
		x := Normalize(in)
		toks := tokenize(x.Norm, splitParagraphs(x.Norm, nil), nil)
		if toks[0].Sentence != toks[len(toks)-1].Sentence {
			t.Errorf("%q: the abbreviation's full stop ended the sentence", in)
		}
	}
}

// normalizeReference is the plain definition: every NFKC segment through
// the NFKC machinery, then the folds. Normalize must agree with it.
func normalizeReference(s string) (string, []int32) {
	var buf []byte
	var off []int32
	i := 0
	for i < len(s) {
		end := i + norm.NFKC.NextBoundaryInString(s[i:], true)
		if end <= i {
			end = len(s)
		}
		for _, r := range norm.NFKC.String(s[i:end]) {
			out := foldRune(r)
			if r < utf8.RuneSelf {
				out = ""
				if m := asciiFold[r]; m != 0 {
					out = string(m)
				}
			}
			buf = append(buf, out...)
			for range len(out) {
				off = append(off, int32(i))
			}
		}
		i = end
	}
	return string(buf), append(off, int32(len(s)))
}

func FuzzNormalizeReference(f *testing.F) {
	for _, s := range []string{"e\u0301", "café", "أَحْمَد", "ﻻ", "ﬁle", "ﬀ\u0301", "\u06c1\u0654", "Ё\u0308", "a\u0327\u0301", "ハ\u3099", "\xff", "می\u200cخواهم"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		want, wantOff := normalizeReference(s)
		if got.Norm != want {
			t.Fatalf("Normalize(%q) = %q, reference %q", s, got.Norm, want)
		}
		// Offsets may differ inside one NFKC segment (the fast path maps a
		// rune to itself, the reference to its segment's start), but both
		// must map every normalised byte into the same original rune range.
		if len(got.off) != len(wantOff) {
			t.Fatalf("offset maps differ in length for %q", s)
		}
	})
}

func TestTokenizeLegalAbbreviations(t *testing.T) {
	for _, in := range []string{"Согласно п. 4.2 договора возврат не производится", "по ст. 26.1 Закона о защите прав потребителей"} {
		x := Normalize(in)
		toks := tokenize(x.Norm, splitParagraphs(x.Norm, nil), nil)
		if toks[0].Sentence != toks[len(toks)-1].Sentence {
			t.Errorf("%q: the abbreviation's full stop ended the sentence", in)
		}
	}
}

package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/replylint/replylint/rules"
)

// matchesOf runs the automaton over text and returns its raw matches.
func matchesOf(a *Analyzer, text string) []match {
	pr := prepare(text, "")
	var out []match
	a.match(pr.text.Norm, pr.toks, pr.paras, new(scratch), func(m match) { out = append(out, m) })
	slices.SortFunc(out, func(x, y match) int {
		if x.pat != y.pat {
			return int(x.pat - y.pat)
		}
		if x.start != y.start {
			return int(x.start - y.start)
		}
		return int(x.end - y.end)
	})
	return slices.Compact(out)
}

// TestLookaheadNeutral checks that pruning states by the next word changes
// no match, over every testdata message.
func TestLookaheadNeutral(t *testing.T) {
	a := newBuiltin(t, Config{})
	files, _ := filepath.Glob("../testdata/*/*.txt")
	clean, _ := filepath.Glob("../testdata/*/clean/*.txt")
	want := regexp.MustCompile(` // want.*`)
	n := 0
	for _, f := range append(files, clean...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := want.ReplaceAllString(string(b), "")
		a.setLookahead(true)
		pruned := matchesOf(a, text)
		a.setLookahead(false)
		full := matchesOf(a, text)
		a.setLookahead(true)
		if !slices.Equal(pruned, full) {
			t.Errorf("%s: lookahead changed the matches: %d pruned, %d full", f, len(pruned), len(full))
		}
		n += len(full)
	}
	if n == 0 {
		t.Fatal("no matches at all: the test proves nothing")
	}
}

// setLookahead turns the next-word pruning of every automaton on or off.
func (a *Analyzer) setLookahead(on bool) {
	for s := range a.autos {
		for _, au := range []*automaton{a.autos[s].get(), a.custAutos[s].get()} {
			if au != nil {
				au.noLookahead = !on
			}
		}
	}
}

// TestCrossScriptWords checks that a pattern word in another script than
// its rule file's language still matches: automata are per script, but a
// Persian rule may quote an English word and an English list an Arabic one.
func TestCrossScriptWords(t *testing.T) {
	a := testAnalyzer(t, `lang: fa
category: unreachable
rules:
  - id: unreachable.test
    title: t
    message: m
    suggestion: s
    patterns: ["(email|ايميل) (نزنید|نفرستید)"]
`, `lang: en
category: dismissive
rules:
  - id: dismissive.test
    title: t
    message: m
    suggestion: s
    patterns: ["calm down ya (habibi|حبيبي)"]
`)
	for _, tt := range []struct{ text, want string }{
		{"لطفا email نزنید", "unreachable.test"},
		{"لطفا ایمیل نفرستید", "unreachable.test"},
		{"calm down ya حبيبي", "dismissive.test"},
		{"calm down ya habibi", "dismissive.test"},
	} {
		var got []string
		for _, f := range a.Run(Document{Text: tt.text, Kind: KindText}) {
			got = append(got, f.Rule)
		}
		if !slices.Contains(got, tt.want) {
			t.Errorf("%q: findings %v, want %s", tt.text, got, tt.want)
		}
	}
}

// TestNewChecksWords checks that New, which leaves compiling to the first
// use of a script, still reports a word that normalises to nothing.
func TestNewChecksWords(t *testing.T) {
	set, err := rules.Parse("ar.yaml", []byte("lang: ar\ncategory: excuse\nrules:\n  - {id: excuse.test, message: m, suggestion: s, patterns: [\"ظروف ـــ\"]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(set, Config{})
	if err == nil || !strings.Contains(err.Error(), "has no letters or digits") || !strings.Contains(err.Error(), "ar.yaml:4") {
		t.Fatalf("New = %v, want ar.yaml:4: ... has no letters or digits", err)
	}
}

// FuzzCompilePattern checks that a pattern the rules package accepts and
// New's word check passes always compiles: automata are compiled after New
// returns, where a failure could only panic.
func FuzzCompilePattern(f *testing.F) {
	for _, s := range []string{"not my job", "(a|b c)? d", "не ~2 компетенц*", "x _ y", "# %", "نمی تونم", "a ~3 b?", "(x?)? y", "ـ z", "^ read it|did you", "(^ a|b) c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := rules.ParsePattern(src)
		if err != nil {
			return
		}
		var buf []byte
		var off []int32
		if _, ok := wordWithoutLetters(n, &buf, &off); !ok {
			return
		}
		for _, lang := range []string{"en", "fa"} {
			if _, err := compileScript([]patJob{{pat: rules.NewPattern(src, n, rules.Pos{}), info: patInfo{lang: lang, src: src}}}); err != nil {
				t.Fatalf("%q (%s) passed the checks but does not compile: %v", src, lang, err)
			}
		}
	})
}

// TestWordCacheFull checks that a text whose new words fill the word cache
// matches as with an empty cache: the cache must not start afresh while the
// text's words point into it.
func TestWordCacheFull(t *testing.T) {
	a := newBuiltin(t, Config{})
	matches := func(sc *scratch, text string) []match {
		pr := prepare(text, "")
		var out []match
		a.match(pr.text.Norm, pr.toks, pr.paras, sc, func(m match) { out = append(out, m) })
		return out
	}
	// Fill the worker's cache nearly up with made-up words.
	sc := new(scratch)
	var b strings.Builder
	for i := range maxCachedWords - 5 {
		fmt.Fprintf(&b, "w%d ", i)
	}
	matches(sc, b.String())
	text := "That's not my job. I can't help, contact the billing department yourself."
	got := matches(sc, text)
	want := matches(new(scratch), text)
	if len(want) == 0 {
		t.Fatal("no matches: the test proves nothing")
	}
	if !slices.Equal(got, want) {
		t.Errorf("with a full cache: %v\nwant %v", got, want)
	}
}

package analyzer

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/replylint/replylint/rules"
)

var updateAutomata = flag.Bool("update", false, "rewrite builtin.automata from the built-in catalogue")

// builtinLazies are the lazy automata of a that have patterns.
func builtinLazies(a *Analyzer) []*lazyAutomaton {
	var ls []*lazyAutomaton
	for _, autos := range []*[numScripts]lazyAutomaton{&a.autos, &a.custAutos} {
		for s := range autos {
			if len(autos[s].jobs) > 0 {
				ls = append(ls, &autos[s])
			}
		}
	}
	return ls
}

// TestBuiltinAutomata checks that builtin.automata holds what the built-in
// catalogue compiles to now, that New finds every entry, and that a
// decoded automaton matches as the compiled one does.
// After editing the catalogue or the compiler, run:
// go test ./analyzer -run TestBuiltinAutomata -update
func TestBuiltinAutomata(t *testing.T) {
	a := newBuiltin(t, Config{})
	lazies := builtinLazies(a)
	var file []byte
	compiled := make([]*automaton, len(lazies))
	for i, l := range lazies {
		c, err := compileScript(l.jobs)
		if err != nil {
			t.Fatal(err)
		}
		compiled[i] = c
		file = appendAutomata(file, fingerprint(l.jobs), c)
	}
	if *updateAutomata {
		if err := os.WriteFile("builtin.automata", file, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(file) != builtinAutomata {
		t.Fatal("builtin.automata is not what the catalogue compiles to: run go test ./analyzer -run TestBuiltinAutomata -update")
	}
	pr := prepare(stageText(t), "")
	for i, l := range lazies {
		if l.snap == "" {
			t.Fatalf("New found no stored automaton for the %d patterns of script %d", len(l.jobs), i)
		}
		d, err := decodeAutomaton(l.snap, len(a.pats))
		if err != nil {
			t.Fatal(err)
		}
		if string(d.encode()) != l.snap {
			t.Errorf("%v: decoding and encoding again changed it", d)
		}
		// The same matches, over every testdata message.
		run := func(au *automaton) []match {
			var out []match
			var wc wordCache
			au.run(pr.text.Norm, pr.toks, pr.paras, &wc, new(scratch), func(m match) { out = append(out, m) })
			return out
		}
		want, got := run(compiled[i]), run(d)
		if !slices.Equal(got, want) {
			t.Errorf("%v: %d matches decoded, %d compiled", d, len(got), len(want))
		}
		if i == 0 && len(want) == 0 {
			t.Fatal("no match at all: the comparison proves nothing")
		}
	}
}

// TestAutomataOtherPatterns checks that another set of patterns than the
// stored ones is compiled, not read stale, and that a config that turns
// rules off still reads them (their matches are dropped).
func TestAutomataOtherPatterns(t *testing.T) {
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// The first rule with patterns gone, every later pattern has another
	// place.
	first := slices.IndexFunc(set.Rules, func(r *rules.Rule) bool { return len(r.Patterns) > 0 })
	fewer := &rules.Set{Rules: slices.Delete(slices.Clone(set.Rules), first, first+1), Phrases: set.Phrases}
	const text = "That's not my department. Calm down, it is a simple fix."
	for _, tt := range []struct {
		name   string
		set    *rules.Set
		cfg    Config
		stored bool
	}{
		{"deflection disabled", set, Config{Disable: []string{"deflection"}}, true},
		{"dismissive only", set, Config{Enable: []string{"dismissive"}}, true},
		{"one rule fewer", fewer, Config{}, false},
	} {
		a, err := New(tt.set, tt.cfg)
		if err != nil {
			t.Fatal(err)
		}
		for s := range a.autos {
			if l := &a.autos[s]; len(l.jobs) > 0 && (l.snap != "") != tt.stored {
				t.Errorf("%s: script %d read stored automaton: %v, want %v", tt.name, s, l.snap != "", tt.stored)
			}
		}
		got := a.Run(Document{Text: text, Kind: KindChat})
		deflection := slices.ContainsFunc(got, func(f Finding) bool { return f.Category == "deflection" })
		dismissive := slices.ContainsFunc(got, func(f Finding) bool { return f.Category == "dismissive" })
		if want := tt.cfg.Disable == nil && tt.cfg.Enable == nil; deflection != want || !dismissive {
			t.Errorf("%s: findings %v: want dismissive, deflection %v", tt.name, got, want)
		}
		if ex := a.Explain(Document{Text: text, Kind: KindChat}); tt.stored {
			for _, m := range ex.Matches {
				if strings.HasPrefix(m.Owner, "deflection.") {
					t.Errorf("%s: Explain shows a match of a disabled rule: %+v", tt.name, m)
				}
			}
		}
	}
}

// snapshotTestRules make a small automaton with each kind of position:
// alternations, a gap, an anchor, a number, a stem, any word.
const snapshotTestRules = `lang: en
category: dismissive
rules:
  - id: dismissive.test
    title: t
    message: m
    suggestion: s
    patterns: ["calm (down|it) ~2 please", "^ (no|nope) #", "not my depart*", "sorry _ _ (again|#)"]
`

// TestDecodeAutomatonTruncated checks that every cut of a stored automaton
// is an error, not a panic or an automaton.
func TestDecodeAutomatonTruncated(t *testing.T) {
	a := testAnalyzer(t, snapshotTestRules)
	data := string(a.autos[scriptLatin].get().encode())
	if _, err := decodeAutomaton(data, len(a.pats)); err != nil {
		t.Fatal(err)
	}
	for n := range len(data) {
		if _, err := decodeAutomaton(data[:n], len(a.pats)); err == nil {
			t.Errorf("decoded the first %d of %d bytes", n, len(data))
		}
	}
	if _, err := decodeAutomaton(data, 0); err == nil {
		t.Error("decoded an automaton whose patterns the analyzer does not have")
	}
}

// FuzzDecodeAutomaton decodes arbitrary bytes: an error or an automaton
// whose every index is in range (a run over text then cannot panic).
func FuzzDecodeAutomaton(f *testing.F) {
	a := testAnalyzer(f, snapshotTestRules)
	f.Add(string(a.autos[scriptLatin].get().encode()))
	pr := prepare("Calm down please. No 12 — not my department, sorry.", "")
	f.Fuzz(func(t *testing.T, data string) {
		d, err := decodeAutomaton(data, len(a.pats))
		if err != nil {
			return
		}
		var wc wordCache
		d.run(pr.text.Norm, pr.toks, pr.paras, &wc, new(scratch), func(match) {})
	})
}

// String describes an automaton's size, for the messages of these tests.
func (a *automaton) String() string {
	return fmt.Sprintf("automaton of %d positions, %d symbols, %d transitions", len(a.hot), a.trie.nsyms, len(a.trSym))
}

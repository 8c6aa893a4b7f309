package analyzer

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
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
// stored ones (a rule disabled) is compiled, not read stale.
func TestAutomataOtherPatterns(t *testing.T) {
	a := newBuiltin(t, Config{Disable: []string{"deflection"}})
	for _, l := range builtinLazies(a) {
		for _, j := range l.jobs {
			if j.info.kind == patRule && strings.HasPrefix(a.rules[j.info.rule].ID, "deflection.") {
				t.Fatal("a disabled rule was compiled")
			}
		}
	}
	stale := 0
	for s := range a.autos {
		if l := &a.autos[s]; len(l.jobs) > 0 && l.snap != "" {
			stale++
		}
	}
	if stale > 0 {
		t.Errorf("%d scripts read stored automata of other patterns", stale)
	}
	got := a.Run(Document{Text: "That's not my department. Calm down, it is a simple fix.", Kind: KindChat})
	if len(got) == 0 || slices.ContainsFunc(got, func(f Finding) bool { return f.Category == "deflection" }) {
		t.Errorf("findings %v: want some, none of deflection", got)
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

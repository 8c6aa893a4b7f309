package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// wantRE finds an inline expectation: " // want [+N] CATEGORY|RULE..." at the
// end of a line.
var wantRE = regexp.MustCompile(` // want( \+\d+)?((?: [a-z][a-z0-9.-]*)+)\s*$`)

type expectation struct {
	line  int
	name  string // category or rule id
	found bool
}

// TestTestdata lints every message under ../testdata/<lang>/ and compares
// the findings with the message's inline expectations, as analysistest does
// with // want. Files under clean/ must produce no finding at all. A file
// named *.chat.txt is one chat turn, *.text.txt plain text, anything else
// an email. Info findings are hints: they count only when expected.
func TestTestdata(t *testing.T) {
	a := builtinAnalyzer(t)
	files, err := filepath.Glob("../testdata/*/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	clean, _ := filepath.Glob("../testdata/*/clean/*.txt")
	files = append(files, clean...)
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimPrefix(file, "../testdata/"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text, wants := parseWants(t, string(data))
			kind := analyzer.KindEmail
			switch {
			case strings.HasSuffix(file, ".chat.txt"):
				kind = analyzer.KindChat
			case strings.HasSuffix(file, ".text.txt"):
				kind = analyzer.KindText
			}
			isClean := strings.Contains(filepath.ToSlash(file), "/clean/")
			if isClean && len(wants) > 0 {
				t.Fatalf("%s: a clean file cannot carry // want", file)
			}
			for _, f := range a.Run(analyzer.Document{Text: text, Kind: kind}) {
				matched := false
				for i := range wants {
					w := &wants[i]
					if w.line == f.Span.Line && (w.name == f.Category || w.name == f.Rule) {
						w.found, matched = true, true
					}
				}
				if !matched && f.Severity != analyzer.Info {
					t.Errorf("%s:%d:%d: unexpected %s finding %s: %q", file, f.Span.Line, f.Span.Column, f.Severity, f.Rule, f.Text)
				}
			}
			for _, w := range wants {
				if !w.found {
					t.Errorf("%s:%d: want %s, got none", file, w.line, w.name)
				}
			}
		})
	}
}

func parseWants(t *testing.T, s string) (string, []expectation) {
	lines := strings.Split(s, "\n")
	var wants []expectation
	for i, l := range lines {
		m := wantRE.FindStringSubmatchIndex(l)
		if m == nil {
			if strings.Contains(l, "// want") {
				t.Fatalf("line %d: malformed // want", i+1)
			}
			continue
		}
		line := i + 1
		if m[2] >= 0 {
			var n int
			fmt.Sscanf(strings.TrimSpace(l[m[2]:m[3]]), "+%d", &n)
			line += n
		}
		for _, name := range strings.Fields(l[m[4]:m[5]]) {
			if !rules.IsCategory(name) && !strings.Contains(name, ".") {
				t.Fatalf("line %d: want %q: not a category or rule id", i+1, name)
			}
			wants = append(wants, expectation{line: line, name: name})
		}
		lines[i] = l[:m[0]]
	}
	return strings.Join(lines, "\n"), wants
}

func builtinAnalyzer(t testing.TB) *analyzer.Analyzer {
	t.Helper()
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyzer.New(set, analyzer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a.Precompile() // benchmarks time linting, not the first use's compile
	return a
}

// TestRuleExamples runs every rule's own examples, as LanguageTool does:
// each bad example must be flagged by the rule, each good one must not.
func TestRuleExamples(t *testing.T) {
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	a := builtinAnalyzer(t)
	n := 0
	for _, r := range set.Rules {
		for _, ex := range r.Examples.Bad {
			n++
			if !slices.ContainsFunc(a.RunUnmerged(analyzer.Document{Text: ex, Lang: r.Lang}), func(f analyzer.Finding) bool { return f.Rule == r.ID }) {
				t.Errorf("%s: rule %s [%s] does not flag its bad example %q", r.Pos, r.ID, r.Lang, ex)
			}
		}
		for _, ex := range r.Examples.Good {
			n++
			for _, f := range a.RunUnmerged(analyzer.Document{Text: ex, Lang: r.Lang}) {
				if f.Rule == r.ID {
					t.Errorf("%s: rule %s [%s] flags its good example %q at %q", r.Pos, r.ID, r.Lang, ex, f.Text)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no rule has examples")
	}
}

package analyzer_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// corpus builds ≈size bytes of messages in the four languages, generated at
// test time from the testdata messages: each message is in one language,
// its sentences drawn from that language's testdata and shuffled, so the
// text is realistic, dense in findings (most testdata sentences carry one),
// and nothing large is committed.
func corpus(tb testing.TB, size int) []string {
	tb.Helper()
	want := regexp.MustCompile(` // want.*`)
	split := regexp.MustCompile(`[^.!?؟\n]+[.!?؟]?`)
	var byLang [][]string
	for _, lang := range analyzer.Languages {
		files, _ := filepath.Glob(filepath.Join("../testdata", lang, "*.txt"))
		clean, _ := filepath.Glob(filepath.Join("../testdata", lang, "clean", "*.txt"))
		var sentences []string
		for _, f := range append(files, clean...) {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			text := want.ReplaceAllString(string(b), "")
			sentences = append(sentences, split.FindAllString(text, -1)...)
		}
		if len(sentences) > 0 {
			byLang = append(byLang, sentences)
		}
	}
	if len(byLang) == 0 {
		tb.Skip("no testdata sentences")
	}
	r := rand.New(rand.NewPCG(1, 2))
	var msgs []string
	total := 0
	for total < size {
		sentences := byLang[r.IntN(len(byLang))]
		var b strings.Builder
		n := 3 + r.IntN(10)
		for i := 0; i < n; i++ {
			b.WriteString(strings.TrimSpace(sentences[r.IntN(len(sentences))]))
			if r.IntN(4) == 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteString(" ")
			}
		}
		msgs = append(msgs, b.String())
		total += b.Len()
	}
	return msgs
}

// BenchmarkRun lints a ≈10 MB corpus of messages in four languages with the
// whole built-in catalogue; one op is one message, so ns/op and allocs/op
// are per message and MB/s is throughput.
func BenchmarkRun(b *testing.B) {
	var docs []analyzer.Document
	for _, m := range corpus(b, 10<<20) {
		docs = append(docs, analyzer.Document{Text: m, Kind: analyzer.KindEmail})
	}
	lintEach(b, docs, false)
}

// lintEach lints docs in turn with the built-in catalogue, one per op, the
// mean text length as the op's bytes (so MB/s is throughput); check: with
// Check's courtesy facts, as an audit lints.
func lintEach(b *testing.B, docs []analyzer.Document, check bool) {
	a := builtinAnalyzer(b)
	total := 0
	for _, d := range docs {
		total += len(d.Text)
	}
	b.SetBytes(int64(total / len(docs)))
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if d := docs[i%len(docs)]; check {
			a.Check(d)
		} else {
			a.Run(d)
		}
		i++
	}
}

// BenchmarkRunParallel is BenchmarkRun on every core.
func BenchmarkRunParallel(b *testing.B) {
	a := builtinAnalyzer(b)
	msgs := corpus(b, 10<<20)
	total := 0
	for _, m := range msgs {
		total += len(m)
	}
	b.SetBytes(int64(total / len(msgs)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := rand.IntN(len(msgs))
		for pb.Next() {
			a.Run(analyzer.Document{Text: msgs[i%len(msgs)], Kind: analyzer.KindEmail})
			i++
		}
	})
}

// BenchmarkNormalize measures the normaliser alone.
func BenchmarkNormalize(b *testing.B) {
	msgs := corpus(b, 1<<20)
	text := strings.Join(msgs, "\n\n")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		analyzer.Normalize(text)
	}
}

// BenchmarkStartup is loading and compiling the whole catalogue: parse the
// embedded rule files and compile every script's automaton.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		set, err := rules.LoadBuiltin()
		if err != nil {
			b.Fatal(err)
		}
		a, err := analyzer.New(set, analyzer.Config{})
		if err != nil {
			b.Fatal(err)
		}
		a.Precompile()
	}
}

// BenchmarkStartupOneLanguage is what `replylint check draft.txt` pays for
// a draft in one language before its result: parse the catalogue, compile
// the automaton of the draft's script (English here), lint the draft.
func BenchmarkStartupOneLanguage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		set, err := rules.LoadBuiltin()
		if err != nil {
			b.Fatal(err)
		}
		a, err := analyzer.New(set, analyzer.Config{})
		if err != nil {
			b.Fatal(err)
		}
		a.Run(analyzer.Document{Text: "Hi Anna, thanks for writing. I'm afraid that's not my department.", Kind: analyzer.KindChat})
	}
}

// BenchmarkStartupParse is the YAML half of start-up.
func BenchmarkStartupParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.LoadBuiltin(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartupCompile is the automaton half of start-up: every
// script's automaton, compiled concurrently.
func BenchmarkStartupCompile(b *testing.B) {
	set, err := rules.LoadBuiltin()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		a, err := analyzer.New(set, analyzer.Config{})
		if err != nil {
			b.Fatal(err)
		}
		a.Precompile()
	}
}

// FuzzRun lints arbitrary text with the built-in catalogue: no panic, and
// every finding's span lies inside the text, on rune boundaries, with a
// line and column that agree with its start.
func FuzzRun(f *testing.F) {
	for _, s := range []string{"", "That's not my job.", "Это не моя компетенция", "هذه ليست مسؤوليتي", "این مسئولیت من نیست",
		"Hi ,\n{{name}} [Customer Name] %NAME% <agent>", "«это не наш отдел»", "\xff\xfe\x00", "a\n\n\n\nb", "ـــــ"} {
		f.Add(s)
	}
	set, err := rules.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	a, err := analyzer.New(set, analyzer.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, kind := range []analyzer.Kind{analyzer.KindEmail, analyzer.KindChat} {
			for _, fd := range a.Run(analyzer.Document{Text: s, Kind: kind}) {
				sp := fd.Span
				if sp.Start < 0 || sp.End > len(s) || sp.Start > sp.End {
					t.Fatalf("%s: span %+v outside text of %d bytes", fd.Rule, sp, len(s))
				}
				if !boundary(s, sp.Start) || !boundary(s, sp.End) {
					t.Fatalf("%s: span %+v not on rune boundaries of %q", fd.Rule, sp, s)
				}
				line := strings.Count(s[:sp.Start], "\n") + 1
				col := utf8.RuneCountInString(s[strings.LastIndexByte(s[:sp.Start], '\n')+1:sp.Start]) + 1
				if sp.Line != line || sp.Column != col {
					t.Fatalf("%s: line:col %d:%d, want %d:%d", fd.Rule, sp.Line, sp.Column, line, col)
				}
				if fd.Text != s[sp.Start:sp.End] {
					t.Fatalf("%s: text %q != span text %q", fd.Rule, fd.Text, s[sp.Start:sp.End])
				}
			}
		}
	})
}

func boundary(s string, i int) bool {
	if i == len(s) {
		return true
	}
	for j := range s {
		if j == i {
			return true
		}
		if j > i {
			return false
		}
	}
	return false
}

// realTurn is a turn of the real support conversations.
type realTurn struct {
	Text, Role     string
	ConversationID string `json:"conversation_id"`
}

// realTurns reads the real support tweets of ../shared/corpora, in order;
// the benchmark is skipped where the corpus is absent.
func realTurns(b *testing.B) []realTurn {
	data, err := os.ReadFile("../../shared/corpora/conversations/ibm_twitter_cdp_en.jsonl")
	if err != nil {
		b.Skip("no real corpus here:", err)
	}
	var turns []realTurn
	for _, line := range strings.Split(string(data), "\n") {
		var t realTurn
		if json.Unmarshal([]byte(line), &t) == nil && t.Text != "" {
			turns = append(turns, t)
		}
	}
	return turns
}

// BenchmarkRunReal lints real support tweets (the agents' and customers'
// turns of ../shared/corpora, when present): short English messages with
// few findings, unlike the finding-dense testdata corpus of BenchmarkRun.
func BenchmarkRunReal(b *testing.B) {
	var docs []analyzer.Document
	for _, t := range realTurns(b) {
		docs = append(docs, analyzer.Document{Text: t.Text, Kind: analyzer.KindChat})
	}
	lintEach(b, docs, false)
}

// BenchmarkRunRealReplies lints the agents' turns of the real support
// conversations as an audit does: each reply with the customer's message
// before it (for the relevance and apology checks), so that preparing the
// customer's message, not only the reply, is in the figure. SetBytes
// counts the reply only.
func BenchmarkRunRealReplies(b *testing.B) {
	var docs []analyzer.Document
	customer := map[string]string{}
	for _, t := range realTurns(b) {
		if t.Role != "agent" {
			customer[t.ConversationID] = t.Text
			continue
		}
		docs = append(docs, analyzer.Document{Text: t.Text, Kind: analyzer.KindChat,
			Context: analyzer.Context{Customer: customer[t.ConversationID]}})
	}
	lintEach(b, docs, true)
}

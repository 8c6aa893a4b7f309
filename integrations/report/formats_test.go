package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// The -update flag regenerates the golden files:
//
//	go test ./integrations/report -update
//
// It is registered only if no other test file of the package registered it
// first (package-level flag.Bool calls run before init).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files of testdata/golden")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// span locates phrase in text as the analyzer does: byte offsets, 1-based
// line and rune column.
func span(t *testing.T, text, phrase string) analyzer.Span {
	t.Helper()
	start := strings.Index(text, phrase)
	if start < 0 {
		t.Fatalf("%q not in %q", phrase, text)
	}
	line := strings.Count(text[:start], "\n") + 1
	col := utf8.RuneCountInString(text[strings.LastIndexByte(text[:start], '\n')+1:start]) + 1
	return analyzer.Span{Start: start, End: start + len(phrase), Line: line, Column: col}
}

// fixture is what every golden test writes: English, Arabic, Persian and
// Russian messages, a clean one, a suppressed finding, an info finding, a
// finding over two lines, one on a line that starts with an emoji (rune
// and UTF-16 columns differ) and an input error.
type fixture struct {
	messages []Message
	errors   []InputError
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	var fx fixture
	add := func(src analyzer.Source, text string, fs ...analyzer.Finding) {
		for i := range fs {
			fs[i].Source = src
			if fs[i].Text != "" {
				fs[i].Span = span(t, text, fs[i].Text)
			} else {
				fs[i].Span = analyzer.Span{Line: 1, Column: 1}
			}
		}
		fx.messages = append(fx.messages, Message{Source: src, Text: text, Findings: fs})
	}

	add(analyzer.Source{Path: "drafts/en.eml", MessageID: "<1@example.com>"},
		"Hi Mary,\n\nThat's not my department, sorry. Please contact the billing department.\n"+
			"I guarantee it\nwill be fixed tomorrow, 100%.\n\nBest,\nJohn\n",
		analyzer.Finding{
			Rule: "courtesy.no-apology", Category: "courtesy", Severity: analyzer.Info, Lang: "en",
			Message: "No apology after a complaint.", Suggestion: "Start with \"I'm sorry this happened.\"",
		},
		analyzer.Finding{
			Rule: "deflection.not-my-department", Category: "deflection", Severity: analyzer.Error, Lang: "en",
			Message:    `"Not my department" disowns the problem.`,
			Suggestion: `Own it: "Let me find out for you."`,
			Text:       "That's not my department",
		},
		analyzer.Finding{
			Rule: "runaround.contact-department", Category: "runaround", Severity: analyzer.Error, Lang: "en",
			Message:    "Sending the customer elsewhere, without owning it: they have to start over.",
			Suggestion: "I've asked our billing team, and I'll write back by 5pm.",
			Text:       "contact the billing department",
		},
		analyzer.Finding{
			Rule: "overpromise.guarantee", Category: "overpromise", Severity: analyzer.Warning, Lang: "en",
			Message:    "An absolute guarantee (100% sure?) may not be kept.",
			Suggestion: "I expect it to be fixed tomorrow, and I'll confirm when it is.",
			Text:       "I guarantee it\nwill be fixed tomorrow",
		},
	)
	add(analyzer.Source{Path: "chats/support.jsonl", Conversation: "c-17", Turn: 3, Line: 12, Author: "Ahmed"},
		"مرحبا،\nهذه ليست مسؤوليتي، تواصل مع قسم آخر.",
		analyzer.Finding{
			Rule: "deflection.not-my-responsibility", Category: "deflection", Severity: analyzer.Error, Lang: "ar",
			Message:    "«هذه ليست مسؤوليتي» تتنصل من المشكلة.",
			Suggestion: "سأتابع الأمر بنفسي وأعود إليك.",
			Text:       "هذه ليست مسؤوليتي",
		},
	)
	add(analyzer.Source{Path: "drafts/fa.txt"},
		"سلام\nاین مسئولیت من نیست، ولی پیگیری می‌کنم.",
		analyzer.Finding{
			Rule: "deflection.not-my-responsibility", Category: "deflection", Severity: analyzer.Error, Lang: "fa",
			Message:    "«این مسئولیت من نیست» مسئولیت را از خود سلب می‌کند.",
			Suggestion: "خودم پیگیری می‌کنم و خبرتان می‌کنم.",
			Text:       "این مسئولیت من نیست",
			Suppressed: &analyzer.Suppression{Kind: "header", Reason: "quoting the customer's own words"},
		},
	)
	add(analyzer.Source{Path: "-"},
		"Здравствуйте!\n👍 Это не моя компетенция, обратитесь в другой отдел.\n",
		analyzer.Finding{
			Rule: "deflection.not-my-responsibility", Category: "deflection", Severity: analyzer.Error, Lang: "ru",
			Message:    "«Это не моя компетенция» снимает с вас ответственность.",
			Suggestion: "Я вам помогу — сейчас всё выясню.",
			Text:       "Это не моя компетенция",
		},
		analyzer.Finding{
			Rule: "runaround.contact-department", Category: "runaround", Severity: analyzer.Error, Lang: "ru",
			Message:    "Вы отправляете клиента в другой отдел.",
			Suggestion: "Я передал вопрос коллегам и сам вам отвечу.",
			Text:       "обратитесь в другой отдел",
		},
	)
	add(analyzer.Source{Path: "drafts/clean.eml", MessageID: "<2@example.com>"},
		"Hi Mary,\n\nI'm sorry for the trouble: I have refunded you.\n\nBest,\nJohn\n")
	fx.errors = []InputError{{Path: "drafts/broken.eml", Error: "mail: malformed MIME header line: Subject"}}
	return fx
}

// fixtureRules describes most of the fixture's rules; courtesy.no-apology is
// left out, so that a writer has to describe it from its findings.
func fixtureRules() *rules.Set {
	return &rules.Set{Rules: []*rules.Rule{
		{ID: "deflection.not-my-responsibility", Category: "deflection", Lang: "ru", Severity: rules.Error,
			Title: "Отказ от ответственности", Message: "«Это не моя компетенция» снимает с вас ответственность."},
		{ID: "deflection.not-my-responsibility", Category: "deflection", Lang: "en", Severity: rules.Error,
			Title: "Disowning the problem", Message: `"That's not my responsibility" disowns the problem.`,
			Suggestion: `"I'll take care of this."`,
			Doc:        "Customers hear that nobody will help them. Own the problem, even when someone else fixes it."},
		{ID: "deflection.not-my-department", Category: "deflection", Lang: "en", Severity: rules.Error,
			Title: "Not my department", Message: `"Not my department" disowns the problem.`,
			Suggestion: `Own it: "Let me find out for you."`},
		{ID: "runaround.contact-department", Category: "runaround", Lang: "en", Severity: rules.Error,
			Title: "Sending the customer elsewhere", Message: "Sending the customer elsewhere, without owning it."},
		{ID: "overpromise.guarantee", Category: "overpromise", Lang: "en", Severity: rules.Warning,
			Title: "Absolute guarantee", Message: "An absolute guarantee may not be kept.",
			Suggestion: "Say what you expect and when you will confirm."},
	}}
}

// render runs the fixture through a writer of format.
func render(t *testing.T, format string, fx fixture) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, Options{Rules: fixtureRules(), ToolVersion: "0.1.0-test"})
	if err != nil {
		t.Fatal(err)
	}
	var sum Summary
	for _, m := range fx.messages {
		sum.Add(m)
		if err := w.Message(m); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range fx.errors {
		sum.Errors++
		if err := w.Error(e); err != nil {
			t.Fatal(err)
		}
	}
	sum.Files = len(fx.messages) + len(fx.errors)
	if err := w.Close(sum); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var goldenFiles = map[string]string{
	"jsonl":      "report.jsonl",
	"sarif":      "report.sarif",
	"junit":      "junit.xml",
	"github":     "github.txt",
	"checkstyle": "checkstyle.xml",
	"csv":        "report.csv",
}

func TestGolden(t *testing.T) {
	fx := newFixture(t)
	for format, name := range goldenFiles {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, fx)
			path := filepath.Join("testdata", "golden", name)
			if updating() {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run go test -update to accept):\n%s", format, path, diffLines(string(want), string(got)))
			}
		})
	}
}

// diffLines shows the first line where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\nwant: " + wl + "\ngot:  " + gl
		}
	}
	return "(same lines)"
}

func TestFormatsKnown(t *testing.T) {
	for _, f := range Formats {
		if _, err := New(f, &bytes.Buffer{}, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
		if !IsFormat(f) {
			t.Errorf("IsFormat(%q) = false", f)
		}
	}
	for f := range goldenFiles {
		if !IsFormat(f) {
			t.Errorf("%s is not in Formats", f)
		}
	}
	if _, err := New("nope", &bytes.Buffer{}, Options{}); err == nil {
		t.Error("New(nope): no error")
	}
}

// Every format copes with a run that linted nothing.
func TestEmptyRun(t *testing.T) {
	for _, f := range Formats {
		var buf bytes.Buffer
		w, err := New(f, &buf, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(Summary{}); err != nil {
			t.Errorf("%s: Close: %v", f, err)
		}
	}
}

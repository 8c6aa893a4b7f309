package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replylint/replylint/analyzer"
)

func TestParse(t *testing.T) {
	src := `# team config
lang: ru
kind: chat
fail_on: warning
min_severity: info
disable: [courtesy.no-signoff]
severity:
  overpromise: error
rules: [team-rules]
allow: ["nothing I can do about the weather"]
agents:
  - {name: Anna Petrova, team: billing, emails: [anna@example.com]}
thresholds: {chat_reply: 10m, email_reply: 12h, relevance_min_words: 5}
templates: {dir: templates, threshold: 0.7}
suppress:
  - rule: dismissive.as-i-said
    paths: ["legacy/**"]
    reason: legacy macros, rewritten in Q3
`
	c, err := Parse("/team/.replylint.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Lang != "ru" || c.Kind != "chat" || c.FailOn != "warning" || c.MinSeverity != "info" {
		t.Errorf("lang, kind, fail_on, min_severity = %q %q %q %q", c.Lang, c.Kind, c.FailOn, c.MinSeverity)
	}
	if got, want := c.RuleFiles, []string{"/team/team-rules"}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("RuleFiles = %v, want %v", got, want)
	}
	if c.Severity["overpromise"] != "error" {
		t.Errorf("Severity = %v", c.Severity)
	}
	if c.Thresholds.ChatReply != 10*time.Minute || c.Thresholds.EmailReply != 12*time.Hour || c.Thresholds.RelevanceMinWords != 5 {
		t.Errorf("Thresholds = %+v", c.Thresholds)
	}
	if c.Templates.Dir != "/team/templates" || c.Templates.Threshold != 0.7 {
		t.Errorf("Templates = %+v", c.Templates)
	}
	if len(c.Suppress) != 1 || c.Suppress[0].Pos != "/team/.replylint.yaml:16" {
		t.Errorf("Suppress = %+v", c.Suppress)
	}
	if a, ok := c.AgentFor("Anna Petrova <anna@example.com>"); !ok || a.Team != "billing" {
		t.Errorf("AgentFor = %+v, %v", a, ok)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"lang: de\n", `c.yaml:1:7: lang: language de: no rules for this language`},
		{"colour: red\n", `c.yaml:1:1: unknown key "colour" in the configuration`},
		{"fail_on: fatal\n", `c.yaml:1:10: fail_on: severity "fatal"`},
		{"thresholds:\n  chat_reply: soon\n", `c.yaml:2:15: chat_reply "soon": want a positive duration`},
		{"severity:\n  overpromise: loud\n", `c.yaml:2:16: severity of overpromise: severity "loud"`},
		{"disable: [nonsense]\n", `c.yaml:1:11: disable: "nonsense" is neither a category`},
		{"suppress:\n  - rule: dismissive\n", `c.yaml:2:5: suppression of dismissive: a reason is required`},
		{"suppress:\n  - {rule: dismissive, reason: x, path: a}\n", `c.yaml:2:35: unknown key "path" in a suppression`},
		{"templates: {threshold: 2}\n", `c.yaml:1:24: threshold "2": want a number between 0 and 1`},
		{"agents:\n  - team: x\n", `c.yaml:2:5: an agent needs a name`},
		{"lang: [en\n", `c.yaml:1:1: did not find expected ',' or ']'`},
	}
	for _, tt := range tests {
		_, err := Parse("c.yaml", []byte(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want prefix %q", tt.src, err, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Find(sub); got != "" {
		t.Errorf("Find with no file = %q, want none", got)
	}
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte("lang: en\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(sub); got != p {
		t.Errorf("Find(%s) = %q, want %q", sub, got, p)
	}
}

func TestSuppressor(t *testing.T) {
	c, err := Parse("c.yaml", []byte(`allow: ["rules are rules"]
suppress:
  - {rule: dismissive, paths: ["legacy/**"], reason: old macros}
  - {rule: excuse.beyond-control, reason: weather page}
`))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSuppressor(c)
	mk := func(rule, cat, text string) analyzer.Finding {
		return analyzer.Finding{Rule: rule, Category: cat, Text: text}
	}
	doc := analyzer.Document{
		Text:    "Rules are rules. As I said. Not my job.",
		Source:  analyzer.Source{Path: "legacy/2020/a.eml"},
		Headers: map[string][]string{"X-Replylint-Disable": {"deflection agreed with the customer", "overpromise", "canned nothing to see"}},
	}
	fs := []analyzer.Finding{
		mk("policy-shield.rules-are-rules", "policy-shield", "Rules are rules"),
		mk("dismissive.as-i-said", "dismissive", "As I said"),
		mk("deflection.not-my-responsibility", "deflection", "Not my job"),
	}
	problems := s.Apply(doc, fs)
	for i, want := range []string{"config", "config", "header"} {
		if fs[i].Suppressed == nil || fs[i].Suppressed.Kind != want {
			t.Errorf("finding %d (%s): suppressed = %+v, want kind %s", i, fs[i].Rule, fs[i].Suppressed, want)
		}
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "overpromise: a reason is required") || !strings.Contains(problems[1], "canned matched nothing") {
		t.Errorf("problems = %q", problems)
	}
	unused := s.Unused()
	if len(unused) != 1 || !strings.Contains(unused[0], "c.yaml:4: suppression of excuse.beyond-control matched nothing") {
		t.Errorf("Unused = %q", unused)
	}
	// Outside legacy/, the path-scoped suppression does not apply.
	fs2 := []analyzer.Finding{mk("dismissive.as-i-said", "dismissive", "As I said")}
	s.Apply(analyzer.Document{Source: analyzer.Source{Path: "new/a.eml"}}, fs2)
	if fs2[0].Suppressed != nil {
		t.Errorf("path-scoped suppression applied outside its paths")
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		{"legacy/**", "legacy/a/b.eml", true},
		{"legacy/**", "new/a.eml", false},
		{"**/*.eml", "a/b/c.eml", true},
		{"*.txt", "a.txt", true},
		{"*.txt", "dir/a.txt", false},
	}
	for _, tt := range tests {
		if got := matchPaths([]string{tt.glob}, tt.path); got != tt.want {
			t.Errorf("matchPaths(%q, %q) = %v, want %v", tt.glob, tt.path, got, tt.want)
		}
	}
}

func TestStarterParses(t *testing.T) {
	c, err := Parse(".replylint.yaml", []byte(Starter))
	if err != nil {
		t.Fatalf("the starter configuration does not parse: %v", err)
	}
	if c.Thresholds.ChatReply != 15*time.Minute {
		t.Errorf("starter chat_reply = %v", c.Thresholds.ChatReply)
	}
}

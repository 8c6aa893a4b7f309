package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/replylint/replylint/analyzer"
)

func TestGitHubEscaping(t *testing.T) {
	if got, want := escapeData("100%\r\nok: a, b"), "100%25%0D%0Aok: a, b"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	if got, want := escapeProperty("a,b:c%d\ne"), "a%2Cb%3Ac%25d%0Ae"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}

	var buf bytes.Buffer
	w, _ := New("github", &buf, Options{})
	text := "x\nIt's 100% not my job"
	f := analyzer.Finding{
		Rule: "deflection.not-my-job", Severity: analyzer.Warning,
		Message: "Line one\nline two: 50%", Suggestion: "Say, \"I'll do it\"",
		Source: analyzer.Source{Path: "in,box/a:b.eml"}, Text: "not my job",
	}
	f.Span = span(t, text, f.Text)
	if err := w.Message(Message{Source: f.Source, Text: text, Findings: []analyzer.Finding{f}}); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=in%2Cbox/a%3Ab.eml,line=2,col=11,endColumn=21,title=deflection.not-my-job::" +
		"Line one%0Aline two: 50%25 (Say, \"I'll do it\")\n"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// Every command is one line, written as its message arrives.
func TestGitHubOneLinePerFinding(t *testing.T) {
	fx := newFixture(t)
	out := string(render(t, "github", fx))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var n int
	for _, m := range fx.messages {
		n += len(m.Findings)
	}
	if len(lines) != n+len(fx.errors) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), n+len(fx.errors), out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("not a workflow command: %q", l)
		}
	}
}

package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/replylint/replylint/analyzer"
)

type junitIn struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failures  []struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"error"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitParses(t *testing.T) {
	var doc junitIn
	if err := xml.Unmarshal(render(t, "junit", newFixture(t)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 6 || doc.Failures != 3 || doc.Errors != 1 || len(doc.Suites) != 1 {
		t.Fatalf("testsuites: tests %d failures %d errors %d, %d suites; want 6 3 1, 1", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Name != "replylint" || s.Tests != 6 || s.Failures != 3 || s.Errors != 1 || len(s.Cases) != 6 {
		t.Fatalf("testsuite %q: tests %d failures %d errors %d, %d cases", s.Name, s.Tests, s.Failures, s.Errors, len(s.Cases))
	}
	en := s.Cases[0]
	if en.Name != "drafts/en.eml (message <1@example.com>)" || en.Classname != "replylint" {
		t.Errorf("case 0: %q %q", en.Name, en.Classname)
	}
	// Errors and warnings fail; the info finding is only printed.
	if len(en.Failures) != 3 {
		t.Fatalf("case 0: %d failures, want 3", len(en.Failures))
	}
	f := en.Failures[0]
	if f.Type != "deflection.not-my-department" || !strings.HasPrefix(f.Message, "drafts/en.eml:3:1: ") ||
		!strings.Contains(f.Text, "suggestion: Own it:") || !strings.Contains(f.Text, "\nflagged: That's not my department\n") {
		t.Errorf("failure = %+v", f)
	}
	if !strings.Contains(en.SystemOut, "courtesy.no-apology") {
		t.Errorf("system-out = %q", en.SystemOut)
	}
	if ar := s.Cases[1]; ar.Name != "chats/support.jsonl (conversation c-17, turn 3) line 12" || len(ar.Failures) != 1 ||
		!strings.Contains(ar.Failures[0].Text, "هذه ليست مسؤوليتي") {
		t.Errorf("Arabic case = %+v", ar)
	}
	if fa := s.Cases[2]; len(fa.Failures) != 0 || !strings.Contains(fa.SystemOut, "suppressed (header: ") {
		t.Errorf("suppressed case = %+v", fa)
	}
	if clean := s.Cases[4]; len(clean.Failures) != 0 || clean.Error != nil {
		t.Errorf("clean case = %+v", clean)
	}
	if bad := s.Cases[5]; bad.Error == nil || bad.Error.Type != "input-error" || bad.Name != "drafts/broken.eml" {
		t.Errorf("input error case = %+v", bad)
	}
}

// Text that XML cannot hold as is (control characters, "]]>", invalid
// UTF-8) still makes a well-formed document.
func TestJUnitHostileText(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("junit", &buf, Options{})
	text := "a\x1b[31m]]><b>&\xff"
	f := analyzer.Finding{Rule: "r", Severity: analyzer.Error, Message: text, Suggestion: text, Text: text,
		Span: analyzer.Span{Line: 1, Column: 1}}
	if err := w.Message(Message{Source: analyzer.Source{Path: "x\x00.eml"}, Findings: []analyzer.Finding{f}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Error(InputError{Path: "y", Error: "bad \x01 ]]> input"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(Summary{}); err != nil {
		t.Fatal(err)
	}
	var doc junitIn
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if got := doc.Suites[0].Cases[0].Failures[0].Text; !strings.Contains(got, "]]><b>&") {
		t.Errorf("failure text = %q", got)
	}
}

package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
)

// junitWriter writes JUnit XML, the test report CI systems (Jenkins, GitLab,
// Azure Pipelines, GitHub test reporters) load:
//
//	<testsuites name="replylint" tests="3" failures="1" errors="1">
//	  <testsuite name="replylint" tests="3" failures="1" errors="1" skipped="0">
//	    <testcase name="drafts/42.eml (message <a@b>)" classname="replylint">
//	      <failure message="..." type="deflection.not-my-responsibility">...</failure>
//	    </testcase>
//	    <testcase name="drafts/broken.eml" classname="replylint">
//	      <error message="..." type="input-error">...</error>
//	    </testcase>
//	  </testsuite>
//	</testsuites>
//
// Each linted message is a test case; each error or warning finding is a
// failure of it, whose text gives the location, the message and the
// suggestion. Info findings and suppressed findings do not fail a message:
// they are listed in its system-out. An input that could not be read is a
// test case with an error. The counts come first in the document, so the
// test cases are kept until Close.
type junitWriter struct {
	w     io.Writer
	cases []junitTestcase
}

type junitTestsuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Suites   []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Cases    []junitTestcase `xml:"testcase"`
}

type junitTestcase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Failures  []junitProblem `xml:"failure"`
	Error     *junitProblem  `xml:"error"`
	SystemOut *junitText     `xml:"system-out"`
}

// junitProblem is a <failure> or an <error>.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"` // CDATA keeps the report's lines readable
}

type junitText struct {
	Text string `xml:",cdata"`
}

func (j *junitWriter) Message(m Message) error {
	tc := junitTestcase{Name: messageName(m.Source), Classname: "replylint"}
	var out strings.Builder
	for _, f := range m.Findings {
		loc := fmt.Sprintf("%s:%d:%d", reportPath(sourceOf(f, m)), f.Span.Line, f.Span.Column)
		var text strings.Builder
		fmt.Fprintf(&text, "%s: %s: %s [%s]\n", loc, f.Severity, f.Message, f.Rule)
		if f.Text != "" {
			fmt.Fprintf(&text, "flagged: %s\n", f.Text)
		}
		if f.Suggestion != "" {
			fmt.Fprintf(&text, "suggestion: %s\n", f.Suggestion)
		}
		switch {
		case f.Suppressed != nil:
			fmt.Fprintf(&out, "suppressed (%s: %s): %s", f.Suppressed.Kind, f.Suppressed.Reason, text.String())
		case f.Severity == analyzer.Error || f.Severity == analyzer.Warning:
			tc.Failures = append(tc.Failures, junitProblem{
				Message: loc + ": " + f.Message,
				Type:    f.Rule,
				Text:    xmlSafe(text.String()),
			})
		default:
			out.WriteString(text.String())
		}
	}
	if out.Len() > 0 {
		tc.SystemOut = &junitText{Text: xmlSafe(out.String())}
	}
	j.cases = append(j.cases, tc)
	return nil
}

func (j *junitWriter) Error(e InputError) error {
	j.cases = append(j.cases, junitTestcase{
		Name:      reportPath(analyzer.Source{Path: e.Path}),
		Classname: "replylint",
		Error:     &junitProblem{Message: e.Error, Type: "input-error", Text: xmlSafe(e.Error)},
	})
	return nil
}

func (j *junitWriter) Close(Summary) error {
	suite := junitTestsuite{Name: "replylint", Tests: len(j.cases), Cases: j.cases}
	for _, tc := range j.cases {
		if len(tc.Failures) > 0 {
			suite.Failures++
		}
		if tc.Error != nil {
			suite.Errors++
		}
	}
	doc := junitTestsuites{
		Name: "replylint", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Suites: []junitTestsuite{suite},
	}
	return writeXML(j.w, doc)
}

// writeXML writes v as an indented XML document with its declaration.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// xmlSafe replaces what XML 1.0 cannot hold (control characters, invalid
// UTF-8) with U+FFFD. encoding/xml does so in attributes and character data
// but not in CDATA sections.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return utf8.RuneError
	}, s)
}

// sourceOf is where a finding is: its own source, or its message's when
// the finding does not say.
func sourceOf(f analyzer.Finding, m Message) analyzer.Source {
	if f.Source == (analyzer.Source{}) {
		return m.Source
	}
	return f.Source
}

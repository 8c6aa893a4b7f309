package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
)

// textWriter prints findings as a compiler does:
//
//	draft.txt:4:7: error: message [rule]
//	    4 | That's not my department, sorry.
//	      | ^~~~~~~~~~~~~~~~~~~~~~~~
//	      = suggestion: Own it: ...
//
// Right-to-left lines cannot be underlined reliably in a terminal, so they
// are printed inside a bidi isolate and followed by the flagged words.
type textWriter struct {
	w          io.Writer
	color      bool
	err        error
	suppressed int
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
	ansiDim    = "\x1b[2m"
)

func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func location(src analyzer.Source) string {
	p := src.Path
	if p == "" || p == "-" {
		p = "<stdin>"
	}
	return p
}

func context(src analyzer.Source) string {
	var parts []string
	if src.Mailbox != "" {
		parts = append(parts, "mailbox "+src.Mailbox)
	}
	if src.UID != 0 {
		parts = append(parts, fmt.Sprintf("uid %d", src.UID))
	}
	if src.MessageID != "" {
		parts = append(parts, "message "+src.MessageID)
	}
	if src.Conversation != "" {
		parts = append(parts, "conversation "+src.Conversation)
	}
	if src.Turn != 0 {
		parts = append(parts, fmt.Sprintf("turn %d", src.Turn))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func (t *textWriter) Message(m Message) error {
	for _, f := range m.Findings {
		if f.Suppressed != nil {
			t.suppressed++ // listed in JSON and SARIF; here only counted
			continue
		}
		sev := string(f.Severity)
		switch f.Severity {
		case analyzer.Error:
			sev = t.paint(ansiBold+ansiRed, sev)
		case analyzer.Warning:
			sev = t.paint(ansiBold+ansiYellow, sev)
		default:
			sev = t.paint(ansiBold+ansiCyan, sev)
		}
		t.printf("%s:%d:%d: %s: %s %s%s\n", t.paint(ansiBold, location(f.Source)), f.Span.Line, f.Span.Column,
			sev, f.Message, t.paint(ansiDim, "["+f.Rule+"]"), context(f.Source))
		t.excerpt(m.Text, f)
		if f.Suggestion != "" {
			t.printf("      %s %s\n", t.paint(ansiGreen, "= suggestion:"), isolate(f.Suggestion))
		}
	}
	return t.err
}

// excerpt prints the finding's line with the span underlined.
func (t *textWriter) excerpt(text string, f analyzer.Finding) {
	if f.Span.Start > len(text) || f.Span.End > len(text) || f.Span.Start > f.Span.End {
		return
	}
	line := analyzer.LineText(text, f.Span.Start)
	lineStart := f.Span.Start - (f.Span.Column - 1)
	// Column is in runes: find the byte where the line starts.
	lineStart = strings.LastIndexByte(text[:f.Span.Start], '\n') + 1
	clean := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' {
			return ' '
		}
		return r
	}, line)
	num := fmt.Sprintf("%5d", f.Span.Line)
	if isRTL(line) {
		t.printf("%s %s %s\n", t.paint(ansiDim, num), t.paint(ansiDim, "|"), isolate(clean))
		flagged := strings.TrimSpace(text[f.Span.Start:f.Span.End])
		if flagged != "" {
			t.printf("      %s %s\n", t.paint(ansiDim, "|"), t.paint(ansiRed, "> «"+isolate(flagged)+"»"))
		}
		return
	}
	t.printf("%s %s %s\n", t.paint(ansiDim, num), t.paint(ansiDim, "|"), clean)
	col := utf8.RuneCountInString(text[lineStart:f.Span.Start])
	end := min(f.Span.End, lineStart+len(line))
	width := max(1, utf8.RuneCountInString(text[f.Span.Start:max(end, f.Span.Start)]))
	mark := "^" + strings.Repeat("~", width-1)
	t.printf("      %s %s%s\n", t.paint(ansiDim, "|"), strings.Repeat(" ", col), t.paint(ansiRed, mark))
}

// isRTL reports whether s is mostly written right to left.
func isRTL(s string) bool {
	var rtl, ltr int
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana):
			rtl++
		case unicode.IsLetter(r):
			ltr++
		}
	}
	return rtl > ltr
}

// isolate wraps right-to-left text in a first-strong isolate, so that
// bidi-aware terminals lay it out on its own and the punctuation around it
// stays put.
func isolate(s string) string {
	if !isRTL(s) {
		return s
	}
	return "\u2068" + s + "\u2069"
}

func (t *textWriter) Error(e InputError) error {
	// Errors go to the report too, so a reader of the report sees them.
	t.printf("%s: %s: %s\n", t.paint(ansiBold, location(analyzer.Source{Path: e.Path})), t.paint(ansiBold+ansiRed, "input error"), e.Error)
	return t.err
}

func (t *textWriter) Close(s Summary) error {
	if s.Findings == 0 && s.Errors == 0 {
		return t.err
	}
	s.Findings -= t.suppressed
	var parts []string
	for _, c := range sortedCategories(s.ByCategory) {
		parts = append(parts, fmt.Sprintf("%s %d", c, s.ByCategory[c]))
	}
	msg := fmt.Sprintf("%d %s in %d %s", s.Findings, plural(s.Findings, "finding", "findings"), s.Messages, plural(s.Messages, "message", "messages"))
	if len(parts) > 0 {
		msg += " (" + strings.Join(parts, ", ") + ")"
	}
	if t.suppressed > 0 {
		msg += fmt.Sprintf("; %d suppressed", t.suppressed)
	}
	if s.Errors > 0 {
		msg += fmt.Sprintf("; %d %s could not be read", s.Errors, plural(s.Errors, "input", "inputs"))
	}
	if len(s.Skipped) > 0 {
		var sk []string
		for _, k := range sortedCategories(s.Skipped) {
			sk = append(sk, fmt.Sprintf("%d %s", s.Skipped[k], k))
		}
		msg += "; not linted: " + strings.Join(sk, ", ") + " (--include-quoted lints quoted text)"
	}
	t.printf("\n%s\n", msg)
	return t.err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

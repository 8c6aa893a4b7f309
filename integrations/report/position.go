package report

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
)

// region is where a finding is, in the linted message text: 1-based lines,
// 1-based columns counted in characters (runes), and the span as a
// character offset and length. EndColumn is the column of the character
// after the span, as SARIF has it; for an empty span it equals
// StartColumn.
//
// Like the JSON output's span, every position is relative to the text that
// was linted (the body of an email, the text of a chat turn), not to the
// input file.
type region struct {
	StartLine, StartColumn int
	EndLine, EndColumn     int
	CharOffset, CharLength int
	// Exact is false when the text was not available and only the start
	// of the span (and the end column, from the flagged text) are known.
	Exact bool
}

// findingRegion computes the region of f in text, the message it was found
// in. When text does not hold the span, it falls back to the finding's own
// line and column.
func findingRegion(text string, f analyzer.Finding) region {
	sp := f.Span
	if text == "" || sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End {
		line, col := max(sp.Line, 1), max(sp.Column, 1)
		return region{
			StartLine: line, StartColumn: col,
			EndLine: line, EndColumn: col + utf8.RuneCountInString(firstLine(f.Text)),
			CharOffset: -1, CharLength: utf8.RuneCountInString(f.Text),
		}
	}
	end := sp.End
	// A span that takes in a line break ends on its line, not at the start
	// of the next one.
	for end > sp.Start && (text[end-1] == '\n' || text[end-1] == '\r') {
		end--
	}
	r := region{Exact: true}
	r.StartLine, r.StartColumn = lineColumn(text, sp.Start)
	r.EndLine, r.EndColumn = lineColumn(text, end)
	r.CharOffset = utf8.RuneCountInString(text[:sp.Start])
	r.CharLength = utf8.RuneCountInString(text[sp.Start:end])
	return r
}

// lineColumn returns the 1-based line and rune column of byte offset off.
func lineColumn(text string, off int) (line, col int) {
	line = strings.Count(text[:off], "\n") + 1
	start := strings.LastIndexByte(text[:off], '\n') + 1
	return line, utf8.RuneCountInString(text[start:off]) + 1
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// reportPath is the name a machine-readable report gives to a message's
// input: its path, the IMAP mailbox for a message read from a server, or
// "stdin".
func reportPath(src analyzer.Source) string {
	switch {
	case src.Path != "" && src.Path != "-":
		return src.Path
	case src.Path == "" && src.Mailbox != "":
		return src.Mailbox
	}
	return "stdin"
}

// artifactURI turns a report path into a URI reference (SARIF's
// artifactLocation.uri): a relative path stays relative, with its
// separators as slashes and every character a URI may not hold escaped; an
// absolute path becomes a file: URI.
func artifactURI(path string) string {
	slash := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(slash, "/") {
			slash = "/" + slash // C:/x → /C:/x
		}
		return (&url.URL{Scheme: "file", Path: slash}).String()
	}
	// (url.URL writes a first segment holding a colon as "./a:b", so that
	// it is not read as a scheme.)
	return (&url.URL{Path: slash}).String()
}

// messageName names a linted message for a human: its path and, when
// known, where in the input it is (mailbox, uid, message id, conversation,
// turn, line).
func messageName(src analyzer.Source) string {
	name := reportPath(src) + context(src)
	if src.Line > 0 {
		name += fmt.Sprintf(" line %d", src.Line)
	}
	return name
}

// withSuggestion appends a finding's suggestion to its message, in
// parentheses, for the one-line formats.
func withSuggestion(f analyzer.Finding) string {
	if f.Suggestion == "" {
		return f.Message
	}
	return f.Message + " (" + f.Suggestion + ")"
}

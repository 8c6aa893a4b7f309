// Package report writes findings in replylint's output formats.
//
// A Writer receives each linted message as it is done (so formats that can
// stream, stream), each input error, and finally the summary.
package report

import (
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// Message is one linted message: where it came from, the text that was
// linted (for excerpts) and its findings.
type Message struct {
	Source   analyzer.Source
	Text     string
	Findings []analyzer.Finding
}

// InputError is an input that could not be read or parsed. Its JSON form is
// part of the output contract.
type InputError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Summary counts what was linted. Its JSON form is part of the output
// contract.
type Summary struct {
	Files      int            `json:"files"`
	Messages   int            `json:"messages"`
	Findings   int            `json:"findings"`
	ByCategory map[string]int `json:"by_category"`
	Errors     int            `json:"errors,omitempty"`
	// Skipped counts the parts of messages deliberately not linted: quoted
	// earlier messages, signatures, attachments.
	Skipped map[string]int `json:"skipped,omitempty"`
}

// Add counts a message's findings.
func (s *Summary) Add(m Message) {
	if s.ByCategory == nil {
		s.ByCategory = map[string]int{}
	}
	s.Messages++
	s.Findings += len(m.Findings)
	for _, f := range m.Findings {
		s.ByCategory[f.Category]++
	}
}

// Writer writes a report.
type Writer interface {
	Message(Message) error
	Error(InputError) error
	Close(Summary) error
}

// Options tune a Writer.
type Options struct {
	Color bool // ANSI colour (text)
	// Rules, when set, gives rule metadata (title, doc, default severity)
	// to the formats that describe their rules (sarif).
	Rules *rules.Set
	// ToolVersion is replylint's version, for the formats that record it
	// (sarif).
	ToolVersion string
}

// Discard is a Writer that writes nothing, for a caller that keeps a
// lint session's summary and exit code but writes a report of its own
// (audit): formatting every message only to throw it away was a tenth of
// an audit's time.
var Discard Writer = discard{}

type discard struct{}

func (discard) Message(Message) error  { return nil }
func (discard) Error(InputError) error { return nil }
func (discard) Close(Summary) error    { return nil }

// Formats lists the output formats New knows.
var Formats = []string{"text", "json", "jsonl", "sarif", "junit", "github", "checkstyle", "csv"}

// New returns a Writer for format writing to w.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case "text":
		return &textWriter{w: w, color: opts.Color}, nil
	case "json":
		return &jsonWriter{w: w}, nil
	case "jsonl":
		return newJSONLWriter(w), nil
	case "sarif":
		return newSARIFWriter(w, opts), nil
	case "junit":
		return &junitWriter{w: w}, nil
	case "github":
		return &githubWriter{w: w}, nil
	case "checkstyle":
		return newCheckstyleWriter(w), nil
	case "csv":
		return newCSVWriter(w), nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %v)", format, Formats)
}

// sortedCategories returns the keys of m, sorted.
func sortedCategories(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// IsFormat reports whether f is a known format.
func IsFormat(f string) bool { return slices.Contains(Formats, f) }

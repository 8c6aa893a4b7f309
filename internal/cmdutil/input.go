package cmdutil

import (
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/replylint/replylint/integrations/input"
	"github.com/replylint/replylint/integrations/transcript"
)

// InputFlags are the flags of the commands that read inputs (check, audit).
type InputFlags struct {
	Input         string
	Map           string
	IncludeQuoted bool
}

// AddInputFlags registers the input flags.
func AddInputFlags(fl *pflag.FlagSet, f *InputFlags) {
	fl.StringVar(&f.Input, "input", "", "input format: "+strings.Join(input.Formats, ", ")+" (default: detect)")
	fl.StringVar(&f.Map, "map", "", "transcript field names, e.g. text=body,role=sender_type,author=name,timestamp=created_at")
	fl.BoolVar(&f.IncludeQuoted, "include-quoted", false, "lint the quoted earlier messages of emails too")
}

// Options checks the input flags and returns the reader options for a
// session (its language, and its kind when the user set one).
func (f *InputFlags) Options(s *Session, stdin io.Reader) (input.Options, error) {
	if f.Input != "" && !slices.Contains(input.Formats, f.Input) {
		return input.Options{}, Usagef("--input %q: want one of %s", f.Input, strings.Join(input.Formats, ", "))
	}
	mapping, err := transcript.ParseMapping(f.Map)
	if err != nil {
		return input.Options{}, Usagef("--map: %v", err)
	}
	in := input.Options{Format: f.Input, Lang: s.Lang, Mapping: mapping, IncludeQuoted: f.IncludeQuoted, Stdin: stdin}
	if s.KindSet {
		in.Kind = s.Kind
	}
	return in, nil
}

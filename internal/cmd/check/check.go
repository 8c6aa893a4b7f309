// Package check implements `replylint check`.
package check

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/integrations/input"
	"github.com/replylint/replylint/integrations/report"
	"github.com/replylint/replylint/internal/cmdutil"
	"github.com/replylint/replylint/rules"
)

// Options are the flags and arguments of `replylint check`.
type Options struct {
	IO    *cmdutil.IOStreams
	Rules func() (*rules.Set, error)

	Paths       []string
	Format      string
	Output      string
	Lang        string
	Kind        string
	FailOn      string
	MinSeverity string
	Enable      []string
	Disable     []string
}

// NewCmdCheck returns the check command. runF replaces the run in tests.
func NewCmdCheck(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Rules: f.Rules}
	cmd := &cobra.Command{
		Use:   "check [FILE|DIR|-]...",
		Short: "Lint drafts and replies",
		Long: `Lint drafts and replies for the phrases that lose customers.

Each FILE is a message; each DIR is walked (hidden files are skipped); - reads
standard input. With no arguments, check reads standard input.

Findings print as a compiler's: path:line:col: severity: message [rule], the
line with the phrase underlined, and what to write instead, in the message's
own language.

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 a usage error or an input that could not be read (after linting the rest).`,
		Example: `  replylint check draft.txt
  pbpaste | replylint check -
  replylint check --kind chat --lang ru replies/
  replylint check --format json drafts/ | jq '.findings[] | .rule'
  replylint check --disable courtesy --fail-on warning draft.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if len(opts.Paths) == 0 {
				opts.Paths = []string{"-"}
			}
			if runF != nil {
				return runF(opts)
			}
			return checkRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	fl.StringVarP(&opts.Output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVar(&opts.Lang, "lang", "auto", "language of the messages: auto, en, ar, fa, ru or a tag such as fa-IR")
	fl.StringVar(&opts.Kind, "kind", "email", "what the messages are: email (greeting and sign-off expected), chat (one turn) or text")
	fl.StringVar(&opts.FailOn, "fail-on", "error", "exit 1 when a finding is at or above: error, warning or never")
	fl.StringVar(&opts.MinSeverity, "min-severity", "warning", "report findings at or above: error, warning or info")
	fl.StringSliceVar(&opts.Enable, "enable", nil, "run only these rules or categories (repeatable, comma-separated)")
	fl.StringSliceVar(&opts.Disable, "disable", nil, "do not run these rules or categories (repeatable, comma-separated)")
	return cmd
}

func checkRun(opts *Options) error {
	if !report.IsFormat(opts.Format) {
		return cmdutil.Usagef("--format %q: want one of %s", opts.Format, strings.Join(report.Formats, ", "))
	}
	lang, err := analyzer.ParseLang(opts.Lang)
	if err != nil {
		return cmdutil.Usagef("--lang: %v", err)
	}
	kind, ok := analyzer.ParseKind(opts.Kind)
	if !ok {
		return cmdutil.Usagef("--kind %q: want email, chat or text", opts.Kind)
	}
	failRank := 0 // never
	if opts.FailOn != "never" {
		sev, err := rules.ParseSeverity(opts.FailOn)
		if err != nil {
			return cmdutil.Usagef("--fail-on: %v (or never)", err)
		}
		failRank = max(sev.Rank(), rules.Warning.Rank()) // info never fails a run
	}
	minSev, err := rules.ParseSeverity(opts.MinSeverity)
	if err != nil {
		return cmdutil.Usagef("--min-severity: %v", err)
	}
	set, err := opts.Rules()
	if err != nil {
		return err
	}
	a, err := analyzer.New(set, analyzer.Config{Enable: cmdutil.SplitList(opts.Enable), Disable: cmdutil.SplitList(opts.Disable)})
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}

	out := opts.IO.Out
	color := opts.IO.ColorEnabled()
	if opts.Output != "" {
		f, err := os.Create(opts.Output)
		if err != nil {
			return cmdutil.Usagef("--output: %v", err)
		}
		defer f.Close()
		out, color = f, false
	}
	w, err := report.New(opts.Format, out, report.Options{Color: color})
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}

	var sum report.Summary
	files := map[string]bool{}
	failed := false
	inputErrors := 0
	walkErr := input.Walk(opts.Paths, input.Options{Kind: kind, Lang: lang, Stdin: opts.IO.In},
		func(path string, doc analyzer.Document) error {
			files[path] = true
			var kept []analyzer.Finding
			for _, f := range a.Run(doc) {
				if f.Severity.Rank() < minSev.Rank() {
					continue
				}
				if failRank > 0 && f.Severity.Rank() >= failRank {
					failed = true
				}
				kept = append(kept, f)
			}
			m := report.Message{Source: doc.Source, Text: doc.Text, Findings: kept}
			sum.Add(m)
			return w.Message(m)
		},
		func(e *input.Error) {
			inputErrors++
			fmt.Fprintf(opts.IO.ErrOut, "replylint: %v\n", e)
			_ = w.Error(report.InputError{Path: e.Path, Error: e.Err.Error()})
		})
	sum.Files = len(files)
	sum.Errors = inputErrors
	if err := w.Close(sum); err != nil && walkErr == nil {
		walkErr = err
	}
	switch {
	case walkErr != nil:
		return walkErr
	case inputErrors > 0:
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitError}
	case failed:
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitFindings}
	}
	return nil
}

package cmdutil

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/integrations/report"
	"github.com/replylint/replylint/rules"
)

// LintFlags are the flags every command that lints and reports shares.
type LintFlags struct {
	Format      string
	Output      string
	Lang        string
	Kind        string
	FailOn      string
	MinSeverity string
	Enable      []string
	Disable     []string

	flags *pflag.FlagSet
}

// AddLintFlags registers the shared flags; kind is the default --kind.
func AddLintFlags(fl *pflag.FlagSet, f *LintFlags, kind string) {
	fl.StringVarP(&f.Format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	fl.StringVarP(&f.Output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVar(&f.Lang, "lang", "auto", "language of the messages: auto, en, ar, fa, ru or a tag such as fa-IR")
	fl.StringVar(&f.Kind, "kind", kind, "what the messages are: email (greeting and sign-off expected), chat (one turn) or text")
	fl.StringVar(&f.FailOn, "fail-on", "error", "exit 1 when a finding is at or above: error, warning or never")
	fl.StringVar(&f.MinSeverity, "min-severity", "warning", "report findings at or above: error, warning or info")
	fl.StringSliceVar(&f.Enable, "enable", nil, "run only these rules or categories (repeatable, comma-separated)")
	fl.StringSliceVar(&f.Disable, "disable", nil, "do not run these rules or categories (repeatable, comma-separated)")
	f.flags = fl
}

// applyConfig takes the configuration's values for the flags the user did
// not set.
func (f *LintFlags) applyConfig(c *config.Config) {
	set := func(name string, dst *string, v string) {
		if v != "" && (f.flags == nil || !f.flags.Changed(name)) {
			*dst = v
		}
	}
	set("lang", &f.Lang, c.Lang)
	set("kind", &f.Kind, c.Kind)
	set("fail-on", &f.FailOn, c.FailOn)
	set("min-severity", &f.MinSeverity, c.MinSeverity)
}

// Session lints documents and writes them to a report, remembering what
// decides the exit code. One session per command run.
type Session struct {
	Analyzer *analyzer.Analyzer
	Lang     string
	Kind     analyzer.Kind
	KindSet  bool // --kind was given (or set in the configuration)
	Writer   report.Writer
	Summary  report.Summary

	Config *config.Config

	errOut   io.Writer
	closer   io.Closer
	suppress *config.Suppressor
	failRank int
	minRank  int
	failed   bool
	files    map[string]bool
}

// Start validates the flags, reads the configuration, compiles the rules
// and opens the report.
func (f *LintFlags) Start(ios *IOStreams, fac *Factory) (*Session, error) {
	s := &Session{errOut: ios.ErrOut, files: map[string]bool{}}
	cfg, err := fac.Config()
	if err != nil {
		return nil, err
	}
	s.Config = cfg
	s.suppress = config.NewSuppressor(cfg)
	f.applyConfig(cfg)
	if !report.IsFormat(f.Format) {
		return nil, Usagef("--format %q: want one of %s", f.Format, strings.Join(report.Formats, ", "))
	}
	if s.Lang, err = analyzer.ParseLang(f.Lang); err != nil {
		return nil, Usagef("--lang: %v", err)
	}
	var ok bool
	if s.Kind, ok = analyzer.ParseKind(f.Kind); !ok {
		return nil, Usagef("--kind %q: want email, chat or text", f.Kind)
	}
	s.KindSet = cfg.Kind != "" || f.flags != nil && f.flags.Changed("kind")
	if f.FailOn != "never" {
		sev, err := rules.ParseSeverity(f.FailOn)
		if err != nil {
			return nil, Usagef("--fail-on: %v (or never)", err)
		}
		s.failRank = max(sev.Rank(), rules.Warning.Rank()) // info never fails a run
	}
	minSev, err := rules.ParseSeverity(f.MinSeverity)
	if err != nil {
		return nil, Usagef("--min-severity: %v", err)
	}
	s.minRank = minSev.Rank()
	// Start-up allocates a short-lived burst (the catalogue's YAML trees,
	// the automaton's build tables): a higher GC target while the analyzer
	// is built saves several collections. A GOGC set by the user wins.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	set, err := fac.Rules()
	if err != nil {
		return nil, err
	}
	if err := cfg.Check(set); err != nil {
		return nil, &UsageError{Err: err}
	}
	acfg, err := cfg.Analyzer()
	if err != nil {
		return nil, Usagef("%v", err)
	}
	if f.flags == nil || f.flags.Changed("enable") || len(acfg.Enable) == 0 {
		acfg.Enable = SplitList(f.Enable)
	}
	acfg.Disable = append(acfg.Disable, SplitList(f.Disable)...)
	s.Analyzer, err = analyzer.New(set, acfg)
	if err != nil {
		return nil, Usagef("%v", err)
	}
	out, color := ios.Out, ios.ColorEnabled()
	if f.Output != "" {
		file, err := os.Create(f.Output)
		if err != nil {
			return nil, Usagef("--output: %v", err)
		}
		out, color, s.closer = file, false, file
	}
	s.Writer, err = report.New(f.Format, out, report.Options{Color: color, Rules: set})
	if err != nil {
		return nil, Usagef("%v", err)
	}
	return s, nil
}

// Lint lints one document and writes it to the report. path is the input
// file it came from (for the file count).
func (s *Session) Lint(path string, doc analyzer.Document) error {
	if doc.Kind == "" {
		doc.Kind = s.Kind
	}
	if doc.Lang == "" {
		doc.Lang = s.Lang
	}
	s.files[path] = true
	findings := s.Analyzer.Run(doc)
	for _, p := range s.suppress.Apply(doc, findings) {
		s.Warn(DisplayPath(doc.Source), p)
	}
	return s.Write(doc, findings)
}

// DisplayPath names a document in a warning: its path (<stdin> for
// standard input) and message id.
func DisplayPath(src analyzer.Source) string {
	p := src.Path
	if p == "" || p == "-" {
		p = "<stdin>"
	}
	if src.MessageID != "" {
		p += " " + src.MessageID
	}
	return p
}

// Write reports findings of a document linted elsewhere, applying the
// severity threshold.
func (s *Session) Write(doc analyzer.Document, findings []analyzer.Finding) error {
	kept := AtLeast(findings, s.minRank)
	for _, f := range kept {
		if s.failRank > 0 && f.Suppressed == nil && f.Severity.Rank() >= s.failRank {
			s.failed = true
		}
	}
	m := report.Message{Source: doc.Source, Text: doc.Text, Findings: kept}
	s.Summary.Add(m)
	for _, sk := range doc.Context.Skipped {
		if s.Summary.Skipped == nil {
			s.Summary.Skipped = map[string]int{}
		}
		s.Summary.Skipped[sk.What]++
	}
	return s.Writer.Message(m)
}

// AtLeast returns the findings of severity rank minRank or more: fs
// itself when that is all of them (findings are large, and usually all
// pass), else a new slice.
func AtLeast(fs []analyzer.Finding, minRank int) []analyzer.Finding {
	for i, f := range fs {
		if f.Severity.Rank() >= minRank {
			continue
		}
		kept := append([]analyzer.Finding(nil), fs[:i]...)
		for _, f := range fs[i+1:] {
			if f.Severity.Rank() >= minRank {
				kept = append(kept, f)
			}
		}
		return kept
	}
	return fs
}

// InputError reports an input that could not be read: one line on stderr
// and an entry in the report.
func (s *Session) InputError(path string, err error) {
	s.Summary.Errors++
	fmt.Fprintf(s.errOut, "replylint: %s: %v\n", path, err)
	_ = s.Writer.Error(report.InputError{Path: path, Error: err.Error()})
}

// Warn prints a warning about an input that was still linted.
func (s *Session) Warn(path string, msg string) {
	fmt.Fprintf(s.errOut, "replylint: %s: warning: %s\n", path, msg)
}

// Failed reports whether a finding at or above --fail-on was written.
func (s *Session) Failed() bool { return s.failed }

// Close writes the summary and returns the error that carries the exit
// code: 2 when an input could not be read, 1 when findings fail the run.
func (s *Session) Close() error {
	for _, u := range s.suppress.Unused() {
		fmt.Fprintf(s.errOut, "replylint: %s\n", u)
	}
	s.Summary.Files = len(s.files)
	err := s.Writer.Close(s.Summary)
	if s.closer != nil {
		if cerr := s.closer.Close(); err == nil {
			err = cerr
		}
	}
	switch {
	case err != nil:
		return err
	case s.Summary.Errors > 0:
		return &ExitCodeError{Code: ExitError}
	case s.failed:
		return &ExitCodeError{Code: ExitFindings}
	}
	return nil
}

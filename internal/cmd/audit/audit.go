// Package audit implements `replylint audit`: batch QA audits of many
// messages, with per-group scorecards, canned-reply clusters and reports
// (integrations/audit does the aggregation; this package wires flags,
// inputs, the worker pool and the progress bar).
package audit

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/integrations/audit"
	"github.com/replylint/replylint/integrations/input"
	"github.com/replylint/replylint/integrations/report"
	"github.com/replylint/replylint/internal/cmdutil"
	"github.com/replylint/replylint/rules"
)

// Options are the flags and arguments of `replylint audit`.
type Options struct {
	IO      *cmdutil.IOStreams
	Factory *cmdutil.Factory

	Paths []string
	cmdutil.InputFlags

	By           string
	Weights      string
	Critical     []string
	Examples     int
	FromFindings string
	Jobs         int
	Progress     string // auto, always, never

	ClusterThreshold float64
	ClusterMin       int
	cmdutil.LintFlags
}

// NewCmdAudit returns the audit command. runF replaces the run in tests.
func NewCmdAudit(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "audit [FILE|DIR|-]...",
		Short: "Audit many replies: per-agent scorecards, canned clusters, HTML report",
		Long: `Audit transcripts and mailboxes after the fact, as a QA team does: lint every
agent message (with all cores, streaming, in bounded memory) and report
scorecards per agent, team, conversation, day, week, category or input file.

Inputs are those of check: transcripts (JSONL, JSON, CSV, chat logs), emails
(.eml), mbox files, Maildir folders and folders of them; - reads standard
input. An input (or message, or line) that cannot be read is counted, named
in the report with its reason, and the audit goes on.

A scorecard has, per group: agent messages; findings per category and per
100 agent messages; the share of clean messages; courtesy rates (greeting
where expected, thanks, apology after a complaint, sign-off in emails); the
median reply delay (reply time minus the customer's, when known); the top
offending phrases; and a quality score from 0 to 100:

  message score = 100 − Σ weight(category) over the categories it has a
                  finding in (once each), floored at 0;
                  0 outright with a finding in a --critical category
  group score   = mean of its messages' scores

Counted findings are those at or above --min-severity not suppressed. The
agent is the transcript author or the email's From name (named as in the
configuration's agents, which also give their teams).

Canned clusters are replies sent nearly identically (MinHash over word
shingles, confirmed by exact Jaccard similarity ≥ --cluster-threshold) to
different customers; a cluster whose replies answered dissimilar customer
messages is flagged: a pre-written letter unrelated to the request.

Formats (--format):
  table   for a terminal (the default)
  csv     one row per group, with a count and a per-100 column per category
  json    the whole report: scorecards, clusters, timeline, examples
  html    one self-contained page (no external resources): charts, clusters,
          and every kept example finding shown in its message
  jsonl   the map output, streamed: per message a {"record": ...} line and
          its findings (the lines of check --format jsonl); reduce it with
          audit --from-findings

--from-findings FILE (or -) re-aggregates JSON Lines: audit's jsonl output
(exactly the direct result) or check --format jsonl (clean messages are then
not seen). Run the map step anywhere, reduce it here.

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 a usage error or inputs that could not be read (after auditing the rest).`,
		Example: `  replylint audit exports/ --by agent --format html -o report.html
  replylint audit chats.jsonl --by agent --format csv > agents.csv
  replylint audit ~/Mail/support.mbox --by week
  replylint audit --weights deflection=30,courtesy=2 --critical dismissive transcripts/
  cat chats.jsonl | replylint audit --format jsonl - > part-0000.jsonl
  cat part-*.jsonl | replylint audit --from-findings - --by team --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if len(opts.Paths) == 0 && opts.FromFindings == "" {
				opts.Paths = []string{"-"}
			}
			if runF != nil {
				return runF(opts)
			}
			return auditRun(opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddLintFlags(fl, &opts.LintFlags, "email")
	opts.Format = "table"
	ff := fl.Lookup("format")
	ff.DefValue = "table"
	ff.Usage = "output format: " + strings.Join(audit.Formats, ", ")
	cmdutil.AddInputFlags(fl, &opts.InputFlags)
	fl.StringVar(&opts.By, "by", "agent", "group scorecards by: "+strings.Join(audit.Groupings, ", "))
	fl.StringVar(&opts.Weights, "weights", "", "score weights per category (0-100), e.g. deflection=10,courtesy=2 (the others keep their defaults)")
	fl.StringSliceVar(&opts.Critical, "critical", audit.DefaultCritical, "categories that fail a message outright (score 0); none for no such category")
	fl.IntVar(&opts.Examples, "examples", 20, "example findings kept per group and category for the drill-down")
	fl.StringVar(&opts.FromFindings, "from-findings", "", "re-aggregate JSON Lines findings from FILE (- for standard input) instead of linting")
	fl.IntVarP(&opts.Jobs, "jobs", "j", runtime.NumCPU(), "messages linted in parallel")
	fl.StringVar(&opts.Progress, "progress", "auto", "progress bar on standard error: auto (when it is a terminal), always or never")
	fl.Float64Var(&opts.ClusterThreshold, "cluster-threshold", 0.8, "similarity (Jaccard, 0-1) at which two replies are near-identical")
	fl.IntVar(&opts.ClusterMin, "cluster-min", 3, "replies a canned cluster has at least")
	return cmd
}

func auditRun(opts *Options) error {
	if !slices.Contains(audit.Formats, opts.Format) {
		return cmdutil.Usagef("--format %q: want one of %s", opts.Format, strings.Join(audit.Formats, ", "))
	}
	if !slices.Contains(audit.Groupings, opts.By) {
		return cmdutil.Usagef("--by %q: want one of %s", opts.By, strings.Join(audit.Groupings, ", "))
	}
	if opts.FromFindings != "" && len(opts.Paths) > 0 {
		return cmdutil.Usagef("--from-findings reads findings, not inputs: drop %s", strings.Join(opts.Paths, " "))
	}
	if opts.Examples < 0 {
		return cmdutil.Usagef("--examples %d: want 0 or more", opts.Examples)
	}
	if opts.ClusterThreshold <= 0 || opts.ClusterThreshold > 1 {
		return cmdutil.Usagef("--cluster-threshold %v: want more than 0 and at most 1", opts.ClusterThreshold)
	}
	switch opts.Progress {
	case "auto", "always", "never":
	default:
		return cmdutil.Usagef("--progress %q: want auto, always or never", opts.Progress)
	}
	set, err := opts.Factory.Rules()
	if err != nil {
		return err
	}
	weights, critical, err := scoring(opts.Weights, opts.Critical, set)
	if err != nil {
		return err
	}

	// The session does flags, configuration, rules, suppressions and exit
	// codes as for check; its own report is discarded (audit writes its own).
	lf := opts.LintFlags
	lf.Format, lf.Output = "jsonl", ""
	quiet := *opts.IO
	quiet.Out = io.Discard
	s, err := lf.Start(&quiet, opts.Factory)
	if err != nil {
		return err
	}
	s.Writer = report.Discard
	// The audit's memory budget is 200 MB whatever the corpus; the live
	// heap is ≈50 MB (the automata and the workers' word caches), and the
	// GC's default target lets the heap reach twice that between cycles. A
	// soft limit below the budget keeps a spike from crossing it. A
	// GOMEMLIMIT set by the user wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(160 << 20))
	}
	minSev, err := rules.ParseSeverity(lf.MinSeverity)
	if err != nil {
		return cmdutil.Usagef("--min-severity: %v", err)
	}
	cfg := s.Config

	out := opts.IO.Out
	var file *os.File
	if opts.Output != "" {
		if file, err = os.Create(opts.Output); err != nil {
			return cmdutil.Usagef("--output: %v", err)
		}
		defer file.Close()
		out = file
	}

	examples := opts.Examples
	if examples == 0 {
		examples = -1 // none (0 means the default to audit.New)
	}
	agg, err := audit.New(audit.Options{
		By: opts.By, Weights: weights, Critical: critical, Examples: examples,
		Cluster: audit.ClusterOptions{Threshold: opts.ClusterThreshold, MinSize: opts.ClusterMin},
		Team: func(agent string) string {
			if a, ok := cfg.AgentFor(agent); ok {
				return a.Team
			}
			return ""
		},
	})
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}
	var rw *audit.RecordWriter
	if opts.Format == "jsonl" {
		rw = audit.NewRecordWriter(out)
	}
	sup := config.NewSuppressor(cfg)

	// emit hands a record to the map output or the aggregation, after the
	// session has seen its findings (for the exit code).
	emit := func(doc analyzer.Document, rec *audit.Record, all []analyzer.Finding) error {
		if err := s.Write(doc, all); err != nil {
			return err
		}
		rec.Findings = cmdutil.AtLeast(all, minSev.Rank())
		if rw != nil {
			return rw.Write(rec)
		}
		agg.Add(rec)
		return nil
	}
	skip := func(path string, err error) error {
		s.InputError(path, err)
		if rw != nil {
			return rw.Skip(path, err.Error())
		}
		agg.Skip(path, err.Error())
		return nil
	}

	prog := newProgress(opts, opts.Paths)
	var runErr error
	if opts.FromFindings != "" {
		runErr = reduce(opts, cfg, prog, emit, skip)
	} else {
		in, err := opts.InputFlags.Options(s, opts.IO.In)
		if err != nil {
			return err
		}
		runErr = lint(opts, s, in, cfg, sup, prog, emit, skip)
	}
	prog.finish()

	if runErr == nil {
		if rw != nil {
			runErr = rw.Flush()
		} else {
			runErr = audit.Write(out, opts.Format, agg.Result())
		}
	}
	if runErr == nil && file != nil {
		runErr = file.Close()
	}
	if err := s.Close(); runErr == nil {
		runErr = err
	}
	if n := s.Summary.Errors; n > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "replylint: audit finished; %d input(s) skipped (could not be read)\n", n)
	}
	return runErr
}

// job is one item of the pipeline: a document to lint, or an input that
// could not be read.
type job struct {
	path string
	doc  analyzer.Document
	fail *input.Error
	warn string
}

type linted struct {
	job
	all []analyzer.Finding
	rec *audit.Record
}

func lint(opts *Options, s *cmdutil.Session, in input.Options, cfg *config.Config, sup *config.Suppressor,
	prog *progress, emit func(analyzer.Document, *audit.Record, []analyzer.Finding) error, skip func(string, error) error) error {
	workers := max(opts.Jobs, 1)
	return audit.Ordered(workers, 4*workers,
		func(send func(job) error) error {
			var sendErr error
			walkErr := input.Walk(opts.Paths, in, input.Handler{
				Doc: func(path string, d analyzer.Document) error {
					if d.Kind == "" {
						d.Kind = s.Kind
					}
					if d.Lang == "" {
						d.Lang = s.Lang
					}
					return send(job{path: path, doc: d})
				},
				Fail: func(e *input.Error) {
					if sendErr == nil {
						sendErr = send(job{fail: e})
					}
				},
				Warn: func(path, msg string) {
					if sendErr == nil {
						sendErr = send(job{path: path, warn: msg})
					}
				},
			})
			return errors.Join(walkErr, sendErr)
		},
		func(j job) linted {
			if j.fail != nil || j.warn != "" {
				return linted{job: j}
			}
			res := s.Analyzer.Check(j.doc)
			return linted{job: j, all: res.Findings, rec: audit.Prepare(j.doc, res, cfg)}
		},
		func(l linted) error {
			switch {
			case l.fail != nil:
				return skip(l.fail.Path, l.fail.Err)
			case l.warn != "":
				s.Warn(l.path, l.warn)
				return nil
			}
			for _, p := range sup.Apply(l.doc, l.all) {
				s.Warn(cmdutil.DisplayPath(l.doc.Source), p)
			}
			prog.message(l.path, len(l.doc.Text)+len(l.doc.Context.Customer))
			return emit(l.doc, l.rec, l.all)
		})
}

// reduce re-aggregates JSON Lines findings.
func reduce(opts *Options, cfg *config.Config, prog *progress,
	emit func(analyzer.Document, *audit.Record, []analyzer.Finding) error, skip func(string, error) error) error {
	var in io.Reader = opts.IO.In
	name := "<stdin>"
	if opts.FromFindings != "-" {
		f, err := os.Open(opts.FromFindings)
		if err != nil {
			return cmdutil.Usagef("--from-findings: %v", err)
		}
		defer f.Close()
		in, name = f, opts.FromFindings
	}
	var skipErr error
	err := audit.ReadFindings(in, name, func(r *audit.Record) error {
		if r.Implicit && r.Agent != "" {
			if a, ok := cfg.AgentFor(r.Agent); ok && a.Name != "" {
				r.Agent = a.Name
			}
		}
		prog.message(r.Source.Path, len(r.Text))
		return emit(analyzer.Document{Text: r.Text, Source: r.Source}, r, r.Findings)
	}, func(path, reason string) {
		if skipErr == nil {
			skipErr = skip(path, errors.New(reason))
		}
	})
	return errors.Join(err, skipErr)
}

// scoring parses --weights and --critical, checking the categories
// against the rule set's.
func scoring(weights string, critical []string, set *rules.Set) (map[string]float64, []string, error) {
	known := map[string]bool{}
	for _, r := range set.Rules {
		known[r.Category] = true
	}
	check := func(flag, c string) error {
		if !known[c] {
			var all []string
			for k := range known {
				all = append(all, k)
			}
			slices.Sort(all)
			return cmdutil.Usagef("%s: unknown category %q (want one of %s)", flag, c, strings.Join(all, ", "))
		}
		return nil
	}
	w := map[string]float64{}
	for _, kv := range cmdutil.SplitList([]string{weights}) {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok {
			return nil, nil, cmdutil.Usagef("--weights %q: want CATEGORY=WEIGHT", kv)
		}
		if err := check("--weights", k); err != nil {
			return nil, nil, err
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || f > 100 {
			return nil, nil, cmdutil.Usagef("--weights %s: %q is not a number from 0 to 100", k, v)
		}
		w[k] = f
	}
	var crit []string
	for _, c := range cmdutil.SplitList(critical) {
		if c == "none" {
			continue
		}
		if err := check("--critical", c); err != nil {
			return nil, nil, err
		}
		crit = append(crit, c)
	}
	return w, crit, nil
}

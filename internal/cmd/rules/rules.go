// Package rules implements `replylint rules`: list the rules and show one.
package rules

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/internal/cmdutil"
	"github.com/replylint/replylint/rules"
)

// Options are the flags of `replylint rules`.
type Options struct {
	IO       *cmdutil.IOStreams
	Rules    func() (*rules.Set, error)
	Lang     string
	Category string
	ShowID   string
}

// NewCmdRules returns the rules command. runF replaces the run in tests.
func NewCmdRules(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Rules: f.Rules}
	cmd := &cobra.Command{
		Use:   "rules [show ID]",
		Short: "List the rules, or show one with its examples",
		Long: `List every rule: its id, category, default severity, languages and title.

'replylint rules show ID' prints the rule's documentation, its message and
suggestion in each language, and the examples it must flag and leave alone.`,
		Example: `  replylint rules
  replylint rules --lang ru --category deflection
  replylint rules show deflection.not-my-responsibility`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return nil
			case len(args) == 2 && args[0] == "show":
				return nil
			}
			return cmdutil.Usagef("usage: replylint rules [--lang L] [--category C] | replylint rules show ID")
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.ShowID = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return rulesRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Lang, "lang", "", "only rules in this language (en, ar, fa, ru)")
	cmd.Flags().StringVar(&opts.Category, "category", "", "only rules of this category")
	return cmd
}

func rulesRun(opts *Options) error {
	set, err := opts.Rules()
	if err != nil {
		return err
	}
	// Compile too, so that a broken pattern is reported here and not only
	// when linting.
	if _, err := analyzer.New(set, analyzer.Config{}); err != nil {
		return err
	}
	if opts.Category != "" && !rules.IsCategory(opts.Category) {
		return cmdutil.Usagef("--category %q: want one of %s", opts.Category, strings.Join(rules.Categories, ", "))
	}
	if opts.ShowID != "" {
		return show(opts, set)
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCATEGORY\tSEVERITY\tLANGS\tTITLE")
	n := 0
	for _, id := range set.IDs() {
		variants := set.Lookup(id)
		var langs []string
		for _, r := range variants {
			langs = append(langs, r.Lang)
		}
		slices.Sort(langs)
		r := variants[0]
		if opts.Lang != "" && !slices.Contains(langs, opts.Lang) {
			continue
		}
		if opts.Category != "" && r.Category != opts.Category {
			continue
		}
		title := r.Title
		for _, v := range variants {
			if v.Lang == "en" {
				title = v.Title
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id, r.Category, r.Severity, strings.Join(langs, ","), title)
		n++
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if n == 0 {
		return cmdutil.Usagef("no rule matches --lang %q --category %q", opts.Lang, opts.Category)
	}
	return nil
}

func show(opts *Options, set *rules.Set) error {
	variants := set.Lookup(opts.ShowID)
	if len(variants) == 0 {
		return cmdutil.Usagef("no rule %q (see `replylint rules`)", opts.ShowID)
	}
	out := opts.IO.Out
	first := variants[0]
	for _, v := range variants {
		if v.Lang == "en" {
			first = v
		}
	}
	fmt.Fprintf(out, "%s — %s\n", first.ID, first.Title)
	fmt.Fprintf(out, "category: %s   severity: %s", first.Category, first.Severity)
	if first.Since != "" {
		fmt.Fprintf(out, "   since: %s", first.Since)
	}
	fmt.Fprintln(out)
	if first.Doc != "" {
		fmt.Fprintf(out, "\n%s\n", strings.TrimSpace(first.Doc))
	}
	for _, v := range variants {
		if opts.Lang != "" && v.Lang != opts.Lang {
			continue
		}
		fmt.Fprintf(out, "\n[%s] %s\n", v.Lang, v.Title)
		fmt.Fprintf(out, "  message:    %s\n", v.Message)
		fmt.Fprintf(out, "  suggestion: %s\n", v.Suggestion)
		if v.Check != "" {
			fmt.Fprintf(out, "  check:      %s (structural)\n", v.Check)
		} else {
			fmt.Fprintf(out, "  patterns:   %d, exceptions: %d  (%s)\n", len(v.Patterns), len(v.Exceptions), v.Pos)
		}
		for _, b := range v.Examples.Bad {
			fmt.Fprintf(out, "  bad:  %s\n", oneLine(b))
		}
		for _, g := range v.Examples.Good {
			fmt.Fprintf(out, "  good: %s\n", oneLine(g))
		}
	}
	return nil
}

func oneLine(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", " / ") }

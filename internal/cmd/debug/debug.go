// Package debug implements `replylint debug`, a tool for rule authors.
package debug

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/internal/cmdutil"
)

// NewCmdDebug returns the debug command.
func NewCmdDebug(f *cmdutil.Factory) *cobra.Command {
	var lang, kind string
	cmd := &cobra.Command{
		Use:   "debug [TEXT]",
		Short: "Show how a message is normalised, tokenised and matched (for rule authors)",
		Long: `Show how replylint sees a message: the language of each paragraph, the
normalised tokens (sentence breaks as |), every raw pattern match (rules,
exceptions, phrase lists) and the findings that remain. TEXT, or standard
input when TEXT is absent.`,
		Example: `  replylint debug "Это не в моей компетенции"
  replylint debug --kind chat < reply.txt`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var text string
			if len(args) == 1 {
				text = args[0]
			} else {
				b, err := io.ReadAll(f.IOStreams.In)
				if err != nil {
					return err
				}
				text = string(b)
			}
			l, err := analyzer.ParseLang(lang)
			if err != nil {
				return cmdutil.Usagef("--lang: %v", err)
			}
			k, ok := analyzer.ParseKind(kind)
			if !ok {
				return cmdutil.Usagef("--kind %q: want email, chat or text", kind)
			}
			set, err := f.Rules()
			if err != nil {
				return err
			}
			a, err := analyzer.New(set, analyzer.Config{})
			if err != nil {
				return err
			}
			ex := a.Explain(analyzer.Document{Text: text, Lang: l, Kind: k})
			out := f.IOStreams.Out
			fmt.Fprintf(out, "language: %s\n", ex.Lang)
			for i, p := range ex.Paragraphs {
				fmt.Fprintf(out, "paragraph %d [%s]: %s\n", i+1, p.Lang, strings.Join(p.Tokens, " "))
			}
			for _, m := range ex.Matches {
				q := ""
				if m.Quoted {
					q = " (quoted)"
				}
				fmt.Fprintf(out, "match %-9s %-40s [%s] %q  <- %s%s\n", m.Kind, m.Owner, m.Lang, m.Text, m.Pattern, q)
			}
			for _, fd := range ex.Findings {
				fmt.Fprintf(out, "finding %s %s %s %q\n", fd.Severity, fd.Rule, fd.Lang, fd.Text)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "auto", "force the language")
	cmd.Flags().StringVar(&kind, "kind", "email", "email, chat or text")
	return cmd
}

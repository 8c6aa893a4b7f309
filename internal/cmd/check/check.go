// Package check implements `replylint check`.
package check

import (
	"github.com/spf13/cobra"

	"github.com/replylint/replylint/integrations/input"
	"github.com/replylint/replylint/internal/cmdutil"
)

// Options are the flags and arguments of `replylint check`.
type Options struct {
	IO      *cmdutil.IOStreams
	Factory *cmdutil.Factory

	Paths []string
	cmdutil.InputFlags
	cmdutil.LintFlags
}

// NewCmdCheck returns the check command. runF replaces the run in tests.
func NewCmdCheck(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "check [FILE|DIR|-]...",
		Short: "Lint drafts and replies",
		Long: `Lint drafts and replies for the phrases that lose customers.

Each FILE is a draft or a collection of messages; each DIR is walked (hidden
files are skipped; a folder with cur/ and new/ is a Maildir); - reads standard
input, and so does check with no arguments.

Inputs are recognised by extension and content (--input forces a format):
  text      a plain-text draft (the default)
  eml       an email (RFC 5322, MIME, any charset); only the agent's new text
            is linted: quoted earlier messages and the signature are context
  mbox      a mailbox file; maildir  a Maildir folder
  jsonl     chat transcript, one message per line: conversation_id, role
            (agent/customer), author, text, timestamp (RFC 3339)
  json      an array of such messages, or a helpdesk ticket export
  csv       a transcript with a header row
  chatlog   "[10:02] Agent Anna: ..." / "Customer: ..." lines
Only agent turns of transcripts are linted; customer turns are context (for
the apology, relevance and reply-time checks). --map renames transcript
fields: --map text=body,role=sender_type,timestamp=created_at.

Findings print as a compiler's: path:line:col: severity: message [rule], the
line with the phrase underlined, and what to write instead, in the message's
own language.

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 a usage error or an input that could not be read (after linting the rest).`,
		Example: `  replylint check draft.txt
  pbpaste | replylint check -
  replylint check --kind chat --lang ru replies/
  replylint check --format json drafts/ | jq '.findings[] | .rule'
  replylint check --disable courtesy --fail-on warning draft.txt
  replylint check reply.eml ~/Mail/support.mbox
  replylint check --map text=message,role=from transcripts.jsonl`,
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
	cmdutil.AddLintFlags(cmd.Flags(), &opts.LintFlags, "email")
	cmdutil.AddInputFlags(cmd.Flags(), &opts.InputFlags)
	return cmd
}

func checkRun(opts *Options) error {
	s, err := opts.Start(opts.IO, opts.Factory)
	if err != nil {
		return err
	}
	in, err := opts.InputFlags.Options(s, opts.IO.In)
	if err != nil {
		return err
	}
	walkErr := input.Walk(opts.Paths, in, input.Handler{
		Doc:  s.Lint,
		Fail: func(e *input.Error) { s.InputError(e.Path, e.Err) },
		Warn: s.Warn,
	})
	if err := s.Close(); walkErr == nil {
		walkErr = err
	}
	return walkErr
}

// Package sendmail implements `replylint sendmail`, a sendmail-compatible
// wrapper that refuses to send a message with findings.
package sendmail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/integrations/mail"
	"github.com/replylint/replylint/internal/cmdutil"
)

// ExitUnavailable is sendmail's EX_UNAVAILABLE (sysexits.h): the real
// sendmail could not be run.
const ExitUnavailable = 69

// MaxMessageSize is the largest message accepted on standard input.
const MaxMessageSize = 64 << 20

// SkipEnv, set to 1, sends without linting.
const SkipEnv = "REPLYLINT_SKIP"

// Options are the flags and arguments of `replylint sendmail`.
type Options struct {
	IO      *cmdutil.IOStreams
	Factory *cmdutil.Factory

	Command  []string // the real sendmail and its arguments
	WarnOnly bool
	cmdutil.LintFlags
}

// NewCmdSendmail returns the sendmail command. runF replaces the run in tests.
func NewCmdSendmail(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "sendmail [flags] -- SENDMAIL [ARGS...]",
		Short: "Lint a message on its way out; refuse to send it with findings",
		Long: `A sendmail-compatible wrapper for mail clients (mutt, neomutt, aerc), msmtp and
scripts. It reads the message on standard input and lints its new text (quoted
text and the signature are context). Then either:

  - nothing at or above --fail-on: the message goes to SENDMAIL with its
    arguments, byte for byte (only X-Replylint-Disable headers are removed),
    and replylint exits with SENDMAIL's exit code;
  - findings at or above --fail-on: the report goes to standard error,
    SENDMAIL is not called and replylint exits 1, so the client keeps the
    draft. With --warn-only the report is printed and the message sent anyway.

A deliberate send: set REPLYLINT_SKIP=1, or add a header
  X-Replylint-Disable: RULE-OR-CATEGORY reason
(the reason is required; the header is stripped before sending).

If SENDMAIL cannot be run, replylint says so and exits 69 (EX_UNAVAILABLE):
the message is never lost silently. A message that is not an email exits 2.`,
		Example: `  # neomutt / mutt (~/.neomuttrc):
  set sendmail="replylint sendmail -- /usr/sbin/sendmail -oi -t"
  # msmtp:
  set sendmail="replylint sendmail -- msmtp -a work --read-envelope-from -t"
  # send this one anyway:
  REPLYLINT_SKIP=1 neomutt ...`,
		Args: func(cmd *cobra.Command, args []string) error {
			if cmd.ArgsLenAtDash() != 0 || len(args) == 0 {
				return cmdutil.Usagef("usage: replylint sendmail [flags] -- SENDMAIL [ARGS...] (the real sendmail goes after --)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Command = args
			if runF != nil {
				return runF(opts)
			}
			return sendmailRun(opts)
		},
	}
	cmdutil.AddLintFlags(cmd.Flags(), &opts.LintFlags, "email")
	cmd.Flags().BoolVar(&opts.WarnOnly, "warn-only", false, "print the findings but always send")
	return cmd
}

func sendmailRun(opts *Options) error {
	raw, err := io.ReadAll(io.LimitReader(opts.IO.In, MaxMessageSize+1))
	if err != nil {
		return fmt.Errorf("reading the message: %w", err)
	}
	if len(raw) > MaxMessageSize {
		return cmdutil.Usagef("the message is larger than %d MB; not sent (REPLYLINT_SKIP=1 sends without linting)", MaxMessageSize>>20)
	}
	if os.Getenv(SkipEnv) == "1" {
		return send(opts, StripHeader(raw, config.HeaderDisable))
	}
	m, err := mail.Read(bytes.NewReader(raw), mail.Options{})
	if err != nil {
		return cmdutil.Usagef("the message on standard input is not an email (%v); not sent", err)
	}
	// The report goes to standard error: standard output belongs to the
	// mail client's conversation with sendmail.
	ios := *opts.IO
	ios.Out = opts.IO.ErrOut
	s, err := opts.Start(&ios, opts.Factory)
	if err != nil {
		return err
	}
	for _, w := range m.Warnings {
		s.Warn("<message>", w)
	}
	doc := m.Document(analyzer.Source{Path: "-", MessageID: m.MessageID}, analyzer.KindEmail, s.Lang)
	if s.KindSet {
		doc.Kind = s.Kind
	}
	lintErr := s.Lint("-", doc)
	closeErr := s.Close()
	if lintErr != nil {
		return lintErr
	}
	if s.Failed() && !opts.WarnOnly {
		fmt.Fprintf(opts.IO.ErrOut, "replylint: not sent: fix the findings above, or send anyway with %s=1 or an %s: RULE reason header\n", SkipEnv, config.HeaderDisable)
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitFindings}
	}
	var exit *cmdutil.ExitCodeError
	if closeErr != nil && !errors.As(closeErr, &exit) {
		return closeErr
	}
	return send(opts, StripHeader(raw, config.HeaderDisable))
}

// send runs the real sendmail with the message on its standard input and
// returns its exit code.
func send(opts *Options, msg []byte) error {
	cmd := exec.Command(opts.Command[0], opts.Command[1:]...)
	cmd.Stdin = bytes.NewReader(msg)
	cmd.Stdout = opts.IO.Out
	cmd.Stderr = opts.IO.ErrOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exitErr):
		return &cmdutil.ExitCodeError{Code: exitErr.ExitCode()}
	}
	fmt.Fprintf(opts.IO.ErrOut, "replylint: cannot run %s: %v; the message was not sent\n", opts.Command[0], cleanExecErr(err))
	return &cmdutil.ExitCodeError{Code: ExitUnavailable}
}

func cleanExecErr(err error) error {
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// StripHeader removes every field named name (with its folded continuation
// lines) from the header of a raw message, leaving every other byte as it
// was.
func StripHeader(raw []byte, name string) []byte {
	out := make([]byte, 0, len(raw))
	i := 0
	skipping := false
	for i < len(raw) {
		j := bytes.IndexByte(raw[i:], '\n')
		end := len(raw)
		if j >= 0 {
			end = i + j + 1
		}
		line := raw[i:end]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			// The blank line ends the header: the rest is copied as is.
			out = append(out, raw[i:]...)
			return out
		}
		if line[0] == ' ' || line[0] == '\t' {
			if !skipping {
				out = append(out, line...)
			}
		} else {
			colon := bytes.IndexByte(line, ':')
			skipping = colon > 0 && strings.EqualFold(strings.TrimSpace(string(line[:colon])), name)
			if !skipping {
				out = append(out, line...)
			}
		}
		i = end
	}
	return out
}

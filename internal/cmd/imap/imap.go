// Package imap implements `replylint imap`: it lints the drafts of an IMAP
// mailbox, optionally tags them, and can keep watching for new ones.
package imap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/analyzer"
	imapscan "github.com/replylint/replylint/integrations/imap"
	"github.com/replylint/replylint/integrations/report"
	"github.com/replylint/replylint/internal/cmdutil"
)

// Options are the flags of `replylint imap`.
type Options struct {
	IO      *cmdutil.IOStreams
	Factory *cmdutil.Factory

	Server            string
	Security          string
	User              string
	PasswordEnv       string
	PasswordCommand   string
	OAuthTokenCommand string
	CAFile            string
	Insecure          bool
	Mailbox           string
	Tag               bool
	Watch             bool
	Interval          time.Duration
	All               bool
	StateFile         string
	cmdutil.LintFlags

	// Context replaces the context that SIGINT and SIGTERM cancel (tests).
	Context context.Context
	// MinBackoff is the first wait before a reconnection; 0 means 1s.
	MinBackoff time.Duration
}

// NewCmdImap returns the imap command. runF replaces the run in tests.
func NewCmdImap(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "imap --server HOST:PORT --user USER [flags]",
		Short: "Lint the drafts of an IMAP mailbox",
		Long: `Lint the drafts waiting in an IMAP mailbox, without changing them.

The drafts mailbox is the one the server marks \Drafts, else the first of
Drafts, [Gmail]/Drafts (and its localised names), INBOX.Drafts, INBOX/Drafts,
Черновики, المسودات or پیش‌نویس‌ها; --mailbox names another. The mailbox is
opened read-only (EXAMINE) and read with BODY.PEEK[], so no draft is marked
\Seen. Each draft's new text is linted; its quoted message and headers are
context. Findings name the draft by mailbox, UID and Message-ID.

A run lints only the drafts that are new since the last run on the same
server, user and mailbox: the UIDVALIDITY and highest UID seen (and
HIGHESTMODSEQ where the server has CONDSTORE) are kept in replylint/imap-state.json
under the user cache directory (~/.cache on Linux, ~/Library/Caches on macOS),
or in --state-file. --all lints them all.

Credentials: the password comes from the environment variable named by
--password-env, from the first line printed by --password-command (run with
sh -c), or from ~/.netrc ($NETRC): "machine HOST login USER password PASS".
There is no password flag. --oauth-token-command prints an OAuth 2.0 access
token instead, sent with OAUTHBEARER or XOAUTH2, whichever the server offers
(Gmail, Outlook/Office 365). Passwords go with SASL PLAIN or LOGIN.

--tag then opens the mailbox read-write and stores one keyword per draft:
$ReplylintOK, $ReplylintWarning or $ReplylintError (removing the other two),
so that mail clients can show them. Only flags change: no draft is modified,
moved or deleted.

--watch keeps the connection open and lints drafts as they are saved, with
IDLE (or polling every --interval when the server lacks it), reconnecting
with exponential backoff (up to a minute) when the connection drops. On a
terminal with --format text it prints one line per draft. SIGINT or SIGTERM
stops it cleanly, with exit status 0.

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 a usage or connection error (wrong password, unreachable server, TLS
failure, no drafts mailbox) or a draft that could not be read (after
linting the others).`,
		Example: `  # a self-hosted server, password from a password manager
  replylint imap --server mail.example.com:993 --user support@example.com \
    --password-command 'pass show mail/support'

  # Gmail with OAuth, tagging each draft, then watching
  replylint imap --server imap.gmail.com:993 --user support@example.com \
    --oauth-token-command 'oauth2l fetch --credentials creds.json --scope https://mail.google.com/' \
    --tag --watch

  # a local test server in clear text, JSON report
  IMAP_PASSWORD=secret replylint imap --server 127.0.0.1:1143 --security none \
    --user alice --password-env IMAP_PASSWORD --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return imapRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Server, "server", "", "IMAP server as host:port (993 for tls, 143 for starttls)")
	fl.StringVar(&opts.Security, "security", "tls", "connection security: tls, starttls or none (none only to a loopback address unless --insecure)")
	fl.StringVar(&opts.User, "user", "", "login name (default: the login of the server's ~/.netrc entry)")
	fl.StringVar(&opts.PasswordEnv, "password-env", "", "read the password from this environment variable")
	fl.StringVar(&opts.PasswordCommand, "password-command", "", "run this command (sh -c) and use the first line it prints as the password")
	fl.StringVar(&opts.OAuthTokenCommand, "oauth-token-command", "", "run this command (sh -c) and use the first line it prints as an OAuth 2.0 access token")
	fl.StringVar(&opts.CAFile, "ca-file", "", "also trust the PEM certificates in this file (self-signed servers)")
	fl.BoolVar(&opts.Insecure, "insecure", false, "allow --security none to a host that is not a loopback address")
	fl.StringVar(&opts.Mailbox, "mailbox", "", "mailbox to lint (default: the drafts mailbox)")
	fl.BoolVar(&opts.Tag, "tag", false, "store $ReplylintOK, $ReplylintWarning or $ReplylintError on each linted draft")
	fl.BoolVar(&opts.Watch, "watch", false, "keep watching the mailbox and lint drafts as they are saved")
	fl.DurationVar(&opts.Interval, "interval", 30*time.Second, "polling interval for --watch when the server has no IDLE")
	fl.BoolVar(&opts.All, "all", false, "lint every draft, not only those new since the last run")
	fl.StringVar(&opts.StateFile, "state-file", "", "where to remember what was linted (default: the user cache dir's replylint/imap-state.json)")
	cmdutil.AddLintFlags(fl, &opts.LintFlags, "email")
	return cmd
}

// config turns the flags into a connection configuration.
func (opts *Options) config() (imapscan.Config, error) {
	cfg := imapscan.Config{Addr: opts.Server, User: opts.User, Insecure: opts.Insecure}
	if opts.Server == "" {
		return cfg, cmdutil.Usagef("--server is required (host:port, such as imap.example.com:993)")
	}
	sec, err := imapscan.ParseSecurity(opts.Security)
	if err != nil {
		return cfg, cmdutil.Usagef("--security: %v", err)
	}
	cfg.Security = sec
	if opts.CAFile != "" {
		if cfg.RootCAs, err = imapscan.LoadCAFile(opts.CAFile); err != nil {
			return cfg, cmdutil.Usagef("--ca-file: %v", err)
		}
	}
	if opts.Interval <= 0 {
		return cfg, cmdutil.Usagef("--interval must be positive")
	}
	n := 0
	for _, s := range []string{opts.PasswordEnv, opts.PasswordCommand, opts.OAuthTokenCommand} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return cfg, cmdutil.Usagef("use only one of --password-env, --password-command and --oauth-token-command")
	}
	switch {
	case opts.OAuthTokenCommand != "":
		command := opts.OAuthTokenCommand
		cfg.Token = func(ctx context.Context) (string, error) {
			tok, err := imapscan.CommandSecret(ctx, command, opts.IO.ErrOut)
			if err != nil {
				return "", fmt.Errorf("--oauth-token-command: %v", err)
			}
			return tok, nil
		}
	case opts.PasswordCommand != "":
		command := opts.PasswordCommand
		cfg.Password = func(ctx context.Context) (string, error) {
			pw, err := imapscan.CommandSecret(ctx, command, opts.IO.ErrOut)
			if err != nil {
				return "", fmt.Errorf("--password-command: %v", err)
			}
			return pw, nil
		}
	case opts.PasswordEnv != "":
		name := opts.PasswordEnv
		if os.Getenv(name) == "" {
			return cfg, cmdutil.Usagef("--password-env: environment variable %s is empty or not set", name)
		}
		cfg.Password = func(context.Context) (string, error) { return os.Getenv(name), nil }
	default:
		path := imapscan.NetrcPath()
		entry, ok, err := imapscan.NetrcLookup(path, cfg.Host(), opts.User)
		if err != nil {
			return cfg, cmdutil.Usagef("netrc: %v", err)
		}
		if !ok || entry.Password == "" {
			return cfg, cmdutil.Usagef("no password for %s: use --password-env, --password-command, --oauth-token-command or a %s entry (machine %s login USER password PASSWORD)", cfg.Host(), path, cfg.Host())
		}
		if cfg.User == "" {
			cfg.User = entry.Login
		}
		password := entry.Password
		cfg.Password = func(context.Context) (string, error) { return password, nil }
	}
	if cfg.User == "" {
		return cfg, cmdutil.Usagef("--user is required")
	}
	if err := cfg.Validate(); err != nil {
		return cfg, cmdutil.Usagef("%v", err)
	}
	return cfg, nil
}

func imapRun(opts *Options) error {
	cfg, err := opts.config()
	if err != nil {
		return err
	}
	statePath := opts.StateFile
	if statePath == "" {
		if statePath, err = imapscan.DefaultStatePath(); err != nil {
			return cmdutil.Usagef("no cache directory for the state file (%v): use --state-file", err)
		}
	}
	s, err := opts.Start(opts.IO, opts.Factory)
	if err != nil {
		return err
	}
	state, err := imapscan.LoadState(statePath)
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "replylint: warning: %v\n", err)
	}

	lines := opts.Watch && opts.IO.IsStdoutTTY() && opts.Format == "text" && opts.Output == ""
	if lines {
		s.Writer = &lineWriter{w: opts.IO.Out, color: opts.IO.ColorEnabled()}
	}
	tee := &teeWriter{Writer: s.Writer}
	s.Writer = tee

	ctx := opts.Context
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}

	tag := opts.Tag
	var tagErr error
	w := &imapscan.Watcher{
		Config:     cfg,
		Mailbox:    opts.Mailbox,
		State:      state,
		All:        opts.All,
		Once:       !opts.Watch,
		Interval:   opts.Interval,
		MinBackoff: opts.MinBackoff,
		OnConnect: func(cl *imapscan.Client, mailbox string, found imapscan.Found) {
			fmt.Fprintf(opts.IO.ErrOut, "replylint: imap: linting mailbox %q on %s as %s (%s)\n", mailbox, cl.Server(), cl.User(), found)
		},
		OnRetry: func(err error, wait time.Duration) {
			fmt.Fprintf(opts.IO.ErrOut, "replylint: %v; reconnecting in %s\n", err, wait)
		},
		Handle: func(ctx context.Context, cl *imapscan.Client, drafts []imapscan.Draft) error {
			tags := map[uint32]string{}
			for _, d := range drafts {
				tags[d.UID] = lint(s, tee, d)
			}
			if !tag {
				return nil
			}
			err := cl.Tag(ctx, drafts[0].Mailbox, tags)
			if errors.Is(err, imapscan.ErrKeywordsNotAllowed) {
				fmt.Fprintf(opts.IO.ErrOut, "replylint: %v\n", err)
				tag, tagErr = false, err
				return nil
			}
			return err
		},
	}
	runErr := w.Run(ctx)
	closeErr := s.Close()
	switch {
	case errors.Is(runErr, context.Canceled):
		return errors.New("imap: interrupted")
	case runErr != nil:
		return runErr
	case tagErr != nil && !opts.Watch:
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitError} // already said on stderr
	case opts.Watch && ctx.Err() != nil:
		var exit *cmdutil.ExitCodeError
		if errors.As(closeErr, &exit) {
			return nil // a clean stop of --watch
		}
	}
	return closeErr
}

// lint lints one draft through the session and returns its keyword.
func lint(s *cmdutil.Session, tee *teeWriter, d imapscan.Draft) string {
	doc, warns, err := d.Document(s.Kind, s.Lang)
	if err != nil {
		s.InputError(d.URL, err)
		return imapscan.KeywordError
	}
	for _, w := range warns {
		s.Warn(d.URL, w)
	}
	tee.last = nil
	if err := s.Lint(d.URL, doc); err != nil {
		s.InputError(d.URL, fmt.Errorf("report: %v", err))
		return imapscan.KeywordError
	}
	kw := imapscan.KeywordOK
	for _, f := range tee.last {
		if f.Suppressed != nil {
			continue
		}
		switch f.Severity {
		case analyzer.Error:
			return imapscan.KeywordError
		case analyzer.Warning:
			kw = imapscan.KeywordWarning
		}
	}
	return kw
}

// teeWriter remembers the findings of the last message it wrote.
type teeWriter struct {
	report.Writer
	last []analyzer.Finding
}

func (t *teeWriter) Message(m report.Message) error {
	t.last = m.Findings
	return t.Writer.Message(m)
}

// lineWriter prints one line per draft, for --watch on a terminal.
type lineWriter struct {
	w     io.Writer
	color bool
}

func (l *lineWriter) Message(m report.Message) error {
	verdict, code := "ok     ", "\x1b[32m"
	var ids []string
	seen := map[string]bool{}
	for _, f := range m.Findings {
		if f.Suppressed != nil {
			continue
		}
		switch {
		case f.Severity == analyzer.Error:
			verdict, code = "error  ", "\x1b[31m"
		case f.Severity == analyzer.Warning && verdict != "error  ":
			verdict, code = "warning", "\x1b[33m"
		}
		if !seen[f.Rule] {
			seen[f.Rule] = true
			ids = append(ids, f.Rule)
		}
	}
	if l.color {
		verdict = code + verdict + "\x1b[0m"
	}
	line := fmt.Sprintf("%s %s %s uid %d %s", time.Now().Format("15:04:05"), verdict, m.Source.Mailbox, m.Source.UID, m.Source.MessageID)
	if len(ids) > 0 {
		line += ": " + strings.Join(ids, ", ")
	}
	_, err := fmt.Fprintln(l.w, line)
	return err
}

// Error prints nothing: the session has already said it on stderr.
func (l *lineWriter) Error(report.InputError) error { return nil }

func (l *lineWriter) Close(sum report.Summary) error {
	_, err := fmt.Fprintf(l.w, "%d drafts linted, %d findings\n", sum.Messages, sum.Findings)
	return err
}

// Package cmdutil holds what the commands share: the IO streams, the
// factory of their dependencies, and exit codes.
package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/rules"
)

// Exit codes, the same for every command.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // usage or connection error, or an input that could not be read
)

// ExitCodeError carries an exit code out of a command without printing more.
type ExitCodeError struct{ Code int }

func (e *ExitCodeError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// UsageError marks an error as the user's: it exits 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// IsUsage reports whether err is a UsageError.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// IOStreams are the command's standard streams; tests swap them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY, errTTY bool
	color          bool
}

// System returns the process's streams, with terminal and colour detection
// (colour only on a terminal, never with NO_COLOR set).
func System() *IOStreams {
	io := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	io.outTTY = isTerminal(os.Stdout)
	io.errTTY = isTerminal(os.Stderr)
	_, noColor := os.LookupEnv("NO_COLOR")
	io.color = io.outTTY && !noColor && os.Getenv("TERM") != "dumb"
	return io
}

// Test returns streams backed by buffers, for tests.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// ColorEnabled reports whether output may use colour.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// SetColorEnabled forces colour on or off (tests, --color).
func (s *IOStreams) SetColorEnabled(on bool) { s.color = on }

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Factory builds the commands' dependencies.
type Factory struct {
	IOStreams *IOStreams
	// ConfigPath is --config; empty finds .replylint.yaml upward from the
	// working directory.
	ConfigPath string
	// Config returns the team configuration (the defaults when there is no
	// file).
	Config func() (*config.Config, error)
	// Rules returns the rule set: the built-in catalogue plus the
	// configuration's rule files.
	Rules func() (*rules.Set, error)
}

// New returns the factory of the real program.
func New() *Factory {
	f := &Factory{IOStreams: System()}
	f.Config = sync.OnceValues(func() (*config.Config, error) {
		p := f.ConfigPath
		if p == "" {
			if p = config.Find("."); p == "" {
				return &config.Config{}, nil
			}
		}
		c, err := config.Load(p)
		if err != nil {
			return nil, &UsageError{Err: err}
		}
		return c, nil
	})
	f.Rules = sync.OnceValues(func() (*rules.Set, error) {
		base, err := rules.Builtin()
		if err != nil {
			return nil, err
		}
		c, err := f.Config()
		if err != nil {
			return nil, err
		}
		set, err := c.Rules(base)
		if err != nil {
			return nil, &UsageError{Err: err}
		}
		return set, nil
	})
	return f
}

// SplitList splits repeated, comma-separated flag values.
func SplitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

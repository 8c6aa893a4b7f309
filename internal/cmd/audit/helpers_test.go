package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/internal/cmdutil"
	"github.com/replylint/replylint/rules"
)

// run runs `replylint audit args...` with stdin and returns stdout, stderr
// and the error (nil, or the exit code's).
func run(t testing.TB, cfg *config.Config, stdin string, args ...string) (string, string, error) {
	t.Helper()
	return runWith(t, testRules, cfg, stdin, args...)
}

// runWith is run with the rule set load gives.
func runWith(t testing.TB, load func() (*rules.Set, error), cfg *config.Config, stdin string, args ...string) (string, string, error) {
	t.Helper()
	ios, in, out, errOut := cmdutil.Test()
	in.WriteString(stdin)
	f := cmdutil.New()
	f.IOStreams = ios
	if cfg == nil {
		cfg = &config.Config{}
	}
	f.Config = func() (*config.Config, error) { return cfg, nil }
	f.Rules = load
	cmd := NewCmdAudit(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// testRules is a small fixed catalogue (testdata/rules), so that tuning the
// built-in one does not change the golden files.
func testRules() (*rules.Set, error) {
	return rules.LoadFS(os.DirFS("testdata/rules"), ".")
}

func exitCode(err error) int {
	switch e := err.(type) {
	case nil:
		return 0
	case *cmdutil.ExitCodeError:
		return e.Code
	}
	return 2
}

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

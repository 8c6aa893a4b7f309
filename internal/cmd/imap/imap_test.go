package imap

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/config"
	imapscan "github.com/replylint/replylint/integrations/imap"
	"github.com/replylint/replylint/integrations/imap/imaptest"
	"github.com/replylint/replylint/integrations/report"
	"github.com/replylint/replylint/internal/cmdutil"
)

func loginMem(t *testing.T, addr string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login("alice", testPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

const (
	testPassword = "Tr0ub4dor-and-3"
	passwordEnv  = "REPLYLINT_TEST_IMAP_PASSWORD"
)

var (
	dovecotOnce sync.Once
	dovecotSrv  *imaptest.Dovecot
	dovecotErr  error
)

// sharedDovecot is one Dovecot for the tests of this package, one user
// (one Maildir) per test; TestMain stops it.
func sharedDovecot(t *testing.T) *imaptest.Dovecot {
	t.Helper()
	dovecotOnce.Do(func() {
		users := map[string]string{}
		for _, u := range []string{"e2e", "broken", "wrongpw", "watch", "tls"} {
			users[u] = testPassword
		}
		dovecotSrv, dovecotErr = imaptest.Launch(imaptest.DovecotOptions{Users: users, TLS: true})
	})
	if errors.Is(dovecotErr, imaptest.ErrNoDovecot) {
		t.Skip(imaptest.SkipMessage)
	}
	if dovecotErr != nil {
		t.Fatal(dovecotErr)
	}
	return dovecotSrv
}

func TestMain(m *testing.M) {
	os.Setenv(passwordEnv, testPassword)
	os.Setenv("REPLYLINT_TEST_WRONG", "wrong-Password-42")
	code := m.Run()
	if dovecotSrv != nil {
		dovecotSrv.Close()
	}
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for a command writing while the test
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	out, errOut string
	code        int
	err         error
}

// run runs `replylint imap ARGS` through NewCmdImap and imapRun, with the
// exit code root.Run would give.
func run(t *testing.T, ctx context.Context, out, errOut *syncBuffer, args ...string) result {
	t.Helper()
	ios, _, _, _ := cmdutil.Test()
	ios.Out, ios.ErrOut = out, errOut
	f := cmdutil.New()
	f.IOStreams = ios
	f.Config = func() (*config.Config, error) { return &config.Config{}, nil }
	cmd := NewCmdImap(f, func(o *Options) error {
		o.Context = ctx
		o.MinBackoff = 50 * time.Millisecond
		return imapRun(o)
	})
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	r := result{err: err}
	var exit *cmdutil.ExitCodeError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.Code
	default:
		fmt.Fprintf(errOut, "replylint: %v\n", err)
		r.code = cmdutil.ExitError
	}
	r.out, r.errOut = out.String(), errOut.String()
	return r
}

func runCmd(t *testing.T, args ...string) result {
	t.Helper()
	return run(t, context.Background(), &syncBuffer{}, &syncBuffer{}, args...)
}

func baseArgs(addr, user, stateFile string) []string {
	return []string{"--server", addr, "--security", "none", "--user", user, "--password-env", passwordEnv, "--state-file", stateFile}
}

func TestUsageErrors(t *testing.T) {
	emptyNetrc := filepath.Join(t.TempDir(), "netrc")
	os.WriteFile(emptyNetrc, nil, 0o600)
	t.Setenv("NETRC", emptyNetrc)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no server", []string{"--user", "u", "--password-env", passwordEnv}, "--server is required"},
		{"bad security", []string{"--server", "h:993", "--security", "ssl", "--user", "u", "--password-env", passwordEnv}, "unknown security"},
		{"clear text to a remote host", []string{"--server", "imap.example.com:143", "--security", "none", "--user", "u", "--password-env", passwordEnv}, "loopback"},
		{"two secrets", []string{"--server", "h:993", "--user", "u", "--password-env", passwordEnv, "--password-command", "echo x"}, "only one of"},
		{"empty variable", []string{"--server", "h:993", "--user", "u", "--password-env", "REPLYLINT_TEST_UNSET_VARIABLE"}, "empty or not set"},
		{"no password anywhere", []string{"--server", "h:993", "--user", "u"}, "no password for h"},
		{"no user", []string{"--server", "h:993", "--password-env", passwordEnv}, "--user is required"},
		{"bad interval", []string{"--server", "h:993", "--user", "u", "--password-env", passwordEnv, "--interval", "0s"}, "--interval"},
		{"missing ca file", []string{"--server", "h:993", "--user", "u", "--password-env", passwordEnv, "--ca-file", "/nonexistent.pem"}, "--ca-file"},
		{"bad format", []string{"--server", "127.0.0.1:1", "--security", "none", "--user", "u", "--password-env", passwordEnv, "--format", "yaml"}, "--format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.args...)
			if r.code != cmdutil.ExitError || !cmdutil.IsUsage(r.err) || !strings.Contains(r.errOut, tt.want) {
				t.Errorf("exit %d, err %v, stderr %q; want a usage error containing %q", r.code, r.err, r.errOut, tt.want)
			}
		})
	}
}

// jsonReport is the part of `--format json` the tests read.
type jsonReport struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		Source   struct {
			Path      string `json:"path"`
			Mailbox   string `json:"mailbox"`
			UID       uint32 `json:"uid"`
			MessageID string `json:"message_id"`
		} `json:"source"`
	} `json:"findings"`
	Errors []struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	} `json:"errors"`
	Summary struct {
		Messages int `json:"messages"`
	} `json:"summary"`
}

func parseReport(t *testing.T, out string) jsonReport {
	t.Helper()
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--format json output is not JSON: %v\n%s", err, out)
	}
	return rep
}

// TestEndToEnd is the acceptance test: Dovecot holds good and bad drafts in
// four languages; the command reports every bad one with its UID and
// Message-ID, none of the good ones at error level, exits 1, leaves every
// draft unseen and byte-identical, and --tag sets a keyword on each.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	const user = "e2e"
	samples := imaptest.Drafts(false)
	uids := map[uint32]imaptest.Draft{}
	for _, s := range samples {
		uids[d.Append(t, user, "Drafts", s.Raw)] = s
	}
	before := d.Messages(t, user, "Drafts")
	state := filepath.Join(t.TempDir(), "state.json")
	args := baseArgs(d.Addr, user, state)

	r := runCmd(t, append(args, "--format", "json")...)
	if r.code != cmdutil.ExitFindings {
		t.Fatalf("exit %d, want 1\nstderr: %s", r.code, r.errOut)
	}
	if !strings.Contains(r.errOut, `mailbox "Drafts"`) || !strings.Contains(r.errOut, `special-use \Drafts`) {
		t.Errorf("stderr does not say which mailbox was used: %q", r.errOut)
	}
	rep := parseReport(t, r.out)
	if rep.Summary.Messages != len(samples) {
		t.Errorf("%d drafts linted, want %d", rep.Summary.Messages, len(samples))
	}
	errorsByUID := map[uint32]int{}
	for _, f := range rep.Findings {
		s, ok := uids[f.Source.UID]
		if !ok {
			t.Errorf("finding %s with unknown uid %d", f.Rule, f.Source.UID)
			continue
		}
		if f.Source.MessageID != s.MessageID || f.Source.Mailbox != "Drafts" || !strings.HasPrefix(f.Source.Path, "imap://e2e@"+d.Addr+"/Drafts/;UID=") {
			t.Errorf("finding %s of %s: source %+v", f.Rule, s.Name, f.Source)
		}
		if f.Severity == "error" {
			errorsByUID[f.Source.UID]++
		}
	}
	for uid, s := range uids {
		if s.Bad && errorsByUID[uid] == 0 {
			t.Errorf("bad draft %s (uid %d) has no error", s.Name, uid)
		}
		if !s.Bad && errorsByUID[uid] > 0 {
			t.Errorf("good draft %s (uid %d) has %d errors", s.Name, uid, errorsByUID[uid])
		}
	}
	if strings.Contains(r.out+r.errOut, testPassword) {
		t.Error("the password appears in the output")
	}
	assertUntouched(t, before, d.Messages(t, user, "Drafts"), false)

	// A second run has nothing new to lint.
	r = runCmd(t, append(args, "--format", "json")...)
	if rep := parseReport(t, r.out); r.code != 0 || rep.Summary.Messages != 0 {
		t.Errorf("second run: exit %d, %d drafts linted; want 0 and 0", r.code, rep.Summary.Messages)
	}

	// --tag --all: every draft gets exactly one keyword.
	r = runCmd(t, append(args, "--tag", "--all")...)
	if r.code != cmdutil.ExitFindings {
		t.Fatalf("--tag: exit %d\nstderr: %s", r.code, r.errOut)
	}
	after := d.Messages(t, user, "Drafts")
	assertUntouched(t, before, after, true)
	for _, m := range after {
		var kws []string
		for _, f := range m.Flags {
			if strings.HasPrefix(f, "$Replylint") {
				kws = append(kws, f)
			}
		}
		s := uids[m.UID]
		switch {
		case len(kws) != 1:
			t.Errorf("%s (uid %d): keywords %v, want one", s.Name, m.UID, kws)
		case s.Bad && kws[0] != imapscan.KeywordError:
			t.Errorf("bad draft %s tagged %s", s.Name, kws[0])
		case !s.Bad && kws[0] == imapscan.KeywordError:
			t.Errorf("good draft %s tagged %s", s.Name, kws[0])
		}
	}
}

// assertUntouched checks that every draft kept its bytes and flags (but
// replylint's keywords when tagged is set) and is not \Seen.
func assertUntouched(t *testing.T, before, after []imaptest.Message, tagged bool) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("%d drafts before, %d after", len(before), len(after))
	}
	for i := range before {
		b, a := before[i], after[i]
		// A read-write SELECT ends \Recent, a session flag (gone in IMAP4rev2).
		ours := func(f string) bool { return tagged && (strings.HasPrefix(f, "$Replylint") || f == `\Recent`) }
		flags := slices.DeleteFunc(slices.Clone(a.Flags), ours)
		if b.UID != a.UID || !bytes.Equal(b.Raw, a.Raw) || !slices.Equal(slices.DeleteFunc(slices.Clone(b.Flags), ours), flags) {
			t.Errorf("uid %d changed: flags %v -> %v, bytes equal %v", b.UID, b.Flags, a.Flags, bytes.Equal(b.Raw, a.Raw))
		}
		if slices.Contains(a.Flags, `\Seen`) {
			t.Errorf("uid %d is \\Seen", a.UID)
		}
	}
}

func TestBrokenDraft(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	const user = "broken"
	var brokenUID uint32
	for _, s := range imaptest.Drafts(true) {
		uid := d.Append(t, user, "Drafts", s.Raw)
		if s.Broken {
			brokenUID = uid
		}
	}
	r := runCmd(t, append(baseArgs(d.Addr, user, filepath.Join(t.TempDir(), "s.json")), "--format", "json")...)
	if r.code != cmdutil.ExitError {
		t.Errorf("exit %d, want 2 for an unreadable draft", r.code)
	}
	rep := parseReport(t, r.out)
	wantPath := imapscan.DraftURL(d.Addr, user, "Drafts", brokenUID)
	if len(rep.Errors) != 1 || rep.Errors[0].Path != wantPath {
		t.Errorf("errors %+v, want one for %s", rep.Errors, wantPath)
	}
	var line string
	for _, l := range strings.Split(r.errOut, "\n") {
		if strings.Contains(l, wantPath) {
			line = l
		}
	}
	if !strings.Contains(line, "not an email") {
		t.Errorf("stderr has no one-line error naming %s: %q", wantPath, r.errOut)
	}
	if rep.Summary.Messages != len(imaptest.Drafts(false)) {
		t.Errorf("%d drafts linted, want the %d others", rep.Summary.Messages, len(imaptest.Drafts(false)))
	}
}

func TestWrongPassword(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	const wrong = "wrong-Password-42"
	r := runCmd(t, "--server", d.Addr, "--security", "none", "--user", "wrongpw", "--password-env", "REPLYLINT_TEST_WRONG",
		"--state-file", filepath.Join(t.TempDir(), "s.json"))
	if r.code != cmdutil.ExitError {
		t.Errorf("exit %d, want 2", r.code)
	}
	msg := strings.TrimSpace(r.errOut)
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, d.Addr) || !strings.Contains(msg, "wrongpw") || !strings.Contains(msg, "failed") {
		t.Errorf("stderr %q: want one line naming server and user", msg)
	}
	if strings.Contains(r.out+r.errOut, wrong) || strings.Contains(r.out+r.errOut, testPassword) {
		t.Error("a password appears in the output")
	}
}

func TestWatch(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	const user = "watch"
	d.Append(t, user, "Drafts", imaptest.NewDraft("<first@x>", "Hello Mary,\n\nThat's not my department.\n\nSam\n"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan result, 1)
	go func() {
		done <- run(t, ctx, out, errOut, append(baseArgs(d.Addr, user, filepath.Join(t.TempDir(), "s.json")), "--watch", "--format", "jsonl")...)
	}()
	waitFor := func(what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), what) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s in the output after 10s\nstdout: %s\nstderr: %s", what, out, errOut)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("<first@x>")
	time.Sleep(100 * time.Millisecond) // let IDLE start
	d.Append(t, user, "Drafts", imaptest.NewDraft("<second@x>", "Hello Mary,\n\nThat's not my responsibility.\n\nSam\n"))
	waitFor("<second@x>")
	cancel()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Errorf("--watch stopped with exit %d (%v), want 0", r.code, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("--watch did not stop on cancel")
	}
	if !strings.Contains(out.String(), "deflection") {
		t.Errorf("the bad draft's finding is missing: %s", out)
	}
}

func TestNetrcAndPasswordCommand(t *testing.T) {
	srv := imaptest.StartMem(t, imaptest.MemOptions{User: "alice", Password: testPassword})
	imaptest.Append(t, loginMem(t, srv.Addr), "Drafts", imaptest.NewDraft("<m@x>", "Hello Mary,\n\nThank you, I fixed it.\n\nBest regards,\nSam\n"))
	netrc := filepath.Join(t.TempDir(), "netrc")
	os.WriteFile(netrc, []byte("machine 127.0.0.1 login alice password "+testPassword+"\n"), 0o600)
	t.Setenv("NETRC", netrc)
	tests := []struct {
		name string
		args []string
	}{
		{"netrc gives user and password", nil},
		{"netrc with --user", []string{"--user", "alice"}},
		{"password command", []string{"--user", "alice", "--password-command", "printf '%s\\n' " + testPassword}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--server", srv.Addr, "--security", "none", "--all", "--format", "json",
				"--state-file", filepath.Join(t.TempDir(), "s.json")}, tt.args...)
			r := runCmd(t, args...)
			if r.code == cmdutil.ExitError || parseReport(t, r.out).Summary.Messages != 1 {
				t.Errorf("exit %d, stderr %q, stdout %s", r.code, r.errOut, r.out)
			}
			if strings.Contains(r.out+r.errOut, testPassword) {
				t.Error("the password appears in the output")
			}
		})
	}
}

func TestLineWriter(t *testing.T) {
	var b bytes.Buffer
	w := &lineWriter{w: &b}
	w.Message(report.Message{Source: analyzer.Source{Mailbox: "Drafts", UID: 7, MessageID: "<a@x>"},
		Findings: []analyzer.Finding{{Rule: "deflection.not-my-responsibility", Severity: analyzer.Error}, {Rule: "courtesy.greeting", Severity: analyzer.Warning}}})
	w.Message(report.Message{Source: analyzer.Source{Mailbox: "Drafts", UID: 8, MessageID: "<b@x>"}})
	w.Close(report.Summary{Messages: 2, Findings: 2})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "error   Drafts uid 7 <a@x>: deflection.not-my-responsibility, courtesy.greeting") ||
		!strings.Contains(lines[1], "ok      Drafts uid 8 <b@x>") {
		t.Errorf("lines:\n%s", b.String())
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"tls with --ca-file", []string{"--server", d.TLSAddr, "--ca-file", d.CAFile}, 0, `mailbox "Drafts"`},
		{"starttls with --ca-file", []string{"--server", d.Addr, "--security", "starttls", "--ca-file", d.CAFile}, 0, `mailbox "Drafts"`},
		{"tls self-signed", []string{"--server", d.TLSAddr}, 2, "certificate of 127.0.0.1 is not trusted"},
		{"starttls self-signed", []string{"--server", d.Addr, "--security", "starttls"}, 2, "certificate of 127.0.0.1 is not trusted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--user", "tls", "--password-env", passwordEnv, "--state-file", filepath.Join(t.TempDir(), "s.json")}, tt.args...)
			r := runCmd(t, args...)
			if r.code != tt.code || !strings.Contains(r.errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.errOut, tt.code, tt.want)
			}
			if tt.code == 2 && strings.Count(strings.TrimSpace(r.errOut), "\n") != 0 {
				t.Errorf("the error is not one line: %q", r.errOut)
			}
		})
	}
}

package imap

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replylint/replylint/integrations/imap/imaptest"
)

// dovecot is one Dovecot (with TLS) shared by the tests of this file; each
// test has its own user, hence its own Maildir.
var (
	dovecotOnce sync.Once
	dovecotSrv  *imaptest.Dovecot
	dovecotErr  error
)

var dovecotUsers = map[string]string{
	"discover": testPassword, "untouched": testPassword, "tag": testPassword,
	"watch": testPassword, "tls": testPassword, "wrongpw": testPassword,
}

// sharedDovecot starts the shared server on first use; it is stopped by
// TestMain.
func sharedDovecot(t *testing.T) *imaptest.Dovecot {
	t.Helper()
	dovecotOnce.Do(func() {
		dovecotSrv, dovecotErr = imaptest.Launch(imaptest.DovecotOptions{Users: dovecotUsers, TLS: true})
	})
	if errors.Is(dovecotErr, imaptest.ErrNoDovecot) {
		t.Skip(imaptest.SkipMessage)
	}
	if dovecotErr != nil {
		t.Fatal(dovecotErr)
	}
	return dovecotSrv
}

func dovecotConfig(d *imaptest.Dovecot, user string) Config {
	return Config{Addr: d.Addr, Security: SecurityNone, User: user, Password: password(testPassword), DialTimeout: 5 * time.Second}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dovecotSrv != nil {
		dovecotSrv.Close()
	}
	os.Exit(code)
}

func TestDovecotSpecialUse(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	cl := dial(t, dovecotConfig(d, "discover"))
	name, found, err := cl.FindDrafts()
	if err != nil || name != "Drafts" || found != FoundSpecialUse {
		t.Errorf("FindDrafts = %q, %q, %v; want Drafts by special use", name, found, err)
	}
}

func TestDovecotSyncLeavesDraftsUntouched(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	for _, dr := range imaptest.Drafts(true) {
		d.Append(t, "untouched", "Drafts", dr.Raw)
	}
	before := d.Messages(t, "untouched", "Drafts")
	cl := dial(t, dovecotConfig(d, "untouched"))
	drafts, st, err := cl.Sync(context.Background(), "Drafts", MailboxState{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != len(before) || st.HighestModSeq == 0 {
		t.Errorf("synced %d drafts (state %+v), want %d and a HIGHESTMODSEQ", len(drafts), st, len(before))
	}
	for _, dr := range drafts {
		if _, _, err := dr.Document("email", ""); err != nil && !bytes.HasPrefix(dr.Raw, []byte("this draft is not")) {
			t.Errorf("uid %d: %v", dr.UID, err)
		}
	}
	after := d.Messages(t, "untouched", "Drafts")
	if len(after) != len(before) {
		t.Fatalf("%d messages after, %d before", len(after), len(before))
	}
	for i := range before {
		if !bytes.Equal(before[i].Raw, after[i].Raw) || !slices.Equal(before[i].Flags, after[i].Flags) {
			t.Errorf("uid %d changed: flags %v -> %v", before[i].UID, before[i].Flags, after[i].Flags)
		}
		if slices.Contains(after[i].Flags, `\Seen`) {
			t.Errorf("uid %d is \\Seen", after[i].UID)
		}
	}
	// With CONDSTORE, an unchanged mailbox is not even fetched.
	again, _, err := cl.Sync(context.Background(), "Drafts", st, false)
	if err != nil || len(again) != 0 {
		t.Errorf("second sync: %d drafts, %v", len(again), err)
	}
}

func TestDovecotTag(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	a := d.Append(t, "tag", "Drafts", imaptest.NewDraft("<a@x>", "a"))
	b := d.Append(t, "tag", "Drafts", imaptest.NewDraft("<b@x>", "b"))
	before := d.Messages(t, "tag", "Drafts")
	cl := dial(t, dovecotConfig(d, "tag"))
	ctx := context.Background()
	if err := cl.Tag(ctx, "Drafts", map[uint32]string{a: KeywordError, b: KeywordWarning}); err != nil {
		t.Fatal(err)
	}
	if err := cl.Tag(ctx, "Drafts", map[uint32]string{a: KeywordOK}); err != nil {
		t.Fatal(err)
	}
	want := map[uint32]string{a: KeywordOK, b: KeywordWarning}
	for i, m := range d.Messages(t, "tag", "Drafts") {
		if kws := keywords(m.Flags); len(kws) != 1 || kws[0] != want[m.UID] {
			t.Errorf("uid %d keywords %v, want [%s]", m.UID, kws, want[m.UID])
		}
		if !bytes.Equal(m.Raw, before[i].Raw) || slices.Contains(m.Flags, `\Seen`) {
			t.Errorf("uid %d: content or \\Seen changed by tagging", m.UID)
		}
	}
}

func TestDovecotWatchIdle(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	first := d.Append(t, "watch", "Drafts", imaptest.NewDraft("<w1@x>", "one"))
	got := make(chan []uint32, 10)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	w := &Watcher{
		Config: dovecotConfig(d, "watch"), Interval: time.Hour, // IDLE, not polling
		Handle: func(ctx context.Context, cl *Client, drafts []Draft) error {
			var uids []uint32
			for _, dr := range drafts {
				uids = append(uids, dr.UID)
			}
			got <- uids
			return nil
		},
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	if uids := <-got; !slices.Equal(uids, []uint32{first}) {
		t.Fatalf("first batch %v, want [%d]", uids, first)
	}
	time.Sleep(100 * time.Millisecond) // let IDLE start
	second := d.Append(t, "watch", "Drafts", imaptest.NewDraft("<w2@x>", "two"))
	select {
	case uids := <-got:
		if !slices.Equal(uids, []uint32{second}) {
			t.Errorf("second batch %v, want [%d]", uids, second)
		}
	case <-ctx.Done():
		t.Fatal("IDLE never reported the new draft")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v after cancel", err)
	}
}

func TestDovecotReconnect(t *testing.T) {
	t.Parallel()
	d := imaptest.StartDovecot(t, imaptest.DovecotOptions{Users: map[string]string{"alice": testPassword}})
	first := d.Append(t, "alice", "Drafts", imaptest.NewDraft("<r1@x>", "one"))
	got := make(chan []uint32, 10)
	retries := make(chan error, 10)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	w := &Watcher{
		Config: dovecotConfig(d, "alice"), Interval: time.Hour, MinBackoff: 50 * time.Millisecond,
		Handle: func(ctx context.Context, cl *Client, drafts []Draft) error {
			var uids []uint32
			for _, dr := range drafts {
				uids = append(uids, dr.UID)
			}
			got <- uids
			return nil
		},
		OnRetry: func(err error, wait time.Duration) {
			select {
			case retries <- err:
			default:
			}
		},
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	if uids := <-got; !slices.Equal(uids, []uint32{first}) {
		t.Fatalf("first batch %v", uids)
	}
	// Kill Dovecot: kick the session (a stopping Dovecot lets it linger for
	// ten seconds) and stop the server.
	if err := d.Kick("alice"); err != nil {
		t.Fatal(err)
	}
	d.Stop()
	select {
	case err := <-retries:
		if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), d.Addr) {
			t.Errorf("retry error %q: want one line naming the server", err)
		}
	case <-ctx.Done():
		t.Fatal("the watcher did not notice Dovecot going away")
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	second := d.Append(t, "alice", "Drafts", imaptest.NewDraft("<r2@x>", "two"))
	for {
		select {
		case uids := <-got:
			// Without a State, the reconnection lints everything again.
			if slices.Contains(uids, second) {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("Run = %v", err)
				}
				return
			}
		case <-ctx.Done():
			t.Fatal("no draft after the reconnection")
		}
	}
}

func TestDovecotWrongPassword(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	cfg := dovecotConfig(d, "wrongpw")
	cfg.Password = password("not-" + testPassword)
	_, err := Dial(context.Background(), cfg)
	if err == nil {
		t.Fatal("logged in with a wrong password")
	}
	msg := err.Error()
	if IsRetryable(err) || strings.Contains(msg, testPassword) || strings.Contains(msg, "\n") ||
		!strings.Contains(msg, d.Addr) || !strings.Contains(msg, "wrongpw") || !strings.Contains(msg, "failed") {
		t.Errorf("error %q: want one non-retryable line naming server and user, without the password", msg)
	}
}

func TestDovecotTLS(t *testing.T) {
	t.Parallel()
	d := sharedDovecot(t)
	pool, err := LoadCAFile(d.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		addr     string
		security Security
		roots    *x509.CertPool
		wantErr  string
	}{
		{"tls with ca-file", d.TLSAddr, SecurityTLS, pool, ""},
		{"starttls with ca-file", d.Addr, SecurityStartTLS, pool, ""},
		{"tls untrusted", d.TLSAddr, SecurityTLS, nil, "certificate of 127.0.0.1 is not trusted"},
		{"starttls untrusted", d.Addr, SecurityStartTLS, nil, "certificate of 127.0.0.1 is not trusted"},
		{"tls to the clear-text port", d.Addr, SecurityTLS, pool, "does not speak TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := dovecotConfig(d, "tls")
			cfg.Addr, cfg.Security, cfg.RootCAs = tt.addr, tt.security, tt.roots
			cl, err := Dial(context.Background(), cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Dial: %v", err)
				}
				defer cl.Close()
				if name, _, err := cl.FindDrafts(); err != nil || name != "Drafts" {
					t.Errorf("FindDrafts over TLS = %q, %v", name, err)
				}
				return
			}
			if err == nil {
				cl.Close()
				t.Fatalf("Dial succeeded, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") || IsRetryable(err) {
				t.Errorf("Dial error %q, want one non-retryable line containing %q", err, tt.wantErr)
			}
			var e *Error
			if !errors.As(err, &e) || e.Server != tt.addr {
				t.Errorf("error %v does not name the server %s", err, tt.addr)
			}
		})
	}
}

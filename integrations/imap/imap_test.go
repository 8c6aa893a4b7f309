package imap

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-sasl"

	"github.com/replylint/replylint/integrations/imap/imaptest"
)

const testPassword = "s3cret-Pa55word"

func password(pw string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return pw, nil }
}

func memConfig(addr string) Config {
	return Config{Addr: addr, Security: SecurityNone, User: "alice", Password: password(testPassword), DialTimeout: 5 * time.Second}
}

func startMem(t *testing.T, opts imaptest.MemOptions) *imaptest.MemServer {
	t.Helper()
	if opts.User == "" {
		opts.User, opts.Password = "alice", testPassword
	}
	return imaptest.StartMem(t, opts)
}

// appendMem stores raw in mailbox of the in-memory server.
func appendMem(t *testing.T, addr, mailbox string, raw []byte) uint32 {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("alice", testPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	return imaptest.Append(t, c, mailbox, raw)
}

func dial(t *testing.T, cfg Config) *Client {
	t.Helper()
	cl, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

func TestConfigValidate(t *testing.T) {
	pw := password("x")
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" for none
	}{
		{"tls", Config{Addr: "imap.example.com:993", Security: SecurityTLS, User: "u", Password: pw}, ""},
		{"none loopback", Config{Addr: "127.0.0.1:143", Security: SecurityNone, User: "u", Password: pw}, ""},
		{"none localhost", Config{Addr: "localhost:143", Security: SecurityNone, User: "u", Password: pw}, ""},
		{"none ipv6 loopback", Config{Addr: "[::1]:143", Security: SecurityNone, User: "u", Password: pw}, ""},
		{"none remote", Config{Addr: "imap.example.com:143", Security: SecurityNone, User: "u", Password: pw}, "loopback"},
		{"none remote insecure", Config{Addr: "imap.example.com:143", Security: SecurityNone, Insecure: true, User: "u", Password: pw}, ""},
		{"no port", Config{Addr: "imap.example.com", Security: SecurityTLS, User: "u", Password: pw}, "host:port"},
		{"bad port", Config{Addr: "imap.example.com:imap", Security: SecurityTLS, User: "u", Password: pw}, "bad port"},
		{"bad security", Config{Addr: "h:1", Security: "ssl", User: "u", Password: pw}, "unknown security"},
		{"no user", Config{Addr: "h:1", Security: SecurityTLS, Password: pw}, "no user"},
		{"no secret", Config{Addr: "h:1", Security: SecurityTLS, User: "u"}, "no password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseNetrc(t *testing.T) {
	data := `# comment
machine imap.example.com login alice password "p1"
machine other.example.com
  login bob
  password p2
macdef init
  cd /pub

default login anon password p3
`
	tests := []struct {
		host, login      string
		wantLogin, wantP string
		ok               bool
	}{
		{"imap.example.com", "", "alice", "p1", true},
		{"IMAP.example.com", "alice", "alice", "p1", true},
		{"other.example.com", "", "bob", "p2", true},
		{"imap.example.com", "carol", "", "", false},
		{"unknown.example.com", "", "anon", "p3", true},
	}
	path := filepath.Join(t.TempDir(), "netrc")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		e, ok, err := NetrcLookup(path, tt.host, tt.login)
		if err != nil || ok != tt.ok || e.Login != tt.wantLogin || e.Password != tt.wantP {
			t.Errorf("NetrcLookup(%q, %q) = %+v, %v, %v; want %s/%s %v", tt.host, tt.login, e, ok, err, tt.wantLogin, tt.wantP, tt.ok)
		}
	}
	if _, ok, err := NetrcLookup(filepath.Join(t.TempDir(), "none"), "h", ""); ok || err != nil {
		t.Errorf("missing netrc: ok %v, err %v", ok, err)
	}
}

func TestCommandSecret(t *testing.T) {
	tests := []struct {
		cmd, want, err string
	}{
		{"printf 'tok\\nsecond\\n'", "tok", ""},
		{"printf 'pw\\r\\n'", "pw", ""},
		{"true", "", "printed nothing"},
		{"echo leaked-secret; exit 3", "", "exit status 3"},
	}
	for _, tt := range tests {
		got, err := CommandSecret(context.Background(), tt.cmd, io.Discard)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("CommandSecret(%q) = %q, %v; want %q, %q", tt.cmd, got, err, tt.want, tt.err)
		}
		if err != nil && strings.Contains(err.Error(), "leaked") {
			t.Errorf("CommandSecret error shows the command's output: %v", err)
		}
	}
}

func TestPickDrafts(t *testing.T) {
	mb := func(name string, attrs ...imap.MailboxAttr) *imap.ListData {
		return &imap.ListData{Mailbox: name, Delim: '/', Attrs: attrs}
	}
	tests := []struct {
		name  string
		list  []*imap.ListData
		want  string
		found Found
	}{
		{"special use wins", []*imap.ListData{mb("Drafts"), mb("Entwürfe", imap.MailboxAttrDrafts)}, "Entwürfe", FoundSpecialUse},
		{"lower-case attribute", []*imap.ListData{mb("Brouillons", "\\drafts")}, "Brouillons", FoundSpecialUse},
		{"gmail", []*imap.ListData{mb("INBOX"), mb("[Gmail]", imap.MailboxAttrNoSelect), mb("[Gmail]/Drafts")}, "[Gmail]/Drafts", FoundName},
		{"gmail german", []*imap.ListData{mb("INBOX"), mb("[Gmail]/Entwürfe")}, "[Gmail]/Entwürfe", FoundName},
		{"courier dot", []*imap.ListData{{Mailbox: "INBOX.Drafts", Delim: '.'}}, "INBOX.Drafts", FoundName},
		{"russian", []*imap.ListData{mb("INBOX"), mb("Черновики")}, "Черновики", FoundName},
		{"arabic", []*imap.ListData{mb("المسودات")}, "المسودات", FoundName},
		{"persian without zwnj", []*imap.ListData{mb("پیش‌نویس‌ها")}, "پیش‌نویس‌ها", FoundName},
		{"noselect skipped", []*imap.ListData{mb("Drafts", imap.MailboxAttrNoSelect, imap.MailboxAttrDrafts)}, "", ""},
		{"none", []*imap.ListData{mb("INBOX"), mb("Sent")}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := pickDrafts(tt.list)
			if got != tt.want || found != tt.found {
				t.Errorf("pickDrafts = %q (%s), want %q (%s)", got, found, tt.want, tt.found)
			}
		})
	}
}

func TestFindDraftsMem(t *testing.T) {
	tests := []struct {
		mailboxes []string
		want      string
		err       error
	}{
		{[]string{"Sent", "Drafts"}, "Drafts", nil},
		{[]string{"[Gmail]/Sent Mail", "[Gmail]/Drafts"}, "[Gmail]/Drafts", nil},
		{[]string{"Черновики"}, "Черновики", nil},
		{[]string{"Sent"}, "", ErrNoDrafts},
	}
	for _, tt := range tests {
		srv := startMem(t, imaptest.MemOptions{Mailboxes: tt.mailboxes})
		cl := dial(t, memConfig(srv.Addr))
		got, _, err := cl.FindDrafts()
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("FindDrafts with %q = %q, %v; want %q, %v", tt.mailboxes, got, err, tt.want, tt.err)
		}
		if err != nil && !strings.Contains(err.Error(), srv.Addr) {
			t.Errorf("error %q does not name the server", err)
		}
	}
}

func TestSyncMem(t *testing.T) {
	srv := startMem(t, imaptest.MemOptions{})
	drafts := imaptest.Drafts(false)
	for _, d := range drafts {
		appendMem(t, srv.Addr, "Drafts", d.Raw)
	}
	cl := dial(t, memConfig(srv.Addr))
	ctx := context.Background()

	got, st, err := cl.Sync(ctx, "Drafts", MailboxState{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(drafts) {
		t.Fatalf("first sync: %d drafts, want %d", len(got), len(drafts))
	}
	for i, d := range got {
		if string(d.Raw) != string(drafts[i].Raw) {
			t.Errorf("draft %d: raw differs", d.UID)
		}
		if slices.Contains(d.Flags, string(imap.FlagSeen)) {
			t.Errorf("draft %d is \\Seen after a sync", d.UID)
		}
		if want := DraftURL(srv.Addr, "alice", "Drafts", d.UID); d.URL != want {
			t.Errorf("URL %q, want %q", d.URL, want)
		}
		doc, _, err := d.Document("email", "")
		if err != nil {
			t.Fatalf("Document: %v", err)
		}
		if doc.Source.UID != d.UID || doc.Source.Mailbox != "Drafts" || doc.Source.MessageID != drafts[i].MessageID {
			t.Errorf("Source = %+v", doc.Source)
		}
	}
	if st.LastUID != got[len(got)-1].UID || st.UIDValidity == 0 {
		t.Errorf("state = %+v", st)
	}

	// Nothing new: nothing returned.
	again, st2, err := cl.Sync(ctx, "Drafts", st, false)
	if err != nil || len(again) != 0 || st2.LastUID != st.LastUID {
		t.Fatalf("second sync: %d drafts, %+v, %v", len(again), st2, err)
	}
	// One new draft: only it.
	uid := appendMem(t, srv.Addr, "Drafts", imaptest.NewDraft("<new@x>", "Hello,\n\nThanks.\n\nSam\n"))
	newer, st3, err := cl.Sync(ctx, "Drafts", st2, false)
	if err != nil || len(newer) != 1 || newer[0].UID != uid || st3.LastUID != uid {
		t.Fatalf("third sync: %v, %+v, %v", newer, st3, err)
	}
	// --all, or another UIDVALIDITY: everything again.
	all, _, err := cl.Sync(ctx, "Drafts", st3, true)
	if err != nil || len(all) != len(drafts)+1 {
		t.Fatalf("sync all: %d drafts, %v", len(all), err)
	}
	st3.UIDValidity++
	all, _, err = cl.Sync(ctx, "Drafts", st3, false)
	if err != nil || len(all) != len(drafts)+1 {
		t.Fatalf("sync after UIDVALIDITY change: %d drafts, %v", len(all), err)
	}
	// \Seen is still unset everywhere.
	c, _ := imapclient.DialInsecure(srv.Addr, nil)
	defer c.Close()
	c.Login("alice", testPassword).Wait()
	for _, m := range imaptest.Messages(t, c, "Drafts") {
		if slices.Contains(m.Flags, string(imap.FlagSeen)) {
			t.Errorf("uid %d became \\Seen", m.UID)
		}
	}
}

func TestTagMem(t *testing.T) {
	srv := startMem(t, imaptest.MemOptions{})
	a := appendMem(t, srv.Addr, "Drafts", imaptest.NewDraft("<a@x>", "a"))
	b := appendMem(t, srv.Addr, "Drafts", imaptest.NewDraft("<b@x>", "b"))
	cl := dial(t, memConfig(srv.Addr))
	ctx := context.Background()
	if err := cl.Tag(ctx, "Drafts", map[uint32]string{a: KeywordError, b: KeywordOK}); err != nil {
		t.Fatal(err)
	}
	if err := cl.Tag(ctx, "Drafts", map[uint32]string{a: KeywordWarning}); err != nil {
		t.Fatal(err)
	}
	c, _ := imapclient.DialInsecure(srv.Addr, nil)
	defer c.Close()
	c.Login("alice", testPassword).Wait()
	want := map[uint32]string{a: KeywordWarning, b: KeywordOK}
	for _, m := range imaptest.Messages(t, c, "Drafts") {
		kws := keywords(m.Flags)
		if len(kws) != 1 || !strings.EqualFold(kws[0], want[m.UID]) {
			t.Errorf("uid %d keywords %v, want [%s]", m.UID, kws, want[m.UID])
		}
	}
}

// keywords returns replylint's keywords among flags (the in-memory server
// lower-cases flags: IMAP flags are case-insensitive).
func keywords(flags []string) []string {
	var kws []string
	for _, f := range flags {
		if strings.HasPrefix(strings.ToLower(f), "$replylint") {
			kws = append(kws, f)
		}
	}
	return kws
}

func TestKeywordsAllowed(t *testing.T) {
	tests := []struct {
		perm []imap.Flag
		want bool
	}{
		{[]imap.Flag{imap.FlagSeen, imap.FlagWildcard}, true},
		{[]imap.Flag{imap.FlagSeen, imap.FlagDraft}, false},
		{nil, false},
		{[]imap.Flag{KeywordOK, KeywordWarning, KeywordError}, true},
	}
	for _, tt := range tests {
		if got := keywordsAllowed(tt.perm); got != tt.want {
			t.Errorf("keywordsAllowed(%v) = %v", tt.perm, got)
		}
	}
}

func TestWrongPasswordMem(t *testing.T) {
	srv := startMem(t, imaptest.MemOptions{})
	cfg := memConfig(srv.Addr)
	cfg.Password = password("wrong-" + testPassword)
	_, err := Dial(context.Background(), cfg)
	if err == nil {
		t.Fatal("Dial with a wrong password succeeded")
	}
	msg := err.Error()
	if strings.Contains(msg, testPassword) || strings.Contains(msg, "\n") || !strings.Contains(msg, srv.Addr) || !strings.Contains(msg, "alice") {
		t.Errorf("error %q: want one line naming server and user, without the password", msg)
	}
	if IsRetryable(err) {
		t.Errorf("a wrong password is retryable")
	}
}

func TestUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err := Dial(context.Background(), memConfig(addr))
	if err == nil || !IsRetryable(err) || !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "connect") {
		t.Errorf("Dial to a closed port: %v (retryable %v)", err, IsRetryable(err))
	}
}

// oauthSession adds OAUTHBEARER and XOAUTH2 to the in-memory server.
type oauthSession struct {
	imapserver.Session
	mechs []string
}

func (s *oauthSession) AuthenticateMechanisms() []string { return s.mechs }

func (s *oauthSession) Authenticate(mech string) (sasl.Server, error) {
	if !slices.Contains(s.mechs, mech) {
		return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "unsupported mechanism"}
	}
	return &oauthServer{mech: mech, sess: s}, nil
}

type oauthServer struct {
	mech   string
	sess   *oauthSession
	failed bool
}

func (o *oauthServer) Next(resp []byte) ([]byte, bool, error) {
	if o.failed {
		want := ""
		if o.mech == OAuthBearer {
			want = "\x01"
		}
		if string(resp) != want {
			return nil, true, &imap.Error{Type: imap.StatusResponseTypeBad, Text: "bad dummy response"}
		}
		return nil, true, &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed, Text: "invalid token"}
	}
	s := string(resp)
	var user string
	switch o.mech {
	case OAuthBearer:
		if !strings.HasPrefix(s, "n,a=") {
			return nil, true, errors.New("bad gs2 header")
		}
		user, _, _ = strings.Cut(strings.TrimPrefix(s, "n,a="), ",")
	case XOAuth2:
		user, _, _ = strings.Cut(strings.TrimPrefix(s, "user="), "\x01")
	}
	if strings.Contains(s, "\x01auth=Bearer good-token\x01\x01") {
		return nil, true, o.sess.Login(user, testPassword)
	}
	o.failed = true
	return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`), false, nil
}

func TestOAuth(t *testing.T) {
	tests := []struct {
		name     string
		mechs    []string
		token    string
		wantMech string
		wantErr  string
	}{
		{"oauthbearer", []string{OAuthBearer}, "good-token", OAuthBearer, ""},
		{"xoauth2", []string{XOAuth2}, "good-token", XOAuth2, ""},
		{"both prefers oauthbearer", []string{XOAuth2, OAuthBearer}, "good-token", OAuthBearer, ""},
		{"oauthbearer refused", []string{OAuthBearer}, "bad-token", "", "status 401"},
		{"xoauth2 refused", []string{XOAuth2}, "bad-token", "", "status 401"},
		{"no oauth", nil, "good-token", "", "no OAuth mechanism"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startMem(t, imaptest.MemOptions{NewSession: func(s imapserver.Session) imapserver.Session {
				return &oauthSession{Session: s, mechs: tt.mechs}
			}})
			cfg := memConfig(srv.Addr)
			cfg.Password = nil
			cfg.Token = password(tt.token)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			cl, err := Dial(ctx, cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), tt.token) {
					t.Fatalf("Dial = %v, want error containing %q (and no token)", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			defer cl.Close()
			if cl.Mechanism() != tt.wantMech {
				t.Errorf("mechanism %s, want %s", cl.Mechanism(), tt.wantMech)
			}
			if _, _, err := cl.FindDrafts(); err != nil {
				t.Errorf("FindDrafts after OAuth: %v", err)
			}
		})
	}
}

// cutProxy forwards to addr and, once the server starts sending a message
// body, drops the connection: a server that dies mid-fetch.
func cutProxy(t *testing.T, addr string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				continue
			}
			go io.Copy(s, c)
			go func() {
				defer c.Close()
				defer s.Close()
				buf := make([]byte, 4096)
				for {
					n, err := s.Read(buf)
					if i := strings.Index(string(buf[:n]), "BODY[] {"); i >= 0 {
						c.Write(buf[:i+40])
						return
					}
					if _, werr := c.Write(buf[:n]); werr != nil || err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestDropMidFetch(t *testing.T) {
	srv := startMem(t, imaptest.MemOptions{})
	uid := appendMem(t, srv.Addr, "Drafts", imaptest.Drafts(false)[0].Raw)
	proxy := cutProxy(t, srv.Addr)
	cl := dial(t, memConfig(proxy))
	_, _, err := cl.Sync(context.Background(), "Drafts", MailboxState{}, false)
	if err == nil {
		t.Fatal("Sync through a dropped connection succeeded")
	}
	msg := err.Error()
	if !IsRetryable(err) || strings.Contains(msg, "\n") || !strings.Contains(msg, proxy) || !strings.Contains(msg, `"Drafts"`) || !strings.Contains(msg, "fetch") {
		t.Errorf("error %q (retryable %v): want one retryable line naming server, mailbox and fetch", msg, IsRetryable(err))
	}
	_ = uid
}

func TestWatchPollingMem(t *testing.T) {
	srv := startMem(t, imaptest.MemOptions{})
	first := appendMem(t, srv.Addr, "Drafts", imaptest.NewDraft("<1@x>", "one"))
	state, _ := LoadState(filepath.Join(t.TempDir(), "state.json"))

	var mu sync.Mutex
	var seen []uint32
	got := make(chan struct{}, 10)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w := &Watcher{
		Config: memConfig(srv.Addr), State: state, Interval: 50 * time.Millisecond, poll: true,
		OnRetry: func(err error, _ time.Duration) { t.Logf("retry: %v", err) },
		Handle: func(ctx context.Context, cl *Client, drafts []Draft) error {
			mu.Lock()
			for _, d := range drafts {
				seen = append(seen, d.UID)
			}
			mu.Unlock()
			got <- struct{}{}
			return nil
		},
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	<-got
	second := appendMem(t, srv.Addr, "Drafts", imaptest.NewDraft("<2@x>", "two"))
	select {
	case <-got:
	case <-ctx.Done():
		t.Fatal("the polling watcher never saw the new draft")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(seen, []uint32{first, second}) {
		t.Errorf("handled %v, want [%d %d]", seen, first, second)
	}
	st := state.Get(StateKey(srv.Addr, "alice", "Drafts"))
	if st.LastUID != second {
		t.Errorf("state %+v, want last uid %d", st, second)
	}
	// The state survives a reload.
	reloaded, err := LoadState(state.path)
	if err != nil || reloaded.Get(StateKey(srv.Addr, "alice", "Drafts")).LastUID != second {
		t.Errorf("reloaded state: %+v, %v", reloaded, err)
	}
}

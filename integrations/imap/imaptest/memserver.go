package imaptest

import (
	"io"
	"log"
	"net"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// MemServer is go-imap's in-memory server on 127.0.0.1.
type MemServer struct {
	Addr string
	User *imapmemserver.User
}

// MemOptions configure StartMem.
type MemOptions struct {
	User, Password string   // default alice / secret
	Mailboxes      []string // created empty; default {"Drafts"}
	// Caps are the capabilities; nil means IMAP4rev1 and IDLE.
	Caps imap.CapSet
	// NewSession wraps the in-memory session, to add SASL mechanisms.
	NewSession func(imapserver.Session) imapserver.Session
}

// StartMem starts an in-memory server (clear text, InsecureAuth) and
// closes it when the test ends.
func StartMem(t testing.TB, opts MemOptions) *MemServer {
	t.Helper()
	if opts.User == "" {
		opts.User, opts.Password = "alice", "secret"
	}
	if opts.Mailboxes == nil {
		opts.Mailboxes = []string{"Drafts"}
	}
	if opts.Caps == nil {
		opts.Caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIdle: {}}
	}
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(opts.User, opts.Password)
	u.Create("INBOX", nil)
	for _, mb := range opts.Mailboxes {
		if err := u.Create(mb, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			s := mem.NewSession()
			if opts.NewSession != nil {
				s = opts.NewSession(s)
			}
			return s, nil, nil
		},
		Caps:         opts.Caps,
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &MemServer{Addr: ln.Addr().String(), User: u}
}

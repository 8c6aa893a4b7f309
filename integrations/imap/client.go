package imap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-sasl"
)

// Security is how the connection is protected.
type Security string

// The connection securities.
const (
	SecurityTLS      Security = "tls"      // implicit TLS, usually port 993
	SecurityStartTLS Security = "starttls" // STARTTLS on a clear-text port, usually 143
	SecurityNone     Security = "none"     // clear text: loopback only unless Config.Insecure
)

// ParseSecurity parses tls, starttls or none.
func ParseSecurity(s string) (Security, error) {
	switch sec := Security(strings.ToLower(s)); sec {
	case SecurityTLS, SecurityStartTLS, SecurityNone:
		return sec, nil
	}
	return "", fmt.Errorf("unknown security %q: want tls, starttls or none", s)
}

// Config says where and how to connect.
type Config struct {
	// Addr is the server's host:port.
	Addr     string
	Security Security
	// Insecure allows SecurityNone to a host that is not a loopback
	// address: the password then crosses the network in clear text.
	Insecure bool
	// RootCAs verifies the server's certificate; nil uses the system's.
	RootCAs *x509.CertPool
	// User is the login name.
	User string
	// Password returns the password for LOGIN or SASL PLAIN. It is called
	// once per connection.
	Password func(context.Context) (string, error)
	// Token returns an OAuth 2.0 access token for OAUTHBEARER or XOAUTH2;
	// when set, Password is not used. It is called once per connection, so
	// a long --watch gets fresh tokens.
	Token func(context.Context) (string, error)
	// DialTimeout bounds connecting, TLS and the greeting; 0 means 30s.
	DialTimeout time.Duration
}

// Host returns the host part of Addr.
func (cfg *Config) Host() string {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return cfg.Addr
	}
	return host
}

// Validate checks the address, the security and the credentials' sources.
func (cfg *Config) Validate() error {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return fmt.Errorf("server %q: want host:port, such as imap.example.com:993", cfg.Addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("server %q: bad port %q", cfg.Addr, port)
	}
	if _, err := ParseSecurity(string(cfg.Security)); err != nil {
		return err
	}
	if cfg.Security == SecurityNone && !cfg.Insecure && !IsLoopback(host) {
		return fmt.Errorf("security none sends the password in clear text: allowed only to a loopback address (127.0.0.1, ::1, localhost), not %s, unless --insecure", host)
	}
	if cfg.User == "" {
		return errors.New("no user name")
	}
	if cfg.Password == nil && cfg.Token == nil {
		return errors.New("no password or token source")
	}
	return nil
}

// IsLoopback reports whether host is a loopback address or "localhost".
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoadCAFile returns the system's certificate pool (or an empty one) plus
// the PEM certificates in path: how a self-signed server is trusted.
func LoadCAFile(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificate in it", path)
	}
	return pool, nil
}

// Client is an authenticated connection to an IMAP server.
type Client struct {
	cfg    Config
	c      *imapclient.Client
	events chan struct{} // the mailbox changed (EXISTS, EXPUNGE) during IDLE
	mech   string
	caps   imap.CapSet // after authentication

	selected string
	readOnly bool
}

// Dial connects to the server, protects the connection as cfg.Security
// says and authenticates with the best mechanism the server offers.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, &Error{Server: cfg.Addr, Op: "config", Err: err}
	}
	timeout := cfg.DialTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	cl := &Client{cfg: cfg, events: make(chan struct{}, 1)}
	fail := func(op string, err error, retry bool) (*Client, error) {
		if cl.c != nil {
			cl.c.Close()
		}
		return nil, &Error{Server: cfg.Addr, Op: op, Err: err, Retry: retry}
	}

	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(dctx, "tcp", cfg.Addr)
	if err != nil {
		return fail("connect", unwrapOp(err), ctx.Err() == nil)
	}
	// Bound the TLS handshake and the greeting by the same deadline.
	if dl, ok := dctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(dctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	opts := &imapclient.Options{
		TLSConfig:   &tls.Config{ServerName: cfg.Host(), RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			// Never run a command here: it would block the client.
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					cl.notify()
				}
			},
			Expunge: func(uint32) { cl.notify() },
		},
	}
	switch cfg.Security {
	case SecurityTLS:
		tc := tls.Client(conn, opts.TLSConfig)
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return fail("tls", describeTLS(cfg.Host(), err), false)
		}
		cl.c = imapclient.New(tc, opts)
	case SecurityStartTLS:
		c, err := imapclient.NewStartTLS(conn, opts)
		if err != nil {
			conn.Close()
			if te := tlsError(cfg.Host(), err); te != nil {
				return fail("starttls", te, false)
			}
			return fail("starttls", unwrapOp(err), isNetError(err))
		}
		cl.c = c
	default:
		cl.c = imapclient.New(conn, opts)
	}
	if err := cl.c.WaitGreeting(); err != nil {
		return fail("greeting", unwrapOp(err), isNetError(err))
	}
	if err := cl.authenticate(dctx); err != nil {
		return fail("login", err, isNetError(err))
	}
	// Ask once: Caps() may wait on a refresh that races with other commands.
	if cl.caps, err = cl.c.Capability().Wait(); err != nil {
		return fail("capability", unwrapOp(err), isNetError(err))
	}
	stop()
	conn.SetDeadline(time.Time{})
	return cl, nil
}

// describeTLS turns a handshake error into a message naming the host.
func describeTLS(host string, err error) error {
	if te := tlsError(host, err); te != nil {
		return te
	}
	return fmt.Errorf("TLS handshake with %s failed: %v", host, unwrapOp(err))
}

// unwrapOp drops the "dial tcp 127.0.0.1:1: " noise of a net.OpError,
// which repeats the address Error already names.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	var sys *os.SyscallError
	if errors.As(err, &sys) && sys.Err != nil {
		return sys.Err
	}
	return err
}

func (cl *Client) notify() {
	select {
	case cl.events <- struct{}{}:
	default:
	}
}

// authenticate logs in with the mechanism the capabilities allow.
func (cl *Client) authenticate(ctx context.Context) error {
	caps := cl.c.Caps()
	if cl.cfg.Token != nil {
		token, err := cl.cfg.Token(ctx)
		if err != nil {
			return fmt.Errorf("oauth token: %v", err)
		}
		var mech string
		switch {
		case caps.Has(imap.AuthCap(OAuthBearer)):
			mech = OAuthBearer
		case caps.Has(imap.AuthCap(XOAuth2)):
			mech = XOAuth2
		default:
			return fmt.Errorf("server offers no OAuth mechanism (AUTH=OAUTHBEARER or AUTH=XOAUTH2); it offers %s", authMechs(caps))
		}
		port, _ := strconv.Atoi(portOf(cl.cfg.Addr))
		sc := &OAuthClient{Mech: mech, User: cl.cfg.User, Token: token, Host: cl.cfg.Host(), Port: port}
		cl.mech = mech
		if err := cl.c.Authenticate(sc); err != nil {
			if f := sc.Failure(); f != nil {
				return fmt.Errorf("%s as %s refused: %s (server said: status %s)", mech, cl.cfg.User, serverText(err), f.Status)
			}
			return fmt.Errorf("%s as %s refused: %s", mech, cl.cfg.User, serverText(err))
		}
		return nil
	}
	password, err := cl.cfg.Password(ctx)
	if err != nil {
		return fmt.Errorf("password: %v", err)
	}
	switch {
	case caps.Has(imap.AuthCap(sasl.Plain)):
		cl.mech = sasl.Plain
		err = cl.c.Authenticate(sasl.NewPlainClient("", cl.cfg.User, password))
	case !caps.Has(imap.CapLoginDisabled):
		cl.mech = "LOGIN"
		err = cl.c.Login(cl.cfg.User, password).Wait()
	default:
		return fmt.Errorf("server allows neither AUTH=PLAIN nor LOGIN (LOGINDISABLED); it offers %s", authMechs(caps))
	}
	if err != nil {
		return fmt.Errorf("%s as %s failed: %s", cl.mech, cl.cfg.User, serverText(err))
	}
	return nil
}

// serverText is the server's text of a NO or BAD answer, or err.
func serverText(err error) string {
	var ie *imap.Error
	if errors.As(err, &ie) {
		s := ie.Text
		if ie.Code != "" {
			s += " [" + string(ie.Code) + "]"
		}
		return s
	}
	return err.Error()
}

func authMechs(caps imap.CapSet) string {
	var mechs []string
	for c := range caps {
		if m, ok := strings.CutPrefix(string(c), "AUTH="); ok {
			mechs = append(mechs, m)
		}
	}
	if !caps.Has(imap.CapLoginDisabled) {
		mechs = append(mechs, "LOGIN")
	}
	slices.Sort(mechs)
	if len(mechs) == 0 {
		return "nothing"
	}
	return strings.Join(mechs, " ")
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// Mechanism returns the authentication mechanism that was used: LOGIN,
// PLAIN, OAUTHBEARER or XOAUTH2.
func (cl *Client) Mechanism() string { return cl.mech }

// Caps returns the server's capabilities.
func (cl *Client) Caps() imap.CapSet { return cl.caps }

// Server returns the host:port the client is connected to.
func (cl *Client) Server() string { return cl.cfg.Addr }

// User returns the login name.
func (cl *Client) User() string { return cl.cfg.User }

// Closed returns a channel closed when the connection is gone.
func (cl *Client) Closed() <-chan struct{} { return cl.c.Closed() }

// Close logs out (briefly waiting for the server) and closes the
// connection.
func (cl *Client) Close() error {
	done := make(chan struct{})
	go func() {
		cl.c.Logout().Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	return cl.c.Close()
}

// err wraps a failure of op on mailbox (and uid).
func (cl *Client) err(op, mailbox string, uid uint32, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	retry := isNetError(err)
	if retry {
		select {
		case <-cl.c.Closed():
			err = fmt.Errorf("connection lost: %v", err)
		default:
		}
	}
	return &Error{Server: cl.cfg.Addr, Mailbox: mailbox, UID: uid, Op: op, Err: err, Retry: retry}
}

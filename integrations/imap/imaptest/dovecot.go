// Package imaptest starts IMAP servers for tests: a real Dovecot on
// 127.0.0.1 with a Maildir in a temporary directory, and go-imap's
// in-memory server.
package imaptest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// DovecotBinary is where Debian's dovecot-imapd installs the server.
const DovecotBinary = "/usr/sbin/dovecot"

// Dovecot is a Dovecot instance started by a test.
type Dovecot struct {
	// Addr is the clear-text IMAP port (it offers STARTTLS when TLS is on).
	Addr string
	// TLSAddr is the implicit-TLS port; "" without TLS.
	TLSAddr string
	// CAFile is the PEM of the self-signed certificate; "" without TLS.
	CAFile string
	// Users maps each user to its password.
	Users map[string]string

	dirs []string
	conf string
	log  string
	cmd  *exec.Cmd
	done chan struct{}
}

// DovecotOptions configure StartDovecot.
type DovecotOptions struct {
	// Users maps user names to passwords; nil means {"alice": "secret"}.
	Users map[string]string
	// TLS generates a self-signed certificate for 127.0.0.1 and localhost
	// and opens an implicit-TLS port too.
	TLS bool
	// NoSpecialUse leaves the Drafts mailbox without \Drafts.
	NoSpecialUse bool
	// MailDir holds the users' Maildirs; "" makes a temporary directory
	// that Close removes.
	MailDir string
}

var instances atomic.Int64

// ErrNoDovecot is returned by Launch when Dovecot is not installed.
var ErrNoDovecot = errors.New(DovecotBinary + " is not installed")

// SkipMessage is the loud message of a test skipped for want of Dovecot.
const SkipMessage = "\n\n*** SKIPPING: " + DovecotBinary + " is not installed, so this test cannot run against a real IMAP server.\n" +
	"*** Install it with: apt-get install -y dovecot-imapd\n\n"

// StartDovecot starts Dovecot with its Maildirs in t.TempDir() and stops it
// (SIGTERM, then waiting for it to exit) when the test ends. The test is
// skipped, loudly, when Dovecot is not installed.
func StartDovecot(t testing.TB, opts DovecotOptions) *Dovecot {
	t.Helper()
	if opts.MailDir == "" {
		opts.MailDir = t.TempDir()
	}
	d, err := Launch(opts)
	if errors.Is(err, ErrNoDovecot) {
		t.Skip(SkipMessage)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// Launch starts Dovecot in the foreground on free ports of 127.0.0.1 and
// waits for its greeting. Each user gets a Maildir with a Drafts mailbox
// marked \Drafts. Close stops it.
func Launch(opts DovecotOptions) (*Dovecot, error) {
	if _, err := os.Stat(DovecotBinary); err != nil {
		return nil, ErrNoDovecot
	}
	if opts.Users == nil {
		opts.Users = map[string]string{"alice": "secret"}
	}
	d := &Dovecot{Users: opts.Users}
	// Unix socket paths are limited to 108 bytes: keep base_dir short.
	run, err := os.MkdirTemp("", "rldc")
	if err != nil {
		return nil, err
	}
	d.dirs = append(d.dirs, run)
	mail := opts.MailDir
	if mail == "" {
		if mail, err = os.MkdirTemp("", "rldc-mail"); err != nil {
			d.Close()
			return nil, err
		}
		d.dirs = append(d.dirs, mail)
	}
	if err := d.configure(run, mail, opts); err != nil {
		d.Close()
		return nil, err
	}
	if err := d.Start(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func (d *Dovecot) configure(run, mail string, opts DovecotOptions) error {
	home := filepath.Join(mail, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		return err
	}
	// A 0700 parent gives "Temporary authentication failure".
	for _, dir := range []string{run, mail, filepath.Dir(mail)} {
		os.Chmod(dir, 0o755)
	}
	uid, gid := os.Getuid(), os.Getgid()
	services := ""
	if uid == 0 {
		// As root: mail belongs to nobody; Dovecot keeps its own
		// dovenull and dovecot service users.
		nobody, err := user.Lookup("nobody")
		if err != nil {
			return fmt.Errorf("dovecot as root needs user nobody: %v", err)
		}
		uid, _ = strconv.Atoi(nobody.Uid)
		gid, _ = strconv.Atoi(nobody.Gid)
		if err := os.Chown(home, uid, gid); err != nil {
			return err
		}
	} else {
		me, err := user.Current()
		if err != nil {
			return err
		}
		services = fmt.Sprintf(`default_internal_user = %[1]s
default_login_user = %[1]s
default_internal_group = %[2]s
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`, me.Username, groupName(gid))
	}

	var passwd strings.Builder
	names := make([]string, 0, len(opts.Users))
	for u := range opts.Users {
		names = append(names, u)
	}
	sort.Strings(names)
	for _, u := range names {
		fmt.Fprintf(&passwd, "%s:{PLAIN}%s::::::\n", u, opts.Users[u])
	}
	passwdFile := filepath.Join(run, "passwd")
	if err := os.WriteFile(passwdFile, []byte(passwd.String()), 0o644); err != nil {
		return err
	}

	d.conf, d.log = filepath.Join(run, "dovecot.conf"), filepath.Join(run, "dovecot.log")
	port, err := freePort()
	if err != nil {
		return err
	}
	d.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	sslConf := "ssl = no\n"
	imapsPort := 0
	if opts.TLS {
		if imapsPort, err = freePort(); err != nil {
			return err
		}
		d.TLSAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(imapsPort))
		cert, key, err := WriteSelfSignedCert(run)
		if err != nil {
			return err
		}
		d.CAFile = cert
		sslConf = fmt.Sprintf("ssl = yes\nssl_cert = <%s\nssl_key = <%s\n", cert, key)
	}
	specialUse := "special_use = \\Drafts"
	if opts.NoSpecialUse {
		specialUse = ""
	}
	conf := fmt.Sprintf(`base_dir = %[1]s/base
state_dir = %[1]s/state
log_path = %[2]s
instance_name = replylint-test-%[3]d-%[4]d
protocols = imap
listen = 127.0.0.1
%[5]sdisable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[6]s
}
userdb {
  driver = static
  args = uid=%[7]d gid=%[8]d home=%[9]s/%%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[10]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[11]d
  }
}
%[12]s
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    %[13]s
    auto = subscribe
  }
}
`, run, d.log, os.Getpid(), instances.Add(1), sslConf, passwdFile, uid, gid, home, port, imapsPort, services, specialUse)
	return os.WriteFile(d.conf, []byte(conf), 0o644)
}

func groupName(gid int) string {
	if g, err := user.LookupGroupId(strconv.Itoa(gid)); err == nil {
		return g.Name
	}
	return strconv.Itoa(gid)
}

// freePort returns a port of 127.0.0.1 that nothing listens on.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Start (re)starts the server on the same ports and waits for its
// greeting.
func (d *Dovecot) Start() error {
	if d.cmd != nil {
		return errors.New("imaptest: dovecot already running")
	}
	cmd := exec.Command(DovecotBinary, "-F", "-c", d.conf)
	out, err := os.OpenFile(d.log+".out", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return fmt.Errorf("start dovecot: %v", err)
	}
	d.cmd, d.done = cmd, make(chan struct{})
	go func() { cmd.Wait(); out.Close(); close(d.done) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		if greeted(d.Addr) {
			return nil
		}
		select {
		case <-d.done:
			d.cmd = nil
			return fmt.Errorf("dovecot exited at start:\n%s", d.Log())
		default:
		}
		if time.Now().After(deadline) {
			d.Stop()
			return fmt.Errorf("dovecot did not greet on %s within 10s:\n%s", d.Addr, d.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// greeted reports whether addr sends an IMAP "* OK" greeting.
func greeted(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "* OK")
}

// Stop sends SIGTERM to Dovecot and waits for it to exit (SIGKILL after
// 10s). Stopping a stopped server does nothing.
func (d *Dovecot) Stop() {
	if d.cmd == nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		d.cmd.Process.Kill()
		<-d.done
	}
	d.cmd = nil
}

// Kick disconnects every session of user at once (doveadm kick): a
// stopping Dovecot may leave its IMAP processes serving for seconds more.
func (d *Dovecot) Kick(user string) error {
	out, err := exec.Command("doveadm", "-c", d.conf, "kick", user).CombinedOutput()
	if err != nil {
		return fmt.Errorf("doveadm kick %s: %v: %s", user, err, out)
	}
	return nil
}

// Close stops Dovecot and removes the directories Launch made.
func (d *Dovecot) Close() {
	d.Stop()
	for _, dir := range d.dirs {
		os.RemoveAll(dir)
	}
}

// Log returns Dovecot's log so far.
func (d *Dovecot) Log() string {
	a, _ := os.ReadFile(d.log)
	b, _ := os.ReadFile(d.log + ".out")
	return string(a) + string(b)
}

// Login returns a client logged in as user over the clear-text port.
func (d *Dovecot) Login(t testing.TB, user string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(d.Addr, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", d.Addr, err)
	}
	if err := c.Login(user, d.Users[user]).Wait(); err != nil {
		c.Close()
		t.Fatalf("login %s: %v\n%s", user, err, d.Log())
	}
	return c
}

// Append stores raw in mailbox for user (flags: \Draft and any given) and
// returns its UID.
func (d *Dovecot) Append(t testing.TB, user, mailbox string, raw []byte, flags ...imap.Flag) uint32 {
	t.Helper()
	c := d.Login(t, user)
	defer c.Close()
	return Append(t, c, mailbox, raw, flags...)
}

// Append stores raw in mailbox through c with \Draft plus flags and returns
// its UID.
func Append(t testing.TB, c *imapclient.Client, mailbox string, raw []byte, flags ...imap.Flag) uint32 {
	t.Helper()
	cmd := c.Append(mailbox, int64(len(raw)), &imap.AppendOptions{Flags: append([]imap.Flag{imap.FlagDraft}, flags...)})
	if _, err := cmd.Write(raw); err != nil {
		t.Fatalf("append: %v", err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatalf("append: %v", err)
	}
	data, err := cmd.Wait()
	if err != nil {
		t.Fatalf("append to %s: %v", mailbox, err)
	}
	return uint32(data.UID)
}

// Message is a stored message as a test sees it.
type Message struct {
	UID   uint32
	Flags []string
	Raw   []byte
}

// Messages returns every message of mailbox for user, read with EXAMINE
// and BODY.PEEK[] so that reading changes nothing.
func (d *Dovecot) Messages(t testing.TB, user, mailbox string) []Message {
	t.Helper()
	c := d.Login(t, user)
	defer c.Close()
	return Messages(t, c, mailbox)
}

// Messages returns every message of mailbox through c without changing it.
func Messages(t testing.TB, c *imapclient.Client, mailbox string) []Message {
	t.Helper()
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("examine %s: %v", mailbox, err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	var all imap.SeqSet
	all.AddRange(1, 0)
	bufs, err := c.Fetch(all, &imap.FetchOptions{
		UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	if err != nil {
		t.Fatalf("fetch %s: %v", mailbox, err)
	}
	var out []Message
	for _, b := range bufs {
		m := Message{UID: uint32(b.UID), Raw: b.FindBodySection(&imap.FetchItemBodySection{Peek: true})}
		for _, f := range b.Flags {
			m.Flags = append(m.Flags, string(f))
		}
		sort.Strings(m.Flags)
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	return out
}

// WriteSelfSignedCert writes a self-signed certificate for 127.0.0.1, ::1
// and localhost, and its key, as PEM files in dir and returns their paths.
func WriteSelfSignedCert(dir string) (certFile, keyFile string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "replylint test IMAP server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return "", "", err
	}
	return certFile, keyFile, nil
}

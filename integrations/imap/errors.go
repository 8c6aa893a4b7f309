package imap

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/emersion/go-imap/v2"
)

// Error is a failure talking to an IMAP server. Its message is one line
// naming the server, and the mailbox and UID when they apply.
type Error struct {
	Server  string // host:port
	Mailbox string // "" when no mailbox was involved
	UID     uint32 // 0 when no single draft was involved
	Op      string // what failed: "connect", "tls", "login", "list", "select", "fetch", "store", "idle"
	Err     error
	// Retry is set when reconnecting may help: the network failed or the
	// server closed the connection.
	Retry bool
}

// Error returns the one-line message.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("imap ")
	b.WriteString(e.Server)
	if e.Mailbox != "" {
		fmt.Fprintf(&b, ": mailbox %q", e.Mailbox)
	}
	if e.UID != 0 {
		fmt.Fprintf(&b, ": uid %d", e.UID)
	}
	if e.Op != "" {
		b.WriteString(": ")
		b.WriteString(e.Op)
	}
	if e.Err != nil {
		b.WriteString(": ")
		var ie *imap.Error
		if errors.As(e.Err, &ie) && ie == e.Err {
			b.WriteString(oneLine(serverText(ie)))
		} else {
			b.WriteString(oneLine(e.Err.Error()))
		}
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// IsRetryable reports whether err is a failure that reconnecting may cure:
// an unreachable server or a dropped connection. Wrong credentials, TLS
// verification failures and missing mailboxes are not.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retry
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", "; ")
	return strings.ReplaceAll(s, "\n", "; ")
}

// isNetError reports whether err comes from the network rather than from
// the server's answer: a refused or reset connection, a timeout, EOF.
func isNetError(err error) bool {
	if err == nil {
		return false
	}
	var imapErr *imap.Error
	if errors.As(err, &imapErr) {
		return false
	}
	var netErr net.Error
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &netErr):
		return true
	}
	// go-imap reports a dropped connection with plain errors.
	msg := err.Error()
	return strings.Contains(msg, "connection closed") || strings.Contains(msg, "use of closed network connection") ||
		strings.Contains(msg, "EOF") || strings.Contains(msg, "broken pipe") || strings.Contains(msg, "connection reset")
}

// tlsError explains a TLS failure with host, or returns nil when err is not
// one.
func tlsError(host string, err error) error {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("certificate of %s is not trusted (%v); for a self-signed server pass its certificate with --ca-file", host, unknown)
	case errors.As(err, &hostname):
		return fmt.Errorf("certificate is not valid for %s (%v)", host, hostname)
	case errors.As(err, &invalid):
		return fmt.Errorf("certificate of %s is invalid (%v)", host, invalid)
	case errors.As(err, &verify):
		return fmt.Errorf("certificate of %s failed verification (%v)", host, verify.Err)
	case errors.As(err, &record):
		return fmt.Errorf("%s does not speak TLS on this port; use --security starttls (usually port 143) or the implicit-TLS port (993)", host)
	}
	var alert tls.AlertError
	if errors.As(err, &alert) || strings.HasPrefix(err.Error(), "tls: ") {
		return fmt.Errorf("TLS handshake with %s failed: %v", host, err)
	}
	return nil
}

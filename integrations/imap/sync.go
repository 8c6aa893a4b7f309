package imap

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/integrations/mail"
)

// Draft is one message of the drafts mailbox, as the server stores it.
type Draft struct {
	Mailbox string
	UID     uint32
	Flags   []string
	ModSeq  uint64 // with CONDSTORE
	// Raw is the whole message (BODY.PEEK[]), byte for byte.
	Raw []byte
	// URL names the draft: imap://user@host:port/Mailbox/;UID=42 (RFC 5092).
	URL string
}

// Document parses the draft with mail.Read: the agent's new text is linted,
// the quoted message and the headers are its context. The document's
// Source carries the URL, mailbox, UID and Message-ID. Warnings say what
// could not be decoded; an error means the draft is not a message at all.
func (d Draft) Document(kind analyzer.Kind, lang string) (analyzer.Document, []string, error) {
	m, err := mail.Read(bytes.NewReader(d.Raw), mail.Options{})
	if err != nil {
		return analyzer.Document{}, nil, err
	}
	src := analyzer.Source{Path: d.URL, Mailbox: d.Mailbox, UID: d.UID}
	return m.Document(src, kind, lang), m.Warnings, nil
}

// MailboxURL returns imap://user@host:port/mailbox, the RFC 5092 form
// with the mailbox name left readable.
func MailboxURL(server, user, mailbox string) string {
	u := "imap://"
	if user != "" {
		u += url.PathEscape(user) + "@"
	}
	return u + server + "/" + mailbox
}

// DraftURL returns the RFC 5092 URL of a message: .../mailbox/;UID=42.
func DraftURL(server, user, mailbox string, uid uint32) string {
	return MailboxURL(server, user, mailbox) + "/;UID=" + strconv.FormatUint(uint64(uid), 10)
}

// Sync examines mailbox read-only (EXAMINE, so nothing can change) and
// returns, in UID order, the drafts after prev: every draft when all is set,
// when prev is zero or when UIDVALIDITY changed. It fetches BODY.PEEK[],
// which leaves \Seen alone. next is the state to remember once the drafts
// are handled.
func (cl *Client) Sync(ctx context.Context, mailbox string, prev MailboxState, all bool) (drafts []Draft, next MailboxState, err error) {
	defer cl.guard(ctx)()
	condStore := cl.caps.Has(imap.CapCondStore)
	sel, err := cl.c.Select(mailbox, &imap.SelectOptions{ReadOnly: true, CondStore: condStore}).Wait()
	if err != nil {
		return nil, prev, cl.ctxErr(ctx, cl.err("examine", mailbox, 0, err))
	}
	cl.selected, cl.readOnly = mailbox, true
	next = MailboxState{UIDValidity: sel.UIDValidity, HighestModSeq: sel.HighestModSeq, Updated: time.Now().UTC()}
	if all || prev.UIDValidity != sel.UIDValidity {
		prev = MailboxState{}
	}
	next.LastUID = prev.LastUID
	switch {
	case sel.NumMessages == 0:
		return nil, next, nil
	case prev.UIDValidity != 0 && prev.HighestModSeq != 0 && prev.HighestModSeq == sel.HighestModSeq:
		return nil, next, nil // nothing changed at all
	case sel.UIDNext != 0 && uint32(sel.UIDNext) <= prev.LastUID+1:
		return nil, next, nil
	}

	var set imap.UIDSet
	set.AddRange(imap.UID(prev.LastUID+1), 0) // prev.LastUID+1:*
	opts := &imap.FetchOptions{
		UID:         true,
		Flags:       true,
		ModSeq:      condStore,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	}
	fetch := cl.c.Fetch(set, opts)
	var lastUID uint32
	for {
		msg := fetch.Next()
		if msg == nil {
			break
		}
		d, err := cl.readDraft(mailbox, msg)
		if err != nil {
			// The connection is broken: close it rather than drain the
			// rest of the answer.
			cl.c.Close()
			return nil, prev, cl.ctxErr(ctx, cl.err("fetch", mailbox, max(d.UID, lastUID), err))
		}
		if d.UID <= prev.LastUID { // n:* always returns the last message
			continue
		}
		lastUID = d.UID
		drafts = append(drafts, d)
	}
	if err := fetch.Close(); err != nil {
		return nil, prev, cl.ctxErr(ctx, cl.err("fetch", mailbox, lastUID, err))
	}
	slices.SortFunc(drafts, func(a, b Draft) int { return int(a.UID) - int(b.UID) })
	for _, d := range drafts {
		next.LastUID = max(next.LastUID, d.UID)
	}
	return drafts, next, nil
}

// readDraft reads one message of a FETCH answer. On error the message is
// left half-read: the caller must close the connection.
func (cl *Client) readDraft(mailbox string, msg *imapclient.FetchMessageData) (Draft, error) {
	d := Draft{Mailbox: mailbox}
	for {
		item := msg.Next()
		if item == nil {
			break
		}
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			d.UID = uint32(item.UID)
		case imapclient.FetchItemDataFlags:
			for _, f := range item.Flags {
				d.Flags = append(d.Flags, string(f))
			}
		case imapclient.FetchItemDataModSeq:
			d.ModSeq = item.ModSeq
		case imapclient.FetchItemDataBodySection:
			if item.Literal == nil {
				continue
			}
			raw, err := io.ReadAll(item.Literal)
			if err == nil && int64(len(raw)) < item.Literal.Size() {
				// The literal ended early: the connection dropped.
				err = fmt.Errorf("message cut after %d of %d bytes: %w", len(raw), item.Literal.Size(), io.ErrUnexpectedEOF)
			}
			if err != nil {
				return d, err
			}
			d.Raw = raw
		}
	}
	d.URL = DraftURL(cl.cfg.Addr, cl.cfg.User, mailbox, d.UID)
	return d, nil
}

// guard closes the connection when ctx is cancelled, so that a command in
// flight returns at once; the returned func stops guarding.
func (cl *Client) guard(ctx context.Context) func() {
	stop := context.AfterFunc(ctx, func() { cl.c.Close() })
	return func() { stop() }
}

// ctxErr prefers the context's error when it caused err.
func (cl *Client) ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// The keywords Tag stores.
const (
	KeywordOK      = "$ReplylintOK"
	KeywordWarning = "$ReplylintWarning"
	KeywordError   = "$ReplylintError"
)

// Keywords are the three keywords Tag manages.
var Keywords = []string{KeywordOK, KeywordWarning, KeywordError}

// ErrKeywordsNotAllowed is returned (wrapped in an *Error) when the mailbox
// does not let clients create keywords.
var ErrKeywordsNotAllowed = fmt.Errorf("the server does not allow new keywords in this mailbox (PERMANENTFLAGS has no \\*): drafts left untagged")

// Tag sets one keyword per draft (tags maps a UID to KeywordOK,
// KeywordWarning or KeywordError) and removes the other two. It selects the
// mailbox read-write and stores flags only: a draft's content is never
// changed, moved or deleted, and \Seen is left alone.
func (cl *Client) Tag(ctx context.Context, mailbox string, tags map[uint32]string) error {
	if len(tags) == 0 {
		return nil
	}
	defer cl.guard(ctx)()
	sel, err := cl.c.Select(mailbox, nil).Wait()
	if err != nil {
		return cl.ctxErr(ctx, cl.err("select", mailbox, 0, err))
	}
	cl.selected, cl.readOnly = mailbox, false
	if !keywordsAllowed(sel.PermanentFlags) {
		return &Error{Server: cl.cfg.Addr, Mailbox: mailbox, Op: "tag", Err: ErrKeywordsNotAllowed}
	}
	byKeyword := map[string]*imap.UIDSet{}
	for uid, kw := range tags {
		if !slices.Contains(Keywords, kw) {
			return fmt.Errorf("imap: unknown keyword %q", kw)
		}
		if byKeyword[kw] == nil {
			byKeyword[kw] = &imap.UIDSet{}
		}
		byKeyword[kw].AddNum(imap.UID(uid))
	}
	for _, kw := range Keywords {
		set := byKeyword[kw]
		if set == nil {
			continue
		}
		var others []imap.Flag
		for _, o := range Keywords {
			if o != kw {
				others = append(others, imap.Flag(o))
			}
		}
		for _, st := range []*imap.StoreFlags{
			{Op: imap.StoreFlagsDel, Silent: true, Flags: others},
			{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.Flag(kw)}},
		} {
			if err := cl.c.Store(*set, st, nil).Close(); err != nil {
				return cl.ctxErr(ctx, cl.err("store "+kw, mailbox, 0, err))
			}
		}
	}
	return nil
}

// keywordsAllowed reports whether PERMANENTFLAGS lets a client store the
// three keywords: \* or all three already there.
func keywordsAllowed(perm []imap.Flag) bool {
	if slices.Contains(perm, imap.FlagWildcard) {
		return true
	}
	for _, kw := range Keywords {
		if !slices.ContainsFunc(perm, func(f imap.Flag) bool { return strings.EqualFold(string(f), kw) }) {
			return false
		}
	}
	return true
}

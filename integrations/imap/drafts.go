package imap

import (
	"errors"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// DraftsNames are the names tried, in order, when no mailbox carries the
// \Drafts special-use attribute.
var DraftsNames = []string{
	"Drafts",
	"[Gmail]/Drafts",
	"[Gmail]/Entwürfe",
	"[Gmail]/Brouillons",
	"[Google Mail]/Drafts",
	"[Google Mail]/Entwürfe",
	"INBOX.Drafts",
	"INBOX/Drafts",
	"Черновики",
	"المسودات",
	"پیش‌نویس‌ها",
}

// ErrNoDrafts is returned (wrapped in an *Error) when the server has no
// drafts mailbox.
var ErrNoDrafts = errors.New("no drafts mailbox: none has the \\Drafts attribute and none is named " +
	"Drafts, [Gmail]/Drafts, INBOX.Drafts, Черновики...; name it with --mailbox")

// Found is how FindDrafts chose the mailbox.
type Found string

// How a drafts mailbox was found.
const (
	FoundSpecialUse Found = `special-use \Drafts`
	FoundName       Found = "by name"
)

// FindDrafts returns the drafts mailbox: the one with the \Drafts
// attribute, asked for with LIST RETURN (SPECIAL-USE) when the server
// supports it and read from a plain LIST otherwise (Outlook sends it
// unasked), else the first of DraftsNames that exists and can be selected.
func (cl *Client) FindDrafts() (string, Found, error) {
	var opts *imap.ListOptions
	caps := cl.caps
	if caps.Has(imap.CapSpecialUse) || caps.Has(imap.CapListExtended) || caps.Has(imap.CapIMAP4rev2) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	list, err := cl.c.List("", "*", opts).Collect()
	if err != nil && opts != nil && !isNetError(err) {
		// A server that claims LIST-EXTENDED but refuses RETURN: retry plainly.
		list, err = cl.c.List("", "*", nil).Collect()
	}
	if err != nil {
		return "", "", cl.err("list", "", 0, err)
	}
	name, found := pickDrafts(list)
	if name == "" {
		return "", "", &Error{Server: cl.cfg.Addr, Op: "list", Err: ErrNoDrafts}
	}
	return name, found, nil
}

// pickDrafts chooses the drafts mailbox among the LIST answers.
func pickDrafts(list []*imap.ListData) (string, Found) {
	selectable := map[string]bool{}
	for _, mb := range list {
		noSelect := slices.Contains(mb.Attrs, imap.MailboxAttrNoSelect) || slices.Contains(mb.Attrs, imap.MailboxAttrNonExistent)
		if !noSelect && hasAttr(mb.Attrs, imap.MailboxAttrDrafts) {
			return mb.Mailbox, FoundSpecialUse
		}
		if !noSelect {
			selectable[mb.Mailbox] = true
		}
	}
	for _, want := range DraftsNames {
		for _, mb := range list {
			if selectable[mb.Mailbox] && sameName(mb.Mailbox, want, mb.Delim) {
				return mb.Mailbox, FoundName
			}
		}
	}
	return "", ""
}

func hasAttr(attrs []imap.MailboxAttr, want imap.MailboxAttr) bool {
	for _, a := range attrs {
		if strings.EqualFold(string(a), string(want)) {
			return true
		}
	}
	return false
}

// sameName compares a mailbox name with a well-known one, ignoring case,
// the hierarchy delimiter ("INBOX.Drafts" is "INBOX/Drafts") and ZWNJ.
func sameName(name, want string, delim rune) bool {
	return foldName(name, delim) == foldName(want, '.')
}

func foldName(s string, delim rune) string {
	s = strings.ReplaceAll(s, "\u200c", "")
	if delim != 0 {
		s = strings.ReplaceAll(s, string(delim), "/")
	}
	return strings.ToLower(strings.ReplaceAll(s, ".", "/"))
}

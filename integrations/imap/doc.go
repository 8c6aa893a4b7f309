// Package imap lints the Drafts folder of a mailbox over IMAP: it finds the
// drafts mailbox, reads every draft without marking it seen, hands each one
// to the analyzer as a Document, and can tag drafts with a keyword that says
// how they fared.
//
// Dial connects with implicit TLS, STARTTLS or (to a loopback address) in
// clear text, and authenticates with LOGIN, SASL PLAIN, OAUTHBEARER or
// XOAUTH2 as the server's capabilities allow. FindDrafts looks for the
// mailbox with the \Drafts special-use attribute and falls back to the
// names common servers use. Sync examines a mailbox read-only (EXAMINE and
// BODY.PEEK[], so \Seen is never set) and returns the drafts that are new
// since the last run, as recorded in a State. Tag stores one keyword per
// draft ($ReplylintOK, $ReplylintWarning or $ReplylintError) and never
// touches a draft's content. Watcher keeps a connection open, waits with
// IDLE (or polls when the server lacks it) and reconnects with exponential
// backoff when the connection drops.
//
// Every error is an *Error: one line naming the server, and the mailbox and
// UID when they apply. Passwords and tokens never appear in errors.
//
// The package is built on github.com/emersion/go-imap/v2 v2.0.0-beta.8.
package imap

package imap

import (
	"context"
	"errors"
	"time"

	"github.com/emersion/go-imap/v2"
)

// Watcher lints a drafts mailbox: it connects, hands the new drafts to
// Handle, records them in State and, unless Once is set, waits for more
// with IDLE (or polls every Interval when the server lacks IDLE),
// reconnecting with exponential backoff when the connection drops.
type Watcher struct {
	Config Config
	// Mailbox is the mailbox to lint; "" finds the drafts mailbox.
	Mailbox string
	// State remembers what was linted; nil keeps it in memory only.
	State *State
	// All lints every draft on the first sync, whatever State says.
	All bool
	// Once returns after the first sync: no IDLE, no reconnection.
	Once bool
	// Interval is the polling period when the server has no IDLE; 0 means
	// 30 seconds.
	Interval time.Duration
	// MinBackoff and MaxBackoff bound the wait before a reconnection; 0
	// means 1 second and 1 minute.
	MinBackoff, MaxBackoff time.Duration

	// Handle receives each batch of new drafts in UID order. It may call
	// cl.Tag. An error stops the Watcher and is returned by Run.
	Handle func(ctx context.Context, cl *Client, drafts []Draft) error
	// OnConnect, when set, is told each (re)connection and the mailbox used.
	OnConnect func(cl *Client, mailbox string, found Found)
	// OnRetry, when set, is told each failure that leads to a reconnection.
	OnRetry func(err error, wait time.Duration)

	poll bool // poll even when the server has IDLE (tests)
}

// Run syncs and, unless w.Once, watches until ctx is cancelled; it then
// returns nil (ctx.Err() when w.Once: the sync was cut short). It returns an error at once for what reconnecting cannot
// cure (wrong password, untrusted certificate, no drafts mailbox), and for
// any failure when w.Once is set.
func (w *Watcher) Run(ctx context.Context) error {
	minB, maxB := w.MinBackoff, w.MaxBackoff
	if minB <= 0 {
		minB = time.Second
	}
	if maxB <= 0 {
		maxB = time.Minute
	}
	backoff := minB
	all := w.All
	if w.State == nil {
		w.State, _ = LoadState("") // in memory: a reconnection goes on where it was
	}
	for {
		err := w.session(ctx, &all, func() { backoff = minB })
		switch {
		case ctx.Err() != nil && w.Once:
			return ctx.Err()
		case ctx.Err() != nil:
			return nil
		case err == nil:
			return nil // Once
		case w.Once || !IsRetryable(err):
			return err
		}
		if w.OnRetry != nil {
			w.OnRetry(err, backoff)
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, maxB)
	}
}

// session runs one connection: dial, find the mailbox, then sync and wait
// until the connection fails or ctx is done. healthy is called after the
// first successful sync.
func (w *Watcher) session(ctx context.Context, all *bool, healthy func()) error {
	cl, err := Dial(ctx, w.Config)
	if err != nil {
		return err
	}
	defer cl.Close()
	mailbox, found := w.Mailbox, Found("--mailbox")
	if mailbox == "" {
		if mailbox, found, err = cl.FindDrafts(); err != nil {
			return err
		}
	}
	if w.OnConnect != nil {
		w.OnConnect(cl, mailbox, found)
	}
	key := StateKey(w.Config.Addr, w.Config.User, mailbox)
	for first := true; ; first = false {
		cl.drain()
		var prev MailboxState
		if w.State != nil {
			prev = w.State.Get(key)
		}
		drafts, next, err := cl.Sync(ctx, mailbox, prev, *all)
		if err != nil {
			return err
		}
		if len(drafts) > 0 && w.Handle != nil {
			if err := w.Handle(ctx, cl, drafts); err != nil {
				return err
			}
		}
		*all = false
		if w.State != nil {
			w.State.Put(key, next)
			if err := w.State.Save(); err != nil {
				return &Error{Server: w.Config.Addr, Mailbox: mailbox, Op: "save state", Err: err}
			}
		}
		if first {
			healthy()
		}
		if w.Once {
			return nil
		}
		if err := cl.wait(ctx, mailbox, w.Interval, w.poll); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// drain forgets mailbox events that arrived before a sync.
func (cl *Client) drain() {
	select {
	case <-cl.events:
	default:
	}
}

// wait blocks until the mailbox changes (IDLE), interval passes (polling),
// ctx is done or the connection drops. IDLE also ends after ten intervals,
// so that a notification a server failed to send is not waited for
// forever.
func (cl *Client) wait(ctx context.Context, mailbox string, interval time.Duration, poll bool) error {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	lost := func() error {
		return &Error{Server: cl.cfg.Addr, Mailbox: mailbox, Op: "watch", Err: errors.New("connection lost"), Retry: true}
	}
	if poll || !cl.caps.Has(imap.CapIdle) && !cl.caps.Has(imap.CapIMAP4rev2) {
		t := time.NewTimer(interval)
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-cl.c.Closed():
			return lost()
		case <-t.C:
		}
		return nil
	}
	idle, err := cl.c.Idle()
	if err != nil {
		return cl.err("idle", mailbox, 0, err)
	}
	resync := time.NewTimer(10 * interval)
	defer resync.Stop()
	select {
	case <-resync.C:
	case <-ctx.Done():
	case <-cl.c.Closed():
		return lost()
	case <-cl.events:
		// A draft being saved is often an APPEND and an EXPUNGE in a row:
		// let them both arrive.
		t := time.NewTimer(200 * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	if err := idle.Close(); err != nil {
		return cl.err("idle", mailbox, 0, err)
	}
	if err := idle.Wait(); err != nil {
		return cl.err("idle", mailbox, 0, err)
	}
	return nil
}

package imap

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// MailboxState is what a run remembers of a mailbox so that the next one
// lints only what is new. IMAP messages are immutable: a draft that is
// saved again gets a new UID, so the new and changed drafts are those above
// LastUID. HighestModSeq (CONDSTORE) lets a run skip the fetch entirely
// when nothing at all changed in the mailbox.
type MailboxState struct {
	UIDValidity   uint32    `json:"uidvalidity"`
	LastUID       uint32    `json:"last_uid"`
	HighestModSeq uint64    `json:"highest_modseq,omitempty"`
	Updated       time.Time `json:"updated"`
}

// State is the state file: a MailboxState per server, user and mailbox.
// It is safe for concurrent use.
type State struct {
	path string
	mu   sync.Mutex
	m    map[string]MailboxState
}

// DefaultStatePath returns os.UserCacheDir()/replylint/imap-state.json.
func DefaultStatePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "replylint", "imap-state.json"), nil
}

// LoadState reads the state file at path; a missing file is an empty
// state. A file that cannot be parsed gives an empty state and an error
// saying so (the caller may warn and go on: the next Save replaces it).
func LoadState(path string) (*State, error) {
	s := &State{path: path, m: map[string]MailboxState{}}
	if path == "" {
		return s, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("state file: %v", err)
	}
	var file struct {
		Mailboxes map[string]MailboxState `json:"mailboxes"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return s, fmt.Errorf("state file %s: %v (starting afresh)", path, err)
	}
	if file.Mailboxes != nil {
		s.m = file.Mailboxes
	}
	return s, nil
}

// StateKey is the key of a mailbox in the state file.
func StateKey(server, user, mailbox string) string {
	return MailboxURL(server, user, mailbox)
}

// Get returns the state of the mailbox under key (zero when unknown).
func (s *State) Get(key string) MailboxState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key]
}

// Put records the state of the mailbox under key.
func (s *State) Put(key string, ms MailboxState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = ms
}

// Save writes the state file atomically, readable by its owner only. It
// does nothing when the state has no path.
func (s *State) Save() error {
	if s.path == "" {
		return nil
	}
	s.mu.Lock()
	data, err := json.MarshalIndent(struct {
		Mailboxes map[string]MailboxState `json:"mailboxes"`
	}{s.m}, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("state file: %v", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".imap-state-*.json")
	if err != nil {
		return fmt.Errorf("state file: %v", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), s.path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("state file: %v", werr)
	}
	return nil
}

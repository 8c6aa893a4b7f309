package mail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadMbox reads every message of an mbox file, streaming: a message is
// never held whole in memory beyond what Read keeps. Messages are separated
// by "From " lines (at the start of the file or after a blank line);
// ">From " lines are unescaped as mboxrd writes them.
//
// fn is called once per message with its 0-based index and the 1-based
// line of its "From " line; a message that cannot be read comes with a nil
// m and its error, and the next messages are still read. ReadMbox stops
// when fn returns an error, and returns it; it also returns errors reading
// r.
func ReadMbox(r io.Reader, fn func(m *Message, index int, line int, err error) error) error {
	return readMbox(r, Options{}, fn)
}

func readMbox(r io.Reader, opts Options, fn func(m *Message, index int, line int, err error) error) error {
	mr := &mboxReader{br: bufio.NewReaderSize(r, 64<<10), prevBlank: true}
	for index := 0; ; index++ {
		start, ok := mr.next()
		if !ok {
			break
		}
		m, rerr := Read(mr, opts)
		// Drain what Read left of this message.
		if _, err := io.Copy(io.Discard, mr); err != nil {
			return fmt.Errorf("read mbox: %v", err)
		}
		if mr.err != nil {
			return fmt.Errorf("read mbox: line %d: %v", mr.line, mr.err)
		}
		if rerr != nil {
			m = nil
		}
		if err := fn(m, index, start, rerr); err != nil {
			return err
		}
	}
	if mr.err != nil {
		return fmt.Errorf("read mbox: line %d: %v", mr.line, mr.err)
	}
	return nil
}

// mboxReader reads one message of an mbox at a time: Read returns io.EOF at
// the next "From " separator.
type mboxReader struct {
	br        *bufio.Reader
	line      int    // lines read so far
	pending   []byte // the part of a line not yet returned by Read
	sep       bool   // a separator was read: the next message starts
	sepLine   int    // its line
	started   bool
	done      bool // end of input
	err       error
	prevBlank bool // the previous line was blank (or there was none)
	midLine   bool // inside a line longer than the buffer
}

// next moves to the next message and returns the line it starts at; ok is
// false at the end of the mbox.
func (mr *mboxReader) next() (int, bool) {
	if !mr.started {
		mr.started = true
		// Skip blank lines; text before the first separator is read as a
		// message too (a lone .eml given as an mbox).
		for {
			line, sep := mr.readLine()
			if line == nil {
				return 0, false
			}
			if sep {
				return mr.line, true
			}
			if len(bytes.TrimSpace(line)) > 0 {
				mr.pending = line
				return mr.line, true
			}
		}
	}
	if mr.sep {
		mr.sep = false
		return mr.sepLine, true
	}
	return 0, false
}

// readLine reads one line, or a buffer's worth of a long one; it returns
// nil at the end of input, and sep for a "From " separator line.
func (mr *mboxReader) readLine() (line []byte, sep bool) {
	if mr.done {
		return nil, false
	}
	b, err := mr.br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
	case err == io.EOF:
		mr.done = true
	case err != nil:
		mr.done = true
		mr.err = err
	}
	if len(b) == 0 {
		return nil, false
	}
	line = append([]byte(nil), b...)
	if !mr.midLine {
		mr.line++
		if mr.prevBlank && isSeparator(line) {
			mr.prevBlank = false
			mr.midLine = err == bufio.ErrBufferFull
			if mr.midLine {
				// Skip the rest of an overlong separator line.
				for err == bufio.ErrBufferFull {
					_, err = mr.br.ReadSlice('\n')
				}
				mr.midLine = false
			}
			return line, true
		}
		if isEscapedFrom(line) {
			line = line[1:]
		}
	}
	mr.midLine = err == bufio.ErrBufferFull
	mr.prevBlank = !mr.midLine && len(bytes.TrimRight(line, "\r\n")) == 0
	return line, false
}

func isSeparator(line []byte) bool {
	return bytes.HasPrefix(line, []byte("From "))
}

// isEscapedFrom matches ">From ", ">>From "...
func isEscapedFrom(line []byte) bool {
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(line[i:], []byte("From "))
}

// Read reads the current message up to the next separator.
func (mr *mboxReader) Read(p []byte) (int, error) {
	for len(mr.pending) == 0 {
		if mr.sep {
			return 0, io.EOF
		}
		line, sep := mr.readLine()
		if line == nil {
			return 0, io.EOF
		}
		if sep {
			mr.sep = true
			mr.sepLine = mr.line
			return 0, io.EOF
		}
		mr.pending = line
	}
	n := copy(p, mr.pending)
	mr.pending = mr.pending[n:]
	return n, nil
}

// ReadMaildir reads every message of a Maildir folder: the files of its
// cur/ and new/ subfolders, in name order. fn is called once per file with
// its path; a message that cannot be read comes with a nil m and its error,
// and the next files are still read. ReadMaildir stops when fn returns an
// error, and returns it; it returns an error too when dir has neither cur/
// nor new/.
func ReadMaildir(dir string, fn func(m *Message, path string, err error) error) error {
	found := false
	for _, sub := range []string{"cur", "new"} {
		d := filepath.Join(dir, sub)
		entries, err := os.ReadDir(d)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read maildir: %v", err)
		}
		found = true
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() {
				continue
			}
			p := filepath.Join(d, e.Name())
			m, err := readFile(p)
			if err := fn(m, p, err); err != nil {
				return err
			}
		}
	}
	if !found {
		return fmt.Errorf("%s is not a maildir: no cur or new folder", dir)
	}
	return nil
}

// readFile reads one message file.
func readFile(path string) (*Message, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, err
	}
	defer f.Close()
	return Read(f, Options{})
}

// Sniff tells by content what the first bytes of an input hold: "mbox"
// (a "From " line followed by a message header), "eml" (a message header
// with at least two well-known fields, such as From and Subject) or "" for
// anything else, such as a plain-text draft or a chat transcript.
func Sniff(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(head, []byte("From ")) {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			return ""
		}
		if sniffHeader(head[i+1:], 1) {
			return "mbox"
		}
		return ""
	}
	if sniffHeader(head, 2) {
		return "eml"
	}
	return ""
}

// knownFields are header fields that mark a mail header.
var knownFields = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
	"message-id": true, "in-reply-to": true, "references": true, "reply-to": true,
	"sender": true, "received": true, "return-path": true, "mime-version": true,
	"content-type": true, "content-transfer-encoding": true, "delivered-to": true,
	"dkim-signature": true, "x-mailer": true, "user-agent": true, "x-replylint-disable": true,
	"x-original-to": true, "authentication-results": true, "list-id": true, "thread-index": true,
	"thread-topic": true, "x-mozilla-status": true, "x-gm-thrid": true, "arc-seal": true,
	"x-received": true, "x-google-smtp-source": true, "importance": true, "x-priority": true,
}

// sniffHeader reports whether head starts with header lines, at least need
// of them well-known, up to a blank line or the end of head.
func sniffHeader(head []byte, need int) bool {
	lines := bytes.Split(head, []byte("\n"))
	// The last line may be cut by the end of head.
	if len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	known, fields := 0, 0
	for _, l := range lines {
		l = bytes.TrimRight(l, "\r")
		if len(l) == 0 {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			if fields == 0 {
				return false
			}
			continue
		}
		i := bytes.IndexByte(l, ':')
		if i <= 0 || !isFieldLine(l) || bytes.ContainsAny(l[:i], " \t") {
			return false
		}
		fields++
		if knownFields[strings.ToLower(string(l[:i]))] {
			known++
		}
	}
	return known >= need
}

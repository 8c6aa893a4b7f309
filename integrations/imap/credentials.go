package imap

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// CommandSecret runs cmdline with sh -c and returns the first line of its
// standard output: a password manager's answer (`pass show mail/work`,
// `secret-tool lookup ...`) or an OAuth access token. The command's
// standard error goes to stderr (it may prompt); its output never appears
// in an error.
func CommandSecret(ctx context.Context, cmdline string, stderr io.Writer) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", cmdline)
	cmd.Stdin = os.Stdin
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", fmt.Errorf("command failed: %s", exit.ProcessState)
		}
		return "", fmt.Errorf("command failed: %v", err)
	}
	line, _, _ := bytes.Cut(out, []byte("\n"))
	secret := strings.TrimRight(string(line), "\r")
	if secret == "" {
		return "", errors.New("command printed nothing")
	}
	return secret, nil
}

// NetrcPath returns the netrc file to read: $NETRC, else ~/.netrc.
func NetrcPath() string {
	if p := os.Getenv("NETRC"); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".netrc")
}

// NetrcEntry is one machine of a netrc file.
type NetrcEntry struct {
	Machine  string // "" for the default entry
	Login    string
	Password string
}

// NetrcLookup finds the credentials for host (without port) in the netrc
// file at path. When login is not empty, only an entry with that login
// matches. The default entry is used when no machine matches. It returns
// ok false, and no error, when the file does not exist or has no match.
func NetrcLookup(path, host, login string) (entry NetrcEntry, ok bool, err error) {
	if path == "" {
		return NetrcEntry{}, false, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return NetrcEntry{}, false, nil
	}
	if err != nil {
		return NetrcEntry{}, false, err
	}
	entries := ParseNetrc(data)
	var def *NetrcEntry
	for i, e := range entries {
		if login != "" && e.Login != "" && e.Login != login {
			continue
		}
		if e.Machine == "" {
			if def == nil {
				def = &entries[i]
			}
			continue
		}
		if strings.EqualFold(e.Machine, host) {
			return e, true, nil
		}
	}
	if def != nil {
		return *def, true, nil
	}
	return NetrcEntry{}, false, nil
}

// ParseNetrc parses the machine, default, login and password tokens of a
// netrc file; macdef bodies and account tokens are skipped.
func ParseNetrc(data []byte) []NetrcEntry {
	var (
		entries []NetrcEntry
		cur     *NetrcEntry
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	inMacro := false
	for sc.Scan() {
		line := sc.Text()
		if inMacro {
			if strings.TrimSpace(line) == "" {
				inMacro = false
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		fields := strings.Fields(line)
		for i := 0; i < len(fields); i++ {
			next := func() string {
				if i+1 < len(fields) {
					i++
					return strings.Trim(fields[i], `"`)
				}
				return ""
			}
			switch fields[i] {
			case "machine":
				entries = append(entries, NetrcEntry{Machine: next()})
				cur = &entries[len(entries)-1]
			case "default":
				entries = append(entries, NetrcEntry{})
				cur = &entries[len(entries)-1]
			case "login":
				if v := next(); cur != nil {
					cur.Login = v
				}
			case "password":
				if v := next(); cur != nil {
					cur.Password = v
				}
			case "account":
				next()
			case "macdef":
				inMacro = true
				i = len(fields)
			}
		}
	}
	return entries
}

package mail

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadMbox(t *testing.T) {
	f, err := os.Open("testdata/drafts.mbox")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	var indexes, lines []int
	var errs int
	err = ReadMbox(f, func(m *Message, index, line int, err error) error {
		indexes = append(indexes, index)
		lines = append(lines, line)
		fmt.Fprintf(&out, "######## message %d, line %d\n", index, line)
		if err != nil {
			errs++
			if m != nil {
				t.Errorf("message %d: m = %v with err %v", index, m, err)
			}
			fmt.Fprintf(&out, "error: %v\n", err)
			return nil
		}
		checkValid(t, m)
		out.WriteString(format(m))
		return nil
	})
	if err != nil {
		t.Fatalf("ReadMbox: %v", err)
	}
	if got, want := fmt.Sprint(indexes), "[0 1 2]"; got != want {
		t.Errorf("indexes = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(lines), "[1 16 20]"; got != want {
		t.Errorf("lines = %s, want %s", got, want)
	}
	if errs != 1 {
		t.Errorf("%d errors, want 1 (the broken message)", errs)
	}
	if !strings.Contains(out.String(), "\nFrom now on the reset link") {
		t.Error(">From line not unescaped")
	}
	golden(t, "testdata/drafts.golden", out.String())
}

func TestReadMboxStop(t *testing.T) {
	mbox := "From a\nFrom: a@example.com\n\none\n\nFrom b\nFrom: b@example.com\n\ntwo\n"
	stop := errors.New("stop")
	n := 0
	err := ReadMbox(strings.NewReader(mbox), func(m *Message, index, line int, err error) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("err, calls = %v, %d; want stop, 1", err, n)
	}
}

func TestReadMboxEdgeCases(t *testing.T) {
	tests := []struct {
		name   string
		mbox   string
		bodies []string
	}{
		{"empty", "", nil},
		{"blank lines only", "\n\n\n", nil},
		{"no From line: one message", "From: a@example.com\n\nhello\n", []string{"hello"}},
		{"From in body without blank line before", "From x\nFrom: a@example.com\n\nline\nFrom here on it works\n", []string{"line\nFrom here on it works"}},
		{"crlf", "From x\r\nFrom: a@example.com\r\n\r\none\r\n\r\nFrom y\r\nFrom: b@example.com\r\n\r\ntwo\r\n", []string{"one", "two"}},
		{"long line", "From x\nFrom: a@example.com\n\n" + strings.Repeat("a", 200000) + "\n\nFrom y\nFrom: b@example.com\n\ntwo\n", []string{strings.Repeat("a", 200000), "two"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ReadMbox(strings.NewReader(tt.mbox), func(m *Message, index, line int, err error) error {
				if err != nil {
					t.Errorf("message %d: %v", index, err)
					return nil
				}
				got = append(got, m.Body)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.bodies) {
				if len(fmt.Sprint(got)) > 300 {
					t.Errorf("got %d bodies of lengths %v", len(got), lens(got))
				} else {
					t.Errorf("bodies = %q, want %q", got, tt.bodies)
				}
			}
		})
	}
}

func lens(ss []string) []int {
	var n []int
	for _, s := range ss {
		n = append(n, len(s))
	}
	return n
}

func TestReadMaildir(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, content string) {
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cur/1705312800.M1P1.host:2,DS", "From: a@example.com\nTo: Ann Lee <ann@example.org>\nSubject: draft\n\nHi Ann, done.\n")
	write("cur/1705312900.M2P1.host:2,D", "garbage without a header\n")
	write("new/1705313000.M3P1.host", "From: b@example.com\nSubject: new\n\nNew one.\n")
	write("tmp/1705313100.M4P1.host", "From: c@example.com\n\nstill being written\n")
	write("cur/.hidden", "From: d@example.com\n\nhidden\n")

	var got []string
	err := ReadMaildir(dir, func(m *Message, path string, err error) error {
		rel, _ := filepath.Rel(dir, path)
		if err != nil {
			got = append(got, rel+": error: "+err.Error())
			return nil
		}
		got = append(got, rel+": "+m.Body)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cur/1705312800.M1P1.host:2,DS: Hi Ann, done.",
		"cur/1705312900.M2P1.host:2,D: error: not an email message: no header fields",
		"new/1705313000.M3P1.host: New one.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	if err := ReadMaildir(t.TempDir(), func(*Message, string, error) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a maildir") {
		t.Errorf("empty folder: err = %v, want not a maildir", err)
	}
}

func TestSniff(t *testing.T) {
	eml, err := os.ReadFile("testdata/en_outlook.eml")
	if err != nil {
		t.Fatal(err)
	}
	mbox, err := os.ReadFile("testdata/drafts.mbox")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		head string
		want string
	}{
		{"eml", string(eml), "eml"},
		{"eml cut short", string(eml[:120]), "eml"},
		{"mbox", string(mbox), "mbox"},
		{"minimal eml", "From: a@example.com\nSubject: hi\n\nbody", "eml"},
		{"bom", "\ufeffFrom: a@example.com\nTo: b@example.com\n\nbody", "eml"},
		{"plain draft", "Hi Ann,\n\nIt is fixed.\n", ""},
		{"chat log", "Agent: Hello!\nCustomer: My order is late.\nAgent: Sorry to hear that.\n", ""},
		{"one field only", "Subject: refund\n\nHi", ""},
		{"json", `{"role": "agent", "text": "hi"}`, ""},
		{"From line then prose", "From the start, we knew.\nIt was late.\n", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("%s: Sniff = %q, want %q", tt.name, got, tt.want)
		}
	}
}

package transcript

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
)

// checkTurns checks what every reader promises for any input.
func checkTurns(t *testing.T, input []byte, turns []Turn, badLines []int) {
	t.Helper()
	lines := bytes.Count(input, []byte("\n")) + 1
	for _, tu := range turns {
		if tu.Role != RoleAgent && tu.Role != RoleCustomer {
			t.Fatalf("turn with role %q", tu.Role)
		}
		if tu.Line < 1 || tu.Line > lines || tu.Index < 1 {
			t.Fatalf("turn with line %d (of %d), index %d", tu.Line, lines, tu.Index)
		}
	}
	for _, l := range badLines {
		if l < 1 || l > lines {
			t.Fatalf("bad report for line %d of %d", l, lines)
		}
	}
	for _, conv := range Group(turns) {
		for _, d := range Documents(conv, analyzer.KindChat, "", "f") {
			if d.Role != RoleAgent || strings.TrimSpace(d.Text) == "" {
				t.Fatalf("bad document %+v", d)
			}
		}
	}
}

// seeds adds the testdata files with the given extension to the corpus.
func seeds(f *testing.F, pattern string, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func fuzzRead(f *testing.F, read func(r *bytes.Reader, fn func(Turn) error, bad func(int, error)) error) {
	f.Fuzz(func(t *testing.T, input []byte) {
		var turns []Turn
		var badLines []int
		err := read(bytes.NewReader(input), func(tu Turn) error { turns = append(turns, tu); return nil }, func(line int, err error) {
			if err == nil {
				t.Fatal("bad called with a nil error")
			}
			badLines = append(badLines, line)
		})
		if err != nil && !strings.HasPrefix(err.Error(), "csv header") {
			t.Fatalf("unexpected error %v", err)
		}
		checkTurns(t, input, turns, badLines)
	})
}

func FuzzJSONL(f *testing.F) {
	seeds(f, "*.jsonl", `{"role": "agent", "text": "hi", "timestamp": 1e400}`, "{\"a\":\n", `{"role": "agent", "text": "x", "timestamp": "-9223372036854775808"}`)
	fuzzRead(f, func(r *bytes.Reader, fn func(Turn) error, bad func(int, error)) error {
		return ReadJSONL(r, Mapping{Author: "a.b.c"}, fn, bad)
	})
}

func FuzzJSON(f *testing.F) {
	seeds(f, "*.json", `[{"id": 1, "comments": [{"author": {"role": "agent"}, "body": "x"}]}]`, `{"ticket": 1, "comments": 2}`, "\ufeff[]", `{"tickets": [1, {"comments": [null]}], "users": [{"id": {}}]}`)
	fuzzRead(f, func(r *bytes.Reader, fn func(Turn) error, bad func(int, error)) error {
		return ReadJSON(r, Mapping{}, fn, bad)
	})
}

func FuzzCSV(f *testing.F) {
	seeds(f, "*.csv", "role,text\nagent,\"a\nb\"\"\n", "role;text\n\"agent\";x;y\n", "\ufeffrole\ttext\n")
	fuzzRead(f, func(r *bytes.Reader, fn func(Turn) error, bad func(int, error)) error {
		return ReadCSV(r, Mapping{}, fn, bad)
	})
}

func FuzzChatLog(f *testing.F) {
	seeds(f, "*.log", "[99:99] Agent: x\n[2024-13-45 10:00] Customer: y\n[12:00 PM] Agent: z", "Анна (оператор): x\nАнна: y\n")
	f.Fuzz(func(t *testing.T, input []byte) {
		var turns []Turn
		var badLines []int
		err := ReadChatLog(bytes.NewReader(input), func(tu Turn) error { turns = append(turns, tu); return nil }, func(line int, err error) { badLines = append(badLines, line) })
		if err != nil {
			t.Fatal(err)
		}
		checkTurns(t, input, turns, badLines)
		for i, tu := range turns {
			if tu.Index != i+1 {
				t.Fatalf("turn %d has index %d", i+1, tu.Index)
			}
			if utf8.Valid(input) && !utf8.ValidString(tu.Text) {
				t.Fatalf("invalid UTF-8 text from valid input")
			}
		}
		Sniff("x", input)
	})
}

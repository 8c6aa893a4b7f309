package input

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replylint/replylint/analyzer"
)

type got struct {
	docs  []analyzer.Document
	errs  []string
	warns []string
	paths []string
}

func walk(t *testing.T, paths []string, opts Options) *got {
	t.Helper()
	g := &got{}
	err := Walk(paths, opts, Handler{
		Doc: func(p string, d analyzer.Document) error {
			g.docs = append(g.docs, d)
			g.paths = append(g.paths, p)
			return nil
		},
		Fail: func(e *Error) { g.errs = append(g.errs, e.Error()) },
		Warn: func(p, m string) { g.warns = append(g.warns, p+": "+m) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const eml = "From: Anna <anna@shop.example>\r\nTo: Mary Johnson <mary@example.com>\r\nSubject: Re: refund\r\nMessage-ID: <r1@shop.example>\r\nDate: Tue, 2 Jan 2024 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Mary,\r\n\r\nThat's not my department.\r\n\r\nOn Mon, 1 Jan 2024 at 09:00, Mary Johnson <mary@example.com> wrote:\r\n> It's not my problem that your site double-charged me!\r\n"

func TestDetect(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"draft.txt":        "Hi Anna, that's not my job.\n",
		"reply.eml":        eml,
		"reply-no-ext":     eml,
		"box.mbox":         "From anna@x Tue Jan  2 10:00:00 2024\n" + strings.ReplaceAll(eml, "\r\n", "\n") + "\nFrom anna@x Tue Jan  2 11:00:00 2024\n" + strings.ReplaceAll(strings.ReplaceAll(eml, "r1@", "r2@"), "\r\n", "\n"),
		"chat.jsonl":       `{"conversation_id":"c1","role":"customer","author":"Mary","text":"My order is late","timestamp":"2024-01-02T10:00:00Z"}` + "\n" + `{"conversation_id":"c1","role":"agent","author":"Anna","text":"Not my department.","timestamp":"2024-01-02T16:00:00Z"}` + "\n",
		"chat.csv":         "conversation_id,role,text\nc1,customer,Where is my parcel?\nc1,agent,It is at the depot.\n",
		"chat.log":         "[10:02] Customer: where is my parcel?\n[10:03] Agent Anna: at the depot\n",
		"maildir/cur/1:2,": eml,
	}
	for name, content := range files {
		write(t, dir, name, content)
	}
	if err := os.MkdirAll(filepath.Join(dir, "maildir", "new"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path      string
		docs      int
		kind      analyzer.Kind
		firstText string
	}{
		{"draft.txt", 1, analyzer.KindEmail, "Hi Anna, that's not my job.\n"},
		{"reply.eml", 1, analyzer.KindEmail, "Hi Mary,\n\nThat's not my department."},
		{"reply-no-ext", 1, analyzer.KindEmail, "Hi Mary,\n\nThat's not my department."},
		{"box.mbox", 2, analyzer.KindEmail, "Hi Mary,\n\nThat's not my department."},
		{"chat.jsonl", 1, analyzer.KindChat, "Not my department."},
		{"chat.csv", 1, analyzer.KindChat, "It is at the depot."},
		{"chat.log", 1, analyzer.KindChat, "at the depot"},
		{"maildir", 1, analyzer.KindEmail, "Hi Mary,\n\nThat's not my department."},
	}
	for _, tt := range tests {
		g := walk(t, []string{filepath.Join(dir, tt.path)}, Options{})
		if len(g.errs) > 0 {
			t.Errorf("%s: errors %q", tt.path, g.errs)
		}
		if len(g.docs) != tt.docs {
			t.Errorf("%s: got %d documents, want %d", tt.path, len(g.docs), tt.docs)
			continue
		}
		d := g.docs[0]
		if d.Kind != tt.kind || strings.TrimRight(d.Text, "\n") != strings.TrimRight(tt.firstText, "\n") {
			t.Errorf("%s: got kind %s text %q, want %s %q", tt.path, d.Kind, d.Text, tt.kind, tt.firstText)
		}
	}
}

func TestEmailContext(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "reply.eml", eml)
	g := walk(t, []string{p}, Options{})
	if len(g.docs) != 1 {
		t.Fatalf("got %d documents", len(g.docs))
	}
	d := g.docs[0]
	if !strings.Contains(d.Context.Customer, "double-charged") || strings.Contains(d.Text, "double-charged") {
		t.Errorf("quoted text must be context, not linted: text %q, context %q", d.Text, d.Context.Customer)
	}
	if d.Context.CustomerName != "Mary Johnson" || d.Source.MessageID != "<r1@shop.example>" {
		t.Errorf("customer name %q, message id %q", d.Context.CustomerName, d.Source.MessageID)
	}
	g = walk(t, []string{p}, Options{IncludeQuoted: true})
	if !strings.Contains(g.docs[0].Text, "double-charged") {
		t.Errorf("--include-quoted: quoted text not linted: %q", g.docs[0].Text)
	}
}

func TestTranscriptContext(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "chat.jsonl", `{"conversation_id":"c1","role":"customer","author":"Mary","text":"My order is late","timestamp":"2024-01-02T10:00:00Z"}
{"conversation_id":"c1","role":"agent","author":"Anna","text":"Sorry, it ships today.","timestamp":"2024-01-02T16:00:00Z"}
not json
`)
	g := walk(t, []string{p}, Options{})
	if len(g.docs) != 1 || len(g.errs) != 1 || !strings.Contains(g.errs[0], "chat.jsonl:3: ") {
		t.Fatalf("docs %d, errors %q", len(g.docs), g.errs)
	}
	c := g.docs[0].Context
	if c.Customer != "My order is late" || c.ReplyTime.Sub(c.CustomerTime).Hours() != 6 || !c.FirstTurn {
		t.Errorf("context = %+v", c)
	}
	if s := g.docs[0].Source; s.Conversation != "c1" || s.Turn != 2 {
		t.Errorf("source = %+v", s)
	}
}

func TestForcedFormatAndErrors(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "notes.txt", `{"conversation_id":"c","role":"agent","text":"hello"}`+"\n")
	if g := walk(t, []string{p}, Options{Format: "jsonl"}); len(g.docs) != 1 || g.docs[0].Text != "hello" {
		t.Errorf("--input jsonl: %+v", g.docs)
	}
	if g := walk(t, []string{p}, Options{Format: "text"}); len(g.docs) != 1 || !strings.HasPrefix(g.docs[0].Text, "{") {
		t.Errorf("--input text: %+v", g.docs)
	}
	write(t, dir, "bin.dat", "a\x00b")
	g := walk(t, []string{filepath.Join(dir, "bin.dat"), filepath.Join(dir, "missing"), p}, Options{})
	if len(g.errs) != 2 || !strings.HasSuffix(g.errs[0], "binary file: not linted") || !strings.HasSuffix(g.errs[1], "missing: no such file or directory") {
		t.Errorf("errors = %q", g.errs)
	}
	if len(g.docs) != 1 {
		t.Errorf("the good input was not read after the bad ones")
	}
	if err := Walk(nil, Options{Format: "docx"}, Handler{}); err == nil {
		t.Errorf("unknown format: want an error")
	}
}

func TestStdinSniff(t *testing.T) {
	g := walk(t, []string{"-"}, Options{Stdin: strings.NewReader(eml)})
	if len(g.docs) != 1 || g.docs[0].Source.MessageID != "<r1@shop.example>" {
		t.Errorf("stdin email: %+v %q", g.docs, g.errs)
	}
	g = walk(t, []string{"-"}, Options{Stdin: strings.NewReader("Hello Anna, all done.")})
	if len(g.docs) != 1 || g.docs[0].Source.Path != "-" {
		t.Errorf("stdin text: %+v", g.docs)
	}
}

package mail

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// format renders a message for golden files.
func format(m *Message) string {
	var b strings.Builder
	keys := make([]string, 0, len(m.Header))
	for k := range m.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b.WriteString("== header\n")
	for _, k := range keys {
		for _, v := range m.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	fmt.Fprintf(&b, "== fields\nmessage-id: %s\nfrom-name: %s\nto-name: %s\ndate: %s\nquoted-date: %s\nhtml: %v\n",
		m.MessageID, m.FromName, m.ToName, fmtTime(m.Date), fmtTime(m.QuotedDate), m.HTML)
	if len(m.Warnings) > 0 {
		b.WriteString("== warnings\n")
		for _, w := range m.Warnings {
			b.WriteString(w + "\n")
		}
	}
	if len(m.Skipped) > 0 {
		b.WriteString("== skipped\n")
		for _, s := range m.Skipped {
			fmt.Fprintf(&b, "%s %d\n", s.What, s.Bytes)
		}
	}
	fmt.Fprintf(&b, "== body\n%s\n== quoted\n%s\n== signature\n%s\n", m.Body, m.Quoted, m.Signature)
	return b.String()
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339)
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./integrations/mail -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s: got\n%s\nwant\n%s", path, got, want)
	}
}

func TestReadGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.eml")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Read(bytes.NewReader(data), Options{})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			checkValid(t, m)
			golden(t, strings.TrimSuffix(f, ".eml")+".golden", format(m))
		})
	}
}

// checkValid checks what must hold for every message Read returns.
func checkValid(t *testing.T, m *Message) {
	t.Helper()
	for name, s := range map[string]string{"Body": m.Body, "Quoted": m.Quoted, "Signature": m.Signature, "FromName": m.FromName, "ToName": m.ToName} {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not valid UTF-8: %q", name, s)
		}
	}
	for k, vs := range m.Header {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				t.Errorf("header %s is not valid UTF-8: %q", k, v)
			}
		}
	}
	for _, w := range m.Warnings {
		if strings.Contains(w, "\n") || w == "" {
			t.Errorf("warning is not one line: %q", w)
		}
	}
}

// TestReadFacts checks the facts the golden files hold that matter most.
func TestReadFacts(t *testing.T) {
	tests := []struct {
		file       string
		bodyHas    string
		quotedHas  string
		sigHas     string
		toName     string
		quotedDate string
		html       bool
	}{
		{"ru_cp1251_qp.eml", "приношу свои извинения", "Когда его отправят?", "Служба поддержки", "Иван Петров", "2024-01-15T10:42:00+03:00", false},
		{"ru_koi8r_alternative.eml", "Я оформил возврат", "Наушники пришли с трещиной", "", "Мария Кузнецова", "2024-01-16T18:05:00+03:00", false},
		{"ru_koi8r_html.eml", "Я оформил возврат 2 990 руб.", "Наушники пришли с трещиной", "", "Мария Кузнецова", "2024-01-16T18:05:00+03:00", true},
		{"ar_cp1256_base64.eml", "وأعتذر عن التأخير", "ولم يصل حتى الآن", "", "أحمد علي", "2024-01-14T10:30:00+03:00", false},
		{"en_html_gmail.eml", "sorry for the mix-up", "I ordered the blue mug", "Tom Baker | Support", "Connor, Sarah", "2024-01-15T09:12:00-08:00", true},
		{"fa_utf8.eml", "عذرخواهی می‌کنم", "دو بار از حساب من", "", "سارا احمدی", "2024-01-15T10:20:00+03:30", false},
		{"en_outlook.eml", "I corrected it myself", "charges me for two licences", "", "Mark Jackson", "2024-01-12T16:55:00Z", false},
		{"ru_outlook_cp1251.eml", "перерасчёт сделан", "дважды списали", "", "Ольга Морозова", "2024-01-12T16:40:00+03:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, err := Read(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.Body, tt.bodyHas) {
				t.Errorf("Body = %q, want it to contain %q", m.Body, tt.bodyHas)
			}
			if strings.Contains(m.Body, tt.quotedHas) {
				t.Errorf("Body = %q, must not contain the quote %q", m.Body, tt.quotedHas)
			}
			if !strings.Contains(m.Quoted, tt.quotedHas) {
				t.Errorf("Quoted = %q, want it to contain %q", m.Quoted, tt.quotedHas)
			}
			if tt.sigHas != "" && !strings.Contains(m.Signature, tt.sigHas) {
				t.Errorf("Signature = %q, want it to contain %q", m.Signature, tt.sigHas)
			}
			if m.ToName != tt.toName {
				t.Errorf("ToName = %q, want %q", m.ToName, tt.toName)
			}
			if got := fmtTime(m.QuotedDate); got != tt.quotedDate {
				t.Errorf("QuotedDate = %s, want %s", got, tt.quotedDate)
			}
			if m.HTML != tt.html {
				t.Errorf("HTML = %v, want %v", m.HTML, tt.html)
			}
			if len(m.Warnings) > 0 {
				t.Errorf("Warnings = %q, want none", m.Warnings)
			}
		})
	}
}

// TestReadBroken feeds damaged messages: each gives text and a warning, or
// a one-line error; none panics.
func TestReadBroken(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		body    string // the body wanted ("" with err)
		warning string // a substring of one warning
		err     string // a substring of the error
	}{
		{
			name: "unknown charset",
			msg:  "From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=x-klingon\n\nHello, I fixed it.\n",
			body: "Hello, I fixed it.", warning: `unknown charset "x-klingon"`,
		},
		{
			name: "broken base64",
			msg:  "From: a@example.com\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + base64.StdEncoding.EncodeToString([]byte("Hello, your refund is on its way.")) + "\n!!!not base64!!!\n",
			body: "Hello, your refund is on its way.", warning: "broken base64",
		},
		{
			name: "missing boundary parameter",
			msg:  "From: a@example.com\nContent-Type: multipart/mixed\n\n--XYZ\nContent-Type: text/plain\n\nI refunded you.\n--XYZ--\n",
			body: "I refunded you.", warning: "without a boundary parameter",
		},
		{
			name: "boundary never appears",
			msg:  "From: a@example.com\nContent-Type: multipart/mixed; boundary=NOPE\n\nJust text, no parts.\n",
			body: "Just text, no parts.", warning: `boundary "NOPE" not found`,
		},
		{
			name: "truncated multipart",
			msg:  "From: a@example.com\nContent-Type: multipart/alternative; boundary=B\n\n--B\nContent-Type: text/plain\n\nThe replacement ships today.\nAnd then the con",
			body: "The replacement ships today.\nAnd then the con", warning: "truncated",
		},
		{
			name: "header runs into body",
			msg:  "From: a@example.com\nSubject: hi\nHello Mary, it is fixed.\n",
			body: "Hello Mary, it is fixed.", warning: "header not followed by a blank line",
		},
		{
			name: "unknown transfer encoding",
			msg:  "From: a@example.com\nContent-Transfer-Encoding: x-gzip64\n\nplain after all\n",
			body: "plain after all", warning: "unknown transfer encoding",
		},
		{
			name: "invalid utf-8",
			msg:  "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\nbad \xff\xfe bytes\n",
			body: "bad \uFFFD bytes",
		},
		{
			name: "bad content type",
			msg:  "From: a@example.com\nContent-Type: text/plain; charset=\"koi8-r; format=flowed\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n",
			body: "Привет",
		},
		{
			name: "mbox envelope line",
			msg:  "From someone@example.com Mon Jan 15 10:00:00 2024\nFrom: a@example.com\n\nok\n",
			body: "ok",
		},
		{name: "empty", msg: "", err: "not an email message"},
		{name: "no header", msg: "just some words\nand more\n", err: "not an email message"},
		{name: "binary", msg: "\x00\x01\x02\x03", err: "not an email message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Read(strings.NewReader(tt.msg), Options{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "\n") || err.Error() != strings.ToLower(err.Error()[:1])+err.Error()[1:] {
					t.Errorf("error %q is not one lower-case line", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			checkValid(t, m)
			if m.Body != tt.body {
				t.Errorf("Body = %q, want %q", m.Body, tt.body)
			}
			if tt.warning == "" && len(m.Warnings) > 0 {
				t.Errorf("Warnings = %q, want none", m.Warnings)
			}
			if tt.warning != "" && !slices.ContainsFunc(m.Warnings, func(w string) bool { return strings.Contains(w, tt.warning) }) {
				t.Errorf("Warnings = %q, want one with %q", m.Warnings, tt.warning)
			}
		})
	}
}

// TestReadAttachment reads a multipart/mixed message with a 5 MB
// attachment: the attachment is counted, not linted and not kept.
func TestReadAttachment(t *testing.T) {
	const size = 5 << 20
	chunk := []byte("PK\x03\x04 zip-ish data ")
	att := bytes.Repeat(chunk, size/len(chunk)+1)[:size]
	var b bytes.Buffer
	b.WriteString("From: Support <help@example.com>\r\nTo: Jane Roe <jane@example.org>\r\nSubject: Your invoice\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n" +
		"--mix\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" +
		"--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Jane,\r\n\r\nYour corrected invoice is attached.\r\n\r\nBest,\r\nSam\r\n" +
		"--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hi Jane,</p><p>Your corrected invoice is attached.</p>\r\n" +
		"--alt--\r\n" +
		"--mix\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(att)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--mix\r\nContent-Type: text/plain; name=\"notes.txt\"\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n\r\nnot linted\r\n--mix--\r\n")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := Read(&b, Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Hi Jane,\n\nYour corrected invoice is attached.\n\nBest,\nSam"; m.Body != want {
		t.Errorf("Body = %q, want %q", m.Body, want)
	}
	want := []analyzer.Skipped{{What: "attachment", Bytes: size}, {What: "attachment", Bytes: len("not linted")}}
	if !slices.Equal(m.Skipped, want) {
		t.Errorf("Skipped = %v, want %v", m.Skipped, want)
	}
	if m.HTML {
		t.Error("HTML = true, want the plain alternative")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/2 {
		t.Errorf("Read allocated %d bytes for a %d-byte attachment: it must stream", alloc, size)
	}
}

// TestReadCap truncates a text part over the cap with a warning.
func TestReadCap(t *testing.T) {
	line := strings.Repeat("é", 40) + "\n"
	text := strings.Repeat(line, (9<<20)/len(line))
	msg := "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\n" + text
	m, err := Read(strings.NewReader(msg), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Body) > DefaultMaxPartBytes || len(m.Body) < DefaultMaxPartBytes-100 {
		t.Errorf("len(Body) = %d, want about %d", len(m.Body), DefaultMaxPartBytes)
	}
	if !utf8.ValidString(m.Body) || strings.ContainsRune(m.Body, utf8.RuneError) {
		t.Error("truncation split a character")
	}
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "truncated") {
		t.Errorf("Warnings = %q, want one about truncation", m.Warnings)
	}
	m, err = Read(strings.NewReader(msg), Options{MaxPartBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Body) > 1000 {
		t.Errorf("len(Body) = %d with MaxPartBytes 1000", len(m.Body))
	}
}

func TestReadAlternativeOrder(t *testing.T) {
	tests := []struct {
		name, msg, body string
		html            bool
	}{
		{
			"html first, plain second",
			"From: a@example.com\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>from html</p>\n--b\nContent-Type: text/plain\n\nfrom plain\n--b--\n",
			"from plain", false,
		},
		{
			"only html, in related",
			"From: a@example.com\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: multipart/related; boundary=r\n\n--r\nContent-Type: text/html\n\n<p>Hello &amp; welcome</p><img src=cid:x>\n--r\nContent-Type: image/png\nContent-ID: <x>\n\nPNG\n--r--\n--b--\n",
			"Hello & welcome", true,
		},
		{
			"mixed text parts are concatenated",
			"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nfirst part\n--b\nContent-Type: text/plain\nContent-Disposition: inline\n\nsecond part\n--b--\n",
			"first part\n\nsecond part", false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Read(strings.NewReader(tt.msg), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Body != tt.body || m.HTML != tt.html {
				t.Errorf("Body, HTML = %q, %v; want %q, %v", m.Body, m.HTML, tt.body, tt.html)
			}
		})
	}
}

func TestDocument(t *testing.T) {
	f, err := os.Open("testdata/ru_cp1251_qp.eml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Read(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := m.Document(analyzer.Source{Path: "drafts/42.eml"}, analyzer.KindEmail, "ru")
	if d.Text != m.Body || d.Lang != "ru" || d.Kind != analyzer.KindEmail {
		t.Errorf("Document = %+v", d)
	}
	if d.Source.Path != "drafts/42.eml" || d.Source.MessageID != "<20240116093000.4821@support.example.ru>" {
		t.Errorf("Source = %+v", d.Source)
	}
	c := d.Context
	if c.Customer != m.Quoted || c.CustomerName != "Иван Петров" || !c.CustomerTime.Equal(m.QuotedDate) || !c.ReplyTime.Equal(m.Date) {
		t.Errorf("Context = %+v", c)
	}
	if got := d.Headers["X-Replylint-Disable"]; len(got) != 1 || got[0] != "courtesy.sign-off подпись ставит почтовый сервер" {
		t.Errorf("X-Replylint-Disable = %q", got)
	}
	if got := c.CustomerTime.Sub(time.Time{}); got == 0 {
		t.Error("CustomerTime is zero")
	}
}

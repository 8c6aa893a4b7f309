package mail

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n\n<blockquote><p>x</blockquote>\n--b"))
	f.Add([]byte("From: a\nContent-Type: text/plain; charset=x\nContent-Transfer-Encoding: base64\n\n!!"))
	f.Add([]byte("From x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data), Options{MaxPartBytes: 1 << 16})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			return
		}
		if !utf8.ValidString(m.Body) || !utf8.ValidString(m.Quoted) || !utf8.ValidString(m.Signature) {
			t.Errorf("invalid UTF-8: %q %q %q", m.Body, m.Quoted, m.Signature)
		}
		for _, w := range m.Warnings {
			if strings.Contains(w, "\n") {
				t.Errorf("warning is not one line: %q", w)
			}
		}
		// Mailbox reading must not fail on what Read survives.
		_ = ReadMbox(bytes.NewReader(data), func(*Message, int, int, error) error { return nil })
		_ = Sniff(data)
	})
}

func FuzzSplit(f *testing.F) {
	f.Add("Hi,\n\nDone.\n-- \nAmy\n\nOn Mon, Jan 8, 2024 at 10:15 AM John <j@example.com> wrote:\n> help\n")
	f.Add("Готово.\n\nОт: Иван <i@example.ru>\nОтправлено: 8 января 2024 г. 10:15\nКому: Поддержка\n\nНе работает.\n")
	f.Add("تم.\n\nفي ١٤ يناير ٢٠٢٤، كتب أحمد:\n> لا\n")
	f.Add("درست شد.\n\u200fدر تاریخ ۱۸ دی ۱۴۰۲، علی نوشت:\u200f\nمتن\n")
	f.Add("-----Original Message-----\nFrom: x\nSent: y\nTo: z\n")
	f.Add("On\nwrote:\n>")
	f.Fuzz(func(t *testing.T, text string) {
		body, quoted, sig := Split(text)
		if utf8.ValidString(text) && (!utf8.ValidString(body) || !utf8.ValidString(quoted) || !utf8.ValidString(sig)) {
			t.Errorf("invalid UTF-8 out of valid input")
		}
		if len(body) > len(text)+len(text)/2+1 {
			t.Errorf("body longer than the text: %d > %d", len(body), len(text))
		}
		// The body starts the text byte for byte, up to its first line.
		line, _, _ := strings.Cut(body, "\n")
		if line != "" && !strings.Contains(text, line) {
			t.Errorf("first body line %q is not in the text", line)
		}
		s := splitText(text)
		parseLooseDate(s.dateLine, nil)
	})
}

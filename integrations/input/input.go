// Package input turns the paths given on the command line into documents:
// plain-text drafts, emails (.eml), mbox files, Maildir folders and chat
// transcripts (JSONL, JSON, CSV, plain logs), from files, folders (walked)
// and "-" for standard input. The format is detected by extension and
// content, or forced with Options.Format.
package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/integrations/mail"
	"github.com/replylint/replylint/integrations/transcript"
)

// MaxFileSize is the largest plain-text or single email input read whole;
// larger ones are refused rather than exhausting memory. Mailboxes and
// transcripts are streamed and have no such limit.
const MaxFileSize = 64 << 20

// Formats are the input formats Options.Format accepts ("" detects).
var Formats = []string{"eml", "mbox", "maildir", "jsonl", "json", "csv", "chatlog", "text"}

// Options say how to read inputs.
type Options struct {
	Format string // one of Formats, or "" to detect
	// Kind of the documents; "" means email for mail, chat for transcripts
	// and email for plain text.
	Kind          analyzer.Kind
	Lang          string
	Mapping       transcript.Mapping // field names of transcripts
	IncludeQuoted bool               // lint the quoted part of emails too
	Stdin         io.Reader
}

// Error is an input that could not be read: one line naming the input (and
// the message or line inside it).
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Handler receives what Walk reads.
type Handler struct {
	// Doc receives each document; path is the input it came from. An error
	// stops the walk.
	Doc func(path string, d analyzer.Document) error
	// Fail receives each input (or message, or line) that could not be read.
	Fail func(*Error)
	// Warn receives problems with inputs that were still linted (an
	// unknown charset, a truncated part).
	Warn func(path, msg string)
}

// Walk reads every input in paths, in order (folders in lexical order).
// It stops only if h.Doc returns an error.
func Walk(paths []string, opts Options, h Handler) error {
	if opts.Format != "" && !slices.Contains(Formats, opts.Format) {
		return fmt.Errorf("input format %q: want one of %s", opts.Format, strings.Join(Formats, ", "))
	}
	if h.Warn == nil {
		h.Warn = func(string, string) {}
	}
	r := &reader{opts: opts, h: h}
	for _, p := range paths {
		if err := r.path(p); err != nil {
			return err
		}
	}
	return nil
}

type reader struct {
	opts Options
	h    Handler
}

func (r *reader) fail(path string, err error) { r.h.Fail(&Error{Path: path, Err: cleanErr(err)}) }

func (r *reader) path(p string) error {
	if p == "-" {
		return r.stream("-", "", r.opts.Stdin)
	}
	st, err := os.Stat(p)
	if err != nil {
		r.fail(p, err)
		return nil
	}
	if !st.IsDir() {
		return r.file(p)
	}
	if r.opts.Format == "maildir" || r.opts.Format == "" && isMaildir(p) {
		return r.maildir(p)
	}
	var files, maildirs []string
	werr := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			r.fail(q, err)
			return nil
		}
		if q != p && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() && q != p && r.opts.Format == "" && isMaildir(q) {
			maildirs = append(maildirs, q)
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			files = append(files, q)
		}
		return nil
	})
	if werr != nil {
		r.fail(p, werr)
	}
	all := append(files, maildirs...)
	sort.Strings(all)
	for _, f := range all {
		var err error
		if slices.Contains(maildirs, f) {
			err = r.maildir(f)
		} else {
			err = r.file(f)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isMaildir reports whether dir holds cur/ and new/.
func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}

func (r *reader) file(p string) error {
	f, err := os.Open(p)
	if err != nil {
		r.fail(p, err)
		return nil
	}
	defer f.Close()
	return r.stream(p, strings.ToLower(filepath.Ext(p)), f)
}

// byExtension maps file extensions to formats.
var byExtension = map[string]string{
	".eml": "eml", ".msg": "eml", ".mbox": "mbox", ".mbx": "mbox",
	".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "csv",
	".log": "chatlog", ".chat": "chatlog",
}

// stream reads one input: it detects the format, then reads it.
func (r *reader) stream(p, ext string, in io.Reader) error {
	name := p
	if p == "-" {
		name = "<stdin>"
	}
	br := bufio.NewReaderSize(in, 64<<10)
	head, _ := br.Peek(64 << 10)
	format := r.opts.Format
	if format == "" {
		format = byExtension[ext]
	}
	if format == "" {
		format = detect(p, head)
	}
	switch format {
	case "eml":
		return r.eml(p, name, br)
	case "mbox":
		return r.mbox(p, name, br)
	case "maildir":
		r.fail(name, errors.New("--input maildir needs a folder with cur/ and new/"))
		return nil
	case "jsonl", "json", "csv", "chatlog":
		return r.transcript(p, name, format, br)
	}
	return r.text(p, name, br)
}

// detect guesses the format of a file from its first bytes.
func detect(p string, head []byte) string {
	if bytes.IndexByte(head[:min(len(head), 8000)], 0) >= 0 {
		return "text" // binary: the text reader says so
	}
	if f := mail.Sniff(head); f != "" {
		return f
	}
	if f := transcript.Sniff(filepath.Base(p), head); f != "" {
		return f
	}
	return "text"
}

func (r *reader) kind(def analyzer.Kind) analyzer.Kind {
	if r.opts.Kind != "" {
		return r.opts.Kind
	}
	return def
}

func (r *reader) text(p, name string, in io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(in, MaxFileSize+1))
	if err != nil {
		r.fail(name, err)
		return nil
	}
	if err := CheckText(data); err != nil {
		r.fail(name, err)
		return nil
	}
	return r.h.Doc(p, analyzer.Document{
		Text:   string(bytes.TrimPrefix(data, []byte("\ufeff"))),
		Lang:   r.opts.Lang,
		Kind:   r.kind(analyzer.KindEmail),
		Source: analyzer.Source{Path: p},
	})
}

// mailDoc turns a parsed email into a document, warning about what could
// not be decoded.
func (r *reader) mailDoc(m *mail.Message, src analyzer.Source, name string) (analyzer.Document, bool) {
	for _, w := range m.Warnings {
		r.h.Warn(name, w)
	}
	doc := m.Document(src, r.kind(analyzer.KindEmail), r.opts.Lang)
	if r.opts.IncludeQuoted && m.Quoted != "" {
		doc.Text = strings.TrimRight(doc.Text, "\n") + "\n\n" + m.Quoted
	}
	if strings.TrimSpace(doc.Text) == "" {
		r.fail(name, errors.New("no text written by the agent (only quoted text, a signature or attachments)"))
		return doc, false
	}
	return doc, true
}

func (r *reader) eml(p, name string, in io.Reader) error {
	m, err := mail.Read(io.LimitReader(in, MaxFileSize+1), mail.Options{})
	if err != nil {
		r.fail(name, err)
		return nil
	}
	doc, ok := r.mailDoc(m, analyzer.Source{Path: p}, name)
	if !ok {
		return nil
	}
	return r.h.Doc(p, doc)
}

func (r *reader) mbox(p, name string, in io.Reader) error {
	return mail.ReadMbox(in, func(m *mail.Message, index, line int, err error) error {
		where := fmt.Sprintf("%s:%d (message %d)", name, line, index)
		if err != nil {
			r.fail(where, err)
			return nil
		}
		doc, ok := r.mailDoc(m, analyzer.Source{Path: p, Line: line}, where)
		if !ok {
			return nil
		}
		return r.h.Doc(p, doc)
	})
}

func (r *reader) maildir(dir string) error {
	return mail.ReadMaildir(dir, func(m *mail.Message, path string, err error) error {
		if err != nil {
			r.fail(path, err)
			return nil
		}
		doc, ok := r.mailDoc(m, analyzer.Source{Path: path}, path)
		if !ok {
			return nil
		}
		return r.h.Doc(path, doc)
	})
}

func (r *reader) transcript(p, name, format string, in io.Reader) error {
	var docErr error
	g := transcript.NewGrouper(func(conv []transcript.Turn) error {
		for _, d := range transcript.Documents(conv, r.kind(analyzer.KindChat), r.opts.Lang, p) {
			if err := r.h.Doc(p, d); err != nil {
				docErr = err
				return err
			}
		}
		return nil
	})
	bad := func(line int, err error) { r.fail(fmt.Sprintf("%s:%d", name, line), err) }
	var err error
	switch format {
	case "jsonl":
		err = transcript.ReadJSONL(in, r.opts.Mapping, g.Add, bad)
	case "json":
		err = transcript.ReadJSON(in, r.opts.Mapping, g.Add, bad)
	case "csv":
		err = transcript.ReadCSV(in, r.opts.Mapping, g.Add, bad)
	case "chatlog":
		err = transcript.ReadChatLog(in, g.Add, bad)
	}
	if err == nil {
		err = g.Flush()
	}
	if docErr != nil {
		return docErr
	}
	if err != nil {
		r.fail(name, err)
	}
	return nil
}

// CheckText rejects what cannot be linted as text: too large, empty, binary
// or not UTF-8.
func CheckText(data []byte) error {
	if len(data) > MaxFileSize {
		return fmt.Errorf("larger than %d MB: not linted", MaxFileSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("empty input: nothing to lint")
	}
	head := data[:min(len(data), 8000)]
	if bytes.IndexByte(head, 0) >= 0 {
		return errors.New("binary file: not linted")
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		line := bytes.Count(data[:off], []byte("\n")) + 1
		return fmt.Errorf("line %d: invalid UTF-8 at byte %d (convert the file to UTF-8, e.g. iconv -f WINDOWS-1251 -t UTF-8)", line, off)
	}
	return nil
}

// cleanErr drops the "open PATH:" prefix that os errors repeat.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/replylint/replylint/analyzer"
)

// RecordWriter writes the JSON Lines map output: for each message a
// {"record": ...} line followed by its counted findings, one
// analyzer.Finding per line (the lines `replylint check --format jsonl`
// writes), and for each input that could not be read a {"path": ...,
// "error": ...} line. Nothing is held back: each message is written as it
// comes.
type RecordWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewRecordWriter returns a RecordWriter on w; call Flush at the end.
func NewRecordWriter(w io.Writer) *RecordWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &RecordWriter{w: bw, enc: enc}
}

// Write writes a record and its findings.
func (rw *RecordWriter) Write(r *Record) error {
	r.NFindings = len(r.Findings)
	if cs := r.customerSig(); cs != nil && r.CustomerSig == "" {
		r.CustomerSig = cs.String()
	}
	if err := rw.enc.Encode(struct {
		Record *Record `json:"record"`
	}{r}); err != nil {
		return err
	}
	for i := range r.Findings {
		if err := rw.enc.Encode(&r.Findings[i]); err != nil {
			return err
		}
	}
	return nil
}

// Skip writes an input error line.
func (rw *RecordWriter) Skip(path, reason string) error {
	return rw.enc.Encode(struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	}{path, reason})
}

// Flush writes what is buffered.
func (rw *RecordWriter) Flush() error { return rw.w.Flush() }

// line is any line of the map output or of check's JSON Lines.
type line struct {
	Record *Record `json:"record"`
	analyzer.Finding
	Path   string `json:"path"`
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

// MaxLine is the longest line ReadFindings reads.
const MaxLine = 64 << 20

// ReadFindings reads JSON Lines findings: the map output RecordWriter
// writes, or the plain findings of `replylint check --format jsonl`. It
// calls fn with each message's record in order and skip with each input
// error line and each line that is not valid. Findings without a record
// line before them are grouped into a record per source (consecutive
// findings with the same path, message id, conversation, turn and line);
// such records have no text or courtesy facts, and the clean messages of
// such input are not seen at all (Record.Source only). name names the
// input in skip's path.
func ReadFindings(in io.Reader, name string, fn func(*Record) error, skip func(path, reason string)) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	var cur *Record
	remaining, implicit := 0, false
	flush := func() error {
		if cur == nil {
			return nil
		}
		r := cur
		cur = nil
		return fn(r)
	}
	n := 0
	for sc.Scan() {
		n++
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		var l line
		if err := json.Unmarshal(b, &l); err != nil {
			skip(fmt.Sprintf("%s:%d", name, n), "not a JSON finding: "+cleanJSONErr(err))
			continue
		}
		switch {
		case l.Record != nil:
			if err := flush(); err != nil {
				return err
			}
			cur, remaining, implicit = l.Record, l.Record.NFindings, false
			cur.Findings = make([]analyzer.Finding, 0, remaining)
		case l.Rule != "":
			f := l.Finding
			switch {
			case cur != nil && !implicit && remaining > 0 && sameSource(cur.Source, f.Source):
				remaining--
			case cur != nil && implicit && sameSource(cur.Source, f.Source):
			default:
				if err := flush(); err != nil {
					return err
				}
				cur, implicit = &Record{Source: f.Source, Agent: f.Source.Author, Implicit: true}, true
				cur.Customer = firstNonEmpty(f.Source.Conversation, f.Source.MessageID, f.Source.Path)
			}
			cur.Findings = append(cur.Findings, f)
		case l.Path != "" && (l.Error != "" || l.Reason != ""):
			skip(l.Path, firstNonEmpty(l.Error, l.Reason))
		default:
			skip(fmt.Sprintf("%s:%d", name, n), "neither a finding, a record nor an input error")
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line %d longer than %d MB", n+1, MaxLine>>20)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func sameSource(a, b analyzer.Source) bool {
	return a.Path == b.Path && a.MessageID == b.MessageID && a.Conversation == b.Conversation &&
		a.Turn == b.Turn && a.Line == b.Line && a.Mailbox == b.Mailbox && a.UID == b.UID
}

func cleanJSONErr(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (offset %d)", se, se.Offset)
	}
	return err.Error()
}

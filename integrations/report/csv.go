package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/replylint/replylint/analyzer"
)

// csvHeader is the first record of the csv format; its column names are
// part of the output contract.
var csvHeader = []string{
	"path", "message_id", "conversation", "turn", "line", "column", "severity", "category",
	"rule", "lang", "text", "message", "suggestion", "suppressed",
}

// csvWriter writes one record per finding (RFC 4180, as encoding/csv
// quotes), for spreadsheets and QA audits. suppressed holds the reason a
// finding was suppressed, empty when it was not. An input that could not be
// read is a record with rule "input-error", severity "error" and the error
// as message. Records are flushed as each message arrives.
type csvWriter struct {
	w      *csv.Writer
	header bool
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: csv.NewWriter(w)} }

func (c *csvWriter) writeHeader() {
	if !c.header {
		c.header = true
		c.w.Write(csvHeader) // an error sticks in c.w and is returned by flush
	}
}

func (c *csvWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}

func (c *csvWriter) Message(m Message) error {
	c.writeHeader()
	for _, f := range m.Findings {
		src := sourceOf(f, m)
		var suppressed string
		if s := f.Suppressed; s != nil {
			suppressed = firstNonEmpty(s.Reason, s.Kind)
		}
		c.w.Write([]string{
			reportPath(src), src.MessageID, src.Conversation, itoa(src.Turn),
			itoa(f.Span.Line), itoa(f.Span.Column), string(f.Severity), f.Category,
			f.Rule, f.Lang, f.Text, f.Message, f.Suggestion, suppressed,
		})
	}
	return c.flush()
}

func (c *csvWriter) Error(e InputError) error {
	c.writeHeader()
	c.w.Write([]string{
		reportPath(analyzer.Source{Path: e.Path}), "", "", "", "", "", string(analyzer.Error), "",
		"input-error", "", "", e.Error, "", "",
	})
	return c.flush()
}

func (c *csvWriter) Close(Summary) error {
	c.writeHeader()
	return c.flush()
}

// itoa formats n, or "" for 0 (a field that does not apply).
func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

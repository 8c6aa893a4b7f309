package transcript

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadCSV reads a table with a header row: the columns m names (matched
// exactly, or else ignoring case) hold the parts of each turn, one turn
// per record. The separator is the first of ',', ';', tab and '|' that is
// most frequent in the header line. Quotes are read leniently (a quote
// inside an unquoted field is kept). Turn.Line is the line where the
// record starts.
//
// The header must have the role and text columns, and the columns of
// fields m sets explicitly; otherwise ReadCSV reads nothing and returns an
// error. A record with fewer fields than the header, an unknown role or
// an unreadable timestamp is reported to bad with its line and skipped.
// ReadCSV returns the first error of fn or of reading r.
func ReadCSV(r io.Reader, m Mapping, fn func(Turn) error, bad func(line int, err error)) error {
	explicit := m
	m = m.withDefaults()
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(br.Size())
	cr := csv.NewReader(br)
	cr.Comma = separator(head)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("csv header: %v", pe.Err)
		}
		return err
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	cols := map[string]int{}
	for _, f := range [...]struct{ name, set string }{
		{m.Conversation, explicit.Conversation},
		{m.Role, "required"},
		{m.Author, explicit.Author},
		{m.Text, "required"},
		{m.Timestamp, explicit.Timestamp},
	} {
		i := column(header, f.name)
		if i < 0 {
			if f.set != "" {
				return fmt.Errorf("csv header has no column %q (columns: %s)", f.name, strings.Join(header, ", "))
			}
			continue
		}
		cols[f.name] = i
	}

	turns := newCounter()
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			report(bad, pe.StartLine, pe.Err)
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < len(header) {
			report(bad, line, fmt.Errorf("record has %d fields, the header %d", len(rec), len(header)))
			continue
		}
		t, err := m.turn(func(name string) (fieldValue, bool) {
			i, ok := cols[name]
			if !ok {
				return fieldValue{}, false
			}
			return fieldValue{text: rec[i]}, true
		})
		if err != nil {
			report(bad, line, err)
			continue
		}
		t.Line = line
		t.Index = turns.next(t.Conversation)
		if err := fn(t); err != nil {
			return err
		}
	}
}

// column finds a column by name, exactly or else ignoring case and
// surrounding space.
func column(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			return i
		}
	}
	return -1
}

// separator guesses the field separator from the first line.
func separator(head []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
		}
		if !quoted && c == '\n' {
			break
		}
		if !quoted {
			counts[c]++
		}
	}
	best, n := byte(','), 0
	for _, c := range []byte{',', ';', '\t', '|'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

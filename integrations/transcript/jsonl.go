package transcript

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ReadJSONL reads JSON Lines: one JSON object per line, each a turn whose
// fields m names. Blank lines are skipped. A line that is not a JSON
// object, lacks the role or text field, has an unknown role or an
// unreadable timestamp, or is longer than MaxLineSize is reported to bad
// with its 1-based line number and skipped. ReadJSONL returns the first
// error of fn or of reading r.
func ReadJSONL(r io.Reader, m Mapping, fn func(Turn) error, bad func(line int, err error)) error {
	m = m.withDefaults()
	lr := newLineReader(r)
	turns := newCounter()
	var flat flatObject
	for {
		b, tooLong, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line := lr.line
		if tooLong {
			report(bad, line, fmt.Errorf("line longer than %d bytes", MaxLineSize))
			continue
		}
		if line == 1 {
			b = bytes.TrimPrefix(b, bom)
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		var t Turn
		// The common row, a flat object, is decoded without a map.
		if row := string(b); decodeFlat(row, &flat) {
			t, err = m.turn(flat.field)
		} else if obj, derr := slowObject(b); derr != nil {
			report(bad, line, derr)
			continue
		} else {
			t, err = m.turn(objectGetter(obj))
		}
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

var bom = []byte("\ufeff")

// slowObject decodes one JSON object with encoding/json, numbers kept as
// json.Number: the rows decodeFlat leaves, and their error messages.
func slowObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %s", jsonErr(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: data after the object")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a JSON object, got %s", jsonKind(v))
	}
	return obj, nil
}

// jsonErr words a decoding error without the "json: " prefix some carry.
func jsonErr(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		return "unexpected end of JSON input"
	}
	msg := err.Error()
	if len(msg) > 6 && msg[:6] == "json: " {
		msg = msg[6:]
	}
	return msg
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a number"
}

func objectGetter(obj map[string]any) fieldGetter {
	return func(name string) (fieldValue, bool) {
		v, ok := lookup(obj, name)
		return anyField(v), ok
	}
}

// lineReader reads lines of at most MaxLineSize bytes, counting them.
type lineReader struct {
	r    *bufio.Reader
	buf  []byte
	line int // number of the line last returned
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its "\n" or "\r\n". When the line is
// longer than MaxLineSize, its content is dropped and tooLong is set. The
// returned slice is valid until the next call.
func (lr *lineReader) next() (b []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > MaxLineSize+2 { // room for "\r\n"
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(chunk) == 0 && len(lr.buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
		case err != nil:
			return nil, false, err
		}
		lr.line++
		b = bytes.TrimSuffix(lr.buf, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if !tooLong && len(b) > MaxLineSize {
			tooLong, b = true, nil
		}
		return b, tooLong, nil
	}
}

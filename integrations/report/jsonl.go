package report

import (
	"encoding/json"
	"io"
)

// jsonlWriter writes JSON Lines: one finding per line, in the JSON form of
// analyzer.Finding, as each message arrives; nothing is held back, so a
// consumer sees findings while a long audit runs. An input error is a line
// of its own, {"path": ..., "error": ...}. There is no summary line.
type jsonlWriter struct {
	enc *json.Encoder
}

func newJSONLWriter(w io.Writer) *jsonlWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{enc: enc}
}

func (j *jsonlWriter) Message(m Message) error {
	for _, f := range m.Findings {
		if err := j.enc.Encode(f); err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonlWriter) Error(e InputError) error { return j.enc.Encode(e) }

func (j *jsonlWriter) Close(Summary) error { return nil }

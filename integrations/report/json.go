package report

import (
	"encoding/json"
	"io"

	"github.com/replylint/replylint/analyzer"
)

// jsonWriter writes one JSON object:
//
//	{"findings": [...], "errors": [...], "summary": {...}}
//
// findings are flat, so that `jq '.findings[]'` works.
type jsonWriter struct {
	w        io.Writer
	findings []analyzer.Finding
	errors   []InputError
}

func (j *jsonWriter) Message(m Message) error {
	j.findings = append(j.findings, m.Findings...)
	return nil
}

func (j *jsonWriter) Error(e InputError) error {
	j.errors = append(j.errors, e)
	return nil
}

func (j *jsonWriter) Close(s Summary) error {
	if s.ByCategory == nil {
		s.ByCategory = map[string]int{}
	}
	out := struct {
		Findings []analyzer.Finding `json:"findings"`
		Errors   []InputError       `json:"errors"`
		Summary  Summary            `json:"summary"`
	}{j.findings, j.errors, s}
	if out.Findings == nil {
		out.Findings = []analyzer.Finding{}
	}
	if out.Errors == nil {
		out.Errors = []InputError{}
	}
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/replylint/replylint/analyzer"
)

// Findings are written as their message arrives, one JSON object a line,
// each the JSON contract's Finding.
func TestJSONLStreams(t *testing.T) {
	fx := newFixture(t)
	var buf bytes.Buffer
	w, err := New("jsonl", &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range fx.messages {
		before := buf.Len()
		if err := w.Message(m); err != nil {
			t.Fatal(err)
		}
		chunk := buf.String()[before:]
		if got := strings.Count(chunk, "\n"); got != len(m.Findings) {
			t.Fatalf("after a message of %d findings, %d lines were written", len(m.Findings), got)
		}
		sc := bufio.NewScanner(strings.NewReader(chunk))
		for i := 0; sc.Scan(); i++ {
			var f analyzer.Finding
			if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f, m.Findings[i]) {
				t.Errorf("line decodes to %+v, want %+v", f, m.Findings[i])
			}
		}
	}
	before := buf.Len()
	if err := w.Error(fx.errors[0]); err != nil {
		t.Fatal(err)
	}
	var e map[string]string
	if err := json.Unmarshal(buf.Bytes()[before:], &e); err != nil {
		t.Fatal(err)
	}
	if e["path"] != "drafts/broken.eml" || e["error"] == "" || len(e) != 2 {
		t.Errorf("error line = %v", e)
	}
	before = buf.Len()
	if err := w.Close(Summary{Messages: 5}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != before {
		t.Errorf("Close wrote %q; jsonl has no summary line", buf.String()[before:])
	}
}

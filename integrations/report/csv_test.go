package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

func TestCSVParses(t *testing.T) {
	fx := newFixture(t)
	records, err := csv.NewReader(bytes.NewReader(render(t, "csv", fx))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], csvHeader) {
		t.Errorf("header = %q", records[0])
	}
	var n int
	for _, m := range fx.messages {
		n += len(m.Findings)
	}
	if len(records) != 1+n+len(fx.errors) {
		t.Fatalf("%d records, want %d", len(records), 1+n+len(fx.errors))
	}
	col := func(rec []string, name string) string { return rec[slices.Index(csvHeader, name)] }
	// Fields with commas, quotes, newlines and right-to-left text come back intact.
	i := 1
	for _, m := range fx.messages {
		for _, f := range m.Findings {
			rec := records[i]
			i++
			if col(rec, "rule") != f.Rule || col(rec, "text") != f.Text || col(rec, "message") != f.Message ||
				col(rec, "suggestion") != f.Suggestion || col(rec, "lang") != f.Lang {
				t.Errorf("record %d = %q, finding %+v", i-1, rec, f)
			}
			if (col(rec, "suppressed") != "") != (f.Suppressed != nil) {
				t.Errorf("record %d: suppressed = %q", i-1, col(rec, "suppressed"))
			}
		}
	}
	if last := records[len(records)-1]; col(last, "rule") != "input-error" || col(last, "path") != "drafts/broken.eml" {
		t.Errorf("input error record = %q", last)
	}
	// An empty run still has its header.
	records, err = csv.NewReader(bytes.NewReader(render(t, "csv", fixture{}))).ReadAll()
	if err != nil || len(records) != 1 {
		t.Errorf("empty run: %q, %v", records, err)
	}
}

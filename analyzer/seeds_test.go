package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replylint/replylint/analyzer"
)

// TestSeedArticles lints the four source articles (../shared/seeds, beside
// the repository) and requires the phrases they quote to be flagged with
// the right category.
func TestSeedArticles(t *testing.T) {
	dir := "../../shared/seeds"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("seed articles not found at %s: %v", dir, err)
	}
	a := builtinAnalyzer(t)
	tests := []struct {
		file     string
		phrase   string
		category string
	}{
		{"000_*.txt", "هذه ليس مسؤوليتي", "deflection"},
		{"000_*.txt", "هذه ليست مسؤوليتي", "deflection"},
		{"003_*.txt", "Это не моя компетенция", "deflection"},
		{"003_*.txt", "Это не в моей компетенции", "deflection"},
		{"001_*.txt", "سیاستگذاری ما چنین حکم م", "policy-shield"},
		{"001_*.txt", "باید برای بقیه هم انجام بدهم", "policy-shield"},
	}
	for _, tt := range tests {
		files, _ := filepath.Glob(filepath.Join(dir, tt.file))
		if len(files) != 1 {
			t.Fatalf("%s: found %d files", tt.file, len(files))
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		at := strings.Index(text, tt.phrase)
		if at < 0 {
			t.Fatalf("%s does not contain %q", files[0], tt.phrase)
		}
		found := false
		for _, f := range a.Run(analyzer.Document{Text: text, Kind: analyzer.KindText}) {
			if f.Category == tt.category && f.Span.Start <= at+len(tt.phrase) && f.Span.End >= at {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %q not flagged as %s", filepath.Base(files[0]), tt.phrase, tt.category)
		}
	}
}

// TestSpellingVariants: the seed phrases typed the ways people type them.
func TestSpellingVariants(t *testing.T) {
	a := builtinAnalyzer(t)
	tests := []struct{ text, category string }{
		{"هذه ليست مسؤوليتي", "deflection"},
		{"هذه ليست مسئوليتي", "deflection"},
		{"هذه لَيْسَتْ مَسْؤُولِيَّتِي", "deflection"},
		{"هــذه ليســت مسؤوليتي", "deflection"},
		{"هذة ليست مسؤوليتى", "deflection"},
		{"این مسئولیت من نیست", "deflection"},
		{"اين مسئوليت من نيست", "deflection"},
		{"متاسفم، سیاستگذاری ما چنین حکم می‌کند", "policy-shield"},
		{"متأسفم، سیاست‌گذاری ما چنین حکم میکند", "policy-shield"},
		{"متاسفم، سياستگذاري ما چنين حكم مي كند", "policy-shield"},
		{"اگر این کار را برای تو بکنم، باید برای بقیه هم انجام بدهم", "policy-shield"},
		{"اگر اين كار را براي تو بكنم، بايد براي بقيه هم انجام بدهم", "policy-shield"},
		{"Это не моя компетенция", "deflection"},
		{"Это не в моей компетенции", "deflection"},
		{"ЭТО НЕ МОЯ КОМПЕТЕНЦИЯ!", "deflection"},
		{"Это не моё дело", "deflection"},
	}
	for _, tt := range tests {
		found := false
		for _, f := range a.Run(analyzer.Document{Text: tt.text, Kind: analyzer.KindText}) {
			found = found || f.Category == tt.category
		}
		if !found {
			t.Errorf("%q: not flagged as %s", tt.text, tt.category)
		}
	}
}

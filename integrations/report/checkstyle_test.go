package report

import (
	"encoding/xml"
	"testing"
)

func TestCheckstyleParses(t *testing.T) {
	var doc struct {
		XMLName xml.Name `xml:"checkstyle"`
		Version string   `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal(render(t, "checkstyle", newFixture(t)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "4.3" {
		t.Errorf("version = %q", doc.Version)
	}
	var names []string
	count := map[string]int{}
	for _, f := range doc.Files {
		names = append(names, f.Name)
		for _, e := range f.Errors {
			count[e.Severity]++
		}
	}
	want := []string{"drafts/en.eml", "chats/support.jsonl", "drafts/fa.txt", "stdin", "drafts/clean.eml", "drafts/broken.eml"}
	if len(names) != len(want) {
		t.Fatalf("files %q, want %q", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("file %d = %q, want %q", i, names[i], want[i])
		}
	}
	// 5 error findings + the input error, 1 warning, 1 info, 1 suppressed.
	if count["error"] != 6 || count["warning"] != 1 || count["info"] != 1 || count["ignore"] != 1 {
		t.Errorf("severities = %v", count)
	}
	ru := doc.Files[3].Errors[0]
	if ru.Line != 2 || ru.Column != 3 || ru.Source != "replylint.deflection.not-my-responsibility" ||
		ru.Message != "«Это не моя компетенция» снимает с вас ответственность. (Я вам помогу — сейчас всё выясню.)" {
		t.Errorf("Russian error = %+v", ru)
	}
	if len(doc.Files[4].Errors) != 0 {
		t.Errorf("clean file has errors: %+v", doc.Files[4].Errors)
	}
}

package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/replylint/replylint/analyzer"
)

// testdata/sarif-schema-2.1.0.json is the official SARIF 2.1.0 JSON schema
// (OASIS, errata 01: "id" https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
// copied unchanged from the SARIF technical committee's repository,
// github.com/oasis-tcs/sarif-spec, file Schemata/sarif-schema-2.1.0.json
// (112768 bytes, sha256 ddddcccbf95c7c50c037b5b07eff4140556278ca574ff374db46786b5fce7949).
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // check uri, uri-reference and date-time values too
	abs, err := filepath.Abs(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(abs, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(abs)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF output does not validate against the SARIF 2.1.0 schema:\n%v", err)
	}
}

func TestSARIFSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	t.Run("fixture", func(t *testing.T) {
		validateSARIF(t, sch, render(t, "sarif", newFixture(t)))
	})
	t.Run("empty", func(t *testing.T) {
		validateSARIF(t, sch, render(t, "sarif", fixture{}))
	})
	t.Run("no rules, no text, odd paths", func(t *testing.T) {
		var buf bytes.Buffer
		w := newSARIFWriter(&buf, Options{})
		f := analyzer.Finding{
			Rule: "canned.placeholder", Category: "canned", Severity: analyzer.Error, Lang: "en",
			Message: "Unfilled placeholder.", Text: "{{first_name}}",
			Source: analyzer.Source{Path: "exports/résumé 2024/a:b#1.eml"},
			Span:   analyzer.Span{Start: 5, End: 19, Line: 1, Column: 6},
		}
		g := f
		g.Source = analyzer.Source{Mailbox: "Drafts", UID: 7}
		h := f
		h.Source = analyzer.Source{Path: "/var/mail/drafts/x.eml"}
		if err := w.Message(Message{Findings: []analyzer.Finding{f, g, h}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Error(InputError{Path: "-", Error: "read stdin: EOF"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(Summary{}); err != nil {
			t.Fatal(err)
		}
		validateSARIF(t, sch, buf.Bytes())
		for _, want := range []string{
			`"uri": "exports/r%C3%A9sum%C3%A9%202024/a:b%231.eml"`,
			`"uri": "Drafts"`,
			`"uri": "file:///var/mail/drafts/x.eml"`,
			`"uri": "stdin"`,
		} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("output lacks %s", want)
			}
		}
	})
	t.Run("the schema rejects", func(t *testing.T) {
		// The validator is really checking: a result without a message
		// and a region with column 0 must fail.
		bad := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "replylint"}},
			"results": [{"ruleId": "x", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"},
			"region": {"startLine": 1, "startColumn": 0}}}]}]}]}`
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Error("an invalid log validated")
		}
	})
}

// sarifOut is the part of a SARIF log the tests look at.
type sarifOut struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Message struct{ Text string } `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					Region           struct {
						StartLine, StartColumn, EndLine, EndColumn, CharOffset, CharLength int
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Suppressions []struct {
				Kind, Justification string
			} `json:"suppressions"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFContent(t *testing.T) {
	fx := newFixture(t)
	var log sarifOut
	if err := json.Unmarshal(render(t, "sarif", fx), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || len(log.Runs) != 1 {
		t.Fatalf("log header: %q %q, %d runs", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	if d := run.Tool.Driver; d.Name != "replylint" || d.Version != "0.1.0-test" {
		t.Errorf("driver = %q %q", d.Name, d.Version)
	}
	if inv := run.Invocations[0]; inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 {
		t.Errorf("invocation: successful %v, %d notifications; want false, 1", inv.ExecutionSuccessful, len(inv.ToolExecutionNotifications))
	}
	var n int
	for _, m := range fx.messages {
		n += len(m.Findings)
	}
	if len(run.Results) != n {
		t.Fatalf("%d results, want %d", len(run.Results), n)
	}
	for i, r := range run.Results {
		if rule := run.Tool.Driver.Rules[r.RuleIndex]; rule.ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %d is %s, not %s", i, r.RuleIndex, rule.ID, r.RuleID)
		}
	}
	// The Russian finding's line starts with an emoji: two UTF-16 code
	// units, one code point. Columns are code points.
	var ru = run.Results[6]
	if ru.RuleID != "deflection.not-my-responsibility" || ru.Properties["lang"] != "ru" {
		t.Fatalf("result 6 is %s/%v", ru.RuleID, ru.Properties["lang"])
	}
	reg := ru.Locations[0].PhysicalLocation.Region
	if reg.StartLine != 2 || reg.StartColumn != 3 || reg.EndLine != 2 || reg.EndColumn != 25 ||
		reg.CharOffset != 16 || reg.CharLength != 22 {
		t.Errorf("Russian region = %+v", reg)
	}
	if uri := ru.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "stdin" {
		t.Errorf("stdin uri = %q", uri)
	}
	// The finding over two lines.
	ov := run.Results[3].Locations[0].PhysicalLocation.Region
	if ov.StartLine != 4 || ov.EndLine != 5 || ov.EndColumn != 23 {
		t.Errorf("two-line region = %+v", ov)
	}
	// The suppressed Persian finding.
	fa := run.Results[5]
	if len(fa.Suppressions) != 1 || fa.Suppressions[0].Kind != "external" || fa.Suppressions[0].Justification == "" {
		t.Errorf("suppressions = %+v", fa.Suppressions)
	}
	if ar := run.Results[4]; ar.Properties["conversation"] != "c-17" || ar.Properties["turn"] != float64(3) {
		t.Errorf("Arabic properties = %v", ar.Properties)
	}
	if lvl := run.Results[0].Level; lvl != "note" {
		t.Errorf("info level = %q, want note", lvl)
	}
}

func TestRuleName(t *testing.T) {
	for id, want := range map[string]string{
		"deflection.not-my-responsibility": "DeflectionNotMyResponsibility",
		"canned.placeholder":               "CannedPlaceholder",
		"x":                                "X",
	} {
		if got := ruleName(id); got != want {
			t.Errorf("ruleName(%q) = %q, want %q", id, got, want)
		}
	}
}

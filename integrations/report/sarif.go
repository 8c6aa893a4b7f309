package report

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// SARIF 2.1.0 (OASIS), the format code-scanning services load.
const (
	sarifSchema     = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion    = "2.1.0"
	informationURI  = "https://github.com/replylint/replylint"
	sarifColumnKind = "unicodeCodePoints" // replylint counts columns in characters
)

// sarifWriter writes one SARIF log with one run. A log is a single JSON
// document whose rules table depends on every result, so results are kept
// (without their message text) until Close.
//
// Regions are relative to the linted message text, as the JSON output's
// spans are; result properties say which message of the input it was.
//
// A finding's suggestion is advice text, not an exact edit. SARIF's fix
// object requires artifactChanges with at least one replacement (the
// schema rejects a fix that only has a description), so the suggestion is
// carried in the rule's help and in the result's properties.suggestion
// instead of in result.fixes.
type sarifWriter struct {
	w       io.Writer
	opts    Options
	results []sarifResult
	errors  []InputError
	meta    map[string]*rules.Rule // rule id → the variant that describes it
}

func newSARIFWriter(w io.Writer, opts Options) *sarifWriter {
	return &sarifWriter{w: w, opts: opts}
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	ColumnKind  string            `json:"columnKind"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Category string   `json:"category,omitempty"`
	Tags     []string `json:"tags,omitempty"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	Properties   sarifResultProps   `json:"properties"`

	finding analyzer.Finding // describes its rule when Options.Rules does not
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int        `json:"startLine"`
	StartColumn int        `json:"startColumn"`
	EndLine     int        `json:"endLine"`
	EndColumn   int        `json:"endColumn"`
	CharOffset  *int       `json:"charOffset,omitempty"`
	CharLength  *int       `json:"charLength,omitempty"`
	Snippet     *sarifText `json:"snippet,omitempty"`
}

type sarifSuppression struct {
	Kind          string               `json:"kind"`
	Justification string               `json:"justification,omitempty"`
	Properties    sarifSuppressionKind `json:"properties"`
}

// sarifSuppressionKind keeps replylint's own kind of suppression ("config"
// or "header"); both are "external" to the linted text for SARIF.
type sarifSuppressionKind struct {
	Kind string `json:"replylint_kind"`
}

type sarifResultProps struct {
	Category     string `json:"category"`
	Lang         string `json:"lang,omitempty"`
	Suggestion   string `json:"suggestion,omitempty"`
	MessageID    string `json:"message_id,omitempty"`
	Conversation string `json:"conversation,omitempty"`
	Turn         int    `json:"turn,omitempty"`
	Line         int    `json:"input_line,omitempty"` // line of the input file where the message starts
	Mailbox      string `json:"mailbox,omitempty"`
	UID          uint32 `json:"uid,omitempty"`
	Author       string `json:"author,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "note"
}

func (s *sarifWriter) Message(m Message) error {
	for _, f := range m.Findings {
		src := f.Source
		if src == (analyzer.Source{}) {
			src = m.Source // a finding that does not say where it is belongs to its message
		}
		reg := findingRegion(m.Text, f)
		sr := &sarifRegion{
			StartLine: reg.StartLine, StartColumn: reg.StartColumn,
			EndLine: reg.EndLine, EndColumn: reg.EndColumn,
		}
		if reg.Exact {
			sr.CharOffset, sr.CharLength = &reg.CharOffset, &reg.CharLength
		}
		if f.Text != "" {
			sr.Snippet = &sarifText{Text: f.Text}
		}
		r := sarifResult{
			RuleID:  f.Rule,
			Level:   sarifLevel(f.Severity),
			Message: sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: artifactURI(reportPath(src))},
				Region:           sr,
			}}},
			Properties: sarifResultProps{
				Category: f.Category, Lang: f.Lang, Suggestion: f.Suggestion,
				MessageID: src.MessageID, Conversation: src.Conversation, Turn: src.Turn,
				Line: src.Line, Mailbox: src.Mailbox, UID: src.UID, Author: src.Author,
			},
			finding: f,
		}
		if sup := f.Suppressed; sup != nil {
			r.Suppressions = []sarifSuppression{{
				Kind: "external", Justification: sup.Reason,
				Properties: sarifSuppressionKind{Kind: sup.Kind},
			}}
		}
		s.results = append(s.results, r)
	}
	return nil
}

func (s *sarifWriter) Error(e InputError) error {
	s.errors = append(s.errors, e)
	return nil
}

func (s *sarifWriter) Close(Summary) error {
	// The rules table: every rule that has a result, sorted by id.
	var ids []string
	for _, r := range s.results {
		ids = append(ids, r.RuleID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	driverRules := make([]sarifRule, 0, len(ids))
	for _, id := range ids {
		i := slices.IndexFunc(s.results, func(r sarifResult) bool { return r.RuleID == id })
		driverRules = append(driverRules, s.rule(id, s.results[i].finding))
	}
	results := make([]sarifResult, len(s.results))
	for i, r := range s.results {
		r.RuleIndex, _ = slices.BinarySearch(ids, r.RuleID)
		results[i] = r
	}

	inv := sarifInvocation{ExecutionSuccessful: len(s.errors) == 0}
	for _, e := range s.errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:   "error",
			Message: sarifText{Text: e.Error},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: artifactURI(reportPath(analyzer.Source{Path: e.Path}))},
			}}},
		})
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name: "replylint", InformationURI: informationURI,
				Version: s.opts.ToolVersion, Rules: driverRules,
			}},
			Invocations: []sarifInvocation{inv},
			ColumnKind:  sarifColumnKind,
			Results:     results,
		}},
	}
	enc := json.NewEncoder(s.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// rule describes rule id: from Options.Rules when it has the rule (its
// English variant if there is one), otherwise from a finding of the rule.
func (s *sarifWriter) rule(id string, f analyzer.Finding) sarifRule {
	r := s.lookup(id)
	if r == nil {
		r = &rules.Rule{
			ID: id, Category: f.Category, Lang: f.Lang, Severity: f.Severity,
			Message: f.Message, Suggestion: f.Suggestion,
		}
	}
	short := firstNonEmpty(r.Title, r.Message, id)
	help := firstNonEmpty(r.Message, r.Title, id)
	if r.Suggestion != "" {
		help += "\n\nSuggestion: " + r.Suggestion
	}
	sr := sarifRule{
		ID:                   id,
		Name:                 ruleName(id),
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: firstNonEmpty(r.Doc, r.Message, short)},
		Help:                 sarifText{Text: help},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(firstNonEmpty(r.Severity, rules.DefaultSeverity(r.Category)))},
		Properties:           sarifRuleProps{Category: r.Category},
	}
	if r.Category != "" {
		sr.Properties.Tags = []string{r.Category}
	}
	return sr
}

// lookup returns the variant of rule id that describes it in the rules
// table: English if there is one, else the first.
func (s *sarifWriter) lookup(id string) *rules.Rule {
	if s.opts.Rules == nil {
		return nil
	}
	if s.meta == nil {
		s.meta = map[string]*rules.Rule{}
		for _, r := range s.opts.Rules.Rules {
			if old, ok := s.meta[r.ID]; !ok || (old.Lang != "en" && r.Lang == "en") {
				s.meta[r.ID] = r
			}
		}
	}
	return s.meta[id]
}

// ruleName turns a rule id into the PascalCase name SARIF recommends:
// "deflection.not-my-responsibility" → "DeflectionNotMyResponsibility".
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		r := []rune(part)
		b.WriteString(string(unicode.ToUpper(r[0])) + string(r[1:]))
	}
	return b.String()
}

func firstNonEmpty[S ~string](ss ...S) S {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

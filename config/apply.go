package config

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// Rules returns base (the built-in catalogue) with the configuration's rule
// files and folders added; a rule with the id and language of a built-in
// one replaces it.
func (c *Config) Rules(base *rules.Set) (*rules.Set, error) {
	set := &rules.Set{Phrases: map[string][]rules.Phrase{}}
	set.Merge(base)
	for _, f := range c.RuleFiles {
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("%s: rules: %w", c.Path, err)
		}
		var extra *rules.Set
		if st.IsDir() {
			extra, err = rules.LoadFS(os.DirFS(f), ".")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
		} else {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if extra, err = rules.Parse(f, data); err != nil {
				return nil, err
			}
		}
		set.Merge(extra)
	}
	return set, nil
}

// Analyzer returns the analyzer configuration: rule selection, severities,
// thresholds and the team's templates (read from the templates folder).
func (c *Config) Analyzer() (analyzer.Config, error) {
	ac := analyzer.Config{Enable: c.Enable, Disable: c.Disable, Severity: c.Severity,
		Thresholds: c.Thresholds, TemplateThreshold: c.Templates.Threshold}
	if c.Templates.Dir == "" {
		return ac, nil
	}
	entries, err := os.ReadDir(c.Templates.Dir)
	if err != nil {
		return ac, fmt.Errorf("%s: templates: %w", c.Path, err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(c.Templates.Dir, e.Name()))
		if err != nil {
			return ac, fmt.Errorf("templates: %w", err)
		}
		ac.Templates = append(ac.Templates, analyzer.Template{Name: e.Name(), Text: string(data)})
	}
	return ac, nil
}

// Check reports the first suppression that names neither a category nor
// a rule of set, with its position.
func (c *Config) Check(set *rules.Set) error {
	for _, sp := range c.Suppress {
		if !rules.IsCategory(sp.Rule) && len(set.Lookup(sp.Rule)) == 0 {
			return fmt.Errorf("%s: suppression of %s: no such rule or category (see `replylint rules`)", sp.Pos, sp.Rule)
		}
	}
	return nil
}

// HeaderDisable is the email header that suppresses a rule for one message:
// "X-Replylint-Disable: RULE reason". replylint sendmail strips it.
const HeaderDisable = "X-Replylint-Disable"

// Suppressor marks findings as suppressed and remembers which suppressions
// were used, so that unused ones can be reported.
type Suppressor struct {
	c      *Config
	allow  []string // normalised allowlisted phrases
	unused []string // header suppressions that matched nothing, as messages
}

// NewSuppressor returns a Suppressor for c (which may be nil).
func NewSuppressor(c *Config) *Suppressor {
	if c == nil {
		c = &Config{}
	}
	s := &Suppressor{c: c}
	for _, a := range c.Allow {
		s.allow = append(s.allow, analyzer.Normalize(a).Norm)
	}
	return s
}

// Apply marks the findings of one document that a suppression covers: a
// configured suppression for the rule (or its category) and path, an
// allowlisted phrase, or the document's X-Replylint-Disable headers. It
// returns problems with the headers (no reason, matched nothing) as
// one-line messages.
func (s *Suppressor) Apply(doc analyzer.Document, findings []analyzer.Finding) []string {
	var problems []string
	type hdr struct {
		rule, reason string
		used         bool
	}
	var hdrs []*hdr
	for _, v := range headerValues(doc.Headers, HeaderDisable) {
		rule, reason, _ := strings.Cut(strings.TrimSpace(v), " ")
		reason = strings.TrimSpace(reason)
		if rule == "" {
			continue
		}
		if reason == "" {
			problems = append(problems, fmt.Sprintf("%s: %s: a reason is required (%s: RULE reason); not applied", HeaderDisable, rule, HeaderDisable))
			continue
		}
		hdrs = append(hdrs, &hdr{rule: rule, reason: reason})
	}
	for i := range findings {
		f := &findings[i]
		if f.Suppressed != nil {
			continue
		}
		for _, h := range hdrs {
			if h.rule == f.Rule || h.rule == f.Category {
				f.Suppressed = &analyzer.Suppression{Kind: "header", Reason: h.reason}
				h.used = true
				break
			}
		}
		if f.Suppressed != nil {
			continue
		}
		for j := range s.c.Suppress {
			sp := &s.c.Suppress[j]
			if (sp.Rule == f.Rule || sp.Rule == f.Category) && matchPaths(sp.Paths, doc.Source.Path) {
				f.Suppressed = &analyzer.Suppression{Kind: "config", Reason: sp.Reason}
				sp.used = true
				break
			}
		}
		if f.Suppressed != nil {
			continue
		}
		if len(s.allow) > 0 {
			text := analyzer.Normalize(f.Text).Norm
			line := analyzer.Normalize(analyzer.LineText(doc.Text, f.Span.Start)).Norm
			for j, a := range s.allow {
				if strings.Contains(text, a) || strings.Contains(line, a) {
					f.Suppressed = &analyzer.Suppression{Kind: "config", Reason: "allowlisted phrase: " + s.c.Allow[j]}
					break
				}
			}
		}
	}
	for _, h := range hdrs {
		if !h.used {
			problems = append(problems, fmt.Sprintf("%s: %s matched nothing", HeaderDisable, h.rule))
		}
	}
	return problems
}

// Unused returns the configured suppressions that matched no finding, as
// one-line messages naming their position, as staticcheck reports them.
func (s *Suppressor) Unused() []string {
	var out []string
	for _, sp := range s.c.Suppress {
		if !sp.used {
			out = append(out, fmt.Sprintf("%s: suppression of %s matched nothing", sp.Pos, sp.Rule))
		}
	}
	return out
}

// matchPaths reports whether p matches one of the globs ("" matches all).
// A glob matches the path, any of its suffixes after a "/", or with "**/"
// any depth.
func matchPaths(globs []string, p string) bool {
	if len(globs) == 0 {
		return true
	}
	p = filepath.ToSlash(p)
	for _, g := range globs {
		g = filepath.ToSlash(g)
		if globMatch(g, p) {
			return true
		}
	}
	return false
}

func globMatch(g, p string) bool {
	if ok, _ := path.Match(g, p); ok {
		return true
	}
	if strings.HasSuffix(g, "/**") && (p == strings.TrimSuffix(g, "/**") || strings.HasPrefix(p, strings.TrimSuffix(g, "**"))) {
		return true
	}
	if rest, ok := strings.CutPrefix(g, "**/"); ok {
		for {
			if globMatch(rest, p) {
				return true
			}
			i := strings.IndexByte(p, '/')
			if i < 0 {
				return false
			}
			p = p[i+1:]
		}
	}
	return false
}

func headerValues(h map[string][]string, key string) []string {
	for k, v := range h {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// AgentFor returns the configured agent whose name or email matches s.
func (c *Config) AgentFor(s string) (Agent, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, a := range c.Agents {
		if strings.ToLower(a.Name) == s {
			return a, true
		}
		for _, e := range a.Emails {
			if strings.Contains(s, strings.ToLower(e)) {
				return a, true
			}
		}
	}
	return Agent{}, false
}

// Package config reads a team's replylint configuration, .replylint.yaml:
// which rules run and how severe they are, extra rule files, allowlisted
// phrases, suppressions with their reasons, agents and teams, thresholds,
// and a folder of the team's own reply templates.
//
// The file is found upward from the working directory, or given with
// --config. Unknown keys and bad values fail with file:line:col.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// FileName is the name of the configuration file.
const FileName = ".replylint.yaml"

// Config is a parsed configuration file.
type Config struct {
	Path string // the file it was read from; "" for the defaults

	Lang        string
	Kind        string
	FailOn      string
	MinSeverity string
	Enable      []string
	Disable     []string
	Severity    map[string]rules.Severity
	RuleFiles   []string // extra rule files and folders, absolute
	Allow       []string // phrases whose findings are suppressed
	Agents      []Agent
	Thresholds  analyzer.Thresholds
	Templates   Templates
	Suppress    []Suppression
}

// Agent is a known agent: their name (as in From: or a transcript's
// author), team and signature (cut from the linted text).
type Agent struct {
	Name      string
	Emails    []string
	Team      string
	Signature string
}

// Templates configures near-copy detection against the team's templates.
type Templates struct {
	Dir       string  // folder of template files, absolute
	Threshold float64 // similarity at which a reply is a near-copy (0..1)
}

// Suppression silences a rule (or a category), everywhere or for paths
// matching a glob. Reason is required.
type Suppression struct {
	Rule   string
	Paths  []string
	Reason string
	Pos    string // file:line, for "suppression matched nothing"
	used   bool
}

// Error is a problem in the configuration file.
type Error struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg) }

// Find looks for FileName in dir and its parents and returns its path, or
// "" when there is none.
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads and checks a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse checks a configuration file's contents. Relative paths in it are
// relative to the file's folder.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{Path: path, Severity: map[string]rules.Severity{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := rules.SplitYAMLError(err)
		return nil, &Error{Path: path, Line: line, Col: 1, Msg: msg}
	}
	if len(doc.Content) == 0 {
		return c, nil // an empty file is the defaults
	}
	p := &parser{path: path, dir: filepath.Dir(path), c: c}
	if err := p.root(doc.Content[0]); err != nil {
		return nil, err
	}
	return c, nil
}

type parser struct {
	path, dir string
	c         *Config
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) error {
	return &Error{Path: p.path, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) mapping(n *yaml.Node, what string, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return p.errf(n, "%s: want a mapping", what)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(keys, k.Value) {
			return p.errf(k, "unknown key %q in %s (known: %s)", k.Value, what, strings.Join(keys, ", "))
		}
	}
	return nil
}

func (p *parser) str(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.errf(n, "%s: want a string", key)
	}
	return n.Value, nil
}

func (p *parser) list(n *yaml.Node, key string) ([]string, error) {
	if n.Kind == yaml.ScalarNode && n.Value != "" {
		return []string{n.Value}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errf(n, "%s: want a list of strings", key)
	}
	var out []string
	for _, e := range n.Content {
		if e.Kind != yaml.ScalarNode {
			return nil, p.errf(e, "%s: want a list of strings", key)
		}
		out = append(out, e.Value)
	}
	return out, nil
}

func (p *parser) abs(s string) string {
	if s == "" || filepath.IsAbs(s) {
		return s
	}
	return filepath.Join(p.dir, s)
}

// ruleOrCategory checks a rule id or category name; ids are checked against
// the catalogue later, when it is known (analyzer.New says which is unknown).
func (p *parser) ruleOrCategory(n *yaml.Node, key string) error {
	v := n.Value
	if rules.IsCategory(v) || strings.Contains(v, ".") {
		return nil
	}
	return p.errf(n, "%s: %q is neither a category (%s) nor a rule id", key, v, strings.Join(rules.Categories, ", "))
}

func (p *parser) root(n *yaml.Node) error {
	if err := p.mapping(n, "the configuration", "lang", "kind", "fail_on", "min_severity", "enable", "disable",
		"severity", "rules", "allow", "agents", "thresholds", "templates", "suppress"); err != nil {
		return err
	}
	c := p.c
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "lang":
			if c.Lang, err = p.str(v, k.Value); err == nil {
				if _, lerr := analyzer.ParseLang(c.Lang); lerr != nil {
					err = p.errf(v, "lang: %v", lerr)
				}
			}
		case "kind":
			if c.Kind, err = p.str(v, k.Value); err == nil {
				if _, ok := analyzer.ParseKind(c.Kind); !ok {
					err = p.errf(v, "kind %q: want email, chat or text", c.Kind)
				}
			}
		case "fail_on":
			if c.FailOn, err = p.str(v, k.Value); err == nil && c.FailOn != "never" {
				if _, serr := rules.ParseSeverity(c.FailOn); serr != nil {
					err = p.errf(v, "fail_on: %v (or never)", serr)
				}
			}
		case "min_severity":
			if c.MinSeverity, err = p.str(v, k.Value); err == nil {
				if _, serr := rules.ParseSeverity(c.MinSeverity); serr != nil {
					err = p.errf(v, "min_severity: %v", serr)
				}
			}
		case "enable", "disable":
			var names []string
			if names, err = p.list(v, k.Value); err == nil {
				for j := range names {
					node := v
					if v.Kind == yaml.SequenceNode {
						node = v.Content[j]
					}
					if err = p.ruleOrCategory(node, k.Value); err != nil {
						break
					}
				}
				if k.Value == "enable" {
					c.Enable = names
				} else {
					c.Disable = names
				}
			}
		case "severity":
			err = p.severity(v)
		case "rules":
			var files []string
			if files, err = p.list(v, k.Value); err == nil {
				for _, f := range files {
					c.RuleFiles = append(c.RuleFiles, p.abs(f))
				}
			}
		case "allow":
			c.Allow, err = p.list(v, k.Value)
		case "agents":
			err = p.agents(v)
		case "thresholds":
			err = p.thresholds(v)
		case "templates":
			err = p.templates(v)
		case "suppress":
			err = p.suppress(v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) severity(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return p.errf(n, "severity: want a mapping of rule or category to error, warning or info")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := p.ruleOrCategory(k, "severity"); err != nil {
			return err
		}
		sev, err := rules.ParseSeverity(v.Value)
		if err != nil {
			return p.errf(v, "severity of %s: %v", k.Value, err)
		}
		p.c.Severity[k.Value] = sev
	}
	return nil
}

func (p *parser) agents(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return p.errf(n, "agents: want a list of {name, team, emails, signature}")
	}
	for _, e := range n.Content {
		if err := p.mapping(e, "an agent", "name", "team", "emails", "signature"); err != nil {
			return err
		}
		var a Agent
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := e.Content[i], e.Content[i+1]
			var err error
			switch k.Value {
			case "name":
				a.Name, err = p.str(v, "name")
			case "team":
				a.Team, err = p.str(v, "team")
			case "emails":
				a.Emails, err = p.list(v, "emails")
			case "signature":
				a.Signature, err = p.str(v, "signature")
			}
			if err != nil {
				return err
			}
		}
		if a.Name == "" {
			return p.errf(e, "an agent needs a name")
		}
		p.c.Agents = append(p.c.Agents, a)
	}
	return nil
}

func (p *parser) thresholds(n *yaml.Node) error {
	if err := p.mapping(n, "thresholds", "chat_reply", "email_reply", "relevance_min_words"); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "chat_reply", "email_reply":
			d, err := time.ParseDuration(v.Value)
			if err != nil || d <= 0 {
				return p.errf(v, "%s %q: want a positive duration such as 15m or 24h", k.Value, v.Value)
			}
			if k.Value == "chat_reply" {
				p.c.Thresholds.ChatReply = d
			} else {
				p.c.Thresholds.EmailReply = d
			}
		case "relevance_min_words":
			var w int
			if err := v.Decode(&w); err != nil || w < 1 {
				return p.errf(v, "relevance_min_words %q: want a whole number ≥ 1", v.Value)
			}
			p.c.Thresholds.RelevanceMinWords = w
		}
	}
	return nil
}

func (p *parser) templates(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.c.Templates.Dir = p.abs(n.Value)
		return nil
	}
	if err := p.mapping(n, "templates", "dir", "threshold"); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "dir":
			p.c.Templates.Dir = p.abs(v.Value)
		case "threshold":
			var t float64
			if err := v.Decode(&t); err != nil || t <= 0 || t > 1 {
				return p.errf(v, "threshold %q: want a number between 0 and 1, such as 0.8", v.Value)
			}
			p.c.Templates.Threshold = t
		}
	}
	if p.c.Templates.Dir == "" {
		return p.errf(n, "templates: dir is missing")
	}
	return nil
}

func (p *parser) suppress(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return p.errf(n, "suppress: want a list of {rule, paths, reason}")
	}
	for _, e := range n.Content {
		if err := p.mapping(e, "a suppression", "rule", "paths", "reason"); err != nil {
			return err
		}
		s := Suppression{Pos: fmt.Sprintf("%s:%d", p.path, e.Line)}
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := e.Content[i], e.Content[i+1]
			var err error
			switch k.Value {
			case "rule":
				if s.Rule, err = p.str(v, "rule"); err == nil {
					err = p.ruleOrCategory(v, "suppress.rule")
				}
			case "paths":
				if s.Paths, err = p.list(v, "paths"); err == nil {
					for _, g := range s.Paths {
						if _, gerr := filepath.Match(g, ""); gerr != nil {
							err = p.errf(v, "paths: bad glob %q: %v", g, gerr)
						}
					}
				}
			case "reason":
				s.Reason, err = p.str(v, "reason")
			}
			if err != nil {
				return err
			}
		}
		switch {
		case s.Rule == "":
			return p.errf(e, "a suppression needs a rule (a rule id or a category)")
		case strings.TrimSpace(s.Reason) == "":
			return p.errf(e, "suppression of %s: a reason is required (why does the team accept it?)", s.Rule)
		}
		p.c.Suppress = append(p.c.Suppress, s)
	}
	return nil
}

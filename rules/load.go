package rules

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// FileError is a problem in a rule file, with its position.
type FileError struct {
	Pos  Pos
	Rule string // rule id, when the problem is inside a rule
	Msg  string
}

func (e *FileError) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("%s: rule %s: %s", e.Pos, e.Rule, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$`)

// langs accepted in rule files.
var langs = []string{"en", "ar", "fa", "ru"}

// Parse reads one rule file. name is used in error positions.
func Parse(name string, data []byte) (*Set, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := SplitYAMLError(err)
		return nil, &FileError{Pos: Pos{name, line}, Msg: msg}
	}
	if len(doc.Content) == 0 {
		return nil, &FileError{Pos: Pos{name, 1}, Msg: "empty rule file"}
	}
	root := doc.Content[0]
	l := &loader{file: name}
	if err := l.keys(root, "", "lang", "category", "phrases", "rules"); err != nil {
		return nil, err
	}
	var lang, category string
	var phrasesNode, rulesNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "lang":
			lang = v.Value
		case "category":
			category = v.Value
		case "phrases":
			phrasesNode = v
		case "rules":
			rulesNode = v
		}
	}
	if !slices.Contains(langs, lang) {
		return nil, l.errf(root, "", "lang %q: want one of %s", lang, strings.Join(langs, ", "))
	}
	if category != "" && !IsCategory(category) {
		return nil, l.errf(root, "", "category %q: want one of %s", category, strings.Join(Categories, ", "))
	}
	set := &Set{Phrases: map[string][]Phrase{}}
	if phrasesNode != nil {
		if phrasesNode.Kind != yaml.MappingNode {
			return nil, l.errf(phrasesNode, "", "phrases: want a mapping of list names to patterns")
		}
		for i := 0; i+1 < len(phrasesNode.Content); i += 2 {
			k, v := phrasesNode.Content[i], phrasesNode.Content[i+1]
			ps, err := l.patterns(v, "", "phrases."+k.Value)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				set.Phrases[k.Value] = append(set.Phrases[k.Value], Phrase{Pattern: p, Lang: lang})
			}
		}
	}
	if rulesNode != nil {
		if rulesNode.Kind != yaml.SequenceNode {
			return nil, l.errf(rulesNode, "", "rules: want a list")
		}
		seen := map[string]bool{}
		for _, rn := range rulesNode.Content {
			r, err := l.rule(rn, lang, category)
			if err != nil {
				return nil, err
			}
			if seen[r.ID] {
				return nil, l.errf(rn, r.ID, "defined twice in this file")
			}
			seen[r.ID] = true
			set.Rules = append(set.Rules, r)
		}
	}
	return set, nil
}

// LoadFS reads every *.yaml file under root in fsys, in lexical order.
func LoadFS(fsys fs.FS, root string) (*Set, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (path.Ext(p) == ".yaml" || path.Ext(p) == ".yml") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	// Files are parsed concurrently (YAML decoding is most of start-up)
	// and merged in lexical order; the first error in that order wins.
	sets := make([]*Set, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := range work {
				data, err := fs.ReadFile(fsys, files[i])
				if err == nil {
					sets[i], err = Parse(files[i], data)
				}
				errs[i] = err
			}
		})
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	set := &Set{Phrases: map[string][]Phrase{}}
	for i := range files {
		if errs[i] != nil {
			return nil, errs[i]
		}
		set.Merge(sets[i])
	}
	return set, nil
}

type loader struct {
	file string
	slab []Node // the nodes of the file's patterns
}

func (l *loader) errf(n *yaml.Node, rule, format string, args ...any) error {
	return &FileError{Pos: Pos{l.file, n.Line}, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

// keys checks that n is a mapping whose keys are all in allowed.
func (l *loader) keys(n *yaml.Node, rule string, allowed ...string) error {
	if n.Kind != yaml.MappingNode {
		return l.errf(n, rule, "want a mapping with keys %s", strings.Join(allowed, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			return l.errf(k, rule, "unknown key %q (known: %s)", k.Value, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func (l *loader) rule(n *yaml.Node, lang, category string) (*Rule, error) {
	r := &Rule{Lang: lang, Category: category, Pos: Pos{l.file, n.Line}}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id" {
				r.ID = n.Content[i+1].Value
			}
		}
	}
	if err := l.keys(n, r.ID, "id", "category", "title", "severity", "message", "suggestion", "doc",
		"since", "check", "skip_quoted", "patterns", "exceptions", "examples"); err != nil {
		return nil, err
	}
	if !idRE.MatchString(r.ID) {
		return nil, l.errf(n, r.ID, "id %q: want category.name in lower case (e.g. deflection.not-my-job)", r.ID)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "category":
			r.Category = v.Value
		case "title":
			r.Title, err = l.str(v, r.ID, k.Value)
		case "severity":
			r.Severity, err = ParseSeverity(v.Value)
			if err != nil {
				err = l.errf(v, r.ID, "%v", err)
			}
		case "message":
			r.Message, err = l.str(v, r.ID, k.Value)
		case "suggestion":
			r.Suggestion, err = l.str(v, r.ID, k.Value)
		case "doc":
			r.Doc, err = l.str(v, r.ID, k.Value)
		case "since":
			r.Since, err = l.str(v, r.ID, k.Value)
		case "check":
			r.Check, err = l.str(v, r.ID, k.Value)
		case "skip_quoted":
			err = v.Decode(&r.SkipQuoted)
			if err != nil {
				err = l.errf(v, r.ID, "skip_quoted: want true or false")
			}
		case "patterns":
			r.Patterns, err = l.patterns(v, r.ID, "patterns")
		case "exceptions":
			r.Exceptions, err = l.exceptions(v, r.ID)
		case "examples":
			r.Examples, err = l.examples(v, r.ID)
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case !IsCategory(r.Category):
		return nil, l.errf(n, r.ID, "category %q: want one of %s", r.Category, strings.Join(Categories, ", "))
	case !strings.HasPrefix(r.ID, r.Category+"."):
		return nil, l.errf(n, r.ID, "id must start with its category %q", r.Category+".")
	case r.Message == "":
		return nil, l.errf(n, r.ID, "message is missing")
	case r.Suggestion == "":
		return nil, l.errf(n, r.ID, "suggestion is missing (say what to write instead, in the rule's language)")
	case r.Check == "" && len(r.Patterns) == 0:
		return nil, l.errf(n, r.ID, "a rule needs patterns or a check")
	case r.Check != "" && len(r.Patterns) > 0:
		return nil, l.errf(n, r.ID, "a rule has patterns or a check, not both")
	}
	if r.Severity == "" {
		r.Severity = DefaultSeverity(r.Category)
	}
	if r.Title == "" {
		r.Title = r.ID
	}
	return r, nil
}

func (l *loader) str(v *yaml.Node, rule, key string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", l.errf(v, rule, "%s: want a string", key)
	}
	return strings.TrimSpace(v.Value), nil
}

func (l *loader) strList(v *yaml.Node, rule, key string) ([]string, error) {
	if v.Kind == yaml.ScalarNode {
		return []string{v.Value}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, l.errf(v, rule, "%s: want a list of strings", key)
	}
	var out []string
	for _, e := range v.Content {
		if e.Kind != yaml.ScalarNode {
			return nil, l.errf(e, rule, "%s: want a list of strings", key)
		}
		out = append(out, e.Value)
	}
	return out, nil
}

func (l *loader) pattern(v *yaml.Node, rule, key string) (Pattern, error) {
	if v.Kind != yaml.ScalarNode {
		return Pattern{}, l.errf(v, rule, "%s: want a pattern string", key)
	}
	// In a plain scalar " #" starts a comment: `по # #` would silently be
	// the pattern `по`. Patterns with # (any number) must be quoted.
	if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 && v.LineComment != "" {
		return Pattern{}, l.errf(v, rule, "%s %q is followed by the comment %q: YAML cuts an unquoted pattern at \" #\"; quote the pattern, or put the comment on a line of its own", key, v.Value, v.LineComment)
	}
	node, err := parsePattern(v.Value, &l.slab)
	if err != nil {
		return Pattern{}, l.errf(v, rule, "%s: %v", key, err)
	}
	return NewPattern(v.Value, node, Pos{l.file, v.Line}), nil
}

func (l *loader) patterns(v *yaml.Node, rule, key string) ([]Pattern, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, l.errf(v, rule, "%s: want a list of patterns", key)
	}
	var out []Pattern
	for _, e := range v.Content {
		p, err := l.pattern(e, rule, key)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (l *loader) exceptions(v *yaml.Node, rule string) ([]Exception, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, l.errf(v, rule, "exceptions: want a list")
	}
	var out []Exception
	for _, e := range v.Content {
		ex := Exception{Scope: ScopeMatch}
		switch e.Kind {
		case yaml.ScalarNode:
			p, err := l.pattern(e, rule, "exceptions")
			if err != nil {
				return nil, err
			}
			ex.Pattern = p
		case yaml.MappingNode:
			if err := l.keys(e, rule, "pattern", "scope"); err != nil {
				return nil, err
			}
			for i := 0; i+1 < len(e.Content); i += 2 {
				k, val := e.Content[i], e.Content[i+1]
				switch k.Value {
				case "pattern":
					p, err := l.pattern(val, rule, "exceptions")
					if err != nil {
						return nil, err
					}
					ex.Pattern = p
				case "scope":
					ex.Scope = val.Value
					if ex.Scope != ScopeMatch && ex.Scope != ScopeClause && ex.Scope != ScopeSentence && ex.Scope != ScopeMessage {
						return nil, l.errf(val, rule, "exceptions: scope %q: want match, clause, sentence or message", ex.Scope)
					}
				}
			}
			if ex.Node() == nil {
				return nil, l.errf(e, rule, "exceptions: pattern is missing")
			}
		default:
			return nil, l.errf(e, rule, "exceptions: want a pattern or {pattern, scope}")
		}
		out = append(out, ex)
	}
	return out, nil
}

func (l *loader) examples(v *yaml.Node, rule string) (Examples, error) {
	var ex Examples
	if err := l.keys(v, rule, "bad", "good"); err != nil {
		return ex, err
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		list, err := l.strList(val, rule, "examples."+k.Value)
		if err != nil {
			return ex, err
		}
		if k.Value == "bad" {
			ex.Bad = list
		} else {
			ex.Good = list
		}
	}
	return ex, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// SplitYAMLError splits a YAML syntax error into its line and message
// (for loaders of other YAML files that report file:line).
func SplitYAMLError(err error) (int, string) {
	msg := err.Error()
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 1, msg
	}
	line := 1
	if m[1] != "" {
		fmt.Sscanf(m[1], "%d", &line)
	}
	return line, msg[len(m[0]):]
}

package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/replylint/replylint/analyzer"
)

// githubWriter writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request:
//
//	::error file=drafts/42.eml,line=4,col=7,endColumn=29,title=deflection.not-my-department::message (suggestion)
//
// error findings are ::error, warnings ::warning, info ::notice; a
// suppressed finding is a ::notice whose title says so. An input that could
// not be read is an ::error on the file. Each command is written as its
// message arrives.
type githubWriter struct {
	w io.Writer
}

func (g *githubWriter) Message(m Message) error {
	for _, f := range m.Findings {
		reg := findingRegion(m.Text, f)
		props := []string{
			"file=" + escapeProperty(reportPath(sourceOf(f, m))),
			fmt.Sprintf("line=%d", reg.StartLine),
		}
		if reg.EndLine != reg.StartLine {
			props = append(props, fmt.Sprintf("endLine=%d", reg.EndLine))
		}
		props = append(props, fmt.Sprintf("col=%d", reg.StartColumn), fmt.Sprintf("endColumn=%d", reg.EndColumn))
		cmd, title, msg := githubCommand(f.Severity), f.Rule, withSuggestion(f)
		if s := f.Suppressed; s != nil {
			cmd, title = "notice", f.Rule+" (suppressed)"
			msg = fmt.Sprintf("suppressed by %s: %s — %s", s.Kind, s.Reason, msg)
		}
		props = append(props, "title="+escapeProperty(title))
		if err := g.command(cmd, props, msg); err != nil {
			return err
		}
	}
	return nil
}

func (g *githubWriter) Error(e InputError) error {
	props := []string{
		"file=" + escapeProperty(reportPath(analyzer.Source{Path: e.Path})),
		"title=" + escapeProperty("replylint: input error"),
	}
	return g.command("error", props, e.Error)
}

func (g *githubWriter) Close(Summary) error { return nil }

func (g *githubWriter) command(cmd string, props []string, msg string) error {
	_, err := fmt.Fprintf(g.w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
	return err
}

func githubCommand(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a workflow command's message as the Actions runner
// expects (toolkit's escapeData): %, CR and LF.
var escapeData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// escapeProperty escapes a workflow command property value (toolkit's
// escapeProperty): as escapeData, plus the ':' and ',' that delimit
// properties.
var escapeProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace

package report

import (
	"encoding/xml"
	"io"
	"strconv"

	"github.com/replylint/replylint/analyzer"
)

// checkstyleWriter writes Checkstyle XML, which many CI plugins and review
// bots (Jenkins warnings-ng, reviewdog, Danger) read:
//
//	<checkstyle version="4.3">
//	  <file name="drafts/42.eml">
//	    <error line="4" column="7" severity="error" message="..." source="replylint.deflection.not-my-department"></error>
//	  </file>
//	</checkstyle>
//
// Messages of one input (an mbox, a transcript) share its <file>. A
// suppressed finding has severity "ignore"; an input that could not be read
// is an error at line 0 with source "replylint.input-error".
type checkstyleWriter struct {
	w     io.Writer
	files []checkstyleFile
	index map[string]int // file name → index in files
}

func newCheckstyleWriter(w io.Writer) *checkstyleWriter {
	return &checkstyleWriter{w: w, index: map[string]int{}}
}

type checkstyleDoc struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   string `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// file returns the <file> for name, adding it the first time.
func (c *checkstyleWriter) file(name string) *checkstyleFile {
	i, ok := c.index[name]
	if !ok {
		i = len(c.files)
		c.index[name] = i
		c.files = append(c.files, checkstyleFile{Name: name})
	}
	return &c.files[i]
}

func (c *checkstyleWriter) Message(m Message) error {
	c.file(reportPath(m.Source)) // a clean input is listed too
	for _, f := range m.Findings {
		reg := findingRegion(m.Text, f)
		sev := string(f.Severity)
		if f.Suppressed != nil {
			sev = "ignore"
		}
		file := c.file(reportPath(sourceOf(f, m)))
		file.Errors = append(file.Errors, checkstyleError{
			Line:     reg.StartLine,
			Column:   strconv.Itoa(reg.StartColumn),
			Severity: sev,
			Message:  withSuggestion(f),
			Source:   "replylint." + f.Rule,
		})
	}
	return nil
}

func (c *checkstyleWriter) Error(e InputError) error {
	file := c.file(reportPath(analyzer.Source{Path: e.Path}))
	file.Errors = append(file.Errors, checkstyleError{
		Severity: "error", Message: e.Error, Source: "replylint.input-error",
	})
	return nil
}

func (c *checkstyleWriter) Close(Summary) error {
	return writeXML(c.w, checkstyleDoc{Version: "4.3", Files: c.files})
}

package analyzer_test

import (
	"fmt"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/rules"
)

// Load the built-in rules, lint a reply, read the findings.
func Example() {
	set, err := rules.Builtin()
	if err != nil {
		panic(err)
	}
	a, err := analyzer.New(set, analyzer.Config{})
	if err != nil {
		panic(err)
	}
	findings := a.Run(analyzer.Document{
		Text: "Здравствуйте, Ольга! Спасибо за письмо. Это не моя компетенция.",
		Kind: analyzer.KindChat,
	})
	for _, f := range findings {
		fmt.Printf("%d:%d %s %s %q\n", f.Span.Line, f.Span.Column, f.Category, f.Lang, f.Text)
	}
	// Output:
	// 1:45 deflection ru "не моя компетенция"
}

// Select rules by id or category and change severities.
func ExampleNew() {
	set, _ := rules.Builtin()
	a, err := analyzer.New(set, analyzer.Config{
		Disable:  []string{"courtesy"},
		Severity: map[string]analyzer.Severity{"deflection": analyzer.Warning},
	})
	if err != nil {
		panic(err)
	}
	for _, f := range a.Run(analyzer.Document{Text: "That's not my job.", Kind: analyzer.KindChat}) {
		fmt.Println(f.Rule, f.Severity)
	}
	// Output:
	// deflection.not-my-responsibility warning
}

// Check gives the courtesy facts a scorecard needs along with the findings.
func ExampleAnalyzer_Check() {
	set, _ := rules.Builtin()
	a, err := analyzer.New(set, analyzer.Config{})
	if err != nil {
		panic(err)
	}
	res := a.Check(analyzer.Document{
		Text:    "Hi Tom,\n\nI'm sorry the parcel is late: it arrives tomorrow.\n\nKind regards,\nAnna",
		Kind:    analyzer.KindEmail,
		Context: analyzer.Context{Customer: "My parcel is a week late, this is unacceptable."},
	})
	fmt.Printf("%d findings, %+v\n", len(res.Findings), res.Facts)
	// Output:
	// 0 findings, {Greeting:true Thanks:false Apology:true Signoff:true Complaint:true}
}

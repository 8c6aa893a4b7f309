package transcript_test

import (
	"fmt"
	"strings"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/integrations/transcript"
)

func Example() {
	log := `[2024-03-01 10:02:13] Customer Mary: My order has not arrived.
It was due on Monday.
[10:09] Agent Anna: That's not my department, please contact the courier.
`
	var turns []transcript.Turn
	err := transcript.ReadChatLog(strings.NewReader(log), func(t transcript.Turn) error {
		turns = append(turns, t)
		return nil
	}, func(line int, err error) {
		fmt.Printf("chat.log:%d: %v\n", line, err)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, conv := range transcript.Group(turns) {
		for _, d := range transcript.Documents(conv, analyzer.KindChat, "", "chat.log") {
			fmt.Printf("line %d, turn %d, by %s: %q\n", d.Source.Line, d.Source.Turn, d.Source.Author, d.Text)
			fmt.Printf("answering %s (%q) after %v\n", d.Context.CustomerName, d.Context.Customer,
				d.Context.ReplyTime.Sub(d.Context.CustomerTime))
		}
	}
	// Output:
	// line 3, turn 2, by Anna: "That's not my department, please contact the courier."
	// answering Mary ("My order has not arrived.\nIt was due on Monday.") after 6m47s
}

func ExampleParseMapping() {
	m, err := transcript.ParseMapping("text=body,role=sender_type,timestamp=created_at,agent=agent|bot")
	if err != nil {
		fmt.Println(err)
		return
	}
	input := `{"id": 1, "sender_type": "bot", "body": "Hello! How can I help?", "created_at": 1709287333}`
	err = transcript.ReadJSONL(strings.NewReader(input), m, func(t transcript.Turn) error {
		fmt.Println(t.Role, t.Time.Format("2006-01-02 15:04:05"), t.Text)
		return nil
	}, nil)
	fmt.Println(err)
	// Output:
	// agent 2024-03-01 10:02:13 Hello! How can I help?
	// <nil>
}

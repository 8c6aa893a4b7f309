package transcript

import (
	"strings"
	"time"

	"github.com/replylint/replylint/analyzer"
)

// Documents turns a conversation into one document per agent turn, in
// order, with the given kind, language ("" to detect) and input path. A
// document's context is:
//
//   - Customer: the customer's turns since the previous agent turn, joined
//     with newlines; after several agent turns in a row, only the first of
//     them gets them, and the others none.
//   - CustomerTime: the time of the last of those customer turns (zero when
//     there are none or it is unknown), and ReplyTime the agent turn's own.
//   - CustomerName: the name of the customer's latest turn before it that
//     has an author, or else of the first customer turn that has one.
//   - FirstTurn: the turn is the agent's first in the conversation;
//     LaterTurn: it is not.
//
// Agent turns with only white space produce no document and are otherwise
// ignored. The Source carries the path, conversation, turn index, line and
// author of the turn.
func Documents(conv []Turn, kind analyzer.Kind, lang string, path string) []analyzer.Document {
	var docs []analyzer.Document
	var name string
	for _, t := range conv {
		if t.Role == RoleCustomer && t.Author != "" {
			name = t.Author
			break
		}
	}
	var pending []string
	var pendingTime time.Time
	seenAgent := false
	for _, t := range conv {
		if t.Role != RoleAgent {
			if t.Author != "" {
				name = t.Author
			}
			if strings.TrimSpace(t.Text) != "" {
				pending = append(pending, t.Text)
			}
			pendingTime = t.Time
			continue
		}
		if strings.TrimSpace(t.Text) == "" {
			continue
		}
		docs = append(docs, analyzer.Document{
			Text: t.Text,
			Lang: lang,
			Kind: kind,
			Role: RoleAgent,
			Context: analyzer.Context{
				Customer:     strings.Join(pending, "\n"),
				CustomerName: name,
				CustomerTime: pendingTime,
				ReplyTime:    t.Time,
				FirstTurn:    !seenAgent,
				LaterTurn:    seenAgent,
			},
			Source: analyzer.Source{
				Path:         path,
				Conversation: t.Conversation,
				Turn:         t.Index,
				Line:         t.Line,
				Author:       t.Author,
			},
		})
		seenAgent = true
		pending, pendingTime = nil, time.Time{}
	}
	return docs
}

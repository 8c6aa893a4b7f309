package mail

import "github.com/replylint/replylint/analyzer"

// Document turns the message into a document for the analyzer: the body is
// linted; the quoted message, the To: name and both dates are its context.
// src.MessageID is filled from the message when empty.
func (m *Message) Document(src analyzer.Source, kind analyzer.Kind, lang string) analyzer.Document {
	if src.MessageID == "" {
		src.MessageID = m.MessageID
	}
	return analyzer.Document{
		Text:    m.Body,
		Lang:    lang,
		Kind:    kind,
		Headers: m.Header,
		Context: analyzer.Context{
			Customer:     m.Quoted,
			CustomerName: m.ToName,
			CustomerTime: m.QuotedDate,
			ReplyTime:    m.Date,
			Skipped:      m.Skipped,
		},
		Source: src,
	}
}

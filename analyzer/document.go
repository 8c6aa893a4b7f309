package analyzer

import (
	"time"

	"github.com/replylint/replylint/rules"
)

// Kind is what sort of message a document is.
type Kind string

// The kinds of documents.
const (
	KindEmail Kind = "email" // expects a greeting and a sign-off
	KindChat  Kind = "chat"  // one chat turn: no sign-off expected
	KindText  Kind = "text"  // plain text: no structural expectations
)

// ParseKind parses a kind name.
func ParseKind(s string) (Kind, bool) {
	switch k := Kind(s); k {
	case KindEmail, KindChat, KindText:
		return k, true
	}
	return "", false
}

// Document is one message to lint: what an integration (email reader,
// transcript reader, IMAP scanner) hands to the analyzer.
type Document struct {
	// Text is the agent's own text: the body to lint, as UTF-8. Quoted
	// earlier messages and signatures belong in Context, not here.
	Text string
	// Lang forces the language ("en", "ar", "fa", "ru"); "" detects it per
	// paragraph.
	Lang string
	Kind Kind
	// Role of the author: "agent" (the default) or "customer". Customer
	// messages are context, never linted.
	Role string
	// Headers of an email (From, To, Subject, Date...), canonical keys.
	Headers map[string][]string
	// Context is what the agent was answering.
	Context Context
	// Source says where the document came from; it is copied into findings.
	Source Source
}

// Context is what a reply answers: the customer's message and facts about
// the conversation. Every field is optional.
type Context struct {
	Customer     string    // the customer's message (quoted part of an email, earlier chat turns)
	CustomerName string    // the customer's name, when known (To: display name, transcript author)
	CustomerTime time.Time // when the customer wrote
	ReplyTime    time.Time // when the agent replied
	FirstTurn    bool      // the agent's first turn in a chat (a greeting is expected)
	// LaterTurn: a later agent turn of a chat whose earlier turns are
	// known (a transcript): courtesy is judged on the first turn, not on
	// every "sure, let me check that" after it.
	LaterTurn bool
	Skipped   []Skipped // parts of the input that were not linted (quotes, signature)
}

// Skipped is a part of the input that was deliberately not linted.
type Skipped struct {
	What  string `json:"what"` // "quoted", "signature", "attachment"
	Bytes int    `json:"bytes"`
}

// Source locates a document in its input. Fields that do not apply are
// left empty and omitted from JSON.
type Source struct {
	Path         string `json:"path,omitempty"`
	MessageID    string `json:"message_id,omitempty"`
	Conversation string `json:"conversation,omitempty"`
	Turn         int    `json:"turn,omitempty"`
	Line         int    `json:"line,omitempty"` // line of the input file where the message starts
	Mailbox      string `json:"mailbox,omitempty"`
	UID          uint32 `json:"uid,omitempty"`
	Author       string `json:"author,omitempty"`
}

// Severity is how serious a finding is: error, warning or info.
type Severity = rules.Severity

// The severities.
const (
	Error   = rules.Error
	Warning = rules.Warning
	Info    = rules.Info
)

// Finding is one problem in a document. Its JSON form is the public contract
// of replylint's output.
type Finding struct {
	Rule       string   `json:"rule"`
	Category   string   `json:"category"`
	Severity   Severity `json:"severity"`
	Lang       string   `json:"lang"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion,omitempty"`
	Source     Source   `json:"source"`
	Span       Span     `json:"span"`
	Text       string   `json:"text"`
	// Suppressed is set when configuration or an X-Replylint-Disable header
	// silenced the finding; suppressed findings are reported, not dropped.
	Suppressed *Suppression `json:"suppressed,omitempty"`
}

// Suppression records why a finding was silenced.
type Suppression struct {
	Kind   string `json:"kind"`   // "config" or "header"
	Reason string `json:"reason"` // required: why the team accepts this finding
}

// Span locates a finding in the linted text: byte offsets into the text as
// decoded to UTF-8, and a 1-based line and column (the column counted in
// characters).
type Span struct {
	Start  int `json:"start"`
	End    int `json:"end"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

package audit

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/config"
)

// Record is what the aggregation needs of one linted agent message. Its JSON
// form is the "record" line of the JSON Lines map output.
type Record struct {
	Source analyzer.Source `json:"source"`
	// Agent who wrote the message: the transcript author or the email's
	// From name, as the configuration's agents name them.
	Agent string        `json:"agent,omitempty"`
	Kind  analyzer.Kind `json:"kind,omitempty"`
	// Customer identifies who the reply went to: the customer's name, else
	// the conversation, else the message id or path.
	Customer string `json:"customer,omitempty"`
	// CustomerSig is the MinHash signature of the customer's message
	// (empty when there was none): it tells whether replies in a canned
	// cluster answered different questions. Prepare keeps the customer's
	// message; its signature is computed when a cluster needs it, and
	// RecordWriter encodes it here (the aggregation never reads the text
	// form).
	CustomerSig  string    `json:"customer_sig,omitempty"`
	CustomerTime time.Time `json:"customer_time,omitzero"`
	ReplyTime    time.Time `json:"reply_time,omitzero"`
	Courtesy     Courtesy  `json:"courtesy"`
	// Text is the linted text, for the canned clusters and the examples.
	Text string `json:"text"`
	// NFindings is the number of finding lines that follow the record.
	NFindings int `json:"findings"`
	// Implicit records were made from finding lines alone (check's JSON
	// Lines): they have no text and no courtesy facts.
	Implicit bool `json:"-"`

	// Findings are the counted findings: at or above --min-severity,
	// suppressed ones marked.
	Findings []analyzer.Finding `json:"-"`

	// What Prepare works out in a worker so that the aggregator need not:
	// the reply's word count and, when it is long enough to be clustered
	// by default, its shingles and their MinHash signature.
	prepared bool
	words    int
	shingles []uint64
	sig      Signature // when hasSig
	hasSig   bool
	customer string     // the customer's message, for custSig
	custSig  *Signature // of customer, or parsed CustomerSig: computed for a few records, so not kept inline
}

// Courtesy are the courtesy facts of a message (see the package doc).
type Courtesy struct {
	GreetingExpected bool `json:"greeting_expected,omitempty"`
	Greeting         bool `json:"greeting,omitempty"`
	SignoffExpected  bool `json:"signoff_expected,omitempty"`
	Signoff          bool `json:"signoff,omitempty"`
	Thanks           bool `json:"thanks,omitempty"`
	Complaint        bool `json:"complaint,omitempty"`
	Apology          bool `json:"apology,omitempty"`
}

// Prepare builds the record of a linted document from its result: all its
// findings (every severity: the courtesy facts read the info-level hints
// too) and the analyzer's courtesy facts. The
// counted findings are set later (Record.Findings). cfg maps authors to the
// configured agents' names; it may be nil. Prepare is safe for concurrent
// use and does the costly work (shingles, signatures) so that workers, not
// the aggregator, pay for it.
func Prepare(doc analyzer.Document, res analyzer.Result, cfg *config.Config) *Record {
	r := &Record{
		Source:       doc.Source,
		Agent:        agentOf(doc, cfg),
		Kind:         doc.Kind,
		CustomerTime: doc.Context.CustomerTime,
		ReplyTime:    doc.Context.ReplyTime,
		Text:         doc.Text,
	}
	r.Customer = firstNonEmpty(doc.Context.CustomerName, doc.Source.Conversation, doc.Source.MessageID, doc.Source.Path)
	// The customer's signature is worked out when a cluster needs it
	// (customerSig), for a few replies per cluster, not for every one.
	if strings.TrimSpace(doc.Context.Customer) != "" {
		r.customer = doc.Context.Customer
	}
	r.Courtesy = courtesy(doc, res)
	// Word and shingle hashes go through a buffer on the stack; only the
	// reply's shingles are kept.
	var buf [256]uint64
	w := words(doc.Text, buf[:0])
	r.prepared, r.words = true, len(w)
	if len(w) >= defaultMinWords {
		r.shingles = slices.Clone(shingles(w, w[len(w):]))
		r.sig, r.hasSig = minhash(r.shingles), true
	}
	return r
}

func courtesy(doc analyzer.Document, res analyzer.Result) Courtesy {
	var c Courtesy
	fired := map[string]bool{}
	missedApology := false
	for _, f := range res.Findings {
		fired[f.Rule] = true
		if f.Rule == "courtesy.no-apology" && f.Severity.Rank() > analyzer.Info.Rank() {
			missedApology = true
		}
	}
	curt := fired["courtesy.curt"]
	switch doc.Kind {
	case analyzer.KindEmail:
		c.GreetingExpected, c.SignoffExpected = true, true
	case analyzer.KindChat:
		c.GreetingExpected = doc.Context.FirstTurn
	}
	c.Greeting = c.GreetingExpected && !curt && !fired["courtesy.no-greeting"]
	c.Signoff = c.SignoffExpected && !curt && !fired["courtesy.no-signoff"]
	c.Thanks = !curt && res.Facts.Thanks
	c.Complaint = missedApology || res.Facts.Complaint
	c.Apology = c.Complaint && !missedApology && res.Facts.Apology
	return c
}

// agentOf names the author of doc: the transcript author, else the From
// display name (or address), mapped to a configured agent's name.
func agentOf(doc analyzer.Document, cfg *config.Config) string {
	name := doc.Source.Author
	from := ""
	if vs := doc.Headers["From"]; len(vs) > 0 {
		from = vs[0]
	}
	if name == "" && from != "" {
		if a, err := mail.ParseAddress(from); err == nil {
			name = firstNonEmpty(a.Name, a.Address)
		} else {
			name = strings.TrimSpace(from)
		}
	}
	if cfg != nil {
		for _, s := range []string{name, from} {
			if s == "" {
				continue
			}
			if a, ok := cfg.AgentFor(s); ok && a.Name != "" {
				return a.Name
			}
		}
	}
	return name
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

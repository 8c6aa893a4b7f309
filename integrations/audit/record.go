package audit

import (
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/replylint/replylint/analyzer"
	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/rules"
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
	// cluster answered different questions.
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

	shingles []uint64   // of Text, computed once (by a worker)
	custSig  *Signature // parsed CustomerSig
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

// Lexicon holds the words of the thanks, apology and complaint phrase
// lists of a rule set, for the word-level courtesy checks.
type Lexicon struct {
	words map[string]uint8
	stems []stem
}

type stem struct {
	prefix string
	mask   uint8
}

const (
	lexThanks uint8 = 1 << iota
	lexApology
	lexComplaint
)

// NewLexicon collects the one-word entries (words and stems) of the
// "thanks", "apology" and "complaint" phrase lists of set.
func NewLexicon(set *rules.Set) *Lexicon {
	lx := &Lexicon{words: map[string]uint8{}}
	if set == nil {
		return lx
	}
	for name, mask := range map[string]uint8{"thanks": lexThanks, "apology": lexApology, "complaint": lexComplaint} {
		for _, p := range set.Phrases[name] {
			lx.add(p.Node, mask)
		}
	}
	return lx
}

func (lx *Lexicon) add(n *rules.Node, mask uint8) {
	if n == nil {
		return
	}
	switch n.Kind {
	case rules.NodeAlt:
		for _, k := range n.Kids {
			lx.add(k, mask)
		}
	case rules.NodeWord:
		if w := fold(n.Text); w != "" && !strings.ContainsAny(w, " \t") {
			lx.words[w] |= mask
		}
	case rules.NodeStem:
		if w := fold(n.Text); len(w) >= 3 {
			lx.stems = append(lx.stems, stem{w, mask})
		}
	}
}

// scan returns the lists that have a word in s.
func (lx *Lexicon) scan(s string) uint8 {
	var found uint8
	for w := range strings.FieldsFuncSeq(s, notWordRune) {
		w = fold(w)
		found |= lx.words[w]
		for _, st := range lx.stems {
			if found&st.mask == 0 && strings.HasPrefix(w, st.prefix) {
				found |= st.mask
			}
		}
	}
	return found
}

func notWordRune(r rune) bool {
	if r < 0x80 {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '\'')
	}
	return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != '’' && r != 'ـ' && r != '\u200c'
}

// fold is a cheap normalisation of a word: lower case, no diacritics or
// tatweel, ё as е, Arabic ya and kaf as Persian ones, typographic
// apostrophe as '.
func fold(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), r == 'ـ', r == '\u200c':
			continue
		case r == 'ё' || r == 'Ё':
			r = 'е'
		case r == 'ي' || r == 'ى':
			r = 'ی'
		case r == 'ك':
			r = 'ک'
		case r == '’':
			r = '\''
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Prepare builds the record of a linted document from all its findings
// (every severity: the courtesy facts read the info-level hints too). The
// counted findings are set later (Record.Findings). cfg maps authors to the
// configured agents' names; it may be nil. Prepare is safe for concurrent
// use and does the costly work (shingles, signatures) so that workers, not
// the aggregator, pay for it.
func Prepare(doc analyzer.Document, all []analyzer.Finding, lx *Lexicon, cfg *config.Config) *Record {
	r := &Record{
		Source:       doc.Source,
		Agent:        agentOf(doc, cfg),
		Kind:         doc.Kind,
		CustomerTime: doc.Context.CustomerTime,
		ReplyTime:    doc.Context.ReplyTime,
		Text:         doc.Text,
	}
	r.Customer = firstNonEmpty(doc.Context.CustomerName, doc.Source.Conversation, doc.Source.MessageID, doc.Source.Path)
	if strings.TrimSpace(doc.Context.Customer) != "" {
		sig := minhash(shingles(words(doc.Context.Customer)))
		r.custSig = &sig
		r.CustomerSig = sig.String()
	}
	r.Courtesy = courtesy(doc, all, lx)
	r.shingles = shingles(words(doc.Text))
	return r
}

func courtesy(doc analyzer.Document, all []analyzer.Finding, lx *Lexicon) Courtesy {
	var c Courtesy
	fired := map[string]bool{}
	missedApology := false
	for _, f := range all {
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
	var own, cust uint8
	if lx != nil {
		own = lx.scan(doc.Text)
		if doc.Context.Customer != "" {
			cust = lx.scan(doc.Context.Customer)
		}
	}
	c.Thanks = !curt && own&lexThanks != 0
	c.Complaint = missedApology || cust&lexComplaint != 0
	c.Apology = c.Complaint && !missedApology && own&lexApology != 0
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

package analyzer

// Explanation shows how the analyzer saw a document: the language of each
// paragraph, the normalised tokens, and every pattern that matched (rule
// patterns, exceptions and phrase lists) before exceptions and quotes were
// applied. It is for rule authors (`replylint debug`).
type Explanation struct {
	Lang       string
	Paragraphs []ExplainedParagraph
	Matches    []ExplainedMatch
	Findings   []Finding
}

// ExplainedParagraph is one paragraph with its language and tokens.
type ExplainedParagraph struct {
	Lang   string
	Tokens []string // lookup keys; sentence breaks shown as "|"
}

// ExplainedMatch is one raw match of the automaton.
type ExplainedMatch struct {
	Kind    string // "rule", "exception" or "phrase"
	Owner   string // rule id, or phrase list name
	Lang    string // language of the pattern
	Pattern string // pattern source
	Text    string // the matched original text
	Quoted  bool   // every matched token is inside quotation marks
}

// Explain runs doc through the analyzer and reports what it saw.
func (a *Analyzer) Explain(doc Document) Explanation {
	var ex Explanation
	prep := prepare(doc.Text, doc.Lang)
	t := prep.text
	p := &Pass{Doc: &doc, a: a, Text: t, paras: prep.paras, Tokens: prep.toks}
	ex.Lang = prep.lang
	for i, pr := range p.paras {
		ep := ExplainedParagraph{Lang: pr.lang}
		var prev int32 = -1
		for _, tk := range p.Tokens {
			if tk.Para != int32(i) {
				continue
			}
			if prev >= 0 && tk.Sentence != prev {
				ep.Tokens = append(ep.Tokens, "|")
			}
			prev = tk.Sentence
			ep.Tokens = append(ep.Tokens, tokenKey(t.Norm, tk, nil))
		}
		ex.Paragraphs = append(ex.Paragraphs, ep)
	}
	sc := new(scratch)
	a.match(t.Norm, p.Tokens, p.paras, sc, func(m match) {
		info := a.pats[m.pat]
		if info.kind == patDisabled {
			return
		}
		em := ExplainedMatch{Lang: info.lang, Pattern: info.src, Quoted: p.quoted(m)}
		switch info.kind {
		case patRule:
			em.Kind, em.Owner = "rule", a.rules[info.rule].ID
		case patException:
			em.Kind, em.Owner = "exception", a.rules[info.rule].ID+" ("+info.scope+")"
		case patPhrase:
			em.Kind, em.Owner = "phrase", info.phrase
		}
		s, e := t.OrigSpan(int(p.Tokens[m.start].Start), int(p.Tokens[m.end].End))
		em.Text = t.Orig[s:e]
		ex.Matches = append(ex.Matches, em)
	})
	ex.Findings = a.Run(doc)
	return ex
}

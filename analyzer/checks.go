package analyzer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// checks are the structural checks a rule can name with `check:`. Their
// word lists are phrase lists of the rule files:
//
//	greeting, thanks, apology, signoff   courtesies
//	politeness                           please, empathy: enough not to be curt
//	problem                              the message speaks of a problem or delay
//	complaint                            the customer complains (read in Context.Customer only)
//	placeholder                          words that make [Bracketed Text] a placeholder
//	after_name                           words that follow a name («عزیز»): blank-render
var checks = map[string]func(*Pass){
	"placeholder":  checkPlaceholder,
	"blank-render": checkBlankRender,
	"curt":         checkCurt,
	"no-greeting":  checkNoGreeting,
	"no-signoff":   checkNoSignoff,
	"no-apology":   checkNoApology,
}

// greetingAtStart reports whether a greeting opens the message (within its
// first two sentences).
func (p *Pass) greetingAtStart() bool {
	if len(p.Tokens) == 0 {
		return false
	}
	for _, m := range p.Phrases("greeting") {
		if p.Tokens[m.First].Sentence <= p.Tokens[0].Sentence+1 {
			return true
		}
	}
	return false
}

// signoffAtEnd reports whether a sign-off closes the message: in its last
// four lines (a name and a company may follow it) or, in a one-paragraph
// chat turn, in its last sentence.
func (p *Pass) signoffAtEnd() bool {
	if len(p.Tokens) == 0 {
		return false
	}
	last := p.Tokens[len(p.Tokens)-1]
	for _, m := range p.Phrases("signoff") {
		t := p.Tokens[m.Last]
		if t.Line >= last.Line-3 || t.Sentence >= last.Sentence-1 {
			return true
		}
	}
	return false
}

// firstLineSpan returns the original byte range of the first non-blank line.
func (p *Pass) firstLineSpan() (int, int) {
	s := p.Text.Orig
	start := len(s) - len(strings.TrimLeft(s, " \t\r\n"))
	end := strings.IndexByte(s[start:], '\n')
	if end < 0 {
		end = len(s)
	} else {
		end += start
	}
	end = start + len(strings.TrimRight(s[start:end], " \t\r"))
	return start, end
}

// lastLineSpan returns the original byte range of the last non-blank line.
func (p *Pass) lastLineSpan() (int, int) {
	s := strings.TrimRight(p.Text.Orig, " \t\r\n")
	start := strings.LastIndexByte(s, '\n') + 1
	start += len(s[start:]) - len(strings.TrimLeft(s[start:], " \t\r"))
	return start, len(s)
}

// checkCurt flags a message with none of the courtesies (hasSomeCourtesy):
// no greeting, no thanks, no apology, no word of politeness — however short:
// "postcode?" or "fixed now" to a customer is the curtest reply of all.
func checkCurt(p *Pass) {
	if p.Doc.Kind == KindText || len(p.Tokens) == 0 {
		return
	}
	// In a transcript, a greeting or thanks opens the conversation; the
	// turns after it need none of their own.
	if p.Doc.Kind == KindChat && p.Doc.Context.LaterTurn {
		return
	}
	if p.hasSomeCourtesy() {
		return
	}
	s, e := p.firstLineSpan()
	p.Report(nil, s, e, "")
}

// checkNoGreeting hints that an email (or a chat's first turn) opens without
// a greeting. It stays quiet when the message is curt altogether (checkCurt
// says so) and on later chat turns.
func checkNoGreeting(p *Pass) {
	if len(p.Tokens) < 3 || p.greetingAtStart() {
		return
	}
	switch p.Doc.Kind {
	case KindEmail:
	case KindChat:
		if !p.Doc.Context.FirstTurn {
			return
		}
	default:
		return
	}
	if !p.hasSomeCourtesy() {
		return
	}
	s, e := p.firstLineSpan()
	p.Report(nil, s, e, Info)
}

// checkNoSignoff hints that an email ends without a sign-off.
func checkNoSignoff(p *Pass) {
	if p.Doc.Kind != KindEmail || len(p.Tokens) < 3 || p.signoffAtEnd() || !p.hasSomeCourtesy() {
		return
	}
	s, e := p.lastLineSpan()
	p.Report(nil, s, e, Info)
}

// hasSomeCourtesy reports whether the message has a greeting, thanks, an
// apology or a word of politeness. A sign-off counts anywhere in a chat
// turn (it may close with a courtesy that is no sign-off proper: "have a
// good day") and at the end of a text, not in an email, where nearly every
// message has one: "Contractor booked for Friday AM. Regards, Lettings" is
// curt all the same.
func (p *Pass) hasSomeCourtesy() bool {
	if p.greetingAtStart() || len(p.Phrases("thanks")) > 0 || len(p.Phrases("apology")) > 0 || len(p.Phrases("politeness")) > 0 {
		return true
	}
	switch p.Doc.Kind {
	case KindChat:
		return len(p.Phrases("signoff")) > 0
	case KindEmail:
		return false
	}
	return p.signoffAtEnd()
}

// checkNoApology flags a reply with no apology when the customer complained
// (from the context), and hints at it when the reply itself speaks of a
// problem or a delay.
func checkNoApology(p *Pass) {
	if p.Doc.Kind == KindText || len(p.Phrases("apology")) > 0 || len(p.Tokens) < 3 {
		return
	}
	if c := p.customer(); c != nil && c.complains(p) {
		s, e := p.firstLineSpan()
		p.Report(nil, s, e, "")
		return
	}
	if pm := p.Phrases("problem"); len(pm) > 0 && p.hasSomeCourtesy() {
		s, e := p.Text.OrigSpan(pm[0].Start, pm[0].End)
		p.Report(nil, s, e, Info)
	}
}

// customerLists are the phrase lists read in the customer's message, not
// in the reply: they have automata of their own.
var customerLists = map[string]bool{"complaint": true}

// customer is the customer's message as the context checks use it,
// prepared once per pass: its words (for relevance) and whether it
// complains (for the apology check), each worked out on first use.
type customer struct {
	pr        *prepared // in buf: a worker prepares customer after customer in the same buffers
	buf       textBuffers
	keys      []string
	complaint int8            // 0: not known yet, 1: complains, -1: does not
	stemSet   map[string]bool // content stems, computed on first use
	stemsDone bool
}

// prepare makes c the customer's message s, reusing c's buffers.
func (c *customer) prepare(s string) {
	c.pr = c.buf.prepare(s, "")
	c.keys = c.pr.appendKeys(c.keys[:0])
	c.complaint, c.stemsDone = 0, false
}

// complains reports whether the customer's message matches the complaint
// phrase list.
func (c *customer) complains(p *Pass) bool {
	if c.complaint == 0 {
		c.complaint = -1
		// The pass's scratch (its message is matched by now): taking
		// another from the pool made a worker's runs alternate between
		// two, each with its own cached customer.
		sc := p.sc
		if sc == nil {
			sc = p.a.pool.Get().(*scratch)
			defer p.a.pool.Put(sc)
		}
		// One match is enough.
		matchWith(&p.a.custAutos, &sc.custWords, c.pr.text.Norm, c.pr.toks, c.pr.paras, sc, func(m match) {
			c.complaint, sc.halt = 1, true
		})
		sc.halt = false
	}
	return c.complaint > 0
}

// stems returns the content stems of the customer's message.
func (c *customer) stems(a *Analyzer) map[string]bool {
	if !c.stemsDone {
		if c.stemSet == nil {
			c.stemSet = map[string]bool{}
		}
		clear(c.stemSet)
		a.contentStems(c.keys, c.stemSet)
		c.stemsDone = true
	}
	return c.stemSet
}

// customer prepares Doc.Context.Customer once; nil when there is none.
// Pasted links are dropped: they are not what the customer says.
func (p *Pass) customer() *customer {
	if p.Doc.Context.Customer == "" {
		return nil
	}
	if p.cust != nil {
		return p.cust
	}
	text := p.Doc.Context.Customer
	// The replies of a conversation share its customer's message: the
	// worker keeps the last one prepared, and prepares the next in its
	// buffers.
	last := &preparedCustomer{}
	if p.sc != nil {
		last = &p.sc.cust
	}
	if last.c == nil {
		last.c = new(customer)
	} else if last.text == text {
		p.cust = last.c
		return p.cust
	}
	last.c.prepare(dropLinks(text))
	last.text, p.cust = text, last.c
	return p.cust
}

// preparedCustomer is a customer's message and its preparation.
type preparedCustomer struct {
	text string
	c    *customer
}

// dropLinks is linkRE.ReplaceAllString(s, " "), run only on the words
// that may hold a match: linkRE's matches contain no white space, so
// matching word by word finds the same ones, and the backtracking matcher
// (an @ is in every tweet) was a fifth of a reply's time.
func dropLinks(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if isRESpace(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && !isRESpace(s[j]) {
			j++
		}
		if w := s[i:j]; mayBeLink(w) {
			if r := linkRE.ReplaceAllString(w, " "); r != w {
				b.WriteString(s[last:i])
				b.WriteString(r)
				last = j
			}
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// isRESpace reports whether c is white space for the regexp package (\s).
func isRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// mayBeLink reports whether word w may hold something linkRE finds: a
// scheme, "www." in any case, or an @ after its first character and a dot.
func mayBeLink(w string) bool {
	if strings.Contains(w, "://") || len(w) > 1 && strings.IndexByte(w[1:], '@') >= 0 && strings.IndexByte(w, '.') >= 0 {
		return true
	}
	for i := 0; i+4 <= len(w); i++ {
		if (w[i]|0x20) == 'w' && (w[i+1]|0x20) == 'w' && (w[i+2]|0x20) == 'w' && w[i+3] == '.' {
			return true
		}
	}
	return false
}

// checkPlaceholder flags template placeholders left unfilled: {{name}},
// {name}, ${name}, $NAME, %NAME%, *|FNAME|*, [Customer Name], <agent>; not one the message
// talks about ("insert the variable {{first_name}}", "the %NAME% tag"):
// a word of the "placeholder_talk" list just before or after it.
func checkPlaceholder(p *Pass) {
	talk := p.Phrases("placeholder_talk")
	for _, sp := range p.placeholderSpans() {
		before, first, last, after := p.spanTokens(sp)
		if p.talkedAbout(before, first, after, talk) ||
			first >= 0 && p.citedToReject(match{start: int32(first), end: int32(last)}) {
			continue
		}
		p.Report(nil, sp[0], sp[1], "")
	}
}

// spanTokens returns the tokens around the original byte range sp: the
// last one before it, the first and last inside it and the first after it
// (-1 for none).
func (p *Pass) spanTokens(sp [2]int) (before, first, last, after int) {
	before, first, last, after = -1, -1, -1, -1
	for i, tk := range p.Tokens {
		s, e := p.Text.OrigSpan(int(tk.Start), int(tk.End))
		switch {
		case e <= sp[0]:
			before = i
		case s >= sp[1]:
			return before, first, last, i
		default:
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return before, first, last, after
}

// talkedAbout reports whether a match of talk, in the placeholder's
// sentence (that of its first word inside, when it has one), ends at most
// three words before the placeholder or starts at most two words after it;
// before, first and after are its spanTokens.
func (p *Pass) talkedAbout(before, first, after int, talk []Match) bool {
	sent := int32(-1)
	if first >= 0 {
		sent = p.Tokens[first].Sentence
	}
	for _, m := range talk {
		if before >= 0 && m.Last <= before && m.Last >= before-2 && (sent < 0 || p.Tokens[m.Last].Sentence == sent) {
			return true
		}
		if after >= 0 && m.First >= after && m.First <= after+1 && (sent < 0 || p.Tokens[m.First].Sentence == sent) {
			return true
		}
	}
	return false
}

// placeholderSpans returns the original byte ranges of unfilled template
// placeholders, computed once per pass.
func (p *Pass) placeholderSpans() [][2]int {
	if p.placeholders != nil {
		return *p.placeholders
	}
	var spans [][2]int
	s := p.Text.Orig
	brackets := p.placeholderBrackets
	code := codeSpans(s)
	for i := 0; i < len(s); i++ {
		k := strings.IndexAny(s[i:], placeholderOpeners)
		if k < 0 {
			break
		}
		i += k
		for len(code) > 0 && code[0][1] <= i {
			code = code[1:]
		}
		if len(code) > 0 && code[0][0] <= i {
			i = code[0][1] - 1 // code is not a template: `cd ${HOME}/app`
			continue
		}
		if end := placeholderAt(s, i, brackets); end > i {
			spans = append(spans, [2]int{i, end})
			i = end - 1
		}
	}
	p.placeholders = &spans
	return spans
}

// codeSpans returns the byte ranges of Markdown code in s, in order:
// fenced blocks (```…```) and inline spans (`…` on one line).
func codeSpans(s string) [][2]int {
	if strings.IndexByte(s, '`') < 0 {
		return nil
	}
	var spans [][2]int
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '`')
		if k < 0 {
			break
		}
		i += k
		if strings.HasPrefix(s[i:], "```") {
			end := strings.Index(s[i+3:], "```")
			if end < 0 {
				break
			}
			spans = append(spans, [2]int{i, i + 3 + end + 3})
			i += 3 + end + 3
			continue
		}
		end := strings.IndexAny(s[i+1:], "`\n")
		if end < 0 || s[i+1+end] != '`' {
			i++
			continue
		}
		spans = append(spans, [2]int{i, i + 1 + end + 1})
		i += end + 2
	}
	return spans
}

// placeholderOpeners are the bytes a placeholder starts with.
const placeholderOpeners = "{$%[<*"

// placeholderAt returns the end of the placeholder that starts at s[i], or
// 0; brackets decides [Bracketed Text], whose rules depend on the caller.
func placeholderAt(s string, i int, brackets func(string, int) int) int {
	switch s[i] {
	case '{':
		// $opt{debug}, hash{'key'}: a subscript in quoted code.
		if i > 0 && s[i-1] < utf8.RuneSelf && (asciiWord[s[i-1]] || s[i-1] == '_') {
			return 0
		}
		return placeholderBraces(s, i)
	case '$':
		if i+1 < len(s) && s[i+1] == '{' {
			return placeholderBraces(s, i+1)
		}
		return placeholderDollar(s, i)
	case '%':
		return placeholderPercent(s, i)
	case '*':
		return placeholderMergeTag(s, i)
	case '[':
		return brackets(s, i)
	case '<':
		if htmlTag(s[i+1:]) {
			return 0 // <HTML>, <STRONG>: markup shown as text
		}
		if end := placeholderAngle(s, i); end > 0 {
			return end
		}
		// <Имя клиента>, <<نام مشترک>>: a placeholder word in any language.
		return brackets(s, i)
	}
	return 0
}

// inPlaceholder reports whether the original range [s, e) overlaps an
// unfilled placeholder: its words are a template's, not the agent's.
func (p *Pass) inPlaceholder(s, e int) bool {
	for _, sp := range p.placeholderSpans() {
		if s < sp[1] && e > sp[0] {
			return true
		}
	}
	return false
}

// placeholderBraces matches {{ name }}, {name} and {name|default} at s[i]=='{'.
func placeholderBraces(s string, i int) int {
	double := strings.HasPrefix(s[i:], "{{")
	j := i + 1
	if double {
		j = i + 2
	}
	close := strings.IndexByte(s[j:], '}')
	if close < 0 || close > 60 {
		return 0
	}
	inner := strings.TrimSpace(s[j : j+close])
	if !isIdent(inner, ".|:- '") || strings.HasPrefix(inner, "'") {
		return 0
	}
	end := j + close + 1
	if double && strings.HasPrefix(s[end:], "}") {
		end++
	}
	return end
}

// placeholderDollar matches $FIRST_NAME, $CUSTOMER at s[i]=='$': a name in
// capitals (not $100, not a word in lower case).
func placeholderDollar(s string, i int) int {
	j := i + 1
	for j < len(s) && j-i <= 40 && (s[j] >= 'A' && s[j] <= 'Z' || s[j] == '_' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	name := s[i+1 : j]
	if len(name) < 3 || name[0] < 'A' || name[0] > 'Z' {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(s[j:]); j < len(s) && isWordRune(r) {
		return 0 // $FIRSTname: not a name in capitals
	}
	return j
}

// The separators dropped before testing that a placeholder's name is in
// capitals (built once: a Replacer is costly to build and safe to share).
var (
	mergeTagSeparators = strings.NewReplacer("_", "", ":", "")
	bracketSeparators  = strings.NewReplacer(" ", "", "_", "", "-", "", "/", "")
)

// placeholderMergeTag matches Mailchimp merge tags, *|FNAME|*, at s[i]=='*'.
func placeholderMergeTag(s string, i int) int {
	if !strings.HasPrefix(s[i:], "*|") {
		return 0
	}
	close := strings.Index(s[i+2:], "|*")
	if close <= 0 || close > 40 {
		return 0
	}
	// Merge tags are written in capitals: *|FNAME|*, *|MERGE3|*, *|DATE:Y|*.
	if inner := s[i+2 : i+2+close]; !isIdent(inner, ":") || !isUpperWord(mergeTagSeparators.Replace(inner)) {
		return 0
	}
	return i + 2 + close + 2
}

// placeholderPercent matches %NAME% and %first_name% at s[i]=='%', not
// a link's percent-escapes (%3A%2F%2F, %2Faccount%3Fid).
func placeholderPercent(s string, i int) int {
	close := strings.IndexByte(s[i+1:], '%')
	if close <= 0 || close > 40 {
		return 0
	}
	inner := s[i+1 : i+1+close]
	if percentEscape(inner) {
		return 0
	}
	if !isIdent(inner, "") || !hasLetter(inner) {
		return 0
	}
	return i + close + 2
}

// percentEscape reports whether s, the text after a %, starts as a URL
// escape: two hex digits, at least one a decimal digit (%2F, %E2; %DATE%
// and %CART% stay placeholders).
func percentEscape(s string) bool {
	hex := func(c byte) bool { return isDigit(c) || 'A' <= c && c <= 'F' || 'a' <= c && c <= 'f' }
	return len(s) >= 2 && hex(s[0]) && hex(s[1]) && (isDigit(s[0]) || isDigit(s[1]))
}

// htmlTag reports whether s, the text after a '<', starts with the name
// of a common HTML element followed by '>' or a space.
func htmlTag(s string) bool {
	end := strings.IndexAny(s, "> ")
	if end <= 0 || end > 10 {
		return false
	}
	return htmlElements[strings.ToLower(s[:end])]
}

var htmlElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "blockquote": true, "body": true, "br": true, "center": true, "code": true,
	"div": true, "em": true, "font": true, "h1": true, "h2": true, "h3": true, "h4": true, "head": true, "hr": true,
	"html": true, "i": true, "img": true, "li": true, "link": true, "meta": true, "ol": true, "p": true, "pre": true,
	"script": true, "small": true, "span": true, "strong": true, "style": true, "sub": true, "sup": true, "table": true,
	"tbody": true, "td": true, "th": true, "thead": true, "title": true, "tr": true, "u": true, "ul": true,
}

// placeholderAngle matches <agent>, <customer_name>, <NAME> but not HTML
// tags or addresses: the name must contain a placeholder word or an
// underscore, or be in capitals.
func placeholderAngle(s string, i int) int {
	close := strings.IndexByte(s[i+1:], '>')
	if close <= 0 || close > 40 {
		return 0
	}
	inner := s[i+1 : i+1+close]
	if !isIdent(inner, " ") {
		return 0
	}
	low := strings.ToLower(inner)
	switch {
	case strings.Contains(inner, "_"), isUpperWord(inner) && len(inner) > 2,
		strings.Contains(low, "name"), strings.Contains(low, "agent"), strings.Contains(low, "customer"):
		return i + close + 2
	}
	return 0
}

// placeholderBrackets matches [Customer Name], [DATE], [Имя клиента] and,
// at s[i]=='<', <Имя клиента> and <<نام مشترک>>: bracketed words in
// capitals or holding a placeholder word; not [1], [sic], a Markdown link,
// an address or a tag.
func (p *Pass) placeholderBrackets(s string, i int) int {
	open, closer := s[i], byte(']')
	if open == '<' {
		closer = '>'
	}
	from := i + 1
	if from < len(s) && s[from] == open { // doubled: [[…]], <<…>>
		from++
	}
	close := strings.IndexByte(s[from:], closer)
	if close <= 0 || close > 50 {
		return 0
	}
	end := from + close + 1
	if from > i+1 {
		if !strings.HasPrefix(s[end:], string(closer)) {
			return 0
		}
		end++
	}
	if open == '[' && strings.HasPrefix(s[end:], "(") { // [text](url)
		return 0
	}
	inner := strings.TrimSpace(s[from : from+close])
	if !hasLetter(inner) || strings.ContainsAny(inner, "\n"+string(open)) {
		return 0
	}
	if open == '<' && !isIdent(inner, " -") { // <anna@example.com>, <a href=…>
		return 0
	}
	if isUpperWord(bracketSeparators.Replace(inner)) && utf8.RuneCountInString(inner) > 2 {
		return end
	}
	// A placeholder word inside the brackets.
	for _, m := range p.Phrases("placeholder") {
		ms, me := p.Text.OrigSpan(m.Start, m.End)
		if ms > i && me < end {
			return end
		}
	}
	return 0
}

func isIdent(s, extra string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || strings.ContainsRune(extra, r)) {
			return false
		}
	}
	return hasLetter(s)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// isUpperWord reports whether every letter of s is upper case (and s has
// cased letters).
func isUpperWord(s string) bool {
	cased := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			cased = true
		} else if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return cased
}

// checkBlankRender flags a greeting whose name a template left empty:
// "Hi ,", "Dear !", "Здравствуйте, !", «عزيزي ،». Address words that
// cannot stand without a name (phrase list needs_name: dear, عزيزي, آقای)
// count as greetings here.
func checkBlankRender(p *Pass) {
	// A greeting in Arabic script followed by " ،" may be a blank name or
	// a typing habit: a warning (shown, counted, but failing no run at the
	// default --fail-on error), unless a surer sign turns up. Every
	// labelled set reads it as a blank name (25 rows of 25).
	hintStart, hintEnd := -1, -1
	for _, list := range []string{"greeting", "needs_name"} {
		for _, m := range p.Phrases(list) {
			if p.Tokens[m.First].Sentence > p.Tokens[0].Sentence+1 {
				continue
			}
			ms, oe := p.Text.OrigSpan(m.Start, m.End)
			if end := blankAfter(p.Text.Orig, oe, list == "needs_name"); end > 0 {
				p.Report(nil, ms, end, "")
				return
			}
			if end := spaceCommaAfter(p.Text.Orig, oe); end > 0 && hintStart < 0 && !formalOpener(p.Text.Orig, ms) {
				hintStart, hintEnd = ms, end
			}
			if end := p.blankBeforeHonorific(m, oe); end > 0 {
				p.Report(nil, ms, end, "")
				return
			}
		}
	}
	if hintStart >= 0 {
		p.Report(nil, hintStart, hintEnd, Warning)
	}
}

// spaceCommaAfter returns the end of the comma when a greeting in Arabic
// script ending at byte i is followed by spaces and a comma («سلام ،»): the
// place of a name left blank, or a typing habit. 0 otherwise.
func spaceCommaAfter(s string, i int) int {
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j == i || !arabicScriptBefore(s, i) {
		return 0
	}
	for _, c := range []string{"،", ","} {
		if strings.HasPrefix(s[j:], c) {
			return j + len(c)
		}
	}
	return 0
}

// formalOpener reports whether the greeting starting at byte i is the
// formal Persian opener «با سلام» (no name is expected after it).
func formalOpener(s string, i int) bool {
	before := strings.TrimRight(s[:i], " \t\u200c")
	return strings.HasPrefix(s[i:], "با ") || strings.HasPrefix(s[i:], "با\u200c") || strings.HasSuffix(before, "با")
}

// blankBeforeHonorific returns the end of a word that follows a name
// (the after_name list: Persian «سلام  عزیز!», «جناب  گرامی») when only
// spaces, two or more, separate it from greeting m ending at byte oe: the
// name between them was left empty. 0 otherwise.
func (p *Pass) blankBeforeHonorific(m Match, oe int) int {
	for _, h := range p.Phrases("after_name") {
		if h.First != m.Last+1 {
			continue
		}
		hs, he := p.Text.OrigSpan(h.Start, h.End)
		if gap := p.Text.Orig[oe:hs]; len(gap) >= 2 && strings.Trim(gap, " \t\u00a0") == "" {
			return he
		}
	}
	return 0
}

// blankAfter looks at what follows a greeting ending at byte i and returns
// the end of a blank name ("Hi ," / "Dear !" / "Hello, !"), or 0. In Arabic
// script a space before a comma is ordinary typing («سلام ،»), so there it
// counts only after a word that needs a name.
func blankAfter(s string, i int, needsName bool) int {
	j := i
	spaces := 0
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
		spaces++
	}
	punct := func(k int) int { // length of a punctuation mark at k, 0 if none
		for _, p := range []string{",", "!", ":", "،"} {
			if strings.HasPrefix(s[k:], p) {
				return len(p)
			}
		}
		return 0
	}
	n := punct(j)
	if n == 0 {
		return 0
	}
	if spaces > 0 && (needsName || !arabicScriptBefore(s, i)) { // "Hi ," — a space where the name was
		return j + n
	}
	// "Hello, !" — punctuation, space, punctuation.
	k := j + n
	for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	if k > j+n {
		if m := punct(k); m > 0 {
			return k + m
		}
	}
	return 0
}

// arabicScriptBefore reports whether the word ending at byte i is in
// Arabic script, where a space before a comma may be a typing habit
// («سلام ،») rather than a sure sign of a missing name. Combining marks
// (the tanween of «مرحباً») are of no script: the letter before them
// decides.
func arabicScriptBefore(s string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.Is(unicode.Mn, r) {
			return unicode.Is(unicode.Arabic, r)
		}
		i -= n
	}
	return false
}

func startsWithAny(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

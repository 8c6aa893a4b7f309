package mail

import (
	"regexp"
	"strings"
	"unicode"
)

// Split separates the plain text of a reply into the agent's new text
// (body), the quoted earlier message (quoted) and the signature.
//
// Quoted text is made of ">" lines with their attribution line ("On ...
// wrote:", "... пишет:", "... написал(а):", "... كتب:", "... نوشت:"), and
// everything after an Outlook "-----Original Message-----" line or a
// "From: ... Sent: ..." ("От: ... Отправлено: ...") header block, or after
// an attribution line that no ">" line follows. The signature starts after
// a line that is exactly "-- " or "--". Quote markers are removed from
// quoted, one level deep.
//
// The body keeps its leading text byte for byte, so that offsets into it
// point into readable text; quoted lines between answers are dropped (a
// blank line keeps the answers apart) and trailing blank lines are trimmed.
func Split(text string) (body, quoted, signature string) {
	s := splitText(text)
	return s.body, s.quoted, s.signature
}

// split is the result of splitText.
type split struct {
	body, quoted, signature string
	// dateLine is the attribution or "Sent:" line, to date the quote.
	dateLine       string
	quotedBytes    int
	signatureBytes int
}

type lineKind uint8

const (
	kBody lineKind = iota
	kQuote
	kAttr
	kSigDelim
	kSig
)

func splitText(text string) split {
	var res split
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	content := make([]string, len(lines))
	for i, l := range lines {
		content[i] = strings.TrimRight(l, "\r\n")
	}
	kinds := make([]lineKind, len(lines))
	cut := len(lines)
	cutAttr := false // the tail starts with an attribution line
	for i := 0; i < len(lines); i++ {
		c := content[i]
		if isQuoteLine(c) {
			kinds[i] = kQuote
			continue
		}
		if isOriginalSeparator(c) {
			cut = i
			res.dateLine = headerDateLine(content, i+1)
			break
		}
		if isHeaderBlock(content, i) {
			cut = i
			if j := prevNonBlank(content, i); j >= 0 && j == i-1 && isRule(content[j]) && kinds[j] == kBody {
				cut = j
			}
			res.dateLine = headerDateLine(content, i)
			break
		}
		strength, start, line := attributionAt(content, kinds, i)
		if strength == 0 {
			continue
		}
		if nextIsQuote(content, i) {
			for j := start; j <= i; j++ {
				kinds[j] = kAttr
			}
			if res.dateLine == "" {
				res.dateLine = line
			}
			continue
		}
		if strength == strong {
			cut = start
			cutAttr = true
			if res.dateLine == "" {
				res.dateLine = line
			}
			break
		}
	}

	// The signature: after the first "-- " line of the agent's text.
	sig := false
	for i := 0; i < cut; i++ {
		if kinds[i] != kBody {
			continue
		}
		if sig {
			kinds[i] = kSig
		} else if content[i] == "-- " || content[i] == "--" {
			kinds[i] = kSigDelim
			sig = true
		}
	}

	var body, quoted, signature strings.Builder
	gap := false
	inQuote := false
	for i := 0; i < cut; i++ {
		switch kinds[i] {
		case kBody:
			if body.Len() == 0 && gap && strings.TrimSpace(content[i]) == "" {
				// Blank lines between a leading quote and the answer.
				continue
			}
			if gap && body.Len() > 0 && !strings.HasSuffix(body.String(), "\n\n") && strings.TrimSpace(content[i]) != "" {
				body.WriteString("\n")
			}
			gap = false
			body.WriteString(lines[i])
			inQuote = false
		case kQuote:
			gap = true
			res.quotedBytes += len(lines[i])
			if !inQuote && quoted.Len() > 0 {
				quoted.WriteString("\n")
			}
			inQuote = true
			quoted.WriteString(unquote(content[i]))
			quoted.WriteString("\n")
		case kAttr:
			gap = true
			res.quotedBytes += len(lines[i])
		case kSigDelim:
			gap = true
			res.signatureBytes += len(lines[i])
		case kSig:
			res.signatureBytes += len(lines[i])
			signature.WriteString(lines[i])
		}
	}
	if cut < len(lines) {
		for i := cut; i < len(lines); i++ {
			res.quotedBytes += len(lines[i])
		}
		tail := quotedTail(content[cut:], cutAttr)
		if tail != "" {
			if quoted.Len() > 0 {
				quoted.WriteString("\n")
			}
			quoted.WriteString(tail)
		}
	}
	res.body = trimTrailingBlank(body.String())
	res.quoted = strings.TrimSpace(quoted.String())
	res.signature = strings.TrimSpace(signature.String())
	return res
}

// trimTrailingBlank removes trailing blank lines and the white space that
// ends the last line.
func trimTrailingBlank(s string) string {
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// isQuoteLine reports whether a line is quoted with ">".
func isQuoteLine(c string) bool {
	return strings.HasPrefix(strings.TrimLeft(c, " \t"), ">")
}

// unquote removes one level of ">" and the space after it.
func unquote(c string) string {
	c = strings.TrimLeft(c, " \t")
	c = strings.TrimPrefix(c, ">")
	return strings.TrimPrefix(c, " ")
}

func prevNonBlank(content []string, i int) int {
	for j := i - 1; j >= 0; j-- {
		if strings.TrimSpace(content[j]) != "" {
			return j
		}
	}
	return -1
}

// nextIsQuote reports whether the first non-blank line after i is quoted.
func nextIsQuote(content []string, i int) bool {
	for j := i + 1; j < len(content) && j <= i+4; j++ {
		if strings.TrimSpace(content[j]) == "" {
			continue
		}
		return isQuoteLine(content[j])
	}
	return false
}

// isRule reports whether a line is a horizontal rule Outlook puts above
// its header block ("________________").
func isRule(c string) bool {
	c = strings.TrimSpace(c)
	if len(c) < 8 {
		return false
	}
	for _, r := range c {
		if r != '_' && r != '-' && r != '─' && r != '=' {
			return false
		}
	}
	return true
}

var originalRE = regexp.MustCompile(`(?i)^\s*[-_=]{2,}\s*(original message|forwarded message|исходное сообщение|пересылаемое сообщение|пересланное сообщение|الرسالة الأصلية|الرسالة الاصلية|رسالة معاد توجيهها|پیام اصلی|پیام اصلی|پیام ارسال شده|message d'origine)\s*[-_=]{2,}\s*$`)

// isOriginalSeparator matches "-----Original Message-----" and its kin.
func isOriginalSeparator(c string) bool {
	c = stripMarks(c)
	if strings.EqualFold(strings.TrimSpace(c), "Begin forwarded message:") {
		return true
	}
	return originalRE.MatchString(c)
}

// Outlook header block field names, lower case.
var (
	fromKeys = set("from", "от", "من", "از", "отправитель", "de", "von")
	dateKeys = set("sent", "date", "отправлено", "дата", "تاريخ الإرسال", "أرسلت", "أرسل", "تم الإرسال",
		"التاريخ", "بتاريخ", "ارسال", "ارسال شده", "تاریخ", "envoyé", "gesendet", "datum")
	toKeys = set("to", "кому", "إلى", "الى", "به", "subject", "тема", "الموضوع", "موضوع", "à", "objet", "an", "betreff")
	ccKeys = set("cc", "копия", "نسخة", "رونوشت", "reply-to")
)

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// fieldKey returns the lower-case name of a header-block line ("From:",
// "*Sent:*", "От :"), or "".
func fieldKey(c string) string {
	i := strings.IndexByte(c, ':')
	if i <= 0 || i > 64 {
		return ""
	}
	return strings.ToLower(strings.Trim(stripMarks(c[:i]), " \t*"))
}

func isHeaderKey(k string) bool {
	return fromKeys[k] || dateKeys[k] || toKeys[k] || ccKeys[k]
}

// isHeaderBlock reports whether line i starts an Outlook-style header
// block: "From: ..." followed within a few lines by a date field ("Sent:",
// "Отправлено:") and a "To:" or "Subject:" field.
func isHeaderBlock(content []string, i int) bool {
	if !fromKeys[fieldKey(content[i])] {
		return false
	}
	sent, to := false, false
	for j := i + 1; j < len(content) && j <= i+6; j++ {
		c := content[j]
		if strings.TrimSpace(c) == "" {
			break
		}
		k := fieldKey(c)
		switch {
		case dateKeys[k]:
			sent = true
		case toKeys[k]:
			to = true
		case isHeaderKey(k):
		case c[0] == ' ' || c[0] == '\t':
			// A folded field.
		default:
			return false
		}
		if sent && to {
			return true
		}
	}
	return false
}

// headerDateLine finds the date field of a header block starting at i.
func headerDateLine(content []string, i int) string {
	for j := i; j < len(content) && j <= i+8; j++ {
		if dateKeys[fieldKey(content[j])] {
			return content[j]
		}
	}
	return ""
}

// quotedTail turns the lines after a cut into the quoted message: the
// separator, attribution and header block are dropped, one level of ">"
// removed.
func quotedTail(lines []string, attr bool) string {
	i := 0
	skipBlank := func() {
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
	}
	if attr {
		// The attribution may span two lines.
		for i < len(lines) && i < 2 && !strings.HasSuffix(strings.TrimSpace(stripMarks(lines[i])), ":") {
			i++
		}
		i++
	} else {
		if i < len(lines) && (isRule(lines[i]) || isOriginalSeparator(lines[i])) {
			i++
		}
		skipBlank()
		for i < len(lines) && (isHeaderKey(fieldKey(lines[i])) ||
			(i > 0 && len(lines[i]) > 0 && (lines[i][0] == ' ' || lines[i][0] == '\t') && strings.TrimSpace(lines[i]) != "")) {
			i++
		}
	}
	skipBlank()
	var b strings.Builder
	for ; i < len(lines); i++ {
		if isQuoteLine(lines[i]) {
			b.WriteString(unquote(lines[i]))
		} else {
			b.WriteString(lines[i])
		}
		b.WriteByte('\n')
	}
	return strings.TrimSpace(b.String())
}

// Attribution strengths.
const (
	none   = 0
	weak   = 1 // an attribution only when ">" lines follow it
	strong = 2 // has a date or an address: quotes what follows in any case
)

// attributionAt reports whether line i (with line i-1 when the attribution
// was wrapped) attributes a quote. It returns the strength, the first line
// of the attribution and its text.
func attributionAt(content []string, kinds []lineKind, i int) (int, int, string) {
	s := attribution(content[i])
	if s == none {
		return none, i, ""
	}
	c := strings.TrimSpace(stripMarks(content[i]))
	if i > 0 && kinds[i-1] == kBody && !hasPrefixFold(c, "on ") {
		prev := strings.TrimSpace(stripMarks(content[i-1]))
		if hasPrefixFold(prev, "on ") && len(prev) < 300 {
			joined := prev + " " + c
			if js := attribution(joined); js != none {
				return js, i - 1, joined
			}
		}
	}
	return s, i, c
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

var (
	ruVerbs = []string{"пишет", "написал", "написала", "написал(а)", "написал(-а)", "писал", "писала", "писал(а)", "написали"}
	faVerbs = []string{"نوشت", "نوشته", "نوشته است", "نوشته‌است"}
	arVerbs = []string{"كتب", "كتبت", "كتب/كتبت"}
)

// attribution rates one line as an attribution line.
func attribution(line string) int {
	c := strings.TrimSpace(stripMarks(line))
	c = strings.Trim(c, "*_")
	if len(c) < 6 || len(c) > 500 {
		return none
	}
	if !strings.HasSuffix(c, ":") && !strings.HasSuffix(c, "：") {
		return none
	}
	c = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(c, ":"), "："))
	low := strings.ToLower(c)
	evidence := strings.ContainsAny(c, "@") || strings.IndexFunc(c, unicode.IsDigit) >= 0
	rate := func() int {
		if evidence {
			return strong
		}
		return weak
	}
	words := strings.FieldsFunc(low, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '،' || r == '"' || r == '\''
	})
	if len(words) < 2 {
		return none
	}
	last := words[len(words)-1]
	switch {
	case last == "wrote" || strings.HasSuffix(low, " has written") || strings.HasSuffix(low, " a écrit"):
		return rate()
	case contains(ruVerbs, last):
		return rate()
	case contains(faVerbs, last) || strings.HasSuffix(low, " نوشته است"):
		return rate()
	}
	for _, w := range words {
		if contains(arVerbs, w) {
			return rate()
		}
	}
	// Gmail in some languages: "пн, 8 янв. 2024 г. в 10:15, Иван <ivan@example.ru>".
	if strings.HasSuffix(c, ">") && strings.Contains(c, "@") && evidence && strings.IndexFunc(c, unicode.IsDigit) >= 0 {
		return weak
	}
	return none
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// stripMarks removes bidirectional formatting marks, which right-to-left
// mail clients put around names and addresses.
func stripMarks(s string) string {
	if !strings.ContainsFunc(s, isMark) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isMark(r) {
			return -1
		}
		return r
	}, s)
}

func isMark(r rune) bool {
	switch {
	case r == '\u200e', r == '\u200f', r == '\u061c', r == '\ufeff':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

package transcript

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// ReadChatLog reads a plain-text chat log, one conversation, where a turn
// starts with a line naming its speaker:
//
//	[10:02] Agent Anna: Hello, how can I help?
//	[2024-03-01 10:02:13] Customer: My order has not arrived.
//	Agent: text            Customer John: text
//	Оператор Анна: текст   Клиент: текст
//	الموظف: نص             العميل: نص
//	پشتیبان: متن           مشتری: متن
//
// The speaker is a role word, in any case, optionally followed by a name
// of up to three words, or a name followed by the role in parentheses
// ("Anna (agent):"). The role words are, for agents, agent, support,
// support agent, operator, staff, admin, representative, rep, advisor,
// specialist; оператор, агент, поддержка, техподдержка, специалист,
// консультант, менеджер, сотрудник, администратор; الموظف, موظف, الوكيل,
// الدعم, الدعم الفني, المشغل, ممثل; پشتیبان, پشتیبانی, اپراتور, کارشناس,
// کارمند, مشاور; and for customers, customer, user, client, visitor,
// end-user, guest; клиент, покупатель, пользователь, посетитель, абонент;
// العميل, عميل, الزبون, المستخدم, الزائر; مشتری, کاربر, بازدیدکننده,
// مراجعه‌کننده. They are compared ignoring case, Arabic and Persian letter
// variants (ي/ی, ك/ک, أ/إ/آ/ا), diacritics and ё/е. A bare name is
// recognised once it has appeared with its role. The timestamp, in
// brackets, in parentheses or bare, is optional: a date and time
// ("2024-03-01 10:02:13", RFC 3339, "01.03.2024 10:02") or a time alone
// ("10:02", "10:02:13", "10:02 PM"), which takes the date of the last
// full timestamp (the next day when it would go back in time), or no time
// at all when no date is known yet. A line holding only a date
// ("2024-03-01", "--- 2024-03-01 ---") sets that date.
//
// Any other line continues the previous turn; lines before the first turn
// are ignored, and blank lines at the end of a turn are dropped. The turns
// have no conversation id. A line longer than MaxLineSize is reported to
// bad and skipped. ReadChatLog returns the first error of fn or of reading
// r.
func ReadChatLog(r io.Reader, fn func(Turn) error, bad func(line int, err error)) error {
	lr := newLineReader(r)
	var (
		cur      *Turn
		text     strings.Builder
		index    int
		date     time.Time // midnight of the last full date, in its zone
		haveDate bool
		last     time.Time // time of the last turn
		names    = map[string]string{}
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		cur.Text = strings.TrimRightFunc(text.String(), unicode.IsSpace)
		t := *cur
		cur = nil
		text.Reset()
		return fn(t)
	}
	for {
		b, tooLong, err := lr.next()
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
		if tooLong {
			report(bad, lr.line, fmt.Errorf("line longer than %d bytes", MaxLineSize))
			continue
		}
		s := string(b)
		if lr.line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if d, ok := dateLine(s); ok {
			date, haveDate = d, true
			continue
		}
		sp, ok := parseSpeaker(s, names)
		if !ok {
			if cur != nil {
				if text.Len() > 0 {
					text.WriteByte('\n')
				}
				text.WriteString(s)
			}
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		var when time.Time
		switch {
		case sp.full:
			when = sp.time
			y, mo, d := when.Date()
			date, haveDate = time.Date(y, mo, d, 0, 0, 0, 0, when.Location()), true
		case sp.clock >= 0 && haveDate:
			when = date.Add(sp.clock)
			if !last.IsZero() && when.Before(last) && last.Sub(when) > time.Hour {
				date = date.AddDate(0, 0, 1)
				when = date.Add(sp.clock)
			}
		}
		if !when.IsZero() {
			last = when
		}
		index++
		cur = &Turn{Role: sp.role, Author: sp.name, Time: when, Line: lr.line, Index: index}
		text.WriteString(sp.text)
	}
}

// agentWords and customerWords are the speaker words ReadChatLog
// recognises, compared after folding case, Arabic letter variants
// (ي/ی, ك/ک, أ/إ/آ/ا), diacritics and ё.
var (
	agentWords = []string{
		"agent", "support", "support agent", "operator", "staff", "admin", "representative", "rep", "advisor", "specialist",
		"оператор", "агент", "поддержка", "техподдержка", "специалист", "консультант", "менеджер", "сотрудник", "администратор",
		"الموظف", "موظف", "الوكيل", "وكيل", "الدعم", "الدعم الفني", "المشغل", "مشغل", "ممثل", "الممثل", "ممثل الدعم",
		"پشتیبان", "پشتیبانی", "اپراتور", "کارشناس", "کارمند", "مشاور",
	}
	customerWords = []string{
		"customer", "user", "client", "visitor", "end-user", "end_user", "guest",
		"клиент", "покупатель", "пользователь", "посетитель", "абонент",
		"العميل", "عميل", "الزبون", "زبون", "المستخدم", "مستخدم", "الزائر", "زائر",
		"مشتری", "کاربر", "بازدیدکننده", "مراجعه‌کننده",
	}
)

// speaker is a parsed speaker line.
type speaker struct {
	role, name, text string
	full             bool          // time is a full timestamp
	time             time.Time     // when full
	clock            time.Duration // time of day when only a time is given; -1 when none
}

var (
	// a leading timestamp, in brackets, in parentheses, or bare and then
	// followed by space; digits may be Eastern Arabic or Persian.
	tsDigit   = `[0-9٠-٩۰-۹]`
	tsClock   = tsDigit + `{1,2}:` + tsDigit + `{2}(?::` + tsDigit + `{2}(?:[.,]` + tsDigit + `+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?`
	tsDate    = `(?:` + tsDigit + `{4}[-/.]` + tsDigit + `{1,2}[-/.]` + tsDigit + `{1,2}|` + tsDigit + `{1,2}\.` + tsDigit + `{1,2}\.` + tsDigit + `{4})`
	tsFull    = tsDate + `(?:[ T,]\s*` + tsClock + `(?:\s?(?:Z|[+-]` + tsDigit + `{2}:?` + tsDigit + `{2}|UTC|GMT))?)?`
	tsAny     = `(?:` + tsFull + `|` + tsClock + `)`
	tsPrefix  = regexp.MustCompile(`^(?:\[\s*(` + tsAny + `)\s*\]|\(\s*(` + tsAny + `)\s*\)|(` + tsAny + `)(?:\s+[-–|]|\s*[-–|]?\s+|\s*$))\s*`)
	dateOnly  = regexp.MustCompile(`^[\s\-=*#_[(]*(` + tsDate + `)[\s\-=*#_\])]*$`)
	clockOnly = regexp.MustCompile(`^(` + tsDigit + `{1,2}):(` + tsDigit + `{2})(?::(` + tsDigit + `{2})(?:[.,](` + tsDigit + `+))?)?(?:\s?([AaPp])\.?[Mm]\.?)?$`)
)

// dateLine recognises a line holding only a date.
func dateLine(s string) (time.Time, bool) {
	m := dateOnly.FindStringSubmatch(strings.TrimFunc(s, isBidi))
	if m == nil {
		return time.Time{}, false
	}
	d := asciiDigits(m[1])
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006.01.02", "02.01.2006", "2006-1-2", "2.1.2006"} {
		if t, err := time.Parse(layout, d); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseSpeaker recognises a line that starts a turn; names maps the
// folded names seen with a role to it, and learns new ones.
func parseSpeaker(line string, names map[string]string) (speaker, bool) {
	sp := speaker{clock: -1}
	s := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || isBidi(r) })
	if m := tsPrefix.FindStringSubmatchIndex(s); m != nil {
		var ts string
		for g := 1; g <= 3; g++ {
			if m[2*g] >= 0 {
				ts = s[m[2*g]:m[2*g+1]]
			}
		}
		if !parseStamp(ts, &sp) {
			return speaker{}, false
		}
		s = s[m[1]:]
	}
	colon := strings.IndexAny(s, ":：")
	if colon <= 0 || colon > 80 {
		return speaker{}, false
	}
	head := strings.TrimFunc(s[:colon], func(r rune) bool { return unicode.IsSpace(r) || isBidi(r) })
	size := len("：")
	if s[colon] == ':' {
		size = 1
	}
	rest := s[colon+size:]
	if rest != "" && !startsWithSpace(rest) {
		return speaker{}, false // "https://", "10:02", "note:x"
	}
	words := strings.Fields(head)
	if len(words) == 0 || len(words) > 5 {
		return speaker{}, false
	}
	role, name, ok := speakerRole(words)
	if !ok {
		r, known := names[fold(strings.Join(words, " "))]
		if !known {
			return speaker{}, false
		}
		role, name = r, strings.Join(words, " ")
	} else if name != "" {
		names[fold(name)] = role
	}
	sp.role, sp.name = role, name
	sp.text = strings.TrimLeftFunc(rest, unicode.IsSpace)
	return sp, true
}

// speakerRole finds the role in the words before the colon: a role word
// (one or two words) and then a name of up to three words, or a name and
// the role in parentheses.
func speakerRole(words []string) (role, name string, ok bool) {
	for n := min(2, len(words)); n >= 1; n-- {
		if role, ok := roleWords[fold(strings.Join(words[:n], " "))]; ok {
			rest := words[n:]
			if len(rest) > 3 {
				return "", "", false
			}
			name := strings.Trim(strings.Join(rest, " "), "()[]-–,")
			return role, strings.TrimSpace(name), true
		}
	}
	last := words[len(words)-1]
	if len(words) >= 2 && len(words) <= 4 && strings.HasPrefix(last, "(") && strings.HasSuffix(last, ")") {
		if role, ok := roleWords[fold(strings.Trim(last, "()"))]; ok {
			return role, strings.Join(words[:len(words)-1], " "), true
		}
	}
	return "", "", false
}

// parseStamp reads a timestamp into sp.
func parseStamp(ts string, sp *speaker) bool {
	ts = asciiDigits(strings.TrimSpace(ts))
	if m := clockOnly.FindStringSubmatch(ts); m != nil {
		h, mi, sec := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if m[5] != "" {
			if h < 1 || h > 12 {
				return false
			}
			h %= 12
			if m[5] == "p" || m[5] == "P" {
				h += 12
			}
		}
		if h > 23 || mi > 59 || sec > 60 {
			return false
		}
		sp.clock = time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second
		if m[4] != "" {
			frac := (m[4] + "000000000")[:9]
			sp.clock += time.Duration(atoi(frac))
		}
		return true
	}
	norm := strings.Replace(ts, ",", " ", 1)
	norm = strings.Join(strings.Fields(norm), " ")
	t, err := ParseTime(norm)
	if err != nil {
		for _, layout := range []string{"2006/01/02 15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 MST", "2006-01-02 15:04 MST", "2006-01-02 3:04 PM", "2006-01-02 3:04:05 PM", "02.01.2006", "2006/01/02"} {
			if t, err = time.Parse(layout, norm); err == nil {
				break
			}
		}
	}
	if err != nil {
		return false
	}
	sp.full, sp.time = true, t
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 9; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// roleWords maps folded speaker words to roles.
var roleWords = func() map[string]string {
	m := map[string]string{}
	for _, w := range agentWords {
		m[fold(w)] = RoleAgent
	}
	for _, w := range customerWords {
		m[fold(w)] = RoleCustomer
	}
	return m
}()

// fold normalises a speaker word for comparison: lower case, ё as е,
// Persian and Arabic letter variants unified, diacritics, tatweel and
// bidi marks dropped, ZWNJ as a space.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'ё':
			r = 'е'
		case r == 'ی' || r == 'ى':
			r = 'ي'
		case r == 'ک':
			r = 'ك'
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ة':
			r = 'ه'
		case r == '\u200c':
			r = ' '
		case r == 'ـ' || (r >= '\u064b' && r <= '\u065f') || r == '\u0670' || isBidi(r):
			continue
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func isBidi(r rune) bool {
	switch r {
	case '\u200e', '\u200f', '\u061c', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff':
		return true
	}
	return false
}

func startsWithSpace(s string) bool {
	for _, r := range s {
		return unicode.IsSpace(r)
	}
	return false
}

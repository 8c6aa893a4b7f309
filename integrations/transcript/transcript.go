// Package transcript reads chat transcripts and helpdesk exports and turns
// the agent's turns into analyzer documents.
//
// Four input formats are read, all streaming, none of them ever panicking:
//
//   - JSONL (ReadJSONL): one turn object per line, fields named by a Mapping.
//   - JSON (ReadJSON): an array of turn objects, or a helpdesk export
//     (Zendesk-like tickets with comments; see ReadJSON for the exact shape).
//   - CSV (ReadCSV): a header row naming the columns, one turn per record.
//   - Plain chat logs (ReadChatLog): "[10:02] Agent Anna: text" lines in
//     English, Russian, Arabic or Persian.
//
// Every reader calls fn for each turn, in input order, and bad for each
// line or record that cannot be read, then goes on with the rest of the
// input. A reader returns an error only when reading the input fails or fn
// returns one; a nil bad callback drops the reports.
//
// Turns become conversations with Group (everything in memory) or
// Conversations (streaming, bounded memory), and a conversation becomes
// one analyzer.Document per agent turn with Documents: the agent's text is
// linted, the customer's turns are its context.
package transcript

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Turn is one message of a conversation.
type Turn struct {
	Conversation string    // conversation (ticket, chat) id; "" when the input has none
	Role         string    // "agent" or "customer"
	Author       string    // the author's name, when known
	Text         string    // the message
	Time         time.Time // when it was written; zero when unknown
	Line         int       // 1-based line (or CSV record start line) of the input where the turn starts
	Index        int       // 1-based turn number within its conversation
}

// The roles of a turn.
const (
	RoleAgent    = "agent"
	RoleCustomer = "customer"
)

// MaxLineSize is the longest line ReadJSONL and ReadChatLog accept; a
// longer line is reported as bad and skipped.
const MaxLineSize = 1 << 20

// Mapping names the fields of the input that hold each part of a turn. A
// name with dots ("author.name") reaches into nested JSON objects; a field
// whose name itself contains dots is found first. CSV columns are matched
// by name, exactly or else ignoring case. Empty fields take their default.
type Mapping struct {
	Conversation string // default "conversation_id"
	Role         string // default "role"
	Author       string // default "author"; a JSON object there gives its "name"
	Text         string // default "text"
	Timestamp    string // default "timestamp"

	// AgentValues and CustomerValues are the values of the role field that
	// mean an agent and a customer, compared ignoring case and surrounding
	// space. Defaults: DefaultAgentValues and DefaultCustomerValues.
	AgentValues    []string
	CustomerValues []string
}

// DefaultAgentValues are the role values that mean an agent by default.
var DefaultAgentValues = []string{"agent", "support", "operator", "staff", "admin"}

// DefaultCustomerValues are the role values that mean a customer by default.
var DefaultCustomerValues = []string{"customer", "user", "client", "end-user", "end_user", "visitor"}

// DefaultMapping returns the mapping used for empty fields.
func DefaultMapping() Mapping {
	return Mapping{
		Conversation:   "conversation_id",
		Role:           "role",
		Author:         "author",
		Text:           "text",
		Timestamp:      "timestamp",
		AgentValues:    DefaultAgentValues,
		CustomerValues: DefaultCustomerValues,
	}
}

// withDefaults fills the empty fields of m.
func (m Mapping) withDefaults() Mapping {
	d := DefaultMapping()
	if m.Conversation == "" {
		m.Conversation = d.Conversation
	}
	if m.Role == "" {
		m.Role = d.Role
	}
	if m.Author == "" {
		m.Author = d.Author
	}
	if m.Text == "" {
		m.Text = d.Text
	}
	if m.Timestamp == "" {
		m.Timestamp = d.Timestamp
	}
	if len(m.AgentValues) == 0 {
		m.AgentValues = d.AgentValues
	}
	if len(m.CustomerValues) == 0 {
		m.CustomerValues = d.CustomerValues
	}
	return m
}

// ParseMapping parses a mapping given on the command line as
// comma-separated key=value pairs, for example
// "text=body,role=sender_type,timestamp=created_at". The keys are
// conversation (or conversation_id), role, author, text and timestamp
// (or time), naming fields, and agent and customer, listing role values
// separated by "|" ("agent=agent|bot"). Keys not given keep their default.
func ParseMapping(spec string) (Mapping, error) {
	var m Mapping
	seen := map[string]bool{}
	for pair := range strings.SplitSeq(spec, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		key, val, ok := strings.Cut(pair, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		if !ok {
			return Mapping{}, fmt.Errorf("mapping %q: want key=value", pair)
		}
		if val == "" {
			return Mapping{}, fmt.Errorf("mapping %q: empty value", pair)
		}
		var dst *string
		switch key {
		case "conversation", "conversation_id":
			key, dst = "conversation", &m.Conversation
		case "role":
			dst = &m.Role
		case "author":
			dst = &m.Author
		case "text":
			dst = &m.Text
		case "timestamp", "time":
			key, dst = "timestamp", &m.Timestamp
		case "agent", "customer":
		default:
			return Mapping{}, fmt.Errorf("mapping %q: unknown key %q (want conversation, role, author, text, timestamp, agent or customer)", pair, key)
		}
		if seen[key] {
			return Mapping{}, fmt.Errorf("mapping: key %q given twice", key)
		}
		seen[key] = true
		if dst != nil {
			*dst = val
			continue
		}
		var vals []string
		for v := range strings.SplitSeq(val, "|") {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if key == "agent" {
			m.AgentValues = vals
		} else {
			m.CustomerValues = vals
		}
	}
	return m, nil
}

// String formats m as ParseMapping reads it, listing only fields that are
// set.
func (m Mapping) String() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("conversation", m.Conversation)
	add("role", m.Role)
	add("author", m.Author)
	add("text", m.Text)
	add("timestamp", m.Timestamp)
	add("agent", strings.Join(m.AgentValues, "|"))
	add("customer", strings.Join(m.CustomerValues, "|"))
	return strings.Join(parts, ",")
}

// role classifies a role value: "agent", "customer" or "" when unknown.
func (m *Mapping) role(v string) string {
	v = strings.TrimSpace(v)
	for _, a := range m.AgentValues {
		if strings.EqualFold(v, strings.TrimSpace(a)) {
			return RoleAgent
		}
	}
	for _, c := range m.CustomerValues {
		if strings.EqualFold(v, strings.TrimSpace(c)) {
			return RoleCustomer
		}
	}
	return ""
}

// fieldValue is a field of a record: a scalar as text (a string, a
// number as written, true or false), null, or a JSON object or array kept
// as decoded (the author may be an object with a name).
type fieldValue struct {
	text  string
	null  bool
	value any // map[string]any or []any; nil for a scalar
}

// anyField is the fieldValue of a value decoded by encoding/json.
func anyField(v any) fieldValue {
	switch v := v.(type) {
	case nil:
		return fieldValue{null: true}
	case string:
		return fieldValue{text: v}
	case map[string]any, []any:
		return fieldValue{value: v}
	}
	s, err := scalar(v)
	if err != nil {
		return fieldValue{value: v}
	}
	return fieldValue{text: s}
}

// scalar returns the field as a string; an object or array is an error.
func (v fieldValue) scalar() (string, error) {
	if v.value != nil {
		return scalar(v.value)
	}
	return v.text, nil
}

// fieldGetter returns a field of a record; ok is false when the record
// has no such field.
type fieldGetter func(name string) (v fieldValue, ok bool)

// turn builds a turn from a record; conversation, role and text are
// required (conversation may be absent, but not of the wrong type).
func (m *Mapping) turn(get fieldGetter) (Turn, error) {
	var t Turn
	var err error
	if v, ok := get(m.Conversation); ok && !v.null {
		if t.Conversation, err = v.scalar(); err != nil {
			return Turn{}, fmt.Errorf("field %q: %w", m.Conversation, err)
		}
	}
	v, ok := get(m.Role)
	if !ok || v.null {
		return Turn{}, fmt.Errorf("no role field %q", m.Role)
	}
	rv, err := v.scalar()
	if err != nil {
		return Turn{}, fmt.Errorf("field %q: %w", m.Role, err)
	}
	if t.Role = m.role(rv); t.Role == "" {
		return Turn{}, fmt.Errorf("field %q: unknown role %q (want one of %s or %s)", m.Role, rv,
			strings.Join(m.AgentValues, ", "), strings.Join(m.CustomerValues, ", "))
	}
	v, ok = get(m.Text)
	if !ok {
		return Turn{}, fmt.Errorf("no text field %q", m.Text)
	}
	if !v.null {
		if t.Text, err = v.scalar(); err != nil {
			return Turn{}, fmt.Errorf("field %q: %w", m.Text, err)
		}
	}
	if v, ok := get(m.Author); ok && !v.null {
		if obj, isObj := v.value.(map[string]any); isObj {
			v = anyField(obj["name"])
		}
		if !v.null {
			if t.Author, err = v.scalar(); err != nil {
				return Turn{}, fmt.Errorf("field %q: %w", m.Author, err)
			}
		}
	}
	if v, ok := get(m.Timestamp); ok && !v.null {
		s, err := v.scalar()
		if err != nil {
			return Turn{}, fmt.Errorf("field %q: %w", m.Timestamp, err)
		}
		if t.Time, err = ParseTime(s); err != nil {
			return Turn{}, fmt.Errorf("field %q: %w", m.Timestamp, err)
		}
	}
	return t, nil
}

// scalar turns a decoded JSON or CSV value into a string.
func scalar(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case fmt.Stringer: // json.Number
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	case nil:
		return "", nil
	case map[string]any:
		return "", errors.New("an object, want a string")
	case []any:
		return "", errors.New("an array, want a string")
	}
	return "", fmt.Errorf("unexpected %T, want a string", v)
}

// lookup finds a field of a JSON object, following dots into nested
// objects when the object has no field with the whole name.
func lookup(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	if !strings.Contains(name, ".") {
		return nil, false
	}
	var cur any = obj
	for part := range strings.SplitSeq(name, ".") {
		o, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = o[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// timeLayouts are the textual timestamps ParseTime accepts, tried in
// order. Layouts without a zone are read as UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 MST",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"02.01.2006 15:04:05",
	"02.01.2006 15:04",
	time.RubyDate, // Twitter: "Tue Oct 31 21:45:10 +0000 2017"
	time.UnixDate,
	time.RFC1123Z,
	time.RFC1123,
	time.RFC850,
	"2006-01-02",
}

// ParseTime parses a timestamp: RFC 3339 ("2024-03-01T10:02:13Z",
// fractional seconds allowed), "2006-01-02 15:04:05" and its variants
// with a zone, without seconds or with a "T", "02.01.2006 15:04", the
// Twitter/Ruby and RFC 1123 forms, a bare date, or a Unix time in seconds,
// milliseconds, microseconds or nanoseconds (told apart by magnitude).
// Eastern Arabic and Persian digits are accepted. An empty string gives
// the zero time.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(asciiDigits(s))
	if s == "" {
		return time.Time{}, nil
	}
	if t, ok := parseUnix(s); ok {
		return t, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q", clip(s, 40))
}

// parseUnix parses a Unix time, possibly negative or fractional.
func parseUnix(s string) (time.Time, bool) {
	digits := strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(digits, ".")
	if intPart == "" || len(intPart) > 19 || !allDigits(intPart) || (hasFrac && (frac == "" || !allDigits(frac))) {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	abs := f
	if abs < 0 {
		abs = -abs
	}
	switch {
	case abs >= 1e17: // nanoseconds
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(0, n).UTC(), true
	case abs >= 1e14: // microseconds
		return time.UnixMicro(int64(f)).UTC(), true
	case abs >= 1e11: // milliseconds
		return time.UnixMilli(int64(f)).UTC(), true
	}
	sec := int64(f)
	nsec := int64((f - float64(sec)) * 1e9)
	return time.Unix(sec, nsec).UTC(), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// asciiDigits replaces Eastern Arabic (٠-٩) and Persian (۰-۹) digits
// with ASCII ones.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, isNonASCIIDigit) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		}
		return r
	}, s)
}

func isNonASCIIDigit(r rune) bool {
	return (r >= '٠' && r <= '٩') || (r >= '۰' && r <= '۹')
}

// clip shortens s for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// counter numbers the turns of each conversation. Its memory is bounded
// like a Grouper's: a conversation with no turn in FlushAfter turns is
// forgotten, and numbered afresh if it goes on (as the Grouper emits it
// again), so that a file of millions of conversations streams in constant
// memory.
type counter struct {
	seen map[string]counted
	n    int // turns counted
}

type counted struct{ turns, last int }

func newCounter() *counter { return &counter{seen: map[string]counted{}} }

func (c *counter) next(conv string) int {
	c.n++
	if c.n%FlushAfter == 0 {
		for id, e := range c.seen {
			if c.n-e.last > FlushAfter {
				delete(c.seen, id)
			}
		}
	}
	e := c.seen[conv]
	e.turns++
	e.last = c.n
	c.seen[conv] = e
	return e.turns
}

// report calls bad if it is not nil.
func report(bad func(int, error), line int, err error) {
	if bad != nil {
		bad(max(line, 1), err)
	}
}

package transcript

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadJSON reads a JSON document holding turns, in one of these shapes:
//
//  1. An array of turn objects whose fields m names, as in JSONL:
//     [{"conversation_id": "c1", "role": "agent", "text": "...", ...}, ...]
//  2. A helpdesk ticket (Zendesk-like): an object with a "comments" array.
//  3. An array of tickets, or an object {"tickets": [...]}; the elements of
//     one array may mix tickets and turn objects.
//  4. {"ticket": {...}, "comments": [...], "users": [...]}, the ticket and
//     its comments fetched apart (Zendesk's ticket and ticket-comments API
//     responses merged), comments and users possibly only at the top.
//  5. A single turn object.
//
// A ticket is read with fixed field names (m's role values still apply):
//
//	{"id": 123,                          // the conversation id
//	 "requester_id": 5, "requester": {"id": 5, "name": "Mary Johnson"},
//	 "assignee_id": 7,
//	 "comments": [{"author_id": 5,       // or "author": {"id": 5, "name": "...", "role": "end-user"}
//	               "plain_body": "...",  // or "body"; plain_body is preferred
//	               "created_at": "2024-03-01T10:02:13Z",
//	               "public": true}, ...],
//	 "users": [{"id": 5, "name": "Mary Johnson", "role": "end-user"},
//	           {"id": 7, "name": "Anna", "role": "agent"}]}
//
// Users may also be sideloaded at the top level, next to "tickets" or
// "ticket". A comment's role is its author's role ("agent" and "admin"
// mean agent, "end-user" customer, with m's values), looked up in
// "author" and then "users"; an author with no role is the customer when
// they are the requester and the agent when they are the assignee. A
// comment whose author's role cannot be told is reported as bad. Private
// comments ("public": false, internal notes the customer never sees) are
// skipped: they are neither linted nor context.
//
// The elements of a top-level array are read one at a time, so a large
// array is streamed; a top-level object is read whole. An element that is
// not a turn or a ticket is reported to bad with the line where it starts
// and skipped. A syntax error ends the reading: it is reported to bad with
// its line, and ReadJSON returns nil, as the rest cannot be parsed.
// ReadJSON returns the first error of fn or of reading r.
func ReadJSON(r io.Reader, m Mapping, fn func(Turn) error, bad func(line int, err error)) error {
	m = m.withDefaults()
	lc := &lineCounter{r: r}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	jr := &jsonReader{m: &m, fn: fn, bad: bad, turns: newCounter()}

	// syntax reports a syntax error (returning nil) or passes on an I/O error.
	syntax := func(err error) error {
		if lc.err != nil && errors.Is(err, lc.err) {
			return err
		}
		var line int
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			line = lc.lineAt(se.Offset)
		case errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF:
			line = lc.lastLine()
		default:
			line = lc.lineAt(dec.InputOffset())
		}
		report(bad, line, fmt.Errorf("invalid JSON: %s", jsonErr(err)))
		return nil
	}

	tok, err := dec.Token()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return syntax(err)
	}
	switch tok {
	case json.Delim('['):
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return syntax(err)
			}
			line := lc.lineAt(dec.InputOffset() - int64(len(raw)))
			if err := jr.element(rawAt{raw, line}, nil); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return syntax(err)
		}
	case json.Delim('{'):
		start := lc.lineAt(dec.InputOffset() - 1)
		obj := map[string]rawAt{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return syntax(err)
			}
			key, _ := kt.(string)
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return syntax(err)
			}
			obj[key] = rawAt{raw, lc.lineAt(dec.InputOffset() - int64(len(raw)))}
		}
		if _, err := dec.Token(); err != nil {
			return syntax(err)
		}
		if err := jr.topObject(start, obj); err != nil {
			return err
		}
	default:
		report(bad, 1, fmt.Errorf("want a JSON array or object, got %v", tok))
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the top-level value")
		}
		return syntax(err)
	}
	return nil
}

// rawAt is a JSON value and the input line where it starts.
type rawAt struct {
	raw  json.RawMessage
	line int
}

// lineAt returns the line of the byte at offset off of the value.
func (v rawAt) lineAt(off int) int {
	return v.line + bytes.Count(v.raw[:min(off, len(v.raw))], []byte("\n"))
}

type jsonReader struct {
	m     *Mapping
	fn    func(Turn) error
	bad   func(int, error)
	turns *counter
}

func (jr *jsonReader) emit(t Turn) error {
	t.Index = jr.turns.next(t.Conversation)
	return jr.fn(t)
}

// topObject reads a top-level object, its members already split.
func (jr *jsonReader) topObject(line int, obj map[string]rawAt) error {
	users := obj["users"]
	if tickets, ok := obj["tickets"]; ok {
		elems, err := elements(tickets)
		if err != nil {
			report(jr.bad, tickets.line, fmt.Errorf("\"tickets\": %v", err))
			return nil
		}
		for _, e := range elems {
			if err := jr.element(e, &users); err != nil {
				return err
			}
		}
		return nil
	}
	if tk, ok := obj["ticket"]; ok {
		parts, err := members(tk)
		if err != nil {
			report(jr.bad, tk.line, fmt.Errorf("\"ticket\": %v", err))
			return nil
		}
		if _, ok := parts["comments"]; !ok {
			if c, ok := obj["comments"]; ok {
				parts["comments"] = c
			}
		}
		return jr.ticket(tk.line, parts, &users)
	}
	if _, ok := obj["comments"]; ok {
		return jr.ticket(line, obj, nil)
	}
	return jr.turnObject(line, obj)
}

// element reads an element of a top-level array or of "tickets": a
// ticket or a turn object.
func (jr *jsonReader) element(v rawAt, users *rawAt) error {
	parts, err := members(v)
	if err != nil {
		report(jr.bad, v.line, err)
		return nil
	}
	if _, ok := parts["comments"]; ok {
		return jr.ticket(v.line, parts, users)
	}
	return jr.turnObject(v.line, parts)
}

// turnObject reads a turn object with the mapping.
func (jr *jsonReader) turnObject(line int, parts map[string]rawAt) error {
	obj := make(map[string]any, len(parts))
	for k, p := range parts {
		val, err := decodeValue(p.raw)
		if err != nil {
			report(jr.bad, p.line, err)
			return nil
		}
		obj[k] = val
	}
	t, err := jr.m.turn(objectGetter(obj))
	if err != nil {
		report(jr.bad, line, err)
		return nil
	}
	t.Line = line
	return jr.emit(t)
}

// user is an author of ticket comments.
type user struct {
	name, role string
}

// ticket reads a helpdesk ticket whose members are parts; top are users
// sideloaded at the top level, if any.
func (jr *jsonReader) ticket(line int, parts map[string]rawAt, top *rawAt) error {
	id := ""
	if p, ok := parts["id"]; ok {
		v, _ := decodeValue(p.raw)
		id, _ = scalar(v)
		if _, isObj := v.(map[string]any); isObj {
			id = ""
		}
	}
	users := map[string]user{}
	for _, u := range []*rawAt{top, ptr(parts["users"])} {
		if u == nil || u.raw == nil {
			continue
		}
		var list []map[string]any
		if err := unmarshal(u.raw, &list); err != nil {
			report(jr.bad, u.line, fmt.Errorf("%s: \"users\": %v", ticketName(id), err))
			continue
		}
		for _, obj := range list {
			uid := str(obj["id"])
			if uid != "" {
				users[uid] = user{name: str(obj["name"]), role: str(obj["role"])}
			}
		}
	}
	var requester, assignee string
	var requesterName string
	if p, ok := parts["requester"]; ok {
		if v, err := decodeValue(p.raw); err == nil {
			if obj, ok := v.(map[string]any); ok {
				requester, requesterName = str(obj["id"]), str(obj["name"])
			}
		}
	}
	if p, ok := parts["requester_id"]; ok {
		if v, err := decodeValue(p.raw); err == nil && str(v) != "" {
			requester = str(v)
		}
	}
	if p, ok := parts["assignee_id"]; ok {
		if v, err := decodeValue(p.raw); err == nil {
			assignee = str(v)
		}
	}
	if requester != "" && requesterName != "" {
		if u := users[requester]; u.name == "" {
			u.name = requesterName
			users[requester] = u
		}
	}

	comments, ok := parts["comments"]
	if !ok {
		report(jr.bad, line, fmt.Errorf("%s: no \"comments\"", ticketName(id)))
		return nil
	}
	elems, err := elements(comments)
	if err != nil {
		report(jr.bad, comments.line, fmt.Errorf("%s: \"comments\": %v", ticketName(id), err))
		return nil
	}
	for i, e := range elems {
		t, skip, err := jr.comment(e, users, requester, assignee)
		if err != nil {
			report(jr.bad, e.line, fmt.Errorf("%s, comment %d: %v", ticketName(id), i+1, err))
			continue
		}
		if skip {
			continue
		}
		t.Conversation = id
		t.Line = e.line
		if err := jr.emit(t); err != nil {
			return err
		}
	}
	return nil
}

// comment reads one ticket comment; skip is set for private notes.
func (jr *jsonReader) comment(e rawAt, users map[string]user, requester, assignee string) (t Turn, skip bool, err error) {
	v, err := decodeValue(e.raw)
	if err != nil {
		return Turn{}, false, err
	}
	c, ok := v.(map[string]any)
	if !ok {
		return Turn{}, false, fmt.Errorf("want an object, got %s", jsonKind(v))
	}
	if pub, ok := c["public"].(bool); ok && !pub {
		return Turn{}, true, nil
	}
	authorID := str(c["author_id"])
	var roleValue string
	if a, ok := c["author"].(map[string]any); ok {
		t.Author, roleValue = str(a["name"]), str(a["role"])
		if authorID == "" {
			authorID = str(a["id"])
		}
	}
	u := users[authorID]
	if t.Author == "" {
		t.Author = u.name
	}
	if roleValue == "" {
		roleValue = u.role
	}
	switch {
	case roleValue != "":
		if t.Role = jr.m.role(roleValue); t.Role == "" {
			return Turn{}, false, fmt.Errorf("author %s: unknown role %q", authorID, roleValue)
		}
	case authorID != "" && authorID == requester:
		t.Role = RoleCustomer
	case authorID != "" && authorID == assignee:
		t.Role = RoleAgent
	default:
		return Turn{}, false, fmt.Errorf("cannot tell the role of author %q (no author.role, users entry, requester or assignee)", authorID)
	}
	body, hasBody := c["plain_body"].(string)
	if strings.TrimSpace(body) == "" {
		var b string
		if b, ok = c["body"].(string); ok {
			body, hasBody = b, true
		}
	}
	if !hasBody {
		return Turn{}, false, errors.New("no \"plain_body\" or \"body\"")
	}
	t.Text = body
	if ts := str(c["created_at"]); ts != "" {
		if t.Time, err = ParseTime(ts); err != nil {
			return Turn{}, false, fmt.Errorf("\"created_at\": %v", err)
		}
	}
	return t, false, nil
}

func ticketName(id string) string {
	if id == "" {
		return "ticket"
	}
	return "ticket " + id
}

func ptr(v rawAt) *rawAt { return &v }

// str formats a JSON scalar; objects and arrays give "".
func str(v any) string {
	s, err := scalar(v)
	if err != nil {
		return ""
	}
	return s
}

// decodeValue decodes a JSON value keeping numbers as json.Number.
func decodeValue(raw []byte) (any, error) {
	var v any
	if err := unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}

func unmarshal(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON: %s", jsonErr(err))
	}
	return nil
}

// members splits a JSON object into its members, each with its line. A
// repeated key keeps its last value, as encoding/json does.
func members(v rawAt) (map[string]rawAt, error) {
	dec := json.NewDecoder(bytes.NewReader(v.raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %s", jsonErr(err))
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("want a JSON object, got %s", tokenKind(tok))
	}
	out := map[string]rawAt{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %s", jsonErr(err))
		}
		key, _ := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("invalid JSON: %s", jsonErr(err))
		}
		out[key] = rawAt{raw, v.lineAt(int(dec.InputOffset()) - len(raw))}
	}
	return out, nil
}

// elements splits a JSON array into its elements, each with its line.
func elements(v rawAt) ([]rawAt, error) {
	dec := json.NewDecoder(bytes.NewReader(v.raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %s", jsonErr(err))
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("want an array, got %s", tokenKind(tok))
	}
	var out []rawAt
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("invalid JSON: %s", jsonErr(err))
		}
		out = append(out, rawAt{raw, v.lineAt(int(dec.InputOffset()) - len(raw))})
	}
	return out, nil
}

func tokenKind(tok json.Token) string {
	switch tok {
	case json.Delim('{'):
		return "an object"
	case json.Delim('['):
		return "an array"
	}
	return jsonKind(tok)
}

// lineCounter passes reads through and maps input offsets to line
// numbers. It keeps the bytes read since the last offset asked for, so
// offsets must be asked for in increasing order (an earlier one gives the
// last line known).
type lineCounter struct {
	r       io.Reader
	err     error  // the first read error other than io.EOF
	buf     []byte // bytes from offset base on
	base    int64
	line    int // line of the byte at base, minus 1
	started bool
}

func (lc *lineCounter) Read(p []byte) (int, error) {
	n, err := lc.r.Read(p)
	if !lc.started && n > 0 {
		lc.started = true
		if bytes.HasPrefix(p[:n], bom) {
			copy(p, p[len(bom):n])
			n -= len(bom)
			lc.base -= int64(len(bom)) // offsets seen by the decoder exclude it
			lc.buf = append(lc.buf, bom...)
		}
	}
	lc.buf = append(lc.buf, p[:n]...)
	if err != nil && err != io.EOF && lc.err == nil {
		lc.err = err
	}
	return n, err
}

// lastLine returns the line of the last byte read.
func (lc *lineCounter) lastLine() int {
	return lc.line + 1 + bytes.Count(bytes.TrimSuffix(lc.buf, []byte("\n")), []byte("\n"))
}

// lineAt returns the 1-based line of the byte at offset off.
func (lc *lineCounter) lineAt(off int64) int {
	k := off - lc.base
	if k > 0 {
		k = min(k, int64(len(lc.buf)))
		lc.line += bytes.Count(lc.buf[:k], []byte("\n"))
		lc.buf = lc.buf[k:]
		lc.base += k
		if len(lc.buf) == 0 {
			lc.buf = nil
		}
	}
	return lc.line + 1
}

package transcript

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
)

// The formats Sniff tells apart.
const (
	FormatJSONL   = "jsonl"
	FormatJSON    = "json"
	FormatCSV     = "csv"
	FormatChatLog = "chatlog"
)

// Sniff guesses the format of a transcript from its file name and the
// first bytes of its content (a few kilobytes are enough): "jsonl",
// "json", "csv", "chatlog", or "" when it does not look like a transcript
// (a plain message, an email). The extensions .jsonl, .ndjson, .csv and
// .tsv decide alone; a .json file holding one object per line is JSONL;
// otherwise the content decides: a '[' or a multi-line object is JSON,
// an object per line JSONL, a header row naming a role and a text column
// CSV, and two or more "Agent: ..." speaker lines among the first twenty
// non-blank lines a chat log.
func Sniff(name string, head []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson", ".jsonlines":
		return FormatJSONL
	case ".csv", ".tsv":
		return FormatCSV
	case ".eml", ".mbox", ".msg":
		return ""
	}
	head = bytes.TrimPrefix(head, bom)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' && chatLog(trimmed) {
		return FormatChatLog
	}
	// A draft may start with a bracket too ("[Customer Name], thank you"):
	// content is JSON when its first bytes parse as the start of JSON, or
	// the file says .json (then a broken one is reported as such).
	isJSON := strings.EqualFold(filepath.Ext(name), ".json")
	if len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') && (isJSON || jsonPrefix(trimmed)) {
		if trimmed[0] == '{' && jsonLines(trimmed) {
			return FormatJSONL
		}
		return FormatJSON
	}
	if isJSON {
		return FormatJSON
	}
	if csvHeader(trimmed) {
		return FormatCSV
	}
	if chatLog(trimmed) {
		return FormatChatLog
	}
	return ""
}

// jsonPrefix reports whether head is JSON, or JSON cut short: its tokens
// parse up to the end of head.
func jsonPrefix(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	for {
		_, err := dec.Token()
		if err == nil {
			continue
		}
		if err == io.EOF {
			return true
		}
		// A value cut by the end of head fails there; anything else
		// fails on a byte that is not JSON.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return se.Offset >= int64(len(head))
		}
		return err == io.ErrUnexpectedEOF
	}
}

// jsonLines reports whether head starts with a complete JSON object on
// its first line, followed by nothing or by another line starting with
// '{'.
func jsonLines(head []byte) bool {
	first, rest, more := bytes.Cut(head, []byte("\n"))
	if !json.Valid(bytes.TrimSpace(first)) {
		return false
	}
	rest = bytes.TrimLeft(rest, " \t\r\n")
	return !more || len(rest) == 0 || rest[0] == '{'
}

// csvHeader reports whether the first line looks like a header with a
// role and a text column of the default mapping or common exports.
func csvHeader(head []byte) bool {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	sep := byte(separator(first))
	fields := bytes.Split(bytes.TrimSpace(first), []byte{sep})
	if len(fields) < 2 {
		return false
	}
	var role, text bool
	for _, f := range fields {
		switch strings.ToLower(strings.Trim(string(bytes.TrimSpace(f)), `"`)) {
		case "role", "sender_type", "author_type", "sender_role", "from_role", "speaker":
			role = true
		case "text", "body", "message", "content", "plain_body":
			text = true
		}
	}
	return role && text
}

// chatLog reports whether two or more of the first twenty non-blank lines
// start turns.
func chatLog(head []byte) bool {
	n, lines := 0, 0
	names := map[string]string{}
	for line := range bytes.Lines(head) {
		s := strings.TrimSpace(string(line))
		if s == "" {
			continue
		}
		if lines++; lines > 20 {
			break
		}
		if _, ok := parseSpeaker(s, names); ok {
			n++
		}
	}
	return n >= 2
}

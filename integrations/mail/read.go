package mail

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message"
	// Registers every charset x/text knows for RFC 2047 header words.
	_ "github.com/emersion/go-message/charset"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"

	"github.com/replylint/replylint/analyzer"
)

// DefaultMaxPartBytes is the default cap on the decoded text of one part.
const DefaultMaxPartBytes = 8 << 20

// maxHeaderBytes caps a header block (the message's or a part's).
const maxHeaderBytes = 1 << 20

// maxDepth caps the nesting of multipart entities.
const maxDepth = 32

// Options say how Read decodes a message. The zero value is ready to use.
type Options struct {
	// MaxPartBytes caps the decoded text of one text part; longer text is
	// truncated with a warning. 0 means DefaultMaxPartBytes.
	MaxPartBytes int
}

// Message is one email as replylint lints it.
type Message struct {
	// Body is the agent's new text, UTF-8, without quoted messages or
	// signature. Finding offsets point into it.
	Body string
	// Quoted is the quoted earlier (customer) message, quote markers and
	// attribution removed.
	Quoted string
	// Signature is the text after the "-- " line.
	Signature string
	// Header holds the decoded From, To, Cc, Subject, Date, Message-Id,
	// In-Reply-To and X-Replylint-Disable fields, with canonical keys as
	// net/textproto spells them ("Message-Id").
	Header map[string][]string
	// MessageID is the Message-Id field as written, angle brackets included.
	MessageID string
	// FromName and ToName are the decoded display names of the first From
	// and To addresses.
	FromName, ToName string
	// Date is the Date field; zero when absent or unreadable.
	Date time.Time
	// QuotedDate is when the quoted message was written, from the
	// attribution line ("On Mon, 8 Jan 2024 ... wrote:") or an Outlook
	// "Sent:" line; zero when there is none.
	QuotedDate time.Time
	// HTML is set when the text came from a text/html part.
	HTML bool
	// Warnings say what could not be decoded; the text was kept as well as
	// possible.
	Warnings []string
	// Skipped lists what was deliberately not linted: quoted text, the
	// signature, attachments.
	Skipped []analyzer.Skipped
}

// headerKeys are the header fields kept in Message.Header.
var headerKeys = []string{"From", "To", "Cc", "Subject", "Date", "Message-Id", "In-Reply-To", "X-Replylint-Disable"}

// Read parses one RFC 5322 message from r. It returns an error only when r
// fails or holds no message header at all; damaged MIME structure, encodings
// and charsets give the best text available plus Message.Warnings.
func Read(r io.Reader, opts Options) (*Message, error) {
	if opts.MaxPartBytes <= 0 {
		opts.MaxPartBytes = DefaultMaxPartBytes
	}
	br := bufio.NewReaderSize(r, 64<<10)
	hdr, rest, warns, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	rd := &reader{opts: opts, msg: &Message{Warnings: warns}}
	h := message.Header{Header: hdr}
	rd.headers(h)

	chunks := rd.entity(h, rest, 0, "")
	var text strings.Builder
	for i, c := range chunks {
		if i > 0 {
			text.WriteString("\n\n")
		}
		text.WriteString(c.text)
		if c.html {
			rd.msg.HTML = true
		}
	}
	m := rd.msg
	s := splitText(text.String())
	m.Body, m.Quoted, m.Signature = s.body, s.quoted, s.signature
	if s.dateLine != "" {
		loc := time.UTC
		if !m.Date.IsZero() {
			loc = m.Date.Location()
		}
		m.QuotedDate = parseLooseDate(s.dateLine, loc)
	}
	var skipped []analyzer.Skipped
	if s.quotedBytes > 0 {
		skipped = append(skipped, analyzer.Skipped{What: "quoted", Bytes: s.quotedBytes})
	}
	if s.signatureBytes > 0 {
		skipped = append(skipped, analyzer.Skipped{What: "signature", Bytes: s.signatureBytes})
	}
	m.Skipped = append(skipped, m.Skipped...)
	return m, nil
}

// reader holds the state of one Read.
type reader struct {
	opts      Options
	msg       *Message
	truncated bool // a part ended without its boundary
}

// chunk is the text of one text part.
type chunk struct {
	text string
	html bool
}

func (rd *reader) warn(format string, args ...any) {
	w := oneLine(fmt.Sprintf(format, args...))
	if len(rd.msg.Warnings) < 50 && !slices.Contains(rd.msg.Warnings, w) {
		rd.msg.Warnings = append(rd.msg.Warnings, w)
	}
}

// headers fills the header fields of the message.
func (rd *reader) headers(h message.Header) {
	m := rd.msg
	m.Header = make(map[string][]string)
	for _, k := range headerKeys {
		fields := h.FieldsByKey(k)
		var vals []string
		for fields.Next() {
			v, err := fields.Text()
			if err != nil {
				v = fields.Value()
			}
			vals = append(vals, cleanText(strings.TrimSpace(v)))
		}
		if len(vals) > 0 {
			m.Header[k] = vals
		}
	}
	m.MessageID = cleanText(strings.TrimSpace(h.Get("Message-Id")))
	mh := gomail.Header{Header: h}
	if d, err := mh.Date(); err == nil {
		m.Date = d
	} else if t, ok := parseDateHeader(h.Get("Date")); ok {
		m.Date = t
	}
	m.FromName = displayName(mh, "From")
	m.ToName = displayName(mh, "To")
}

// displayName is the decoded display name of the first address of field k.
func displayName(h gomail.Header, k string) string {
	if list, err := h.AddressList(k); err == nil && len(list) > 0 {
		name := list[0].Name
		if strings.Contains(name, "=?") {
			// Encoded words inside a quoted string, against RFC 2047 but
			// common: "=?windows-1251?B?...?=" <a@example.ru>.
			if dec, err := wordDecoder.DecodeHeader(name); err == nil {
				name = dec
			}
		}
		return cleanText(strings.TrimSpace(name))
	}
	// Malformed list: take what precedes the first "<".
	v, err := h.Text(k)
	if err != nil {
		v = h.Get(k)
	}
	if i := strings.IndexByte(v, ','); i >= 0 && !strings.Contains(v[:i], "\"") {
		v = v[:i]
	}
	i := strings.IndexByte(v, '<')
	if i <= 0 {
		return ""
	}
	return cleanText(strings.Trim(strings.TrimSpace(v[:i]), `"' `))
}

// wordDecoder decodes RFC 2047 words with every charset x/text knows.
var wordDecoder = mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec, err := decodeCharset(strings.ToLower(cs), data)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(dec), nil
}}

// parseDateHeader is a fallback for Date fields net/mail refuses, such as
// a missing weekday comma or a trailing zone name.
func parseDateHeader(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if i := strings.IndexByte(s, '('); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	for _, layout := range []string{
		"Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon 2 Jan 2006 15:04:05 -0700",
		"2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 06 15:04:05 -0700",
		"Mon Jan 2 15:04:05 2006",
		"Mon Jan 2 15:04:05 -0700 2006",
		time.RFC3339,
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// readHeader reads a header block leniently: an mbox "From " envelope line
// is skipped, malformed lines are dropped with a warning, and a header that
// runs into the body without a blank line ends at the first line that is
// not a field. rest reads the body.
func readHeader(br *bufio.Reader) (textproto.Header, io.Reader, []string, error) {
	var (
		clean  bytes.Buffer
		warns  []string
		fields int
		total  int
		first            = true
		rest   io.Reader = br
	)
	for {
		line, err := readLine(br, maxHeaderBytes)
		total += len(line)
		if total > maxHeaderBytes {
			return textproto.Header{}, nil, nil, errors.New("message header is larger than 1 MB")
		}
		if err != nil && err != io.EOF {
			return textproto.Header{}, nil, nil, fmt.Errorf("read message: %v", err)
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		if first {
			first = false
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			if bytes.HasPrefix(line, []byte("From ")) || bytes.HasPrefix(line, []byte(">From ")) {
				if err == io.EOF {
					break
				}
				first = true
				continue
			}
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		if fields == 0 && len(bytes.TrimSpace(trimmed)) == 0 && err != io.EOF {
			// Blank lines before the header.
			first = true
			continue
		}
		if len(trimmed) == 0 {
			break
		}
		switch {
		case trimmed[0] == ' ' || trimmed[0] == '\t':
			if fields == 0 {
				warns = append(warns, "header continuation line without a field dropped")
			} else {
				clean.Write(trimmed)
				clean.WriteString("\r\n")
			}
		case isFieldLine(trimmed):
			i := bytes.IndexByte(trimmed, ':')
			clean.Write(bytes.TrimRight(trimmed[:i], " \t"))
			clean.Write(trimmed[i:])
			clean.WriteString("\r\n")
			fields++
		default:
			if fields == 0 {
				return textproto.Header{}, nil, nil, errors.New("not an email message: no header fields")
			}
			warns = append(warns, "header not followed by a blank line")
			rest = io.MultiReader(bytes.NewReader(append([]byte(nil), line...)), br)
			err = io.EOF // stop reading the header
		}
		if err == io.EOF {
			break
		}
	}
	if fields == 0 {
		return textproto.Header{}, nil, nil, errors.New("not an email message: no header fields")
	}
	clean.WriteString("\r\n")
	h, err := textproto.ReadHeader(bufio.NewReader(&clean))
	if err != nil {
		// The lines were checked above; this only guards against surprises.
		warns = append(warns, "header: "+oneLine(err.Error()))
	}
	return h, rest, warns, nil
}

// isFieldLine reports whether line starts a header field: a name of
// printable ASCII without spaces, optional blanks, then a colon.
func isFieldLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:i], " \t")
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// readLine reads one line including its end, at most max bytes of it.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		b, err := br.ReadSlice('\n')
		line = append(line, b...)
		if err == bufio.ErrBufferFull {
			if len(line) > max {
				return line, nil
			}
			continue
		}
		return line, err
	}
}

// entity collects the text of an entity with header h and raw
// (transfer-encoded) body.
func (rd *reader) entity(h message.Header, body io.Reader, depth int, path string) []chunk {
	typ, params := contentType(h)
	if strings.HasPrefix(typ, "multipart/") {
		if depth >= maxDepth {
			rd.warn("%s: multipart nesting deeper than %d ignored", partName(path), maxDepth)
			return nil
		}
		return rd.multipart(typ, params, body, depth, path)
	}
	disp, dparams, _ := h.ContentDisposition()
	disp = strings.ToLower(disp)
	if disp == "" {
		disp = strings.ToLower(strings.TrimSpace(strings.SplitN(h.Get("Content-Disposition"), ";", 2)[0]))
	}
	// A named text part that is not explicitly inline is a file.
	named := params["name"] != "" || dparams["filename"] != ""
	isText := typ == "text/plain" || typ == "text/html" || typ == "text/enriched" || typ == "text"
	if !isText || disp == "attachment" || (named && disp != "inline") {
		rd.skipAttachment(h, body)
		return nil
	}
	text := rd.textPart(h, typ, params, body, path)
	html := typ == "text/html"
	if html {
		text = htmlToText(text)
	}
	if strings.TrimSpace(text) == "" {
		// A blank part (spam often has a blank text/plain alternative).
		return nil
	}
	return []chunk{{text: text, html: html}}
}

// partName names a part in warnings.
func partName(path string) string {
	if path == "" {
		return "body"
	}
	return "part " + path
}

// contentType parses the Content-Type field leniently; a message without
// one is text/plain.
func contentType(h message.Header) (string, map[string]string) {
	raw := h.Get("Content-Type")
	if strings.TrimSpace(raw) == "" {
		return "text/plain", map[string]string{}
	}
	typ, params, err := h.ContentType()
	if err == nil && typ != "" {
		return strings.ToLower(typ), params
	}
	// Salvage: the type before ";" and name=value pairs after it.
	parts := strings.Split(raw, ";")
	typ = strings.ToLower(strings.TrimSpace(parts[0]))
	if typ == "" || !strings.Contains(typ, "/") {
		typ = "text/plain"
	}
	params = map[string]string{}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if k != "" && v != "" {
			if _, dup := params[k]; !dup {
				params[k] = v
			}
		}
	}
	return typ, params
}

// multipart collects the text of a multipart body.
func (rd *reader) multipart(typ string, params map[string]string, body io.Reader, depth int, path string) []chunk {
	boundary := params["boundary"]
	rec := &recorder{r: body, max: rd.opts.MaxPartBytes}
	br := bufio.NewReaderSize(rec, 64<<10)
	if boundary == "" {
		boundary = guessBoundary(br)
		if boundary == "" {
			rd.warn("%s: %s without a boundary read as plain text", partName(path), typ)
			return rd.plainFallback(br, path)
		}
		rd.warn("%s: %s without a boundary parameter; using %q found in the body", partName(path), typ, boundary)
	}
	mr := textproto.NewMultipartReader(br, boundary)
	var (
		out  []chunk
		alts [][]chunk
	)
	alternative := typ == "multipart/alternative"
	for i := 1; ; i++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if i == 1 {
				// No part at all: the boundary never appears.
				rd.warn("%s: boundary %q not found; body read as plain text", partName(path), boundary)
				// Everything read so far is in rec.buf; the rest is unread.
				seen := rec.buf
				rec.stop()
				if len(seen) >= rec.max {
					rd.warn("%s: text longer than %d bytes truncated", partName(path), rec.max)
					return []chunk{{text: normalizeText(seen)}}
				}
				return rd.plainFallback(io.MultiReader(bytes.NewReader(seen), rec.r), path)
			}
			switch {
			case strings.Contains(err.Error(), "EOF"):
				if !rd.truncated {
					rd.warn("%s: multipart ends without its closing boundary", partName(path))
				}
			default:
				rd.warn("%s: rest of the multipart unreadable: %s", partName(path), strings.TrimPrefix(err.Error(), "message: "))
			}
			break
		}
		rec.stop()
		sub := fmt.Sprint(i)
		if path != "" {
			sub = path + "." + sub
		}
		if alternative && len(alts) > 0 && hasPlain(alts) {
			// An alternative is linted once: the plain text is chosen.
			continue
		}
		chunks := rd.entity(message.Header{Header: p.Header}, p, depth+1, sub)
		if alternative {
			alts = append(alts, chunks)
		} else {
			out = append(out, chunks...)
		}
	}
	if alternative {
		return chooseAlternative(alts)
	}
	return out
}

// hasPlain reports whether an alternative already has plain text.
func hasPlain(alts [][]chunk) bool {
	for _, a := range alts {
		if isPlain(a) {
			return true
		}
	}
	return false
}

func isPlain(cs []chunk) bool {
	if len(cs) == 0 {
		return false
	}
	for _, c := range cs {
		if c.html {
			return false
		}
	}
	return true
}

// chooseAlternative picks the plain-text alternative, else the last one
// with text (the richest, by RFC 2046).
func chooseAlternative(alts [][]chunk) []chunk {
	for _, a := range alts {
		if isPlain(a) {
			return a
		}
	}
	for i := len(alts) - 1; i >= 0; i-- {
		if len(alts[i]) > 0 {
			return alts[i]
		}
	}
	return nil
}

// plainFallback reads a broken multipart body as plain text.
func (rd *reader) plainFallback(r io.Reader, path string) []chunk {
	data, truncated, err := readCapped(r, rd.opts.MaxPartBytes)
	if truncated {
		rd.warn("%s: text longer than %d bytes truncated", partName(path), rd.opts.MaxPartBytes)
	}
	if err != nil {
		rd.warn("%s: %s", partName(path), oneLine(err.Error()))
	}
	return []chunk{{text: normalizeText(data)}}
}

// guessBoundary finds a "--boundary" line at the start of a multipart body
// that declares none.
func guessBoundary(br *bufio.Reader) string {
	head, _ := br.Peek(16 << 10)
	for _, line := range bytes.Split(head, []byte("\n")) {
		line = bytes.TrimRight(line, "\r \t")
		if len(line) > 2 && len(line) <= 72 && bytes.HasPrefix(line, []byte("--")) && !bytes.ContainsAny(line[2:], " \t") {
			return string(bytes.TrimSuffix(line[2:], []byte("--")))
		}
	}
	return ""
}

// recorder keeps the first bytes read through it, up to max, until stop.
type recorder struct {
	r       io.Reader
	buf     []byte
	max     int
	stopped bool
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	if !rc.stopped && n > 0 {
		room := rc.max - len(rc.buf)
		if room > 0 {
			rc.buf = append(rc.buf, p[:min(n, room)]...)
		}
	}
	return n, err
}

func (rc *recorder) stop() {
	rc.stopped = true
	rc.buf = nil
}

// skipAttachment counts an attachment without keeping it.
func (rd *reader) skipAttachment(h message.Header, body io.Reader) {
	r := body
	if dec, err := transferDecoder(h.Get("Content-Transfer-Encoding"), body); err == nil {
		r = dec
	}
	n, _ := io.Copy(io.Discard, r)
	rd.msg.Skipped = append(rd.msg.Skipped, analyzer.Skipped{What: "attachment", Bytes: int(n)})
}

// transferDecoder undoes a Content-Transfer-Encoding; spellings seen in
// the wild ("8 bit", "8bits", "Quoted-Printable ") are accepted.
func transferDecoder(enc string, r io.Reader) (io.Reader, error) {
	norm := strings.Map(func(c rune) rune {
		if c == ' ' || c == '\t' || c == '-' || c == '_' || c == '"' {
			return -1
		}
		return unicode.ToLower(c)
	}, enc)
	switch norm {
	case "base64", "b64":
		return base64.NewDecoder(base64.StdEncoding, &base64Cleaner{r: r}), nil
	case "quotedprintable", "qp":
		return quotedprintable.NewReader(r), nil
	case "", "7bit", "8bit", "7bits", "8bits", "binary", "none", "plain", "text":
		return r, nil
	}
	return r, fmt.Errorf("unknown transfer encoding %q", strings.TrimSpace(enc))
}

// textPart decodes one text part: transfer encoding, then charset, capped.
func (rd *reader) textPart(h message.Header, typ string, params map[string]string, body io.Reader, path string) string {
	enc := h.Get("Content-Transfer-Encoding")
	r, err := transferDecoder(enc, body)
	if err != nil {
		rd.warn("%s: %s; text kept undecoded", partName(path), err)
	}
	data, truncated, rerr := readCapped(r, rd.opts.MaxPartBytes)
	if truncated {
		rd.warn("%s: text longer than %d bytes truncated", partName(path), rd.opts.MaxPartBytes)
	}
	if rerr != nil {
		var corrupt base64.CorruptInputError
		switch {
		case errors.As(rerr, &corrupt):
			rd.warn("%s: broken base64 at byte %d; text decoded up to there", partName(path), int64(corrupt))
		case errors.Is(rerr, io.ErrUnexpectedEOF):
			rd.warn("%s: truncated message: part ends without its closing boundary", partName(path))
			rd.truncated = true
		default:
			rd.warn("%s: %s", partName(path), oneLine(rerr.Error()))
		}
	}
	cs := strings.ToLower(strings.Trim(strings.TrimSpace(params["charset"]), `"'`))
	if typ == "text/html" && (cs == "" || cs == "us-ascii") {
		if meta := htmlMetaCharset(data); meta != "" {
			cs = meta
		}
	}
	if cs != "" && cs != "utf-8" && cs != "utf8" && cs != "us-ascii" && cs != "ascii" {
		dec, err := decodeCharset(cs, data)
		if err != nil {
			rd.warn("%s: unknown charset %q; text kept undecoded", partName(path), cs)
		} else {
			data = dec
		}
	}
	return normalizeText(data)
}

var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?([a-z0-9_.:-]+)`)

// htmlMetaCharset finds the charset an HTML part declares in a meta tag.
func htmlMetaCharset(data []byte) string {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if m := metaCharsetRE.FindSubmatch(head); m != nil {
		return strings.ToLower(string(m[1]))
	}
	return ""
}

// readCapped reads r up to max bytes; the rest is read and discarded so
// that a multipart reader can go on, never kept.
func readCapped(r io.Reader, max int) ([]byte, bool, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if len(data) <= max {
		return data, false, err
	}
	data = data[:max]
	if err == nil {
		_, err = io.Copy(io.Discard, r)
	}
	return data, true, err
}

// normalizeText makes decoded bytes valid UTF-8 with "\n" line ends.
func normalizeText(data []byte) string {
	// Cut a rune split by truncation rather than replace it.
	if n := len(data); n > 0 && !utf8.Valid(data[max(0, n-4):]) {
		for i := n - 1; i >= max(0, n-4); i-- {
			if utf8.RuneStart(data[i]) {
				if !utf8.FullRune(data[i:]) {
					data = data[:i]
				}
				break
			}
		}
	}
	s := string(data)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	if strings.Contains(s, "\x00") {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

// cleanText makes a header value valid UTF-8.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// oneLine flattens an error message to one line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return cleanText(s)
}

// base64Cleaner turns blanks inside base64 text into line ends, which the
// decoder skips, as go-message does for indented bodies.
type base64Cleaner struct{ r io.Reader }

func (c *base64Cleaner) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == ' ' || p[i] == '\t' {
			p[i] = '\n'
		}
	}
	return n, err
}

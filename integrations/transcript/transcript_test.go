package transcript

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/replylint/replylint/analyzer"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// result is what reading an input gives, as stored in a golden file.
type result struct {
	Turns     []goldenTurn `json:"turns"`
	Bad       []string     `json:"bad,omitempty"`
	Documents []goldenDoc  `json:"documents"`
}

type goldenTurn struct {
	Line         int    `json:"line"`
	Index        int    `json:"index"`
	Conversation string `json:"conversation,omitempty"`
	Role         string `json:"role"`
	Author       string `json:"author,omitempty"`
	Time         string `json:"time,omitempty"`
	Text         string `json:"text"`
}

type goldenDoc struct {
	Source       analyzer.Source `json:"source"`
	FirstTurn    bool            `json:"first_turn,omitempty"`
	CustomerName string          `json:"customer_name,omitempty"`
	CustomerTime string          `json:"customer_time,omitempty"`
	ReplyTime    string          `json:"reply_time,omitempty"`
	Customer     string          `json:"customer,omitempty"`
	Text         string          `json:"text"`
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// readAll reads an input in a format, collecting turns and bad reports.
func readAll(t testing.TB, format string, r io.Reader, m Mapping) ([]Turn, []string, error) {
	t.Helper()
	var turns []Turn
	var bad []string
	fn := func(tu Turn) error { turns = append(turns, tu); return nil }
	onBad := func(line int, err error) { bad = append(bad, fmt.Sprintf("line %d: %v", line, err)) }
	var err error
	switch format {
	case FormatJSONL:
		err = ReadJSONL(r, m, fn, onBad)
	case FormatJSON:
		err = ReadJSON(r, m, fn, onBad)
	case FormatCSV:
		err = ReadCSV(r, m, fn, onBad)
	case FormatChatLog:
		err = ReadChatLog(r, fn, onBad)
	default:
		t.Fatalf("unknown format %q", format)
	}
	return turns, bad, err
}

func toResult(turns []Turn, bad []string, path string) result {
	res := result{Bad: bad}
	for _, t := range turns {
		res.Turns = append(res.Turns, goldenTurn{t.Line, t.Index, t.Conversation, t.Role, t.Author, timeString(t.Time), t.Text})
	}
	for _, conv := range Group(turns) {
		for _, d := range Documents(conv, analyzer.KindChat, "", path) {
			res.Documents = append(res.Documents, goldenDoc{
				Source:       d.Source,
				FirstTurn:    d.Context.FirstTurn,
				CustomerName: d.Context.CustomerName,
				CustomerTime: timeString(d.Context.CustomerTime),
				ReplyTime:    timeString(d.Context.ReplyTime),
				Customer:     d.Context.Customer,
				Text:         d.Text,
			})
		}
	}
	return res
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./integrations/transcript -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		file    string
		format  string
		mapping string
	}{
		{"chat.jsonl", FormatJSONL, ""},
		{"chat.json", FormatJSON, "conversation=chat_id,role=sender.type,author=sender.name,text=body,timestamp=created_at"},
		{"chat.csv", FormatCSV, "conversation=chat_id,role=sender_type,author=sender,text=body,timestamp=created_at"},
		{"chat_en.log", FormatChatLog, ""},
		{"chat_ru.log", FormatChatLog, ""},
		{"chat_ar.log", FormatChatLog, ""},
		{"chat_fa.log", FormatChatLog, ""},
		{"helpdesk_ticket.json", FormatJSON, ""},
		{"helpdesk_tickets.json", FormatJSON, ""},
		{"helpdesk_api.json", FormatJSON, ""},
		{"bad.jsonl", FormatJSONL, ""},
		{"bad.csv", FormatCSV, ""},
		{"bad.json", FormatJSON, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := Sniff(tt.file, data); got != tt.format {
				t.Errorf("Sniff(%q) = %q, want %q", tt.file, got, tt.format)
			}
			m, err := ParseMapping(tt.mapping)
			if err != nil {
				t.Fatal(err)
			}
			turns, bad, err := readAll(t, tt.format, bytes.NewReader(data), m)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if len(turns) == 0 {
				t.Fatal("no turns read")
			}
			if !strings.HasPrefix(tt.file, "bad") && len(bad) > 0 {
				t.Errorf("unexpected bad lines: %q", bad)
			}
			for _, tu := range turns {
				if tu.Line < 1 || tu.Index < 1 || (tu.Role != RoleAgent && tu.Role != RoleCustomer) {
					t.Errorf("invalid turn %+v", tu)
				}
			}
			checkGolden(t, path+".golden", marshal(t, toResult(turns, bad, tt.file)))
		})
	}
}

// TestCorpora reads the real conversations of the shared corpora.
func TestCorpora(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpora", "conversations")
	tests := []struct {
		file                   string
		turns, agents, convs   int
		firstTurnDocs, withCtx int // documents that are a first turn / that have customer context
	}{
		{"ibm_twitter_cdp_en.jsonl", 2350, 1139, 1025, -1, -1},
		{"abcd_sample_en.jsonl", 63, 32, 3, 3, -1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tt.file))
			if errors.Is(err, os.ErrNotExist) {
				t.Skip("corpus not present")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			head := make([]byte, 4096)
			n, _ := io.ReadFull(f, head)
			if got := Sniff(tt.file, head[:n]); got != FormatJSONL {
				t.Errorf("Sniff = %q, want jsonl", got)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			// The corpora use the default field names: conversation_id,
			// role (agent|customer), text and timestamp (ISO 8601 or null).
			var turns []Turn
			var convs, agents, docs, firsts int
			g := NewGrouper(func(conv []Turn) error {
				convs++
				for _, d := range Documents(conv, analyzer.KindChat, "en", tt.file) {
					docs++
					if d.Context.FirstTurn {
						firsts++
					}
					if d.Source.Conversation != conv[0].Conversation || d.Source.Turn < 1 || d.Source.Line < 1 {
						t.Errorf("bad source %+v", d.Source)
					}
				}
				return nil
			})
			err = ReadJSONL(f, Mapping{}, func(tu Turn) error {
				turns = append(turns, tu)
				if tu.Role == RoleAgent {
					agents++
				}
				return g.Add(tu)
			}, func(line int, err error) { t.Errorf("line %d: %v", line, err) })
			if err != nil {
				t.Fatal(err)
			}
			if err := g.Flush(); err != nil {
				t.Fatal(err)
			}
			if len(turns) != tt.turns || agents != tt.agents || convs != tt.convs {
				t.Errorf("got %d turns, %d agent turns, %d conversations; want %d, %d, %d",
					len(turns), agents, convs, tt.turns, tt.agents, tt.convs)
			}
			if docs != agents {
				t.Errorf("got %d documents for %d agent turns", docs, agents)
			}
			if tt.firstTurnDocs >= 0 && firsts != tt.firstTurnDocs {
				t.Errorf("got %d first-turn documents, want %d", firsts, tt.firstTurnDocs)
			}
			if len(Group(turns)) != tt.convs {
				t.Errorf("Group: %d conversations, want %d", len(Group(turns)), tt.convs)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	tests := []struct {
		name      string
		format    string
		input     string
		wantLines []int // lines of the turns read
		badLines  []int
		badText   []string // a part of each bad report
	}{
		{
			name:   "jsonl not JSON",
			format: FormatJSONL,
			input: `{"role": "customer", "text": "hi"}
{"role": "agent", "text": "hello"
not json at all
{"role": "agent", "text": "hello"}
`,
			wantLines: []int{1, 4},
			badLines:  []int{2, 3},
			badText:   []string{"invalid JSON", "invalid JSON"},
		},
		{
			name:      "jsonl 2 MB line",
			format:    FormatJSONL,
			input:     `{"role": "customer", "text": "hi"}` + "\n" + `{"role": "agent", "text": "` + long + `"}` + "\n" + `{"role": "agent", "text": "hello"}`,
			wantLines: []int{1, 3},
			badLines:  []int{2},
			badText:   []string{"line longer than 1048576 bytes"},
		},
		{
			name:      "jsonl 2 MB last line without newline",
			format:    FormatJSONL,
			input:     `{"role": "customer", "text": "hi"}` + "\r\n" + long,
			wantLines: []int{1},
			badLines:  []int{2},
			badText:   []string{"line longer"},
		},
		{
			name:      "jsonl wrong types",
			format:    FormatJSONL,
			input:     `{"role": ["agent"], "text": "a"}` + "\n" + `{"role": "agent", "text": 42}` + "\n" + `{"role": "agent", "text": "a", "timestamp": {}}` + "\n" + `{"role": "agent", "text": "a", "conversation_id": 7}`,
			wantLines: []int{2, 4},
			badLines:  []int{1, 3},
			badText:   []string{`field "role": an array`, `field "timestamp": an object`},
		},
		{
			name:      "csv missing column",
			format:    FormatCSV,
			input:     "role,text,conversation_id\ncustomer,hi,c1\nagent,hello\nagent,\"hello\nthere\",c1\ncustomer\nagent,bye,c1\n",
			wantLines: []int{2, 4, 7},
			badLines:  []int{3, 6},
			badText:   []string{"record has 2 fields, the header 3", "record has 1 fields"},
		},
		{
			name:      "csv 2 MB field",
			format:    FormatCSV,
			input:     "role,text\ncustomer,hi\nagent," + long + "\nrobot,x\nagent,bye\n",
			wantLines: []int{2, 3, 5},
			badLines:  []int{4},
			badText:   []string{`unknown role "robot"`},
		},
		{
			name:      "chatlog 2 MB line",
			format:    FormatChatLog,
			input:     "Customer: hi\nAgent: " + long + "\nAgent: hello\n",
			wantLines: []int{1, 3},
			badLines:  []int{2},
			badText:   []string{"line longer"},
		},
		{
			name:      "json syntax error stops",
			format:    FormatJSON,
			input:     "[\n{\"role\": \"customer\", \"text\": \"hi\"},\n{\"role\": \"agent\" \"text\": \"x\"},\n{\"role\": \"agent\", \"text\": \"hello\"}\n]",
			wantLines: []int{2},
			badLines:  []int{3},
			badText:   []string{"invalid JSON"},
		},
		{
			name:      "json truncated",
			format:    FormatJSON,
			input:     "[{\"role\": \"customer\", \"text\": \"hi\"},\n {\"role\": \"agent\", \"te",
			wantLines: []int{1},
			badLines:  []int{2},
			badText:   []string{"unexpected end of JSON input"},
		},
		{
			name:     "json scalar",
			format:   FormatJSON,
			input:    `"hello"`,
			badLines: []int{1},
			badText:  []string{"want a JSON array or object"},
		},
		{
			name:      "json trailing data",
			format:    FormatJSON,
			input:     "[{\"role\": \"agent\", \"text\": \"hi\"}]\n]",
			wantLines: []int{1},
			badLines:  []int{2},
			badText:   []string{"invalid JSON"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lines, badLines []int
			var badText []string
			fn := func(tu Turn) error { lines = append(lines, tu.Line); return nil }
			bad := func(line int, err error) {
				badLines = append(badLines, line)
				badText = append(badText, err.Error())
			}
			var err error
			r := strings.NewReader(tt.input)
			switch tt.format {
			case FormatJSONL:
				err = ReadJSONL(r, Mapping{}, fn, bad)
			case FormatJSON:
				err = ReadJSON(r, Mapping{}, fn, bad)
			case FormatCSV:
				err = ReadCSV(r, Mapping{}, fn, bad)
			case FormatChatLog:
				err = ReadChatLog(r, fn, bad)
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !slices.Equal(lines, tt.wantLines) {
				t.Errorf("turn lines = %v, want %v", lines, tt.wantLines)
			}
			if !slices.Equal(badLines, tt.badLines) {
				t.Errorf("bad lines = %v, want %v (%q)", badLines, tt.badLines, badText)
			}
			for i, want := range tt.badText {
				if i < len(badText) && !strings.Contains(badText[i], want) {
					t.Errorf("bad report %d = %q, want it to contain %q", i, badText[i], want)
				}
			}
		})
	}
}

// TestReaderErrors checks that errors of fn and of the reader stop
// reading and are returned.
func TestReaderErrors(t *testing.T) {
	stop := errors.New("stop")
	inputs := map[string]string{
		FormatJSONL:   "{\"role\": \"agent\", \"text\": \"a\"}\n{\"role\": \"agent\", \"text\": \"b\"}\n",
		FormatJSON:    `[{"role": "agent", "text": "a"}, {"role": "agent", "text": "b"}]`,
		FormatCSV:     "role,text\nagent,a\nagent,b\n",
		FormatChatLog: "Agent: a\nAgent: b\n",
	}
	for format, input := range inputs {
		t.Run(format, func(t *testing.T) {
			n := 0
			fn := func(Turn) error { n++; return stop }
			var err error
			switch format {
			case FormatJSONL:
				err = ReadJSONL(strings.NewReader(input), Mapping{}, fn, nil)
			case FormatJSON:
				err = ReadJSON(strings.NewReader(input), Mapping{}, fn, nil)
			case FormatCSV:
				err = ReadCSV(strings.NewReader(input), Mapping{}, fn, nil)
			case FormatChatLog:
				err = ReadChatLog(strings.NewReader(input), fn, nil)
			}
			if err != stop || n != 1 {
				t.Errorf("fn error: got %v after %d turns, want stop after 1", err, n)
			}
			ioErr := errors.New("disk on fire")
			r := io.MultiReader(strings.NewReader(input[:len(input)/2]), iotestErrReader{ioErr})
			switch format {
			case FormatJSONL:
				err = ReadJSONL(r, Mapping{}, func(Turn) error { return nil }, nil)
			case FormatJSON:
				err = ReadJSON(r, Mapping{}, func(Turn) error { return nil }, nil)
			case FormatCSV:
				err = ReadCSV(r, Mapping{}, func(Turn) error { return nil }, nil)
			case FormatChatLog:
				err = ReadChatLog(r, func(Turn) error { return nil }, nil)
			}
			if !errors.Is(err, ioErr) {
				t.Errorf("read error: got %v, want %v", err, ioErr)
			}
		})
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

func TestCSVHeader(t *testing.T) {
	tests := []struct {
		name, input, mapping, wantErr string
		want                          []Turn
	}{
		{name: "no text column", input: "role,body\nagent,hi\n", wantErr: `csv header has no column "text"`},
		{name: "explicit column missing", input: "role,text\nagent,hi\n", mapping: "timestamp=created_at", wantErr: `no column "created_at"`},
		{name: "empty", input: ""},
		{
			name:  "semicolons, BOM, case",
			input: "\ufeffRole;Text;Conversation_ID\nAgent;\"Hi; there\";c9\n",
			want:  []Turn{{Conversation: "c9", Role: RoleAgent, Text: "Hi; there", Line: 2, Index: 1}},
		},
		{
			name:  "tabs",
			input: "role\ttext\nuser\tHello, world\n",
			want:  []Turn{{Role: RoleCustomer, Text: "Hello, world", Line: 2, Index: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMapping(tt.mapping)
			if err != nil {
				t.Fatal(err)
			}
			var got []Turn
			err = ReadCSV(strings.NewReader(tt.input), m, func(tu Turn) error { got = append(got, tu); return nil }, func(line int, err error) { t.Errorf("bad %d: %v", line, err) })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMapping(t *testing.T) {
	tests := []struct {
		spec    string
		want    Mapping
		wantErr string
	}{
		{spec: "", want: Mapping{}},
		{spec: "text=body,role=sender_type,timestamp=created_at", want: Mapping{Text: "body", Role: "sender_type", Timestamp: "created_at"}},
		{spec: " conversation = ticket.id , author=author.name,time=ts ", want: Mapping{Conversation: "ticket.id", Author: "author.name", Timestamp: "ts"}},
		{spec: "agent=Agent|bot,customer=requester", want: Mapping{AgentValues: []string{"Agent", "bot"}, CustomerValues: []string{"requester"}}},
		{spec: "TEXT=body", want: Mapping{Text: "body"}},
		{spec: "text", wantErr: "want key=value"},
		{spec: "text=", wantErr: "empty value"},
		{spec: "body=text", wantErr: `unknown key "body"`},
		{spec: "text=a,text=b", wantErr: "given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseMapping(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			if tt.spec != "" {
				again, err := ParseMapping(got.String())
				if err != nil || !reflect.DeepEqual(again, got) {
					t.Errorf("String() = %q does not parse back: %#v, %v", got.String(), again, err)
				}
			}
		})
	}
}

func TestMappingRoles(t *testing.T) {
	m := DefaultMapping()
	for _, v := range []string{"agent", "Support", " OPERATOR ", "staff", "admin"} {
		if got := m.role(v); got != RoleAgent {
			t.Errorf("role(%q) = %q, want agent", v, got)
		}
	}
	for _, v := range []string{"customer", "User", "client", "end-user", "END_USER", "visitor"} {
		if got := m.role(v); got != RoleCustomer {
			t.Errorf("role(%q) = %q, want customer", v, got)
		}
	}
	for _, v := range []string{"", "bot", "system"} {
		if got := m.role(v); got != "" {
			t.Errorf("role(%q) = %q, want none", v, got)
		}
	}
}

func TestNestedFields(t *testing.T) {
	m, err := ParseMapping("conversation=meta.chat.id,role=from.kind,author=from,text=msg.body,timestamp=at")
	if err != nil {
		t.Fatal(err)
	}
	input := `{"meta": {"chat": {"id": 17}}, "from": {"kind": "operator", "name": "Zoe"}, "msg": {"body": "Hi"}, "at": 1709287333.5}
{"meta.chat.id": "literal", "from": {"kind": "client"}, "msg": {"body": "Hello"}}
`
	var got []Turn
	err = ReadJSONL(strings.NewReader(input), m, func(tu Turn) error { got = append(got, tu); return nil }, func(line int, err error) { t.Errorf("bad %d: %v", line, err) })
	if err != nil {
		t.Fatal(err)
	}
	want := []Turn{
		{Conversation: "17", Role: RoleAgent, Author: "Zoe", Text: "Hi", Time: time.Unix(1709287333, 5e8).UTC(), Line: 1, Index: 1},
		{Conversation: "literal", Role: RoleCustomer, Text: "Hello", Line: 2, Index: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"", time.Time{}, false},
		{"2024-03-01T10:02:13Z", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"2020-04-01T17:31:32.000Z", utc(2020, 4, 1, 17, 31, 32, 0), false},
		{"2024-03-01T13:02:13+03:00", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"2024-03-01 10:02:13", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"2024-03-01 10:02", utc(2024, 3, 1, 10, 2, 0, 0), false},
		{"2024-03-01T10:02:13", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"01.03.2024 10:02", utc(2024, 3, 1, 10, 2, 0, 0), false},
		{"Fri Mar 01 10:02:13 +0000 2024", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"1709287333", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"1709287333123", utc(2024, 3, 1, 10, 2, 13, 123e6), false},
		{"1709287333123456", utc(2024, 3, 1, 10, 2, 13, 123456e3), false},
		{"1709287333123456789", utc(2024, 3, 1, 10, 2, 13, 123456789), false},
		{"١٧٠٩٢٨٧٣٣٣", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"۲۰۲۴-۰۳-۰۱ ۱۰:۰۲:۱۳", utc(2024, 3, 1, 10, 2, 13, 0), false},
		{"2024-03-01", utc(2024, 3, 1, 0, 0, 0, 0), false},
		{"yesterday", time.Time{}, true},
		{"12.", time.Time{}, true},
		{"99999999999999999999", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChatLogLines(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		input string
		want  []Turn
	}{
		{
			name:  "roles and names in four languages",
			input: "Agent: a\nCustomer John: b\nОператор Анна: c\nКлиент: d\nالموظف: e\nالعميل: f\nپشتیبان: g\nمشتری: h\nSUPPORT AGENT Kim Lee: i\nАнна (оператор): j\n",
			want: []Turn{
				{Role: RoleAgent, Text: "a", Line: 1, Index: 1},
				{Role: RoleCustomer, Author: "John", Text: "b", Line: 2, Index: 2},
				{Role: RoleAgent, Author: "Анна", Text: "c", Line: 3, Index: 3},
				{Role: RoleCustomer, Text: "d", Line: 4, Index: 4},
				{Role: RoleAgent, Text: "e", Line: 5, Index: 5},
				{Role: RoleCustomer, Text: "f", Line: 6, Index: 6},
				{Role: RoleAgent, Text: "g", Line: 7, Index: 7},
				{Role: RoleCustomer, Text: "h", Line: 8, Index: 8},
				{Role: RoleAgent, Author: "Kim Lee", Text: "i", Line: 9, Index: 9},
				{Role: RoleAgent, Author: "Анна", Text: "j", Line: 10, Index: 10},
			},
		},
		{
			name:  "letter variants and bidi marks",
			input: "\u200fالموظّف: نعم\nمشتري: ممنون\nكارشناس: خواهش\n",
			want: []Turn{
				{Role: RoleAgent, Text: "نعم", Line: 1, Index: 1},
				{Role: RoleCustomer, Text: "ممنون", Line: 2, Index: 2},
				{Role: RoleAgent, Text: "خواهش", Line: 3, Index: 3},
			},
		},
		{
			name:  "continuations and non-speaker colons",
			input: "preamble: ignored\nCustomer: see https://example.com/x\nNote: this is not a speaker\nAt 10:30 it broke\n\nAgent:\nHello,\n\nlet me check.\n\n\n",
			want: []Turn{
				{Role: RoleCustomer, Text: "see https://example.com/x\nNote: this is not a speaker\nAt 10:30 it broke", Line: 2, Index: 1},
				{Role: RoleAgent, Text: "Hello,\n\nlet me check.", Line: 6, Index: 2},
			},
		},
		{
			name:  "times without a date",
			input: "[10:02] Customer: a\n(10:05) Agent: b\n",
			want: []Turn{
				{Role: RoleCustomer, Text: "a", Line: 1, Index: 1},
				{Role: RoleAgent, Text: "b", Line: 2, Index: 2},
			},
		},
		{
			name:  "dates, midnight and 12-hour clock",
			input: "2024-03-01\n[11:58 PM] Customer: a\n[00:03] Agent: b\n2024-03-01T09:00:00Z - Customer: c\n10:15:30 Agent: d\n[01.03.2024 11:00] Customer: e\n",
			want: []Turn{
				{Role: RoleCustomer, Text: "a", Time: day.Add(23*time.Hour + 58*time.Minute), Line: 2, Index: 1},
				{Role: RoleAgent, Text: "b", Time: day.Add(24*time.Hour + 3*time.Minute), Line: 3, Index: 2},
				{Role: RoleCustomer, Text: "c", Time: day.Add(9 * time.Hour), Line: 4, Index: 3},
				{Role: RoleAgent, Text: "d", Time: day.Add(10*time.Hour + 15*time.Minute + 30*time.Second), Line: 5, Index: 4},
				{Role: RoleCustomer, Text: "e", Time: day.Add(11 * time.Hour), Line: 6, Index: 5},
			},
		},
		{
			name:  "bracketed text that is not a time",
			input: "Agent: Dear [Customer Name],\n[note] Customer: x\n",
			want: []Turn{
				{Role: RoleAgent, Text: "Dear [Customer Name],\n[note] Customer: x", Line: 1, Index: 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Turn
			err := ReadChatLog(strings.NewReader(tt.input), func(tu Turn) error { got = append(got, tu); return nil }, func(line int, err error) { t.Errorf("bad %d: %v", line, err) })
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d turns, want %d:\n%+v", len(got), len(tt.want), got)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if !g.Time.Equal(w.Time) {
					t.Errorf("turn %d: time %v, want %v", i+1, g.Time, w.Time)
				}
				g.Time, w.Time = time.Time{}, time.Time{}
				if g != w {
					t.Errorf("turn %d:\n got %+v\nwant %+v", i+1, g, w)
				}
			}
		})
	}
}

func TestDocuments(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2024, 3, 1, 10, min, 0, 0, time.UTC) }
	conv := []Turn{
		{Conversation: "c", Role: RoleAgent, Author: "Bot", Text: "Hi! How can I help?", Time: at(0), Line: 1, Index: 1},
		{Conversation: "c", Role: RoleCustomer, Text: "My order is late.", Time: at(1), Line: 2, Index: 2},
		{Conversation: "c", Role: RoleCustomer, Author: "Mary", Text: "Order 42.", Time: at(2), Line: 3, Index: 3},
		{Conversation: "c", Role: RoleAgent, Author: "Anna", Text: "Sorry, Mary!", Time: at(5), Line: 4, Index: 4},
		{Conversation: "c", Role: RoleAgent, Author: "Anna", Text: "  ", Time: at(6), Line: 5, Index: 5},
		{Conversation: "c", Role: RoleAgent, Author: "Anna", Text: "It ships today.", Time: at(7), Line: 6, Index: 6},
		{Conversation: "c", Role: RoleCustomer, Author: "Mary", Text: "", Time: at(8), Line: 7, Index: 7},
		{Conversation: "c", Role: RoleAgent, Author: "Anna", Text: "Anything else?", Time: at(9), Line: 8, Index: 8},
	}
	docs := Documents(conv, analyzer.KindChat, "en", "t.jsonl")
	type ctx struct {
		text, customer, name string
		ctime, rtime         time.Time
		first, later         bool
		turn, line           int
	}
	var got []ctx
	for _, d := range docs {
		if d.Role != RoleAgent || d.Kind != analyzer.KindChat || d.Lang != "en" || d.Source.Path != "t.jsonl" || d.Source.Conversation != "c" {
			t.Errorf("bad document %+v", d)
		}
		got = append(got, ctx{d.Text, d.Context.Customer, d.Context.CustomerName, d.Context.CustomerTime, d.Context.ReplyTime, d.Context.FirstTurn, d.Context.LaterTurn, d.Source.Turn, d.Source.Line})
	}
	want := []ctx{
		{"Hi! How can I help?", "", "Mary", time.Time{}, at(0), true, false, 1, 1},
		{"Sorry, Mary!", "My order is late.\nOrder 42.", "Mary", at(2), at(5), false, true, 4, 4},
		{"It ships today.", "", "Mary", time.Time{}, at(7), false, true, 6, 6},
		{"Anything else?", "", "Mary", at(8), at(9), false, true, 8, 8},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if docs[1].Source.Author != "Anna" {
		t.Errorf("author = %q", docs[1].Source.Author)
	}
	if got := Documents(nil, analyzer.KindChat, "", ""); len(got) != 0 {
		t.Errorf("Documents(nil) = %v", got)
	}
}

func TestGroup(t *testing.T) {
	turns := []Turn{
		{Conversation: "a", Line: 1}, {Conversation: "b", Line: 2}, {Conversation: "a", Line: 3},
		{Conversation: "c", Line: 4}, {Conversation: "b", Line: 5},
	}
	var got [][]int
	for _, conv := range Group(turns) {
		var lines []int
		for _, tu := range conv {
			lines = append(lines, tu.Line)
		}
		got = append(got, lines)
	}
	want := [][]int{{1, 3}, {2, 5}, {4}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Group = %v, want %v", got, want)
	}
}

func TestConversations(t *testing.T) {
	tests := []struct {
		name  string
		turns []Turn
		want  [][]int // lines per emitted conversation
	}{
		{
			name:  "interleaved within the window",
			turns: []Turn{{Conversation: "a", Line: 1}, {Conversation: "b", Line: 2}, {Conversation: "a", Line: 3}, {Conversation: "b", Line: 4}},
			want:  [][]int{{1, 3}, {2, 4}},
		},
		{
			name: "a conversation idle for more than FlushAfter lines is emitted and restarted",
			turns: []Turn{
				{Conversation: "a", Line: 1}, {Conversation: "b", Line: 2},
				{Conversation: "b", Line: FlushAfter + 1}, {Conversation: "b", Line: FlushAfter + 2},
				{Conversation: "a", Line: FlushAfter + 3},
			},
			want: [][]int{{1}, {2, FlushAfter + 1, FlushAfter + 2}, {FlushAfter + 3}},
		},
		{
			name:  "no lines: each turn counts as one",
			turns: slices.Repeat([]Turn{{Conversation: "x"}}, 3),
			want:  [][]int{{0, 0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := 0
			next := func() (Turn, bool) {
				if i == len(tt.turns) {
					return Turn{}, false
				}
				i++
				return tt.turns[i-1], true
			}
			var got [][]int
			for conv := range Conversations(next) {
				var lines []int
				for _, tu := range conv {
					lines = append(lines, tu.Line)
				}
				got = append(got, lines)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// Breaking out of the loop stops pulling turns.
	pulled := 0
	next := func() (Turn, bool) {
		pulled++
		return Turn{Conversation: fmt.Sprint(pulled), Line: pulled * FlushAfter * 2}, pulled < 100
	}
	for range Conversations(next) {
		break
	}
	if pulled > 3 {
		t.Errorf("pulled %d turns after the consumer stopped", pulled)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, head, want string
	}{
		{"a.jsonl", "", FormatJSONL},
		{"a.NDJSON", "", FormatJSONL},
		{"a.csv", "", FormatCSV},
		{"a.tsv", "", FormatCSV},
		{"a.json", "[{\"role\": \"agent\"}]", FormatJSON},
		{"a.json", "{\"role\": \"agent\", \"text\": \"a\"}\n{\"role\": \"customer\", \"text\": \"b\"}\n", FormatJSONL},
		{"a.json", "{\n  \"id\": 1,\n  \"comments\": []\n}", FormatJSON},
		{"a.json", "garbage", FormatJSON},
		{"-", "\ufeff{\"role\": \"agent\", \"text\": \"a\"}\n", FormatJSONL},
		{"-", "  [\n", FormatJSON},
		{"export", "id,created_at,sender_type,body\n1,2024,agent,hi\n", FormatCSV},
		{"export.txt", "role;text\nagent;hi\n", FormatCSV},
		{"chat.log", "[10:02] Agent Anna: hi\n[10:03] Customer: hello\n", FormatChatLog},
		{"chat.txt", "Оператор: Добрый день\nКлиент: Здравствуйте\n", FormatChatLog},
		{"-", "پشتیبان: سلام\nمشتری: سلام\n", FormatChatLog},
		{"draft.txt", "Dear Mary,\n\nthanks for your message.\n\nBest,\nAnna\n", ""},
		{"draft.txt", "Customer: this line alone is not a log\n", ""},
		{"mail.eml", "From: a@b.c\nSubject: x\n\nAgent: a\nCustomer: b\n", ""},
		{"-", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+clip(tt.head, 20), func(t *testing.T) {
			if got := Sniff(tt.name, []byte(tt.head)); got != tt.want {
				t.Errorf("Sniff(%q, %q) = %q, want %q", tt.name, tt.head, got, tt.want)
			}
		})
	}
}

func TestLineCounter(t *testing.T) {
	// Lines of the top-level array's elements, with a BOM and CRLF.
	input := "\ufeff[\r\n  {\"role\": \"customer\", \"text\": \"a\"},\r\n\r\n  {\"role\": \"agent\",\r\n   \"text\": \"b\"}, {\"role\": \"agent\", \"text\": \"c\"}\r\n]\r\n"
	var lines []int
	err := ReadJSON(strings.NewReader(input), Mapping{}, func(tu Turn) error { lines = append(lines, tu.Line); return nil }, func(line int, err error) { t.Errorf("bad %d: %v", line, err) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 4, 5}; !slices.Equal(lines, want) {
		t.Errorf("lines = %v, want %v", lines, want)
	}
}

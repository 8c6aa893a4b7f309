package audit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/replylint/replylint/config"
	auditpkg "github.com/replylint/replylint/integrations/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const fixture = "testdata/agents.jsonl"

func teamConfig(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Load("testdata/agents.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestCSVOneRowPerGroup(t *testing.T) {
	tests := []struct {
		by       string
		wantRows []string
	}{
		{"agent", []string{"Anna", "Boris", "Layla"}},
		{"team", []string{"billing", "logistics"}},
		{"day", []string{"2024-03-01", "2024-03-02", "2024-03-03"}},
		{"category", []string{"courtesy", "deflection", "dismissive", "responsiveness", "runaround"}},
	}
	for _, tt := range tests {
		t.Run(tt.by, func(t *testing.T) {
			out, errOut, err := run(t, teamConfig(t), "", "--by", tt.by, "--format", "csv", fixture)
			if code := exitCode(err); code != 1 {
				t.Errorf("exit %d, want 1 (errors found); stderr %q", code, errOut)
			}
			if errOut != "" {
				t.Errorf("stderr %q, want nothing", errOut)
			}
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs[1:] {
				got = append(got, r[0])
			}
			if !reflect.DeepEqual(got, tt.wantRows) {
				t.Errorf("rows %q, want %q", got, tt.wantRows)
			}
			if recs[0][0] != tt.by {
				t.Errorf("first column %q, want %q", recs[0][0], tt.by)
			}
			golden(t, "by-"+tt.by+".csv", out)
		})
	}
}

func TestCSVPerCategoryCounts(t *testing.T) {
	out, _, _ := run(t, nil, "", "--by", "agent", "--format", "csv", fixture)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	row := map[string][]string{}
	for _, r := range recs[1:] {
		row[r[0]] = r
	}
	tests := []struct{ agent, column, want string }{
		{"Anna", "messages", "2"},
		{"Boris", "messages", "2"},
		{"Boris", "deflection", "1"},
		{"Boris", "dismissive", "2"},
		{"Boris", "runaround", "1"},
		{"Layla", "deflection", "1"},
		{"Anna", "deflection", "0"},
		{"Boris", "score", "0"},
		{"Boris", "dismissive_per_100", "100"},
	}
	for _, tt := range tests {
		i, ok := col[tt.column]
		if !ok {
			t.Fatalf("no column %q in %q", tt.column, recs[0])
		}
		if got := row[tt.agent][i]; got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.agent, tt.column, got, tt.want)
		}
	}
}

func jsonReport(t *testing.T, s string) *auditpkg.Report {
	t.Helper()
	var rep auditpkg.Report
	if err := json.Unmarshal([]byte(s), &rep); err != nil {
		t.Fatalf("%v in %s", err, s)
	}
	return &rep
}

func TestJSONAggregate(t *testing.T) {
	out, _, _ := run(t, teamConfig(t), "", "--by", "agent", "--format", "json", "--weights", "courtesy=10", fixture)
	golden(t, "by-agent.json", out)
	rep := jsonReport(t, out)
	if rep.Summary.Messages != 6 || rep.Summary.Files != 1 || rep.Summary.Skipped != 0 {
		t.Errorf("summary %+v", rep.Summary)
	}
	cards := map[string]auditpkg.Scorecard{}
	for _, g := range rep.Groups {
		cards[g.Group] = g
	}
	if got := rep.Scoring.Weights["courtesy"]; got != 10 {
		t.Errorf("courtesy weight %v, want 10", got)
	}
	if got := rep.Scoring.Critical; !reflect.DeepEqual(got, []string{"deflection", "dismissive"}) {
		t.Errorf("critical %v", got)
	}
	boris := cards["Boris"]
	if boris.Score != 0 || boris.Failed != 2 || boris.Clean != 0 {
		t.Errorf("Boris %+v: want score 0, 2 failed, none clean", boris)
	}
	anna := cards["Anna"]
	if anna.Messages != 2 || anna.MedianReplySeconds == nil || *anna.MedianReplySeconds != 120 {
		t.Errorf("Anna %+v: want 2 messages, median reply 120 s", anna)
	}
	if g := anna.Courtesy.Greeting; g == nil || *g != 1 {
		t.Errorf("Anna greeting rate %v, want 1", g)
	}
	if a := anna.Courtesy.ApologyAfterComplaint; a == nil || *a != 1 {
		t.Errorf("Anna apology after complaint %v, want 1 (she apologised)", a)
	}
	if len(boris.TopPhrases) == 0 {
		t.Errorf("Boris has no top phrases")
	}
	if ex := boris.Examples["dismissive"]; len(ex) != 2 || ex[0].Excerpt[ex[0].Start:ex[0].End] == "" {
		t.Errorf("Boris dismissive examples %+v", ex)
	}
	// A different weight moves only the score.
	out2, _, _ := run(t, teamConfig(t), "", "--by", "agent", "--format", "json", "--critical", "none", fixture)
	rep2 := jsonReport(t, out2)
	if rep2.Groups[1].Score == 0 || rep2.Groups[1].Failed != 0 {
		t.Errorf("--critical none: Boris %+v still failed", rep2.Groups[1])
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{"--by", "mood", fixture},
		{"--format", "xml", fixture},
		{"--weights", "deflekshun=3", fixture},
		{"--weights", "deflection=300", fixture},
		{"--critical", "nope", fixture},
		{"--from-findings", "-", fixture},
	}
	for _, args := range tests {
		_, _, err := run(t, nil, "", args...)
		if exitCode(err) != 2 || err == nil || strings.HasPrefix(err.Error(), "exit") {
			t.Errorf("%q: err %v, want a usage error", args, err)
		}
	}
}

// TestFromFindings: the map output reduced gives exactly the direct
// aggregation; check's plain findings give the same findings.
func TestFromFindings(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "c.jsonl")
	f, _ := os.Create(corpus)
	genCorpus(f, 120_000, 7)
	f.Close()
	data, _ := os.ReadFile(corpus)
	for _, by := range []string{"agent", "day", "category"} {
		t.Run(by, func(t *testing.T) {
			direct, _, _ := run(t, nil, "", "--by", by, "--format", "json", corpus)
			// The map step on standard input, in two splits, as a cluster would.
			lines := strings.SplitAfter(string(data), "\n")
			half := len(lines) / 2
			for !strings.Contains(lines[half], `"customer"`) {
				half++ // split between conversations
			}
			m1, _, _ := run(t, nil, strings.Join(lines[:half], ""), "--format", "jsonl", "-")
			m2, _, _ := run(t, nil, strings.Join(lines[half:], ""), "--format", "jsonl", "-")
			reduced, _, _ := run(t, nil, m1+m2, "--by", by, "--format", "json", "--from-findings", "-")
			a, b := jsonReport(t, direct), jsonReport(t, reduced)
			for _, r := range []*auditpkg.Report{a, b} {
				for i := range r.Groups {
					for c, exs := range r.Groups[i].Examples {
						for j := range exs {
							exs[j].Where.Path = "" // "-" in the map step
							exs[j].Where.Line = 0  // of the split
						}
						r.Groups[i].Examples[c] = exs
					}
				}
				r.Summary.Files = 0
				for i := range r.Clusters {
					r.Clusters[i].ExampleSource.Path = ""
					r.Clusters[i].ExampleSource.Line = 0
				}
			}
			if !reflect.DeepEqual(a, b) {
				ja, _ := json.MarshalIndent(a, "", " ")
				jb, _ := json.MarshalIndent(b, "", " ")
				t.Errorf("reduced differs from direct:\n%s", firstDiff(string(ja), string(jb)))
			}
		})
	}
	// check --format jsonl style input: findings only.
	jl, _, _ := run(t, nil, "", "--format", "jsonl", fixture)
	var plain []string
	withFindings := 0
	for _, l := range strings.Split(strings.TrimSpace(jl), "\n") {
		if !strings.HasPrefix(l, `{"record"`) {
			plain = append(plain, l)
		} else if !strings.HasSuffix(l, `"findings":0}}`) {
			withFindings++
		}
	}
	out, _, _ := run(t, nil, strings.Join(plain, "\n"), "--format", "json", "--from-findings", "-")
	direct, _, _ := run(t, nil, "", "--format", "json", fixture)
	r, d := jsonReport(t, out), jsonReport(t, direct)
	if r.Summary.Findings != d.Summary.Findings || !reflect.DeepEqual(r.Summary.ByCategory, d.Summary.ByCategory) {
		t.Errorf("findings only: summary %+v, direct %+v", r.Summary, d.Summary)
	}
	if r.Summary.FindingsOnly != r.Summary.Messages || r.Summary.Messages != withFindings || withFindings == d.Summary.Messages {
		t.Errorf("findings only: %d messages (%d findings-only), want %d of %d (clean messages are unseen)",
			r.Summary.Messages, r.Summary.FindingsOnly, withFindings, d.Summary.Messages)
	}
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			lo := max(i-5, 0)
			return "direct:\n" + strings.Join(la[lo:min(i+3, len(la))], "\n") + "\nreduced:\n" + strings.Join(lb[lo:min(i+3, len(lb))], "\n")
		}
	}
	return "lengths differ"
}

func TestClusters(t *testing.T) {
	template := "Dear valued customer, thank you for contacting us. Your request has been received and will be processed by our team within five to seven business days. Please do not reply to this email. Reference %s."
	questionsDistinct := []string{
		"My parcel never arrived and the tracking page shows nothing at all.",
		"Can I upgrade to the family plan before my next billing date?",
		"The app crashes whenever I open the settings page on Android.",
		"Please delete my account and all personal data you hold.",
		"Why was my card declined when the balance is fine?",
	}
	distinctReplies := []string{
		"Hi Mary, I am sorry the parcel is late: I have asked the courier to trace it and will write to you tomorrow with news.",
		"Hello Tom, yes you can upgrade any time from the Plan page, and the price difference is prorated on your next invoice.",
		"Hi Lena, thanks for the report! Our developers fixed that crash in version 4.2, which is in the store since this morning.",
		"Dear Omar, your account and personal data are now deleted; you will receive a confirmation email within an hour.",
		"Hi Sara, the bank declined it as a precaution; I have whitelisted your card and you can retry the payment right away.",
	}
	build := func(replies func(i int) string, question func(i int) string) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		for i := range 5 {
			conv := "k-" + string(rune('a'+i))
			enc.Encode(turn{conv, "customer", customers[i], question(i), "2024-03-01T10:00:00Z"})
			enc.Encode(turn{conv, "agent", agents[i%3], replies(i), "2024-03-01T10:05:00Z"})
		}
		return b.String()
	}
	tests := []struct {
		name      string
		input     string
		wantSize  int
		wantDiffQ bool
	}{
		{"template to different questions", build(func(i int) string { return strings.Replace(template, "%s", "#"+string(rune('1'+i))+"0042", 1) },
			func(i int) string { return questionsDistinct[i] }), 5, true},
		{"template to the same question", build(func(i int) string { return strings.Replace(template, "%s", "#"+string(rune('1'+i))+"0042", 1) },
			func(i int) string { return questionsDistinct[0] }), 5, false},
		{"distinct replies", build(func(i int) string { return distinctReplies[i] }, func(i int) string { return questionsDistinct[i] }), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, _ := run(t, nil, tt.input, "--format", "json", "-")
			rep := jsonReport(t, out)
			if tt.wantSize == 0 {
				if len(rep.Clusters) != 0 {
					t.Errorf("clusters %+v, want none", rep.Clusters)
				}
				return
			}
			if len(rep.Clusters) != 1 {
				t.Fatalf("%d clusters, want 1: %+v", len(rep.Clusters), rep.Clusters)
			}
			c := rep.Clusters[0]
			if c.Size != tt.wantSize || c.Customers != 5 || c.DifferentQuestions != tt.wantDiffQ || len(c.Agents) != 3 {
				t.Errorf("cluster %+v, want size %d to 5 customers by 3 agents, different questions %v", c, tt.wantSize, tt.wantDiffQ)
			}
			if !strings.HasPrefix(c.Example, "Dear valued customer") {
				t.Errorf("example %q", c.Example)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile(fixture)
	writeFile(t, dir, "a.jsonl", string(good[:bytes.IndexByte(good, '\n')+1])+"{this is not json\n"+string(good[bytes.IndexByte(good, '\n')+1:]))
	writeFile(t, dir, "b.eml", "\x00\x01\x02 binary junk")
	writeFile(t, dir, "c.txt", "\xff\xfe not utf-8 \xc3")
	out, errOut, err := run(t, nil, "", "--format", "json", dir)
	if code := exitCode(err); code != 2 {
		t.Errorf("exit %d, want 2 (inputs skipped)", code)
	}
	rep := jsonReport(t, out)
	if rep.Summary.Skipped != 3 || len(rep.Skipped) != 3 {
		t.Errorf("skipped %d %+v, want 3", rep.Summary.Skipped, rep.Skipped)
	}
	if rep.Summary.Messages != 6 {
		t.Errorf("%d messages, want the 6 good ones", rep.Summary.Messages)
	}
	for _, sk := range rep.Skipped {
		if sk.Reason == "" || sk.Path == "" {
			t.Errorf("skip without path or reason: %+v", sk)
		}
	}
	if !strings.Contains(errOut, "a.jsonl:2") || !strings.Contains(errOut, "3 input(s) skipped") {
		t.Errorf("stderr %q: want the bad line named and the skipped count", errOut)
	}
	table, _, _ := run(t, nil, "", dir)
	if !strings.Contains(table, "3 skipped") || !strings.Contains(table, "a.jsonl:2") {
		t.Errorf("table does not report the skipped inputs:\n%s", table)
	}
}

func TestDeterministicOrder(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "c.jsonl")
	f, _ := os.Create(corpus)
	genCorpus(f, 80_000, 3)
	f.Close()
	one, _, _ := run(t, nil, "", "--format", "jsonl", "-j", "1", corpus)
	four, _, _ := run(t, nil, "", "--format", "jsonl", "-j", "4", corpus)
	if one != four {
		t.Errorf("-j 4 output differs from -j 1")
	}
}

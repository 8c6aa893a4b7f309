package check

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/internal/cmdutil"
	"github.com/replylint/replylint/rules"
)

// midChat is why the precision sweep's courtesy rows stay flagged.
const midChat = "a chat turn written as mid-conversation: alone it has no greeting, thanks or apology, so it is curt by the product's definition"

// knownMisses are the labelled rows the built-in catalogue gets wrong on
// purpose or for want of context, each with why: "MISS id category" or
// "FP id category".
var knownMisses = map[string]string{
	"MISS h6-fa-017 canned":  "a password-reset template sent to a refund question: only the customer's message shows it",
	"MISS h6-ru-060 canned":  "the same: a template that answers another question",
	"FP p19-ar-010 courtesy": midChat,
	"FP p19-en-001 courtesy": midChat,
	"FP p19-en-006 courtesy": midChat,
	"FP p19-en-008 courtesy": midChat,
	"FP p19-en-024 courtesy": midChat,
	"FP p19-en-029 courtesy": midChat,
	"FP p19-en-036 courtesy": midChat,
	"FP p19-fa-028 courtesy": midChat,
	"FP p19-ru-040 courtesy": midChat,
}

// TestLabelledSets checks every row of the labelled sets (testdata/*.jsonl:
// the held-out sets and precision sweeps) and of the development set
// (../shared/eval, when present) as score.py does — `replylint check --format json --kind KIND` over the
// row's text in a file, findings of severity error or warning — and fails
// on a missed category or a finding on a clean row that knownMisses does
// not list, and on a known miss that no longer happens. Each set was tuned
// after its blind score; this keeps later rule changes from undoing it.
func TestLabelledSets(t *testing.T) {
	sets, _ := filepath.Glob("../../../testdata/*.jsonl")
	if dev := "../../../../shared/eval/devset.jsonl"; fileExists(dev) {
		sets = append(sets, dev)
	}
	if len(sets) == 0 {
		t.Fatal("no labelled sets found")
	}
	type row struct {
		ID, Lang, Kind, Text string
		Expect               []string
	}
	dir := t.TempDir()
	byKind := map[string][]string{}
	rows := map[string]row{}
	for _, set := range sets {
		data, err := os.ReadFile(set)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var r row
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%s:%d: %v", set, i+1, err)
			}
			p := filepath.Join(dir, r.ID+".txt")
			if _, dup := rows[p]; dup {
				t.Fatalf("%s:%d: id %s used twice", set, i+1, r.ID)
			}
			if err := os.WriteFile(p, []byte(r.Text), 0o644); err != nil {
				t.Fatal(err)
			}
			rows[p] = r
			byKind[r.Kind] = append(byKind[r.Kind], p)
		}
	}
	found := map[string][]string{}
	for kind, paths := range byKind {
		var report struct {
			Findings []struct {
				Category, Severity string
				Source             struct{ Path string }
			}
		}
		out := runCheck(t, append([]string{"--format", "json", "--kind", kind}, paths...)...)
		if err := json.Unmarshal(out, &report); err != nil {
			t.Fatalf("--kind %s: %v", kind, err)
		}
		for _, f := range report.Findings {
			if f.Severity == "error" || f.Severity == "warning" {
				found[f.Source.Path] = append(found[f.Source.Path], f.Category)
			}
		}
	}
	seen := map[string]bool{}
	fails := 0
	for p, r := range rows {
		var wrong []string
		for _, c := range r.Expect {
			if !slices.Contains(found[p], c) {
				wrong = append(wrong, "MISS "+r.ID+" "+c)
			}
		}
		if len(r.Expect) == 0 {
			for _, c := range found[p] {
				wrong = append(wrong, "FP "+r.ID+" "+c)
			}
		}
		for _, w := range wrong {
			if _, ok := knownMisses[w]; ok {
				seen[w] = true
				continue
			}
			if fails++; fails <= 40 {
				t.Errorf("%s (%s %s): %.120q", w, r.Lang, r.Kind, r.Text)
			}
		}
	}
	if fails > 40 {
		t.Errorf("… %d in all", fails)
	}
	for k := range knownMisses {
		if !seen[k] {
			t.Errorf("%s is in knownMisses but no longer happens: remove it", k)
		}
	}
	t.Logf("%d rows in %d sets", len(rows), len(sets))
}

// runCheck runs `replylint check args...` in process with the built-in
// catalogue and no configuration, and returns its standard output.
func runCheck(t *testing.T, args ...string) []byte {
	t.Helper()
	ios, _, out, errOut := cmdutil.Test()
	f := cmdutil.New()
	f.IOStreams = ios
	f.Config = func() (*config.Config, error) { return &config.Config{}, nil }
	f.Rules = rules.Builtin
	cmd := NewCmdCheck(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if err := cmd.Execute(); err != nil {
		if e, ok := err.(*cmdutil.ExitCodeError); !ok || e.Code != 1 {
			t.Fatalf("check: %v: %s", err, errOut)
		}
	}
	return out.Bytes()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

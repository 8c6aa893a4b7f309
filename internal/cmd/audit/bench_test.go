package audit

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/replylint/replylint/rules"
)

var auditSize = flag.Int64("audit.size", 50<<20, "bytes of generated transcripts BenchmarkAudit audits (e.g. 1100000000 for ≥1 GB)")

// BenchmarkAudit audits a JSONL transcript corpus generated at bench time
// in a temporary folder (never committed), end to end with the built-in
// catalogue (not the small one of the golden tests): reading, linting on
// every core, aggregation, clusters and the JSON report. Run ≥1 GB with
//
//	go test ./internal/cmd/audit/ -run '^$' -bench Audit -benchtime 1x -audit.size 1100000000
func BenchmarkAudit(b *testing.B) {
	dir := b.TempDir()
	corpus := filepath.Join(dir, "corpus.jsonl")
	f, err := os.Create(corpus)
	if err != nil {
		b.Fatal(err)
	}
	size, err := genCorpus(f, *auditSize, 42)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	b.SetBytes(size)
	b.ResetTimer()
	var msgs int
	for b.Loop() {
		_, errOut, err := runWith(b, rules.LoadBuiltin, nil, "", "--format", "json", "--by", "agent", "-o", report, corpus)
		if code := exitCode(err); code > 1 {
			b.Fatalf("exit %d: %s", code, errOut)
		}
		data, _ := os.ReadFile(report)
		msgs = jsonMessages(string(data))
	}
	b.StopTimer()
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(size)/1e6/sec, "MB/s")
	b.ReportMetric(float64(msgs)/sec, "messages/s")
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB") // Linux: KiB
	}
}

func jsonMessages(s string) int {
	i := strings.Index(s, `"messages": `)
	if i < 0 {
		return 0
	}
	n := 0
	for _, c := range s[i+len(`"messages": `):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

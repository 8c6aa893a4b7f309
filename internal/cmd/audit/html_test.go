package audit

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium returns the headless Chromium binary, or skips the test loudly.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("SKIPPED: no chromium in PATH — the HTML report was NOT rendered in a browser (apt-get install chromium)")
	return ""
}

func chromiumRun(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, bin, append([]string{"--headless=new", "--no-sandbox", "--disable-gpu",
		"--no-first-run", "--disable-extensions", "--user-data-dir=" + filepath.Join(home, "profile")}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// htmlCorpus is the several-agent fixture plus a canned template sent to
// different customers, so that every section of the report has content.
func htmlCorpus(t *testing.T, dir string) string {
	t.Helper()
	fix, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Write(fix)
	qs := []string{"Where is my refund for order 1182?", "How do I reset my password?", "Can you ship to Norway?", "My screen is cracked on arrival."}
	for i, q := range qs {
		conv := "h-" + string(rune('a'+i))
		b.WriteString(`{"conversation_id":"` + conv + `","role":"customer","author":"` + customers[i] + `","text":"` + q + `","timestamp":"2024-03-04T10:00:00Z"}` + "\n")
		b.WriteString(`{"conversation_id":"` + conv + `","role":"agent","author":"` + agents[i%2] + `","text":"` + template + `","timestamp":"2024-03-04T10:20:00Z"}` + "\n")
	}
	return writeFile(t, dir, "corpus.jsonl", b.String())
}

func TestHTMLReport(t *testing.T) {
	dir := t.TempDir()
	in := htmlCorpus(t, dir)
	report := filepath.Join(dir, "report.html")
	_, errOut, err := run(t, teamConfig(t), "", "--by", "agent", "--format", "html", "-o", report, in)
	if code := exitCode(err); code != 1 {
		t.Fatalf("exit %d: %v %s", code, err, errOut)
	}
	page, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	// Self-contained: no external script, style, font or image.
	for _, re := range []string{`(?i)<script`, `(?i)<link`, `(?i)src=`, `(?i)@import`, `(?i)url\(`, `(?i)https?://`} {
		if loc := regexp.MustCompile(re).FindStringIndex(html); loc != nil {
			t.Errorf("report has %q: %q", re, html[max(loc[0]-40, 0):min(loc[1]+40, len(html))])
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(") {
		t.Errorf("the message's <script> is not escaped as text")
	}
	if !strings.Contains(html, `dir="auto"`) {
		t.Errorf("message text has no dir=\"auto\"")
	}

	bin := chromium(t)
	shot := filepath.Join(dir, "report.png")
	chromiumRun(t, bin, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars", "file://"+report)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot %v, want 1280×2000", b)
	}
	if st, _ := os.Stat(shot); st.Size() < 50_000 {
		t.Errorf("screenshot is only %d bytes: blank page?", st.Size())
	}
	if keep := os.Getenv("AUDIT_SCREENSHOT"); keep != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(keep, data, 0o644)
	}

	dom := string(chromiumRun(t, bin, "--dump-dom", "file://"+report))
	checks := []struct {
		what string
		re   string
		min  int
	}{
		{"scorecard rows", `<tr class="group-row">`, 3},
		{"Anna's row", `<bdi>Anna</bdi>`, 1},
		{"Layla's row", `<bdi>Layla</bdi>`, 1},
		{"charts", `<svg[^>]*role="img"`, 3},
		{"bars", `<g class="bar"`, 6},
		{"timeline days", `<g class="day">`, 4},
		{"cluster section", `<section id="clusters">`, 1},
		{"cluster rows", `<tr class="cluster">`, 1},
		{"different questions", `unrelated to the request`, 1},
		{"highlighted spans", `<mark>`, 5},
		{"injected script as text", `&lt;script&gt;alert\('x'\)&lt;/script&gt;`, 1},
		{"RTL text", `ليست مسؤوليتي`, 1},
	}
	for _, c := range checks {
		if n := len(regexp.MustCompile(c.re).FindAllStringIndex(dom, -1)); n < c.min {
			t.Errorf("DOM has %d %s (%s), want at least %d", n, c.what, c.re, c.min)
		}
	}
	if strings.Contains(dom, "<script>alert") {
		t.Errorf("the injected <script> became an element")
	}
}

package mail

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCorpus reads every file of the shared corpus of real-world email
// (../../../shared/corpora/eml, when present): none may panic.
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpora", "eml")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("no corpus at %s", root)
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var (
		n, failed, warned, html int
		bytes                   int64
	)
	start := time.Now()
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := f.Stat(); err == nil {
			bytes += st.Size()
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", p, r)
				}
			}()
			m, err := Read(f, Options{})
			n++
			if err != nil {
				failed++
				t.Logf("%s: %v", p, err)
				return
			}
			checkValid(t, m)
			if len(m.Warnings) > 0 {
				warned++
			}
			if m.HTML {
				html++
			}
		}()
		f.Close()
	}
	d := time.Since(start)
	t.Logf("%d messages (%.1f MB) in %v: %.0f messages/s; %d errors, %d with warnings, %d from HTML",
		n, float64(bytes)/1e6, d.Round(time.Millisecond), float64(n)/d.Seconds(), failed, warned, html)
}

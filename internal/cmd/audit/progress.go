package audit

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress drives the progress bar on standard error: bytes read (of the
// total size of the inputs, when known), messages, rate and ETA. A nil
// progress does nothing.
type progress struct {
	bar      *progressbar.ProgressBar
	start    time.Time
	messages int
	done     int64 // bytes of the inputs finished
	cur      string
	curSize  int64
	curBytes int64
	lastDesc time.Time
}

func newProgress(opts *Options, paths []string) *progress {
	switch opts.Progress {
	case "never":
		return nil
	case "auto":
		if !opts.IO.IsStderrTTY() {
			return nil
		}
	}
	total := int64(0)
	for _, p := range paths {
		if p == "-" {
			total = -1
			break
		}
		total += sizeOf(p)
	}
	if opts.FromFindings != "" {
		total = -1
		if opts.FromFindings != "-" {
			total = sizeOf(opts.FromFindings)
		}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(opts.IO.ErrOut),
		progressbar.OptionSetDescription("auditing"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(24),
		progressbar.OptionThrottle(150*time.Millisecond),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
	return &progress{bar: bar, start: time.Now()}
}

// sizeOf is the total size of the regular, not hidden files under p.
func sizeOf(p string) int64 {
	var n int64
	filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if q != p && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			if st, err := d.Info(); err == nil {
				n += st.Size()
			}
		}
		return nil
	})
	return n
}

// message counts a message of path, about size bytes of input.
func (p *progress) message(path string, size int) {
	if p == nil {
		return
	}
	p.messages++
	if path != p.cur {
		p.done += p.curSize
		p.cur, p.curBytes, p.curSize = path, 0, 0
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			p.curSize = st.Size()
		}
	}
	p.curBytes += int64(size)
	cur := p.curBytes
	if p.curSize > 0 {
		cur = min(cur, p.curSize)
	}
	p.bar.Set64(p.done + cur)
	if now := time.Now(); now.Sub(p.lastDesc) > 200*time.Millisecond {
		p.lastDesc = now
		rate := float64(p.messages) / max(now.Sub(p.start).Seconds(), 1e-3)
		p.bar.Describe(fmt.Sprintf("%d messages (%.0f msg/s)", p.messages, rate))
	}
}

func (p *progress) finish() {
	if p == nil {
		return
	}
	p.bar.Finish()
}

package analyzer

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// stageText is the testdata messages joined: the text the stage
// benchmarks below run over, one stage at a time, with reused buffers as
// Run uses them.
func stageText(b testing.TB) string {
	files, _ := filepath.Glob("../testdata/*/*.txt")
	clean, _ := filepath.Glob("../testdata/*/clean/*.txt")
	want := regexp.MustCompile(` // want.*`)
	var sb strings.Builder
	for _, f := range append(files, clean...) {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		sb.WriteString(want.ReplaceAllString(string(data), ""))
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// BenchmarkStageNormalize is the normaliser as Run uses it (buffers reused).
func BenchmarkStageNormalize(b *testing.B) {
	s := stageText(b)
	b.SetBytes(int64(len(s)))
	var buf []byte
	var off []int32
	for b.Loop() {
		buf, off = normalizeInto(s, buf[:0], off[:0])
	}
}

// BenchmarkStageTokenize is paragraph splitting, language detection and
// tokenisation of normalised text.
func BenchmarkStageTokenize(b *testing.B) {
	t := Normalize(stageText(b))
	b.SetBytes(int64(len(t.Orig)))
	var paras []paragraph
	var toks []Token
	for b.Loop() {
		paras, toks, _ = segment(t, "", paras, toks)
	}
}

// BenchmarkStageMatch is the automaton alone, every built-in pattern.
func BenchmarkStageMatch(b *testing.B) {
	a := newBuiltin(b, Config{})
	a.Precompile()
	pr := prepare(stageText(b), "")
	b.SetBytes(int64(len(pr.text.Orig)))
	sc := a.pool.Get().(*scratch)
	n := 0
	for b.Loop() {
		a.match(pr.text.Norm, pr.toks, pr.paras, sc, func(match) { n++ })
	}
}

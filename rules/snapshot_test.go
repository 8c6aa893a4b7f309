package rules

import (
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite builtin.snapshot from the YAML catalogue")

// TestBuiltinSnapshot checks that builtin.snapshot is the YAML catalogue,
// record for record, and that it decodes to the Set the YAML parses to.
// After editing rules/builtin, run: go test ./rules -run TestBuiltinSnapshot -update
func TestBuiltinSnapshot(t *testing.T) {
	set, err := loadBuiltinYAML()
	if err != nil {
		t.Fatal(err)
	}
	hash, err := sourceHash(builtinFS, "builtin")
	if err != nil {
		t.Fatal(err)
	}
	want := encodeSnapshot(set, hash)
	if *update {
		if err := os.WriteFile("builtin.snapshot", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if snapshot != want {
		t.Fatal("builtin.snapshot is not the catalogue's YAML: run go test ./rules -run TestBuiltinSnapshot -update")
	}
	// LoadBuiltin's fast path: a snapshot it refused would go unnoticed,
	// the YAML giving the same Set.
	got, err := builtinSnapshot()
	if err != nil {
		t.Fatalf("LoadBuiltin would not use the snapshot: %v", err)
	}
	// Its trees are built only when asked for (start-up needs few).
	for _, r := range got.Rules {
		for _, p := range r.Patterns {
			if p.node != nil || p.tree == "" {
				t.Fatalf("the snapshot's patterns are built at load: %+v", p)
			}
		}
	}
	if !reflect.DeepEqual(built(got), set) {
		t.Fatal("the snapshot decodes to another Set than the YAML parses to")
	}
	if got, err := LoadBuiltin(); err != nil || !reflect.DeepEqual(built(got), set) {
		t.Fatalf("LoadBuiltin differs from the YAML catalogue (err %v)", err)
	}
}

// TestSnapshotOfOtherSources checks that a snapshot is refused when the
// catalogue has changed since it was made (LoadBuiltin then reads the YAML).
func TestSnapshotOfOtherSources(t *testing.T) {
	set, err := Parse("x.yaml", []byte("lang: en\ncategory: excuse\nrules:\n  - id: excuse.x\n    message: m\n    suggestion: s\n    patterns: [\"busy (day|week)?\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	data := encodeSnapshot(set, "old")
	if _, err := decodeSnapshot(data, "new"); err == nil {
		t.Error("decodeSnapshot accepted a snapshot of other sources")
	}
	got, err := decodeSnapshot(data, "old")
	if err != nil || !reflect.DeepEqual(built(got), set) {
		t.Errorf("round trip: got %+v, %v; want %+v", got, err, set)
	}
}

// FuzzDecodeSnapshot feeds the decoder broken snapshots: an error or a
// Set, never a panic.
func FuzzDecodeSnapshot(f *testing.F) {
	set, err := loadBuiltinYAML()
	if err != nil {
		f.Fatal(err)
	}
	whole := encodeSnapshot(set, "h")
	lines := strings.SplitAfter(whole, "\n")
	f.Add(strings.Join(lines[:min(40, len(lines))], ""))
	f.Add(snapshotHeader + "\nhash\th\nL\tx\ten\tf\t1\ts\tQ3 Wa\n")
	f.Add(snapshotHeader + "\nhash\th\nL\tx\ten\tf\t1\ts\tQ2 A2 Wa Wb ~3\n")
	f.Add(snapshotHeader + "\nhash\th\nR\tid\tc\ten\terror\tt\tm\ts\td\t1\t\tfalse\tf\t1\nP\t1\ts\tWa\n")
	f.Fuzz(func(t *testing.T, data string) {
		// Every tree of a snapshot that loads builds (Pattern.Node
		// panics otherwise).
		if set, err := decodeSnapshot(data, "h"); err == nil {
			built(set)
		}
	})
}

// built returns set with every pattern's tree built, as the YAML loader
// gives it.
func built(set *Set) *Set {
	build := func(p *Pattern) { *p = NewPattern(p.Source, p.Node(), p.Pos) }
	for _, r := range set.Rules {
		for i := range r.Patterns {
			build(&r.Patterns[i])
		}
		for i := range r.Exceptions {
			build(&r.Exceptions[i].Pattern)
		}
	}
	for _, ps := range set.Phrases {
		for i := range ps {
			build(&ps[i].Pattern)
		}
	}
	return set
}

// BenchmarkLoadBuiltin is loading the catalogue as start-up does: hash
// the YAML files, decode the snapshot.
func BenchmarkLoadBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadBuiltin(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadBuiltinYAML is parsing the YAML catalogue, as start-up did
// before the snapshot and does when the snapshot is stale.
func BenchmarkLoadBuiltinYAML(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadBuiltinYAML(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSourceHash is the snapshot's freshness check alone.
func BenchmarkSourceHash(b *testing.B) {
	for b.Loop() {
		if _, err := sourceHash(builtinFS, "builtin"); err != nil {
			b.Fatal(err)
		}
	}
}

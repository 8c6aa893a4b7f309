package analyzer

import (
	"crypto/sha256"
	_ "embed" // builtin.automata
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"sync"
)

// The built-in catalogue's automata are also stored compiled, in
// builtin.automata: compiling them is most of replylint's start-up (tens of
// milliseconds for the whole catalogue), decoding them a few. An entry is
// keyed by the fingerprint of the patterns it was compiled from (every
// pattern's tree, language and place, in order, and the format), so that
// any other set of patterns — a rule disabled, a team's own rule file, an
// edited catalogue — is compiled as before and never matched by a stale
// automaton. TestBuiltinAutomata fails until the file is regenerated after
// a change to the catalogue or to the compiler:
//
//	go test ./analyzer -run TestBuiltinAutomata -update
//
// The file is a header line, then entries: a 32-byte fingerprint, the
// payload's length (uvarint) and the payload, an automaton's run-time
// tables (see encode).
const automataHeader = "replylint automata 1\n"

//go:embed builtin.automata
var builtinAutomata string

// snapshotEntries indexes builtinAutomata by fingerprint, once.
var snapshotEntries = sync.OnceValue(func() map[[32]byte]string {
	m, err := parseAutomata(builtinAutomata)
	if err != nil {
		// A broken file is a build of ours, not the user's input: the
		// automata are compiled instead, and TestBuiltinAutomata fails.
		return nil
	}
	return m
})

// parseAutomata splits a snapshot file into its entries.
func parseAutomata(data string) (map[[32]byte]string, error) {
	rest, ok := strings.CutPrefix(data, automataHeader)
	if !ok {
		return nil, errors.New("not an automata snapshot of this version")
	}
	m := map[[32]byte]string{}
	for rest != "" {
		if len(rest) < 32 {
			return nil, errors.New("truncated entry")
		}
		var fp [32]byte
		copy(fp[:], rest)
		rest = rest[32:]
		n, k := binary.Uvarint([]byte(rest[:min(len(rest), binary.MaxVarintLen64)]))
		if k <= 0 || n > uint64(len(rest)-k) {
			return nil, errors.New("truncated entry")
		}
		m[fp] = rest[k : k+int(n)]
		rest = rest[k+int(n):]
	}
	return m, nil
}

// appendAutomata appends the snapshot entry of automaton a, compiled from
// patterns of fingerprint fp, to a snapshot file.
func appendAutomata(file []byte, fp [32]byte, a *automaton) []byte {
	if len(file) == 0 {
		file = append(file, automataHeader...)
	}
	payload := a.encode()
	file = append(file, fp[:]...)
	file = binary.AppendUvarint(file, uint64(len(payload)))
	return append(file, payload...)
}

// fingerprint identifies what compileScript makes of jobs: every
// pattern's place in Analyzer.pats, its language and its source (its tree
// is what the rules package parses the source to: a change there is a
// change of the compiler, which TestBuiltinAutomata catches).
func fingerprint(jobs []patJob) [32]byte {
	h := sha256.New()
	buf := append(make([]byte, 0, 64<<10), automataHeader...)
	for _, j := range jobs {
		buf = binary.AppendUvarint(buf, uint64(j.seq))
		buf = append(buf, j.info.lang...)
		buf = append(buf, 0)
		buf = binary.AppendUvarint(buf, uint64(len(j.info.src)))
		buf = append(buf, j.info.src...)
		if len(buf) > 32<<10 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	var fp [32]byte
	h.Sum(fp[:0])
	return fp
}

// encode writes the tables a run reads; what is cheap to derive again
// (the trie's dense tables, the bloom filters, the pairs by symbol) is
// rebuilt by decodeAutomaton.
func (a *automaton) encode() []byte {
	var w snapWriter
	w.uint(uint64(a.script))
	for _, l := range a.letters {
		w.bool(l)
	}
	t := &a.trie
	w.ints(t.root[:])
	n := len(t.nodes)
	child, sibling, literal, stem := make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	bytes := make([]byte, 2*n)
	for i, nd := range t.nodes {
		child[i], sibling[i], literal[i], stem[i] = nd.child, nd.sibling, nd.literal, nd.stem
		bytes[2*i], bytes[2*i+1] = nd.b, nd.kids
	}
	w.ints(child)
	w.ints(sibling)
	w.ints(literal)
	w.ints(stem)
	w.bytes(bytes)
	w.uint(uint64(t.nsyms))
	w.int(int64(t.numSym))

	w.ints(a.owner)
	w.ints(a.global)
	w.bools(a.factorOf)
	w.bools(a.anchored)
	w.lists(a.firstBy)
	w.lists(a.factorBy)
	w.lists(a.startAny)
	w.lists(a.startClause)

	// The positions: their transitions and any-word successors, counted
	// (they lie in order in trSym/trTo and anyTo).
	np := len(a.hot)
	ntr, nany := make([]int32, np), make([]int32, np)
	gapLast := make([]byte, np)
	for p, h := range a.hot {
		ntr[p], nany[p] = h.trEnd-h.trOff, h.anyEnd-h.anyOff
		gapLast[p] = byte(h.gapMax) << 1
		if h.last {
			gapLast[p] |= 1
		}
	}
	w.ints(ntr)
	w.ints(nany)
	w.bytes(gapLast)
	w.ints(a.trSym)
	w.ints(a.trTo)
	w.ints(a.anyTo)

	// The start pairs, by first symbol, then next symbol.
	npair := len(a.pairs) / 3
	first, next, from, to := make([]int32, 0, npair), make([]int32, 0, npair), make([]int32, 0, npair), make([]int32, 0, npair)
	for s := range len(a.pairOff) - 1 {
		for k := 3 * a.pairOff[s]; k < 3*a.pairOff[s+1]; k += 3 {
			first = append(first, int32(s))
			next = append(next, a.pairs[k])
			from = append(from, a.pairs[k+1])
			to = append(to, a.pairs[k+2])
		}
	}
	w.ints(first)
	w.ints(next)
	w.ints(from)
	w.ints(to)
	w.ints(a.pairPos)
	return w.buf
}

// decodeAutomaton reads an automaton that encode wrote, for an Analyzer
// of npats patterns.
func decodeAutomaton(data string, npats int) (*automaton, error) {
	r := snapReader{data: data}
	a := &automaton{script: script(r.uint())}
	for i := range a.letters {
		a.letters[i] = r.bool()
	}
	t := &a.trie
	if root := r.ints(); len(root) == len(t.root) {
		copy(t.root[:], root)
	} else {
		r.fail()
	}
	child, sibling, literal, stem, bytes := r.ints(), r.ints(), r.ints(), r.ints(), r.bytes()
	n := len(child)
	if len(sibling) != n || len(literal) != n || len(stem) != n || len(bytes) != 2*n {
		r.fail()
	}
	t.nsyms = int(r.uint())
	t.numSym = int32(r.int())

	a.owner = r.ints()
	a.global = r.ints()
	a.factorOf = r.bools()
	a.anchored = r.bools()
	a.firstBy = r.lists()
	a.factorBy = r.lists()
	a.startAny = r.lists()
	a.startClause = r.lists()

	ntr, nany, gapLast := r.ints(), r.ints(), r.bytes()
	a.trSym, a.trTo, a.anyTo = r.ints(), r.ints(), r.ints()
	first, next, from, to, pos := r.ints(), r.ints(), r.ints(), r.ints(), r.ints()
	if r.err != nil {
		return nil, r.err
	}
	if r.data != "" {
		return nil, errors.New("automaton: trailing data")
	}
	np := len(ntr)
	if len(nany) != np || len(gapLast) != np || len(a.owner) != np || len(a.anchored) != np ||
		len(a.trTo) != len(a.trSym) || len(next) != len(first) || len(from) != len(first) || len(to) != len(first) {
		return nil, errors.New("automaton: tables of different lengths")
	}
	// Every index a run follows is checked here, once: a run trusts them.
	nsyms, nglobal := int32(t.nsyms), int32(len(a.global))
	for _, l := range [][][]int32{a.firstBy, a.factorBy, a.startAny, a.startClause} {
		if len(l) != int(nsyms) {
			return nil, errors.New("automaton: symbol tables of another size")
		}
	}
	inRange := func(xs []int32, lo, hi int32) bool {
		for _, x := range xs {
			if x < lo || x >= hi {
				return false
			}
		}
		return true
	}
	npos := int32(np)
	if !inRange(t.root[:], 0, int32(n)) || !inRange(child, 0, int32(n)) || !inRange(sibling, 0, int32(n)) ||
		!inRange(literal, -1, nsyms) || !inRange(stem, -1, nsyms) || t.numSym < -1 || t.numSym >= nsyms ||
		!inRange(a.owner, 0, nglobal) || !inRange(a.global, 0, int32(npats)) || !inRange(a.trSym, 0, nsyms) || !inRange(a.trTo, 0, npos) || !inRange(a.anyTo, 0, npos) ||
		!inRange(first, 0, nsyms) || !inRange(next, 0, nsyms) || !inRange(from, 0, int32(len(pos))+1) || !inRange(to, 0, int32(len(pos))+1) {
		return nil, errors.New("automaton: index out of range")
	}
	// A trie built by node has children after their parent and each
	// sibling before the next: a lookup then always ends.
	for i := range child {
		if child[i] != 0 && child[i] <= int32(i) || sibling[i] != 0 && sibling[i] >= int32(i) {
			return nil, errors.New("automaton: not a trie")
		}
		for c := child[i]; c != 0; c = sibling[c] {
			if c <= int32(i) {
				return nil, errors.New("automaton: not a trie")
			}
		}
	}
	for _, ls := range [][][]int32{a.firstBy, a.startAny} {
		for _, l := range ls {
			if !inRange(l, 0, npos) {
				return nil, errors.New("automaton: index out of range")
			}
		}
	}
	for _, l := range a.factorBy {
		if !inRange(l, 0, nglobal) {
			return nil, errors.New("automaton: index out of range")
		}
	}
	// These start lists are (position, pattern or -1) pairs.
	startEntries := func(l []int32) bool {
		for k := 0; k+1 < len(l); k += 2 {
			if l[k] < 0 || l[k] >= npos || l[k+1] < -1 || l[k+1] >= nglobal {
				return false
			}
		}
		return len(l)%2 == 0
	}
	for _, l := range a.startClause {
		if !startEntries(l) {
			return nil, errors.New("automaton: bad start list")
		}
	}
	if !startEntries(pos) {
		return nil, errors.New("automaton: bad start list")
	}

	t.nodes = make([]trieNode, n)
	for i := range t.nodes {
		t.nodes[i] = trieNode{child: child[i], sibling: sibling[i], literal: literal[i], stem: stem[i], b: bytes[2*i], kids: bytes[2*i+1]}
	}
	t.finish()

	a.hot = make([]posHot, np)
	var trOff, anyOff int32
	for p := range a.hot {
		trEnd, anyEnd := trOff+ntr[p], anyOff+nany[p]
		if ntr[p] < 0 || nany[p] < 0 || int(trEnd) > len(a.trSym) || int(anyEnd) > len(a.anyTo) {
			return nil, errors.New("automaton: transitions out of range")
		}
		var bloom uint64
		for _, s := range a.trSym[trOff:trEnd] {
			bloom |= 1 << (s & 63)
		}
		a.hot[p] = posHot{bloom: bloom, trOff: trOff, trEnd: trEnd, anyOff: anyOff, anyEnd: anyEnd,
			global: a.global[a.owner[p]], gapMax: int8(gapLast[p] >> 1), last: gapLast[p]&1 != 0}
		trOff, anyOff = trEnd, anyEnd
	}

	// The pairs come sorted by (first, next), each once, with even
	// bounds: a run reads pairPos[from:to] as start entries.
	a.pairNext = make([]uint64, nsyms)
	a.pairOff = make([]int32, nsyms+1)
	a.pairs = make([]int32, 0, 3*len(first))
	a.pairPos = pos
	for i := range first {
		if from[i] > to[i] || from[i]%2 != 0 || to[i]%2 != 0 {
			return nil, errors.New("automaton: start pair out of range")
		}
		if i > 0 && (first[i] < first[i-1] || first[i] == first[i-1] && next[i] <= next[i-1]) {
			return nil, errors.New("automaton: start pairs out of order")
		}
		a.pairs = append(a.pairs, next[i], from[i], to[i])
		a.pairOff[first[i]+1]++
		a.pairNext[first[i]] |= 1 << (next[i] & 63)
	}
	for s := 1; s <= int(nsyms); s++ {
		a.pairOff[s] += a.pairOff[s-1]
	}
	return a, nil
}

// snapWriter writes the varint-coded tables of encode.
type snapWriter struct{ buf []byte }

func (w *snapWriter) uint(x uint64) { w.buf = binary.AppendUvarint(w.buf, x) }
func (w *snapWriter) int(x int64)   { w.buf = binary.AppendVarint(w.buf, x) }
func (w *snapWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// ints writes a length, the least element, and each element's excess
// over it in the fewest bytes that hold the largest (1, 2 or 4): most
// tables index fewer than 65,536 positions or symbols, and a fixed width
// decodes in a tight loop.
func (w *snapWriter) ints(xs []int32) {
	w.uint(uint64(len(xs)))
	if len(xs) == 0 {
		return
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	width := intWidth(uint32(hi - lo))
	w.int(int64(lo))
	w.buf = append(w.buf, byte(width))
	for _, x := range xs {
		d := uint32(x - lo)
		switch width {
		case 1:
			w.buf = append(w.buf, byte(d))
		case 2:
			w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(d))
		default:
			w.buf = binary.LittleEndian.AppendUint32(w.buf, d)
		}
	}
}

// intWidth is the number of bytes ints stores an excess of d in.
func intWidth(d uint32) int {
	switch {
	case d < 1<<8:
		return 1
	case d < 1<<16:
		return 2
	}
	return 4
}

func (w *snapWriter) bytes(b []byte) {
	w.uint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}

func (w *snapWriter) bools(bs []bool) {
	w.uint(uint64(len(bs)))
	for _, b := range bs {
		w.bool(b)
	}
}

// lists writes a list of lists: their lengths, then their elements.
func (w *snapWriter) lists(ls [][]int32) {
	lens := make([]int32, len(ls))
	var flat []int32
	for i, l := range ls {
		lens[i] = int32(len(l))
		flat = append(flat, l...)
	}
	w.ints(lens)
	w.ints(flat)
}

// snapReader reads what snapWriter wrote; the first error sticks, and
// later reads return zero values.
type snapReader struct {
	data string
	err  error
}

func (r *snapReader) fail() {
	if r.err == nil {
		r.err = errors.New("automaton: truncated or malformed")
	}
	r.data = ""
}

func (r *snapReader) uint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if len(r.data) == 0 {
			break
		}
		c := r.data[0]
		r.data = r.data[1:]
		x |= uint64(c&0x7F) << shift
		if c < 0x80 {
			return x
		}
	}
	r.fail()
	return 0
}

func (r *snapReader) int() int64 {
	u := r.uint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *snapReader) bool() bool { return r.uint() != 0 }

// count reads a length, at most the bytes left (each element takes one at
// least): a corrupt length fails instead of allocating.
func (r *snapReader) count() int {
	n := r.uint()
	if n > uint64(len(r.data)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *snapReader) ints() []int32 {
	n := r.count()
	if n == 0 {
		return []int32{}
	}
	lo := r.int()
	width := int(r.uint())
	if lo != int64(int32(lo)) || width != 1 && width != 2 && width != 4 || n*width > len(r.data) {
		r.fail()
		return nil
	}
	xs := make([]int32, n)
	data, base := r.data[:n*width], int32(lo)
	switch width {
	case 1:
		for k := range xs {
			xs[k] = base + int32(data[k])
		}
	case 2:
		for k := range xs {
			xs[k] = base + int32(uint16(data[2*k])|uint16(data[2*k+1])<<8)
		}
	default:
		for k := range xs {
			xs[k] = base + int32(uint32(data[4*k])|uint32(data[4*k+1])<<8|uint32(data[4*k+2])<<16|uint32(data[4*k+3])<<24)
		}
	}
	r.data = r.data[n*width:]
	return xs
}

func (r *snapReader) bytes() []byte {
	n := r.count()
	b := []byte(r.data[:n])
	r.data = r.data[n:]
	return b
}

func (r *snapReader) bools() []bool {
	n := r.count()
	bs := make([]bool, n)
	for i := range bs {
		bs[i] = r.bool()
	}
	return bs
}

// lists reads what snapWriter.lists wrote, the lists sharing one array.
func (r *snapReader) lists() [][]int32 {
	lens, flat := r.ints(), r.ints()
	ls := make([][]int32, len(lens))
	off := 0
	for i, n := range lens {
		if n < 0 || off+int(n) > len(flat) {
			r.fail()
			return nil
		}
		if n > 0 {
			ls[i] = flat[off : off+int(n) : off+int(n)]
		}
		off += int(n)
	}
	if off != len(flat) {
		r.fail()
	}
	return ls
}

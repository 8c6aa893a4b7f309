package analyzer

import (
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Text is a body of text together with its normalised form and a map from
// every byte of the normalised form back to the original bytes.
//
// Normalisation is Unicode NFKC, then case folding, then the folds that make
// the four languages comparable however they are typed: Arabic diacritics and
// tatweel removed; alef, ya, ta marbuta and hamza seats unified; Persian
// ی/ي and ک/ك unified; ZWNJ treated as a space; ё→е; typographic quotes,
// apostrophes and dashes folded; Arabic-Indic and Persian digits as ASCII.
type Text struct {
	Orig string // the text as given
	Norm string // the normalised text
	// off[i] is the offset in Orig of the character that produced Norm[i];
	// off[len(Norm)] == len(Orig).
	off []int32
}

// Normalize returns the normalised form of s with its offset map. s must be
// valid UTF-8; invalid bytes are replaced by U+FFFD in Norm (and still map
// back to their original offsets).
func Normalize(s string) *Text {
	t := &Text{Orig: s}
	buf := make([]byte, 0, len(s)+len(s)/8)
	off := make([]int32, 0, len(s)+len(s)/8+1)
	buf, t.off = normalizeInto(s, buf, off)
	t.Norm = string(buf)
	return t
}

// normalizeInto appends the normalised form of s to buf and its offset map
// to off, and returns both. Runes that NFKC leaves alone (nearly all text)
// go through a table, each decoded once; a rune that NFKC changes takes the
// NFKC path for its segment, and so does a combining mark with the rune
// before it, whose output is taken back.
func normalizeInto(s string, buf []byte, off []int32) ([]byte, []int32) {
	// The last segment start: its offset in s and the length of buf (and
	// off) before its output, to take it back when a mark follows.
	segStart, segBuf := 0, len(buf)
	base := len(buf)
	var prev rune
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			segStart, segBuf = i, len(buf)
			if m := asciiFold[c]; m != 0 {
				buf = append(buf, m)
				off = append(off, int32(i))
			}
			prev = rune(c)
			i++
			continue
		}
		r, size := decodeRune(s, i)
		if r < tableSize {
			switch runeClass[r] {
			case 1:
				segStart, segBuf = i, len(buf)
				switch out := foldTable[r]; len(out) {
				case 0:
				case 1:
					buf = append(buf, out[0])
					off = append(off, int32(i))
				case 2:
					buf = append(buf, out[0], out[1])
					off = append(off, int32(i), int32(i))
				default:
					buf, off = appendOut(buf, off, out, i)
				}
				prev = r
				i += size
				continue
			case 3:
				// Arabic marks are dropped; the letters they compose with
				// fold back to their base, except Urdu heh goal and barree.
				if prev != 0x06C1 && prev != 0x06D2 {
					prev = r
					i += size
					continue
				}
			}
		} else if out, ok := wideFold(r, s[i:i+size]); ok {
			segStart, segBuf = i, len(buf)
			buf, off = appendOut(buf, off, out, i)
			prev = r
			i += size
			continue
		}
		// A segment that NFKC changes, or a mark that may compose with the
		// segment before it: normalise the segment whole.
		start, end := i, 0
		if i > 0 && segBuf >= base && !norm.NFKC.PropertiesString(s[i:]).BoundaryBefore() {
			// The mark belongs to the segment before, unless that segment
			// ends before it (an invalid byte is a segment of its own).
			if e := segStart + norm.NFKC.NextBoundaryInString(s[segStart:], true); e > i {
				start, end = segStart, e
				buf, off = buf[:segBuf], off[:segBuf]
			}
		}
		if end == 0 {
			end = start + norm.NFKC.NextBoundaryInString(s[start:], true)
		}
		if end <= start {
			end = len(s)
		}
		segStart, segBuf = start, len(buf)
		for _, r := range norm.NFKC.String(s[start:end]) {
			buf, off = appendOut(buf, off, foldRune(r), start)
			prev = r
		}
		i = end
	}
	off = append(off, int32(len(s)))
	return buf, off
}

// wideFold returns the normalised form of r ≥ tableSize, whose bytes in
// the text are src, when NFKC leaves r alone and r starts a segment: from a
// table for the punctuation block (ZWNJ, typographic quotes and dashes are
// common in every language), else from what was learnt of r before.
func wideFold(r rune, src string) (string, bool) {
	if r >= punctLo && r < punctHi {
		e := &punctTable[r-punctLo]
		return e.out, e.stable
	}
	// Other runes: what NFKC and folding do to them is learnt once per
	// process (emoji, CJK and symbols recur in real text).
	var c uint32
	if int(r) < len(wideClass) {
		c = atomic.LoadUint32(&wideClass[r])
	}
	if c == 0 {
		c = wideUnchanged
		if !stableRune(r) {
			c = wideUnstable
		} else if foldRune(r) != string(r) {
			c = wideFolded
		}
		if int(r) < len(wideClass) {
			atomic.StoreUint32(&wideClass[r], c)
		}
	}
	switch c {
	case wideUnchanged:
		return src, true
	case wideFolded:
		return foldRune(r), true
	}
	return "", false
}

// wideClass caches, for the runes from tableSize up to U+1FFFF, whether
// NFKC leaves them alone and whether folding changes them (0: not yet
// known).
var wideClass [0x20000]uint32

const (
	wideUnchanged = 1 + iota
	wideFolded
	wideUnstable
)

const punctLo, punctHi = 0x2000, 0x2070

var punctTable = func() (t [punctHi - punctLo]struct {
	out    string
	stable bool
}) {
	for r := rune(punctLo); r < punctHi; r++ {
		if stableRune(r) {
			t[r-punctLo].out, t[r-punctLo].stable = foldRune(r), true
		}
	}
	return t
}()

// appendOut appends out, the normalised form of the character at s[at],
// to buf, and its offsets to off.
func appendOut(buf []byte, off []int32, out string, at int) ([]byte, []int32) {
	buf = append(buf, out...)
	for range len(out) {
		off = append(off, int32(at))
	}
	return buf, off
}

// decodeRune decodes the rune at s[i], inline for the two-byte runes of
// Cyrillic and Arabic text.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c&0xE0 == 0xC0 && c >= 0xC2 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[i:])
}

// runeClass is, for each rune below tableSize: 1 when NFKC leaves it alone
// and it starts a segment; 2 when it may compose with the rune before it
// (a combining mark); 3 for an Arabic mark that is dropped anyway (the
// letters it composes with fold back to their base letter).
var runeClass = buildRuneClass()

func buildRuneClass() (t [tableSize]uint8) {
	for r := rune(0); r < tableSize; r++ {
		t[r] = classOf(r)
	}
	return t
}

func classOf(r rune) uint8 {
	if !utf8.ValidRune(r) {
		return 0
	}
	str := string(r)
	props := norm.NFKC.PropertiesString(str)
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670:
		return 3
	case !props.BoundaryBefore():
		return 2
	case norm.NFKC.String(str) == str:
		return 1
	}
	return 0
}

// stableRune reports whether NFKC leaves r alone and r starts a segment.
func stableRune(r rune) bool {
	if r < tableSize {
		return runeClass[r] == 1 || runeClass[r] == 3
	}
	if r == utf8.RuneError {
		return false
	}
	str := string(r)
	return norm.NFKC.PropertiesString(str).BoundaryBefore() && norm.NFKC.String(str) == str
}

// OrigSpan returns the byte range in the original text of the normalised
// range [start, end).
func (t *Text) OrigSpan(start, end int) (int, int) {
	start = max(0, min(start, len(t.Norm)))
	end = max(start, min(end, len(t.Norm)))
	os := int(t.off[start])
	if start == end {
		return os, os
	}
	// The original end is where the next source character starts: the
	// first normalised byte after end-1 that comes from a later character
	// (end may fall inside an expansion such as ß→ss).
	last := int(t.off[end-1])
	k := end
	for k < len(t.Norm) && int(t.off[k]) <= last {
		k++
	}
	return os, int(t.off[k])
}

// asciiFold maps each ASCII byte to its normalised byte, 0 for "drop".
// The tables are built by variable initialisers, not init functions, so that
// other package-level variables may call Normalize.
var asciiFold = buildASCIIFold()

// foldTable holds the normalised form of every rune below tableSize.
const tableSize = 0x800

var foldTable = buildFoldTable()

func buildASCIIFold() (t [utf8.RuneSelf]byte) {
	for c := 1; c < utf8.RuneSelf; c++ {
		b := byte(c)
		switch {
		case 'A' <= b && b <= 'Z':
			b += 'a' - 'A'
		case b == '\t' || b == '\v' || b == '\f' || b == '\r':
			b = ' '
		case b == '`':
			b = '\''
		}
		t[c] = b
	}
	return t
}

func buildFoldTable() (t [tableSize]string) {
	fold := cases.Fold()
	ascii := buildASCIIFold()
	for r := rune(1); r < utf8.RuneSelf; r++ {
		if ascii[r] != 0 {
			t[r] = string(ascii[r])
		}
	}
	for r := rune(utf8.RuneSelf); r < tableSize; r++ {
		t[r] = computeFold(fold, r)
	}
	return t
}

// foldRune returns the normalised form of one NFKC rune.
func foldRune(r rune) string {
	if r < tableSize {
		return foldTable[r]
	}
	if s, ok := specialFold(r); ok {
		return s
	}
	if unicode.IsSpace(r) {
		return " "
	}
	if unicode.Is(unicode.Cf, r) { // bidi marks, ZWJ, BOM...
		return ""
	}
	if unicode.IsUpper(r) || unicode.IsTitle(r) {
		return cases.Fold().String(string(r))
	}
	return string(r)
}

func computeFold(fold cases.Caser, r rune) string {
	if s, ok := specialFold(r); ok {
		return s
	}
	if unicode.IsSpace(r) {
		return " "
	}
	if unicode.Is(unicode.Cf, r) {
		return ""
	}
	if !utf8.ValidRune(r) {
		return string(utf8.RuneError)
	}
	return fold.String(string(r))
}

// specialFold holds the language folds that NFKC and case folding do not do.
func specialFold(r rune) (string, bool) {
	switch {
	// Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef,
	// Quranic marks) and tatweel are dropped.
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED && r != 0x06E5 && r != 0x06E6, r == 0x0640:
		return "", true
	case r >= 0x0660 && r <= 0x0669: // Arabic-Indic digits
		return string('0' + (r - 0x0660)), true
	case r >= 0x06F0 && r <= 0x06F9: // Persian digits
		return string('0' + (r - 0x06F0)), true
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return "ا", true
	case 'ى', 'ی', 'ې', 'ۍ', 'ئ': // alef maqsura, Persian ye, hamza on ya → Arabic ya
		return "ي", true
	case 'ک', 'ڪ': // keheh → kaf
		return "ك", true
	case 'ة', 'ۀ', 'ە', 'ۃ': // ta marbuta, heh with yeh above → heh
		return "ه", true
	case 'ؤ':
		return "و", true
	case '\u200c': // ZWNJ ≡ space
		return " ", true
	case '\u200d', '\u200e', '\u200f', '\ufeff', '\u00ad':
		return "", true
	case 'ё':
		return "е", true
	case 'Ё':
		return "е", true
	case '\u2018', '\u2019', '\u201a', '\u201b', '\u2032', '\u00b4', '\u02bc', '\u0060':
		return "'", true
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033', '\u00ab', '\u00bb', '\u2039', '\u203a', '\u300c', '\u300d':
		return "\"", true
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return "-", true
	case '،': // Arabic comma
		return ",", true
	case '؛':
		return ";", true
	case '؟':
		return "?", true
	case '٪':
		return "%", true
	case '٫':
		return ".", true
	case '٬':
		return ",", true
	case '۔':
		return ".", true
	case '\u2026':
		return "...", true
	}
	return "", false
}

package analyzer

import (
	"strings"
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
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	off := make([]int32, 0, len(s)+len(s)/8+1)
	emit := func(out string, at int) {
		b.WriteString(out)
		for range len(out) {
			off = append(off, int32(at))
		}
	}
	i := 0
	for i < len(s) {
		// Bytes that are already NFKC need no iterator: map them rune by rune.
		n := i + norm.NFKC.QuickSpanString(s[i:])
		for i < n {
			c := s[i]
			if c < utf8.RuneSelf {
				if m := asciiFold[c]; m != 0 {
					b.WriteByte(m)
					off = append(off, int32(i))
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			emit(foldRune(r), i)
			i += size
		}
		if i >= len(s) {
			break
		}
		// One normalisation segment that changes under NFKC. (norm.Iter is
		// not used: it can panic on long runs of combining marks.)
		end := i + norm.NFKC.NextBoundaryInString(s[i:], true)
		if end <= i {
			end = len(s)
		}
		seg := norm.NFKC.String(s[i:end])
		for _, r := range seg {
			emit(foldRune(r), i)
		}
		i = end
	}
	off = append(off, int32(len(s)))
	t.Norm = b.String()
	t.off = off
	return t
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

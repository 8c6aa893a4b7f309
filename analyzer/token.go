package analyzer

import (
	"unicode"
	"unicode/utf8"
)

// Token is one word of the normalised text.
type Token struct {
	Start, End int32 // byte range in Text.Norm
	Sentence   int32 // index of the sentence the token belongs to
	Para       int32 // index of the paragraph (blank-line separated)
	Line       int32 // index of the line (0-based)
	Quoted     bool  // inside double quotation marks («…», "…", “…”)
}

// paragraph is a blank-line separated block of the normalised text.
type paragraph struct {
	start, end int // byte range in Text.Norm
	lang       string
}

// isWordRune reports whether r is part of a word.
func isWordRune(r rune) bool {
	if r < tableSize {
		return wordRunes[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

var wordRunes = func() (t [tableSize]bool) {
	for r := rune(0); r < tableSize; r++ {
		t[r] = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
	}
	return t
}()

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// splitParagraphs returns the blank-line separated blocks of norm.
func splitParagraphs(norm string) []paragraph {
	var ps []paragraph
	start := 0
	i := 0
	for i < len(norm) {
		if norm[i] != '\n' {
			i++
			continue
		}
		// Look for a blank line: '\n' [spaces] '\n'.
		j := i + 1
		for j < len(norm) && (norm[j] == ' ' || norm[j] == '\t') {
			j++
		}
		if j < len(norm) && norm[j] == '\n' {
			ps = append(ps, paragraph{start: start, end: i})
			for j < len(norm) && (norm[j] == '\n' || norm[j] == ' ') {
				j++
			}
			start = j
			i = j
			continue
		}
		i++
	}
	if start < len(norm) || len(ps) == 0 {
		ps = append(ps, paragraph{start: start, end: len(norm)})
	}
	return ps
}

// tokenize splits the normalised text into words, with sentence, paragraph
// and line indexes. Persian bound morphemes written apart (می خواهم, نامه ها)
// are joined to their word in Persian paragraphs, so that ZWNJ, a space and
// nothing at all between them tokenise alike.
func tokenize(norm string, paras []paragraph, dst []Token) []Token {
	toks := dst[:0]
	var sentence, line int32
	quoted := false
	lineStart := 0
	for pi, p := range paras {
		if pi > 0 {
			sentence++
			quoted = false
		}
		fa := p.lang == "fa"
		// The می/نمی prefixes join in any Arabic-script paragraph: a short
		// Persian turn typed with ي/ك may be detected as Arabic, and Arabic
		// has no such words. Suffixes join only in Persian (Arabic أي → اي).
		arabicScript := fa || p.lang == "ar"
		i := p.start
		for i < p.end {
			c := norm[i]
			var r rune
			size := 1
			if c < utf8.RuneSelf {
				r = rune(c)
			} else {
				r, size = utf8.DecodeRuneInString(norm[i:])
			}
			if isWordRune(r) {
				start := i
				i += size
				for i < p.end {
					c := norm[i]
					if c < utf8.RuneSelf {
						if isWordRune(rune(c)) {
							i++
							continue
						}
						// An apostrophe or hyphen between two word characters
						// stays in the word: don't, из-за, e-mail.
						if (c == '\'' || c == '-') && i+1 < p.end {
							r2, _ := utf8.DecodeRuneInString(norm[i+1:])
							if isWordRune(r2) {
								i++
								continue
							}
						}
						// A decimal point stays in a number (3.5) and a percent
						// sign ends one (100%: a share, not an amount).
						if isDigit(norm[i-1]) {
							if c == '.' && i+1 < p.end && isDigit(norm[i+1]) {
								i++
								continue
							}
							if c == '%' {
								i++
							}
						}
						break
					}
					r2, s2 := utf8.DecodeRuneInString(norm[i:])
					if !isWordRune(r2) {
						break
					}
					i += s2
				}
				tok := Token{Start: int32(start), End: int32(i), Sentence: sentence, Para: int32(pi), Line: line, Quoted: quoted}
				if arabicScript && len(toks) > 0 {
					prev := &toks[len(toks)-1]
					if prev.Sentence == sentence && int(prev.End)+1 == start && norm[prev.End] == ' ' &&
						(faPrefix[norm[prev.Start:prev.End]] || fa && faSuffix[norm[start:i]]) {
						prev.End = int32(i)
						continue
					}
				}
				toks = append(toks, tok)
				continue
			}
			switch c {
			case '.', '!', '?', ';':
				// A full stop inside a number (3.5) or an abbreviation followed
				// by a lower-case word does not end the sentence.
				if c == '.' && i+1 < p.end && norm[i+1] != ' ' && norm[i+1] != '\n' {
					break
				}
				// Nor does the full stop of an abbreviation: Mrs. Jackson, ул. Ленина.
				if c == '.' && len(toks) > 0 && int(toks[len(toks)-1].End) == i && abbreviations[norm[toks[len(toks)-1].Start:i]] {
					break
				}
				sentence++
			case '"':
				quoted = !quoted
			case '\n':
				// A short line (a greeting, a sign-off, a list item) ends its
				// sentence; a long one is prose wrapped at the margin.
				if utf8.RuneCountInString(norm[lineStart:i]) < 50 {
					sentence++
				}
				line++
				lineStart = i + 1
			}
			i += size
		}
		// Count the newlines of the blank lines between paragraphs.
		if pi+1 < len(paras) {
			for k := p.end; k < paras[pi+1].start; k++ {
				if norm[k] == '\n' {
					line++
					lineStart = k + 1
				}
			}
		}
	}
	return toks
}

// abbreviations whose full stop does not end a sentence (normalised).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "mx": true, "dr": true, "prof": true, "st": true, "jr": true,
	"sr": true, "vs": true, "etc": true, "e.g": true, "i.e": true, "no": true, "approx": true, "ref": true,
	"г": true, "гг": true, "ул": true, "д": true, "т": true, "им": true, "тел": true, "стр": true,
	"см": true, "руб": true, "коп": true, "тыс": true, "млн": true, "пр": true, "т.е": true, "т.д": true,
	"د": true,
}

// Persian bound morphemes, normalised (ی→ي, ک→ك).
var (
	faPrefix = map[string]bool{"مي": true, "نمي": true}
	faSuffix = map[string]bool{
		"ها": true, "هاي": true, "هايي": true, "هايم": true, "هايت": true, "هايش": true,
		"هايمان": true, "هايتان": true, "هايشان": true, "اي": true, "ام": true, "ايم": true,
		"ايد": true, "اند": true, "تر": true, "ترين": true, "تان": true, "شان": true, "مان": true,
	}
)

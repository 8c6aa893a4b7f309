package analyzer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of the normalised text.
type Token struct {
	Start, End int32 // byte range in Text.Norm
	Sentence   int32 // index of the sentence the token belongs to
	Clause     int32 // index of the clause: sentences split at , ; : and a dash (Arabic ، and ؛ are folded to , and ;)
	Para       int32 // index of the paragraph (blank-line separated)
	Line       int32 // index of the line (0-based)
	Quoted     bool  // inside quotation marks: «…», "…", “…”, or '…' and ‘…’ when they pair up
}

// closingSingle returns the index of the apostrophe that closes a quote
// opened by the one at norm[i], or -1: the opening one comes before a word
// and not after one, the closing one after a word or punctuation and not
// before a word, on the same line, within 300 bytes. "'Cause" and the
// plural possessive "customers' orders" open nothing.
func closingSingle(norm string, i, end int) int {
	if i+1 >= end || i > 0 && wordBefore(norm, i) {
		return -1
	}
	if r, _ := decodeRune(norm, i+1); !isWordRune(r) {
		return -1
	}
	for j := i + 2; j < end && j < i+300; j++ {
		switch norm[j] {
		case '\n':
			return -1
		case '\'':
			if norm[j-1] == ' ' {
				continue
			}
			if j+1 < end {
				if r, _ := decodeRune(norm, j+1); isWordRune(r) {
					continue // an apostrophe inside a word: don't
				}
			}
			return j
		}
	}
	return -1
}

// wordBefore reports whether a word character ends just before norm[i].
func wordBefore(norm string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(norm[:i])
	return isWordRune(r)
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
	return isWideWordRune(r)
}

func isWideWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

var wordRunes = func() (t [tableSize]bool) {
	for r := rune(0); r < tableSize; r++ {
		t[r] = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
	}
	return t
}()

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	copy(t[:], wordRunes[:utf8.RuneSelf])
	return t
}()

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// splitParagraphs appends the blank-line separated blocks of norm to ps.
func splitParagraphs(norm string, ps []paragraph) []paragraph {
	n := len(ps)
	start := 0
	i := 0
	for i < len(norm) {
		if norm[i] != '\n' {
			k := strings.IndexByte(norm[i:], '\n')
			if k < 0 {
				break
			}
			i += k
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
	if start < len(norm) || len(ps) == n {
		ps = append(ps, paragraph{start: start, end: len(norm)})
	}
	return ps
}

// segment splits the normalised text of t into paragraphs, its words into
// tokens, and gives each paragraph its language (forced, when given) and
// returns the document's: one pass over the text, the detection working on
// the tokens. paras and toks are reused.
func segment(t *Text, forced string, paras []paragraph, toks []Token) ([]paragraph, []Token, string) {
	paras = splitParagraphs(t.Norm, paras[:0])
	toks = scan(t.Norm, paras, toks[:0])
	lang := detectLanguages(t, paras, toks, forced)
	return paras, joinBound(t.Norm, paras, toks), lang
}

// tokenize splits the normalised text into words, with sentence, paragraph
// and line indexes, for paragraphs whose languages are known.
func tokenize(norm string, paras []paragraph, dst []Token) []Token {
	return joinBound(norm, paras, scan(norm, paras, dst[:0]))
}

// scan appends the words of norm to toks, whatever the language.
func scan(norm string, paras []paragraph, toks []Token) []Token {
	var sentence, clause, line int32
	quoted := false
	single := -1 // the end of a '…' quote the scan is in, or -1
	lineStart := 0
	for pi, p := range paras {
		if pi > 0 {
			sentence++
			clause++
			quoted = false
		}
		single = -1
		i := p.start
		for i < p.end {
			c := norm[i]
			r, size := rune(c), 1
			if c >= utf8.RuneSelf {
				r, size = decodeRune(norm, i)
			}
			if isWordRune(r) {
				start := i
				i += size
				for i < p.end {
					c := norm[i]
					if c < utf8.RuneSelf {
						if asciiWord[c] {
							i++
							continue
						}
						// An apostrophe or hyphen between two word characters
						// stays in the word: don't, из-за, e-mail.
						if (c == '\'' || c == '-') && i+1 < p.end {
							if r2, _ := decodeRune(norm, i+1); isWordRune(r2) {
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
					r2, s2 := decodeRune(norm, i)
					if !isWordRune(r2) {
						break
					}
					i += s2
				}
				toks = append(toks, Token{Start: int32(start), End: int32(i), Sentence: sentence, Clause: clause, Para: int32(pi), Line: line, Quoted: quoted || start < single})
				continue
			}
			switch c {
			case ',', ':', '-', ';':
				// A semicolon joins two clauses of one sentence: "we were
				// overloaded; we've added capacity".
				clause++
			case '.', '!', '?':
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
				clause++
			case '"':
				quoted = !quoted
			case '\'':
				// An apostrophe inside a word never gets here (don't); one
				// before a word opens a quote if a closing one follows on
				// the line: You wrote 'as I already explained'.
				if single < 0 {
					single = closingSingle(norm, i, p.end)
				} else if i >= single {
					single = -1
				}
			case '\n':
				// A short line (a greeting, a sign-off, a list item) ends its
				// sentence; a long one is prose wrapped at the margin.
				if i-lineStart < 50 || utf8.RuneCountInString(norm[lineStart:i]) < 50 {
					sentence++
					clause++
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

// joinBound joins Persian bound morphemes written apart (می خواهم, نامه ها)
// to their word, in place, so that ZWNJ, a space and nothing at all between
// them tokenise alike. The می/نمی prefixes join in any Arabic-script
// paragraph: a short Persian turn typed with ي/ك may be detected as Arabic,
// and Arabic has no such words. Suffixes join only in Persian (Arabic أي → اي).
func joinBound(norm string, paras []paragraph, toks []Token) []Token {
	out := toks[:0]
	for _, tok := range toks {
		lang := paras[tok.Para].lang
		if (lang == "fa" || lang == "ar") && len(out) > 0 {
			prev := &out[len(out)-1]
			if prev.End+1 == tok.Start && prev.Sentence == tok.Sentence && prev.Para == tok.Para && norm[prev.End] == ' ' &&
				(prev.End-prev.Start <= 6 && faPrefix[norm[prev.Start:prev.End]] ||
					lang == "fa" && tok.End-tok.Start <= 12 && faSuffix[norm[tok.Start:tok.End]]) {
				prev.End = tok.End
				continue
			}
		}
		out = append(out, tok)
	}
	return out
}

// abbreviations whose full stop does not end a sentence (normalised).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "mx": true, "dr": true, "prof": true, "st": true, "jr": true,
	"sr": true, "vs": true, "etc": true, "e.g": true, "i.e": true, "no": true, "approx": true, "ref": true,
	"г": true, "гг": true, "ул": true, "д": true, "т": true, "им": true, "тел": true, "стр": true,
	"см": true, "руб": true, "коп": true, "тыс": true, "млн": true, "пр": true, "т.е": true, "т.д": true,
	"п": true, "пп": true, "ст": true, "ч": true, "абз": true, "гл": true, "разд": true, // п. 4.2 договора, ст. 26.1 ЗоЗПП
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

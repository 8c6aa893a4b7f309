package analyzer

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A tired agent types «компитенции» for «компетенции», "responsability"
// for "responsibility", "definately" for "definitely": one vowel for
// another inside a long word. A Latin or Cyrillic word that is not a
// pattern word itself also gets the symbols of the pattern words and stems
// one such substitution away (typoSymbols), so a rule does not have to
// list its words' misspellings. Only long words qualify (minTypoRunes), and
// neither the first letter nor the last two, where inflection lives
// («компетенции» is not «компетенцию» misspelt), so two real words rarely
// meet this way. Words are looked up once per worker (wordCache), so the
// variants cost nothing on words seen before.

// minTypoRunes is the length from which a word is read with one vowel
// substituted.
const minTypoRunes = 7

// typoVowels are the vowels that substitute for each other, by script.
var typoVowels = [...]string{
	scriptLatin:    "aeiouy",
	scriptCyrillic: "аеиоуыэюя",
}

// typoSymbols appends to dst the symbols of the words one vowel
// substitution away from key that key's own symbols, dst[own:], lack; none
// when key is itself a pattern word.
func (t *trie) typoSymbols(key string, dst []int32, own int) []int32 {
	sc := tokenScript(key[0])
	n := utf8.RuneCountInString(key)
	if sc != scriptLatin && sc != scriptCyrillic || n < minTypoRunes || t.isWord(key) {
		return dst
	}
	vowels := typoVowels[sc]
	var buf []byte
	i := 0
	for off, r := range key {
		i++
		// Not the first letter, nor the last two.
		if i == 1 || i > n-2 || !strings.ContainsRune(vowels, r) {
			continue
		}
		size := utf8.RuneLen(r)
		for _, v := range vowels {
			if v == r {
				continue
			}
			buf = append(buf[:0], key[:off]...)
			buf = utf8.AppendRune(buf, v)
			buf = append(buf, key[off+size:]...)
			from := len(dst)
			dst = t.lookup(string(buf), dst)
			// Keep the symbols key and the earlier variants lack: stems
			// that end before the substitution are key's own.
			kept := dst[:from]
			for _, s := range dst[from:] {
				if !slices.Contains(kept[own:], s) {
					kept = append(kept, s)
				}
			}
			dst = kept
		}
	}
	return dst
}

// isWord reports whether key is a pattern word (has a literal symbol).
func (t *trie) isWord(key string) bool {
	n := t.root[key[0]]
	for i := 1; n != 0; i++ {
		nd := &t.nodes[n]
		if i == len(key) {
			return nd.literal >= 0
		}
		n = t.next(nd, key[i])
	}
	return false
}

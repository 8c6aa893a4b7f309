package analyzer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Languages are the languages the built-in catalogue speaks, as base tags.
var Languages = []string{"en", "ar", "fa", "ru"}

// ParseLang turns a language tag ("fa-IR", "ar_EG", "RU", "auto") into one
// of Languages, "" for auto. It fails on a tag it cannot parse and on a
// language replylint has no rules for.
func ParseLang(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "auto") {
		return "", nil
	}
	tag, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return "", &LangError{Tag: s, Reason: "not a language tag"}
	}
	base, _ := tag.Base()
	b := base.String()
	switch b {
	case "pes", "prs": // Iranian and Dari Persian
		b = "fa"
	case "arb", "arz", "apc", "acm", "afb", "ary", "ajp", "apd":
		b = "ar"
	}
	for _, l := range Languages {
		if l == b {
			return l, nil
		}
	}
	return "", &LangError{Tag: s, Reason: "no rules for this language (have en, ar, fa, ru)"}
}

// LangError is returned by ParseLang.
type LangError struct{ Tag, Reason string }

func (e *LangError) Error() string { return "language " + e.Tag + ": " + e.Reason }

type script int

const (
	scriptNone script = iota
	scriptLatin
	scriptCyrillic
	scriptArabic
	numScripts
)

// scriptOf returns the script of a language.
func scriptOf(lang string) script {
	switch lang {
	case "en":
		return scriptLatin
	case "ru":
		return scriptCyrillic
	case "ar", "fa":
		return scriptArabic
	}
	return scriptNone
}

// detectLang guesses the language of a paragraph from its words, toks, in
// the normalised text norm whose original is orig (Persian ی and ک are only
// visible there). It returns "" when the paragraph has too few letters to
// tell.
func detectLang(orig, norm string, toks []Token) string {
	var latin, cyr, arab int
	for _, tk := range toks {
		w := norm[tk.Start:tk.End]
		switch c := w[0]; {
		case c < utf8.RuneSelf:
			for i := 0; i < len(w); i++ {
				if 'a' <= w[i] && w[i] <= 'z' {
					latin++
				}
			}
		case c >= 0xD0 && c <= 0xD3: // U+0400–U+04FF, two bytes a letter
			cyr += len(w) / 2
		case c >= 0xD8 && c <= 0xDB: // U+0600–U+06FF, two bytes a letter
			arab += len(w) / 2
		default:
			for _, r := range w {
				if unicode.IsLetter(r) && unicode.Is(unicode.Latin, r) {
					latin++
				}
			}
		}
	}
	total := latin + cyr + arab
	if total < 3 {
		return ""
	}
	switch {
	case cyr >= latin && cyr >= arab:
		return "ru"
	case latin >= arab:
		return "en"
	}
	// Arabic script: Persian or Arabic. Persian-only letters (ی and ک are
	// unified away in norm, so count them in the original), Arabic-only
	// letters, and function words.
	var faLetters, arLetters int
	for i := 0; i+1 < len(orig); i++ {
		switch c := orig[i]; c {
		case 0xD8, 0xD9, 0xDA, 0xDB:
			switch r := rune(c&0x1F)<<6 | rune(orig[i+1]&0x3F); r {
			case 'پ', 'چ', 'ژ', 'گ', 'ی', 'ک':
				faLetters++
			case 'ة', 'ى':
				arLetters++
			}
			i++
		}
	}
	// Letters settle most paragraphs; words decide the rest (Persian typed
	// on an Arabic keyboard has no ی or ک, and short turns have few letters).
	switch {
	case faLetters >= 2 && arLetters == 0:
		return "fa"
	case arLetters >= 2 && faLetters == 0:
		return "ar"
	}
	fa, ar := 3*faLetters, 2*arLetters
	for _, tk := range toks {
		w := norm[tk.Start:tk.End]
		if faWords[w] {
			fa += 2
		}
		if arWords[w] {
			ar += 2
		}
		// Arabic letters are two bytes: more than 3 letters is more than 6 bytes.
		if strings.HasPrefix(w, "ال") && len(w) > 6 && w != "الان" && w != "البته" {
			ar++
		}
		if strings.HasPrefix(w, "مي") && len(w) > 6 || strings.HasPrefix(w, "نمي") {
			fa++
		}
	}
	if fa > ar {
		return "fa"
	}
	return "ar"
}

// Function words, normalised, that only one of the two languages uses.
var (
	faWords = setOf("است", "را", "اين", "كه", "براي", "شما", "هم", "يك", "از", "با", "به", "تا",
		"ولي", "اگر", "چون", "هست", "نيست", "بود", "شد", "شده", "ميشه", "رو", "خيلي", "ممنون",
		"لطفا", "مرسي", "بابت", "چه", "چرا", "كنيد", "كنم", "كرد", "كردم", "داريم", "نداريم",
		"دارد", "ندارد", "هستيم", "باشيد", "خودم", "خودتان", "همين", "الان", "ديگه", "دیگر", "يه",
		"جان", "آقاي", "اقاي", "خانم", "سپاسگزاريم", "متشكريم", "درباره", "توي", "تو", "اونا")
	arWords = setOf("في", "على", "علي", "الى", "عن", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي",
		"لا", "لم", "لن", "قد", "كان", "كانت", "هو", "هي", "نحن", "انت", "انتم", "او", "عند", "كل",
		"بعد", "شكرا", "يا", "ده", "دي", "مش", "انا", "احنا", "اللي", "عشان", "لك", "لكم", "معك",
		"مع", "حتى", "لان", "لكن", "إن", "ان", "اذا", "لو", "ليس", "ليست", "هاد", "هيك", "الحين",
		"ايش", "وش", "شو", "مو", "بس", "هلا", "اهلا", "مرحبا", "السيد", "السيدة", "المحترم",
		"المحترمة", "تحياتي", "نعتذر", "اعتذر", "عزيزي")
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[Normalize(w).Norm] = true
	}
	return m
}

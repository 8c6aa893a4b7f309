package mail

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// parseLooseDate finds a date and time in an attribution or "Sent:" line,
// in English, Russian, Arabic or Persian (Gregorian or Solar Hijri dates,
// Western, Arabic-Indic or Persian digits). A time without a zone is taken
// in loc. It returns the zero time when the line has no date.
func parseLooseDate(line string, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	s := normalizeDigits(stripMarks(line))
	// An RFC 5322 date, as mutt writes it.
	if m := rfcDateRE.FindString(s); m != "" {
		if t, err := mail.ParseDate(m); err == nil {
			return t
		}
	}
	low := strings.ToLower(s)
	low = strings.NewReplacer("،", ",", "٬", ",", "٫", ".").Replace(low)

	// The time of day, removed so its numbers are not taken for a date.
	hour, minute, sec := 0, 0, 0
	if m := timeRE.FindStringSubmatchIndex(low); m != nil {
		hour, _ = strconv.Atoi(low[m[2]:m[3]])
		minute, _ = strconv.Atoi(low[m[4]:m[5]])
		if m[6] >= 0 {
			sec, _ = strconv.Atoi(low[m[6]:m[7]])
		}
		rest := strings.TrimSpace(low[m[1]:])
		switch {
		case hasAny(rest, "am", "a.m.", "ص", "ق.ظ", "قبل از ظهر", "قبل‌ازظهر", "صباح"):
			if hour == 12 {
				hour = 0
			}
		case hasAny(rest, "pm", "p.m.", "م", "ب.ظ", "بعد از ظهر", "بعدازظهر", "مساء"):
			if hour < 12 {
				hour += 12
			}
		}
		if z := zoneRE.FindStringSubmatch(rest); z != nil {
			h, _ := strconv.Atoi(z[2])
			mm, _ := strconv.Atoi(z[3])
			off := h*3600 + mm*60
			if z[1] == "-" {
				off = -off
			}
			loc = time.FixedZone("", off)
		} else if strings.HasPrefix(rest, "utc") || strings.HasPrefix(rest, "gmt") {
			loc = time.UTC
		}
		low = low[:m[0]] + " " + low[m[1]:]
	}
	if hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}
	}
	y, mo, d, jalali, ok := findDate(low, strings.Contains(low, "wrote") || strings.HasPrefix(low, "sent"))
	if !ok {
		return time.Time{}
	}
	if jalali {
		y, mo, d = jalaliToGregorian(y, mo, d)
	}
	if y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}
	}
	t := time.Date(y, time.Month(mo), d, hour, minute, sec, 0, loc)
	if t.Day() != d {
		return time.Time{} // 31 February
	}
	return t
}

var (
	rfcDateRE = regexp.MustCompile(`(?i)(?:(?:mon|tue|wed|thu|fri|sat|sun), )?\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) \d{4} \d{1,2}:\d{2}(?::\d{2})? [+-]\d{4}`)
	timeRE    = regexp.MustCompile(`\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b`)
	zoneRE    = regexp.MustCompile(`^(?:\S+\s+)?(?:gmt|utc)?([+-])(\d{2}):?(\d{2})\b`)
	ymdRE     = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	dmyRE     = regexp.MustCompile(`\b(\d{1,2})([./-])(\d{1,2})[./-](\d{2,4})\b`)
)

func hasAny(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			rest := s[len(p):]
			if rest == "" {
				return true
			}
			r := []rune(rest)[0]
			if !unicode.IsLetter(r) {
				return true
			}
		}
	}
	return false
}

// findDate finds a year, month and day. usOrder reads an ambiguous
// "1/8/24" as January 8 (English mail clients in the US).
func findDate(s string, usOrder bool) (y, m, d int, jalali, ok bool) {
	if g := ymdRE.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
		return y, m, d, y >= 1300 && y < 1500, true
	}
	if g := dmyRE.FindStringSubmatch(s); g != nil {
		a, _ := strconv.Atoi(g[1])
		b, _ := strconv.Atoi(g[3])
		y, _ = strconv.Atoi(g[4])
		if len(g[4]) == 2 {
			y += 2000
		}
		d, m = a, b
		if g[2] == "/" && (b > 12 || (usOrder && a <= 12)) {
			d, m = b, a
		}
		return y, m, d, false, true
	}
	// A month name with a day and a year around it.
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\u200c'
	})
	for i, w := range words {
		mo, jal := monthByName(w)
		if mo == 0 {
			continue
		}
		day, year := 0, 0
		for _, j := range []int{i - 1, i + 1, i - 2, i + 2} {
			if j < 0 || j >= len(words) {
				continue
			}
			n, err := strconv.Atoi(words[j])
			if err != nil {
				continue
			}
			switch {
			case len(words[j]) == 4 && year == 0:
				year = n
			case len(words[j]) <= 2 && n >= 1 && n <= 31 && day == 0:
				day = n
			}
		}
		if day > 0 && year > 0 {
			return year, mo, day, jal, true
		}
	}
	return 0, 0, 0, false, false
}

// monthByName recognises a month name or abbreviation; jalali marks the
// Solar Hijri months of Persian calendars.
func monthByName(w string) (int, bool) {
	w = strings.TrimSuffix(w, ".")
	if w == "" {
		return 0, false
	}
	if m, ok := exactMonths[w]; ok {
		return m, false
	}
	if m, ok := jalaliMonths[w]; ok {
		return m, true
	}
	if len([]rune(w)) < 3 {
		return 0, false
	}
	for i, full := range fullEnMonths {
		if strings.HasPrefix(full, w) {
			return i + 1, false
		}
	}
	if w == "sept" {
		return 9, false
	}
	for i, stem := range ruMonths {
		if strings.HasPrefix(w, stem) {
			return i + 1, false
		}
	}
	return 0, false
}

var fullEnMonths = []string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// ruMonths are stems of Russian month names ("января", "янв."); May is
// in exactMonths.
var ruMonths = []string{"янв", "фев", "мар", "апр", "\x00", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"}

// exactMonths are Arabic and Persian names of the Gregorian months, and
// Russian "май" forms that a stem would confuse.
var exactMonths = map[string]int{
	"يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5,
	"يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
	"أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
	"شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9,
	"ژانویه": 1, "ژانويه": 1, "فوریه": 2, "فبریه": 2, "آوریل": 4, "مه": 5, "می": 5, "ژوئن": 6,
	"ژوئیه": 7, "جولای": 7, "اوت": 8, "آگوست": 8, "سپتامبر": 9, "اکتبر": 10, "نوامبر": 11, "دسامبر": 12,
	"май": 5, "мая": 5,
}

var jalaliMonths = map[string]int{
	"فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6,
	"مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
}

// normalizeDigits turns Arabic-Indic and Persian digits into ASCII ones.
func normalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		}
		return r
	}, s)
}

// jalaliToGregorian converts a Solar Hijri date (the algorithm of
// jalaali-js, by Borkowski).
func jalaliToGregorian(jy, jm, jd int) (int, int, int) {
	jdn := jalaliToJDN(jy, jm, jd)
	return jdnToGregorian(jdn)
}

func jalaliToJDN(jy, jm, jd int) int {
	gy, march := jalCal(jy)
	return gregorianToJDN(gy, 3, march) + (jm-1)*31 - div(jm, 7)*(jm-7) + jd - 1
}

func jalCal(jy int) (gy, march int) {
	breaks := []int{-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178}
	gy = jy + 621
	leapJ := -14
	jp := breaks[0]
	jump := 0
	for i := 1; i < len(breaks); i++ {
		jm := breaks[i]
		jump = jm - jp
		if jy < jm {
			break
		}
		leapJ += div(jump, 33)*8 + div(jump%33, 4)
		jp = jm
	}
	n := jy - jp
	leapJ += div(n, 33)*8 + div(n%33+3, 4)
	if jump%33 == 4 && jump-n == 4 {
		leapJ++
	}
	leapG := div(gy, 4) - div((div(gy, 100)+1)*3, 4) - 150
	march = 20 + leapJ - leapG
	return gy, march
}

func gregorianToJDN(gy, gm, gd int) int {
	d := div((gy+div(gm-8, 6)+100100)*1461, 4) + div(153*((gm+9)%12)+2, 5) + gd - 34840408
	return d - div(div(gy+100100+div(gm-8, 6), 100)*3, 4) + 752
}

func jdnToGregorian(jdn int) (int, int, int) {
	j := 4*jdn + 139361631
	j = j + div(div(4*jdn+183187720, 146097)*3, 4)*4 - 3908
	i := div(j%1461, 4)*5 + 308
	gd := div(i%153, 5) + 1
	gm := div(i, 153)%12 + 1
	gy := div(j, 1461) - 100100 + div(8-gm, 6)
	return gy, gm, gd
}

func div(a, b int) int { return a / b }

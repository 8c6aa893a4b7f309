package imaptest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Draft is a sample draft reply for tests.
type Draft struct {
	Name      string // e.g. "ru-bad-cp1251"
	Lang      string // en, ar, fa, ru
	Bad       bool   // expected to have an error-level finding
	Broken    bool   // not an email at all: an input error
	MessageID string // with angle brackets; "" for a broken draft
	Raw       []byte
}

// sample is a draft before encoding.
type sample struct {
	name, lang      string
	bad             bool
	charset, encode string // charset name; "qp", "base64" or "8bit"
	from, to, subj  string
	body            string
	enc             encoding.Encoding
}

var samples = []sample{
	{name: "en-bad", lang: "en", bad: true, charset: "utf-8", encode: "8bit",
		from: "Sam Agent <sam@help.example.com>", to: "Mary Johnson <mary@example.com>", subj: "Re: My refund",
		body: "Hi Mary,\n\nThat's not my responsibility. You need to contact the billing department yourself.\n\nRegards,\nSam\n"},
	{name: "en-good", lang: "en", charset: "utf-8", encode: "qp",
		from: "Sam Agent <sam@help.example.com>", to: "Mary Johnson <mary@example.com>", subj: "Re: My refund",
		body: "Hi Mary,\n\nThank you for writing, and I'm sorry the refund took so long. This is my responsibility and I will fix it: I issued the refund today and it should reach your card within three days.\n\nBest regards,\nSam\n"},
	{name: "ru-bad-cp1251", lang: "ru", bad: true, charset: "windows-1251", encode: "qp", enc: charmap.Windows1251,
		from: "Анна Смирнова <anna@help.example.ru>", to: "Иван Петров <ivan@example.ru>", subj: "Re: Где мой заказ?",
		body: "Здравствуйте, Иван!\n\nЭто не моя компетенция, обращайтесь в службу доставки.\n\nС уважением,\nАнна\n"},
	{name: "ru-good-koi8r", lang: "ru", charset: "koi8-r", encode: "8bit", enc: charmap.KOI8R,
		from: "Анна Смирнова <anna@help.example.ru>", to: "Иван Петров <ivan@example.ru>", subj: "Re: Где мой заказ?",
		body: "Здравствуйте, Иван!\n\nСпасибо, что написали, и простите за задержку. Я проверила ваш заказ: посылка задержалась на складе. Сегодня я сама отправила её курьером и пришлю трек-номер до конца дня.\n\nС уважением,\nАнна\n"},
	{name: "ar-bad-cp1256", lang: "ar", bad: true, charset: "windows-1256", encode: "base64", enc: charmap.Windows1256,
		from: "Layla <layla@help.example.com>", to: "Ahmed Ali <ahmed@example.com>", subj: "Re: طلبي",
		body: "مرحبا أحمد،\n\nهذه ليست مسؤوليتي، تواصل مع قسم الشحن.\n\nمع التحية،\nليلى\n"},
	{name: "ar-good", lang: "ar", charset: "utf-8", encode: "base64",
		from: "Layla <layla@help.example.com>", to: "Ahmed Ali <ahmed@example.com>", subj: "Re: طلبي",
		body: "مرحبا أحمد،\n\nشكرا لتواصلك معنا، ونعتذر عن التأخير. تحققت من طلبك بنفسي وأرسلته اليوم، وسأرسل لك رقم التتبع قبل نهاية اليوم.\n\nمع التحية،\nليلى\n"},
	{name: "fa-bad", lang: "fa", bad: true, charset: "utf-8", encode: "qp",
		from: "Sara <sara@help.example.ir>", to: "Reza Ahmadi <reza@example.ir>", subj: "Re: سفارش من",
		body: "سلام رضا،\n\nاین مسئولیت من نیست، با واحد ارسال تماس بگیرید.\n\nبا احترام،\nسارا\n"},
	{name: "fa-good-cp1256", lang: "fa", charset: "windows-1256", encode: "base64", enc: charmap.Windows1256,
		from: "Sara <sara@help.example.ir>", to: "Reza Ahmadi <reza@example.ir>", subj: "Re: سفارش من",
		body: "سلام رضا،\n\nممنون که پیام دادید و بابت تأخیر عذر می‌خواهم. سفارش شما را خودم بررسی کردم و امروز ارسال شد. کد رهگیری را تا پایان روز برایتان می‌فرستم.\n\nبا احترام،\nسارا\n"},
}

// Drafts returns sample drafts in English, Russian, Arabic and Persian,
// good and bad, some in legacy charsets (windows-1251, KOI8-R,
// windows-1256) and transfer encodings, plus, when broken is set, one
// draft that is not an email at all.
func Drafts(broken bool) []Draft {
	var out []Draft
	for i, s := range samples {
		id := fmt.Sprintf("<%s.%d@replylint.test>", s.name, i)
		out = append(out, Draft{Name: s.name, Lang: s.lang, Bad: s.bad, MessageID: id, Raw: s.raw(id)})
	}
	if broken {
		out = append(out, Draft{Name: "broken", Broken: true, Raw: []byte("this draft is not an email at all\r\nno header, nothing\r\n")})
	}
	return out
}

// NewDraft returns a plain UTF-8 draft with the given Message-ID and body.
func NewDraft(messageID, body string) []byte {
	s := sample{charset: "utf-8", encode: "8bit", from: "Sam <sam@help.example.com>", to: "Mary Johnson <mary@example.com>", subj: "Re: question", body: body}
	return s.raw(messageID)
}

func (s sample) raw(id string) []byte {
	body := []byte(s.body)
	if s.enc == charmap.Windows1256 {
		// windows-1256 has no Persian yeh and keheh: legacy Persian text
		// uses the Arabic letters.
		body = []byte(strings.NewReplacer("ی", "ي", "ک", "ك").Replace(string(body)))
	}
	if s.enc != nil {
		var err error
		if body, err = s.enc.NewEncoder().Bytes(body); err != nil {
			panic(fmt.Sprintf("imaptest: encode %s: %v", s.name, err))
		}
	}
	word := func(v string) string { return mime.BEncoding.Encode("utf-8", v) }
	var b bytes.Buffer
	fmt.Fprintf(&b, "Message-ID: %s\r\n", id)
	fmt.Fprintf(&b, "Date: Tue, 16 Jan 2024 09:30:00 +0300\r\n")
	fmt.Fprintf(&b, "From: %s\r\n", encodeAddr(s.from, word))
	fmt.Fprintf(&b, "To: %s\r\n", encodeAddr(s.to, word))
	fmt.Fprintf(&b, "Subject: %s\r\n", word(s.subj))
	b.WriteString("MIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: text/plain; charset=%s\r\n", s.charset)
	switch s.encode {
	case "qp":
		b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(&b)
		w.Write(crlf(body))
		w.Close()
		b.WriteString("\r\n")
	case "base64":
		b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString(crlf(body))
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	default:
		b.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
		b.Write(crlf(body))
	}
	return b.Bytes()
}

func crlf(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

// encodeAddr encodes the display name of "Name <addr>".
func encodeAddr(a string, word func(string) string) string {
	name, addr, ok := strings.Cut(a, " <")
	if !ok {
		return a
	}
	return word(name) + " <" + addr
}

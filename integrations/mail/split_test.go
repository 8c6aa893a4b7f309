package mail

import (
	"strings"
	"testing"
	"time"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name                    string
		text                    string
		body, quoted, signature string
	}{
		{
			name: "plain, no quote",
			text: "Hi Ann,\n\nIt is fixed.\n\n\n",
			body: "Hi Ann,\n\nIt is fixed.",
		},
		{
			name: "leading text kept byte for byte",
			text: "  \tIndented first line\r\nsecond\r\n",
			body: "  \tIndented first line\r\nsecond",
		},
		{
			name:   "english attribution and quote",
			text:   "Done, refunded.\n\nOn Mon, Jan 8, 2024 at 10:15 AM John <j@example.com> wrote:\n> Where is my refund?\n> >older\n",
			body:   "Done, refunded.",
			quoted: "Where is my refund?\n>older",
		},
		{
			name:   "attribution wrapped on two lines",
			text:   "Done.\n\nOn Mon, Jan 8, 2024 at 10:15 AM John Smith <\njohn.smith@example.com> wrote:\n> Hi\n",
			body:   "Done.",
			quoted: "Hi",
		},
		{
			name:   "russian пишет",
			text:   "Исправили.\n\n10.01.2024 12:00, Иван пишет:\n> Не работает вход.\n",
			body:   "Исправили.",
			quoted: "Не работает вход.",
		},
		{
			name:   "russian написала without quote markers",
			text:   "Всё готово.\n\n10 января 2024 г., в 12:00, Мария написала:\nСчёт неверный.\n",
			body:   "Всё готово.",
			quoted: "Счёт неверный.",
		},
		{
			name:   "arabic كتب",
			text:   "تم الإصلاح.\n\nفي 8 يناير 2024، كتب أحمد:\n> لا يعمل التطبيق.\n",
			body:   "تم الإصلاح.",
			quoted: "لا يعمل التطبيق.",
		},
		{
			name:   "persian نوشت with bidi marks",
			text:   "درست شد.\n\n\u200fدر تاریخ ۱۸ دی ۱۴۰۲، علی نوشت:\u200f\n> برنامه باز نمی‌شود.\n",
			body:   "درست شد.",
			quoted: "برنامه باز نمی‌شود.",
		},
		{
			name:   "interleaved answers",
			text:   "Hi Bob,\n> Is it shipped?\nYes, today.\n> And the invoice?\nAttached.\n",
			body:   "Hi Bob,\n\nYes, today.\n\nAttached.",
			quoted: "Is it shipped?\n\nAnd the invoice?",
		},
		{
			name:      "signature then quote",
			text:      "Fixed.\n\nThanks,\nAmy\n-- \nAmy Lee, Support\n\nOn 8 Jan 2024, Bob <b@example.com> wrote:\n> broken\n",
			body:      "Fixed.\n\nThanks,\nAmy",
			quoted:    "broken",
			signature: "Amy Lee, Support",
		},
		{
			name:      "signature with bare --",
			text:      "Fixed.\n--\nAmy\n",
			body:      "Fixed.",
			signature: "Amy",
		},
		{
			name:   "outlook original message",
			text:   "Sorted.\n\n-----Original Message-----\nFrom: Bob <b@example.com>\nSent: Monday, January 8, 2024 10:15 AM\nTo: Support\nSubject: help\n\nIt broke.\n",
			body:   "Sorted.",
			quoted: "It broke.",
		},
		{
			name:   "outlook header block after a rule",
			text:   "Sorted.\n\n________________________________\nFrom: Bob <b@example.com>\nSent: Monday, January 8, 2024 10:15 AM\nTo: Support <s@example.com>\nSubject: help\n\nIt broke.\n",
			body:   "Sorted.",
			quoted: "It broke.",
		},
		{
			name:   "russian outlook block",
			text:   "Готово.\n\nОт: Иван <i@example.ru>\nОтправлено: 8 января 2024 г. 10:15\nКому: Поддержка\nТема: вопрос\n\nНе работает.\n",
			body:   "Готово.",
			quoted: "Не работает.",
		},
		{
			name: "a From: line in the text is not a header block",
			text: "From: our side everything works.\nSent: the logs to you.\n",
			body: "From: our side everything works.\nSent: the logs to you.",
		},
		{
			name: "weak attribution without quote stays in body",
			text: "As you wrote:\nthe app crashes.\n",
			body: "As you wrote:\nthe app crashes.",
		},
		{
			name:   "bottom posting",
			text:   "On 8 Jan 2024, Bob <b@example.com> wrote:\n> Is it fixed?\n\nYes, since this morning.\n",
			body:   "Yes, since this morning.",
			quoted: "Is it fixed?",
		},
		{
			name: "empty",
			text: "",
		},
		{
			name:   "only quote",
			text:   "> a\n> b\n",
			quoted: "a\nb",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, quoted, sig := Split(tt.text)
			if body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if quoted != tt.quoted {
				t.Errorf("quoted = %q, want %q", quoted, tt.quoted)
			}
			if sig != tt.signature {
				t.Errorf("signature = %q, want %q", sig, tt.signature)
			}
			// The body's first line is the text's own bytes.
			if !strings.Contains(tt.text, firstLine(body)) {
				t.Errorf("body %q does not keep the text byte for byte", body)
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestParseLooseDate(t *testing.T) {
	msk := time.FixedZone("", 3*3600)
	tests := []struct {
		line string
		want string // RFC 3339, "-" for none
	}{
		{"On Mon, Jan 8, 2024 at 10:15 AM John <j@example.com> wrote:", "2024-01-08T10:15:00+03:00"},
		{"On Mon, 8 Jan 2024 22:15:00 +0100, John wrote:", "2024-01-08T22:15:00+01:00"},
		{"On 1/8/24, 3:05 PM, John wrote:", "2024-01-08T15:05:00+03:00"},
		{"On 2024-01-08 10:15, John wrote:", "2024-01-08T10:15:00+03:00"},
		{"Sent: Friday, January 12, 2024 4:55 PM", "2024-01-12T16:55:00+03:00"},
		{"15.01.2024 10:42, Иван Петров написал(а):", "2024-01-15T10:42:00+03:00"},
		{"пн, 8 янв. 2024 г. в 10:15, Иван <i@example.ru>:", "2024-01-08T10:15:00+03:00"},
		{"Отправлено: 12 мая 2024 г. 16:40", "2024-05-12T16:40:00+03:00"},
		{"في الأحد ١٤ يناير ٢٠٢٤ الساعة ١٠:٣٠ م، كتب أحمد:", "2024-01-14T22:30:00+03:00"},
		{"در تاریخ دوشنبه ۱۵ ژانویه ۲۰۲۴، ساعت ۱۰:۲۰، سارا نوشت:", "2024-01-15T10:20:00+03:00"},
		{"در تاریخ ۱۸ دی ۱۴۰۲ ساعت ۹:۰۰ علی نوشت:", "2024-01-08T09:00:00+03:00"},
		{"۱۴۰۲/۱۰/۱۸ علی نوشت:", "2024-01-08T00:00:00+03:00"},
		{"John wrote:", "-"},
		{"On 31.02.2024, John wrote:", "-"},
	}
	for _, tt := range tests {
		got := fmtTime(parseLooseDate(tt.line, msk))
		if got != tt.want {
			t.Errorf("parseLooseDate(%q) = %s, want %s", tt.line, got, tt.want)
		}
	}
}

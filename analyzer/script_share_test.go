package analyzer

import "testing"

// TestArabicRulesStayOutOfPersian: Arabic and Persian share a script and
// words (تأخیر، طبیعی), so an Arabic pattern can match a Persian sentence;
// a paragraph detected as Persian (by Persian letters or words) is linted
// by the Persian rules only, and its findings speak Persian.
func TestArabicRulesStayOutOfPersian(t *testing.T) {
	a := newBuiltin(t, Config{})
	text := "سلام، تأخیر پیش میاد دیگه، طبیعیه که نگران بشید؛ ولی من خودم با انبار صحبت کردم و بسته‌تون امروز ارسال شد. با احترام"
	for _, f := range a.Run(Document{Text: text, Kind: KindEmail}) {
		if f.Lang != "fa" {
			t.Errorf("finding %s in %s on a Persian message: %q", f.Rule, f.Lang, f.Text)
		}
	}
	// Arabic text still gets the Arabic rule.
	var got bool
	for _, f := range a.Run(Document{Text: "مرحبا، التأخير بيحصل عادي، ده طبيعي في الموسم ده. شكرا لتواصلك", Kind: KindEmail}) {
		got = got || f.Lang == "ar" && f.Category == "excuse"
	}
	if !got {
		t.Errorf("an Arabic 'delays are normal' excuse is no longer flagged")
	}
}

package analyzer

import (
	"strings"
	"testing"
	"time"

	"github.com/replylint/replylint/rules"
)

// testAnalyzer compiles rule files given inline, independent of the
// built-in catalogue.
func testAnalyzer(t testing.TB, files ...string) *Analyzer {
	t.Helper()
	set := &rules.Set{Phrases: map[string][]rules.Phrase{}}
	for i, f := range files {
		s, err := rules.Parse("inline"+string(rune('0'+i))+".yaml", []byte(f))
		if err != nil {
			t.Fatal(err)
		}
		set.Merge(s)
	}
	a, err := New(set, Config{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const ctxRules = `lang: en
category: personalization
phrases:
  greeting: ["(hi|hello|dear)"]
  title: ["(mr|mrs|ms|dr)"]
  generic_addressee: ["(valued)? (customer|client)"]
  stopword: ["(the|a|and|to|my|your|is|it|i|you|for|of|on|hi|thanks|please|this|with|was)"]
  reject_quote: ["should never have (gone out|been sent)"]
rules:
  - {id: personalization.wrong-name, check: wrong-name, message: "not {name}", suggestion: "Dear {name},"}
  - {id: personalization.generic-salutation, check: generic-salutation, message: "generic, not {name}", suggestion: "Dear {name},"}
`

const ctxRules2 = `lang: en
category: responsiveness
rules:
  - {id: responsiveness.late-reply, check: responsiveness, message: "late by {delay} (limit {limit})", suggestion: sorry}
`

const ctxRules3 = `lang: en
category: relevance
phrases:
  signoff: ["anything else (i|we) can help with"]
rules:
  - {id: relevance.off-topic, check: relevance, message: off topic, suggestion: answer}
`

func TestPersonalization(t *testing.T) {
	a := testAnalyzer(t, ctxRules)
	tests := []struct {
		text, name, want, wantText string
	}{
		{"Dear Mrs. Jackson,\n\nYour order shipped.", "Mary Johnson", "personalization.wrong-name", "Jackson"},
		{"Dear Mrs. Johnson,\n\nYour order shipped.", "Mary Johnson", "", ""},
		{"Hi Mary, your order shipped.", "Mary Johnson", "", ""},
		{"Hi Anna, your order shipped.", "Mary Johnson", "personalization.wrong-name", "Anna"},
		{"Dear valued customer,\n\nYour order shipped.", "Mary Johnson", "personalization.generic-salutation", "valued customer"},
		// Quoted to reject it: the last letter's salutation, not this one's.
		{"\"Dear valued customer\", our last letter began. It should never have gone out.", "Mary Johnson", "", ""},
		{"\"Dear valued customer\", our last letter began.", "Mary Johnson", "personalization.generic-salutation", "valued customer"},
		{"Hi,\n\nYour order shipped.", "Mary Johnson", "", ""},
		{"Dear Mrs. Jackson,\n\nYour order shipped.", "", "", ""},
		{"Your order shipped to Jackson Street.", "Mary Johnson", "", ""},
		{"Hi Mary Johnson, thanks", "Mrs. Mary Johnson <mary@example.com>", "", ""},
		{"Hi Ahmed, your order shipped.", "أحمد علي", "", ""},
		{"Hi Omar, your order shipped.", "Ahmed Ali", "personalization.wrong-name", "Omar"},
	}
	for _, tt := range tests {
		fs := a.Run(Document{Text: tt.text, Kind: KindEmail, Context: Context{CustomerName: tt.name}})
		got, gotText := "", ""
		for _, f := range fs {
			if f.Category == "personalization" {
				got, gotText = f.Rule, f.Text
				if !strings.Contains(f.Message, tt.name) {
					t.Errorf("%q: message %q does not name %q", tt.text, f.Message, tt.name)
				}
			}
		}
		if got != tt.want || gotText != tt.wantText {
			t.Errorf("%q to %q: got %s %q, want %s %q", tt.text, tt.name, got, gotText, tt.want, tt.wantText)
		}
	}
}

func TestResponsiveness(t *testing.T) {
	a := testAnalyzer(t, ctxRules2)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		kind  Kind
		delay time.Duration
		want  string
	}{
		{KindChat, 6 * time.Hour, "late by 6h (limit 15m)"},
		{KindChat, 14 * time.Minute, ""},
		{KindEmail, 6 * time.Hour, ""},
		{KindEmail, 50 * time.Hour, "late by 2d2h (limit 1d)"},
	}
	for _, tt := range tests {
		fs := a.Run(Document{Text: "Sorry for the wait, here is your code.", Kind: tt.kind,
			Context: Context{CustomerTime: t0, ReplyTime: t0.Add(tt.delay)}})
		got := ""
		for _, f := range fs {
			got = f.Message
		}
		if got != tt.want {
			t.Errorf("%s after %v: got %q, want %q", tt.kind, tt.delay, got, tt.want)
		}
	}
	// No timestamps, no finding.
	if fs := a.Run(Document{Text: "Hello there, done.", Kind: KindChat}); len(fs) != 0 {
		t.Errorf("without timestamps: got %v", fs)
	}
}

func TestRelevance(t *testing.T) {
	a := testAnalyzer(t, ctxRules3, ctxRules)
	q := "My invoice for March shows a double charge for the premium subscription I cancelled last winter."
	tests := []struct {
		question, reply string
		want            bool
	}{
		{q, "I've refunded the double charge on your March invoice, and the subscription stays cancelled as you asked.", false},
		{q, "Our new summer collection of linen shirts and sandals is out now, browse the catalogue online before stocks run low!", true},
		{"Hi?", "Our new summer collection of linen shirts and sandals is out now, browse the catalogue online before stocks run low!", false}, // too short to judge
		{q, "Done.", false},
		// A question to the customer engages with the message.
		{q, "Could you tell me which card you paid with and the last four digits on it?", false},
		{q, "Our new summer collection of linen shirts is out now: https://shop.example/new?ref=mail browse it online before stocks run low!", true},
		{q, "Our new summer collection of linen shirts and sandals is out now, browse the catalogue online. Anything else I can help with?", true},
		{"Мой счёт за март пришёл с двойным списанием за подписку, которую я отменила прошлой зимой.", "Двойное списание по счёту за март я вернула, подписка остаётся отменённой, как вы просили.", false},
	}
	// Forward, then backward: a worker prepares each customer's message in
	// the buffers of the one before, which must leave no trace.
	for i := range 2 * len(tests) {
		tt := tests[i%len(tests)]
		if i >= len(tests) {
			tt = tests[2*len(tests)-1-i]
		}
		fs := a.Run(Document{Text: tt.reply, Kind: KindChat, Context: Context{Customer: tt.question}})
		got := false
		for _, f := range fs {
			got = got || f.Rule == "relevance.off-topic"
		}
		if got != tt.want {
			t.Errorf("reply %q to %q: off-topic = %v, want %v", tt.reply, tt.question, got, tt.want)
		}
	}
}

// TestRelevanceConcepts checks, with the built-in catalogue, that a reply
// in other words of the same subject (bought and purchase, hacked and
// verification) is on topic, and that a reply on another subject or none
// is still flagged.
func TestRelevanceConcepts(t *testing.T) {
	a := newBuiltin(t, Config{})
	for _, tt := range []struct {
		question, reply string
		want            bool
	}{
		{"I bought the season pass yesterday evening but it never showed up in my library on the console.",
			"Please make sure you're signed in to the profile you made the purchase with, then restore your licences from the settings menu and restart.", false},
		{"Someone hacked my email over the weekend and changed the recovery phone number on it, and now strangers write to my contacts.",
			"We suggest adding extra layers of protection: turn on two-step verification and review which devices are signed in to your Google account.", false},
		{"My printer keeps spitting out blank pages whenever I copy or print anything from the laptop.",
			"Hi Brian, we might be able to sort this out by cleaning and aligning the ink cartridges, the instructions are in the article linked below.", false},
		{"Will your planes still land at Midway this evening with all the conflicting reports about storms around Chicago?",
			"Thanks for reaching out, Jessica! You can follow the status of every flight on our website, updated minute by minute.", false},
		{"Вчера вечером купила годовую подписку, деньги списали с карты, но премиум так и не включился в приложении на телефоне.",
			"Проверьте, пожалуйста, что вы вошли в тот профиль, с которого оформляли оплату, затем перезапустите программу, всё заработает.", false},
		{"دفعت ثمن الطلبية بالبطاقة قبل اسبوع وانخصم المبلغ من حسابي البنكي لكن لم يصلني اي شيء حتى هذه اللحظة",
			"راجعنا عملية السداد وهي مكتملة، والشحنة الآن مع المندوب في طريقها إليك وستصل خلال يومين إن شاء الله", false},
		{"دیروز از سایتتون یه گوشی خریدم و پولش از کارتم کم شد ولی هنوز هیچ پیامکی برای تایید نیومده و نگرانم",
			"پرداخت شما با موفقیت ثبت شده و بسته امروز تحویل پیک می‌شود، کد رهگیری را همین امروز برایتان می‌فرستیم", false},
		// Another subject: the parcel did not come, the reply routes to email.
		{"My parcel was marked delivered on Monday but nothing arrived and the courier won't answer the phone.",
			"Thanks for reaching out! Please send us an email through our web form and a colleague will assist you shortly, remember to include your full name.", true},
		// Phone support is not the customer's phone.
		{"The trackpad of my new laptop just died after two weeks, the diagnostic says it's the hardware, and the warranty should cover it.",
			"Hi Chris, please call our phone support regarding the service options, they are open from Monday to Friday, nine until five o'clock.", true},
		{"Мой заказ отметили как доставленный в понедельник, но посылку я так и не получила, курьер не отвечает.",
			"Спасибо за обращение! Напишите, пожалуйста, письмо через форму на сайте, коллеги свяжутся с вами в ближайшее время, укажите полное имя.", true},
	} {
		got := false
		for _, f := range a.Run(Document{Text: tt.reply, Kind: KindChat, Context: Context{Customer: tt.question}}) {
			got = got || f.Rule == "relevance.off-topic"
		}
		if got != tt.want {
			t.Errorf("reply %q to %q: off-topic = %v, want %v", tt.reply, tt.question, got, tt.want)
		}
	}
}

func TestTemplates(t *testing.T) {
	set := &rules.Set{Phrases: map[string][]rules.Phrase{}}
	for _, f := range []string{ctxRules, `lang: en
category: canned
rules:
  - {id: canned.template, check: template, message: "copy of {template}", suggestion: personalise}
`} {
		s, err := rules.Parse("t.yaml", []byte(f))
		if err != nil {
			t.Fatal(err)
		}
		set.Merge(s)
	}
	tpl := Template{Name: "refund.txt", Text: "Hi {{first_name}},\n\nThank you for contacting us about your order {{order_id}}. We have processed your refund and it will reach your account within five working days.\n\nKind regards,\nThe Support Team"}
	a, err := New(set, Config{Templates: []Template{tpl}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       bool
	}{
		{"personalised", "Hi Anna,\n\nThank you for contacting us about your order 48213. We have processed your refund and it will reach your account within five working days.\n\nKind regards,\nThe Support Team", false},
		{"generic name", "Hi customer,\n\nThank you for contacting us about your order 48213. We have processed your refund and it will reach your account within five working days.\n\nKind regards,\nThe Support Team", true},
		{"empty name", "Hi ,\n\nThank you for contacting us about your order 48213. We have processed your refund and it will reach your account within five working days.\n\nKind regards,\nThe Support Team", true},
		{"empty order", "Hi Anna,\n\nThank you for contacting us about your order . We have processed your refund and it will reach your account within five working days.\n\nKind regards,\nThe Support Team", true},
		{"own words", "Hi Anna,\n\nI've refunded the broken kettle today; the money should be back on your card by Friday.\n\nBest,\nTom", false},
	}
	for _, tt := range tests {
		got := false
		for _, f := range a.Run(Document{Text: tt.text, Kind: KindEmail}) {
			if f.Rule == "canned.template" {
				got = true
				if f.Message != "copy of refund.txt" {
					t.Errorf("%s: message %q", tt.name, f.Message)
				}
			}
		}
		if got != tt.want {
			t.Errorf("%s: flagged = %v, want %v", tt.name, got, tt.want)
		}
	}
	if _, err := New(set, Config{Templates: []Template{{Name: "x", Text: "Hi {{name}}"}}}); err == nil {
		t.Errorf("a template too short to recognise: want an error")
	}
}

func TestCheckFacts(t *testing.T) {
	a := newBuiltin(t, Config{})
	tests := []struct {
		doc  Document
		want Facts
	}{
		{Document{Kind: KindEmail, Text: "Hi Anna,\n\nThank you for your patience, and I'm sorry the parcel was late. It arrives tomorrow.\n\nKind regards,\nOmar",
			Context: Context{Customer: "My parcel is two weeks late, this is unacceptable."}},
			Facts{Greeting: true, Thanks: true, Apology: true, Signoff: true, Complaint: true}},
		{Document{Kind: KindChat, Text: "Your parcel arrives tomorrow.", Context: Context{Customer: "How do I change my address?"}},
			Facts{}},
		{Document{Kind: KindChat, Text: "Спасибо, что написали! Посылка придёт завтра."},
			Facts{Thanks: true}},
		// Arabic بود ("with affection") is a sign-off; in Persian it is "was".
		{Document{Kind: KindEmail, Text: "ثبت‌نام شما لغو شد. مدارک ناقص بود."}, Facts{}},
	}
	// Each row twice over, forward then backward: a worker's cached
	// customer is replaced by the next one, complaint and all.
	for i := range 4 * len(tests) {
		tt := tests[i/2%len(tests)]
		if i >= 2*len(tests) {
			tt = tests[len(tests)-1-i/2%len(tests)]
		}
		if got := a.Check(tt.doc).Facts; got != tt.want {
			t.Errorf("Check(%q).Facts = %+v, want %+v", tt.doc.Text, got, tt.want)
		}
	}
}

func TestPlaceholderTalkedAbout(t *testing.T) {
	a := testAnalyzer(t, `lang: en
phrases:
  placeholder_talk: ["(variable|placeholder|merge field|tag)"]
rules:
  - {id: canned.placeholder, category: canned, check: placeholder, message: m, suggestion: s}
`)
	wantFindings(t, a, []countCase{
		{"To greet each customer by name, insert the variable {{first_name}} in your template.", 0},
		{"The %NAME% merge field is filled when the email is sent.", 0},
		{"Hi {{first_name}}, your order has shipped.", 1},
		{"Please check the variable. Hi {{first_name}}, your order has shipped.", 1},
	})
}

func TestPlaceholderInCode(t *testing.T) {
	a := newBuiltin(t, Config{Enable: []string{"canned.placeholder"}})
	wantFindings(t, a, []countCase{
		{"Hi Priya, change the line to `cd ${HOME}/public_html && php cron.php` and it will run.", 0},
		{"Hi Priya, run this:\n```\nexport DIR=${HOME}/app\n```\nand it works.", 0},
		{"Hi ${client_name}, your refund is on its way.", 1},
		{"Hi ${client_name}, use `ls` to list files.", 1},
		{"Hi *|FNAME|*, your order has shipped.", 1},
		{"Hi $FIRST_NAME, your order has shipped.", 1},
		{"سلام $FIRST_NAME، سفارش شما ارسال شد.", 1},
		{"The refund of $100 and $25.50 is on its way, see $Section 2.", 0},
		{"Prices go up *|today|* 5*|3 — a footnote, not a tag.", 0},
		{"Hi Priya, use https://support.example.com/login?next=%2Faccount%2Fsettings%3Ftab%3Dbilling to sign in.", 0},
		{"Hi Priya, the link is https://t.co/r?u=https%3A%2F%2Fhelp.example.com%2Fa%2F%E2%80%99 — try it.", 0},
		{"Hi %FIRSTNAME%, your %CART% total is due on %DATE%.", 3},
		{"Hi Priya, sign in at https://example.com/login?user=%USERNAME% to continue.", 1},
		{"Hi Priya, the page starts with <HTML><HEAD><TITLE>Offer</TITLE> and a <STRONG> heading.", 0},
		{"Hi Priya, in the script $opt{debug} and $h{'tests'} are set.", 0},
		{"Hi <CUSTOMER>, your {first_name} order is ready.", 2},
		{"Привет{name}, ваш заказ готов.", 1}, // a brace after a non-ASCII letter
	})
}

type countCase struct {
	text string
	want int // findings
}

// wantFindings checks how many findings each chat turn gets.
func wantFindings(t *testing.T, a *Analyzer, cases []countCase) {
	t.Helper()
	for _, tt := range cases {
		if got := len(a.Run(Document{Text: tt.text, Kind: KindChat})); got != tt.want {
			t.Errorf("%q: %d findings, want %d", tt.text, got, tt.want)
		}
	}
}

// newBuiltin is the built-in catalogue compiled with cfg (for the package's
// internal tests; analyzer_test has builtinAnalyzer).
func newBuiltin(tb testing.TB, cfg Config) *Analyzer {
	tb.Helper()
	set, err := rules.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	a, err := New(set, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

var linkSeeds = []string{
	"@TeamYouTube Hello, my channel https: //www.youtube.com/channel/UCW97 and mail zeki@gmail.com.",
	"see https://shop.example/new?ref=mail or WWW.Example.org, (http://x.y) ok",
	"a@b.c @a.b x@y, mail:bob@example.com; tel:123", "www.", "http://", "x\u00a0https://a.b\tc\nd\re\ff",
	"", "no links at all", "@@a.b", "Ё@ж.з", "foo.www.bar", "https://a.b@c.d",
}

// TestDropLinks: dropping links word by word is linkRE over the whole text.
func TestDropLinks(t *testing.T) {
	for _, s := range linkSeeds {
		if got, want := dropLinks(s), linkRE.ReplaceAllString(s, " "); got != want {
			t.Errorf("dropLinks(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzDropLinks(f *testing.F) {
	for _, s := range linkSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := dropLinks(s), linkRE.ReplaceAllString(s, " "); got != want {
			t.Fatalf("dropLinks(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestCurtLaterTurn checks that courtesy is judged on a transcript's
// first agent turn: a later turn with none of its own is not curt, the
// same words alone (a chat draft) or as the first turn are.
func TestCurtLaterTurn(t *testing.T) {
	a := newBuiltin(t, Config{})
	for _, tt := range []struct {
		ctx  Context
		want bool
	}{
		{Context{}, true},
		{Context{FirstTurn: true}, true},
		{Context{LaterTurn: true}, false},
	} {
		got := false
		for _, f := range a.Run(Document{Text: "It ships today from the Leeds warehouse.", Kind: KindChat, Context: tt.ctx}) {
			got = got || f.Rule == "courtesy.curt"
		}
		if got != tt.want {
			t.Errorf("context %+v: curt = %v, want %v", tt.ctx, got, tt.want)
		}
	}
}

package analyzer

import "testing"

// TestBlankNameWarning: in Arabic script a space before the comma after a
// greeting («سلام ،») may be a name left blank or a typing habit, so it is
// a warning; a surer sign is reported at the rule's severity, and the
// formal opener «با سلام ،» expects no name. A tanween on the greeting
// («مرحباً ،») is the same case, not a Latin "Hi ,".
func TestBlankNameWarning(t *testing.T) {
	a := newBuiltin(t, Config{})
	for _, tc := range []struct {
		text string
		want Severity // "" for no canned.blank-name finding
	}{
		{"سلام ،  ممنون که با ما در تماس هستید. اشتراک شما تمدید شد.\n\nبا احترام\nمریم", Warning},
		{"مرحبا ، شكراً لتواصلك معنا. تم تجديد اشتراكك.\n\nمع التحية\nمنى", Warning},
		{"مرحباً ،\n\nشكراً لتواصلك معنا. تم تجديد اشتراكك.\n\nمع التحية\nمنى", Warning},
		{"با سلام ، اشتراک شما تمدید شد. ممنون از شما.\n\nبا احترام\nمریم", ""},
		{"سلام آقای رضایی، اشتراک شما تمدید شد. ممنون از شما.\n\nبا احترام\nمریم", ""},
		{"Hi , thanks for your message. Your plan is renewed.\n\nBest,\nAnna", Error},
	} {
		var got Severity
		for _, f := range a.Run(Document{Text: tc.text, Kind: KindEmail}) {
			if f.Rule == "canned.blank-name" {
				got = f.Severity
			}
		}
		if got != tc.want {
			t.Errorf("%q: canned.blank-name severity %q, want %q", tc.text, got, tc.want)
		}
	}
}

package sendmail

import "testing"

func TestStripHeader(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"absent", "From: a\r\nTo: b\r\n\r\nbody\r\n", "From: a\r\nTo: b\r\n\r\nbody\r\n"},
		{"one", "From: a\r\nX-Replylint-Disable: deflection ok\r\nTo: b\r\n\r\nbody\r\n", "From: a\r\nTo: b\r\n\r\nbody\r\n"},
		{"folded", "From: a\nx-replylint-disable: deflection\n  agreed with legal\nTo: b\n\nbody\n", "From: a\nTo: b\n\nbody\n"},
		{"two", "X-Replylint-Disable: a r\nSubject: s\nX-Replylint-Disable: b r\n\nX-Replylint-Disable: in body\n", "Subject: s\n\nX-Replylint-Disable: in body\n"},
		{"no body", "From: a\nX-Replylint-Disable: a r\n", "From: a\n"},
		{"similar name kept", "X-Replylint-Disabled: x\n\nb", "X-Replylint-Disabled: x\n\nb"},
	}
	for _, tt := range tests {
		if got := string(StripHeader([]byte(tt.in), "X-Replylint-Disable")); got != tt.want {
			t.Errorf("%s: StripHeader = %q, want %q", tt.name, got, tt.want)
		}
	}
}

package transcript

import "testing"

func TestSniffDraftStartingWithBracket(t *testing.T) {
	tests := []struct {
		name, head, want string
	}{
		{"draft.txt", "[Customer Name], thank you for writing.", ""},
		{"draft.txt", "[نام مشتری] گرامی،\n\nبا سلام", ""},
		{"draft.txt", "{{first_name}}, your order shipped.", ""},
		{"draft", "[{\"role\":\"agent\",\"text\":\"hi\"}]", FormatJSON},
		{"draft", "[{\"role\":\"agent\",\"text\":\"a long turn cut sh", FormatJSON},
		{"export.json", "[not json at all", FormatJSON},
		{"x", "{\"role\":\"agent\",\"text\":\"hi\"}\n{\"role\":\"customer\"", FormatJSONL},
	}
	for _, tt := range tests {
		if got := Sniff(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q, %q) = %q, want %q", tt.name, tt.head, got, tt.want)
		}
	}
}

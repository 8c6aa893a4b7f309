package mail

import "testing"

func TestDecodeCharset(t *testing.T) {
	tests := []struct{ cs, in, want string }{
		{"utf-7", "Hi Mom -+Jjo--!", "Hi Mom -☺-!"},
		{"utf-7", "A+ImIDkQ.", "A≢Α."},
		{"unicode-1-1-utf-7", "+ZeVnLIqe-", "日本語"},
		{"utf-7", "1 +- 1", "1 + 1"},
		{"cp932", "\x93\xfa\x96\x7b", "日本"},
		{"windows-1256", "\xe3\xd1\xcd\xc8\xc7", "مرحبا"},
		{"iso-8859-6", "\xe5\xd1\xcd\xc8\xc7", "مرحبا"},
		{"koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
	}
	for _, tt := range tests {
		got, err := decodeCharset(tt.cs, []byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("decodeCharset(%q, %q) = %q, %v; want %q", tt.cs, tt.in, got, err, tt.want)
		}
	}
	if _, err := decodeCharset("x-klingon", []byte("x")); err == nil {
		t.Error("x-klingon: no error")
	}
}

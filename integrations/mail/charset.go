package mail

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/emersion/go-message/charset"
)

// charsetAliases maps charset names seen in real mail that x/text does not
// know to names it knows.
var charsetAliases = map[string]string{
	"cp932": "shift_jis", "ms932": "shift_jis", "windows-31j": "shift_jis", "sjis": "shift_jis", "x-sjis": "shift_jis",
	"cp936": "gbk", "ms936": "gbk", "cp949": "euc-kr", "ms949": "euc-kr", "cp950": "big5", "ms950": "big5",
	"utf8": "utf-8", "win-1251": "windows-1251", "win1251": "windows-1251", "cp-1251": "windows-1251",
	"cp-1256": "windows-1256", "win-1256": "windows-1256", "x-cp1251": "windows-1251", "x-cp1256": "windows-1256",
}

// decodeCharset converts data from charset cs (lower case) to UTF-8.
func decodeCharset(cs string, data []byte) (b []byte, err error) {
	defer func() {
		// A decoder of x/text should never panic; make sure of it.
		if recover() != nil {
			b, err = nil, errors.New("charset decoder failed")
		}
	}()
	if a, ok := charsetAliases[cs]; ok {
		cs = a
	}
	switch cs {
	case "utf-8":
		return data, nil
	case "utf-7", "unicode-1-1-utf-7", "x-utf-7":
		return decodeUTF7(data), nil
	}
	r, err := charset.Reader(cs, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

const b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeUTF7 decodes UTF-7 (RFC 2152), which x/text does not support.
func decodeUTF7(data []byte) []byte {
	var out bytes.Buffer
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c != '+' {
			out.WriteByte(c)
			continue
		}
		if i+1 < len(data) && data[i+1] == '-' {
			out.WriteByte('+')
			i++
			continue
		}
		var (
			bits  uint32
			nbits uint
			units []uint16
		)
		j := i + 1
		for ; j < len(data); j++ {
			v := strings.IndexByte(b64chars, data[j])
			if v < 0 {
				break
			}
			bits = bits<<6 | uint32(v)
			nbits += 6
			if nbits >= 16 {
				nbits -= 16
				units = append(units, uint16(bits>>nbits))
				bits &= 1<<nbits - 1
			}
		}
		out.WriteString(string(utf16.Decode(units)))
		if j < len(data) && data[j] == '-' {
			j++
		}
		i = j - 1
	}
	return out.Bytes()
}

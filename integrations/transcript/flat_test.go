package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"testing"
)

// slowObject is decodeObject without the fast path.
func slowObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, io.ErrUnexpectedEOF
	}
	return v, nil
}

var flatSeeds = []string{
	`{"role":"agent","text":"Hi Anna,\nthanks!","ts":1712345678901,"n":-0.5e+3,"ok":true,"x":null}`,
	`{}`, ` { "a" : "b" } `, `{"a":"\u00e9\u0627\/\"\\"}`, `{"a":"\ud83d\ude00"}`, `{"a":[1]}`, `{"a":{"b":1}}`,
	`{"a":01}`, `{"a":1.}`, `{"a":"x\x41"}`, `{"a":"tab	in"}`, `{"a":"b"}x`, `{"a":"b",}`, `{"a":tru}`,
	"{\"a\":\"\xff\"}", `{"a":"Здравствуйте","b":"سلام"}`, `{"a":1,"a":2}`, `{"a":-}`, `{"a":1e}`, `[1]`, `"s"`,
}

func TestDecodeFlat(t *testing.T) {
	for _, s := range flatSeeds {
		got, ok := decodeFlat([]byte(s))
		want, err := slowObject([]byte(s))
		if ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("decodeFlat(%s) = %v, encoding/json: %v, %v", s, got, want, err)
		}
	}
	// The common rows do take the fast path.
	for _, s := range flatSeeds[:4] {
		if _, ok := decodeFlat([]byte(s)); !ok {
			t.Errorf("decodeFlat(%s) fell back", s)
		}
	}
}

// FuzzDecodeFlat checks that whatever the fast path accepts, encoding/json
// accepts too, with the same result.
func FuzzDecodeFlat(f *testing.F) {
	for _, s := range flatSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := decodeFlat([]byte(s))
		if !ok {
			return
		}
		want, err := slowObject([]byte(s))
		if err != nil {
			t.Fatalf("decodeFlat accepted %q, encoding/json: %v", s, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeFlat(%q) = %#v, encoding/json %#v", s, got, want)
		}
	})
}

// TestCounterBounded checks that numbering turns keeps memory bounded: a
// conversation idle for FlushAfter turns is forgotten.
func TestCounterBounded(t *testing.T) {
	c := newCounter()
	if got := c.next("a") + c.next("a"); got != 3 {
		t.Fatalf("turns of a = 1+2, got sum %d", got)
	}
	for i := range 3 * FlushAfter {
		c.next(fmt.Sprint("c", i))
	}
	if n := len(c.seen); n > 2*FlushAfter {
		t.Errorf("%d conversations remembered, want at most %d", n, 2*FlushAfter)
	}
	if got := c.next("a"); got != 1 {
		t.Errorf("a after a long pause is turn %d, want 1 (numbered afresh)", got)
	}
}

package transcript

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// flatMap is obj as encoding/json decodes it (numbers as json.Number).
func flatMap(obj *flatObject) map[string]any {
	m := map[string]any{}
	for _, mb := range obj.members {
		switch mb.kind {
		case flatString:
			m[mb.key] = mb.text
		case flatNumber:
			m[mb.key] = json.Number(mb.text)
		case flatTrue:
			m[mb.key] = true
		case flatFalse:
			m[mb.key] = false
		case flatNull:
			m[mb.key] = nil
		}
	}
	return m
}

// decodeFlatMap is decodeFlat as a map, for comparison with encoding/json.
func decodeFlatMap(s string) (map[string]any, bool) {
	var obj flatObject
	if !decodeFlat(s, &obj) {
		return nil, false
	}
	return flatMap(&obj), true
}

var flatSeeds = []string{
	`{"role":"agent","text":"Hi Anna,\nthanks!","ts":1712345678901,"n":-0.5e+3,"ok":true,"x":null}`,
	`{}`, ` { "a" : "b" } `, `{"a":"\u00e9\u0627\/\"\\"}`, `{"a":"\ud83d\ude00"}`, `{"a":[1]}`, `{"a":{"b":1}}`,
	`{"a":01}`, `{"a":1.}`, `{"a":"x\x41"}`, `{"a":"tab	in"}`, `{"a":"b"}x`, `{"a":"b",}`, `{"a":tru}`,
	"{\"a\":\"\xff\"}", `{"a":"Здравствуйте","b":"سلام"}`, `{"a":1,"a":2}`, `{"a":-}`, `{"a":1e}`, `[1]`, `"s"`,
}

func TestDecodeFlat(t *testing.T) {
	for _, s := range flatSeeds {
		got, ok := decodeFlatMap(s)
		want, err := slowObject([]byte(s))
		if ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("decodeFlat(%s) = %v, encoding/json: %v, %v", s, got, want, err)
		}
	}
	// The common rows do take the fast path.
	for _, s := range flatSeeds[:4] {
		if _, ok := decodeFlatMap(s); !ok {
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
		got, ok := decodeFlatMap(s)
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

// TestReadJSONLAllocs keeps the common row cheap: decoding a flat row and
// reading its fields allocates the row's string only (the values are its
// substrings), not a map and a boxed value per field.
func TestReadJSONLAllocs(t *testing.T) {
	row := `{"conversation_id":"c-1","role":"agent","author":"Anna","text":"Hi Mary, I have refunded the duplicate payment.","timestamp":"2024-03-01T09:00:00Z"}` + "\n"
	data := strings.Repeat(row, 1000)
	allocs := testing.AllocsPerRun(5, func() {
		n := 0
		err := ReadJSONL(strings.NewReader(data), Mapping{}, func(Turn) error { n++; return nil }, func(int, error) { t.Fatal("bad row") })
		if err != nil || n != 1000 {
			t.Fatalf("read %d turns, %v", n, err)
		}
	})
	if perRow := allocs / 1000; perRow > 1.1 {
		t.Errorf("%.2f allocations per row, want at most 1 (the row's string)", perRow)
	}
}

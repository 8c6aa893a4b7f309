package audit

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/replylint/replylint/analyzer"
)

func TestJaccard(t *testing.T) {
	tests := []struct {
		a, b string
		lo   float64
		hi   float64
	}{
		{"the quick brown fox jumps over the lazy dog", "the quick brown fox jumps over the lazy dog", 1, 1},
		{"order 12345 ships on monday from leeds warehouse", "order 99999 ships on monday from leeds warehouse", 1, 1}, // digits fold
		{"the quick brown fox jumps over the lazy dog", "a completely different sentence about refunds and parcels", 0, 0},
		{"hi anna your parcel ships on monday from our leeds warehouse kind regards", "hi tom your parcel ships on monday from our leeds warehouse kind regards", 0.6, 0.95},
	}
	for _, tt := range tests {
		a, b := shingles(words(tt.a, nil), nil), shingles(words(tt.b, nil), nil)
		j := jaccard(a, b)
		if j < tt.lo || j > tt.hi {
			t.Errorf("jaccard(%q, %q) = %v, want in [%v, %v]", tt.a, tt.b, j, tt.lo, tt.hi)
		}
		sa, sb := minhash(a), minhash(b)
		if est := sa.estimate(&sb); est < j-0.3 || est > j+0.3 {
			t.Errorf("estimate %v far from exact %v", est, j)
		}
		back, err := parseSignature(sa.String())
		if err != nil || *back != sa {
			t.Errorf("signature round trip: %v", err)
		}
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		secs []int
		want time.Duration
	}{
		{[]int{10}, 10 * time.Second},
		{[]int{10, 20, 30}, 20 * time.Second},
		{[]int{10, 20, 30, 40}, 20 * time.Second}, // lower median
		{[]int{3600, 3600, 7200}, 3600 * time.Second},
	}
	for _, tt := range tests {
		var h histogram
		for _, s := range tt.secs {
			h.add(time.Duration(s) * time.Second)
		}
		got, _ := h.median()
		if d := got - tt.want; d < -tt.want/100 || d > tt.want/100 {
			t.Errorf("median %v = %v, want %v (±1%%)", tt.secs, got, tt.want)
		}
	}
}

func TestScore(t *testing.T) {
	a, err := New(Options{Critical: []string{"dismissive"}, Weights: map[string]float64{"courtesy": 50}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cats []catCount
		want float64
	}{
		{nil, 100},
		{[]catCount{{"courtesy", 3}}, 50},
		{[]catCount{{"courtesy", 1}, {"deflection", 2}}, 25},
		{[]catCount{{"courtesy", 1}, {"deflection", 1}, {"runaround", 1}}, 5},
		{[]catCount{{"courtesy", 1}, {"deflection", 1}, {"runaround", 1}, {"canned", 1}}, 0},
		{[]catCount{{"dismissive", 1}}, 0},
		{[]catCount{{"brand-new", 1}}, 90},
	}
	for _, tt := range tests {
		if got := a.messageScore(tt.cats); got != tt.want {
			t.Errorf("score %v = %v, want %v", tt.cats, got, tt.want)
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	a, _ := New(Options{})
	r := &Record{Agent: "<b>Eve</b>", Text: "Hello <script>alert(1)</script> مرحبا", Source: analyzer.Source{Path: "x"},
		Findings: []analyzer.Finding{{Rule: "r", Category: "dismissive", Severity: "error", Text: "<script>",
			Span: analyzer.Span{Start: 6, End: 14}}}}
	a.Add(r)
	var b bytes.Buffer
	if err := WriteHTML(&b, a.Result()); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if strings.Contains(s, "<script>") || strings.Contains(s, "<b>Eve") {
		t.Errorf("unescaped message text in the report")
	}
	if !strings.Contains(s, "<mark>&lt;script&gt;</mark>") {
		t.Errorf("span not highlighted and escaped")
	}
}

func TestReadFindings(t *testing.T) {
	in := `{"record":{"source":{"path":"a"},"agent":"Ann","courtesy":{},"text":"hi","findings":1}}
{"rule":"x.y","category":"x","severity":"error","lang":"en","message":"m","source":{"path":"a"},"span":{"start":0,"end":2,"line":1,"column":1},"text":"hi"}
not json
{"path":"b.eml","error":"binary file"}
{"rule":"x.y","category":"x","severity":"error","lang":"en","message":"m","source":{"path":"c","turn":2},"span":{"start":0,"end":1,"line":1,"column":1},"text":"h"}
{"rule":"x.z","category":"x","severity":"error","lang":"en","message":"m","source":{"path":"c","turn":2},"span":{"start":0,"end":1,"line":1,"column":1},"text":"h"}
`
	var recs []*Record
	var skips []string
	err := ReadFindings(strings.NewReader(in), "in", func(r *Record) error { recs = append(recs, r); return nil },
		func(p, reason string) { skips = append(skips, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || len(recs[0].Findings) != 1 || recs[0].Implicit || !recs[1].Implicit || len(recs[1].Findings) != 2 {
		t.Errorf("records %+v", recs)
	}
	if want := []string{"in:3", "b.eml"}; strings.Join(skips, " ") != strings.Join(want, " ") {
		t.Errorf("skips %q, want %q", skips, want)
	}
}

// TestTimelineOrder: days in calendar order, undated messages first, each
// day counting its own messages.
func TestTimelineOrder(t *testing.T) {
	a, _ := New(Options{})
	for _, d := range []string{"2024-03-02T10:00:00Z", "", "2024-02-28T23:59:00+03:00", "2023-12-31T08:00:00Z", "2024-03-02T11:00:00Z"} {
		r := &Record{Agent: "Anna", Text: "Hello", Source: analyzer.Source{Path: "x"}}
		if d != "" {
			r.ReplyTime, _ = time.Parse(time.RFC3339, d)
		}
		a.Add(r)
	}
	var got []string
	for _, d := range a.Result().Timeline {
		got = append(got, fmt.Sprintf("%s:%d", d.Day, d.Messages))
	}
	want := []string{"(no date):1", "2023-12-31:1", "2024-02-28:1", "2024-03-02:2"}
	if !slices.Equal(got, want) {
		t.Errorf("timeline = %v, want %v", got, want)
	}
}

// TestClustersShortReplies: Prepare skips the shingles of replies shorter
// than the default minimum; a clusterer configured lower must still
// cluster them, and tell the questions they answered apart.
func TestClustersShortReplies(t *testing.T) {
	reply := "Your refund request was received and will be processed soon." // 10 words
	questions := []string{
		"Where is my parcel, it was due on Monday and nothing came",
		"I was charged twice for the same subscription this month",
		"How do I change the delivery address on my open order",
	}
	for _, minWords := range []int{0, 8} {
		a, err := New(Options{Cluster: ClusterOptions{MinWords: minWords, MinSize: 3}})
		if err != nil {
			t.Fatal(err)
		}
		// The same reply to three customers, and three replies of their own.
		own := []string{
			"Your parcel left our warehouse this morning and arrives on Thursday.",
			"I have refunded the second charge, it shows within three days.",
			"I changed the address on your order to the new one now.",
		}
		for i, q := range questions {
			for _, text := range []string{reply, own[i]} {
				doc := analyzer.Document{Text: text, Kind: analyzer.KindChat,
					Context: analyzer.Context{Customer: q, CustomerName: fmt.Sprint("customer ", i)},
					Source:  analyzer.Source{Path: "x", Author: "Anna"}}
				a.Add(Prepare(doc, analyzer.Result{}, nil))
			}
		}
		cl := a.Result().Clusters
		switch {
		case minWords == 0 && len(cl) != 0:
			t.Errorf("default minimum (12 words): %d clusters of a 10-word reply, want none", len(cl))
		case minWords == 8 && (len(cl) != 1 || cl[0].Size != 3 || cl[0].Example != reply || !cl[0].DifferentQuestions):
			t.Errorf("minimum 8: clusters %+v, want one of the 3 copies of %q, answering different questions", cl, reply)
		}
	}
}

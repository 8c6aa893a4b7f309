package audit

import (
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// TestOrdered: results come in input order whatever the workers' speed,
// including the last partial batch; in-flight items stay bounded.
func TestOrdered(t *testing.T) {
	for _, n := range []int{0, 1, batchSize - 1, batchSize, 10*batchSize + 7} {
		var produced, consumed, maxAhead atomic.Int64
		var got []int
		err := Ordered(3, 2, func(emit func(int) error) error {
			for i := range n {
				if ahead := produced.Add(1) - consumed.Load(); ahead > maxAhead.Load() {
					maxAhead.Store(ahead)
				}
				if err := emit(i); err != nil {
					return err
				}
			}
			return nil
		}, func(i int) int {
			if rand.IntN(8) == 0 {
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			}
			return i * 10
		}, func(v int) error {
			consumed.Add(1)
			got = append(got, v)
			return nil
		})
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if len(got) != n {
			t.Fatalf("n=%d: consumed %d", n, len(got))
		}
		for i, v := range got {
			if v != i*10 {
				t.Fatalf("n=%d: result %d is %d, want %d (out of order)", n, i, v, i*10)
			}
		}
		if bound := int64((3 + 2*2 + 1) * batchSize); maxAhead.Load() > bound {
			t.Errorf("n=%d: %d items in flight, want at most %d", n, maxAhead.Load(), bound)
		}
	}
}

// TestOrderedErrors: a consumer error stops production and is returned;
// a producer error is returned after its items are consumed.
func TestOrderedErrors(t *testing.T) {
	boom := errors.New("boom")
	emitted := 0
	err := Ordered(2, 1, func(emit func(int) error) error {
		for i := range 100000 {
			if err := emit(i); err != nil {
				return err
			}
			emitted++
		}
		return nil
	}, func(i int) int { return i }, func(v int) error {
		if v == 40 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("consumer error: got %v, want boom", err)
	}
	if emitted >= 100000 {
		t.Errorf("production did not stop after the consumer failed")
	}
	var seen []int
	err = Ordered(2, 1, func(emit func(int) error) error {
		for i := range 5 {
			emit(i)
		}
		return boom
	}, func(i int) int { return i }, func(v int) error { seen = append(seen, v); return nil })
	if !errors.Is(err, boom) || len(seen) != 5 {
		t.Errorf("producer error: got %v after %d items, want boom after 5", err, len(seen))
	}
}

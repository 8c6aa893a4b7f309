package audit

import (
	"errors"
	"sync"
)

// errStopped is what emit returns once the consumer has failed.
var errStopped = errors.New("audit: stopped")

// batchSize is how many items travel together between the goroutines of
// Ordered: a channel send, a wake-up and an entry in the reorder map per
// batch instead of per message (a short chat reply costs a few
// microseconds to lint, as much as handing it over did).
const batchSize = 32

// Ordered runs work on every item produce emits, with workers goroutines,
// and calls consume with the results in the order the items were emitted.
// Items travel in batches; at most about (2×buffer+workers)×32 items are in
// flight, so memory is bounded whatever the input size. produce runs in its
// own goroutine; consume runs in the caller's. Once consume fails, emit
// returns an error, the rest is drained, and Ordered returns consume's
// error (else produce's).
func Ordered[In, Out any](workers, buffer int, produce func(emit func(In) error) error, work func(In) Out, consume func(Out) error) error {
	workers, buffer = max(workers, 1), max(buffer, 1)
	type batch[T any] struct {
		seq int
		vs  []T
	}
	jobs := make(chan batch[In], buffer)
	results := make(chan batch[Out], buffer)
	done := make(chan struct{})
	// window bounds the batches emitted and not yet consumed, so that a
	// slow one cannot make the finished ones behind it pile up.
	window := make(chan struct{}, workers+2*buffer)
	// The batches' slices go round: a batch of documents is as big as the
	// documents, and allocating it anew per batch was a tenth of an
	// audit's garbage.
	inFree := make(chan []In, workers+2*buffer+1)
	outFree := make(chan []Out, workers+2*buffer+1)
	var prodErr error
	go func() {
		defer close(jobs)
		seq := 0
		cur := take(inFree, batchSize)
		send := func() error {
			select {
			case window <- struct{}{}:
			case <-done:
				return errStopped
			}
			select {
			case jobs <- batch[In]{seq, cur}:
				seq++
				cur = take(inFree, batchSize)
				return nil
			case <-done:
				return errStopped
			}
		}
		prodErr = produce(func(v In) error {
			cur = append(cur, v)
			if len(cur) < batchSize {
				return nil
			}
			return send()
		})
		if len(cur) > 0 {
			if err := send(); prodErr == nil {
				prodErr = err
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range jobs {
				out := take(outFree, batchSize)[:len(b.vs)]
				for i, v := range b.vs {
					out[i] = work(v)
				}
				give(inFree, b.vs)
				results <- batch[Out]{b.seq, out}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	pending := map[int][]Out{}
	next := 0
	var consErr error
	for r := range results {
		if consErr != nil {
			continue // drain
		}
		pending[r.seq] = r.vs
		for consErr == nil {
			vs, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			for _, v := range vs {
				if err := consume(v); err != nil {
					consErr = err
					close(done)
					break
				}
			}
			give(outFree, vs)
		}
	}
	if consErr != nil {
		return consErr
	}
	if errors.Is(prodErr, errStopped) {
		return nil
	}
	return prodErr
}

// take returns an empty slice from free, or a new one of capacity n.
func take[T any](free chan []T, n int) []T {
	select {
	case s := <-free:
		return s
	default:
		return make([]T, 0, max(n, batchSize))
	}
}

// give clears s (its items are no longer referenced) and puts it in free
// unless free is full.
func give[T any](free chan []T, s []T) {
	clear(s)
	select {
	case free <- s[:0]:
	default:
	}
}

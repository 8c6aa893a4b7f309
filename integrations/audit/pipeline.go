package audit

import (
	"errors"
	"sync"
)

// errStopped is what emit returns once the consumer has failed.
var errStopped = errors.New("audit: stopped")

// Ordered runs work on every item produce emits, with workers goroutines,
// and calls consume with the results in the order the items were emitted.
// At most about 2×buffer+workers items are in flight, so memory is bounded
// whatever the input size. produce runs in its own goroutine; consume runs
// in the caller's. Once consume fails, emit returns an error, the rest is
// drained, and Ordered returns consume's error (else produce's).
func Ordered[In, Out any](workers, buffer int, produce func(emit func(In) error) error, work func(In) Out, consume func(Out) error) error {
	workers, buffer = max(workers, 1), max(buffer, 1)
	type item[T any] struct {
		seq int
		v   T
	}
	jobs := make(chan item[In], buffer)
	results := make(chan item[Out], buffer)
	done := make(chan struct{})
	// window bounds the items emitted and not yet consumed, so that a slow
	// item cannot make the finished ones behind it pile up.
	window := make(chan struct{}, workers+2*buffer)
	var prodErr error
	go func() {
		defer close(jobs)
		seq := 0
		prodErr = produce(func(v In) error {
			select {
			case window <- struct{}{}:
			case <-done:
				return errStopped
			}
			select {
			case jobs <- item[In]{seq, v}:
				seq++
				return nil
			case <-done:
				return errStopped
			}
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				results <- item[Out]{j.seq, work(j.v)}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	pending := map[int]Out{}
	next := 0
	var consErr error
	for r := range results {
		if consErr != nil {
			continue // drain
		}
		pending[r.seq] = r.v
		for {
			v, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			if err := consume(v); err != nil {
				consErr = err
				close(done)
				break
			}
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

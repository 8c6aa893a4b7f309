package transcript

import (
	"container/list"
	"iter"
	"slices"
)

// FlushAfter is how many input lines a Grouper waits for another turn of
// a conversation before it emits the conversation as complete.
const FlushAfter = 10000

// Group groups turns by conversation, all in memory: one slice per
// conversation id, in the order of each conversation's first turn, each
// in input order.
func Group(turns []Turn) [][]Turn {
	var out [][]Turn
	at := map[string]int{}
	for _, t := range turns {
		i, ok := at[t.Conversation]
		if !ok {
			i = len(out)
			at[t.Conversation] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], t)
	}
	return out
}

// Conversations groups the turns that next returns, until it returns
// false, into conversations, as a Grouper does: input whose conversations
// interleave is grouped fully as long as a conversation's turns are less
// than FlushAfter lines apart.
func Conversations(next func() (Turn, bool)) iter.Seq[[]Turn] {
	return func(yield func([]Turn) bool) {
		stop := false
		g := NewGrouper(func(conv []Turn) error {
			if !stop && !yield(conv) {
				stop = true
			}
			return nil
		})
		for !stop {
			t, ok := next()
			if !ok {
				break
			}
			g.Add(t)
		}
		if !stop {
			g.Flush()
		}
	}
}

// Grouper groups a stream of turns into conversations with bounded
// memory. It buffers the turns of each conversation and emits a
// conversation when its id has not been seen for FlushAfter lines of
// input (Turn.Line; turns without increasing lines count as one line
// each), or at Flush. Input sorted by conversation is thus emitted in
// input order; interleaved input is grouped fully when a conversation's
// turns are less than FlushAfter lines apart, and a conversation that goes
// on after a longer pause is emitted again, in parts, under the same id.
// Its Add method fits the readers' fn argument:
//
//	g := transcript.NewGrouper(lint)
//	err := transcript.ReadJSONL(r, m, g.Add, bad)
//	if err == nil {
//		err = g.Flush()
//	}
type Grouper struct {
	emit  func([]Turn) error
	open  map[string]*list.Element // of *bucket
	lru   list.List                // buckets, least recently added to first
	pos   int                      // position of the last turn
	first int                      // order of first turns, to flush in it
}

type bucket struct {
	id    string
	turns []Turn
	last  int // position of its last turn
	first int
}

// NewGrouper returns a Grouper that calls emit with each conversation.
func NewGrouper(emit func(conv []Turn) error) *Grouper {
	return &Grouper{emit: emit, open: map[string]*list.Element{}}
}

// Add adds a turn, first emitting the conversations it makes stale. It
// returns the first error of emit.
func (g *Grouper) Add(t Turn) error {
	g.pos = max(t.Line, g.pos+1)
	for e := g.lru.Front(); e != nil; e = g.lru.Front() {
		b := e.Value.(*bucket)
		if g.pos-b.last <= FlushAfter {
			break
		}
		g.lru.Remove(e)
		delete(g.open, b.id)
		if err := g.emit(b.turns); err != nil {
			return err
		}
	}
	e, ok := g.open[t.Conversation]
	if !ok {
		g.first++
		e = g.lru.PushBack(&bucket{id: t.Conversation, first: g.first})
		g.open[t.Conversation] = e
	} else {
		g.lru.MoveToBack(e)
	}
	b := e.Value.(*bucket)
	b.turns = append(b.turns, t)
	b.last = g.pos
	return nil
}

// Flush emits the conversations still buffered, in the order of their
// first turns, and returns the first error of emit.
func (g *Grouper) Flush() error {
	var bs []*bucket
	for e := g.lru.Front(); e != nil; e = e.Next() {
		bs = append(bs, e.Value.(*bucket))
	}
	g.lru.Init()
	clear(g.open)
	slices.SortFunc(bs, func(a, b *bucket) int { return a.first - b.first })
	for _, b := range bs {
		if err := g.emit(b.turns); err != nil {
			return err
		}
	}
	return nil
}

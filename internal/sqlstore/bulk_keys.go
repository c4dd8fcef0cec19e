package sqlstore

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
)

// keyPair is one search key of one customer, with the customer's owner.
type keyPair struct {
	key   string
	id    int64
	owner int64
}

// comparePairs orders by key, then customer.
func comparePairs(a, b keyPair) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// compareOwned orders by owner, then key, then customer.
func compareOwned(a, b keyPair) int {
	if c := cmp.Compare(a.owner, b.owner); c != 0 {
		return c
	}
	return comparePairs(a, b)
}

// keySpill sorts search keys outside the database: each batch's keys are
// sorted and appended to a temporary file as one run, and merge streams
// all runs in key order. Memory stays bounded by one batch, and the
// database receives the keys already sorted, so it builds their B-tree by
// appending instead of sorting millions of rows itself.
type keySpill struct {
	mu      sync.Mutex
	f       *os.File
	size    int64
	runs    []keyRun
	compare func(a, b keyPair) int
}

type keyRun struct{ off, n int64 }

func newKeySpill(compare func(a, b keyPair) int) (*keySpill, error) {
	f, err := os.CreateTemp("", "kewei-bulk-keys-*")
	if err != nil {
		return nil, err
	}
	return &keySpill{f: f, compare: compare}, nil
}

// add sorts pairs and writes them as one run.
func (s *keySpill) add(pairs []keyPair) error {
	if len(pairs) == 0 {
		return nil
	}
	slices.SortFunc(pairs, s.compare)
	var buf []byte
	for _, p := range pairs {
		buf = binary.AppendUvarint(buf, uint64(len(p.key)))
		buf = append(buf, p.key...)
		buf = binary.BigEndian.AppendUint64(buf, uint64(p.id))
		buf = binary.BigEndian.AppendUint64(buf, uint64(p.owner))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.WriteAt(buf, s.size); err != nil {
		return err
	}
	s.runs = append(s.runs, keyRun{off: s.size, n: int64(len(pairs))})
	s.size += int64(len(buf))
	return nil
}

// merge calls emit with the pairs of every run in order, chunk by chunk.
func (s *keySpill) merge(chunk int, emit func([]keyPair) error) error {
	h := &runHeap{compare: s.compare}
	for _, r := range s.runs {
		rd := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(s.f, r.off, s.size-r.off), 16<<10), left: r.n}
		if ok, err := rd.next(); err != nil {
			return err
		} else if ok {
			h.items = append(h.items, rd)
		}
	}
	heap.Init(h)
	out := make([]keyPair, 0, chunk)
	for h.Len() > 0 {
		rd := h.items[0]
		out = append(out, rd.cur)
		if ok, err := rd.next(); err != nil {
			return err
		} else if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
		if len(out) == chunk {
			if err := emit(out); err != nil {
				return err
			}
			out = out[:0]
		}
	}
	if len(out) > 0 {
		return emit(out)
	}
	return nil
}

// close removes the temporary file.
func (s *keySpill) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}

type runReader struct {
	r    *bufio.Reader
	left int64
	cur  keyPair
}

func (rd *runReader) next() (bool, error) {
	if rd.left == 0 {
		return false, nil
	}
	rd.left--
	n, err := binary.ReadUvarint(rd.r)
	if err != nil {
		return false, err
	}
	b := make([]byte, n+16)
	if _, err := io.ReadFull(rd.r, b); err != nil {
		return false, err
	}
	rd.cur = keyPair{key: string(b[:n]), id: int64(binary.BigEndian.Uint64(b[n:])),
		owner: int64(binary.BigEndian.Uint64(b[n+8:]))}
	return true, nil
}

type runHeap struct {
	items   []*runReader
	compare func(a, b keyPair) int
}

func (h *runHeap) Len() int           { return len(h.items) }
func (h *runHeap) Less(i, j int) bool { return h.compare(h.items[i].cur, h.items[j].cur) < 0 }
func (h *runHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *runHeap) Push(x any)         { h.items = append(h.items, x.(*runReader)) }
func (h *runHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

package scannertest

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/piiscan/piiscan/scanner"
)

// BarrierSource wraps a Source so that Open returns only once Need opens
// wait at the same time, or fails after Wait (10 s when zero): a run gets
// past it only by opening that many objects at once, as reading ahead
// does. Objects larger than Max (when not zero) open without waiting, as
// a worker reads large objects itself. It counts the opens, and the opens
// of an object opened before.
type BarrierSource struct {
	scanner.Source
	Need int
	Wait time.Duration
	Max  int64

	Opens, Twice atomic.Int64

	mu      sync.Mutex
	waiting int
	release chan struct{}
	opened  sync.Map
}

// Open waits at the barrier, then opens o from the wrapped source.
func (s *BarrierSource) Open(ctx context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	s.Opens.Add(1)
	if _, dup := s.opened.LoadOrStore(o.Key, true); dup {
		s.Twice.Add(1)
	}
	if s.Max == 0 || o.Size <= s.Max {
		s.mu.Lock()
		if s.release == nil {
			s.release = make(chan struct{})
		}
		release := s.release
		if s.waiting++; s.waiting == s.Need {
			close(release)
		}
		s.mu.Unlock()
		wait := s.Wait
		if wait == 0 {
			wait = 10 * time.Second
		}
		select {
		case <-release:
		case <-time.After(wait):
			return nil, fmt.Errorf("%s: fewer than %d opens at once", o.Name, s.Need)
		}
	}
	return s.Source.Open(ctx, o)
}

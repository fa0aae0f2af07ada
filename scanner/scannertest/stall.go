package scannertest

import (
	"context"
	"io"
	"strings"

	"github.com/piiscan/piiscan/scanner"
)

// StallSource lists Files like MemSource; every object it opens gives Head,
// then stalls until the context of the open ends: an object still being
// read when an interrupt's grace period is over. Opened receives a value
// (without blocking) at each open.
type StallSource struct {
	MemSource
	Head   string
	Opened chan struct{}
}

// Open returns Head followed by a read that waits for ctx.
func (s *StallSource) Open(ctx context.Context, _ scanner.ObjectInfo) (io.ReadCloser, error) {
	select {
	case s.Opened <- struct{}{}:
	default:
	}
	return io.NopCloser(io.MultiReader(strings.NewReader(s.Head), ctxReader{ctx})), nil
}

type ctxReader struct{ ctx context.Context }

func (r ctxReader) Read([]byte) (int, error) { <-r.ctx.Done(); return 0, r.ctx.Err() }

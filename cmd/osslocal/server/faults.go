package server

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// faults decides, per request, which injected failure (if any) it gets. The
// decisions come from one seeded generator, so a given sequence of requests
// always sees the same failures; concurrent requests may interleave.
type faults struct {
	mu       sync.Mutex
	rng      *rand.Rand
	errRate  float64
	throttle float64
	reset    float64
	latency  time.Duration
	ops      []string
}

func newFaults(cfg Config) *faults {
	return &faults{
		rng:     rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		errRate: cfg.ErrorRate, throttle: cfg.ThrottleRate, reset: cfg.ResetRate,
		latency: cfg.Latency, ops: cfg.FaultOps,
	}
}

func (f *faults) active() bool {
	return f.errRate > 0 || f.throttle > 0 || f.reset > 0 || f.latency > 0
}

// decision is the outcome for one request.
type decision struct {
	throttle, fail, reset bool
}

// decide draws the fault outcome of one operation. Every eligible request
// consumes the same number of draws, whatever the outcome, so changing one
// rate does not reshuffle the others.
func (f *faults) decide(op string) (decision, bool) {
	if !f.active() || (len(f.ops) > 0 && !slices.Contains(f.ops, op)) {
		return decision{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, b, c := f.rng.Float64(), f.rng.Float64(), f.rng.Float64()
	return decision{throttle: a < f.throttle, fail: b < f.errRate, reset: op == opGetObject && c < f.reset}, true
}

// injectFaults applies Latency, ThrottleRate and ErrorRate to a request and
// marks GetObject requests whose body ResetRate will cut.
func (s *Server) injectFaults(r *http.Request, rq *request) *ossError {
	d, ok := s.faults.decide(rq.op)
	if !ok {
		return nil
	}
	if s.faults.latency > 0 {
		t := time.NewTimer(s.faults.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	switch {
	case d.throttle:
		e := errServiceUnavailable()
		e.faultInjected = true
		return e
	case d.fail:
		e := errInternal()
		e.faultInjected = true
		return e
	}
	rq.resetBody = d.reset
	return nil
}

// cutConnection ends a response abruptly after part of its body was sent:
// it flushes what was written, takes the connection over and closes it, so
// the client sees a body shorter than Content-Length (an unexpected EOF).
// Where hijacking is impossible (HTTP/2) it aborts the handler instead,
// which makes net/http reset the stream.
func cutConnection(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	conn, _, err := rc.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

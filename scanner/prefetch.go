package scanner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"golang.org/x/sync/semaphore"
)

// Fetching ahead. A worker that opens an OSS object waits a round trip
// (tens of milliseconds) before the first byte; with small objects the
// workers would spend most of the run waiting, and more workers would only
// add CPU contention. So the lister starts reading each small remote object
// as it lists it, up to Config.Prefetch at once, into memory bounded by
// prefetchBudget bytes, and the worker that takes the object scans the
// bytes already there. Large objects are read by their worker as before:
// the round trip is small beside their transfer.
//
// A fetched object replays exactly what the worker would have read: the
// open error, or the bytes and then the read error that ended them (nil at
// the end of the object). The source's own retries and resumption (OSS)
// run inside the fetch.

// DefaultPrefetch is Config.Prefetch's default: OSS answers many small
// requests at once well, and 32 round trips of 20 to 40 ms in flight
// deliver about a thousand small objects a second, more than two workers
// scan, within prefetchBudget.
const DefaultPrefetch = 32

const (
	// prefetchMax is the most bytes of one object fetched ahead.
	prefetchMax = 1 << 20
	// prefetchBudget bounds the bytes fetched ahead and not yet scanned.
	prefetchBudget = 32 << 20
)

// job is a listed object on its way to a worker, with its bytes when they
// are fetched ahead.
type job struct {
	info ObjectInfo
	pre  *fetched
}

// fetched is an object read ahead of its worker.
type fetched struct {
	done    chan struct{} // closed when the fields below are set
	openErr error
	data    []byte
	readErr error // what ended the read; nil at the end of the object
	over    bool  // the object is larger than listed: the worker reads it itself
	// panicked is what the source panicked with; data holds what was read
	// before (none: the panic was in Open)
	panicked any
	weight   int64
	cancel   context.CancelFunc
}

// prefetcher starts and bounds the reads ahead.
type prefetcher struct {
	cfg    *Config
	src    Source
	slots  *semaphore.Weighted // reads at once
	budget *semaphore.Weighted // bytes held
}

func newPrefetcher(cfg *Config, src Source) *prefetcher {
	if cfg.Prefetch <= 0 {
		return nil
	}
	return &prefetcher{cfg: cfg, src: src, slots: semaphore.NewWeighted(int64(cfg.Prefetch)), budget: semaphore.NewWeighted(prefetchBudget)}
}

// wants reports whether o is worth reading ahead: a remote object whose
// bytes the worker reads (the whole object or its sample window) are few
// enough.
func (p *prefetcher) wants(o ObjectInfo) bool {
	if p == nil || o.Source == "file" || o.Source == "stdin" || !p.cfg.Sample.Keep(o.Key) {
		return false
	}
	if p.cfg.Skip != nil && (p.cfg.WouldSkip == nil || p.cfg.WouldSkip(o)) {
		return false
	}
	n := readSize(p.cfg, o)
	return o.Size > 0 && n <= prefetchMax && n <= p.cfg.MaxObjectSize && ReadableClass(o.StorageClass)
}

// readSize is how many bytes of o a worker reads: the object, or its
// sample window (--sample-bytes: a ranged GET of a large object).
func readSize(cfg *Config, o ObjectInfo) int64 {
	if _, n, ok := cfg.Sample.window(o); ok {
		return n
	}
	return o.Size
}

// weight is what an object holds of the budget: the bytes read and the
// slack read to see their end.
func (p *prefetcher) weight(o ObjectInfo) int64 { return readSize(p.cfg, o) + prefetchSlack }

// prefetchSlack is read past the listed size to see the object end there.
const prefetchSlack = 512

// start reads o ahead in a goroutine; the caller holds w of the budget,
// which the job keeps until release.
func (p *prefetcher) start(hard context.Context, o ObjectInfo, w int64) *fetched {
	ctx, cancel := context.WithTimeout(hard, p.cfg.ObjectTimeout)
	f := &fetched{done: make(chan struct{}), weight: w, cancel: cancel}
	go func() {
		var buf []byte
		defer func() {
			// A panic in the source is the worker's to report, as if it
			// had read the object itself (see replay).
			if v := recover(); v != nil {
				f.panicked, f.data = v, buf
			}
			close(f.done)
		}()
		if err := p.slots.Acquire(ctx, 1); err != nil {
			f.openErr = err
			return
		}
		defer p.slots.Release(1)
		rc, err := openSampled(ctx, p.cfg.Sample, p.src, o)
		if err != nil {
			f.openErr = err
			return
		}
		defer rc.Close()
		buf = make([]byte, 0, w)
		for len(buf) < cap(buf) {
			if err := ctx.Err(); err != nil { // as LimitReader does for the worker
				f.data, f.readErr = buf, err
				return
			}
			n, err := rc.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				f.data = buf
				return
			}
			if err != nil {
				f.data, f.readErr = buf, err
				return
			}
		}
		f.over = true // grew past the listed size: read it again from the start
	}()
	return f
}

// release gives back what a read ahead holds (f may be nil): the read,
// if still running, is cancelled, and its budget returned. Call it once
// per read, when its job is done or dropped.
func (p *prefetcher) release(f *fetched) {
	if p == nil || f == nil {
		return
	}
	f.cancel()
	p.budget.Release(f.weight)
}

// open returns the object's bytes as the source would have delivered them,
// waiting for the read ahead to end. ok is false when the worker should
// open the object itself.
func (f *fetched) open(ctx context.Context) (rc io.ReadCloser, ok bool, err error) {
	select {
	case <-f.done:
	case <-ctx.Done():
		// The worker's time is up (or the run is abandoned) while the read
		// ahead goes on: stop it, and count what it read, as the worker's
		// own read would have, ending in the worker's error.
		f.cancel()
		<-f.done
		if errors.Is(f.openErr, context.Canceled) {
			f.openErr = ctx.Err()
		}
		if errors.Is(f.readErr, context.Canceled) {
			f.readErr = ctx.Err()
		}
	}
	switch {
	case f.over:
		return nil, false, nil
	case f.openErr != nil:
		return nil, true, f.openErr
	case f.panicked != nil && f.data == nil:
		panic(f.panicked)
	}
	return io.NopCloser(&replay{r: bytes.NewReader(f.data), err: f.readErr, panicked: f.panicked}), true, nil
}

// replay reads the fetched bytes, then ends as the read did: with its
// error, or its panic.
type replay struct {
	r        *bytes.Reader
	err      error
	panicked any
}

func (r *replay) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err == io.EOF {
		if r.panicked != nil {
			panic(r.panicked)
		}
		if r.err != nil {
			return n, r.err
		}
	}
	return n, err
}

// ReadAhead is reading ahead for another worker pool (the redact
// command's): the pool's lister calls Start for each object it hands
// over, its worker opens the object with Fetched.Open and calls Release
// when done with it.
type ReadAhead struct{ p *prefetcher }

// NewReadAhead reads ahead up to n objects at once (n <= 0: nil, off)
// from src, each under timeout, skipping objects over maxSize.
func NewReadAhead(n int, src Source, timeout time.Duration, maxSize int64) *ReadAhead {
	cfg := &Config{Prefetch: n, ObjectTimeout: timeout, MaxObjectSize: maxSize}
	p := newPrefetcher(cfg, src)
	if p == nil {
		return nil
	}
	return &ReadAhead{p: p}
}

// Fetched is an object being read ahead.
type Fetched struct{ f *fetched }

// Start begins reading o ahead and returns it, or nil when o is not worth
// it (local, large) or r is nil. It waits for budget while too many bytes
// are held (ctx ends the wait, with its error); hard bounds the read.
func (r *ReadAhead) Start(ctx, hard context.Context, o ObjectInfo) (*Fetched, error) {
	if r == nil {
		return nil, nil
	}
	if !r.p.wants(o) {
		return nil, nil
	}
	w := r.p.weight(o)
	if err := r.p.budget.Acquire(ctx, w); err != nil {
		return nil, err
	}
	return &Fetched{f: r.p.start(hard, o, w)}, nil
}

// Open returns the object as its source would have delivered it; ok is
// false when the caller should open the object itself. f may be nil
// (ok is false then).
func (f *Fetched) Open(ctx context.Context) (rc io.ReadCloser, ok bool, err error) {
	if f == nil {
		return nil, false, nil
	}
	return f.f.open(ctx)
}

// Release gives back what f holds (nil is fine).
func (r *ReadAhead) Release(f *Fetched) {
	if r == nil || f == nil {
		return
	}
	r.p.release(f.f)
}

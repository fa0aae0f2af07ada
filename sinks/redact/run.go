package redact

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/scanner"
)

// Stats summarises a run's execution; the per-object outcomes are in the
// Tally.
type Stats struct {
	Listed      int64
	Abandoned   int64 // in flight or not started when the run was interrupted
	Interrupted bool
}

// Run rewrites every object of src into dst and tallies the results. It
// returns a fatal error (a listing failure) or ctx's error when the run
// was interrupted; per-object problems are results. eng classifies values
// (unused in decrypt mode, may be nil then).
//
// It is the scanner's worker pool (STYLE.md section 3): one lister, N
// workers (each object under ObjectTimeout and a recover), and one
// goroutine that tallies, so the tally needs no lock.
func Run(ctx context.Context, cfg Config, src scanner.Source, eng *classifiers.Engine, dst Dest) (*Tally, Stats, error) {
	if err := cfg.Validate(); err != nil {
		return nil, Stats{}, err
	}
	if eng == nil && !cfg.Decrypt {
		return nil, Stats{}, fmt.Errorf("redact: no engine")
	}
	var st Stats
	tally := NewTally()
	// soft ends listing and new objects; hard, a grace period later,
	// abandons the objects in flight (their outputs are discarded).
	soft, softCancel := context.WithCancel(ctx)
	defer softCancel()
	hard, hardCancel := context.WithCancel(context.WithoutCancel(ctx))
	defer hardCancel()
	stop := context.AfterFunc(soft, func() {
		t := time.AfterFunc(cfg.Grace, hardCancel)
		context.AfterFunc(hard, func() { t.Stop() })
	})
	defer stop()

	g, gctx := errgroup.WithContext(soft)
	// Small remote objects are read ahead of the workers, as in a scan
	// (scanner.ReadAhead).
	type job struct {
		info scanner.ObjectInfo
		pre  *scanner.Fetched
	}
	ra := scanner.NewReadAhead(cfg.Prefetch, src, cfg.ObjectTimeout, cfg.MaxObjectSize)
	objects := make(chan job, 2*cfg.Workers+max(cfg.Prefetch, 0)) // room for the reads ahead
	results := make(chan *Result, cfg.Workers)
	// Copies for OSS wait here for an uploader; each holds a local
	// temporary file, so the queue is short.
	uploads := make(chan *Result, max(cfg.Uploads, 0))
	g.Go(func() error {
		defer close(objects)
		return src.Walk(gctx, func(o scanner.ObjectInfo) error {
			if cfg.Filter != nil && !cfg.Filter(o) {
				return nil
			}
			atomic.AddInt64(&st.Listed, 1)
			pre, err := ra.Start(gctx, hard, o)
			if err != nil {
				atomic.AddInt64(&st.Abandoned, 1)
				return err
			}
			select {
			case objects <- job{o, pre}:
				return nil
			case <-gctx.Done():
				// Listed but never handed to a worker.
				ra.Release(pre)
				atomic.AddInt64(&st.Abandoned, 1)
				return gctx.Err()
			}
		})
	})
	var wg sync.WaitGroup
	book := newNameBook()
	for range cfg.Workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			w := newWorker(&cfg, src, eng, dst)
			w.book = book
			for j := range objects {
				if gctx.Err() != nil {
					ra.Release(j.pre)
					atomic.AddInt64(&st.Abandoned, 1)
					continue
				}
				res := w.object(hard, j.info, j.pre)
				ra.Release(j.pre)
				switch {
				case res == nil:
					atomic.AddInt64(&st.Abandoned, 1)
				case res.commit != nil:
					uploads <- res
				default:
					results <- res
				}
			}
			return nil
		})
	}
	var up sync.WaitGroup
	for range max(cfg.Uploads, 0) {
		up.Add(1)
		g.Go(func() error {
			defer up.Done()
			for r := range uploads {
				if publish(hard, &cfg, r) {
					results <- r
				} else {
					atomic.AddInt64(&st.Abandoned, 1)
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		wg.Wait()
		close(uploads)
		up.Wait()
		close(results)
		return nil
	})
	g.Go(func() error {
		for r := range results {
			tally.Add(r)
			if cfg.OnResult != nil {
				cfg.OnResult(r)
			}
		}
		return nil
	})
	err := g.Wait()
	tally.Listed = st.Listed
	if ctx.Err() != nil {
		st.Interrupted = true
		return tally, st, ctx.Err()
	}
	return tally, st, err
}

// publish commits the copy a worker finished (r.commit) and completes
// r: failed with write_error when the upload fails. It reports false when
// the run was interrupted past its grace period before or during the
// upload: the object is abandoned and its copy discarded, as a worker's
// object in flight is.
func publish(hard context.Context, cfg *Config, r *Result) bool {
	out := r.commit
	r.commit = nil
	if hard.Err() != nil {
		out.Abort()
		return false
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(hard, cfg.ObjectTimeout)
	err := out.Commit(ctx)
	cancel()
	r.Duration += time.Since(start)
	if err == nil {
		return true
	}
	if hard.Err() != nil {
		return false
	}
	commitFailed(r, err)
	cfg.Logger.Warn(warning(r.Status), "key", r.Info.Key, "status", string(r.Status), "reason", string(r.Reason), "err", errText(r.Err))
	return true
}

// worker rewrites objects one at a time with its own editor and buffers.
type worker struct {
	cfg    *Config
	src    scanner.Source
	eng    *classifiers.Engine
	dst    Dest
	ed     editor
	fields *classifiers.FieldCache
	book   *nameBook // names given to renamed copies in this run
}

func newWorker(cfg *Config, src scanner.Source, eng *classifiers.Engine, dst Dest) *worker {
	w := &worker{cfg: cfg, src: src, eng: eng, dst: dst, fields: eng.NewFieldCache()}
	if cfg.Decrypt {
		w.ed = &decryptEditor{policy: cfg.Policy}
	} else {
		w.ed = newEngineEditor(eng, cfg.Policy)
	}
	return w
}

// field returns the prepared field of a column name or JSON path, cached.
// In decrypt mode there is no engine and fields are not needed (nil).
func (w *worker) field(name string) *classifiers.Field { return w.fields.Field(name, "") }

// labelledField returns the prepared field of a JSON row cell at path
// whose column list or header labels it, as the scanner prepares it,
// cached.
func (w *worker) labelledField(path, label string) *classifiers.Field {
	return w.fields.Field(path, label)
}

// object rewrites one object and returns its result, or nil when it was
// abandoned because the run was interrupted.
func (w *worker) object(hard context.Context, info scanner.ObjectInfo, pre *scanner.Fetched) (res *Result) {
	start := time.Now()
	res = &Result{Info: info}
	defer func() {
		if res != nil { // nil: abandoned at the hard deadline
			res.Duration = time.Since(start)
		}
	}()
	rel, ok := relPath(info.Name)
	if !ok {
		res.Status, res.Reason = StatusFailed, ReasonInvalidName
		res.Err = fmt.Errorf("object name %q cannot be mirrored under the destination: empty, with a '..' segment, or not a clean path (a//b, ./a, /a, a/)", scanner.SafeText(info.Name))
		return res
	}
	res.Rel = rel
	switch {
	case info.Size > w.cfg.MaxObjectSize:
		res.Status, res.Reason = StatusSkipped, scanner.ReasonTooLarge
		res.Err = fmt.Errorf("%d bytes is over --max-object-size %d", info.Size, w.cfg.MaxObjectSize)
		return res
	case !scanner.ReadableClass(info.StorageClass):
		res.Status, res.Reason = StatusSkipped, scanner.ReasonStorageClass
		res.Err = fmt.Errorf("storage class %s needs a restore before it can be read", info.StorageClass)
		return res
	}
	ctx, cancel := context.WithTimeout(hard, w.cfg.ObjectTimeout)
	defer cancel()
	w.ed.begin(res)
	if e, ok := w.ed.(*engineEditor); ok && !w.cfg.KeepNames && w.dst.Mirrors() {
		dst, renamed, err := e.renamed(ctx, res, rel)
		if err != nil {
			res.Status, res.Reason = StatusFailed, scanner.ReasonOf(err)
			res.Err = fmt.Errorf("read the object's name: %w", err)
			return res
		}
		if renamed {
			rel = w.book.claim(info.Name, dst)
			res.Rel, res.Renamed = rel, true
		}
		e.begin(res) // the name's reading leaves no state for the content's
	}
	o := &objRun{w: w, ctx: ctx, res: res, pre: pre}
	defer func() {
		if p := recover(); p != nil {
			o.abort()
			w.cfg.Logger.Error("rewriter panic", "key", info.Key, "panic", scanner.SafeText(fmt.Sprint(p)))
			w.cfg.Logger.Debug("rewriter panic stack", "key", info.Key, "stack", string(debug.Stack()))
			res.Status, res.Reason = StatusFailed, scanner.ReasonInternal
			res.Err = fmt.Errorf("rewrite: internal error: %s", scanner.SafeText(fmt.Sprint(p)))
		}
	}()
	o.run(rel)
	if hard.Err() != nil {
		o.abort()
		return nil
	}
	if msg := warning(res.Status); msg != "" {
		w.cfg.Logger.Warn(msg, "key", info.Key, "status", string(res.Status),
			"reason", string(res.Reason), "err", errText(res.Err))
	}
	return res
}

// warning is the log message of an object with status s, "" for one
// rewritten: partial and copied objects were written, so the message
// says how.
func warning(s Status) string {
	switch s {
	case StatusRewritten:
		return ""
	case StatusPartial:
		return "object partly rewritten"
	case StatusCopied:
		return "object copied unchanged"
	}
	return "object not rewritten" // skipped or failed: nothing written
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

package scanner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
)

// Config configures a run. Zero values are documented per field and
// replaced by defaults in Validate.
type Config struct {
	// ScanID names the run in every row. Required.
	ScanID string
	// Workers is the number of objects scanned at once (default: CPUs).
	Workers int
	// ObjectTimeout bounds the work on one object (default 30 minutes).
	ObjectTimeout time.Duration
	// Grace is how long objects in flight may finish after the run's
	// context is cancelled before they are abandoned (default 3 seconds).
	Grace time.Duration
	// MaxObjectSize skips larger objects as too_large (default 10 GiB).
	MaxObjectSize int64
	// MaxDecodedSize bounds the bytes decompressed from one object, against
	// decompression bombs (default 64 GiB).
	MaxDecodedSize int64
	// MaxRatio bounds decompressed/compressed size (default 1000), for a
	// gzip stream, for each archive member and for an archive as a whole.
	MaxRatio int64
	// MaxMembers bounds the archive members read from one object, nested
	// archives included (default 100,000).
	MaxMembers int64
	// MaxArchiveDepth bounds containers inside containers: gzip of gzip,
	// archives in archives (default 8).
	MaxArchiveDepth int
	// Chunk sizes the text window.
	Chunk ChunkConfig
	// SpillAt is how many findings of one object stay in memory before
	// they are spilled to a temporary file (default 100,000).
	SpillAt int
	// TempDir holds spill files ("" = the system temporary directory).
	TempDir string
	// Filter, if set, drops listed objects it returns false for, before
	// anything is downloaded (include/exclude globs).
	Filter func(ObjectInfo) bool
	// Skip, if set, is asked by the workers about each listed object
	// before it is opened; a non-empty reason makes the object a skipped
	// row with that reason and the note as its error text, and nothing is
	// read (incremental scans: unchanged). Safe for concurrent use.
	Skip func(ObjectInfo) (Reason, string)
	// WouldSkip, if set, tells without side effects whether Skip would
	// skip an object, so that the lister does not read ahead an object
	// that will not be scanned. With Skip set and WouldSkip nil, nothing
	// is read ahead.
	WouldSkip func(ObjectInfo) bool
	// Prefetch is how many small remote objects are read ahead of the
	// workers at once (see prefetch.go); 0 means DefaultPrefetch, and a
	// negative value turns reading ahead off.
	Prefetch int
	// Sample scans a share of the objects and/or a byte window of each
	// (see Sample); the zero value scans everything whole.
	Sample Sample
	// Progress, if set, receives live counters for a progress display.
	Progress *Progress
	// Logger receives per-object warnings; nil discards.
	Logger *slog.Logger
	// NoColumnStats turns off column verdicts.
	NoColumnStats bool

	columnStats bool
}

// Validate fills defaults and checks the configuration.
func (c *Config) Validate() error {
	if c.ScanID == "" {
		return errors.New("scanner config: empty scan id")
	}
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.ObjectTimeout <= 0 {
		c.ObjectTimeout = DefaultObjectTimeout
	}
	if c.Grace <= 0 {
		c.Grace = DefaultGrace
	}
	if c.MaxObjectSize <= 0 {
		c.MaxObjectSize = DefaultMaxObjectSize
	}
	if c.MaxDecodedSize <= 0 {
		c.MaxDecodedSize = DefaultMaxDecodedSize
	}
	if c.MaxRatio <= 0 {
		c.MaxRatio = DefaultMaxRatio
	}
	if c.SpillAt <= 0 {
		c.SpillAt = 100_000
	}
	if c.MaxMembers <= 0 {
		c.MaxMembers = DefaultMaxMembers
	}
	if c.MaxArchiveDepth <= 0 {
		c.MaxArchiveDepth = DefaultMaxArchiveDepth
	}
	if c.Prefetch == 0 {
		c.Prefetch = DefaultPrefetch
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Progress == nil {
		c.Progress = &Progress{}
	}
	if err := c.Sample.Validate(); err != nil {
		return fmt.Errorf("scanner config: %w", err)
	}
	c.Chunk = c.Chunk.withDefaults()
	c.columnStats = !c.NoColumnStats
	return nil
}

// Progress holds live counters, updated atomically by the workers and read
// by a progress display.
type Progress struct {
	Listed   atomic.Int64
	Done     atomic.Int64
	Bytes    atomic.Int64
	Findings atomic.Int64
	Failed   atomic.Int64
}

func (p *Progress) addBytes(n int64) {
	if p != nil {
		p.Bytes.Add(n)
	}
}

// Stats summarises a run.
type Stats struct {
	Listed      int64
	Written     int64 // objects rows written
	Abandoned   int64 // in flight when the run was interrupted
	Interrupted bool
}

// ListError is Run's error when the listing stopped with an error after
// it had listed objects (a bucket listing that failed after its retries,
// an hour into a scan): the objects listed before it were all scanned and
// written, the rest were not listed. A listing that fails before listing
// anything is returned as it is.
type ListError struct {
	Listed int64 // objects listed before the error
	Err    error
}

func (e *ListError) Error() string {
	return fmt.Sprintf("listing stopped after %d object(s): %v", e.Listed, e.Err)
}

func (e *ListError) Unwrap() error { return e.Err }

// Run scans every object of src with eng and sends one result per object
// to sink. It returns a fatal error (listing, sink) or ctx's error when the
// run was interrupted; per-object problems are results, not errors. A
// listing that fails after listing objects is a *ListError, returned once
// what it listed is scanned and written. The sink's Close is left to the
// caller.
func Run(ctx context.Context, cfg Config, src Source, eng *classifiers.Engine, sink Sink) (Stats, error) {
	if err := cfg.Validate(); err != nil {
		return Stats{}, err
	}
	var st Stats
	// soft ends listing and the start of new objects: on interruption
	// (ctx) or a sink failure. Objects in flight get a grace period after
	// soft ends; then hard ends and they are abandoned.
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
	// The lister hands objects to the workers in batches (listBatch), and
	// the workers hand results of small objects to the sink in batches
	// (resultBatch): with many small objects, waking another goroutine for
	// every object cost more than scanning it.
	objects := make(chan []job, listAhead)
	results := make(chan []*ObjectResult, cfg.Workers)
	pf := newPrefetcher(&cfg, src)

	var listErr error
	g.Go(func() error {
		defer close(objects)
		err := list(gctx, hard, &cfg, src, pf, objects, &st)
		if err != nil && gctx.Err() == nil && atomic.LoadInt64(&st.Listed) > 0 {
			// The workers go on with what was listed: it is kept.
			listErr = &ListError{Listed: atomic.LoadInt64(&st.Listed), Err: err}
			return nil
		}
		return err
	})
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			work(gctx, hard, newWorker(&cfg, src, eng), pf, objects, results, &st)
			return nil
		})
	}
	g.Go(func() error {
		wg.Wait()
		close(results)
		return nil
	})
	var sinkErr error
	g.Go(func() error {
		for rs := range results {
			for _, r := range rs {
				if sinkErr != nil {
					releaseResult(r)
					continue // keep draining so workers never block
				}
				if err := sink.WriteObject(ctx, r); err != nil {
					sinkErr = fmt.Errorf("write results: %w", err)
					softCancel()
					releaseResult(r)
					continue
				}
				st.Written++
				cfg.Progress.Done.Add(1)
				cfg.Progress.Findings.Add(r.FindingCount())
				if r.Status == StatusFailed {
					cfg.Progress.Failed.Add(1)
				}
				recycleFindings(r)
			}
		}
		return sinkErr
	})
	err := g.Wait()
	if sinkErr != nil {
		return st, sinkErr
	}
	if ctx.Err() != nil {
		st.Interrupted = true
		return st, ctx.Err()
	}
	if err == nil {
		err = listErr
	}
	return st, err
}

// list walks src and hands its objects to the workers in batches, reading
// small remote objects ahead (pf). An object listed but not handed over
// when the run stops counts as abandoned.
func list(gctx, hard context.Context, cfg *Config, src Source, pf *prefetcher, objects chan<- []job, st *Stats) error {
	var lb listBatch
	send := func() error {
		select {
		case objects <- lb.jobs:
			lb = listBatch{}
			return nil
		case <-gctx.Done():
			return gctx.Err()
		}
	}
	err := src.Walk(gctx, func(o ObjectInfo) error {
		if cfg.Filter != nil && !cfg.Filter(o) {
			return nil
		}
		cfg.Progress.Listed.Add(1)
		atomic.AddInt64(&st.Listed, 1)
		j := job{info: o}
		if pf.wants(o) {
			w := pf.weight(o)
			if !pf.budget.TryAcquire(w) {
				// Hand over what is listed before waiting for the workers
				// to return budget.
				if len(lb.jobs) > 0 {
					if err := send(); err != nil {
						lb.jobs = append(lb.jobs, j)
						return err
					}
				}
				if err := pf.budget.Acquire(gctx, w); err != nil {
					lb.jobs = append(lb.jobs, j)
					return err
				}
			}
			j.pre = pf.start(hard, o, w)
		}
		if lb.add(j, len(objects) == 0) {
			return send()
		}
		return nil
	})
	if len(lb.jobs) > 0 && err != nil && gctx.Err() == nil {
		// The listing failed, the run goes on: what it listed is scanned.
		if serr := send(); serr != nil {
			err = serr
		}
	}
	if len(lb.jobs) > 0 && (err != nil || send() != nil) {
		// Listed but never handed to a worker: left for a resumed run.
		atomic.AddInt64(&st.Abandoned, int64(len(lb.jobs)))
		for i := range lb.jobs {
			pf.release(lb.jobs[i].pre)
		}
	}
	return err
}

// work scans the objects of the batches it takes, and hands the results
// to the sink in batches. Once the run stops (gctx), the objects not
// started count as abandoned; so does one whose scan is abandoned (hard).
func work(gctx, hard context.Context, w *worker, pf *prefetcher, objects <-chan []job, results chan<- []*ObjectResult, st *Stats) {
	var rb resultBatch
	for batch := range objects {
		for i := range batch {
			j := &batch[i]
			if gctx.Err() != nil {
				atomic.AddInt64(&st.Abandoned, 1)
				pf.release(j.pre)
				continue // listed but never started: left for a resumed run
			}
			if rb.due(j.info) {
				results <- rb.take()
			}
			res := w.scan(hard, j)
			pf.release(j.pre)
			if res == nil {
				atomic.AddInt64(&st.Abandoned, 1)
				continue
			}
			if rb.add(res, i == len(batch)-1 && len(objects) == 0) {
				results <- rb.take() // the sink drains until results is closed
			}
		}
	}
	if len(rb.rs) > 0 {
		results <- rb.take()
	}
}

// Batches of listed objects: up to listBatchLen objects or listBatchBytes
// bytes (a larger object goes on its own, so that no worker queues much
// work that another could share), and up to listAhead batches waiting.
// A batch goes at once when none is waiting: the workers may be idle.
const (
	listBatchLen   = 32
	listBatchBytes = 1 << 20
	listAhead      = 8
)

// listBatch collects listed objects for the workers.
type listBatch struct {
	jobs  []job
	bytes int64
}

// add adds j and reports whether the batch should go now; idle is true
// when no batch is waiting for a worker.
func (b *listBatch) add(j job, idle bool) bool {
	b.jobs = append(b.jobs, j)
	b.bytes += max(j.info.Size, 0)
	return idle || len(b.jobs) >= listBatchLen || b.bytes >= listBatchBytes
}

// Limits of a worker's batch of results: a batch goes to the sink when it
// holds batchResults objects or batchFindings findings, when it is
// batchAge old, when no listed object is waiting (the worker may wait for
// the lister, and the results should not wait with it), and before a
// large object (see due).
const (
	batchResults  = 32
	batchFindings = 4096
	batchAge      = 100 * time.Millisecond
)

// resultBatch collects a worker's results for the sink.
type resultBatch struct {
	rs       []*ObjectResult
	findings int64
	first    time.Time
}

// add adds r and reports whether the batch should go now; idle is true
// when no listed object is waiting.
func (b *resultBatch) add(r *ObjectResult, idle bool) bool {
	if len(b.rs) == 0 {
		b.first = time.Now()
	}
	b.rs = append(b.rs, r)
	b.findings += r.FindingCount()
	return idle || len(b.rs) >= batchResults || b.findings >= batchFindings || time.Since(b.first) >= batchAge
}

// due reports a batch that should go before the worker starts on o: o
// is large (or of unknown size) and may take long, or the batch is
// batchAge old already.
func (b *resultBatch) due(o ObjectInfo) bool {
	return len(b.rs) > 0 && (o.Size < 0 || o.Size >= listBatchBytes || time.Since(b.first) >= batchAge)
}

// take returns the batch and starts a new one (the sink keeps the slice).
func (b *resultBatch) take() []*ObjectResult {
	rs := b.rs
	*b = resultBatch{}
	return rs
}

func releaseResult(r *ObjectResult) {
	if r.Spill != nil {
		_ = r.Spill.Close()
	}
	recycleFindings(r)
}

// maxPooledFindings bounds the findings slices kept for reuse (a Finding
// is about 300 bytes): an object with more findings than this gets a new
// slice rather than pinning a large one.
const maxPooledFindings = 8192

// findingsPool holds the findings slices of written results: a sink keeps
// no reference to r.Findings (the Sink contract), so a worker can fill the
// slice again instead of growing a new one for every object.
var findingsPool sync.Pool // of *[]Finding

// newFindings returns an empty findings slice, reused when one is free.
func newFindings() []Finding {
	if p, ok := findingsPool.Get().(*[]Finding); ok {
		return (*p)[:0]
	}
	return nil
}

// recycleFindings gives r's findings slice back once the sink is done
// with it, cleared so that it pins no strings. Only its length needs
// clearing: nothing past the length of a findings slice is ever set
// (spilling clears what it empties). Clearing the whole backing array
// cost a small object 2 MB of zeroing after a large one had grown it:
// 3% of a scan of many small files.
func recycleFindings(r *ObjectResult) {
	fs := r.Findings
	r.Findings = nil
	if cap(fs) == 0 || cap(fs) > maxPooledFindings {
		return
	}
	clear(fs)
	fs = fs[:0]
	findingsPool.Put(&fs)
}

// worker scans objects one at a time with its own engine scanner and buffers.
type worker struct {
	// spare record-batch buffers, reused from object to object
	spareBuf   []byte
	spareSpans []classifiers.Span
	spareLocs  []spanLoc
	// a text chunker's buffer and sniffing readers, reused likewise
	chunkBuf []byte
	readers  []*bufio.Reader
	winBuf   []byte // a CSV or JSON parser's window
	names    nameReader
	arcText  archiveTextEm

	cfg      *Config
	src      Source
	eng      *classifiers.Engine
	sc       *classifiers.Scanner
	progress *Progress
	fields   *classifiers.FieldCache
}

func newWorker(cfg *Config, src Source, eng *classifiers.Engine) *worker {
	return &worker{cfg: cfg, src: src, eng: eng, sc: eng.NewScanner(), progress: cfg.Progress, fields: eng.NewFieldCache()}
}

// reader returns a sniffing reader of r, reused from an earlier object or
// an enclosing container's finished member when one is free.
func (w *worker) reader(r io.Reader) *bufio.Reader {
	if n := len(w.readers); n > 0 {
		br := w.readers[n-1]
		w.readers = w.readers[:n-1]
		br.Reset(r)
		return br
	}
	return bufio.NewReaderSize(r, sniffLen)
}

// putReader keeps br for reuse (a few: one per level of nesting in use).
func (w *worker) putReader(br *bufio.Reader) {
	if len(w.readers) < 4 {
		br.Reset(nil) // drop the object's reader
		w.readers = append(w.readers, br)
	}
}

// takeWinBuf hands the spare window buffer to a parser (nil if none, or
// if one in use by an enclosing parser has it).
func (w *worker) takeWinBuf() []byte {
	b := w.winBuf
	w.winBuf = nil
	return b
}

// putWinBuf keeps a finished parser's window buffer for the next one.
func (w *worker) putWinBuf(b []byte) {
	if cap(b) <= windowMax {
		w.winBuf = b
	}
}

// field returns the prepared field for a column name or path, cached.
func (w *worker) field(name string) *classifiers.Field { return w.fields.Field(name, "") }

// labelledField returns the prepared field of a JSON row cell at path
// whose column list or header labels it (classifiers' LabelledField),
// cached.
func (w *worker) labelledField(path, label string) *classifiers.Field {
	return w.fields.Field(path, label)
}

// scan scans one object. It returns nil when the object was abandoned
// because the run was cancelled (a resumed run will scan it again).
func (w *worker) scan(hard context.Context, j *job) (res *ObjectResult) {
	info := j.info
	start := time.Now()
	res = &ObjectResult{Info: info, ScannedAt: start.UTC()}
	o := &objectScan{w: w, res: res, findings: newFindings()}
	o.base = Finding{ScanID: w.cfg.ScanID, ScannedAt: res.ScannedAt.Truncate(time.Millisecond), Object: info.Key, ObjectVersion: info.Version(), Ruleset: w.eng.Ruleset()}
	w.sc.Reset()
	defer func() {
		if p := recover(); p != nil {
			w.cfg.Logger.Error("decoder panic", "key", info.Key, "panic", SafeText(fmt.Sprint(p)))
			w.cfg.Logger.Debug("decoder panic stack", "key", info.Key, "stack", string(debug.Stack()))
			res.Status, res.Reason = StatusFailed, ReasonInternal
			res.Err = fmt.Errorf("scan %s: decoder panic: %s", info.Name, SafeText(fmt.Sprint(p)))
			o.pend, o.pendNum = o.pend[:0], o.pendNum[:0]
			w.finishObject(o)
		}
		if res != nil { // nil: abandoned at the hard deadline
			res.Duration = time.Since(start)
		}
	}()
	if w.preSkip(res) {
		return res
	}
	// The name is read whatever becomes of the content: a picture is
	// skipped, but avatars/13800138000.png still holds a phone number.
	if info.Source != "stdin" {
		o.ctx = hard
		if err := o.addNameFindings(info.Name); err != nil {
			if hard.Err() != nil {
				return nil
			}
			w.cfg.Logger.Warn("object name not read", "key", info.Key, "err", errString(safeErr(err)))
		}
		w.sc.Reset()
	}
	if w.sizeForLimit(info) > w.cfg.MaxObjectSize {
		res.Status, res.Reason = StatusSkipped, ReasonTooLarge
		res.Err = fmt.Errorf("skip %s: %d bytes is over --max-object-size %d", info.Name, info.Size, w.cfg.MaxObjectSize)
		w.finishObject(o)
		return res
	}
	if !ReadableClass(info.StorageClass) {
		res.Status, res.Reason = StatusSkipped, ReasonStorageClass
		res.Err = fmt.Errorf("skip %s: storage class %s needs a restore before it can be read", info.Name, info.StorageClass)
		w.finishObject(o)
		return res
	}
	ctx, cancel := context.WithTimeout(hard, w.cfg.ObjectTimeout)
	defer cancel()
	o.ctx = ctx
	var (
		rc     io.ReadCloser
		err    error
		opened bool
	)
	if j.pre != nil {
		rc, opened, err = j.pre.open(ctx) // read ahead (prefetch.go)
	}
	if !opened {
		rc, err = w.open(ctx, info) // whole, or its sample window (sample.go)
	}
	if err != nil {
		if hard.Err() != nil {
			return nil
		}
		res.Status, res.Reason, res.Err = StatusFailed, reasonOf(err), safeErr(err)
		switch {
		case res.Reason == ReasonUnsupported: // not a regular file: never opened
			res.Status = StatusSkipped
		case vanished(err):
			// Deleted between the listing and its read: nothing of it is
			// left to scan, so nothing was lost. A nightly scan of a live
			// bucket otherwise failed (exit 3) whenever an object was
			// deleted while it ran.
			res.Status = StatusSkipped
			w.cfg.Logger.Info("object not read: deleted after it was listed", "key", info.Key)
			w.finishObject(o)
			return res
		}
		w.cfg.Logger.Warn("object not complete", "key", info.Key, "status", string(res.Status), "reason", string(res.Reason), "err", errString(res.Err))
		w.finishObject(o)
		return res
	}
	defer rc.Close()
	body := NewLimitReader(ctx, rc, w.cfg.MaxObjectSize)
	err = o.decode(body, info.Name, 0)
	if len(o.pend) > 0 || o.crowd {
		o.closeRecord(false)
	}
	if ferr := w.sc.Finish(finishEmitter{o}); ferr != nil && err == nil {
		err = ferr
	}
	if hard.Err() != nil {
		releaseSpill(o)
		return nil
	}
	w.finishObject(o)
	w.classify(res, err, body.n)
	w.noteRuleTimeouts(res)
	w.noteSample(res)
	if err == nil {
		if changed := w.changed(info); changed != nil {
			if res.Reason == ReasonTimeout {
				res.Notes = append(res.Notes, res.Err.Error())
			}
			res.Status, res.Reason, res.Err = StatusPartial, ReasonChanged, changed
		}
	}
	switch {
	case res.Status == StatusComplete:
	case res.Reason == ReasonSampled:
		// Asked for (--sample-bytes): every sampled object is partial, and
		// a warning for each would bury the real ones.
		w.cfg.Logger.Debug("object sampled", "key", info.Key, "status", string(res.Status), "err", errString(res.Err))
	case res.Reason == ReasonEmpty:
		// Nothing was left unread: a tree of .gitkeep and __init__.py
		// files would otherwise fill a --quiet run with warnings. The
		// inventory row (skipped/empty) still says so.
		w.cfg.Logger.Debug("object empty", "key", info.Key)
	case res.Status == StatusSkipped && res.Reason == ReasonUnsupported:
		// A format nothing reads (a picture, a program, git's object
		// store): expected in most trees, and a warning for each buried
		// the real ones (3,500 lines under --quiet for one checkout's
		// .git). The inventory rows and the summary's counts by reason
		// still say so; a member of an archive or a part of an Office
		// package that is not read (partial) is still a warning.
		w.cfg.Logger.Info("object not read: format not supported", "key", info.Key, "err", errString(res.Err))
	default:
		w.cfg.Logger.Warn("object not complete", "key", info.Key, "status", string(res.Status), "reason", string(res.Reason), "err", errString(res.Err))
	}
	return res
}

func releaseSpill(o *objectScan) {
	if o.spill != nil {
		_ = o.spill.Close()
	}
}

// finishObject moves the object's findings and statistics into the result.
func (w *worker) finishObject(o *objectScan) {
	res := o.res
	o.numFinish()
	if o.spill != nil {
		if len(o.findings) > 0 {
			o.spillFindings()
		}
		res.Spill = o.spill
	}
	sortFindings(o.findings)
	res.Findings = o.findings
	res.BytesScanned = o.bytes
	res.Format = joinFormats(o.formats)
	if w.cfg.columnStats {
		res.Columns = o.verdicts()
	}
	res.Notes = append(res.Notes, o.warnings...)
	res.TopLevel = rules.LevelName(o.top)
}

func joinFormats(f []string) string {
	out := ""
	for i, s := range f {
		if i > 0 {
			out += "/"
		}
		out += s
	}
	return out
}

// changed re-checks a local file after scanning: a file written to during
// the scan is reported partial, since the findings may mix two versions.
func (w *worker) changed(info ObjectInfo) error {
	c, ok := w.src.(interface {
		Changed(ObjectInfo) error
	})
	if !ok {
		return nil
	}
	return c.Changed(info)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// LimitReader counts an object's bytes, stops at a limit with ErrTooLarge,
// and checks the object's context on every read, so a slow or stalled
// source cannot outlive the object timeout even where a decoder reads
// without a context (format sniffing, third-party readers). The scanner
// and the redact writer share it.
type LimitReader struct {
	ctx   context.Context
	r     io.Reader
	n     int64
	limit int64
	eof   bool // r said io.EOF: it is not asked again
}

// NewLimitReader reads r under ctx, up to limit bytes.
func NewLimitReader(ctx context.Context, r io.Reader, limit int64) *LimitReader {
	return &LimitReader{ctx: ctx, r: r, limit: limit}
}

// N is the number of bytes read so far.
func (l *LimitReader) N() int64 { return l.n }

func (l *LimitReader) Read(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if l.eof {
		// A decoder may read again after the end (a sniffing buffer that
		// reported io.EOF to a Peek and then serves a Read): for a file
		// that is one more system call per object.
		return 0, io.EOF
	}
	if l.n >= l.limit {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.limit-l.n {
		p = p[:l.limit-l.n]
	}
	m, err := l.r.Read(p)
	l.n += int64(m)
	l.eof = err == io.EOF
	return m, err
}

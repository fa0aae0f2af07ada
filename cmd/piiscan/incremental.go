package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// incremental is the state of an incremental run and where it is kept.
type incremental struct {
	loc      string // the state's location, shard suffix applied
	store    stateStore
	state    *scanner.State
	every    int
	interval time.Duration
	// continues is true when the state was written by an unfinished
	// attempt of this very scan id (a Kubernetes pod retried within its
	// Job): parts are numbered after the ones it published.
	continues bool
	parts     int // parts published, those of earlier attempts included
	// earlier counts the objects an earlier attempt of this scan id wrote
	// (no second row), and earlierTop the highest sensitivity of their
	// findings (LevelRank), for --fail-on.
	earlier    int64
	earlierTop int
	// unchanged counts the objects skipped as unchanged by the highest
	// sensitivity of their last scan's findings (LevelRank, 0 none): the
	// data still holds them, so --fail-on counts them too.
	unchanged [5]int64
	logger    *slog.Logger

	// intents keeps the intent record of the part being published
	// (intent.go): <state>.pending in the state's store.
	intents stateStore
	intent  intentStage
	// written is the WrittenAt of the state as last read or saved, which
	// an intent record names so that a later state makes it stale.
	written time.Time
	run     scanner.StateRun
	// recovered says what was done with a killed run's intent record,
	// for the summary's note; "" when there was none.
	recovered string
}

// stateLocation applies the shard suffix to a state path, before its
// extensions: state.jsonl -> state-shard-2-of-3.jsonl. Each shard keeps
// its own state, so shards never write the same file.
func stateLocation(loc, suffix string) string {
	if suffix == "" {
		return loc
	}
	dir, base := path.Split(loc)
	if i := strings.Index(base, "."); i > 0 {
		return dir + base[:i] + suffix + base[i:]
	}
	return loc + suffix
}

// openIncremental resolves --incremental and loads the state; a missing
// state is an empty one (the first run scans everything).
func openIncremental(ctx context.Context, f *scanFlags, sc *scanConfig, suffix string, logger *slog.Logger) (*incremental, error) {
	in := &incremental{loc: stateLocation(f.ops.incremental, suffix), every: f.ops.checkpointEvery, interval: f.ops.checkpointInterval, logger: logger}
	var err error
	if in.store, err = newStateStore(in.loc, f); err != nil {
		return nil, err
	}
	if in.intents, err = newStateStore(in.loc+intentSuffix, f); err != nil {
		return nil, err
	}
	in.run = scanner.StateRun{ScanID: sc.scanID, Shard: suffix, StartedAt: sc.start, Ruleset: sc.ruleset.Hash}
	if err := in.load(ctx); err != nil {
		return nil, err
	}
	h := in.state.Header()
	if h.ScanID == sc.scanID {
		if h.Complete {
			return nil, usageErr("--incremental %s: scan id %s already finished; give this run a new --scan-id", in.loc, sc.scanID)
		}
		in.continues, in.parts = true, h.Parts
		// The earlier attempts published their parts in the partition of
		// the day the run started; this one's go there too, also after
		// midnight UTC.
		if !h.StartedAt.IsZero() {
			in.run.StartedAt, sc.date = h.StartedAt, h.StartedAt
		}
	}
	in.written = h.WrittenAt
	if h.ScanID == "" {
		logger.Info("incremental state not found: every object is scanned", "state", in.loc)
	} else {
		logger.Info("incremental state loaded", "state", in.loc, "objects", in.state.Len(), "written_by", h.ScanID,
			"written_at", h.WrittenAt, "resume", !h.Complete)
	}
	// A killed run may have published a part it did not record.
	if err := in.recoverIntent(ctx, newPartFiles(f)); err != nil {
		return nil, err
	}
	return in, nil
}

// load reads the state, or makes an empty one when there is none.
func (in *incremental) load(ctx context.Context) error {
	rc, err := in.store.open(ctx)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		in.state = scanner.NewState(in.run)
		return nil
	case err != nil:
		return usageErr("--incremental %s: %w", in.loc, err)
	}
	defer rc.Close()
	if in.state, err = scanner.ReadState(rc, in.run); err != nil {
		return usageErr("--incremental %s: %w (remove it to scan every object again)", in.loc, err)
	}
	return nil
}

// save writes the state: complete for the final save of a run that
// listed everything. ctx may be cancelled (after SIGINT): the final state
// is what makes the resumed run right, so it is written regardless.
//
// The state then records the part just published, if any: its intent
// record has done its job and is removed. When a part was not published in
// full (a failed upload), the state is not saved: it stays as it was at
// the last checkpoint, which the part's intent record names, so that the
// next run removes what was published of the part (intent.go).
func (in *incremental) save(ctx context.Context, complete bool) error {
	if in.intent == intentWritten {
		return fmt.Errorf("save incremental state %s: not saved, since the last part was not published in full; the next run removes what was and scans its objects again", in.loc)
	}
	ctx = context.WithoutCancel(ctx)
	now := time.Now().UTC().Round(0)
	err := in.store.save(ctx, func(w io.Writer) error {
		return in.state.Encode(w, complete, in.parts, now)
	})
	if err != nil {
		return fmt.Errorf("save incremental state %s: %w", in.loc, err)
	}
	in.written = now
	crashpoint("state", in.parts)
	in.logger.Debug("incremental state saved", "state", in.loc, "objects", in.state.Len(), "complete", complete)
	if in.intent == intentPublished {
		in.removeIntent(ctx)
	}
	return nil
}

// note is the summary's note about the state.
func (in *incremental) note(c sinks.Tally) string {
	st := in.state.Stats()
	h := in.state.Header()
	msg := fmt.Sprintf("incremental: state %s: %d object(s) unchanged since their last scan were skipped (skipped/unchanged)", in.loc, st.Unchanged)
	switch {
	case h.ScanID == "":
		msg += "; no earlier state, every object was scanned"
	case st.Loaded > 0 && st.OtherRuleset == st.Loaded:
		msg += "; the ruleset changed since the last run, so every object was scanned again"
	}
	if st.Resumed {
		msg += fmt.Sprintf("; resumed unfinished run %s (its objects were not scanned again)", h.ScanID)
	}
	if in.recovered != "" {
		msg += "; " + in.recovered
	}
	for r := len(in.unchanged) - 1; r > 0; r-- {
		if in.unchanged[r] > 0 {
			msg += fmt.Sprintf("; the highest sensitivity among them when last scanned: %s (%d object(s); --fail-on counts them)", rules.LevelName(r), in.unchanged[r])
			break
		}
	}
	if in.continues {
		msg += fmt.Sprintf("; this attempt continues an interrupted attempt of the same scan id, whose parts are kept: counters cover this attempt only, and the %d object(s) that attempt wrote are not listed again", in.earlier)
	}
	return msg
}

// stateStore keeps the state file: a local file or an OSS object.
type stateStore interface {
	// open returns the state, or an error wrapping fs.ErrNotExist.
	open(ctx context.Context) (io.ReadCloser, error)
	// save replaces the state atomically with what write produces.
	save(ctx context.Context, write func(io.Writer) error) error
	// remove deletes it; a missing one is no error.
	remove(ctx context.Context) error
}

func newStateStore(loc string, f *scanFlags) (stateStore, error) {
	gz := strings.HasSuffix(loc, ".gz")
	if !isOSS(loc) {
		if loc == "" || strings.HasSuffix(loc, "/") {
			return nil, usageErr("--incremental %q: want a file name", loc)
		}
		return &fileStore{path: loc, gz: gz}, nil
	}
	u, err := parseOSSURL(loc)
	if err != nil {
		return nil, usageErr("--incremental %w", err)
	}
	if u.prefix == "" || strings.HasSuffix(u.prefix, "/") {
		return nil, usageErr("--incremental %s: want oss://bucket/key of a file", loc)
	}
	conn, err := resolveOSSConn(f.endpoint, f.region)
	if err != nil {
		return nil, err
	}
	client, err := scanner.NewOSSClient(conn.endpoint, conn.region, conn.creds)
	if err != nil {
		return nil, usageErr("--incremental %s: %w", loc, err)
	}
	b, err := client.Bucket(u.bucket)
	if err != nil {
		return nil, usageErr("--incremental %s: %w", loc, err)
	}
	return &ossStore{bucket: b, key: u.prefix, gz: gz}, nil
}

// fileStore is a local state file, replaced with a temporary file and a
// rename (after fsync), so a crash leaves the old or the new state. The
// folder is synced after the rename, so that a lost node cannot undo it
// once the run has gone on: the intent record must be on disk before the
// part it announces is published, and the state before the record is
// removed.
type fileStore struct {
	path string
	gz   bool
}

func (s *fileStore) open(context.Context) (io.ReadCloser, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, err
	}
	return maybeGunzip(f, s.gz)
}

func (s *fileStore) save(_ context.Context, write func(io.Writer) error) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(s.path)+".tmp*")
	if err != nil {
		return err
	}
	err = writeMaybeGzip(tmp, s.gz, write)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return syncDir(dir)
}

// remove needs no sync: a removal undone by a lost node leaves a stale
// intent record, which the next run recognises (intent.go).
func (s *fileStore) remove(context.Context) error {
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// syncDir makes the renames and removals in dir durable (fsync of the
// folder). Windows cannot open a folder for syncing; there a rename is
// durable when MoveFileEx returns, so the error is ignored.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && runtime.GOOS == "windows" {
		return nil
	}
	return err
}

// ossStore is a state object, replaced with one PutObject (atomic in OSS:
// readers see the old or the new object). It is written to a local
// temporary file first, so a retried upload sends the same bytes.
type ossStore struct {
	bucket *oss.Bucket
	key    string
	gz     bool
}

func (s *ossStore) open(ctx context.Context) (io.ReadCloser, error) {
	var body io.ReadCloser
	err := scanner.OSSRetry{}.Do(ctx, func() error {
		var err error
		body, err = s.bucket.GetObject(s.key, oss.WithContext(ctx), oss.AcceptEncoding("identity"))
		return err
	})
	if code := scanner.OSSErrorCode(err); code == "NoSuchKey" {
		return nil, fmt.Errorf("%w: %s", fs.ErrNotExist, code)
	}
	if err != nil {
		return nil, scanner.DescribeOSS(err)
	}
	return maybeGunzip(body, s.gz)
}

func (s *ossStore) save(ctx context.Context, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp("", "piiscan-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = writeMaybeGzip(tmp, s.gz, write)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	err = scanner.OSSRetry{}.Do(ctx, func() error {
		return s.bucket.PutObjectFromFile(s.key, tmp.Name(), oss.WithContext(ctx))
	})
	if err != nil {
		return scanner.DescribeOSS(err)
	}
	return nil
}

// remove deletes the object; OSS answers a delete of a missing key with
// success.
func (s *ossStore) remove(ctx context.Context) error {
	err := scanner.OSSRetry{}.Do(ctx, func() error {
		return s.bucket.DeleteObject(s.key, oss.WithContext(ctx))
	})
	if err != nil {
		return scanner.DescribeOSS(err)
	}
	return nil
}

func maybeGunzip(rc io.ReadCloser, gz bool) (io.ReadCloser, error) {
	if !gz {
		return rc, nil
	}
	zr, err := gzip.NewReader(rc)
	if err != nil {
		_ = rc.Close()
		return nil, fmt.Errorf("gunzip state: %w", err)
	}
	return readCloser{zr, rc}, nil
}

func writeMaybeGzip(w io.Writer, gz bool, write func(io.Writer) error) error {
	if !gz {
		return write(w)
	}
	zw := gzip.NewWriter(w)
	if err := write(zw); err != nil {
		return err
	}
	return zw.Close()
}

// readCloser pairs a reader with the closer of what it reads.
type readCloser struct {
	io.Reader
	io.Closer
}

// earlierAtOrAbove reports whether an earlier attempt of this scan id
// wrote a finding at or above level, or an object skipped as unchanged
// had one when last scanned: --fail-on judges the data the run covers, so
// that a CI job whose data did not change fails as its first run did.
func (in *incremental) earlierAtOrAbove(level string) bool {
	if in == nil {
		return false
	}
	rank := rules.LevelRank(level)
	if in.earlierTop > 0 && in.earlierTop >= rank {
		return true
	}
	for r := max(rank, 1); r < len(in.unchanged); r++ {
		if in.unchanged[r] > 0 {
			return true
		}
	}
	return false
}

// noteUnchanged records an object skipped as unchanged.
func (in *incremental) noteUnchanged(key string) {
	r := rules.LevelRank(in.state.Level(key))
	if r >= 0 && r < len(in.unchanged) {
		in.unchanged[r]++
	}
}

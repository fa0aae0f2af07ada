package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// runSink is what runScan needs of its sink; *sinks.Parquet and
// *checkpointSink implement it.
type runSink interface {
	scanner.Sink
	Abort() error
	FillSummary(s *sinks.Summary)
	// Publishing returns the dataset paths of the files the sink
	// publishes at its next (or failed) publish: those a run takes back
	// when another run wrote the same names (publishConflict).
	Publishing() []string
}

var (
	_ runSink = (*sinks.Parquet)(nil)
	_ runSink = (*checkpointSink)(nil)
)

// newSink returns the run's sink: a plain Parquet sink, or with
// --incremental a checkpointSink publishing to out.
func (o *ops) newSink(cfg sinks.ParquetConfig, out *outputs) (runSink, error) {
	cfg.Shard = o.suffix
	if o.inc == nil {
		return sinks.NewParquet(cfg)
	}
	return newCheckpointSink(cfg, o.inc, out.locate)
}

// checkpointSink writes an incremental run's outputs in parts, so that a
// crash loses little: after every --checkpoint-every objects scanned (or
// --checkpoint-interval) it finishes the current pair of Parquet files,
// publishes them as
//
//	OUT/findings/dt=D/<scan_id><shard>-part-<k>.parquet   (and objects/)
//
// records the objects of the part in the state and saves the state. An
// object is thus in the state only once its rows are in a published file,
// which is what lets a resumed run skip it: after SIGINT, SIGTERM or a
// crash, the union of the published parts and the resumed run is one
// uninterrupted run. Objects abandoned at the interruption reach no sink
// and no state. A crash between publishing a part and saving the state is
// covered by the part's intent record (intent.go).
//
// The segment being written lives in a staging folder (staging.go) as an
// ordinary Parquet sink. Like every sink it is driven by Run's one sink
// goroutine.
type checkpointSink struct {
	cfg     sinks.ParquetConfig // the final root and Publish
	locate  func(rel string) string
	staging *staging
	seg     *sinks.Parquet
	part    int // number of the segment being written
	inc     *incremental
	pending []pendingObject
	count   int // objects scanned since the last checkpoint
	last    time.Time
	log     *slog.Logger

	tally     sinks.Tally
	verdicts  []scanner.ColumnVerdict
	notes     []string
	seen      map[string]bool
	first     sinks.Outputs // paths of the first part published
	published int           // parts published by this attempt
	closed    bool
	closeErr  error
}

// pendingObject is a row written to the current segment, waiting for the
// segment to be published before it goes into the state.
type pendingObject struct {
	info   scanner.ObjectInfo
	status scanner.Status
	reason scanner.Reason
	at     time.Time
	level  string // highest sensitivity of its findings
}

// newCheckpointSink starts the first segment; locate maps a dataset path
// to where it is published (a local path or oss://bucket/key). Staging
// folders of runs that are gone are removed first: their unpublished
// segments are not part of the dataset, and no state counts their objects.
func newCheckpointSink(cfg sinks.ParquetConfig, inc *incremental, locate func(string) string) (*checkpointSink, error) {
	if cfg.Placer == nil {
		cfg.Placer = sinks.NewPlacer()
	}
	c := &checkpointSink{cfg: cfg, locate: locate, inc: inc, part: inc.parts + 1, last: time.Now(), tally: sinks.NewTally(), seen: map[string]bool{}}
	c.log = slog.New(slog.DiscardHandler)
	if cfg.Logger != nil {
		c.log = cfg.Logger.With("component", "checkpoint")
	}
	var err error
	if c.staging, err = newStaging(filepath.Join(cfg.Root, stagingDir), cfg.ScanID+cfg.Shard); err != nil {
		return nil, err
	}
	// Staging folders of older piiscan versions carry no lock; those of
	// this scan id and of the run the state was written by are leftovers
	// for sure.
	legacy := []string{cfg.ScanID + cfg.Shard}
	if h := inc.state.Header(); h.ScanID != "" && !h.Complete {
		legacy = append(legacy, h.ScanID+h.Shard)
	}
	c.staging.removeStale(legacy, c.log)
	if err := c.open(); err != nil {
		c.staging.remove()
		return nil, err
	}
	return c, nil
}

// open starts the segment of c.part.
func (c *checkpointSink) open() error {
	seg := c.cfg
	seg.Root, seg.Publish, seg.Placer = c.staging.dir, nil, nil
	p, err := sinks.NewParquet(seg)
	if err != nil {
		return err
	}
	c.seg = p
	return nil
}

// WriteObject writes r to the current segment and checkpoints when due.
func (c *checkpointSink) WriteObject(ctx context.Context, r *scanner.ObjectResult) error {
	if c.closed {
		return fmt.Errorf("write object %s: sink closed", r.Info.Key)
	}
	if r.Reason == scanner.ReasonUnchanged {
		c.inc.noteUnchanged(r.Info.Key)
	}
	if c.inc.continues && r.Reason == scanner.ReasonUnchanged {
		if level, ok := c.inc.state.EarlierAttempt(r.Info.Key); ok {
			// An earlier attempt of this scan id wrote its rows: a second
			// row would list it twice under one scan id.
			c.inc.earlier++
			c.inc.earlierTop = max(c.inc.earlierTop, rules.LevelRank(level))
			return nil
		}
	}
	p := pendingObject{info: r.Info, status: r.Status, reason: r.Reason, at: r.ScannedAt, level: r.TopLevel}
	if err := c.seg.WriteObject(ctx, r); err != nil {
		return err
	}
	if p.reason == scanner.ReasonUnchanged {
		return nil // its state entry stays as it is; nothing to redo after a crash
	}
	c.pending = append(c.pending, p)
	c.count++
	due := (c.inc.every > 0 && c.count >= c.inc.every) || (c.inc.interval > 0 && time.Since(c.last) >= c.inc.interval)
	if !due || ctx.Err() != nil {
		return nil // interrupted: Close publishes what is left
	}
	if err := c.publish(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	if err := c.inc.save(ctx, false); err != nil {
		return err
	}
	c.part++
	c.count, c.last = 0, time.Now()
	return c.open()
}

// publish finishes the current segment, saves its intent record, moves
// its two files into the dataset under their part names, publishes them
// (--out oss://), then records its objects in the state. The objects file
// goes last: it is the part's commit record (intent.go). An empty segment
// after the first is dropped.
func (c *checkpointSink) publish(ctx context.Context) error {
	t := c.seg.Tally()
	if t.Objects == 0 && c.published > 0 {
		return c.seg.Abort()
	}
	if err := c.seg.Close(); err != nil {
		return err
	}
	out := c.seg.Outputs()
	rels := []string{out.Findings, out.Objects}
	if err := c.writeIntent(ctx, rels); err != nil {
		return err
	}
	crashpoint("intent", c.part)
	var placed [2]string
	for i, rel := range rels {
		dst, err := c.place(rel)
		if err != nil {
			return err
		}
		if c.cfg.Publish != nil {
			if err := c.cfg.Publish(ctx, filepath.Join(c.cfg.Root, filepath.FromSlash(dst)), dst); err != nil {
				return fmt.Errorf("publish %s: %w", dst, err)
			}
		}
		placed[i] = dst
		crashpoint([]string{"findings", "objects"}[i], c.part)
	}
	if c.published == 0 {
		c.first = sinks.Outputs{Findings: placed[0], Objects: placed[1]}
	}
	c.published++
	c.inc.parts = c.part
	c.tally.Add(t)
	c.collect(c.seg)
	for _, p := range c.pending {
		c.inc.state.Record(p.info, p.status, p.reason, p.at, p.level)
	}
	c.pending = c.pending[:0]
	c.inc.intent = intentPublished
	c.log.Info("checkpoint", "part", c.part, "objects", t.Objects, "findings", t.Findings)
	return nil
}

// writeIntent saves the intent record of the part whose segment files are
// rels: where they will be published, and the state lines of its objects.
func (c *checkpointSink) writeIntent(ctx context.Context, rels []string) error {
	files := make([]string, len(rels))
	for i, rel := range rels {
		files[i] = c.locate(c.partName(rel))
	}
	objects := make([]scanner.IntentEntry, 0, len(c.pending))
	for _, p := range c.pending {
		if e, ok := scanner.NewIntentEntry(p.info, p.status, p.reason, p.at, p.level); ok {
			objects = append(objects, e)
		}
	}
	return c.inc.writeIntent(ctx, c.part, files, objects)
}

// partName is the dataset path of rel (a segment file) as part c.part.
func (c *checkpointSink) partName(rel string) string {
	return strings.TrimSuffix(rel, ".parquet") + fmt.Sprintf("-part-%04d.parquet", c.part)
}

// place renames a finished segment file into the dataset, never over a
// file of the same name: a part of this scan id and shard that is there
// was published by another run writing here at the same time (an
// *ExistsError, see publishConflict), except in one case. A retry that
// continues its scan id finds a part of the same name when an attempt of
// it published the part and crashed before saving the state, and left no
// intent record saying so (piiscan before intent records; with one, the
// run starts by recording the part or removing it): its objects are not
// in the state and are scanned again, so the new part replaces it. Two
// retries of one state at once are not guarded (keep one writer per
// state).
func (c *checkpointSink) place(rel string) (string, error) {
	dst := c.partName(rel)
	to := filepath.Join(c.cfg.Root, filepath.FromSlash(dst))
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return "", err
	}
	from := filepath.Join(c.staging.dir, filepath.FromSlash(rel))
	placeFn := c.cfg.Placer.Place
	if _, err := os.Lstat(to); err == nil && c.inc.continues {
		c.log.Warn("replacing a part of an earlier attempt that was published after its last checkpoint", "path", dst)
		placeFn = c.cfg.Placer.Replace
	}
	if err := placeFn(from, to); err != nil {
		return "", fmt.Errorf("publish %s: %w", dst, err)
	}
	// Durable before the state records the part (see fileStore).
	if err := syncDir(filepath.Dir(to)); err != nil {
		return "", fmt.Errorf("publish %s: %w", dst, err)
	}
	return dst, nil
}

// collect keeps a segment's column verdicts and notes for the summary.
func (c *checkpointSink) collect(p *sinks.Parquet) {
	c.verdicts = append(c.verdicts, p.ColumnVerdicts()...)
	for _, n := range p.Notes() {
		if !c.seen[n] {
			c.seen[n] = true
			c.notes = append(c.notes, n)
		}
	}
}

// Close publishes the last segment and records its objects; the caller
// then saves the state (incremental.save).
func (c *checkpointSink) Close() error {
	if c.closed {
		return c.closeErr
	}
	c.closed = true
	c.closeErr = c.publish(context.Background())
	c.staging.remove()
	return c.closeErr
}

// Abort discards the segment being written; published parts stay, and
// the state saved with them stays true.
func (c *checkpointSink) Abort() error {
	if c.closed {
		return nil
	}
	c.closed = true
	err := c.seg.Abort()
	c.staging.remove()
	return err
}

// Publishing returns the part names of the current segment's files (see
// runSink): the part being published, or whose publish failed.
func (c *checkpointSink) Publishing() []string {
	out := c.seg.Outputs()
	return []string{c.partName(out.Findings), c.partName(out.Objects)}
}

// FillSummary fills s like sinks.Parquet.FillSummary, with the counters
// of every published part.
func (c *checkpointSink) FillSummary(s *sinks.Summary) {
	s.ScanID, s.Shard = c.cfg.ScanID, c.cfg.Shard
	s.Counters = c.tally
	s.ColumnVerdicts = c.verdicts
	s.Notes = c.notes
	s.Outputs = sinks.Outputs{Root: c.cfg.Root, Findings: c.first.Findings, Objects: c.first.Objects,
		Summary: sinks.SummaryRelPath(c.cfg.ScanID, c.cfg.Shard)}
	if c.published > 1 || c.inc.continues {
		// Several parts of this run: name them all.
		s.Outputs.Findings = partGlob(c.first.Findings)
		s.Outputs.Objects = partGlob(c.first.Objects)
	}
}

// partGlob turns ".../<id>-part-0001.parquet" into ".../<id>-part-*.parquet".
func partGlob(rel string) string {
	if i := strings.LastIndex(rel, "-part-"); i >= 0 {
		return path.Join(path.Dir(rel), path.Base(rel[:i])+"-part-*.parquet")
	}
	return rel
}

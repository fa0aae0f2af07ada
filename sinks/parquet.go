// Package sinks writes piiscan's outputs: the Parquet findings and objects
// datasets of DESIGN.md section 3, the run summary JSON and its plain text
// rendering. Sinks implement scanner.Sink and, like it, are driven by one
// goroutine.
package sinks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"

	"github.com/piiscan/piiscan/scanner"
)

// Caps on what the summary collects, so that a bucket of a million CSV
// files does not turn the summary into a second dataset. Dropped entries
// are counted in Tally.
const (
	maxNotes    = 1000
	maxVerdicts = 10000
	// batchRows is how many findings are stamped and handed to parquet-go
	// at a time; the batch buffer is reused across objects.
	batchRows = 1024
)

// Parquet writes the findings and objects datasets of one run (or shard)
// as two Parquet files:
//
//	ROOT/findings/dt=YYYY-MM-DD/<scan_id><shard>.parquet
//	ROOT/objects/dt=YYYY-MM-DD/<scan_id><shard>.parquet
//
// Both are written under hidden temporary names and renamed on Close, so a
// reader never sees a half file; both exist after Close even when no row
// was written. A Parquet is not safe for concurrent use: scanner.Run calls
// it from its single sink goroutine.
type Parquet struct {
	cfg      ParquetConfig
	log      *slog.Logger
	placer   *Placer
	findings *partFile[scanner.Finding]
	objects  *partFile[scanner.ObjectRow]

	batch    []scanner.Finding
	tally    Tally
	verdicts []scanner.ColumnVerdict
	notes    []string
	seen     map[string]struct{} // notes already kept

	err      error // first write error; the sink refuses further rows
	closed   bool
	closeErr error
}

var _ scanner.Sink = (*Parquet)(nil)

// pageBufferSize is the size at which a column's page is written out.
const pageBufferSize = 64 << 10

// NewParquet validates cfg, creates the partition directories and opens
// both temporary files. It fails with an error wrapping fs.ErrExist when a
// final file of the same scan id and shard already exists.
func NewParquet(cfg ParquetConfig) (*Parquet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults(time.Now())
	var codec compress.Codec = sharedZstd
	if cfg.Compression == CompressionSnappy {
		codec = &parquet.Snappy
	}
	opts := []parquet.WriterOption{
		parquet.Compression(codec),
		parquet.MaxRowsPerRowGroup(cfg.RowGroupRows),
		// Pages of 64 KiB instead of parquet-go's 256 KiB: a page is
		// compressed when it fills, on the sink's goroutine while the
		// workers scan, whereas what is still buffered is compressed by
		// Close, after the last object, when nothing else runs. On three
		// 8 MiB JSON Lines files Close went from 7% to 3% of the run's CPU
		// time; files grow by 3% (zstd sees shorter pages).
		parquet.PageBufferSize(pageBufferSize),
		// Min/max are computed by comparing every value of a page. Readers
		// prune with the row group's (and the column index's) bounds, not
		// with the copy parquet-go also puts in each data page header, and
		// the bounds of a masked value or a fingerprint span every value.
		// Without both, the sink runs 15% fewer instructions
		// (BenchmarkSink).
		parquet.DataPageStatistics(false),
		parquet.SkipPageBounds("masked_value"),
		parquet.SkipPageBounds("fingerprint"),
		parquet.CreatedBy("piiscan", cfg.Version, ""),
		parquet.KeyValueMetadata("piiscan.scan_id", cfg.ScanID),
	}
	dt := Partition(cfg.Date)
	name := cfg.ScanID + cfg.Shard + ".parquet"
	findings, err := createPart[scanner.Finding](cfg.Root, findingsTable, dt, name, opts...)
	if err != nil {
		return nil, fmt.Errorf("open findings file: %w", err)
	}
	objects, err := createPart[scanner.ObjectRow](cfg.Root, objectsTable, dt, name, opts...)
	if err != nil {
		_ = findings.discard() // the open error is the one to report
		return nil, fmt.Errorf("open objects file: %w", err)
	}
	placer := cfg.Placer
	if placer == nil {
		placer = NewPlacer()
	}
	return &Parquet{
		cfg:      cfg,
		placer:   placer,
		log:      cfg.Logger.With("component", "parquet_sink"),
		findings: findings,
		objects:  objects,
		batch:    make([]scanner.Finding, 0, batchRows),
		tally:    NewTally(),
		seen:     map[string]struct{}{},
	}, nil
}

// WriteObject writes r's findings (r.Findings, then the spilled ones) and
// then its objects row, and counts them in the Tally. It takes ownership
// of r.Spill and closes it, also on error. It does not keep r.Findings.
//
// Each finding is written with the sink's scan id, and with r.ScannedAt
// when its own ScannedAt is zero, so that the dataset agrees with the file
// name whatever the worker filled in.
//
// ctx is deliberately not consulted: a result that reached the sink is
// finished work, and writing it after cancellation is what makes an
// interrupted run's files complete up to the interruption. A write error
// is fatal for the sink: later calls return it, and Close still finishes
// both files with the rows written so far.
func (p *Parquet) WriteObject(_ context.Context, r *scanner.ObjectResult) error {
	if r == nil {
		return errors.New("write object: nil result")
	}
	spill := r.Spill
	defer func() {
		if err := spill.Close(); err != nil {
			// The rows are already written; a leftover temp file is
			// worth a warning, not a failed run.
			p.log.LogAttrs(context.Background(), slog.LevelWarn, "remove spill file",
				slog.String("key", r.Info.Key), slog.Any("err", err))
		}
	}()
	switch {
	case p.closed:
		return fmt.Errorf("write object %s: sink closed", r.Info.Key)
	case p.err != nil:
		return fmt.Errorf("write object %s: earlier write failed: %w", r.Info.Key, p.err)
	}
	if err := p.writeObject(r); err != nil {
		p.err = err
		return fmt.Errorf("write object %s: %w", r.Info.Key, err)
	}
	p.collect(r)
	return nil
}

// writeObject writes the rows of one result.
func (p *Parquet) writeObject(r *scanner.ObjectResult) error {
	if err := p.writeFindings(r, r.Findings); err != nil {
		return err
	}
	if r.Spill != nil {
		err := r.Spill.Each(func(fs []scanner.Finding) error {
			return p.writeFindings(r, fs)
		})
		if err != nil {
			return err
		}
	}
	row := r.Row(p.cfg.ScanID)
	validUTF8Row(&row)
	if err := p.objects.write([]scanner.ObjectRow{row}); err != nil {
		return err
	}
	p.tally.addObject(&row)
	return nil
}

// writeFindings stamps fs into the reused batch buffer and writes it in
// batches. Copying keeps the caller's slice untouched.
func (p *Parquet) writeFindings(r *scanner.ObjectResult, fs []scanner.Finding) error {
	used, last := 0, ""
	for len(fs) > 0 {
		n := min(len(fs), batchRows)
		used = max(used, n)
		p.batch = append(p.batch[:0], fs[:n]...)
		fs = fs[n:]
		for i := range p.batch {
			f := &p.batch[i]
			f.ScanID = p.cfg.ScanID
			if f.ScannedAt.IsZero() {
				f.ScannedAt = r.ScannedAt
			}
			f.ScannedAt = f.ScannedAt.UTC()
			validUTF8Finding(f, &last)
		}
		if err := p.findings.write(p.batch); err != nil {
			return err
		}
		for i := range p.batch {
			p.tally.addFinding(&p.batch[i])
		}
	}
	// Drop references to this object's strings so the batch buffer does
	// not pin them until the next object; only the used part is cleared,
	// which keeps small objects cheap.
	clear(p.batch[:used])
	return nil
}

// collect keeps r's column verdicts and notes for the summary.
func (p *Parquet) collect(r *scanner.ObjectResult) {
	for _, v := range r.Columns {
		if len(p.verdicts) >= maxVerdicts {
			p.tally.VerdictsDropped++
			continue
		}
		if v.Object == "" {
			v.Object = r.Info.Key
		}
		p.verdicts = append(p.verdicts, v)
	}
	for _, n := range r.Notes {
		if _, ok := p.seen[n]; ok {
			continue
		}
		if len(p.notes) >= maxNotes {
			p.tally.NotesDropped++
			continue
		}
		p.seen[n] = struct{}{}
		p.notes = append(p.notes, n)
	}
}

// Close finishes both files as CloseContext does, publishing with a
// background context. It implements scanner.Sink.
func (p *Parquet) Close() error {
	return p.CloseContext(context.Background())
}

// CloseContext writes the footers, renames both files into place and then
// calls Publish for each (with ctx, which bounds the uploads). It is
// idempotent: later calls return the first call's result. When one file
// cannot be finished, it still finishes the other and removes the
// temporary file it could not finish; the errors are joined.
//
// A file is renamed into place with the config's Placer, never over a
// file of the same name: a name that is taken (another run of the same
// scan id and shard writing to the same root) is an *ExistsError, like a
// key that Publish finds taken, and the files after it are neither placed
// nor published; their temporary files are removed.
//
// Closing after cancellation produces valid files holding every row
// written so far, which is how an interrupted scan leaves a readable
// dataset (DESIGN.md section 2, exit code 130).
func (p *Parquet) CloseContext(ctx context.Context) error {
	if p.closed {
		return p.closeErr
	}
	p.closed = true
	// The two files are finished side by side: each ends with an fsync,
	// which would otherwise add up. They are then placed and published in
	// order, one file at a time, as PublishFunc promises: the findings
	// file first, so that of two runs of one scan id and shard writing
	// here at once, the one whose findings file is placed second stops
	// before it places its objects file (see Placer).
	parts := []finisher{p.findings, p.objects}
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Go(func() { errs[i] = part.finish() })
	}
	wg.Wait()
	taken := false
	for i, part := range parts {
		switch {
		case errs[i] != nil:
			continue
		case taken:
			// Another writer holds the name of a file before this one:
			// placing or publishing this one would mix the two runs'
			// files.
			errs[i] = part.drop()
			continue
		}
		if errs[i] = part.place(p.placer); errs[i] != nil {
			taken = errors.As(errs[i], new(*ExistsError))
			continue
		}
		if p.cfg.Publish == nil {
			continue
		}
		local, rel := part.paths()
		if err := p.cfg.Publish(ctx, local, rel); err != nil {
			errs[i] = fmt.Errorf("publish %s: %w", rel, err)
			taken = errors.As(err, new(*ExistsError))
		}
	}
	p.closeErr = errors.Join(errs...)
	p.log.LogAttrs(ctx, slog.LevelInfo, "parquet outputs closed",
		slog.String("findings_path", p.findings.final),
		slog.Int64("findings", p.findings.numRows()),
		slog.String("objects_path", p.objects.final),
		slog.Int64("objects", p.objects.numRows()),
		slog.Bool("ok", p.closeErr == nil))
	return p.closeErr
}

// Abort discards both files: the temporary files are removed and nothing
// is renamed or published. Use it when a run failed before it produced
// anything worth keeping (configuration or authentication errors); an
// interrupted run should Close instead, since its files are valid. Abort
// after Close, and Close after Abort, do nothing.
func (p *Parquet) Abort() error {
	if p.closed {
		return nil
	}
	p.closed = true
	p.closeErr = errors.Join(p.findings.discard(), p.objects.discard())
	return p.closeErr
}

// Paths returns the final local paths of the findings and objects files.
// They exist only after a successful Close.
func (p *Parquet) Paths() (findings, objects string) {
	return p.findings.final, p.objects.final
}

// Outputs returns the output root and the files' slash-separated paths
// under it, for Summary.Outputs.
func (p *Parquet) Outputs() Outputs {
	return Outputs{Root: p.cfg.Root, Findings: p.findings.rel, Objects: p.objects.rel}
}

// Publishing returns the slash-separated paths under the root of the
// findings and objects files, which Close publishes (in that order).
func (p *Parquet) Publishing() []string { return []string{p.findings.rel, p.objects.rel} }

// Tally returns a copy of the counters so far.
func (p *Parquet) Tally() Tally { return p.tally.clone() }

// ColumnVerdicts returns the column verdicts collected from results, at
// most maxVerdicts of them, by object (then in column order within an
// object), so that the summary does not depend on which worker finished
// first.
func (p *Parquet) ColumnVerdicts() []scanner.ColumnVerdict {
	v := append([]scanner.ColumnVerdict{}, p.verdicts...)
	slices.SortStableFunc(v, func(a, b scanner.ColumnVerdict) int { return strings.Compare(a.Object, b.Object) })
	return v
}

// Notes returns the distinct notes collected from results, in arrival
// order, at most maxNotes of them.
func (p *Parquet) Notes() []string { return append([]string{}, p.notes...) }

// FillSummary copies what the sink knows into s: scan id, shard, counters,
// column verdicts, notes and output paths (the summary's own included). The caller fills the rest
// (version, times, flags, ...).
func (p *Parquet) FillSummary(s *Summary) {
	s.ScanID = p.cfg.ScanID
	s.Shard = p.cfg.Shard
	s.Counters = p.Tally()
	s.ColumnVerdicts = p.ColumnVerdicts()
	s.Notes = p.Notes()
	s.Outputs = p.Outputs()
	s.Outputs.Summary = SummaryRelPath(p.cfg.ScanID, p.cfg.Shard)
}

// validUTF8Finding and validUTF8Row make every string column valid UTF-8,
// writing a stray byte as %XX. Parquet strings are UTF-8, and DuckDB,
// Spark and Trino refuse a whole file for one string that is not: a name
// that reaches a column as bytes (a file or archive member named in GBK,
// an error quoting one) must not make the run's dataset unreadable. The
// sources escape names already; this is the last line of defence, and
// costs a validity check per string that comes from the data.
func validUTF8Finding(f *scanner.Finding, last *string) {
	// Scan id, data type, category, sensitivity, ruleset and format come
	// from validated flags and rule packs (YAML is UTF-8), the fingerprint
	// is hex: only what comes from the data is checked, and the object's
	// name once per run of findings of one object (last).
	if f.Object != *last {
		f.Object = scanner.EscapeInvalidUTF8(f.Object)
		*last = f.Object
	}
	for _, s := range []*string{&f.ObjectVersion, &f.MaskedValue, &f.Evidence} {
		*s = scanner.EscapeInvalidUTF8(*s)
	}
	for _, p := range []**string{&f.ContainerPath, &f.Field} {
		if *p != nil && !utf8.ValidString(**p) {
			v := scanner.EscapeInvalidUTF8(**p)
			*p = &v
		}
	}
}

func validUTF8Row(r *scanner.ObjectRow) {
	for _, s := range []*string{&r.ScanID, &r.Object, &r.ObjectVersion, &r.Format, &r.Encoding, &r.Status, &r.Reason, &r.Error} {
		*s = scanner.EscapeInvalidUTF8(*s)
	}
}

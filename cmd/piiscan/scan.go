package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// scanFlags are the flags of `piiscan scan`.
type scanFlags struct {
	out            string
	workers        int
	prefetch       int
	rules          []string
	include        []string
	exclude        []string
	limits         limitFlags
	asOf           string
	failOn         string
	quiet          bool
	logFormat      string
	logLevel       string
	followSymlinks bool
	scanID         string
	compression    string
	endpoint       string   // OSS endpoint for oss:// targets and --out (oss.go)
	region         string   // OSS region (signature V4)
	ops            opsFlags // incremental, sampling and sharding (ops.go)
}

func newScanCmd() *cobra.Command {
	f := &scanFlags{}
	cmd := &cobra.Command{
		Use:   "scan TARGET... [flags]",
		Short: "Scan files, folders or stdin (-) and write findings to Parquet",
		Long: `Scan files, folders (recursively), stdin (-) or OSS prefixes (oss://bucket/prefix)
for personal information.

Findings and the objects inventory are written as Parquet under --out:
  OUT/findings/dt=YYYY-MM-DD/<scan_id>.parquet
  OUT/objects/dt=YYYY-MM-DD/<scan_id>.parquet
  OUT/scans/<scan_id>.json   (run summary)
(with --shard, names end in -shard-<i>-of-<n>; with --incremental, the
Parquet files are published in parts at checkpoints: -part-<k>)

Environment: PIISCAN_HMAC_KEY keys the fingerprints (unset: a random per-run
key, so fingerprints cannot be joined across runs). OSS_ACCESS_KEY_ID,
OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN (STS) are the OSS credentials.

Exit codes: 0 done; 1 a finding at or above --fail-on; 2 usage or
configuration error; 3 some objects failed; 130 interrupted.`,
		Example: `  piiscan scan ./exports --out ./piiscan-out
  piiscan scan data/ --include '**/*.csv' --fail-on S3 --quiet
  zcat dump.jsonl.gz | piiscan scan - --log-format json
  piiscan scan oss://my-bucket/exports/ --region cn-shanghai --out oss://my-results/piiscan`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "./piiscan-out", "output `DIR` (or oss://bucket/prefix) for the findings dataset")
	fl.IntVar(&f.workers, "workers", runtime.NumCPU(), "objects scanned in parallel")
	fl.IntVar(&f.prefetch, "prefetch", scanner.DefaultPrefetch, "OSS objects of up to 1 MiB read ahead of the workers, `N` at a time (0: off)")
	fl.StringArrayVar(&f.rules, "rules", nil, "user rule pack `FILE` (repeatable)")
	fl.StringArrayVar(&f.include, "include", nil, "only scan objects matching `GLOB` (repeatable; ** allowed; a pattern without / matches the base name)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "skip objects matching `GLOB` (repeatable)")
	f.limits.register(fl, "scanning")
	fl.StringVar(&f.asOf, "as-of", "", "reference `YYYY-MM-DD` for ages (minors); default today")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a finding is at or above this `LEVEL` (S1..S4)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress, no summary and no info logs on stderr: warnings and errors only (unless --log-level is given)")
	fl.StringVar(&f.logFormat, "log-format", "", "log format: text or json (default: text on a terminal, json otherwise)")
	fl.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fl.BoolVar(&f.followSymlinks, "follow-symlinks", false, "follow symbolic links found in folders (a target named on the command line is followed either way)")
	fl.StringVar(&f.scanID, "scan-id", "", "id of this run (default: time and a random suffix)")
	fl.StringVar(&f.compression, "compression", "zstd", "Parquet compression: zstd or snappy")
	fl.StringVar(&f.endpoint, "endpoint", "", "OSS endpoint `URL` for oss:// targets and --out (default: https://oss-<region>.aliyuncs.com)")
	fl.StringVar(&f.region, "region", "", "OSS `REGION`, e.g. cn-hangzhou; signs with V4 (default: from --endpoint, else cn-hangzhou)")
	addOpsFlags(fl, &f.ops)
	return cmd
}

// countOrOff maps a count flag where 0 is off (--prefetch, --uploads) to
// a config field where 0 is the default and a negative value is off.
func countOrOff(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// scanConfig is what the flags resolve to before anything is scanned.
type scanConfig struct {
	start time.Time
	// date is the day of the run, its dt= partition: the day it started,
	// or for a retry that continues an unfinished incremental run, the day
	// its first attempt started (incremental.go), so that all files of a
	// scan id are in one partition.
	date     time.Time
	asOf     time.Time
	scanID   string
	engine   *classifiers.Engine
	ruleset  *rules.Ruleset
	failOn   string
	limits   objectLimits
	randKey  bool
	logger   *slog.Logger
	console  *console
	flagsSet map[string]string
	shard    string // file name suffix of --shard, "" when unsharded
}

func runScan(cmd *cobra.Command, f *scanFlags, targets []string) error {
	con := newConsole(cmd.ErrOrStderr())
	logger, err := newLogger(con, f.logFormat, quietLevel(cmd, f.quiet, f.logLevel))
	if err != nil {
		return err
	}
	sc, err := resolveScan(cmd, f, con, logger)
	if err != nil {
		return err
	}
	op, err := resolveOps(cmd, f, sc, logger) // --incremental, --sample-*, --shard (ops.go)
	if err != nil {
		return err
	}
	src, err := newSource(cmd, f, targets, op.ownFiles(f), logger) // local and oss:// targets (oss.go)
	if err != nil {
		return err
	}
	out, err := prepareOut(cmd.Context(), f, sc, logger) // --out DIR or oss://bucket/prefix (oss.go)
	if err != nil {
		return err
	}
	if op.inc == nil || !op.inc.continues {
		if err := checkScanID(cmd.Context(), out, sc.scanID, sc.shard); err != nil {
			out.finish(true, logger)
			return err
		}
	}
	if err := os.MkdirAll(out.dir, 0o755); err != nil {
		return usageErr("--out %s: %w", f.out, err)
	}
	sink, err := op.newSink(sinks.ParquetConfig{
		Root: out.dir, Publish: out.publish, Placer: out.placer, ScanID: sc.scanID, Date: sc.date, Compression: sinks.Compression(f.compression),
		Version: version, Logger: logger,
	}, out)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	progress := &scanner.Progress{}
	cfg := scanner.Config{
		ScanID:          sc.scanID,
		Workers:         f.workers,
		ObjectTimeout:   sc.limits.objectTimeout,
		MaxObjectSize:   sc.limits.maxObjectSize,
		MaxDecodedSize:  sc.limits.maxDecodedSize,
		MaxRatio:        sc.limits.maxRatio,
		MaxMembers:      sc.limits.maxMembers,
		MaxArchiveDepth: sc.limits.maxDepth,
		Filter:          op.filter(globFilter(f.include, f.exclude)),
		Skip:            op.skip(),
		WouldSkip:       op.wouldSkip(),
		Prefetch:        countOrOff(f.prefetch),
		Sample:          op.sample,
		Progress:        progress,
		Logger:          logger,
	}
	logger.Info("scan started", "scan_id", sc.scanID, "targets", len(targets), "workers", f.workers, "ruleset", sc.ruleset.ID(), "out", f.out)
	stopProgress := startProgress(con, progress, logger, f.quiet)
	hugeHeap(f.workers)
	stats, runErr := scanner.Run(ctx, cfg, src, sc.engine, sink)
	stopProgress()
	interrupted := stats.Interrupted || errors.Is(runErr, context.Canceled)
	// A listing that failed after listing objects (a bucket listing that
	// gave up after its retries, an hour into a nightly scan) keeps what it
	// scanned, as an interrupted run does, instead of throwing it away.
	var listErr *scanner.ListError
	if !interrupted && errors.As(runErr, &listErr) {
		runErr = nil
		logger.Error("listing stopped: the objects listed before were scanned and written, the rest were not listed", "listed", listErr.Listed, "err", listErr.Err)
	}
	if runErr != nil && !interrupted {
		// A fatal error (bad credentials, a missing bucket, a sink that
		// cannot write): leave no partial dataset behind, locally or in OSS.
		if err := sink.Abort(); err != nil {
			logger.Warn("remove partial outputs", "err", err)
		}
		cerr := publishConflict(ctx, runErr, sink.Publishing(), out, sc, logger) // a checkpoint's part
		out.finish(true, logger)
		if cerr != nil {
			op.inc.abandonPart(ctx)
			return cerr
		}
		return &exitError{code: exitUsage, err: fmt.Errorf("scan: %w", runErr)}
	}
	closeErr := sink.Close()
	if cerr := publishConflict(ctx, closeErr, sink.Publishing(), out, sc, logger); cerr != nil {
		// No state save and no summary: this run's rows are not in the
		// dataset.
		op.inc.abandonPart(ctx)
		out.finish(true, logger)
		return cerr
	}
	stateErr := op.saveState(ctx, interrupted || listErr != nil)

	summary := sinks.Summary{
		Version:        version,
		StartedAt:      sc.start,
		FinishedAt:     time.Now().UTC(),
		AsOf:           sc.asOf.Format(time.DateOnly),
		Ruleset:        sc.ruleset.ID(),
		RulesetHash:    sc.ruleset.Hash,
		Flags:          sc.flagsSet,
		Targets:        targets,
		Interrupted:    interrupted,
		ListingStopped: listErr != nil,
		RandomHMACKey:  sc.randKey,
		ObjectsListed:  stats.Listed,
	}
	sink.FillSummary(&summary)
	op.annotate(&summary)
	summary.DurationMS = summary.FinishedAt.Sub(sc.start).Milliseconds()
	summary.ThroughputMBs = sinks.Throughput(summary.Counters.BytesScanned, summary.FinishedAt.Sub(sc.start))
	summary.Outputs.Root = f.out
	if interrupted {
		summary.Notes = append(summary.Notes, fmt.Sprintf("interrupted: %d object(s) in flight or not yet started were not written; rerun to scan them", stats.Abandoned))
	} else if listErr != nil {
		summary.Notes = append(summary.Notes, listingNote(listErr))
	} else if stats.Listed == 0 {
		// A CI gate that read nothing passes: say so, also under --quiet.
		const msg = "no objects listed: the targets hold no file, or --include/--exclude left none"
		logger.Warn(msg, "targets", targets)
		summary.Notes = append(summary.Notes, msg)
	}
	// The summary is placed (local --out) and published (oss://) without
	// replacing one of the same name, except by a retry continuing its
	// scan id: the summary of its interrupted attempt, if any, is
	// replaced by this one, which counts both.
	continues := op.inc != nil && op.inc.continues
	publishSummary, place := out.publish, os.Rename // os.Rename: the temporary directory of --out oss://
	if continues && out.replace != nil {
		publishSummary = out.replace
	}
	if out.placer != nil {
		place = out.placer.Place
		if continues {
			place = out.placer.Replace
		}
	}
	sumPath, sumErr := sinks.PlaceSummary(context.WithoutCancel(ctx), out.dir, summary, publishSummary, place)
	var own []string
	if op.inc == nil {
		// The run's two files go too. An incremental run's parts stay:
		// the state records their objects.
		own = sink.Publishing()
	}
	if cerr := publishConflict(ctx, sumErr, own, out, sc, logger); cerr != nil {
		out.finish(true, logger)
		return cerr
	}
	if sumErr == nil && out.remote != "" {
		// The local copy is removed after the upload: name the uploaded one.
		sumPath = out.locate(sinks.SummaryRelPath(summary.ScanID, summary.Shard))
	}
	out.finish(closeErr == nil && sumErr == nil, logger)
	if !f.quiet {
		sinks.RenderText(cmd.ErrOrStderr(), summary)
	}
	logger.Info("scan finished", "scan_id", sc.scanID, "objects", summary.Counters.Objects, "findings", summary.Counters.Findings,
		"bytes", summary.Counters.BytesScanned, "elapsed", time.Duration(summary.DurationMS)*time.Millisecond, "summary", sumPath, "interrupted", interrupted)

	switch {
	case interrupted:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted: outputs are complete for the objects that finished")}
	case closeErr != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("write outputs: %w", closeErr)}
	case stateErr != nil:
		return &exitError{code: exitUsage, err: stateErr}
	case sumErr != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("write summary: %w", sumErr)}
	case sc.failOn != "" && (summary.Counters.AtOrAbove(sc.failOn) > 0 || op.inc.earlierAtOrAbove(sc.failOn)):
		return &exitError{code: exitFindings, err: failOnError(sc.failOn, summary.Counters.FindingsBySensitivity, f.out)}
	case listErr != nil:
		return &exitError{code: exitFailedObjs, err: errors.New(listingNote(listErr))}
	case summary.Counters.ObjectsByStatus[string(scanner.StatusFailed)] > 0:
		return &exitError{code: exitFailedObjs, err: fmt.Errorf("%d object(s) failed; their reasons are in the objects table (piiscan report %s)",
			summary.Counters.ObjectsByStatus[string(scanner.StatusFailed)], f.out)}
	}
	return nil
}

// listingNote says what a listing that stopped with an error left: the
// summary's note and the exit-3 line.
func listingNote(e *scanner.ListError) string {
	return fmt.Sprintf("listing stopped after %d object(s): %v; the objects listed were scanned and are in the outputs, the rest were not listed: rerun (with --incremental, the finished objects are skipped)", e.Listed, e.Err)
}

// failOnError says in one line why --fail-on fails the run, for a CI log:
// how many findings at or above the level, by level, and where to look.
// An --incremental run may fail on findings of unchanged objects only,
// which this run did not write.
func failOnError(level string, bySensitivity map[string]int64, out string) error {
	var n int64
	var parts []string
	for _, lv := range rules.Levels {
		if c := bySensitivity[lv]; lv >= level && c > 0 {
			n += c
			parts = append(parts, fmt.Sprintf("%s %d", lv, c))
		}
	}
	if n == 0 {
		return fmt.Errorf("--fail-on %s: objects unchanged since an earlier scan hold findings at %s or above (piiscan report %s)", level, level, out)
	}
	noun := "findings"
	if n == 1 {
		noun = "finding"
	}
	return fmt.Errorf("--fail-on %s: %d %s at %s or above (%s); see piiscan report %s", level, n, noun, level, strings.Join(parts, ", "), out)
}

// resolveScan checks the flags and loads the rules: every problem here is
// a usage error, reported before anything is scanned.
func resolveScan(cmd *cobra.Command, f *scanFlags, con *console, logger *slog.Logger) (*scanConfig, error) {
	sc := &scanConfig{start: time.Now().UTC(), logger: logger, console: con, flagsSet: map[string]string{}}
	sc.date = sc.start
	cmd.Flags().Visit(func(fl *pflag.Flag) { sc.flagsSet[fl.Name] = fl.Value.String() })
	if f.workers < 1 {
		return nil, usageErr("--workers %d: must be at least 1", f.workers)
	}
	var err error
	if sc.limits, err = f.limits.resolve(); err != nil {
		return nil, err
	}
	if f.failOn != "" {
		if sc.failOn, err = rules.ParseLevel(f.failOn); err != nil {
			return nil, usageErr("--fail-on: %w", err)
		}
	}
	if sc.asOf, err = parseAsOf(f.asOf); err != nil {
		return nil, err
	}
	for _, g := range append(append([]string{}, f.include...), f.exclude...) {
		if !doublestar.ValidatePattern(g) {
			return nil, usageErr("glob %q is not valid", g)
		}
	}
	sc.scanID = f.scanID
	if sc.scanID == "" {
		var b [3]byte
		_, _ = rand.Read(b[:])
		sc.scanID = sc.start.Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
	}
	if sc.ruleset, err = loadRuleset(f.rules); err != nil {
		return nil, err
	}
	key := []byte(os.Getenv("PIISCAN_HMAC_KEY"))
	sc.randKey = len(key) == 0
	if sc.randKey {
		logger.Warn("PIISCAN_HMAC_KEY is not set: fingerprints use a random per-run key and cannot be joined across runs")
	}
	sc.engine, err = classifiers.Compile(sc.ruleset, classifiers.Options{HMACKey: key, AsOf: sc.asOf, Logger: logger})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if err := checkExamples(cmd.Context(), sc.engine); err != nil {
		return nil, err
	}
	return sc, nil
}

// checkExamples runs the user packs' rule examples on the engine a command
// scans with (DESIGN.md section 5): a rule whose examples fail is a bad
// pack, reported before anything is scanned.
func checkExamples(ctx context.Context, eng *classifiers.Engine) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := eng.CheckExamples(ctx); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	return nil
}

// loadRuleset merges the built-in pack with user packs; a broken pack is
// a usage error naming the file, rule and problem.
func loadRuleset(files []string) (*rules.Ruleset, error) {
	b, err := rules.Builtin()
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	packs := []*rules.Pack{b}
	for _, f := range files {
		p, err := rules.LoadFile(f)
		if err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		packs = append(packs, p)
	}
	rs, err := rules.Merge(packs...)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return rs, nil
}

func parseSize(flag, s string) (int64, error) {
	n, err := humanize.ParseBytes(s)
	if err != nil || n == 0 || n > 1<<62 {
		return 0, usageErr("%s %q: want a size such as 512MiB or 10GB", flag, s)
	}
	return int64(n), nil
}

func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		now := time.Now()
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageErr("--as-of %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// globFilter keeps objects that match an include glob (when any are
// given) and no exclude glob. A glob without '/' is matched against each
// name of the path too, the file's and its folders', as .gitignore does:
// --include '*.csv' works at any depth, and --exclude node_modules leaves
// out what is below every node_modules folder.
func globFilter(include, exclude []string) func(scanner.ObjectInfo) bool {
	if len(include) == 0 && len(exclude) == 0 {
		return nil
	}
	match := func(globs []string, name string) bool {
		for _, g := range globs {
			if ok, _ := doublestar.Match(g, name); ok {
				return true
			}
			if !containsSlash(g) && anySegment(g, name) {
				return true
			}
		}
		return false
	}
	return func(o scanner.ObjectInfo) bool {
		if len(include) > 0 && !match(include, o.Name) {
			return false
		}
		return !match(exclude, o.Name)
	}
}

// anySegment reports whether glob g (without '/') matches a name of the
// slash-separated path p.
func anySegment(g, p string) bool {
	for p != "" {
		seg, rest, _ := strings.Cut(p, "/")
		if ok, _ := doublestar.Match(g, seg); ok {
			return true
		}
		p = rest
	}
	return false
}

// globPrune is LocalConfig.PruneDir for --exclude: a folder whose path
// matches the part of an exclude glob before a final "/**", or whose name
// matches a glob without '/', holds only excluded files ("**" matches the
// rest of any path).
func globPrune(exclude []string) func(string) bool {
	var dirs, names []string
	for _, g := range exclude {
		if d, ok := strings.CutSuffix(g, "/**"); ok && d != "" {
			dirs = append(dirs, d)
		} else if !containsSlash(g) {
			names = append(names, g)
		}
	}
	if len(dirs) == 0 && len(names) == 0 {
		return nil
	}
	return func(rel string) bool {
		for _, d := range dirs {
			if ok, _ := doublestar.Match(d, rel); ok {
				return true
			}
		}
		for _, g := range names {
			if ok, _ := doublestar.Match(g, path.Base(rel)); ok {
				return true
			}
		}
		return false
	}
}

func containsSlash(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			return true
		}
	}
	return false
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// Operations flags of `piiscan scan`: incremental and resumable scans,
// sampling and sharding (issue 8). incremental.go holds the state store,
// checkpoint.go the sink that publishes outputs at checkpoints.

// envJobIndex is set by Kubernetes for the pods of an Indexed Job: 0..N-1.
const envJobIndex = "JOB_COMPLETION_INDEX"

// opsFlags are the flags of this file.
type opsFlags struct {
	incremental        string
	checkpointEvery    int
	checkpointInterval time.Duration
	sampleObjects      float64
	sampleBytes        string
	sampleAt           string
	seed               uint64
	shard              string
	shards             int
}

func addOpsFlags(fl *pflag.FlagSet, f *opsFlags) {
	fl.StringVar(&f.incremental, "incremental", "", "incremental `STATE` file (path or oss://bucket/key; .gz compresses): skip objects unchanged since their last scan, and resume an interrupted run")
	fl.IntVar(&f.checkpointEvery, "checkpoint-every", 10_000, "with --incremental: publish the outputs so far and save the state after every `N` objects scanned (unchanged ones do not count; 0: at the end only)")
	fl.DurationVar(&f.checkpointInterval, "checkpoint-interval", 10*time.Minute, "with --incremental: also checkpoint at least this often (0: off)")
	fl.Float64Var(&f.sampleObjects, "sample-objects", 0, "scan only this `PCT` (0-100) of the objects, chosen by hashing each key with --seed; the others are skipped/sampled_out rows")
	fl.StringVar(&f.sampleBytes, "sample-bytes", "", "read at most this many bytes (`SIZE`, e.g. 1MiB) of each object; objects read in part are partial/sampled rows")
	fl.StringVar(&f.sampleAt, "sample-at", "head", "where the --sample-bytes window starts: head, or random (chosen from --seed and the key)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of --sample-objects and --sample-at random: the same seed picks the same objects and windows")
	fl.StringVar(&f.shard, "shard", "", "scan only shard `i/N` of the objects (i from 1), assigned by a stable hash of each key (default: from JOB_COMPLETION_INDEX and --shards)")
	fl.IntVar(&f.shards, "shards", 0, "number of shards `N`; the shard is JOB_COMPLETION_INDEX+1 (Kubernetes Indexed Jobs count from 0)")
}

// ops is what the flags resolve to.
type ops struct {
	shard     scanner.Shard
	shardFrom string // how the shard was chosen, for the summary
	suffix    string // file name suffix of the shard, "" when unsharded
	sample    scanner.Sample
	inc       *incremental // nil without --incremental
}

// resolveOps checks the flags of this file and loads the incremental
// state; every problem is a usage error, reported before anything is
// scanned. It sets sc.shard.
func resolveOps(cmd *cobra.Command, f *scanFlags, sc *scanConfig, logger *slog.Logger) (*ops, error) {
	o := &ops{}
	var err error
	if o.shard, o.shardFrom, err = resolveShard(&f.ops, os.Getenv, logger); err != nil {
		return nil, err
	}
	if o.shard.Sharded() {
		o.suffix = sinks.ShardSuffix(o.shard.Index, o.shard.Count)
		if f.scanID == "" {
			return nil, usageErr("--shard %s: give every shard the same --scan-id, so that their files form one run", o.shard)
		}
	}
	sc.shard = o.suffix
	if o.sample, err = resolveSample(&f.ops); err != nil {
		return nil, err
	}
	changed := cmd.Flags().Changed
	if f.ops.incremental == "" {
		for _, name := range []string{"checkpoint-every", "checkpoint-interval"} {
			if changed(name) {
				return nil, usageErr("--%s needs --incremental", name)
			}
		}
		return o, nil
	}
	if f.ops.checkpointEvery < 0 || f.ops.checkpointInterval < 0 {
		return nil, usageErr("--checkpoint-every and --checkpoint-interval must not be negative")
	}
	o.inc, err = openIncremental(cmd.Context(), f, sc, o.suffix, logger)
	return o, err
}

// resolveShard reads --shard, or JOB_COMPLETION_INDEX with --shards.
func resolveShard(f *opsFlags, getenv func(string) string, logger *slog.Logger) (scanner.Shard, string, error) {
	idx := strings.TrimSpace(getenv(envJobIndex))
	switch {
	case f.shard != "":
		sh, err := scanner.ParseShard(f.shard)
		if err != nil {
			return scanner.Shard{}, "", usageErr("--shard: %w", err)
		}
		if f.shards != 0 && f.shards != sh.Count {
			return scanner.Shard{}, "", usageErr("--shard %s and --shards %d disagree", f.shard, f.shards)
		}
		return sh, "--shard " + sh.String(), nil
	case f.shards < 0:
		return scanner.Shard{}, "", usageErr("--shards %d: must be at least 1", f.shards)
	case f.shards > 0:
		if idx == "" {
			return scanner.Shard{}, "", usageErr("--shards %d needs --shard i/N or %s (set by Kubernetes Indexed Jobs)", f.shards, envJobIndex)
		}
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 || i >= f.shards {
			return scanner.Shard{}, "", usageErr("%s=%q: want 0..%d for --shards %d", envJobIndex, idx, f.shards-1, f.shards)
		}
		sh := scanner.Shard{Index: i + 1, Count: f.shards}
		return sh, fmt.Sprintf("%s=%d with --shards %d", envJobIndex, i, f.shards), sh.Validate()
	}
	if idx != "" {
		logger.Warn(envJobIndex + " is set but --shards is not: this process scans every object")
	}
	return scanner.Shard{}, "", nil
}

// resolveSample reads the sampling flags.
func resolveSample(f *opsFlags) (scanner.Sample, error) {
	s := scanner.Sample{Objects: f.sampleObjects, Seed: f.seed}
	if math.IsNaN(s.Objects) || s.Objects < 0 || s.Objects > 100 {
		return s, usageErr("--sample-objects %v: want a percentage between 0 and 100", f.sampleObjects)
	}
	if f.sampleBytes != "" && f.sampleBytes != "0" {
		n, err := parseSize("--sample-bytes", f.sampleBytes)
		if err != nil {
			return s, err
		}
		s.Bytes = n
	}
	switch f.sampleAt {
	case "head":
	case "random":
		if s.Bytes == 0 {
			return s, usageErr("--sample-at random needs --sample-bytes")
		}
		s.RandomStart = true
	default:
		return s, usageErr("--sample-at %q: want head or random", f.sampleAt)
	}
	return s, nil
}

// filter adds the shard to the include/exclude filter. Objects of other
// shards are not listed at all: no row, no count.
func (o *ops) filter(globs func(scanner.ObjectInfo) bool) func(scanner.ObjectInfo) bool {
	if !o.shard.Sharded() {
		return globs
	}
	sh := o.shard
	return func(info scanner.ObjectInfo) bool {
		return sh.Owns(info.Key) && (globs == nil || globs(info))
	}
}

// ownFiles are the run's own local outputs: the --out folder, and the
// incremental state file and its intent record. A scan of a folder holding
// them ("piiscan scan ." with the default --out ./piiscan-out) does not
// list them: they are being written while the scan runs, and earlier runs'
// outputs hold nothing but masked values and fingerprints.
func (o *ops) ownFiles(f *scanFlags) []string {
	var own []string
	if !isOSS(f.out) {
		own = append(own, f.out)
	}
	if o.inc != nil && !isOSS(o.inc.loc) {
		own = append(own, o.inc.loc, o.inc.loc+intentSuffix)
	}
	return own
}

// skip is Config.Skip: the incremental state's, or nil.
func (o *ops) skip() func(scanner.ObjectInfo) (scanner.Reason, string) {
	if o.inc == nil {
		return nil
	}
	return o.inc.state.Skip
}

// wouldSkip is Config.WouldSkip: the incremental state's, or nil.
func (o *ops) wouldSkip() func(scanner.ObjectInfo) bool {
	if o.inc == nil {
		return nil
	}
	return o.inc.state.WouldSkip
}

// annotate adds what the run's sampling, sharding and state did to the
// summary's notes (the flags themselves are in Summary.Flags).
func (o *ops) annotate(s *sinks.Summary) {
	c := s.Counters
	if o.shard.Sharded() {
		s.Notes = append(s.Notes, fmt.Sprintf("shard %s (%s): objects are assigned to shards by SHA-256 of their key; the other shards' objects are not listed here",
			o.shard, o.shardFrom))
	}
	if o.sample.SamplesObjects() {
		out := c.ObjectReasons[string(scanner.StatusSkipped)][string(scanner.ReasonSampledOut)]
		s.Notes = append(s.Notes, fmt.Sprintf("sampling: --sample-objects %g with --seed %d: %d object(s) sampled out (skipped/sampled_out), the others scanned",
			o.sample.Objects, o.sample.Seed, out))
	}
	if o.sample.Bytes > 0 {
		where := "the head"
		if o.sample.RandomStart {
			where = fmt.Sprintf("a random start chosen with --seed %d", o.sample.Seed)
		}
		part := c.ObjectReasons[string(scanner.StatusPartial)][string(scanner.ReasonSampled)]
		s.Notes = append(s.Notes, fmt.Sprintf("sampling: --sample-bytes %d from %s: %d object(s) read in part (partial/sampled); their findings cover the window only",
			o.sample.Bytes, where, part))
	}
	if o.inc != nil {
		s.ObjectsListed -= o.inc.earlier // rows of an earlier attempt of this scan id
		s.Notes = append(s.Notes, o.inc.note(c))
	}
}

// saveState writes the final incremental state after the sink was closed:
// complete unless the run was interrupted (then the next run resumes it).
func (o *ops) saveState(ctx context.Context, interrupted bool) error {
	if o.inc == nil {
		return nil
	}
	err := o.inc.save(ctx, !interrupted)
	if err != nil && interrupted {
		// Exit code 130 wins over 2; say it here, since a resumed run
		// without this state scans the finished objects again.
		o.inc.logger.Error("the incremental state was not saved: a rerun scans this run's objects again", "err", err)
	}
	return err
}

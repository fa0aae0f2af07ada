package sinks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"
)

// PublishFunc is called once for every output file after it has been
// renamed into its final place. localPath is the file on disk; relPath is
// its slash-separated path under the output root, e.g.
// "findings/dt=2026-11-23/<scan_id>.parquet", so that an uploader can mirror
// the layout under a bucket prefix. A returned error is reported by the
// caller (Close, PublishSummary); the local file stays in place.
type PublishFunc func(ctx context.Context, localPath, relPath string) error

// Compression names the Parquet compression codec of a Parquet sink.
type Compression string

// Supported codecs. Both are read by DuckDB, Spark, Trino and MaxCompute.
const (
	// CompressionZstd compresses best for the repetitive string columns
	// of findings (object, data_type, ruleset); it is the default.
	CompressionZstd Compression = "zstd"
	// CompressionSnappy trades size for speed and suits older readers.
	CompressionSnappy Compression = "snappy"
)

// DefaultRowGroupRows is the row group size used when
// ParquetConfig.RowGroupRows is zero. parquet-go keeps a whole row group in
// memory until it is flushed, so this bounds the sink's memory to a few
// tens of MiB for findings rows, while staying large enough for readers to
// skip row groups by their statistics.
const DefaultRowGroupRows = 64 << 10

// ParquetConfig configures a Parquet sink. The zero value is not usable:
// Root and ScanID are required. Other zero values are documented per field.
type ParquetConfig struct {
	// Root is the local output directory (the OUT of DESIGN.md section 3).
	// It is created when missing. Required.
	Root string
	// ScanID names the run and the files. Required; it must be a safe file
	// name: ASCII letters, digits, '.', '_' and '-', starting with a letter
	// or digit, at most 128 characters.
	ScanID string
	// Date selects the dt= partition; only its UTC calendar date is used.
	// Zero means the current date when NewParquet is called.
	Date time.Time
	// Shard is appended to the file names, e.g. "-shard-1-of-3" (see
	// ShardSuffix). Empty for an unsharded run.
	Shard string
	// Compression is the codec; empty means CompressionZstd.
	Compression Compression
	// RowGroupRows is the number of rows per row group; zero means
	// DefaultRowGroupRows. It bounds memory, see DefaultRowGroupRows.
	RowGroupRows int64
	// Version is recorded in the files' created_by metadata; empty means
	// "dev".
	Version string
	// Logger receives Info on close and Warn on dropped summary entries;
	// nil discards.
	Logger *slog.Logger
	// Publish, when not nil, is called for each file after it is renamed
	// into place (a later OSS uploader uses it). Nil keeps outputs local.
	Publish PublishFunc
	// Placer renames the finished files into place, never over a file of
	// the same name (an *ExistsError from Close then), and remembers them
	// so that the caller can take them back (Placer.Remove). Nil uses a
	// Placer of the sink's own.
	Placer *Placer
}

// scanIDPattern keeps scan ids usable as file names on every platform and
// free of path separators, so that a scan id can never escape its partition.
// (The length is checked apart: a bounded repetition such as {0,127}
// compiles to 127 copies of the class, a fifth of a millisecond at every
// start.)
var scanIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

const maxScanIDLen = 128

// shardPattern is the shard suffix of DESIGN.md section 3.
var shardPattern = regexp.MustCompile(`^-shard-[0-9]+-of-[0-9]+$`)

// reservedSuffix matches the endings that output file names add to a
// scan id: the shard suffix and the -part-<k> of an incremental run's
// checkpoints. A scan id that ends in one cannot be told from a run of
// another id (scan "x-part-1" from part 1 of scan "x"), and readers of
// the dataset such as piiscan report go by the file names.
var reservedSuffix = regexp.MustCompile(`(-shard-[0-9]+-of-[0-9]+|-part-[0-9]+)$`)

// Validate reports the first problem with the configuration.
func (c ParquetConfig) Validate() error {
	if c.Root == "" {
		return errors.New("validate parquet config: root is empty")
	}
	if err := validateName(c.ScanID, c.Shard); err != nil {
		return fmt.Errorf("validate parquet config: %w", err)
	}
	switch c.Compression {
	case "", CompressionZstd, CompressionSnappy:
	default:
		return fmt.Errorf("validate parquet config: unknown compression %q (want zstd or snappy)", c.Compression)
	}
	if c.RowGroupRows < 0 {
		return fmt.Errorf("validate parquet config: negative row group size %d", c.RowGroupRows)
	}
	return nil
}

// validateName checks the parts of an output file name.
func validateName(scanID, shard string) error {
	if len(scanID) > maxScanIDLen || !scanIDPattern.MatchString(scanID) {
		return fmt.Errorf("invalid scan id %q: want 1-128 of [A-Za-z0-9._-], starting with a letter or digit", scanID)
	}
	if m := reservedSuffix.FindString(scanID); m != "" {
		return fmt.Errorf("invalid scan id %q: it ends in %q, which output file names add for shards and checkpoint parts (-shard-<i>-of-<n>, -part-<k>)", scanID, m)
	}
	if shard != "" && !shardPattern.MatchString(shard) {
		return fmt.Errorf("invalid shard suffix %q: want -shard-<i>-of-<n>", shard)
	}
	return nil
}

// ShardSuffix returns the file name suffix for shard i of n, as used in
// ParquetConfig.Shard and Summary.Shard: "-shard-1-of-3". It returns ""
// when n <= 1, since an unsharded run has no suffix.
func ShardSuffix(i, n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf("-shard-%d-of-%d", i, n)
}

// Partition returns the dt= partition value for t: its UTC date as
// YYYY-MM-DD.
func Partition(t time.Time) string {
	return t.UTC().Format(time.DateOnly)
}

// withDefaults fills the documented zero values.
func (c ParquetConfig) withDefaults(now time.Time) ParquetConfig {
	if c.Date.IsZero() {
		c.Date = now
	}
	if c.Compression == "" {
		c.Compression = CompressionZstd
	}
	if c.RowGroupRows == 0 {
		c.RowGroupRows = DefaultRowGroupRows
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

package redact

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
)

// Config configures Run. Policy is required; other zero values take the
// defaults given per field (those of `piiscan scan`).
type Config struct {
	// Policy chooses the operator per data type. Required, also for
	// Decrypt (its encrypt operators hold the keys).
	Policy *deid.Policy
	// Decrypt reverses encrypt tokens instead of de-identifying.
	Decrypt bool
	// CopyUnsupported copies objects that cannot be rewritten byte for
	// byte; without it they are listed and not written.
	CopyUnsupported bool
	// KeepNames writes each copy under its object's name as it is. By
	// default the values a name holds are replaced (names.go).
	KeepNames bool
	// Workers is the number of objects rewritten at once (default: CPUs).
	Workers int
	// Prefetch is how many small remote objects are read ahead of the
	// workers at once, as scanner.Config.Prefetch (0: the default,
	// negative: off).
	Prefetch int
	// Uploads is how many finished copies are published to a remote
	// destination (OSS) at once, on goroutines of their own, so that a
	// worker goes on to its next object instead of waiting on the
	// network (0: DefaultUploads, negative: each worker publishes its own
	// copies). Local copies are renamed in place by the worker.
	Uploads int
	// ObjectTimeout bounds the work on one object (default 30 minutes).
	ObjectTimeout time.Duration
	// Grace is how long objects in flight may finish after the run's
	// context is cancelled (default 3 seconds); then they are abandoned
	// and their outputs discarded.
	Grace time.Duration
	// MaxObjectSize skips larger objects as too_large (default 10 GiB).
	MaxObjectSize int64
	// MaxDecodedSize bounds the bytes decompressed from one object
	// (default 64 GiB); MaxRatio the decompressed/compressed ratio
	// (default 1000).
	MaxDecodedSize int64
	MaxRatio       int64
	// MaxMembers bounds the archive members of one object (default
	// 100,000); MaxArchiveDepth containers in containers (default 8).
	MaxMembers      int64
	MaxArchiveDepth int
	// Filter, if set, drops listed objects it returns false for.
	Filter func(scanner.ObjectInfo) bool
	// TempDir holds temporary files ("" = the system temporary directory).
	TempDir string
	// Logger receives a Warn line per object not rewritten in full
	// (partial, copied, skipped or failed); nil discards.
	Logger *slog.Logger
	// OnResult, if set, is called with each result from the one goroutine
	// that tallies them (progress displays).
	OnResult func(*Result)
}

// Validate fills defaults and checks the configuration.
func (c *Config) Validate() error {
	if c.Policy == nil {
		return errors.New("redact config: no policy")
	}
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.ObjectTimeout <= 0 {
		c.ObjectTimeout = scanner.DefaultObjectTimeout
	}
	if c.Prefetch == 0 {
		c.Prefetch = scanner.DefaultPrefetch
	}
	if c.Uploads == 0 {
		c.Uploads = DefaultUploads
	}
	if c.Grace <= 0 {
		c.Grace = scanner.DefaultGrace
	}
	if c.MaxObjectSize <= 0 {
		c.MaxObjectSize = scanner.DefaultMaxObjectSize
	}
	if c.MaxDecodedSize <= 0 {
		c.MaxDecodedSize = scanner.DefaultMaxDecodedSize
	}
	if c.MaxRatio <= 0 {
		c.MaxRatio = scanner.DefaultMaxRatio
	}
	if c.MaxMembers <= 0 {
		c.MaxMembers = scanner.DefaultMaxMembers
	}
	if c.MaxArchiveDepth <= 0 {
		c.MaxArchiveDepth = scanner.DefaultMaxArchiveDepth
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// DefaultUploads is Config.Uploads when not set: copies published to OSS
// at once. A small object's PutObject is a round trip of tens of
// milliseconds, many times what rewriting it takes.
const DefaultUploads = 8

// Status is the outcome of one object.
type Status string

// Object statuses. Rewritten, partial and copied objects are written to
// the destination; skipped and failed ones are not.
const (
	// StatusRewritten: the whole object was read and written again with
	// its values replaced (possibly none).
	StatusRewritten Status = "rewritten"
	// StatusPartial: written, but part of it was handled as a fallback:
	// JSON that stopped parsing was rewritten as text from there, or
	// archive members that cannot be rewritten were left out (Members).
	StatusPartial Status = "partial"
	// StatusCopied: not rewritable and copied as it is (CopyUnsupported).
	StatusCopied Status = "copied"
	// StatusSkipped: not written (unsupported, too large, storage class).
	StatusSkipped Status = "skipped"
	// StatusFailed: not written because of an error.
	StatusFailed Status = "failed"
)

// Reasons of this package besides the scanner's (scanner.Reason).
const (
	// ReasonWriteError: the destination could not be written.
	ReasonWriteError scanner.Reason = "write_error"
	// ReasonInvalidName: the object's relative path would leave the
	// destination (".." segments) or is empty.
	ReasonInvalidName scanner.Reason = "invalid_name"
)

// Written reports whether the status means an object was written.
func (s Status) Written() bool {
	return s == StatusRewritten || s == StatusPartial || s == StatusCopied
}

// Replacement counts values replaced of one data type by one operator.
type Replacement struct {
	DataType string
	Operator string
}

// Issue is an object or an archive member that was not rewritten, or only
// partly. Its texts hold no content.
type Issue struct {
	// Object is the object URI; for a member, "URI!member/path".
	Object string `json:"object"`
	Format string `json:"format"`
	Status Status `json:"status"`
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

// Result is what a worker reports for one object.
type Result struct {
	// commit, when set, is the output a worker finished and an uploader
	// must still publish (Config.Uploads): the result counts only then.
	commit Output

	Info scanner.ObjectInfo
	// Rel is the output path relative to the destination root; Renamed
	// says that it is not the object's own (the name held a value).
	Rel     string
	Renamed bool
	// MemberNames counts the archive members (and gzip file names)
	// written under a name whose values were replaced.
	MemberNames int64
	Status      Status
	Reason      scanner.Reason
	// Err explains a status other than rewritten; its text holds no
	// content.
	Err error
	// Format is what was read, outer to inner ("gzip/csv"); Encoding the
	// text encoding of a text object.
	Format   string
	Encoding string
	// BytesRead counts the object's bytes read, BytesWritten the output's.
	BytesRead    int64
	BytesWritten int64
	// Values counts replaced values per data type and operator; in
	// decrypt mode the operator is "decrypt" and the type the token's
	// algorithm.
	Values map[Replacement]int64
	// TokensFailed counts encrypt tokens left in place (decrypt mode: no
	// key of the policy opens them).
	TokensFailed int64
	// Guarded counts values whose replacement read as another identifier
	// and that were replaced by the policy's fallback instead.
	Guarded int64
	// Redetectable counts, per data type, replacements that are valid
	// identifiers of that type (substitute fakes, ff1 tokens with
	// recompute_check): a rescan of the copy reports them.
	Redetectable map[string]int64
	// Members lists archive members not rewritten.
	Members []Issue
	// PartsEmptied counts parts of Office packages whose bytes were
	// dropped: OLE objects, macros, ActiveX data (office_opaque.go).
	PartsEmptied int64
	// ImagesStripped counts pictures of Office packages whose metadata
	// (Exif, XMP, text chunks) was removed (imagemeta.go).
	ImagesStripped int64
	// ThumbnailsBlanked counts package thumbnails (docProps/thumbnail.*)
	// replaced by a blank picture (metafile.go).
	ThumbnailsBlanked int64
	Duration          time.Duration
}

// issue returns the result as an Issue.
func (r *Result) issue() Issue {
	errText := ""
	if r.Err != nil {
		errText = r.Err.Error()
	}
	return Issue{Object: r.Info.Key, Format: r.Format, Status: r.Status, Reason: string(r.Reason), Error: errText}
}

// Errors of the rewriters. Their texts are built from formats, offsets
// and fixed words only.
type (
	// unsupportedError: the format cannot be rewritten. Nothing has been
	// written when it is returned.
	unsupportedError struct{ format string }
	// malformedError: structured content that did not parse.
	malformedError struct {
		format string
		off    int64
		msg    string
	}
	// limitError: a size, ratio, member or depth limit.
	limitError struct{ msg string }
	// writeError: the destination failed.
	writeError struct{ err error }
)

func (e *unsupportedError) Error() string { return "cannot rewrite format " + e.format }
func (e *malformedError) Error() string {
	return fmt.Sprintf("%s: %s at byte %d", e.format, e.msg, e.off)
}
func (e *limitError) Error() string { return e.msg }

// isLimit reports a limit error: the writer's own, or one of the readers
// it shares with the scanner (scanner.LimitDecompression).
func isLimit(err error) bool {
	var lim *limitError
	return errors.As(err, &lim) || scanner.IsLimit(err)
}
func (e *writeError) Error() string { return "write output: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

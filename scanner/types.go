// Package scanner is piiscan's pipeline: sources list and open objects,
// decoders turn bytes into text or records, the engine classifies them and
// one sink goroutine receives a result per object.
package scanner

import (
	"context"
	"errors"
	"io"
	"strconv"
	"time"
)

// ObjectInfo describes one listed object.
type ObjectInfo struct {
	// Source names the source kind: "file", "stdin" or "oss".
	Source string
	// Key is the object's URI as written to outputs: file:///abs/path,
	// stdin:// or oss://bucket/key.
	Key string
	// Path is the local path of a file (Source "file"): Key is its URI,
	// with the bytes that are not UTF-8 escaped, so it is not always the
	// path. Empty for other sources.
	Path string
	// Name is the path used for format detection and globs (relative to
	// the scanned root for files, the key for OSS).
	Name    string
	Size    int64 // -1 when unknown (stdin)
	ModTime time.Time
	// ETag or version id for OSS; empty for files.
	ETag string
	// StorageClass is the OSS storage class (Archive objects are skipped).
	StorageClass string
}

// Version is the object_version column: the ETag when there is one,
// otherwise size and modification time.
func (o ObjectInfo) Version() string {
	if o.ETag != "" {
		return o.ETag
	}
	if o.Size < 0 {
		return ""
	}
	// strconv rather than fmt: this runs for every object.
	b := strconv.AppendInt(make([]byte, 0, 40), o.Size, 10)
	b = append(b, '-')
	return string(strconv.AppendInt(b, o.ModTime.UnixNano(), 10))
}

// ReadableClass reports an OSS storage class whose objects can be read
// without a restore (not Archive, ColdArchive or DeepColdArchive).
func ReadableClass(c string) bool {
	return c != "Archive" && c != "ColdArchive" && c != "DeepColdArchive"
}

// Source lists and opens objects. Implementations are safe for concurrent
// Open calls; Walk is called once per run.
type Source interface {
	// Walk calls fn for every object in listing order. It returns fn's
	// error, ctx.Err(), or a fatal listing error (auth, missing bucket).
	Walk(ctx context.Context, fn func(ObjectInfo) error) error
	// Open returns the object's bytes. Per-object errors (permission,
	// vanished file) are returned as *ObjectError.
	Open(ctx context.Context, o ObjectInfo) (io.ReadCloser, error)
}

// Status is the outcome of one object (objects.status).
type Status string

// Object statuses of DESIGN.md section 3.
const (
	StatusComplete Status = "complete"
	StatusPartial  Status = "partial"
	StatusSkipped  Status = "skipped"
	StatusFailed   Status = "failed"
)

// Reason is the objects.reason code.
type Reason string

// Reasons. An empty reason goes with a complete object.
const (
	ReasonNone             Reason = ""
	ReasonTooLarge         Reason = "too_large"
	ReasonUnsupported      Reason = "unsupported_format"
	ReasonMalformed        Reason = "malformed"
	ReasonPermissionDenied Reason = "permission_denied"
	ReasonNotFound         Reason = "not_found"
	ReasonTimeout          Reason = "timeout"
	ReasonArchiveLimit     Reason = "archive_limit"
	ReasonUnchanged        Reason = "unchanged"
	ReasonSampledOut       Reason = "sampled_out"
	ReasonSampled          Reason = "sampled" // partial: only a --sample-bytes window was read
	ReasonEmpty            Reason = "empty"
	ReasonChanged          Reason = "changed_during_scan"
	ReasonInternal         Reason = "internal_error"
	ReasonInterrupted      Reason = "interrupted"
	ReasonStorageClass     Reason = "storage_class"
	ReasonReadError        Reason = "read_error"
)

// ObjectError is a per-object failure. Its text never contains content.
type ObjectError struct {
	Key    string
	Op     string
	Reason Reason
	Err    error
}

func (e *ObjectError) Error() string {
	if e.Err == nil {
		return e.Op + " " + e.Key
	}
	return e.Op + " " + e.Key + ": " + e.Err.Error()
}

func (e *ObjectError) Unwrap() error { return e.Err }

// ErrTooLarge is returned by readers that stop at the size limit.
var ErrTooLarge = errors.New("object larger than the size limit")

// Finding is one row of the findings dataset (DESIGN.md section 3). It
// never holds a raw value: MaskedValue and Fingerprint are all there is.
type Finding struct {
	ScanID        string    `parquet:"scan_id,dict" json:"scan_id"`
	ScannedAt     time.Time `parquet:"scanned_at,timestamp(millisecond)" json:"scanned_at"`
	Object        string    `parquet:"object,dict" json:"object"`
	ObjectVersion string    `parquet:"object_version,dict" json:"object_version"`
	ContainerPath *string   `parquet:"container_path,optional,dict" json:"container_path"`
	Format        string    `parquet:"format,dict" json:"format"`
	Line          *int64    `parquet:"line,optional" json:"line"`
	Column        *int64    `parquet:"column,optional" json:"column"`
	Record        *int64    `parquet:"record,optional" json:"record"`
	Field         *string   `parquet:"field,optional,dict" json:"field"`
	ByteOffset    int64     `parquet:"byte_offset" json:"byte_offset"`
	Length        int32     `parquet:"length" json:"length"`
	DataType      string    `parquet:"data_type,dict" json:"data_type"`
	Category      string    `parquet:"category,dict" json:"category"`
	Sensitivity   string    `parquet:"sensitivity,dict" json:"sensitivity"`
	Confidence    float32   `parquet:"confidence" json:"confidence"`
	Minor         bool      `parquet:"minor" json:"minor"`
	MaskedValue   string    `parquet:"masked_value" json:"masked_value"`
	Fingerprint   string    `parquet:"fingerprint" json:"fingerprint"`
	Evidence      string    `parquet:"evidence,dict" json:"evidence"`
	Ruleset       string    `parquet:"ruleset,dict" json:"ruleset"`
}

// ObjectRow is one row of the objects inventory (DESIGN.md section 3).
type ObjectRow struct {
	ScanID        string    `parquet:"scan_id,dict" json:"scan_id"`
	ScannedAt     time.Time `parquet:"scanned_at,timestamp(millisecond)" json:"scanned_at"`
	Object        string    `parquet:"object" json:"object"`
	ObjectVersion string    `parquet:"object_version" json:"object_version"`
	Size          int64     `parquet:"size" json:"size"`
	BytesScanned  int64     `parquet:"bytes_scanned" json:"bytes_scanned"`
	Format        string    `parquet:"format,dict" json:"format"`
	Encoding      string    `parquet:"encoding,dict" json:"encoding"`
	Status        string    `parquet:"status,dict" json:"status"`
	Reason        string    `parquet:"reason,dict" json:"reason"`
	Error         string    `parquet:"error,dict" json:"error"`
	Findings      int64     `parquet:"findings" json:"findings"`
	DurationMS    int64     `parquet:"duration_ms" json:"duration_ms"`
}

// ObjectResult is what a worker reports for one object.
type ObjectResult struct {
	Info      ObjectInfo
	ScannedAt time.Time
	Status    Status
	Reason    Reason
	// Err explains a failed, skipped or partial object. Its text is safe
	// to write (no content).
	Err          error
	Format       string // what was decoded: csv, gzip/jsonl, ...
	Encoding     string // utf-8, gb18030, utf-16le, ...
	BytesScanned int64  // decoded bytes classified
	Duration     time.Duration
	// Findings in offset order. Large objects keep most of them in Spill.
	Findings []Finding
	// Spill, when not nil, holds further findings written to a temporary
	// file to bound memory; call Spill.Each to read them back, then Close.
	Spill *Spill
	// Columns holds per-column verdicts for the run summary.
	Columns []ColumnVerdict
	// Notes are PII-free observations for the summary (e.g. an image named
	// like an ID-card scan).
	Notes []string
	// TopLevel is the highest sensitivity of the findings (S1..S4), ""
	// when there are none.
	TopLevel string
}

// FindingCount returns the number of findings, in memory and spilled.
func (r *ObjectResult) FindingCount() int64 {
	n := int64(len(r.Findings))
	if r.Spill != nil {
		n += r.Spill.Count()
	}
	return n
}

// Row returns the objects inventory row for the result.
func (r *ObjectResult) Row(scanID string) ObjectRow {
	errText := ""
	if r.Err != nil {
		errText = r.Err.Error()
	}
	return ObjectRow{
		ScanID:        scanID,
		ScannedAt:     r.ScannedAt.UTC(),
		Object:        r.Info.Key,
		ObjectVersion: r.Info.Version(),
		Size:          r.Info.Size,
		BytesScanned:  r.BytesScanned,
		Format:        r.Format,
		Encoding:      r.Encoding,
		Status:        string(r.Status),
		Reason:        string(r.Reason),
		Error:         errText,
		Findings:      r.FindingCount(),
		DurationMS:    r.Duration.Milliseconds(),
	}
}

// ColumnVerdict says that most sampled values of one column are one type.
type ColumnVerdict struct {
	Object   string  `json:"object"`
	Column   string  `json:"column"`
	DataType string  `json:"data_type"`
	Share    float64 `json:"share"`
	Sampled  int64   `json:"sampled"`
}

// Sink receives results. Run calls it from exactly one goroutine, so
// implementations need no locking. WriteObject must not keep r.Findings
// after it returns (Run reuses the slice for a later object), and it owns r.Spill: it reads and closes it. Close flushes and finalizes outputs; it is always
// called, also after cancellation, since Parquet needs its footer.
type Sink interface {
	WriteObject(ctx context.Context, r *ObjectResult) error
	Close() error
}

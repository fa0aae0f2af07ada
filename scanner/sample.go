package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// Sample configures sampling for big buckets: a deterministic share of the
// objects (Objects, Seed) and a byte window of each (Bytes, RandomStart).
// The zero value scans everything whole.
type Sample struct {
	// Objects is the share of objects scanned, in percent: an object is
	// kept when keyHash("piiscan/sample", Seed, key) < Objects/100 * 2^64,
	// so the same seed picks the same objects in every run and every shard,
	// whatever the listing order. 0 or 100 keeps every object; the others
	// become skipped rows with reason sampled_out.
	Objects float64
	// Seed keys the object choice and the random start.
	Seed uint64
	// Bytes, when > 0, reads at most this many bytes of each object: the
	// head, or a window at a random start (RandomStart). Objects that were
	// not read whole are partial with reason sampled, and the error text
	// says which bytes were read.
	Bytes int64
	// RandomStart starts the window at keyHash("piiscan/offset", Seed, key)
	// mod (size - Bytes + 1) instead of byte 0, for objects of known size.
	// Decoding then starts mid-object: text and line formats read fine,
	// formats that need their head (gzip, zip, Parquet, ...) do not, and
	// byte offsets and lines count from the window's start.
	RandomStart bool
}

// Validate checks the ranges.
func (s Sample) Validate() error {
	switch {
	case math.IsNaN(s.Objects) || s.Objects < 0 || s.Objects > 100:
		return fmt.Errorf("sample: object share %v%% is outside 0..100", s.Objects)
	case s.Bytes < 0:
		return fmt.Errorf("sample: negative byte window %d", s.Bytes)
	}
	return nil
}

// SamplesObjects reports whether some objects may be left out.
func (s Sample) SamplesObjects() bool { return s.Objects > 0 && s.Objects < 100 }

// Keep reports whether the object with this key is in the sample.
func (s Sample) Keep(key string) bool {
	if !s.SamplesObjects() {
		return true
	}
	// 2^64 as a float64 is exact; the product is below it because
	// Objects < 100.
	limit := uint64(s.Objects / 100 * (1 << 64))
	return keyHash(hashSample, s.Seed, key) < limit
}

// window returns the byte range [off, off+n) to read of o, and false when
// o is read whole (no byte sampling, or o is not larger than the window).
func (s Sample) window(o ObjectInfo) (off, n int64, ok bool) {
	if s.Bytes <= 0 || (o.Size >= 0 && o.Size <= s.Bytes) {
		return 0, 0, false
	}
	if s.RandomStart && o.Size > 0 {
		off = int64(keyHash(hashOffset, s.Seed, o.Key) % uint64(o.Size-s.Bytes+1))
	}
	return off, s.Bytes, true
}

// describe says which sampling applies to o, for its row's error text.
func (s Sample) describe(o ObjectInfo, off, n int64) string {
	size := "of unknown size"
	if o.Size >= 0 {
		size = fmt.Sprintf("of %d", o.Size)
	}
	how := "the head"
	if off > 0 || s.RandomStart {
		how = fmt.Sprintf("a random start chosen with --seed %d; offsets and lines count from byte %d", s.Seed, off)
	}
	return fmt.Sprintf("sampled: read bytes %d-%d %s (--sample-bytes %d, %s)", off, off+n-1, size, s.Bytes, how)
}

// RangeOpener is implemented by sources that can read a byte range of an
// object without transferring the rest: a ranged GET for OSS, a seek for
// files. Without it, sampling reads and discards the bytes before the
// window. n is at most the bytes wanted; fewer come back at the end of
// the object. Errors are those of Source.Open.
type RangeOpener interface {
	OpenRange(ctx context.Context, o ObjectInfo, off, n int64) (io.ReadCloser, error)
}

// preSkip decides, before anything is opened, that o is a skipped row:
// Config.Skip first (incremental scans: unchanged), then the object
// sample (sampled_out). It returns false when o is to be scanned.
func (w *worker) preSkip(res *ObjectResult) bool {
	info := res.Info
	if w.cfg.Skip != nil {
		if reason, note := w.cfg.Skip(info); reason != ReasonNone {
			res.Status, res.Reason, res.Err = StatusSkipped, reason, errors.New(note)
			return true
		}
	}
	if s := w.cfg.Sample; !s.Keep(info.Key) {
		res.Status, res.Reason = StatusSkipped, ReasonSampledOut
		res.Err = fmt.Errorf("sampled out: not in the %g%% sample of --sample-objects with --seed %d", s.Objects, s.Seed)
		return true
	}
	return false
}

// sizeForLimit is the size compared with MaxObjectSize: the sample window
// when only a window of o is read, so that a sample of a huge object is
// not skipped as too large.
func (w *worker) sizeForLimit(o ObjectInfo) int64 {
	if _, n, ok := w.cfg.Sample.window(o); ok {
		return n
	}
	return o.Size
}

// open opens o whole, or only its sample window.
func (w *worker) open(ctx context.Context, o ObjectInfo) (io.ReadCloser, error) {
	return openSampled(ctx, w.cfg.Sample, w.src, o)
}

// openSampled opens o from src whole, or only its window of sample s:
// what a worker reads, and what is read ahead for it.
func openSampled(ctx context.Context, s Sample, src Source, o ObjectInfo) (io.ReadCloser, error) {
	off, n, ok := s.window(o)
	if !ok {
		return src.Open(ctx, o)
	}
	if ro, isRange := src.(RangeOpener); isRange {
		return ro.OpenRange(ctx, o, off, n)
	}
	rc, err := src.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	if off > 0 {
		if _, err := io.CopyN(io.Discard, rc, off); err != nil {
			_ = rc.Close()
			return nil, &ObjectError{Key: o.Key, Op: fmt.Sprintf("skip to byte %d of", off), Reason: ReasonReadError, Err: err}
		}
	}
	return readCloser{io.LimitReader(rc, n), rc}, nil
}

// noteSample marks a result read through a sample window: a complete (or
// malformed, since a cut structure often is) object becomes partial with
// reason sampled; others keep their status. The window goes into the
// error text either way.
func (w *worker) noteSample(res *ObjectResult) {
	s := w.cfg.Sample
	off, n, ok := s.window(res.Info)
	if !ok {
		return
	}
	note := s.describe(res.Info, off, n)
	switch {
	case res.Status == StatusComplete:
		res.Status, res.Reason, res.Err = StatusPartial, ReasonSampled, errors.New(note)
	case res.Status == StatusPartial && res.Reason == ReasonMalformed:
		res.Reason, res.Err = ReasonSampled, fmt.Errorf("%s; %w", note, res.Err)
	case res.Err != nil:
		res.Err = fmt.Errorf("%w (%s)", res.Err, note)
	}
}

// readCloser pairs a reader with the closer of what it reads.
type readCloser struct {
	io.Reader
	io.Closer
}

// OpenRange reads bytes [off, off+n) of a listed file with a seek.
// Stdin is read from its head.
func (s *LocalSource) OpenRange(ctx context.Context, o ObjectInfo, off, n int64) (io.ReadCloser, error) {
	rc, err := s.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	f, isFile := rc.(*os.File)
	if !isFile || o.Source != "file" {
		return readCloser{io.LimitReader(rc, n), rc}, nil
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, &ObjectError{Key: o.Key, Op: "seek", Reason: reasonOf(err), Err: err}
	}
	return readCloser{io.LimitReader(f, n), f}, nil
}

var _ RangeOpener = (*LocalSource)(nil)

// OpenRange reads bytes [off, off+n) of a listed object with one ranged
// GET (resumed like Open's, pinned to the listed ETag). The CRC-64 check
// of Open applies to whole objects only.
func (s *OSSSource) OpenRange(ctx context.Context, o ObjectInfo, off, n int64) (io.ReadCloser, error) {
	key, ok := strings.CutPrefix(o.Key, "oss://"+s.cfg.Bucket+"/")
	if !ok || key == "" {
		return nil, &ObjectError{Key: o.Key, Op: "get", Reason: ReasonNotFound, Err: fmt.Errorf("not an object of oss://%s/", s.cfg.Bucket)}
	}
	end := min(off+n, o.Size)
	if off >= end {
		return io.NopCloser(strings.NewReader("")), nil
	}
	r := &ossReader{
		ctx: ctx, api: s.api, key: key, uri: o.Key, etag: o.ETag,
		size: o.Size, off: off, end: end, retry: s.cfg.Retry, log: s.log,
	}
	if err := r.fetch(); err != nil {
		return nil, err
	}
	return r, nil
}

var _ RangeOpener = (*OSSSource)(nil)

package scanner

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc64"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// crcTable is CRC-64/ECMA-182, the x-oss-hash-crc64ecma checksum of OSS.
var crcTable = crc64.MakeTable(crc64.ECMA)

// ossReader streams one object with GETs that resume where they broke.
//
// Policy: a body that ends early (connection reset, io.ErrUnexpectedEOF, a
// network timeout) is closed and the read goes on with "Range:
// bytes=<off>-<end-1>" plus "If-Match: <etag>", so the bytes are delivered
// exactly once, in order, from one version of the object; a replaced object
// answers 412 PreconditionFailed, which ends the read as
// changed_during_scan. Failed requests (5xx, 429, throttling codes,
// transport errors) are retried with OSSRetry's backoff. The attempt budget
// counts failures since the last byte delivered, so a long object on a
// flaky link is read to the end while a stuck one fails after MaxAttempts.
// When the first answer carries x-oss-hash-crc64ecma and the whole object
// is read, the CRC-64 of the delivered bytes is checked at EOF, which also
// proves that resuming neither lost nor repeated a byte.
//
// end bounds the bytes read: it is the object's size today, and a smaller
// value (a sampling limit) only turns the first GET into a ranged one.
type ossReader struct {
	ctx   context.Context // the object's context (its timeout)
	api   OSSAPI
	key   string // object key in the bucket
	uri   string // oss://bucket/key, for errors
	etag  string // unquoted ETag the reads are pinned to; "" until known
	size  int64  // listed size
	end   int64  // exclusive end offset of the bytes wanted
	off   int64  // next offset to deliver
	body  io.ReadCloser
	retry OSSRetry
	fails int // failed attempts since the last byte delivered
	crc   hash.Hash64
	want  uint64
	log   *slog.Logger
}

// fetch opens the body at r.off, retrying retryable failures.
func (r *ossReader) fetch() error {
	for {
		body, err := r.get()
		if err == nil {
			r.body = body
			return nil
		}
		if r.ctx.Err() != nil {
			return r.ctx.Err()
		}
		if !OSSRetryable(err) {
			return objectError(r.uri, r.off, r.fails+1, err)
		}
		if werr := r.failed("get", err); werr != nil {
			return werr
		}
	}
}

// failed counts a failed attempt and waits before the next one, or
// returns the final error when the budget is spent.
func (r *ossReader) failed(what string, err error) error {
	r.fails++
	if r.fails >= r.retry.MaxAttempts {
		return objectError(r.uri, r.off, r.fails, err)
	}
	if r.log.Enabled(r.ctx, slog.LevelDebug) {
		r.log.LogAttrs(r.ctx, slog.LevelDebug, "retrying object read", slog.String("key", r.uri), slog.String("op", what),
			slog.Int64("offset", r.off), slog.Int("attempt", r.fails+1), slog.String("err", DescribeOSS(err).Error()))
	}
	if werr := r.retry.wait(r.ctx, r.fails); werr != nil {
		return werr
	}
	return nil
}

// get sends one GET for [off, end) and checks that the answer starts at
// off. Every request passes the object's context.
func (r *ossReader) get() (io.ReadCloser, error) {
	// identity: without it net/http asks for gzip and transparently
	// inflates objects stored with Content-Encoding: gzip, which would
	// break byte offsets, ranges and the size check. piiscan decodes gzip
	// itself, from the stored bytes.
	opts := []oss.Option{oss.WithContext(r.ctx), oss.AcceptEncoding("identity")}
	if r.etag != "" {
		opts = append(opts, oss.IfMatch(`"`+r.etag+`"`))
	}
	ranged := r.off > 0 || r.end < r.size
	if ranged {
		// "standard" makes OSS answer 416 to a range past the end instead
		// of silently sending the whole object with 200.
		opts = append(opts, oss.NormalizedRange(fmt.Sprintf("%d-%d", r.off, r.end-1)), oss.RangeBehavior("standard"))
	}
	body, err := r.api.GetObject(r.key, opts...)
	if err != nil {
		return nil, err
	}
	var hdr http.Header
	if resp, ok := body.(*oss.Response); ok {
		hdr = resp.Headers
	}
	if r.etag == "" {
		r.etag = strings.Trim(hdr.Get("ETag"), `"`)
	}
	if ranged && hdr != nil {
		cr := hdr.Get("Content-Range")
		start, ok := contentRangeStart(cr)
		switch {
		case ok && start == r.off:
		case cr == "":
			// A server that ignores Range sends the whole object: skip
			// what was already delivered rather than deliver it twice.
			if _, err := io.CopyN(io.Discard, body, r.off); err != nil {
				_ = body.Close()
				return nil, err
			}
		default:
			_ = body.Close()
			return nil, fmt.Errorf("range answer %q does not start at byte %d", cr, r.off)
		}
	}
	if r.off == 0 && r.end == r.size {
		r.crc = nil
		if v, err := strconv.ParseUint(hdr.Get("x-oss-hash-crc64ecma"), 10, 64); err == nil {
			r.crc, r.want = crc64.New(crcTable), v
		}
	}
	return body, nil
}

// contentRangeStart returns the first byte of "bytes a-b/n".
func contentRangeStart(cr string) (int64, bool) {
	spec, ok := strings.CutPrefix(cr, "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(first, 10, 64)
	return n, err == nil
}

// Read delivers the next bytes, resuming the body after a break.
func (r *ossReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if r.off >= r.end {
			return 0, r.finish()
		}
		if r.body == nil {
			if err := r.fetch(); err != nil {
				return 0, err
			}
		}
		if rest := r.end - r.off; int64(len(p)) > rest {
			p = p[:rest]
		}
		n, err := r.body.Read(p)
		if n > 0 {
			r.off += int64(n)
			r.fails = 0
			if r.crc != nil {
				_, _ = r.crc.Write(p[:n])
			}
		}
		if err == nil || (err == io.EOF && r.off >= r.end) {
			return n, nil
		}
		// The body broke or ended short of end: drop it and resume.
		_ = r.body.Close()
		r.body = nil
		if r.ctx.Err() != nil {
			return n, r.ctx.Err()
		}
		if !errors.Is(err, io.EOF) && !OSSRetryable(err) {
			return n, objectError(r.uri, r.off, r.fails+1, err)
		}
		if werr := r.failed("read", err); werr != nil {
			return n, werr
		}
		if n > 0 {
			return n, nil
		}
	}
}

// finish closes the body at the end and checks the CRC-64.
func (r *ossReader) finish() error {
	if r.body != nil {
		_ = r.body.Close()
		r.body = nil
	}
	if r.crc != nil && r.crc.Sum64() != r.want {
		got := r.crc.Sum64()
		r.crc = nil // report once
		return &ObjectError{Key: r.uri, Op: "get", Reason: ReasonReadError,
			Err: fmt.Errorf("crc64 of the bytes read is %d, oss says %d", got, r.want)}
	}
	return io.EOF
}

// Close releases the current body, if any.
func (r *ossReader) Close() error {
	if r.body == nil {
		return nil
	}
	err := r.body.Close()
	r.body = nil
	return err
}

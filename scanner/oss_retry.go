package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"syscall"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// OSSRetry is the retry policy of OSS requests: listing pages, object
// reads (and their resumptions) and uploads. The SDK itself retries
// nothing, so every call goes through it. The zero value is usable: each
// zero field takes the default documented on it.
type OSSRetry struct {
	// MaxAttempts bounds the attempts of one request, the first included,
	// when no progress is made between them (default 6: the first try and
	// five retries, the SDK's RetryTimes). A negative value means a
	// single attempt.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry (default 200ms); it
	// doubles with every further retry, up to MaxDelay (default 15s). The
	// wait is drawn uniformly from [0, backoff) ("full jitter"), so that
	// workers throttled together do not come back together.
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

// withDefaults fills the documented zero values.
func (r OSSRetry) withDefaults() OSSRetry {
	switch {
	case r.MaxAttempts == 0:
		r.MaxAttempts = 6
	case r.MaxAttempts < 0:
		r.MaxAttempts = 1
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 200 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 15 * time.Second
	}
	if r.MaxDelay < r.BaseDelay {
		r.MaxDelay = r.BaseDelay
	}
	return r
}

// Backoff returns the wait before retry number n (1 for the first retry):
// a uniform draw from [0, min(MaxDelay, BaseDelay·2^(n-1))).
func (r OSSRetry) Backoff(n int) time.Duration {
	r = r.withDefaults()
	ceil := r.BaseDelay
	for i := 1; i < n && ceil < r.MaxDelay; i++ {
		ceil *= 2
	}
	ceil = min(ceil, r.MaxDelay)
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}

// wait sleeps for Backoff(n), or until ctx ends.
func (r OSSRetry) wait(ctx context.Context, n int) error {
	t := time.NewTimer(r.Backoff(n))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do calls fn until it succeeds, returns an error OSSRetryable rejects,
// or MaxAttempts calls were made; between calls it waits Backoff. It
// returns fn's last error, or ctx's error when ctx ended first. fn should
// pass oss.WithContext(ctx) to the SDK so a cancelled run stops at once.
func (r OSSRetry) Do(ctx context.Context, fn func() error) error {
	r = r.withDefaults()
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if attempt >= r.MaxAttempts || !OSSRetryable(err) {
			return err
		}
		if werr := r.wait(ctx, attempt); werr != nil {
			return werr
		}
	}
}

// throttleCodes are the OSS error codes of a request that may succeed when
// sent again later, whatever its HTTP status: throttling (QpsLimitExceeded
// is OSS's 503 for a bucket over its QPS quota), server faults, and a
// request body that arrived too slowly.
var throttleCodes = map[string]bool{
	"QpsLimitExceeded":    true,
	"Throttling":          true,
	"ThrottlingException": true,
	"TooManyRequests":     true,
	"SlowDown":            true,
	"ServiceUnavailable":  true,
	"InternalError":       true,
	"RequestTimeout":      true,
}

// OSSRetryable reports whether a failed OSS request is worth sending again:
// HTTP 5xx and 429 answers, the throttling codes above, CRC mismatches of
// uploads, and transport failures (a connection reset, refused or cut
// short, a network timeout). Everything else, and in particular
// authentication, permission and not-found errors and context
// cancellation, is final.
func OSSRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var se oss.ServiceError
	if errors.As(err, &se) {
		return throttleCodes[se.Code] || se.StatusCode >= 500 || se.StatusCode == 429
	}
	var crc oss.CRCCheckError
	if errors.As(err, &crc) {
		return true // the bytes were damaged in transit; the source file is intact
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) // a read or write on the connection failed
}

// OSSErrorCode returns the OSS error code carried by err ("NoSuchKey",
// "SignatureDoesNotMatch", ...), or "" when err is not an OSS answer.
func OSSErrorCode(err error) string {
	var se oss.ServiceError
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}

// OSSError describes an OSS service error by its code, for messages such
// as "list oss://b/: NoSuchBucket: The specified bucket does not exist.
// (http 404, request id 5C3D...)". It wraps the SDK's oss.ServiceError, so
// errors.As(err, &se) with a var se oss.ServiceError still works. OSS error
// documents never echo the secret or the signature in Code or Message (the
// StringToSign of SignatureDoesNotMatch is a separate element, left out).
type OSSError struct {
	se oss.ServiceError
}

// Error returns "CODE: message (http N, request id ID)".
func (e *OSSError) Error() string {
	s := e.se.Code
	if s == "" {
		s = fmt.Sprintf("http %d", e.se.StatusCode)
	}
	if e.se.Message != "" {
		s += ": " + e.se.Message
	}
	if e.se.Code != "" {
		s += fmt.Sprintf(" (http %d", e.se.StatusCode)
		if e.se.RequestID != "" {
			s += ", request id " + e.se.RequestID
		}
		s += ")"
	}
	return s
}

// Unwrap returns the SDK's error value.
func (e *OSSError) Unwrap() error { return e.se }

// DescribeOSS returns err with an oss.ServiceError replaced by an
// *OSSError (shorter text naming the code, same identity for errors.As);
// other errors are returned unchanged.
func DescribeOSS(err error) error {
	var se oss.ServiceError
	var oe *OSSError
	if errors.As(err, &oe) || !errors.As(err, &se) {
		return err
	}
	return &OSSError{se: se}
}

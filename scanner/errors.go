package scanner

import (
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

// errUnsupported marks an object whose format piiscan does not decode.
type errUnsupported struct{ format string }

func (e *errUnsupported) Error() string { return "unsupported format: " + e.format }

// errMalformed marks structured content that did not parse; what could be
// read was scanned (the rest as plain text), so the object is partial.
type errMalformed struct {
	format string
	off    int64
	msg    string
}

func (e *errMalformed) Error() string {
	return fmt.Sprintf("%s: %s at byte %d; the rest was scanned as text", e.format, e.msg, e.off)
}

// ErrRuleTimeout marks an object on which a user rule hit the regexp2
// match timeout: the scan went on past the places it stuck (or gave up on
// the rest of a window), so matches of that rule may be missing there.
var ErrRuleTimeout = errors.New("user rule match timeout")

// noteRuleTimeouts reports the user rules that timed out on the object
// (see classifiers.Scanner.UserTimeouts): a complete object becomes
// partial with reason timeout; one already not complete keeps its reason
// and gets a note. The text names rules and counts, never content.
func (w *worker) noteRuleTimeouts(res *ObjectResult) {
	to := w.sc.UserTimeouts()
	if len(to) == 0 {
		return
	}
	var b strings.Builder
	for i, t := range to {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "rule %s %d times", t.RuleID, t.Timeouts)
		if t.GaveUp {
			b.WriteString(" (gave up on part of the text)")
		}
	}
	err := fmt.Errorf("%w: %s; its matches where it stuck may be missing", ErrRuleTimeout, b.String())
	if res.Status == StatusComplete {
		res.Status, res.Reason, res.Err = StatusPartial, ReasonTimeout, err
		return
	}
	res.Notes = append(res.Notes, err.Error())
}

// errEmpty marks an object with no bytes.
var errEmpty = errors.New("empty object")

// errNotRead marks archive members whose bytes could not be read at all
// (encrypted, or compressed with a method Go does not implement): unlike a
// member of an unsupported format, what they hold is unknown, so the
// object is partial.
type errNotRead struct{ msg string }

func (e *errNotRead) Error() string { return e.msg }

// errLimit marks an archive or decompression limit.
type errLimit struct{ msg string }

func (e *errLimit) Error() string { return e.msg }

// classify sets the status, reason and error of a scanned object.
func (w *worker) classify(res *ObjectResult, err error, read int64) {
	var unsup *errUnsupported
	var malformed *errMalformed
	var limit *errLimit
	var notRead *errNotRead
	own := true // our own error texts carry no content; others are redacted
	switch {
	case err == nil:
		res.Status = StatusComplete
	case errors.Is(err, errEmpty):
		res.Status, res.Reason = StatusSkipped, ReasonEmpty
	case errors.As(err, &unsup):
		res.Status, res.Reason = StatusSkipped, ReasonUnsupported
	case errors.Is(err, context.DeadlineExceeded):
		res.Status, res.Reason = StatusPartial, ReasonTimeout
		err = fmt.Errorf("scan stopped after --object-timeout %s", w.cfg.ObjectTimeout)
	case errors.Is(err, ErrTooLarge):
		res.Status, res.Reason = StatusPartial, ReasonTooLarge
		err = fmt.Errorf("scanned the first %d bytes: %w", w.cfg.MaxObjectSize, ErrTooLarge)
	case errors.As(err, &limit):
		res.Status, res.Reason = StatusPartial, ReasonArchiveLimit
	case errors.As(err, &malformed):
		res.Status, res.Reason = StatusPartial, ReasonMalformed
	case errors.As(err, &notRead):
		res.Status, res.Reason = StatusPartial, ReasonUnsupported
	case isCorrupt(err):
		res.Status, res.Reason = StatusPartial, ReasonMalformed
		own = false
	default:
		res.Status, res.Reason = StatusFailed, reasonOf(err)
		own = false
	}
	if res.Status == StatusPartial && res.BytesScanned == 0 && res.FindingCount() == 0 && read == 0 {
		res.Status = StatusFailed
	}
	switch {
	case err == nil:
	case own:
		res.Err = err
	default:
		res.Err = safeErr(err)
	}
}

// isCorrupt reports decoding errors of compressed or truncated data.
func isCorrupt(err error) bool {
	var ce flate.CorruptInputError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) ||
		errors.Is(err, gzip.ErrHeader) || errors.As(err, &ce)
}

// vanished reports an open error saying that the object no longer exists:
// a file removed, or an OSS object deleted (NoSuchKey), after the listing.
func vanished(err error) bool {
	return reasonOf(err) == ReasonNotFound && (errors.Is(err, fs.ErrNotExist) || OSSErrorCode(err) == "NoSuchKey")
}

// reasonOf maps an open or read error to a reason code.
func reasonOf(err error) Reason {
	var oe *ObjectError
	if errors.As(err, &oe) && oe.Reason != "" {
		return oe.Reason
	}
	var unsup *errUnsupported
	if errors.As(err, &unsup) {
		return ReasonUnsupported
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return ReasonPermissionDenied
	case errors.Is(err, fs.ErrNotExist):
		return ReasonNotFound
	case errors.Is(err, context.DeadlineExceeded):
		return ReasonTimeout
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return ReasonReadError
	}
	return ReasonReadError
}

// safeErr returns an error whose text can be written anywhere: quoted
// strings and anything shaped like a personal value are redacted. Third-party
// decoders sometimes quote the input they choke on.
func safeErr(err error) error {
	if err == nil {
		return nil
	}
	return &safeError{msg: SafeText(err.Error()), err: err}
}

type safeError struct {
	msg string
	err error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.err }

var (
	quoted   = regexp.MustCompile(`"[^"]*"|'[^']*'|` + "`[^`]*`")
	valueish = regexp.MustCompile(`[A-Za-z0-9._%+\-]*@[A-Za-z0-9.\-]+|[A-Za-z]{0,2}[0-9][0-9 \-]{4,}[0-9Xx]`)
)

// SafeText redacts quoted strings, e-mail shapes and runs of five or more
// digits from a message (error texts, panic values) before it is logged or
// written. File paths keep their directories; a digit run in a file name is
// redacted too, which is the price of never leaking a value.
func SafeText(s string) string {
	s = quoted.ReplaceAllString(s, `"<redacted>"`)
	s = valueish.ReplaceAllStringFunc(s, func(m string) string {
		digits := 0
		for _, c := range m {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if strings.Contains(m, "@") || digits >= 5 {
			return "<redacted>"
		}
		return m
	})
	if len(s) > 1000 {
		s = s[:1000]
	}
	return s
}

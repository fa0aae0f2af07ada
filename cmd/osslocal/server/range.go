package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// byteRange is a satisfiable range of an object: length bytes from start.
type byteRange struct {
	start, length int64
}

// parseRange interprets a Range header the way OSS GetObject does ("Range
// download" in the OSS docs):
//   - only the first range of a multi-range header is served;
//   - a malformed header is ignored (the whole object, 200);
//   - by default an out-of-range request (start or end beyond the object) is
//     also ignored and the whole object is sent with 200;
//   - with "x-oss-range-behavior: standard" an end beyond the object is
//     clamped (206) and a start beyond it is 416 InvalidRange.
//
// It returns nil when the whole object is to be sent with 200.
func parseRange(header string, size int64, standard bool) (*byteRange, *ossError) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !ok {
		return nil, nil
	}
	spec, _, _ = strings.Cut(spec, ",")
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return nil, nil
	}
	unsatisfiable := func() (*byteRange, *ossError) {
		if standard {
			return nil, errInvalidRange()
		}
		return nil, nil
	}
	if first == "" { // suffix range: the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return nil, nil
		}
		switch {
		case n == 0 || size == 0:
			return unsatisfiable()
		case n > size:
			if !standard {
				return nil, nil
			}
			n = size
		}
		return &byteRange{start: size - n, length: n}, nil
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if err != nil || a < 0 {
		return nil, nil
	}
	if a >= size {
		return unsatisfiable()
	}
	b := size - 1
	if last != "" {
		if b, err = strconv.ParseInt(last, 10, 64); err != nil || b < a {
			return nil, nil
		}
		if b >= size {
			if !standard {
				return nil, nil
			}
			b = size - 1
		}
	}
	return &byteRange{start: a, length: b - a + 1}, nil
}

// checkConditions evaluates If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since in RFC 7232 order, as GetObject and HeadObject do. It
// returns 0 when the request proceeds, else 304 or 412.
func checkConditions(r *http.Request, etag string, modTime time.Time) int {
	match := func(list string) bool {
		for t := range strings.SplitSeq(list, ",") {
			t = strings.Trim(strings.TrimPrefix(strings.TrimSpace(t), "W/"), `"`)
			if t == "*" || strings.EqualFold(t, etag) {
				return true
			}
		}
		return false
	}
	mod := modTime.Truncate(time.Second)
	if v := r.Header.Get("If-Match"); v != "" {
		if !match(v) {
			return http.StatusPreconditionFailed
		}
	} else if v := r.Header.Get("If-Unmodified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && mod.After(t) {
			return http.StatusPreconditionFailed
		}
	}
	if v := r.Header.Get("If-None-Match"); v != "" {
		if match(v) {
			return http.StatusNotModified
		}
	} else if v := r.Header.Get("If-Modified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && !mod.After(t) {
			return http.StatusNotModified
		}
	}
	return 0
}

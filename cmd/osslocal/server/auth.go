package server

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxClockSkew is how far a request's Date may be from the server clock:
// OSS rejects requests more than 15 minutes off with RequestTimeTooSkewed.
const maxClockSkew = 15 * time.Minute

// authenticate checks the request signature the way OSS does. It accepts
// signature V1 (Authorization: OSS id:sig, or the OSSAccessKeyId/Expires/
// Signature URL parameters) and signature V4 (Authorization:
// OSS4-HMAC-SHA256 ..., or the x-oss-signature-version URL parameters).
// Anonymous requests are denied: every bucket is private.
func (s *Server) authenticate(r *http.Request, rq *request) *ossError {
	auth := r.Header.Get("Authorization")
	q := rq.query
	switch {
	case strings.HasPrefix(auth, "OSS4-HMAC-SHA256 "):
		return s.verifyV4Header(r, rq, strings.TrimPrefix(auth, "OSS4-HMAC-SHA256 "))
	case strings.HasPrefix(auth, "OSS "):
		return s.verifyV1Header(r, rq, strings.TrimPrefix(auth, "OSS "))
	case strings.HasPrefix(auth, "OSS2 "):
		return errInvalidArgument("osslocal supports signature V1 and V4, not V2.", "Authorization", "OSS2")
	case auth != "":
		return errInvalidArgument("Authorization header is invalid.", "Authorization", "")
	case q.Get("x-oss-signature-version") == "OSS4-HMAC-SHA256":
		return s.verifyV4Query(r, rq)
	case q.Get("x-oss-signature-version") != "":
		return errInvalidArgument("osslocal supports signature V1 and V4, not V2.", "x-oss-signature-version", q.Get("x-oss-signature-version"))
	case has(q, "OSSAccessKeyId") || has(q, "Signature"):
		return s.verifyV1Query(r, rq)
	}
	return errAccessDenied("You have no right to access this object because of bucket acl.")
}

// checkKeyID compares the access key id (not a secret, but compared in
// constant time anyway) and, for STS-style configs, the security token.
func (s *Server) checkKeyID(id, token string) *ossError {
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.AccessKeyID)) != 1 {
		return errInvalidAccessKeyID(id)
	}
	if s.cfg.SecurityToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.SecurityToken)) != 1 {
		return errInvalidSecurityToken(id)
	}
	return nil
}

// redactToken hides an STS token in text echoed back in an error document
// (the string to sign holds the x-oss-security-token header).
func redactToken(text, token string) string {
	if token == "" {
		return text
	}
	return strings.ReplaceAll(text, token, "<redacted>")
}

// checkSkew rejects request times more than maxClockSkew from now.
func (s *Server) checkSkew(t time.Time) *ossError {
	d := s.cfg.Now().Sub(t)
	if d > maxClockSkew || d < -maxClockSkew {
		return errRequestTimeTooSkewed()
	}
	return nil
}

// canonicalOSSHeaders renders the x-oss-* request headers (and, for V4, the
// default and additional signed headers selected by include) as
// "name:value\n" lines sorted by lower-case name. Values are trimmed, and
// repeated headers are joined with ',' as RFC 2616 section 4.2 merges them.
func canonicalHeaders(h http.Header, include func(lower string) bool) string {
	lowered := map[string][]string{}
	for k, vs := range h {
		lk := strings.ToLower(k)
		if include(lk) {
			lowered[lk] = append(lowered[lk], vs...)
		}
	}
	names := make([]string, 0, len(lowered))
	for k := range lowered {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, k := range names {
		vals := make([]string, len(lowered[k]))
		for i, v := range lowered[k] {
			vals[i] = strings.TrimSpace(v)
		}
		b.WriteString(k + ":" + strings.Join(vals, ",") + "\n")
	}
	return b.String()
}

// rawQueryPairs splits a raw query into decoded (key, value, hasValue)
// pairs in their original order.
type queryPair struct {
	key, value string
}

func rawQueryPairs(raw string) []queryPair {
	var out []queryPair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			dk = k
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			dv = v
		}
		out = append(out, queryPair{key: dk, value: dv})
	}
	return out
}

package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Signature V4 ("Include a V4 signature in the Authorization header"):
//
//	Authorization: OSS4-HMAC-SHA256 Credential=<id>/<yyyymmdd>/<region>/oss/aliyun_v4_request,
//	               [AdditionalHeaders=<h1;h2>,]Signature=<hex>
//
//	CanonicalRequest = VERB \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
//	                   AdditionalHeaders \n HashedPayload
//	StringToSign     = "OSS4-HMAC-SHA256" \n Timestamp \n Scope \n hex(SHA256(CanonicalRequest))
//	SigningKey       = HMAC chain over "aliyun_v4"+secret: date, region, "oss", "aliyun_v4_request"
const (
	v4Algorithm     = "OSS4-HMAC-SHA256"
	v4Terminator    = "aliyun_v4_request"
	v4TimeFormat    = "20060102T150405Z"
	v4DayFormat     = "20060102"
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

// v4Params are the parts of a V4 signature, from the header or the URL.
type v4Params struct {
	id, day, region, product string
	additional               []string
	signature                string
	timestamp                string // the raw x-oss-date (or Date) that was signed
	t                        time.Time
}

func parseCredential(c string, p *v4Params) bool {
	parts := strings.Split(c, "/")
	if len(parts) != 5 || parts[0] == "" || parts[4] != v4Terminator {
		return false
	}
	p.id, p.day, p.region, p.product = parts[0], parts[1], parts[2], parts[3]
	return true
}

func parseAdditional(v string) []string {
	var out []string
	for h := range strings.SplitSeq(v, ";") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// verifyV4Header checks an "Authorization: OSS4-HMAC-SHA256 ..." request.
// The timestamp is x-oss-date (ISO 8601 basic), or the Date header as sent
// verbatim: aliyun-oss-go-sdk v3 signs V4 requests with Date only.
func (s *Server) verifyV4Header(r *http.Request, rq *request, rest string) *ossError {
	var p v4Params
	var haveCred bool
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			haveCred = parseCredential(v, &p)
		case "AdditionalHeaders":
			p.additional = parseAdditional(v)
		case "Signature":
			p.signature = v
		}
	}
	if !haveCred || p.signature == "" {
		return errInvalidArgument("Authorization header is invalid: Credential and Signature are required.", "Authorization", "")
	}
	if oe := s.checkKeyID(p.id, r.Header.Get("x-oss-security-token")); oe != nil {
		return oe
	}
	var err error
	if p.timestamp = r.Header.Get("x-oss-date"); p.timestamp != "" {
		p.t, err = time.Parse(v4TimeFormat, p.timestamp)
	} else {
		p.timestamp = r.Header.Get("Date")
		p.t, err = http.ParseTime(p.timestamp)
	}
	if err != nil {
		return errAccessDenied("OSS authentication requires a valid Date.")
	}
	if oe := s.checkSkew(p.t); oe != nil {
		return oe
	}
	payload := r.Header.Get("x-oss-content-sha256")
	if payload == "" {
		return errInvalidArgument("Missing required header for this request: x-oss-content-sha256.", "x-oss-content-sha256", "")
	}
	return s.checkV4(r, rq, p, payload, "")
}

// verifyV4Query checks a V4 presigned URL: x-oss-signature-version,
// x-oss-credential, x-oss-date, x-oss-expires, x-oss-signature and optional
// x-oss-additional-headers / x-oss-security-token parameters.
func (s *Server) verifyV4Query(r *http.Request, rq *request) *ossError {
	q := rq.query
	var p v4Params
	if !parseCredential(q.Get("x-oss-credential"), &p) || q.Get("x-oss-signature") == "" {
		return errInvalidArgument("x-oss-credential and x-oss-signature are required in a V4 signed URL.", "x-oss-credential", "")
	}
	p.signature = q.Get("x-oss-signature")
	p.additional = parseAdditional(q.Get("x-oss-additional-headers"))
	if oe := s.checkKeyID(p.id, q.Get("x-oss-security-token")); oe != nil {
		return oe
	}
	p.timestamp = q.Get("x-oss-date")
	t, err := time.Parse(v4TimeFormat, p.timestamp)
	if err != nil {
		return errInvalidArgument("x-oss-date is invalid.", "x-oss-date", p.timestamp)
	}
	p.t = t
	exp, err := strconv.ParseInt(q.Get("x-oss-expires"), 10, 64)
	if err != nil || exp <= 0 {
		return errInvalidArgument("x-oss-expires is invalid.", "x-oss-expires", q.Get("x-oss-expires"))
	}
	if s.cfg.Now().After(t.Add(time.Duration(exp) * time.Second)) {
		return errAccessDenied("Request has expired.")
	}
	payload := r.Header.Get("x-oss-content-sha256")
	if payload == "" {
		payload = unsignedPayload
	}
	return s.checkV4(r, rq, p, payload, "x-oss-signature")
}

// checkV4 validates the scope and compares the signature; skipParam is the
// URL parameter that carries the signature itself and is not signed.
func (s *Server) checkV4(r *http.Request, rq *request, p v4Params, payload, skipParam string) *ossError {
	switch {
	case p.day != p.t.UTC().Format(v4DayFormat):
		return errInvalidArgument("Invalid signing date in Authorization header.", "Credential", p.day)
	case p.region != s.cfg.Region:
		return errInvalidArgument("Invalid signing region in Authorization header, expecting "+s.cfg.Region+".", "Credential", p.region)
	case p.product != "oss":
		return errInvalidArgument("Invalid signing product in Authorization header.", "Credential", p.product)
	}
	h := r.Header.Clone()
	h.Set("Host", r.Host) // net/http moves Host out of the header map
	for _, a := range p.additional {
		if h.Get(a) == "" {
			return errInvalidArgument("AdditionalHeaders names a header the request does not have.", "AdditionalHeaders", a)
		}
	}
	cr := canonicalRequestV4(r.Method, rq, r.URL.RawQuery, skipParam, h, p.additional, payload)
	scope := p.day + "/" + p.region + "/" + p.product + "/" + v4Terminator
	sum := sha256.Sum256([]byte(cr))
	sts := v4Algorithm + "\n" + p.timestamp + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	want := signV4(s.cfg.AccessKeySecret, p.day, p.region, p.product, sts)
	if !hmac.Equal([]byte(strings.ToLower(p.signature)), []byte(want)) {
		tok := s.cfg.SecurityToken
		return errSignatureDoesNotMatch(p.id, sts, redactToken(redactToken(cr, tok), uriEncode(tok, true)))
	}
	return nil
}

// canonicalRequestV4 builds the V4 canonical request.
//   - Canonical URI: "/bucket/key" ("/bucket/" for bucket operations, "/"
//     for ListBuckets), URI-encoded except for '/'.
//   - Canonical query: every parameter (but the signature), key and value
//     URI-encoded, sorted by encoded key; "key" alone when the value is empty.
//   - Canonical headers: content-type, content-md5, every x-oss-* header and
//     the AdditionalHeaders, lower-case and sorted, "name:trimmed value\n".
func canonicalRequestV4(method string, rq *request, rawQuery, skipParam string, h http.Header, additional []string, payload string) string {
	uri := "/"
	if rq.bucket != "" {
		uri += rq.bucket + "/" + rq.key
	}
	type pair struct{ k, v string }
	var pairs []pair
	for _, p := range rawQueryPairs(rawQuery) {
		if skipParam != "" && p.key == skipParam {
			continue
		}
		pairs = append(pairs, pair{uriEncode(p.key, true), uriEncode(p.value, true)})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	qs := make([]string, len(pairs))
	for i, p := range pairs {
		qs[i] = p.k
		if p.v != "" {
			qs[i] += "=" + p.v
		}
	}
	extra := setOf(additional...)
	headers := canonicalHeaders(h, func(k string) bool {
		return k == "content-type" || k == "content-md5" || strings.HasPrefix(k, "x-oss-") || extra[k]
	})
	return method + "\n" + uriEncode(uri, false) + "\n" + strings.Join(qs, "&") + "\n" + headers + "\n" +
		strings.Join(additional, ";") + "\n" + payload
}

// uriEncode percent-encodes every byte except the RFC 3986 unreserved
// characters (A-Z a-z 0-9 - _ . ~) and, when encodeSlash is false, '/'.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// signV4 derives the signing key and signs stringToSign.
func signV4(secret, day, region, product, stringToSign string) string {
	mac := func(key []byte, data string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(data))
		return m.Sum(nil)
	}
	k := mac([]byte("aliyun_v4"+secret), day)
	k = mac(k, region)
	k = mac(k, product)
	k = mac(k, v4Terminator)
	return hex.EncodeToString(mac(k, stringToSign))
}

package server

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// v1SubResources are the URL parameters that signature V1 puts in the
// CanonicalizedResource ("Include a V1 signature in the Authorization
// header": sub-resources such as acl, uploads, uploadId, partNumber,
// response-* overrides, continuation-token...). Any other parameter, such as
// prefix or max-keys, is not signed. Parameters starting with "x-oss-" are
// signed too.
var v1SubResources = setOf(
	"acl", "uploads", "location", "cors", "logging", "website", "referer", "lifecycle",
	"delete", "append", "tagging", "objectMeta", "uploadId", "partNumber", "security-token",
	"position", "img", "style", "styleName", "replication", "replicationProgress",
	"replicationLocation", "cname", "bucketInfo", "comp", "qos", "live", "status", "vod",
	"startTime", "endTime", "symlink", "x-oss-process", "response-content-type",
	"x-oss-traffic-limit", "response-content-language", "response-expires",
	"response-cache-control", "response-content-disposition", "response-content-encoding",
	"udf", "udfName", "udfImage", "udfId", "udfImageDesc", "udfApplication",
	"udfApplicationLog", "restore", "callback", "callback-var", "qosInfo", "policy", "stat",
	"encryption", "versions", "versioning", "versionId", "requestPayment",
	"x-oss-request-payer", "sequential", "inventory", "inventoryId", "continuation-token",
	"asyncFetch", "worm", "wormId", "wormExtend", "withHashContext", "x-oss-enable-md5",
	"x-oss-enable-sha1", "x-oss-enable-sha256", "x-oss-hash-ctx", "x-oss-md5-ctx",
	"transferAcceleration", "regionList", "cloudboxes", "x-oss-ac-source-ip",
	"x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-ac-forward-allow", "metaQuery",
	"resourceGroup", "rtc", "x-oss-async-process", "responseHeader",
)

func setOf(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// canonicalResourceV1 is "/bucket/key" ("/bucket/" for bucket operations,
// "/" for ListBuckets) followed by the signed sub-resources sorted by name,
// "name=value" or just "name" when the value is empty, values not encoded.
func canonicalResourceV1(rq *request, rawQuery string) string {
	res := "/"
	if rq.bucket != "" {
		res += rq.bucket + "/" + rq.key
	}
	var subs []queryPair
	for _, p := range rawQueryPairs(rawQuery) {
		if v1SubResources[p.key] || strings.HasPrefix(p.key, "x-oss-") {
			subs = append(subs, p)
		}
	}
	if len(subs) == 0 {
		return res
	}
	slices.SortStableFunc(subs, func(a, b queryPair) int { return strings.Compare(a.key, b.key) })
	parts := make([]string, len(subs))
	for i, p := range subs {
		parts[i] = p.key
		if p.value != "" {
			parts[i] += "=" + p.value
		}
	}
	return res + "?" + strings.Join(parts, "&")
}

// stringToSignV1 is VERB, Content-MD5, Content-Type and Date on their own
// lines, then CanonicalizedOSSHeaders and CanonicalizedResource.
func stringToSignV1(r *http.Request, date, resource string) string {
	headers := canonicalHeaders(r.Header, func(k string) bool { return strings.HasPrefix(k, "x-oss-") })
	return r.Method + "\n" + r.Header.Get("Content-MD5") + "\n" + r.Header.Get("Content-Type") + "\n" +
		date + "\n" + headers + resource
}

func signV1(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// verifyV1Header checks "Authorization: OSS AccessKeyId:Signature". The
// Date line is the x-oss-date header when present (ali-oss sends it), else
// the Date header (the Go SDK), per the V1 reference.
func (s *Server) verifyV1Header(r *http.Request, rq *request, cred string) *ossError {
	id, sig, ok := strings.Cut(cred, ":")
	if !ok || id == "" || sig == "" {
		return errInvalidArgument("Authorization header is invalid.", "Authorization", "")
	}
	if oe := s.checkKeyID(id, r.Header.Get("x-oss-security-token")); oe != nil {
		return oe
	}
	date := r.Header.Get("x-oss-date")
	if date == "" {
		date = r.Header.Get("Date")
	}
	t, err := http.ParseTime(date)
	if err != nil {
		return errAccessDenied("OSS authentication requires a valid Date.")
	}
	if oe := s.checkSkew(t); oe != nil {
		return oe
	}
	sts := stringToSignV1(r, date, canonicalResourceV1(rq, r.URL.RawQuery))
	if !hmac.Equal([]byte(sig), []byte(signV1(s.cfg.AccessKeySecret, sts))) {
		return errSignatureDoesNotMatch(id, redactToken(sts, s.cfg.SecurityToken), "")
	}
	return nil
}

// verifyV1Query checks a V1 presigned URL: OSSAccessKeyId, Expires (Unix
// seconds, which takes the Date line) and Signature parameters.
func (s *Server) verifyV1Query(r *http.Request, rq *request) *ossError {
	q := rq.query
	id, expires, sig := q.Get("OSSAccessKeyId"), q.Get("Expires"), q.Get("Signature")
	if id == "" || expires == "" || sig == "" {
		return errAccessDenied("OSSAccessKeyId, Expires and Signature are all required in a signed URL.")
	}
	if oe := s.checkKeyID(id, q.Get("security-token")); oe != nil {
		return oe
	}
	exp, err := strconv.ParseInt(expires, 10, 64)
	if err != nil {
		return errInvalidArgument("Expires is not a valid Unix time.", "Expires", expires)
	}
	if s.cfg.Now().After(time.Unix(exp, 0)) {
		return errAccessDenied("Request has expired.")
	}
	sts := stringToSignV1(r, expires, canonicalResourceV1(rq, r.URL.RawQuery))
	if !hmac.Equal([]byte(sig), []byte(signV1(s.cfg.AccessKeySecret, sts))) {
		return errSignatureDoesNotMatch(id, redactToken(sts, s.cfg.SecurityToken), "")
	}
	return nil
}

package server

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// OSS API operation names, as the OSS API reference spells them. They name
// operations in logs and in Config.FaultOps.
const (
	opListBuckets             = "ListBuckets"
	opGetBucketInfo           = "GetBucketInfo"
	opGetBucketLocation       = "GetBucketLocation"
	opHeadBucket              = "HeadBucket"
	opPutBucket               = "PutBucket"
	opDeleteBucket            = "DeleteBucket"
	opListObjects             = "ListObjects"
	opListObjectsV2           = "ListObjectsV2"
	opGetObject               = "GetObject"
	opHeadObject              = "HeadObject"
	opGetObjectMeta           = "GetObjectMeta"
	opPutObject               = "PutObject"
	opCopyObject              = "CopyObject"
	opDeleteObject            = "DeleteObject"
	opRestoreObject           = "RestoreObject"
	opInitiateMultipartUpload = "InitiateMultipartUpload"
	opUploadPart              = "UploadPart"
	opCompleteMultipartUpload = "CompleteMultipartUpload"
	opAbortMultipartUpload    = "AbortMultipartUpload"
	opListParts               = "ListParts"
	opDeleteMultipleObjects   = "DeleteMultipleObjects"
)

// request is a parsed OSS request.
type request struct {
	id          string
	bucket      string
	key         string
	query       url.Values
	op          string    // "" when unsupported
	unsupported *ossError // why op is ""
	virtualHost bool      // bucket came from the Host header
	resetBody   bool      // fault injection: cut this GetObject mid-body
}

// parse finds the bucket, key and operation of r.
//
// Addressing (OSS "access a bucket"): virtual-hosted style puts the bucket
// in the Host ("bucket.oss-cn-hangzhou.aliyuncs.com/key"); path style puts it
// first in the path ("127.0.0.1:9000/bucket/key"). The Go SDK uses path style
// for IP endpoints and with oss.ForcePathStyle(true); ali-oss, given an IP
// endpoint, sends path "/key" with Host "bucket.oss-<region>.aliyuncs.com".
func (s *Server) parse(r *http.Request, id string) *request {
	rq := &request{id: id, query: r.URL.Query()}
	path := strings.TrimPrefix(r.URL.Path, "/")
	if b, ok := s.virtualBucket(r.Host); ok {
		rq.bucket, rq.key, rq.virtualHost = b, path, true
	} else {
		rq.bucket, rq.key, _ = strings.Cut(path, "/")
	}
	rq.op, rq.unsupported = operation(r, rq)
	return rq
}

// virtualBucket extracts the bucket from a virtual-hosted-style Host.
func (s *Server) virtualBucket(hostport string) (string, bool) {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "" || net.ParseIP(host) != nil {
		return "", false
	}
	// <bucket>.<endpoint>.aliyuncs.com: the endpoint itself has 3 labels.
	if strings.HasSuffix(host, ".aliyuncs.com") {
		if labels := strings.Split(host, "."); len(labels) >= 4 {
			return labels[0], true
		}
		return "", false
	}
	for _, d := range append([]string{"localhost"}, s.cfg.Domains...) {
		d = strings.ToLower(strings.Trim(d, "."))
		if b, ok := strings.CutSuffix(host, "."+d); ok && b != "" && !strings.Contains(b, ".") {
			return b, true
		}
	}
	return "", false
}

// has reports whether the query holds parameter k (with or without value).
func has(q url.Values, k string) bool {
	_, ok := q[k]
	return ok
}

// bucketSubresources are the bucket sub-resources osslocal does not serve;
// a request naming one answers NotImplemented instead of being mistaken for
// a listing or a bucket creation.
var bucketSubresources = []string{
	"acl", "cors", "lifecycle", "logging", "website", "referer", "policy", "tagging",
	"versioning", "versions", "encryption", "inventory", "worm", "replication",
	"requestPayment", "stat", "qos", "transferAcceleration", "uploads", "delete",
}

// objectSubresources are object sub-resources osslocal does not serve.
var objectSubresources = []string{"acl", "tagging", "symlink", "append", "objectMeta", "select", "x-oss-process"}

func anyOf(q url.Values, keys []string) bool {
	for _, k := range keys {
		if has(q, k) {
			return true
		}
	}
	return false
}

// operation names the OSS API a request calls, following the method and
// sub-resource table of the OSS API reference.
func operation(r *http.Request, rq *request) (string, *ossError) {
	q := rq.query
	switch {
	case rq.bucket == "":
		if r.Method == http.MethodGet {
			return opListBuckets, nil
		}
		return "", errMethodNotAllowed()
	case rq.key == "":
		return bucketOperation(r.Method, q)
	}
	switch r.Method {
	case http.MethodGet:
		if has(q, "uploadId") {
			return opListParts, nil
		}
		if anyOf(q, objectSubresources) {
			return "", errNotImplemented()
		}
		return opGetObject, nil
	case http.MethodHead:
		if has(q, "objectMeta") {
			return opGetObjectMeta, nil
		}
		return opHeadObject, nil
	case http.MethodPut:
		switch {
		case has(q, "partNumber") && has(q, "uploadId"):
			if r.Header.Get("x-oss-copy-source") != "" {
				return "", errNotImplemented() // UploadPartCopy
			}
			return opUploadPart, nil
		case anyOf(q, objectSubresources):
			return "", errNotImplemented() // PutObjectACL, PutObjectTagging, ...
		case r.Header.Get("x-oss-copy-source") != "":
			return opCopyObject, nil
		}
		return opPutObject, nil
	case http.MethodPost:
		switch {
		case has(q, "uploads"):
			return opInitiateMultipartUpload, nil
		case has(q, "uploadId"):
			return opCompleteMultipartUpload, nil
		case has(q, "restore"):
			return opRestoreObject, nil
		}
		return "", errNotImplemented()
	case http.MethodDelete:
		if has(q, "uploadId") {
			return opAbortMultipartUpload, nil
		}
		if anyOf(q, objectSubresources) {
			return "", errNotImplemented()
		}
		return opDeleteObject, nil
	}
	return "", errMethodNotAllowed()
}

func bucketOperation(method string, q url.Values) (string, *ossError) {
	switch method {
	case http.MethodGet:
		switch {
		case has(q, "bucketInfo"):
			return opGetBucketInfo, nil
		case has(q, "location"):
			return opGetBucketLocation, nil
		case anyOf(q, bucketSubresources):
			return "", errNotImplemented()
		case q.Get("list-type") == "2":
			return opListObjectsV2, nil
		}
		return opListObjects, nil
	case http.MethodHead:
		return opHeadBucket, nil
	case http.MethodPut:
		if len(q) == 0 || (len(q) == 1 && has(q, "security-token")) {
			return opPutBucket, nil
		}
		return "", errNotImplemented()
	case http.MethodDelete:
		if anyOf(q, bucketSubresources) {
			return "", errNotImplemented()
		}
		return opDeleteBucket, nil
	case http.MethodPost:
		if has(q, "delete") {
			return opDeleteMultipleObjects, nil
		}
		return "", errNotImplemented()
	}
	return "", errMethodNotAllowed()
}

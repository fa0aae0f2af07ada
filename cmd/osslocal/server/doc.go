// Package server implements osslocal, a local Alibaba Cloud OSS-compatible
// HTTP server over a folder, for demos and tests. Each sub-folder of
// Config.Root whose name is a valid bucket name is a bucket; the files below
// it are its objects, keyed by their relative path with '/'.
//
// # Clients
//
// The server listens on an IP address (127.0.0.1:9000 by default) and
// accepts path-style requests ("/bucket/key") and virtual-hosted-style
// requests (bucket in the Host header: "bucket.localhost",
// "bucket.oss-cn-hangzhou.aliyuncs.com", or "bucket.<d>" for each
// Config.Domains entry d). Every other host, IP addresses included, is path
// style.
//
// Go, github.com/aliyun/aliyun-oss-go-sdk/oss (v3): give an IP endpoint,
// which the SDK addresses path style by itself; with a host name add
// oss.ForcePathStyle(true). The SDK signs V1 by default; V4 needs the
// version and the server's region:
//
//	c, err := oss.New("http://127.0.0.1:9000", id, secret)                 // V1
//	c, err := oss.New("http://127.0.0.1:9000", id, secret,
//		oss.AuthVersion(oss.AuthV4), oss.Region("cn-hangzhou"))         // V4
//	c, err := oss.New("http://localhost:9000", id, secret, oss.ForcePathStyle(true))
//
// The SDK returns service errors as the value type oss.ServiceError, so
// match them with var se oss.ServiceError; errors.As(err, &se).
//
// Node, ali-oss: give the IP endpoint and the region (ali-oss spells it
// "oss-cn-hangzhou"); it then sends "/key" with Host
// "<bucket>.oss-cn-hangzhou.aliyuncs.com", which the server routes by Host.
// Leave cname and sldEnable unset. V4 is authorizationV4: true:
//
//	new OSS({ endpoint: 'http://127.0.0.1:9000', region: 'oss-cn-hangzhou',
//	  bucket, accessKeyId, accessKeySecret, authorizationV4: true })
//
// ali-oss refuses to presign V1 URLs for IP endpoints; a client with
// endpoint 'http://localhost:9000' presigns "http://<bucket>.localhost:9000/…"
// URLs, which work wherever *.localhost resolves to the loopback address.
//
// # Authentication
//
// Requests must be signed with Config.AccessKeyID/AccessKeySecret, as OSS
// checks them:
//   - V1: "Authorization: OSS id:base64(HMAC-SHA1)" over VERB, Content-MD5,
//     Content-Type, Date (x-oss-date when present), the x-oss-* headers and
//     the canonicalized resource with its signed sub-resources; and V1
//     presigned URLs (OSSAccessKeyId, Expires, Signature).
//   - V4: "Authorization: OSS4-HMAC-SHA256 Credential=id/date/region/oss/
//     aliyun_v4_request, [AdditionalHeaders=...,] Signature=..." with
//     x-oss-content-sha256 required; and V4 presigned URLs
//     (x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires,
//     x-oss-signature). The signing region must be Config.Region.
//
// Request times more than 15 minutes away from the server clock answer 403
// RequestTimeTooSkewed; expired presigned URLs 403 AccessDenied. With
// Config.SecurityToken set, requests must also carry that STS token.
// Failures answer OSS's XML error document (Code, Message, RequestId,
// HostId, and StringToSign or CanonicalRequest for SignatureDoesNotMatch);
// HEAD answers carry it base64-encoded in x-oss-err, as OSS does. Every
// response has an x-oss-request-id. Secrets and signatures are never logged
// or echoed.
//
// # Operations
//
// ListBuckets, PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation,
// ListObjects (marker paging), ListObjectsV2 (continuation tokens,
// start-after, fetch-owner), both with prefix, delimiter, max-keys (default
// 100, at most 1000) and encoding-type=url; GetObject (single byte range,
// conditional headers, response-* overrides), HeadObject, GetObjectMeta,
// PutObject (Content-MD5 checked), CopyObject (x-oss-copy-source within
// or across the server's buckets, x-oss-metadata-directive COPY or
// REPLACE), DeleteObject, DeleteMultipleObjects, RestoreObject, and
// multipart upload (InitiateMultipartUpload, UploadPart,
// CompleteMultipartUpload, AbortMultipartUpload, ListParts). PutObject,
// CopyObject and CompleteMultipartUpload honour x-oss-forbid-overwrite:
// true (409 FileAlreadyExists when the key exists; a copy of an object onto
// itself ignores it, as OSS does; a refused upload can still be aborted).
// Anything else answers 501 NotImplemented.
//
// Listings walk the folder tree in key order without reading file contents
// and stop after max-keys entries. Ranges follow OSS: an unsatisfiable range
// is ignored (200, whole object) unless the request has
// "x-oss-range-behavior: standard", which makes it 416 InvalidRange.
//
// # Storage
//
// Uploads are spooled to Root/.osslocal/tmp and renamed into place, so a
// reader never sees half an object. Multipart parts are staged in
// Root/.osslocal/uploads, and per-object metadata (ETag, CRC-64, content
// type, x-oss-meta-*, storage class, restore state) in sidecar files under
// Root/.osslocal/meta; listings never look there. Objects written through
// the API have OSS's ETags: the upper-case hex MD5 of the content for
// PutObject, "<MD5 of the part MD5s>-<parts>" for multipart uploads. Files
// placed in the folder by hand (or changed by hand later) have an ETag that
// is the MD5 of their key, size and modification time instead, so that
// listing never reads them, and no x-oss-hash-crc64ecma.
//
// An object becomes Archive (or ColdArchive, DeepColdArchive) when uploaded
// with the x-oss-storage-class header, or when marked with SetStorageClass.
// GetObject then answers 403 InvalidObjectState until RestoreObject was
// called and Config.RestoreDelay has passed; HEAD reports x-oss-restore.
// Config.DenyPrefixes makes objects answer 403 AccessDenied while staying
// listed, as does a file the server process may not read.
//
// # Faults
//
// ErrorRate answers a fraction of requests 500 InternalError, ThrottleRate
// 503 ServiceUnavailable, ResetRate cuts a fraction of GetObject bodies
// halfway (the connection is hijacked and closed, so clients read an
// unexpected EOF), and Latency delays requests; FaultOps limits all of them
// to the named operations. Decisions come from a generator seeded with
// Config.Seed, so a given sequence of requests fails the same way each run.
//
// # Differences from OSS
//
// Keys must map to a folder tree: empty, "." and ".." segments are refused
// (InvalidObjectName), "a" and "a/b" cannot both exist, and keys ending in
// '/' are empty folder markers. There is no versioning, ACL, tagging,
// UploadPartCopy, AppendObject, lifecycle or signature V2, and CopyObject
// takes no x-oss-copy-source-if-* conditions; Owner IDs are fixed.
package server

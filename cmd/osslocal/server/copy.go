package server

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"hash/crc64"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// copyResultXML is the body of a CopyObject answer.
type copyResultXML struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
}

// copyObject answers CopyObject: PUT of the destination key with
// x-oss-copy-source: /bucket/key (the key URL-encoded: the Go SDK escapes it
// as a query value, ali-oss as a URI component). The source may be in any
// bucket of the server; it must be readable as GetObject would read it
// (not denied, and an Archive object restored). x-oss-metadata-directive
// COPY (the default) keeps the source's content type, user metadata and
// content headers; REPLACE takes them from the request, as PutObject does.
// x-oss-forbid-overwrite: true refuses an existing destination with 409
// FileAlreadyExists, as PutObject and CompleteMultipartUpload do, except for
// a copy of an object onto itself, where OSS ignores it. The copy keeps the
// source's ETag and object type.
func (s *Server) copyObject(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	header := r.Header.Get("x-oss-copy-source")
	raw := strings.TrimPrefix(header, "/")
	if i := strings.Index(raw, "?"); i >= 0 {
		return errInvalidArgument("osslocal has no versioning: a versioned copy source is not supported.", "x-oss-copy-source", header)
	}
	decoded, err := url.QueryUnescape(raw)
	srcBucket, srcKey, ok := strings.Cut(decoded, "/")
	if err != nil || !ok || srcKey == "" {
		return errInvalidArgument("Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.", "x-oss-copy-source", header)
	}
	if !validBucketName(srcBucket) {
		return errInvalidBucketName(srcBucket)
	}
	if !s.store.bucketExists(srcBucket) {
		return errNoSuchBucket(srcBucket)
	}
	if oe := checkKey(srcKey); oe != nil {
		return oe
	}
	if s.denied(srcBucket, srcKey) {
		return errAccessDenied("You have no right to access this object because of bucket acl.")
	}
	if strings.HasSuffix(rq.key, "/") || strings.HasSuffix(srcKey, "/") {
		return errInvalidArgument("osslocal cannot copy to or from a key ending in '/'.", "key", rq.key)
	}
	directive := strings.ToUpper(r.Header.Get("x-oss-metadata-directive"))
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return errInvalidArgument("Unknown metadata directive.", "x-oss-metadata-directive", r.Header.Get("x-oss-metadata-directive"))
	}
	srcRq := &request{id: rq.id, bucket: srcBucket, key: srcKey}
	info, f, oe := s.openObject(srcRq)
	if oe != nil {
		return oe
	}
	defer f.Close()
	if isFrozen(info.StorageClass) && !s.restored(info) {
		return errInvalidObjectState(srcKey)
	}

	meta := info.objectMeta
	meta.RestoreAt, meta.RestoreDays = 0, 0
	if v := r.Header.Get("x-oss-storage-class"); v != "" || directive == "REPLACE" {
		m, oe := uploadMeta(r, rq.key)
		if oe != nil {
			return oe
		}
		meta.StorageClass = m.StorageClass
		if directive == "REPLACE" {
			meta.ContentType, meta.UserMeta, meta.Headers = m.ContentType, m.UserMeta, m.Headers
		}
	}
	if meta.ObjectType == "" {
		meta.ObjectType = typeNormal
	}

	tmp, err := os.CreateTemp(s.store.tmpDir(), "copy-*")
	if err != nil {
		return s.internal(rq, "copy object", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	sum, crc := md5.New(), crc64.New(crcTable)
	_, err = io.Copy(io.MultiWriter(tmp, sum, crc), f)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return s.internal(rq, "copy object", err)
	}
	meta.CRC64 = strconv.FormatUint(crc.Sum64(), 10)
	if meta.ObjectType == typeNormal {
		// A file placed by hand has a made-up ETag; the copy, written
		// through the API, gets the MD5 of its content.
		raw := sum.Sum(nil)
		meta.ETag, meta.MD5 = strings.ToUpper(hex.EncodeToString(raw)), base64.StdEncoding.EncodeToString(raw)
	}

	unlock := s.store.lock(rq.bucket, rq.key)
	defer unlock()
	if srcBucket != rq.bucket || srcKey != rq.key {
		if oe := s.checkOverwrite(r, rq); oe != nil {
			return oe
		}
	}
	if err := s.store.commit(rq.bucket, rq.key, tmp.Name(), &meta); err != nil {
		return s.commitError(rq, err)
	}
	w.Header().Set("ETag", quoteETag(meta.ETag))
	w.Header().Set("x-oss-hash-crc64ecma", meta.CRC64)
	writeXML(w, http.StatusOK, copyResultXML{ETag: quoteETag(meta.ETag),
		LastModified: time.Unix(0, meta.ModTimeNS).UTC().Format(isoTimeFormat)})
	return nil
}

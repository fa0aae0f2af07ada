package server

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// responseOverrides are the GetObject parameters that replace a response
// header ("response-content-type=..." sets Content-Type, and so on).
var responseOverrides = map[string]string{
	"response-content-type": "Content-Type", "response-content-language": "Content-Language",
	"response-expires": "Expires", "response-cache-control": "Cache-Control",
	"response-content-disposition": "Content-Disposition", "response-content-encoding": "Content-Encoding",
}

// openObject finds bucket/key and, for files, opens it. Folder markers have
// no file (f is nil) and an empty body.
func (s *Server) openObject(rq *request) (objectInfo, *os.File, *ossError) {
	if strings.HasSuffix(rq.key, "/") {
		info, err := s.store.stat(rq.bucket, rq.key)
		if err != nil {
			return objectInfo{}, nil, s.statError(rq, err)
		}
		return info, nil, nil
	}
	p := s.store.objectPath(rq.bucket, rq.key)
	f, err := os.Open(p)
	if err != nil {
		return objectInfo{}, nil, s.statError(rq, err)
	}
	fi, err := f.Stat()
	if err == nil {
		var info objectInfo
		if info, err = s.store.info(rq.bucket, rq.key, p, fi); err == nil {
			return info, f, nil
		}
	}
	_ = f.Close()
	return objectInfo{}, nil, s.statError(rq, err)
}

// statError maps a file-system error about an object to its OSS answer: a
// missing file is NoSuchKey, a file the server may not read is AccessDenied.
func (s *Server) statError(rq *request, err error) *ossError {
	switch {
	case isNotExist(err):
		return errNoSuchKey(rq.key)
	case errors.Is(err, fs.ErrPermission):
		return errAccessDenied("You have no right to access this object.")
	}
	return s.internal(rq, "open object", err)
}

// objectHeaders sets the headers GetObject and HeadObject share.
func (s *Server) objectHeaders(h http.Header, info objectInfo) {
	h.Set("Content-Type", info.ContentType)
	h.Set("ETag", quoteETag(info.ETag))
	h.Set("Last-Modified", info.modTime.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-oss-object-type", info.ObjectType)
	h.Set("x-oss-storage-class", info.StorageClass)
	if info.CRC64 != "" {
		h.Set("x-oss-hash-crc64ecma", info.CRC64)
	}
	if info.MD5 != "" {
		h.Set("Content-MD5", info.MD5)
	}
	for k, v := range info.UserMeta {
		h.Set("x-oss-meta-"+k, v)
	}
	for k, v := range info.Headers {
		h.Set(k, v)
	}
	if v := s.restoreHeader(info); v != "" {
		h.Set("x-oss-restore", v)
	}
}

// preconditions answers 304 (headers only) or 412 when a conditional
// header fails; done reports that the response is decided.
func (s *Server) preconditions(w http.ResponseWriter, r *http.Request, info objectInfo) (done bool, oe *ossError) {
	switch checkConditions(r, info.ETag, info.modTime) {
	case http.StatusNotModified:
		w.Header().Set("ETag", quoteETag(info.ETag))
		w.Header().Set("Last-Modified", info.modTime.UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusNotModified)
		return true, nil
	case http.StatusPreconditionFailed:
		return true, errPreconditionFailed()
	}
	return false, nil
}

// getObject answers GetObject: conditional headers, a single byte range,
// response-* overrides, and 403 InvalidObjectState for Archive-class objects
// that are not restored.
func (s *Server) getObject(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	info, f, oe := s.openObject(rq)
	if oe != nil {
		return oe
	}
	if f != nil {
		defer f.Close()
	}
	if isFrozen(info.StorageClass) && !s.restored(info) {
		return errInvalidObjectState(rq.key)
	}
	if done, oe := s.preconditions(w, r, info); done {
		return oe
	}
	rng, oe := parseRange(r.Header.Get("Range"), info.Size, r.Header.Get("x-oss-range-behavior") == "standard")
	if oe != nil {
		return oe
	}
	h := w.Header()
	s.objectHeaders(h, info)
	for param, header := range responseOverrides {
		if v, ok := rq.query[param]; ok {
			h.Set(header, v[0])
		}
	}
	start, n, status := int64(0), info.Size, http.StatusOK
	if rng != nil {
		start, n, status = rng.start, rng.length, http.StatusPartialContent
		h.Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(start+n-1, 10)+"/"+strconv.FormatInt(info.Size, 10))
		h.Del("Content-MD5") // describes the whole object, not the range
	}
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	w.WriteHeader(status)
	if f == nil || n == 0 || r.Method == http.MethodHead {
		return nil
	}
	body := io.NewSectionReader(f, start, n)
	if rq.resetBody {
		// Fault injection: send half of the body, then cut the connection.
		_, _ = io.CopyN(w, body, n/2)
		cutConnection(w)
		return nil
	}
	_, _ = io.Copy(w, body)
	return nil
}

// headObject answers HeadObject and GetObjectMeta. Archive objects can be
// inspected without a restore; x-oss-restore tells their restore state.
func (s *Server) headObject(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	info, err := s.store.stat(rq.bucket, rq.key)
	if err != nil {
		return s.statError(rq, err)
	}
	if done, oe := s.preconditions(w, r, info); done {
		return oe
	}
	s.objectHeaders(w.Header(), info)
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	w.WriteHeader(http.StatusOK)
	return nil
}

// emptyMD5 is the MD5 of zero bytes, the ETag of every empty object.
var emptyMD5 = md5.Sum(nil)

// putObject answers PutObject: the body is spooled to a temporary file,
// checked against Content-MD5, and renamed into place, so readers never see
// a partial object. x-oss-forbid-overwrite: true refuses to replace a key.
func (s *Server) putObject(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	meta, oe := uploadMeta(r, rq.key)
	if oe != nil {
		return oe
	}
	meta.ObjectType = typeNormal
	if strings.HasSuffix(rq.key, "/") {
		return s.putFolderMarker(w, r, rq, meta)
	}
	rc, oe := s.receive(rq, r.Body, r.Header.Get("Content-MD5"))
	if oe != nil {
		return oe
	}
	defer os.Remove(rc.tmp) // no-op once renamed
	meta.ETag, meta.MD5, meta.CRC64 = rc.etag(), rc.md5B64(), rc.crcString()

	unlock := s.store.lock(rq.bucket, rq.key)
	defer unlock()
	if oe := s.checkOverwrite(r, rq); oe != nil {
		return oe
	}
	if err := s.store.commit(rq.bucket, rq.key, rc.tmp, &meta); err != nil {
		return s.commitError(rq, err)
	}
	h := w.Header()
	h.Set("ETag", quoteETag(meta.ETag))
	h.Set("Content-MD5", meta.MD5)
	h.Set("x-oss-hash-crc64ecma", meta.CRC64)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// checkOverwrite applies x-oss-forbid-overwrite: true (409 FileAlreadyExists).
func (s *Server) checkOverwrite(r *http.Request, rq *request) *ossError {
	if !strings.EqualFold(r.Header.Get("x-oss-forbid-overwrite"), "true") {
		return nil
	}
	if _, err := s.store.stat(rq.bucket, rq.key); err == nil {
		return errFileAlreadyExists()
	}
	return nil
}

// putFolderMarker stores a key ending in '/' as a folder plus its sidecar.
// Such keys are usually empty "folder" placeholders; osslocal cannot hold
// content for them.
func (s *Server) putFolderMarker(w http.ResponseWriter, r *http.Request, rq *request, meta objectMeta) *ossError {
	if n, _ := io.CopyN(io.Discard, r.Body, 1); n > 0 {
		return errInvalidArgument("osslocal stores keys ending in '/' as folders and cannot keep content for them.", "key", rq.key)
	}
	unlock := s.store.lock(rq.bucket, rq.key)
	defer unlock()
	if oe := s.checkOverwrite(r, rq); oe != nil {
		return oe
	}
	if err := os.MkdirAll(s.store.objectPath(rq.bucket, rq.key), 0o755); err != nil {
		return s.commitError(rq, errKeyConflict)
	}
	meta.DirMarker = true
	meta.ETag = strings.ToUpper(hex.EncodeToString(emptyMD5[:]))
	meta.MD5 = base64.StdEncoding.EncodeToString(emptyMD5[:])
	meta.CRC64 = "0"
	meta.ModTimeNS = time.Now().UnixNano()
	if err := s.store.writeMeta(rq.bucket, meta); err != nil {
		return s.internal(rq, "store folder marker", err)
	}
	w.Header().Set("ETag", quoteETag(meta.ETag))
	w.Header().Set("x-oss-hash-crc64ecma", meta.CRC64)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteObject answers DeleteObject: 204 whether or not the key existed.
func (s *Server) deleteObject(w http.ResponseWriter, _ *http.Request, rq *request) *ossError {
	unlock := s.store.lock(rq.bucket, rq.key)
	defer unlock()
	if err := s.store.remove(rq.bucket, rq.key); err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return errAccessDenied("You have no right to delete this object.")
		}
		return s.internal(rq, "delete object", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

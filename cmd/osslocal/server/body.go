package server

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// crcTable is CRC-64/ECMA-182, the x-oss-hash-crc64ecma checksum the SDKs
// verify after uploads and full downloads.
var crcTable = crc64.MakeTable(crc64.ECMA)

// errKeyConflict reports a key the folder tree cannot hold next to another
// one ("a" and "a/b" cannot both be files).
var errKeyConflict = errors.New("key conflicts with an existing object or folder")

// received is a request body spooled to a temporary file.
type received struct {
	tmp  string
	size int64
	md5  []byte
	crc  uint64
}

func (rc received) etag() string   { return strings.ToUpper(hex.EncodeToString(rc.md5)) }
func (rc received) md5B64() string { return base64.StdEncoding.EncodeToString(rc.md5) }
func (rc received) crcString() string {
	return strconv.FormatUint(rc.crc, 10)
}

func errIncompleteBody() *ossError {
	return &ossError{status: http.StatusBadRequest, code: "IncompleteBody",
		message: "You did not provide the number of bytes specified by the Content-Length HTTP header."}
}

// receive streams a request body into a temporary file under Root/.osslocal
// while hashing it, and checks Content-MD5 when the client sent one
// (PutObject/UploadPart: InvalidDigest on mismatch). The caller removes
// rc.tmp unless it renamed it.
func (s *Server) receive(rq *request, body io.Reader, contentMD5 string) (received, *ossError) {
	var want []byte
	if contentMD5 != "" {
		b, err := base64.StdEncoding.DecodeString(contentMD5)
		if err != nil || len(b) != md5.Size {
			return received{}, errInvalidDigest()
		}
		want = b
	}
	f, err := os.CreateTemp(s.store.tmpDir(), "body-*")
	if err != nil {
		return received{}, s.internal(rq, "create temporary file", err)
	}
	rc := received{tmp: f.Name()}
	m, c := md5.New(), crc64.New(crcTable)
	n, err := io.Copy(io.MultiWriter(f, m, c), body)
	if cerr := f.Close(); err == nil && cerr != nil {
		_ = os.Remove(rc.tmp)
		return received{}, s.internal(rq, "write temporary file", cerr)
	}
	if err != nil {
		_ = os.Remove(rc.tmp)
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return received{}, s.internal(rq, "write temporary file", err)
		}
		return received{}, errIncompleteBody()
	}
	rc.size, rc.md5, rc.crc = n, m.Sum(nil), c.Sum64()
	if want != nil && string(want) != string(rc.md5) {
		_ = os.Remove(rc.tmp)
		return received{}, errInvalidDigest()
	}
	return rc, nil
}

// commit moves a spooled body into place as bucket/key and writes its
// sidecar; meta gets the final size and modification time. Callers hold the
// key's lock.
func (st *store) commit(bucket, key, tmp string, meta *objectMeta) error {
	dst := st.objectPath(bucket, key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create folder for %s: %w", key, errKeyConflict)
		}
		return fmt.Errorf("create folder for %s: %w", key, err)
	}
	if fi, err := os.Lstat(dst); err == nil && fi.IsDir() {
		return fmt.Errorf("store %s: %w", key, errKeyConflict)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	fi, err := os.Stat(dst)
	if err != nil {
		return fmt.Errorf("stat %s: %w", key, err)
	}
	meta.Key, meta.Size, meta.ModTimeNS = key, fi.Size(), fi.ModTime().UnixNano()
	return st.writeMeta(bucket, *meta)
}

// commitError maps a commit failure to its OSS answer.
func (s *Server) commitError(rq *request, err error) *ossError {
	if errors.Is(err, errKeyConflict) {
		return errInvalidObjectName("osslocal stores objects as files, and this key conflicts with an existing object used as a folder (or a folder used as an object).")
	}
	return s.internal(rq, "store object", err)
}

// uploadMeta gathers the metadata PutObject and InitiateMultipartUpload
// accept: Content-Type (else guessed from the key's extension, as the SDKs
// do), x-oss-storage-class, x-oss-meta-* and the standard content headers.
func uploadMeta(r *http.Request, key string) (objectMeta, *ossError) {
	m := objectMeta{Key: key, ContentType: r.Header.Get("Content-Type"), StorageClass: classStandard}
	if m.ContentType == "" {
		if m.ContentType = mime.TypeByExtension(filepath.Ext(key)); m.ContentType == "" {
			m.ContentType = "application/octet-stream"
		}
	}
	if v := r.Header.Get("x-oss-storage-class"); v != "" {
		c, ok := storageClasses[strings.ToLower(v)]
		if !ok {
			return m, errInvalidArgument("Invalid storage class.", "x-oss-storage-class", v)
		}
		m.StorageClass = c
	}
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		switch {
		case strings.HasPrefix(lk, "x-oss-meta-"):
			if m.UserMeta == nil {
				m.UserMeta = map[string]string{}
			}
			m.UserMeta[strings.TrimPrefix(lk, "x-oss-meta-")] = vs[0]
		case lk == "cache-control" || lk == "content-disposition" || lk == "content-encoding" ||
			lk == "content-language" || lk == "expires":
			if m.Headers == nil {
				m.Headers = map[string]string{}
			}
			m.Headers[http.CanonicalHeaderKey(lk)] = vs[0]
		}
	}
	return m, nil
}

// isNotExist also treats "a path component is a file" as absence.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

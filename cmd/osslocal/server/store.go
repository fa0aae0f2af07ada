package server

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// sysDirName is the hidden folder under Root that holds everything that is
// not object data: temporary files, multipart staging and metadata sidecars.
// It can never be a bucket because bucket names cannot start with a dot.
const sysDirName = ".osslocal"

// Object types and storage classes, spelled as OSS returns them in
// x-oss-object-type / x-oss-storage-class and in listings.
const (
	typeNormal    = "Normal"
	typeMultipart = "Multipart"

	classStandard        = "Standard"
	classIA              = "IA"
	classArchive         = "Archive"
	classColdArchive     = "ColdArchive"
	classDeepColdArchive = "DeepColdArchive"
)

// storageClasses maps the accepted spellings (case-insensitive) to OSS's.
var storageClasses = map[string]string{
	"standard": classStandard, "ia": classIA, "archive": classArchive,
	"coldarchive": classColdArchive, "deepcoldarchive": classDeepColdArchive,
}

// isFrozen reports whether a storage class needs RestoreObject before GetObject.
func isFrozen(class string) bool {
	return class == classArchive || class == classColdArchive || class == classDeepColdArchive
}

// objectMeta is the sidecar stored for every object written through the API
// (and for objects marked with SetStorageClass). It is valid only while the
// data file still has the recorded size and modification time: a file edited
// by hand afterwards is treated as a fresh, foreign file.
type objectMeta struct {
	Key          string            `json:"key"`
	Size         int64             `json:"size"`
	ModTimeNS    int64             `json:"mtime_ns"`
	ETag         string            `json:"etag"`          // unquoted, upper-case hex as OSS returns it
	MD5          string            `json:"md5,omitempty"` // base64 Content-MD5 of simple uploads
	CRC64        string            `json:"crc64,omitempty"`
	ContentType  string            `json:"content_type,omitempty"`
	ObjectType   string            `json:"object_type"`
	StorageClass string            `json:"storage_class,omitempty"`
	UserMeta     map[string]string `json:"user_meta,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"` // Cache-Control, Content-Disposition...
	DirMarker    bool              `json:"dir_marker,omitempty"`
	RestoreAt    int64             `json:"restore_requested_ns,omitempty"`
	RestoreDays  int               `json:"restore_days,omitempty"`
}

// objectInfo is what HEAD, GET and listings report about one object.
type objectInfo struct {
	objectMeta
	path    string
	modTime time.Time
}

// store maps buckets and keys to the folder tree under Root.
type store struct {
	root        string // absolute Root
	sys         string // Root/.osslocal
	locks       [64]sync.Mutex
	uploadLocks [64]sync.Mutex
}

func newStore(root string) (*store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("resolve root %s: %w", root, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("stat root %s: %w", abs, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("root %s: not a directory", abs)
	}
	st := &store{root: abs, sys: filepath.Join(abs, sysDirName)}
	for _, d := range []string{st.tmpDir(), st.uploadsDir(), filepath.Join(st.sys, "meta")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	return st, nil
}

func (st *store) tmpDir() string     { return filepath.Join(st.sys, "tmp") }
func (st *store) uploadsDir() string { return filepath.Join(st.sys, "uploads") }

// lock serialises writers of one key (put, delete, complete, restore) so a
// data file and its sidecar always change together.
func (st *store) lock(bucket, key string) func() {
	return lockStripe(&st.locks, bucket+"/"+key)
}

// lockUpload serialises work on one multipart upload (or one of its parts).
// Its stripes are separate from the key stripes because CompleteMultipartUpload
// holds both, always upload first: sharing stripes could deadlock on a hash
// collision.
func (st *store) lockUpload(name string) func() {
	return lockStripe(&st.uploadLocks, name)
}

func lockStripe(stripes *[64]sync.Mutex, name string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	m := &stripes[h.Sum32()%uint32(len(stripes))]
	m.Lock()
	return m.Unlock
}

// validBucketName follows the OSS naming rules: 3-63 characters of lower-case
// letters, digits and hyphens, starting and ending with a letter or digit.
func validBucketName(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if !alnum && (c != '-' || i == 0 || i == len(b)-1) {
			return false
		}
	}
	return true
}

// checkKey applies the OSS object naming rules (UTF-8, 1-1023 bytes, no
// leading '/' or '\') plus what a folder tree cannot hold: empty, "." and ".."
// path segments. A trailing '/' is allowed: it names a folder marker.
func checkKey(key string) *ossError {
	switch {
	case key == "" || len(key) > 1023:
		return errInvalidObjectName("The object name must be 1 to 1023 bytes long.")
	case !utf8.ValidString(key):
		return errInvalidObjectName("The object name must be valid UTF-8.")
	case key[0] == '/' || key[0] == '\\':
		return errInvalidObjectName("The object name cannot start with '/' or '\\'.")
	case strings.ContainsRune(key, 0):
		return errInvalidObjectName("The object name cannot contain NUL.")
	}
	for _, seg := range strings.Split(strings.TrimSuffix(key, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return errInvalidObjectName("osslocal cannot store object names with empty, '.' or '..' segments.")
		}
	}
	return nil
}

func (st *store) bucketDir(bucket string) string { return filepath.Join(st.root, bucket) }

func (st *store) bucketExists(bucket string) bool {
	fi, err := os.Stat(st.bucketDir(bucket))
	return err == nil && fi.IsDir()
}

func (st *store) objectPath(bucket, key string) string {
	return filepath.Join(st.bucketDir(bucket), filepath.FromSlash(strings.TrimSuffix(key, "/")))
}

// metaPath names a key's sidecar by the SHA-256 of the key, so that no key can
// collide with another key's sidecar or with a folder of the data tree.
func (st *store) metaPath(bucket, key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(st.sys, "meta", bucket, h[:2], h+".json")
}

func (st *store) readMeta(bucket, key string) (objectMeta, bool) {
	b, err := os.ReadFile(st.metaPath(bucket, key))
	if err != nil {
		return objectMeta{}, false
	}
	var m objectMeta
	if json.Unmarshal(b, &m) != nil || m.Key != key {
		return objectMeta{}, false
	}
	return m, true
}

func (st *store) writeMeta(bucket string, m objectMeta) error {
	p := st.metaPath(bucket, m.Key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("create metadata folder for %s: %w", m.Key, err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode metadata for %s: %w", m.Key, err)
	}
	tmp, err := os.CreateTemp(st.tmpDir(), "meta-*")
	if err != nil {
		return fmt.Errorf("create metadata for %s: %w", m.Key, err)
	}
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write metadata for %s: %w", m.Key, err)
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("close metadata for %s: %w", m.Key, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("store metadata for %s: %w", m.Key, err)
	}
	return nil
}

func (st *store) removeMeta(bucket, key string) {
	_ = os.Remove(st.metaPath(bucket, key))
}

// stat returns the object at bucket/key, or fs.ErrNotExist. It never reads
// the object's content: that is what keeps listings cheap.
func (st *store) stat(bucket, key string) (objectInfo, error) {
	p := st.objectPath(bucket, key)
	fi, err := os.Stat(p)
	if err != nil {
		return objectInfo{}, err
	}
	return st.info(bucket, key, p, fi)
}

// info builds the objectInfo of a file already stat'ed.
func (st *store) info(bucket, key, p string, fi fs.FileInfo) (objectInfo, error) {
	if strings.HasSuffix(key, "/") {
		// Folder markers exist only through their sidecar.
		m, ok := st.readMeta(bucket, key)
		if !fi.IsDir() || !ok || !m.DirMarker {
			return objectInfo{}, fs.ErrNotExist
		}
		return objectInfo{objectMeta: m, path: p, modTime: time.Unix(0, m.ModTimeNS)}, nil
	}
	if !fi.Mode().IsRegular() {
		return objectInfo{}, fs.ErrNotExist
	}
	if m, ok := st.readMeta(bucket, key); ok && !m.DirMarker && m.Size == fi.Size() && m.ModTimeNS == fi.ModTime().UnixNano() {
		return objectInfo{objectMeta: m, path: p, modTime: fi.ModTime()}, nil
	}
	return objectInfo{objectMeta: foreignMeta(key, fi), path: p, modTime: fi.ModTime()}, nil
}

// foreignMeta describes a file put in the folder by hand. Its ETag is the MD5
// of (key, size, mtime) rather than of the content, so that listing never
// reads file bodies; it changes whenever the file does, as an ETag must.
func foreignMeta(key string, fi fs.FileInfo) objectMeta {
	sum := md5.Sum(fmt.Appendf(nil, "%s\x00%d\x00%d", key, fi.Size(), fi.ModTime().UnixNano()))
	ct := mime.TypeByExtension(filepath.Ext(key))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return objectMeta{
		Key: key, Size: fi.Size(), ModTimeNS: fi.ModTime().UnixNano(),
		ETag: strings.ToUpper(hex.EncodeToString(sum[:])), ContentType: ct,
		ObjectType: typeNormal, StorageClass: classStandard,
	}
}

// dirMarkerExists reports whether the folder at key (ending in '/') is also an object.
func (st *store) dirMarkerExists(bucket, key string) bool {
	m, ok := st.readMeta(bucket, key)
	return ok && m.DirMarker
}

// remove deletes an object and prunes the folders it leaves empty, up to the
// bucket folder; folders that are themselves objects (markers) are kept.
func (st *store) remove(bucket, key string) error {
	p := st.objectPath(bucket, key)
	if strings.HasSuffix(key, "/") {
		if !st.dirMarkerExists(bucket, key) {
			return nil
		}
		st.removeMeta(bucket, key)
		st.prune(bucket, p)
		return nil
	}
	fi, err := os.Lstat(p)
	if isNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stat object %s: %w", key, err)
	}
	if fi.IsDir() {
		return nil // a folder is not an object; OSS answers 204 for absent keys
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove object %s: %w", key, err)
	}
	st.removeMeta(bucket, key)
	st.prune(bucket, filepath.Dir(p))
	return nil
}

// prune removes empty folders from dir up to (not including) the bucket folder.
func (st *store) prune(bucket, dir string) {
	top := st.bucketDir(bucket)
	for dir != top && strings.HasPrefix(dir, top+string(filepath.Separator)) {
		rel, err := filepath.Rel(top, dir)
		if err != nil || st.dirMarkerExists(bucket, filepath.ToSlash(rel)+"/") {
			return
		}
		if os.Remove(dir) != nil { // not empty, or gone
			return
		}
		dir = filepath.Dir(dir)
	}
}

// SetStorageClass marks an object already present under root (for example a
// fixture file written by a test) with an OSS storage class such as
// "Archive", so that GetObject answers InvalidObjectState until the object is
// restored. It keeps the object's ETag and other metadata.
func SetStorageClass(root, bucket, key, class string) error {
	c, ok := storageClasses[strings.ToLower(class)]
	if !ok {
		return fmt.Errorf("set storage class of %s: unknown class %q", key, class)
	}
	st, err := newStore(root)
	if err != nil {
		return fmt.Errorf("set storage class of %s: %w", key, err)
	}
	unlock := st.lock(bucket, key)
	defer unlock()
	info, err := st.stat(bucket, key)
	if err != nil {
		return fmt.Errorf("set storage class of %s: %w", key, err)
	}
	info.StorageClass = c
	info.RestoreAt, info.RestoreDays = 0, 0
	return st.writeMeta(bucket, info.objectMeta)
}

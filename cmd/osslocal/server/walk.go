package server

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// listEntry is one result of a listing: an object, or a common prefix when
// the request had a delimiter.
type listEntry struct {
	key      string // object key, or the common prefix
	isPrefix bool
	info     objectInfo // objects only
}

// listQuery is the part of ListObjects/ListObjectsV2 that selects keys.
type listQuery struct {
	prefix    string
	delimiter string
	after     string // marker, start-after or the decoded continuation token: only keys > after
	limit     int    // stop after this many entries
}

// errStopWalk ends a walk early once enough entries were found.
var errStopWalk = errors.New("stop walk")

// walker visits a bucket folder in the lexicographic byte order of object
// keys, which is the order OSS lists in. A plain sorted directory walk is not
// enough: "a-c" < "a/b" as keys ('-' < '/'), yet a walk sorted by entry name
// visits folder "a" before file "a-c". Sorting each folder's entries by
// name+"/" for folders fixes that, because every key below folder "a" starts
// with "a/". Whole subtrees are skipped when they hold no key > after, do not
// match the prefix, or collapse into one common prefix.
type walker struct {
	ctx    context.Context
	st     *store
	bucket string
	q      listQuery
	out    []listEntry
	lastCP string
}

// list returns up to q.limit entries of bucket in key order.
func (st *store) list(ctx context.Context, bucket string, q listQuery) ([]listEntry, error) {
	w := &walker{ctx: ctx, st: st, bucket: bucket, q: q}
	err := w.dir(st.bucketDir(bucket), "")
	if err != nil && !errors.Is(err, errStopWalk) {
		return nil, err
	}
	return w.out, nil
}

type dirItem struct {
	name  string
	isDir bool
	sort  string
}

// readDir returns a folder's entries sorted by their key order. Symbolic links
// to files count as files; links to folders are skipped (they could loop).
func readDir(path string) ([]dirItem, error) {
	ents, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	items := make([]dirItem, 0, len(ents))
	for _, e := range ents {
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(filepath.Join(path, e.Name()))
			if err != nil || fi.IsDir() {
				continue
			}
		} else if !isDir && !e.Type().IsRegular() {
			continue
		}
		it := dirItem{name: e.Name(), isDir: isDir, sort: e.Name()}
		if isDir {
			it.sort += "/"
		}
		items = append(items, it)
	}
	slices.SortFunc(items, func(a, b dirItem) int { return strings.Compare(a.sort, b.sort) })
	return items, nil
}

func (w *walker) dir(path, dirKey string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	items, err := readDir(path)
	if err != nil {
		if dirKey != "" && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission)) {
			return nil // removed while listing, or a folder the server may not read
		}
		return err
	}
	for _, it := range items {
		k := dirKey + it.name
		p := filepath.Join(path, it.name)
		if !it.isDir {
			if err := w.file(k, p); err != nil {
				return err
			}
			continue
		}
		k += "/"
		if !strings.HasPrefix(k, w.q.prefix) && !strings.HasPrefix(w.q.prefix, k) {
			continue // no key below k can match the prefix
		}
		if k < w.q.after && !strings.HasPrefix(w.q.after, k) {
			continue // every key below k sorts before after
		}
		if cp, ok := w.commonPrefix(k); ok {
			// The whole subtree folds into cp; emit it once if it holds any object.
			if cp > w.q.after && cp != w.lastCP && w.hasObjects(p, k) {
				if err := w.emit(listEntry{key: cp, isPrefix: true}); err != nil {
					return err
				}
			}
			continue
		}
		// A folder marker (key "k") sorts before every key below it.
		if strings.HasPrefix(k, w.q.prefix) && k > w.q.after && w.st.dirMarkerExists(w.bucket, k) {
			if err := w.object(k, p); err != nil {
				return err
			}
		}
		if err := w.dir(p, k); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) file(k, p string) error {
	if !strings.HasPrefix(k, w.q.prefix) {
		return nil
	}
	if cp, ok := w.commonPrefix(k); ok {
		if cp > w.q.after && cp != w.lastCP {
			return w.emit(listEntry{key: cp, isPrefix: true})
		}
		return nil
	}
	if k <= w.q.after {
		return nil
	}
	return w.object(k, p)
}

// commonPrefix is the prefix+...+delimiter group that k falls into, if any.
func (w *walker) commonPrefix(k string) (string, bool) {
	if w.q.delimiter == "" || !strings.HasPrefix(k, w.q.prefix) {
		return "", false
	}
	rest := k[len(w.q.prefix):]
	i := strings.Index(rest, w.q.delimiter)
	if i < 0 {
		return "", false
	}
	return w.q.prefix + rest[:i+len(w.q.delimiter)], true
}

func (w *walker) object(k, p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return nil // removed while listing
	}
	info, err := w.st.info(w.bucket, k, p, fi)
	if err != nil {
		return nil
	}
	return w.emit(listEntry{key: k, info: info})
}

func (w *walker) emit(e listEntry) error {
	if e.isPrefix {
		w.lastCP = e.key
	}
	w.out = append(w.out, e)
	if len(w.out) >= w.q.limit {
		return errStopWalk
	}
	return nil
}

// hasObjects reports whether the folder at path (key k) holds at least one
// object; empty folders are not objects and produce no common prefix.
func (w *walker) hasObjects(path, k string) bool {
	if w.st.dirMarkerExists(w.bucket, k) {
		return true
	}
	items, err := readDir(path)
	if err != nil {
		return false
	}
	for _, it := range items {
		if !it.isDir || w.hasObjects(filepath.Join(path, it.name), k+it.name+"/") {
			return true
		}
	}
	return false
}

package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// LocalConfig configures a LocalSource.
type LocalConfig struct {
	// Roots are files, folders (scanned recursively) or "-" for stdin.
	Roots []string
	// FollowSymlinks follows symbolic links to files and folders; off by
	// default, so a link cannot lead a scan outside the given roots.
	FollowSymlinks bool
	// Stdin is read for "-" (default os.Stdin).
	Stdin io.Reader
	// Skip names files and folders that are not listed, such as the scan's
	// own output folder when it lies inside a root ("piiscan scan ." with
	// the default --out ./piiscan-out). They are matched by identity, so
	// another path to the same folder is skipped too; a path that does not
	// exist when the walk starts is ignored.
	Skip []string
	// PruneDir, if set, reports a folder (its path below the root,
	// slash-separated) whose every file the scan leaves out, such as
	// "cache" for --exclude 'cache/**': the walk does not go into it, which
	// saves a stat per file it holds.
	PruneDir func(rel string) bool
	// Logger receives warnings about links that are not followed: targets
	// that are links (without FollowSymlinks), dangling ones, and those
	// leading back into the folders being walked; nil discards.
	Logger *slog.Logger
}

// LocalSource lists and opens local files.
type LocalSource struct {
	cfg     LocalConfig
	mu      sync.Mutex
	listErr map[string]error // folders that could not be listed
	// cfg.Skip during a walk: the files and folders that existed when it
	// began, and every path's absolute form (for one made later)
	skip    []fs.FileInfo
	skipAbs []string
}

// skipped reports (and logs) a file or folder of cfg.Skip, compared by
// device and inode, so also when a link names it (--out outlink).
func (s *LocalSource) skipped(p string, fi fs.FileInfo) bool {
	for _, sk := range s.skip {
		if fi != nil && os.SameFile(sk, fi) {
			s.cfg.Logger.Info("not scanned: it is the scan's own output", "path", p)
			return true
		}
	}
	if slices.Contains(s.skipAbs, p) {
		s.cfg.Logger.Info("not scanned: it is the scan's own output", "path", p)
		return true
	}
	return false
}

var _ Source = (*LocalSource)(nil)

// NewLocalSource checks that every root exists; a missing root is a usage
// error reported before anything is scanned.
func NewLocalSource(cfg LocalConfig) (*LocalSource, error) {
	if len(cfg.Roots) == 0 {
		return nil, errors.New("no targets: give files, folders or - for stdin")
	}
	for _, r := range cfg.Roots {
		if r == "-" {
			continue
		}
		if _, err := os.Lstat(r); err != nil {
			return nil, fmt.Errorf("target %s: %w", r, err)
		}
	}
	if cfg.Stdin == nil {
		cfg.Stdin = os.Stdin
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &LocalSource{cfg: cfg, listErr: map[string]error{}}, nil
}

// fileKey is the object URI of a local path. A path is bytes, and the
// object column and the state are UTF-8 text: a byte that is not part of
// valid UTF-8 (a GBK file name copied from Windows) is written as %XX, so
// that the outputs stay readable (DuckDB, Spark and Trino refuse a Parquet
// string that is not UTF-8) and two such names stay apart. Open reads the
// path from ObjectInfo.Path, not from the key.
func fileKey(abs string) string { return "file://" + EscapeInvalidUTF8(filepath.ToSlash(abs)) }

// EscapeInvalidUTF8 returns s with every byte that is not part of valid
// UTF-8 written as %XX (upper-case hex); valid text is returned as is.
func EscapeInvalidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteByte('%')
			b.WriteByte(hex[s[i]>>4])
			b.WriteByte(hex[s[i]&15])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// localPath is the path of a listed file.
func localPath(o ObjectInfo) string {
	if o.Path != "" {
		return o.Path
	}
	return filepath.FromSlash(strings.TrimPrefix(o.Key, "file://"))
}

// Walk lists the roots in order; folders are walked in lexical order.
func (s *LocalSource) Walk(ctx context.Context, fn func(ObjectInfo) error) error {
	s.skip, s.skipAbs = s.skip[:0], s.skipAbs[:0]
	for _, p := range s.cfg.Skip {
		if fi, err := os.Stat(p); err == nil {
			s.skip = append(s.skip, fi)
		}
		if abs, err := filepath.Abs(p); err == nil {
			s.skipAbs = append(s.skipAbs, abs)
		}
	}
	emit := func(abs, name string, fi fs.FileInfo) error {
		if s.skipped(abs, fi) {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(ObjectInfo{Source: "file", Key: fileKey(abs), Path: abs, Name: filepath.ToSlash(name), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	covered := s.coveredRoots()
	for i, root := range s.cfg.Roots {
		if covered[i] {
			continue // inside another root: listed with it
		}
		if root == "-" {
			if err := fn(ObjectInfo{Source: "stdin", Key: "stdin://", Name: "-", Size: -1}); err != nil {
				return err
			}
			continue
		}
		abs, err := filepath.Abs(root)
		if err != nil {
			return fmt.Errorf("target %s: %w", root, err)
		}
		fi, err := os.Lstat(abs)
		if err != nil {
			return fmt.Errorf("target %s: %w", root, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			// A target named on the command line is followed, as grep -r
			// and find -H do: the user chose it (a linked fixtures folder
			// was a scan of nothing that passed). Links below it are
			// followed only with FollowSymlinks.
			if fi, err = os.Stat(abs); err != nil {
				return fmt.Errorf("target %s: it is a symbolic link that does not resolve: %w", root, err)
			}
		}
		if !fi.IsDir() {
			if err := emit(abs, filepath.Base(abs), s.special(abs, fi)); err != nil {
				return err
			}
			continue
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return fmt.Errorf("target %s: %w", root, err)
		}
		if err := s.walkDir(ctx, abs, "", []string{real}, emit); err != nil {
			return err
		}
	}
	return nil
}

// coveredRoots marks the roots that another root lists already: a path
// inside a folder root (or the same folder given twice), so that no object
// is listed twice. This replaces a set of every listed path, which grew
// with the tree (a million paths of 60 bytes hold 120 MB).
func (s *LocalSource) coveredRoots() []bool {
	type root struct {
		abs    string
		folder bool // walked as a folder
	}
	rs := make([]root, len(s.cfg.Roots))
	for i, r := range s.cfg.Roots {
		if r == "-" {
			continue
		}
		abs, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		rs[i].abs = abs
		if fi, err := os.Lstat(abs); err == nil {
			rs[i].folder = fi.IsDir() || fi.Mode()&fs.ModeSymlink != 0 && isDir(abs)
		}
	}
	covered := make([]bool, len(rs))
	stdin := false
	for i, r := range s.cfg.Roots {
		if r == "-" {
			covered[i] = stdin // stdin can be read once
			stdin = true
		}
	}
	for i, r := range rs {
		for j, o := range rs {
			if i != j && r.abs != "" && o.folder && inFolder(r.abs, o.abs) && (r.abs != o.abs || j < i) {
				covered[i] = true
				break
			}
		}
	}
	return covered
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// walkDir walks the folder root, whose objects' names start with prefix
// (the path from the top root, for a folder reached through a link).
// trail holds the real paths of the folders the walk came through to
// reach root when links are followed: the top folder, and for each link
// followed, the folder holding it and the folder it leads to. A link to one of these or to a folder above one
// of them would lead the walk round in a circle (a/loop -> a, or a/l1 -> b
// and b/l2 -> a), so it is not followed; every other link is, so the walk
// ends.
func (s *LocalSource) walkDir(ctx context.Context, root, prefix string, trail []string, emit func(abs, name string, fi fs.FileInfo) error) error {
	// WalkDir does not go into a root that is a link; with a trailing
	// separator the root names the folder the link leads to.
	start := root
	if !strings.HasSuffix(start, string(filepath.Separator)) {
		start += string(filepath.Separator)
	}
	return filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		rel, _ := filepath.Rel(root, p)
		if err != nil {
			if p == start {
				return fmt.Errorf("list %s: %w", root, err)
			}
			// An unreadable folder or a file that vanished while listing
			// still gets an objects row, so nothing disappears silently.
			s.mu.Lock()
			s.listErr[fileKey(p)] = err
			s.mu.Unlock()
			return emit(p, rel, errInfo{name: filepath.Base(p)})
		}
		if d.IsDir() {
			if s.cfg.PruneDir != nil && p != start && s.cfg.PruneDir(filepath.ToSlash(filepath.Join(prefix, rel))) {
				return filepath.SkipDir
			}
			if len(s.skip) > 0 && p != start {
				if fi, err := d.Info(); err == nil && s.skipped(p, fi) {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if !s.cfg.FollowSymlinks {
				return nil
			}
			fi, err := os.Stat(p)
			if err != nil {
				// A dangling link is not an object, but say so.
				s.cfg.Logger.Warn("link not followed", "path", p, "err", err)
				return nil
			}
			if s.skipped(p, fi) {
				return nil
			}
			if fi.IsDir() {
				next, loop := linkTrail(trail, p)
				if loop != "" {
					s.cfg.Logger.Warn("link not followed: it leads back into a folder being walked", "path", p, "target", loop)
					return nil
				}
				if s.cfg.PruneDir != nil && s.cfg.PruneDir(filepath.ToSlash(filepath.Join(prefix, rel))) {
					return nil
				}
				return s.walkDir(ctx, p, filepath.Join(prefix, rel), next, func(abs, name string, fi fs.FileInfo) error {
					return emit(abs, filepath.Join(rel, name), fi)
				})
			}
			return emit(p, rel, s.special(p, fi))
		}
		if !d.Type().IsRegular() {
			return nil // devices, sockets, pipes found in a folder are not objects
		}
		fi, err := d.Info()
		if err != nil {
			return emit(p, rel, errInfo{name: d.Name()})
		}
		return emit(p, rel, fi)
	})
}

// linkTrail decides whether to follow the link p to a folder. It returns
// the trail for the walk of the link's folder, or the real path of that
// folder when it is on trail, or above a folder on trail, or above the
// link itself (walking it would come back to the link).
func linkTrail(trail []string, p string) ([]string, string) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil, p // vanished or unreadable since it was stat'ed: do not follow
	}
	parent, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return nil, target
	}
	if inFolder(parent, target) || slices.ContainsFunc(trail, func(t string) bool { return inFolder(t, target) }) {
		return nil, target
	}
	return append(slices.Clip(trail), parent, target), ""
}

// inFolder reports whether path is dir or lies below it (both clean and
// absolute).
func inFolder(path, dir string) bool {
	if path == dir || dir == string(filepath.Separator) {
		return true
	}
	return strings.HasPrefix(path, dir) && path[len(dir)] == filepath.Separator
}

// errInfo stands in for the FileInfo of an entry that could not be read.
// special lists a file that is not a regular one (a named pipe, a device,
// a socket), named as a target or reached through a link, as skipped
// without opening it: opening a pipe blocks until a writer comes, and a
// device may never end. Other files pass through.
func (s *LocalSource) special(abs string, fi fs.FileInfo) fs.FileInfo {
	if fi.Mode().IsRegular() {
		return fi
	}
	kind := "device"
	switch {
	case fi.Mode()&fs.ModeNamedPipe != 0:
		kind = "named pipe"
	case fi.Mode()&fs.ModeSocket != 0:
		kind = "socket"
	}
	s.mu.Lock()
	s.listErr[fileKey(abs)] = &errUnsupported{format: kind + ", not a regular file (to scan a stream, pipe it to piiscan scan -)"}
	s.mu.Unlock()
	return errInfo{name: fi.Name()}
}

type errInfo struct{ name string }

func (e errInfo) Name() string       { return e.name }
func (e errInfo) Size() int64        { return 0 }
func (e errInfo) Mode() fs.FileMode  { return 0 }
func (e errInfo) ModTime() time.Time { return time.Time{} }
func (e errInfo) IsDir() bool        { return false }
func (e errInfo) Sys() any           { return nil }

// Open opens a listed file (or stdin).
func (s *LocalSource) Open(ctx context.Context, o ObjectInfo) (io.ReadCloser, error) {
	if o.Source == "stdin" {
		return ctxPipe(ctx, s.cfg.Stdin), nil
	}
	s.mu.Lock()
	lerr := s.listErr[o.Key]
	s.mu.Unlock()
	if lerr != nil {
		return nil, &ObjectError{Key: o.Key, Op: "list", Reason: reasonOf(lerr), Err: lerr}
	}
	f, err := openFile(localPath(o))
	if err != nil {
		return nil, &ObjectError{Key: o.Key, Op: "open", Reason: reasonOf(err), Err: err}
	}
	return f, nil
}

// Changed reports a file that changed or vanished while it was scanned.
func (s *LocalSource) Changed(o ObjectInfo) error {
	if o.Source != "file" || o.ModTime.IsZero() {
		return nil
	}
	fi, err := os.Stat(localPath(o))
	if err != nil {
		return fmt.Errorf("file vanished during the scan: %w", err)
	}
	if fi.Size() != o.Size || !fi.ModTime().Equal(o.ModTime) {
		return fmt.Errorf("file changed during the scan (size %d -> %d)", o.Size, fi.Size())
	}
	return nil
}

// ctxPipe reads r through a pipe filled by a goroutine, so that a read
// waiting on r ends with ctx's error when ctx ends: a read of stdin from a
// pipe or a terminal that stalls ("tail -f app.log | piiscan scan -")
// cannot be interrupted, and it held the scan past --object-timeout for as
// long as the writer kept quiet. The goroutine stays in its read until r
// gives something (stdin is read once, and the run ends soon after), then
// finds the pipe closed and stops.
func ctxPipe(ctx context.Context, r io.Reader) io.ReadCloser {
	pr, pw := io.Pipe()
	stop := context.AfterFunc(ctx, func() { pr.CloseWithError(ctx.Err()) })
	go func() {
		// 256 KiB at a time (io.Copy's 32 KiB would be eight hand-offs
		// between goroutines per window); the wrapper hides an *os.File's
		// WriteTo, which would ignore the buffer.
		_, err := io.CopyBuffer(pw, struct{ io.Reader }{r}, make([]byte, 256<<10))
		pw.CloseWithError(err) // nil: io.EOF for the reader
	}()
	return readCloser{pr, closerFunc(func() error {
		stop()
		return pr.Close()
	})}
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

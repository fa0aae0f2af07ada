package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
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
}

// LocalSource lists and opens local files.
type LocalSource struct {
	cfg     LocalConfig
	mu      sync.Mutex
	listErr map[string]error // folders that could not be listed
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
	return &LocalSource{cfg: cfg, listErr: map[string]error{}}, nil
}

// fileKey is the object URI of a local path.
func fileKey(abs string) string { return "file://" + filepath.ToSlash(abs) }

// Walk lists the roots in order; folders are walked in lexical order.
func (s *LocalSource) Walk(ctx context.Context, fn func(ObjectInfo) error) error {
	seen := map[string]bool{}
	emit := func(abs, name string, fi fs.FileInfo) error {
		if seen[abs] {
			return nil
		}
		seen[abs] = true
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(ObjectInfo{Source: "file", Key: fileKey(abs), Name: filepath.ToSlash(name), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	for _, root := range s.cfg.Roots {
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
			if !s.cfg.FollowSymlinks {
				continue
			}
			if fi, err = os.Stat(abs); err != nil {
				return fmt.Errorf("target %s: %w", root, err)
			}
		}
		if !fi.IsDir() {
			if err := emit(abs, filepath.Base(abs), fi); err != nil {
				return err
			}
			continue
		}
		if err := s.walkDir(ctx, abs, emit); err != nil {
			return err
		}
	}
	return nil
}

func (s *LocalSource) walkDir(ctx context.Context, root string, emit func(abs, name string, fi fs.FileInfo) error) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		rel, _ := filepath.Rel(root, p)
		if err != nil {
			if p == root {
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
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if !s.cfg.FollowSymlinks {
				return nil
			}
			fi, err := os.Stat(p)
			if err != nil {
				return nil // a dangling link is not an object
			}
			if fi.IsDir() {
				return s.walkDir(ctx, p, func(abs, name string, fi fs.FileInfo) error {
					return emit(abs, filepath.Join(rel, name), fi)
				})
			}
			return emit(p, rel, fi)
		}
		if !d.Type().IsRegular() {
			return nil // devices, sockets, pipes
		}
		fi, err := d.Info()
		if err != nil {
			return emit(p, rel, errInfo{name: d.Name()})
		}
		return emit(p, rel, fi)
	})
}

// errInfo stands in for the FileInfo of an entry that could not be read.
type errInfo struct{ name string }

func (e errInfo) Name() string       { return e.name }
func (e errInfo) Size() int64        { return 0 }
func (e errInfo) Mode() fs.FileMode  { return 0 }
func (e errInfo) ModTime() time.Time { return time.Time{} }
func (e errInfo) IsDir() bool        { return false }
func (e errInfo) Sys() any           { return nil }

// Open opens a listed file (or stdin).
func (s *LocalSource) Open(_ context.Context, o ObjectInfo) (io.ReadCloser, error) {
	if o.Source == "stdin" {
		return io.NopCloser(s.cfg.Stdin), nil
	}
	s.mu.Lock()
	lerr := s.listErr[o.Key]
	s.mu.Unlock()
	if lerr != nil {
		return nil, &ObjectError{Key: o.Key, Op: "list", Reason: reasonOf(lerr), Err: lerr}
	}
	path := filepath.FromSlash(o.Key[len("file://"):])
	f, err := os.Open(path)
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
	fi, err := os.Stat(filepath.FromSlash(o.Key[len("file://"):]))
	if err != nil {
		return fmt.Errorf("file vanished during the scan: %w", err)
	}
	if fi.Size() != o.Size || !fi.ModTime().Equal(o.ModTime) {
		return fmt.Errorf("file changed during the scan (size %d -> %d)", o.Size, fi.Size())
	}
	return nil
}

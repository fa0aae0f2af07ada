package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// stagingDir holds the segments being written, under the output root
// (the same file system, so publishing a segment is a rename). Readers of
// the dataset never look there.
const stagingDir = ".piiscan-staging"

// staleStagingAge is how long a staging folder that cannot be locked must
// have been left unchanged before another run removes it.
const staleStagingAge = 24 * time.Hour

// stagingLock is the lock file in each staging folder.
const stagingLock = ".lock"

// stagingTrash starts the name a staging folder takes just before it is
// removed, so that a removal cut short (a kill) leaves a folder that is
// plainly garbage, not one that looks like a folder being made.
const stagingTrash = ".trash-"

// errLocked says that another process holds a lock (lockFile).
var errLocked = errors.New("locked by another process")

// staging is the folder a checkpointSink writes its segment in,
//
//	OUT/.piiscan-staging/<scan_id><shard>~<random>/
//
// new for every attempt. The run holds an exclusive lock (flock) on the
// folder's .lock file as long as it lives; the kernel drops it when the
// process ends, however it ends. A run that starts on the same --out
// removes every staging folder whose lock it can take: those of runs that
// were killed. The folders of live runs, such as the other shards of a run
// writing to the same --out, are locked, and kept. A folder is renamed
// .trash-<name> before it is removed, so that a removal cut short leaves
// a folder any run removes. Folders without a lock file (piiscan before
// locks, whose names have no "~") and folders on systems without flock
// (Windows) are removed when nothing in them changed for staleStagingAge,
// or, for the old names, when they belong to this scan id or to the
// unfinished run the state was written by.
type staging struct {
	parent, dir string
	lock        *os.File // nil where locks are not available
}

// newStaging makes and locks a new staging folder in parent.
func newStaging(parent, name string) (*staging, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create staging folder %s: %w", parent, err)
	}
	for range 10 {
		dir, err := os.MkdirTemp(parent, name+"~*")
		if err != nil {
			return nil, fmt.Errorf("create staging folder: %w", err)
		}
		lock, err := lockFile(filepath.Join(dir, stagingLock), true)
		switch {
		case err == nil:
			return &staging{parent: parent, dir: dir, lock: lock}, nil
		case errors.Is(err, errors.ErrUnsupported):
			return &staging{parent: parent, dir: dir}, nil
		case errors.Is(err, errLocked), errors.Is(err, fs.ErrNotExist):
			// A run starting on this --out took the new folder, not yet
			// locked, for a stale one, and is removing it: take another.
			continue
		default:
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("lock staging folder %s: %w", dir, err)
		}
	}
	return nil, fmt.Errorf("create staging folder in %s: other runs kept removing it", parent)
}

// removeStale removes the staging folders of runs that are gone (see
// staging). legacy names the folders of piiscan before locks that are
// known to be leftovers.
func (s *staging) removeStale(legacy []string, log *slog.Logger) {
	entries, err := os.ReadDir(s.parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(s.parent, e.Name())
		if !e.IsDir() || p == s.dir {
			continue
		}
		stale := false
		switch {
		case strings.HasPrefix(e.Name(), stagingTrash):
			stale = true
		case strings.Contains(e.Name(), "~"):
			lock, err := lockFile(filepath.Join(p, stagingLock), false)
			switch {
			case err == nil:
				removeStaging(p, log)
				_ = lock.Close()
				continue
			case errors.Is(err, errors.ErrUnsupported), errors.Is(err, fs.ErrNotExist):
				stale = unchangedFor(p, staleStagingAge)
			}
		default:
			stale = slices.Contains(legacy, e.Name()) || unchangedFor(p, staleStagingAge)
		}
		if stale {
			removeStaging(p, log)
		}
	}
}

func removeStaging(p string, log *slog.Logger) {
	if err := discard(p); err != nil {
		log.Warn("remove the staging folder of a run that is gone", "path", p, "err", err)
		return
	}
	log.Info("removed the staging folder of a run that is gone", "path", p)
}

// unchangedFor reports whether nothing under dir was modified for age
// (false when it cannot tell).
func unchangedFor(dir string, age time.Duration) bool {
	since := time.Now().Add(-age)
	recent := false
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.ModTime().After(since) {
			recent = true
			return fs.SkipAll
		}
		return nil
	})
	return err == nil && !recent
}

// discard renames the staging folder p to .trash-<name>, then removes it.
// The caller holds p's lock, if it has one, until discard returns.
func discard(p string) error {
	base := filepath.Base(p)
	if !strings.HasPrefix(base, stagingTrash) {
		trash := filepath.Join(filepath.Dir(p), stagingTrash+base)
		if os.Rename(p, trash) == nil {
			p = trash
		}
	}
	return os.RemoveAll(p)
}

// remove removes the folder and releases its lock; the staging root goes
// too when no other run uses it.
func (s *staging) remove() {
	_ = discard(s.dir)
	if s.lock != nil {
		_ = s.lock.Close()
		s.lock = nil
	}
	_ = os.Remove(s.parent) // only when empty
}

package sinks

import (
	"errors"
	"io/fs"
	"os"
	"sync"
)

// Test hooks of renameNoReplace: the system calls, replaced by the unit
// tests to take the fallback paths.
var (
	sysRenameNoReplace = renameat2NoReplace
	sysLink            = os.Link
)

// renameNoReplace renames oldpath to newpath unless newpath exists, in
// which case it returns an error wrapping fs.ErrExist and leaves both as
// they are. Both must be in one directory (or at least on one file
// system). It uses, in this order:
//
//   - renameat2(RENAME_NOREPLACE) on Linux: atomic, the kernel checks;
//   - where that is not available (another OS, an old kernel: ENOSYS; a
//     file system that refuses the flag: EINVAL, such as some network and
//     FUSE file systems), a hard link to the new name, which fails with
//     EEXIST when it is taken, and the removal of the old name;
//   - where hard links are not available either (FAT and exFAT, some FUSE
//     and SMB mounts), a check that newpath does not exist followed by a
//     plain rename. The check and the rename are two steps, so on such a
//     file system two writers may still replace each other's file in the
//     moment between them; nothing else on it can refuse an existing name
//     without being racy too, and refusing to write at all would leave no
//     output where piiscan worked before.
func renameNoReplace(oldpath, newpath string) error {
	err := sysRenameNoReplace(oldpath, newpath)
	if err == nil || !noReplaceUnsupported(err) {
		return err
	}
	err = sysLink(oldpath, newpath)
	switch {
	case err == nil:
		// Both names are the file now and the new one is published. The
		// old one is a hidden temporary name (tempName) that no reader of
		// the dataset lists: should it stay (the directory made read-only
		// between the two calls), it is a leftover, not a second copy, and
		// not worth failing the run for.
		_ = os.Remove(oldpath)
		return nil
	case errors.Is(err, fs.ErrExist) || !linkUnsupported(err):
		return err
	}
	if _, serr := os.Lstat(newpath); serr == nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: fs.ErrExist}
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return serr
	}
	return os.Rename(oldpath, newpath)
}

// linkUnsupported reports whether a hard link failed because the file
// system has none: EPERM on Linux (vfat, exFAT), ENOTSUP/EOPNOTSUPP/ENOSYS
// elsewhere (errors.ErrUnsupported covers those).
func linkUnsupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported) || errors.Is(err, fs.ErrPermission)
}

// Placer renames finished files into their final names in a local output
// directory without replacing a file that is there, and remembers each
// file it placed by its identity (device and inode, os.SameFile), so that
// a run that stops can take back its own files and only those: a name
// that another writer's file holds now is left alone, even if this run
// placed a file under it earlier. Its methods are safe for concurrent use.
type Placer struct {
	// Before, when not nil, is called with the final path before each
	// rename. Tests use it to let another writer in between a run's
	// start-up checks and its rename.
	Before func(final string)

	mu     sync.Mutex
	placed map[string]os.FileInfo
}

// NewPlacer returns a Placer that has placed nothing.
func NewPlacer() *Placer { return &Placer{placed: map[string]os.FileInfo{}} }

// Place renames tmp to final unless final exists. A final name that
// exists is an *ExistsError (URI: final), and tmp is left for the caller
// to remove.
func (p *Placer) Place(tmp, final string) error { return p.place(tmp, final, false) }

// Replace renames tmp to final, replacing the file of that name if any.
// It is for the files replaced by design (the summary of a retry that
// continues its scan id); the file placed is recorded like Place's.
func (p *Placer) Replace(tmp, final string) error { return p.place(tmp, final, true) }

func (p *Placer) place(tmp, final string, replace bool) error {
	// The identity is taken before the rename: after it, the name may
	// already be another writer's (with a plain rename of theirs).
	fi, err := os.Lstat(tmp)
	if err != nil {
		return err
	}
	if p.Before != nil {
		p.Before(final)
	}
	if replace {
		err = os.Rename(tmp, final)
	} else {
		err = renameNoReplace(tmp, final)
	}
	if errors.Is(err, fs.ErrExist) {
		return &ExistsError{URI: final}
	}
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.placed[final] = fi
	p.mu.Unlock()
	return nil
}

// Remove deletes final if it is a file this Placer placed there; a
// missing name, or one that holds another file now, is left as it is.
// Between the check and the removal no other writer of piiscan can put
// its file under that name: it would have to replace this one, and files
// are placed without replacing (Place), except where the file system
// allows only the racy fallback (see renameNoReplace).
func (p *Placer) Remove(final string) error {
	p.mu.Lock()
	fi, ok := p.placed[final]
	p.mu.Unlock()
	if !ok {
		return nil
	}
	cur, err := os.Lstat(final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !os.SameFile(fi, cur):
		return nil
	}
	if err := os.Remove(final); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	p.mu.Lock()
	delete(p.placed, final)
	p.mu.Unlock()
	return nil
}

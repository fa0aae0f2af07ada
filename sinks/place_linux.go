package sinks

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// renameat2NoReplace is renameat2(2) with RENAME_NOREPLACE.
func renameat2NoReplace(oldpath, newpath string) error {
	if err := unix.Renameat2(unix.AT_FDCWD, oldpath, unix.AT_FDCWD, newpath, unix.RENAME_NOREPLACE); err != nil {
		return &os.LinkError{Op: "renameat2", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}

// noReplaceUnsupported reports whether renameat2 failed because the
// kernel (ENOSYS) or the file system (EINVAL) does not offer
// RENAME_NOREPLACE.
func noReplaceUnsupported(err error) bool {
	return errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, errors.ErrUnsupported)
}

//go:build !linux

package sinks

import (
	"errors"
	"os"
)

// renameat2NoReplace is not available outside Linux: renameNoReplace
// falls back to a hard link.
func renameat2NoReplace(oldpath, newpath string) error {
	return &os.LinkError{Op: "renameat2", Old: oldpath, New: newpath, Err: errors.ErrUnsupported}
}

// noReplaceUnsupported reports whether the no-replace rename is not
// available (always, outside Linux).
func noReplaceUnsupported(err error) bool { return errors.Is(err, errors.ErrUnsupported) }

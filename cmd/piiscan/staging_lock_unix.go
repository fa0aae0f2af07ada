//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive flock on the file at path without waiting,
// making the file when create is set. It returns errLocked when another
// process holds the lock, or when path no longer names the file locked (a
// run removed the folder meanwhile), and an error wrapping
// errors.ErrUnsupported when the file system has no locks (an NFS mount
// without a lock manager). The lock lasts until the file is closed or the
// process ends.
func lockFile(path string, create bool) (*os.File, error) {
	flag := os.O_RDWR // NFS emulates flock with write locks, which need a writable file
	if create {
		flag |= os.O_CREATE
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case errors.Is(err, syscall.EWOULDBLOCK):
		_ = f.Close()
		return nil, errLocked
	case err != nil:
		_ = f.Close()
		return nil, fmt.Errorf("flock %s: %w (%w)", path, err, errors.ErrUnsupported)
	}
	fi, ferr := f.Stat()
	pi, perr := os.Lstat(path)
	if ferr != nil || perr != nil || !os.SameFile(fi, pi) {
		_ = f.Close()
		return nil, errLocked
	}
	return f, nil
}

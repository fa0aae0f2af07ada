//go:build unix

package scanner

import (
	"os"
	"syscall"
)

// openFile opens path for reading. os.Open would try to register the file
// with the network poller, which refuses regular files, and set and reset
// non-blocking mode on the way: five system calls per file that buy
// nothing. A file opened by syscall.Open and wrapped by os.NewFile is a
// plain blocking file (one fcntl to check). With many small objects the
// system calls are a large part of the work.
func openFile(path string) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}

//go:build !unix

package scanner

import "os"

// openFile opens path for reading (see the unix version).
func openFile(path string) (*os.File, error) { return os.Open(path) }

//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import (
	"errors"
	"os"
)

// lockFile has no flock to use here: staging folders are then told stale
// by their age only (staging.go).
func lockFile(string, bool) (*os.File, error) { return nil, errors.ErrUnsupported }

//go:build piiscan_crashpoints

package main

import (
	"os"
	"strconv"
)

// crashpoint ends the process with SIGKILL, as a crash, an OOM kill or a
// lost node would, when envCrashpoint names this point and part. Nothing
// deferred runs and no file is closed: the tests then check that a
// resumed run neither loses nor repeats an object.
func crashpoint(point string, part int) {
	if os.Getenv(envCrashpoint) != point+":"+strconv.Itoa(part) {
		return
	}
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		_ = p.Kill()
	}
	select {} // the signal is on its way
}

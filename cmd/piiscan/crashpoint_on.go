//go:build piiscan_crashpoints

package main

import (
	"os"
	"strconv"
	"syscall"
)

// crashpoint ends the process with SIGKILL, as a crash, an OOM kill or a
// lost node would, when envCrashpoint names this point and part. Nothing
// deferred runs and no file is closed: the tests then check that a
// resumed run neither loses nor repeats an object. With "stop:" before
// the point, the process stops itself (SIGSTOP) there instead, and goes on
// when sent SIGCONT: a live run caught at that point.
func crashpoint(point string, part int) {
	at := point + ":" + strconv.Itoa(part)
	sig := syscall.SIGKILL
	switch os.Getenv(envCrashpoint) {
	case at:
	case "stop:" + at:
		sig = syscall.SIGSTOP
	default:
		return
	}
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		_ = p.Signal(sig)
	}
	if sig == syscall.SIGKILL {
		select {} // the signal is on its way
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// Helpers of the tests of incremental, sampled and sharded scans.

// objectIDs identifies objects rows across runs: everything but the scan
// id, the times and the duration, with the root stripped from the object.
// Rows with reason unchanged are left out when real is set: they say that
// an earlier run holds the object's row.
func objectIDs(rows []scanner.ObjectRow, root string, real bool) []string {
	var ids []string
	for _, r := range rows {
		if real && r.Reason == string(scanner.ReasonUnchanged) {
			continue
		}
		ids = append(ids, strings.Join([]string{strings.TrimPrefix(r.Object, root), r.ObjectVersion, fmt.Sprint(r.Size, "/", r.BytesScanned),
			r.Format, r.Encoding, r.Status, r.Reason, r.Error, fmt.Sprint(r.Findings)}, "|"))
	}
	sort.Strings(ids)
	return ids
}

// countBy counts rows by status/reason.
func countBy(rows []scanner.ObjectRow) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		out[strings.TrimSuffix(r.Status+"/"+r.Reason, "/")]++
	}
	return out
}

// rowsOf keeps the rows of one scan id.
func rowsOf[T any](rows []T, scanID string, id func(T) string) []T {
	var out []T
	for _, r := range rows {
		if id(r) == scanID {
			out = append(out, r)
		}
	}
	return out
}

func objScan(r scanner.ObjectRow) string { return r.ScanID }
func findScan(f scanner.Finding) string  { return f.ScanID }

// readSummaryFile reads OUT/scans/<name>.json.
func readSummaryFile(t *testing.T, out, name string) sinks.Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "scans", name+".json"))
	require.NoError(t, err)
	var s sinks.Summary
	require.NoError(t, json.Unmarshal(b, &s))
	return s
}

// readStateHeader reads the first line of a local state file.
func readStateHeader(t *testing.T, p string) scanner.StateHeader {
	t.Helper()
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	st, err := scanner.ReadState(f, scanner.StateRun{ScanID: "reader"})
	require.NoError(t, err)
	return st.Header()
}

// buildBinary builds piiscan into a fresh directory that every user may
// read (the unreadable-file test runs it as nobody), with the build tags
// given (piiscan_crashpoints: crashpoint.go).
func buildBinary(t *testing.T, tags ...string) string {
	t.Helper()
	dir := openDir(t)
	bin := filepath.Join(dir, "piiscan")
	build := exec.Command("go", "build", "-tags", strings.Join(tags, ","), "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	return bin
}

// openDir is a temporary directory that every user may read and write.
func openDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "piiscan-ops-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o777))
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// proc is one run of the built binary.
type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
}

// startBinary starts the binary with the test key and extra environment.
func startBinary(t *testing.T, bin string, env []string, args ...string) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	p := &proc{cmd: exec.CommandContext(ctx, bin, args...)}
	p.cmd.Env = append(append(os.Environ(), "PIISCAN_HMAC_KEY="+testKey), env...)
	p.cmd.Stderr = &p.stderr
	require.NoError(t, p.cmd.Start())
	return p
}

// wait returns the exit code (-1 when killed by a signal).
func (p *proc) wait() int {
	err := p.cmd.Wait()
	if err == nil {
		return 0
	}
	return p.cmd.ProcessState.ExitCode()
}

// maxRSS is the peak resident set of the finished process, in bytes.
func (p *proc) maxRSS() int64 {
	ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return ru.Maxrss * 1024 // KiB on Linux
}

// runBinary runs the binary to the end.
func runBinary(t *testing.T, bin string, env []string, args ...string) (int, string) {
	t.Helper()
	p := startBinary(t, bin, env, args...)
	code := p.wait()
	return code, p.stderr.String()
}

// waitFor polls until cond holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool) bool {
	t.Helper()
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

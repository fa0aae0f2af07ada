package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
)

// TestHostileFolder scans a folder of damaged and extreme files: each gets
// one objects row with a status (and a reason when not complete), the scan
// goes on and exits 0.
func TestHostileFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200 MB file")
	}
	dir := t.TempDir()
	id := "440104195101058590"
	write := func(name string, b []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(strings.Repeat("row "+id+"\n", 5000)))
	require.NoError(t, zw.Close())
	write("truncated.log.gz", gz.Bytes()[:gz.Len()/2])
	write("invalid-utf8.txt", []byte("caf\xe9 \xff\xfe id "+id+"\n"))
	write("empty.csv", nil)
	// A 200 MB line with no newline: values at the start, in the middle,
	// across the 256 KiB chunk boundaries and at the very end.
	f, err := os.Create(filepath.Join(dir, "one-line.txt"))
	require.NoError(t, err)
	chunk := bytes.Repeat([]byte("x"), 1<<20-len(id)-2)
	for i := 0; i < 200; i++ {
		_, err := f.Write(append(append([]byte(" "), id...), ' '))
		require.NoError(t, err)
		_, err = f.Write(chunk)
		require.NoError(t, err)
	}
	_, err = f.WriteString(" 13812348000")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	res := scanDir(t, dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	objects := readTable[scanner.ObjectRow](t, res.out, "objects")
	require.Len(t, objects, 4)
	byName := map[string]scanner.ObjectRow{}
	for _, o := range objects {
		byName[filepath.Base(o.Object)] = o
	}
	assert.Equal(t, "partial", byName["truncated.log.gz"].Status)
	assert.Equal(t, "malformed", byName["truncated.log.gz"].Reason)
	assert.Positive(t, byName["truncated.log.gz"].Findings, "what was readable is scanned")
	assert.Equal(t, "gzip: unexpected EOF", byName["truncated.log.gz"].Error, "the error names the layer that failed")
	assert.Equal(t, "complete", byName["invalid-utf8.txt"].Status)
	assert.Equal(t, int64(1), byName["invalid-utf8.txt"].Findings)
	assert.Equal(t, "skipped", byName["empty.csv"].Status)
	assert.Equal(t, "empty", byName["empty.csv"].Reason)
	line := byName["one-line.txt"]
	assert.Equal(t, "complete", line.Status)
	assert.Equal(t, int64(201), line.Findings, "every value of the 200 MB line, none lost at chunk boundaries")
	assert.Equal(t, line.Size, line.BytesScanned)
}

// TestInterrupt sends SIGINT to a running scan of the built binary: it must
// stop within seconds with exit 130 and leave readable Parquet files.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and scans a large corpus")
	}
	bin := filepath.Join(t.TempDir(), "piiscan")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	dir := t.TempDir()
	_, err := corpus.Generate(dir, corpus.Options{Seed: 3, AsOf: testAsOf, TargetBytes: 400 << 20})
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "out")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "scan", dir, "--out", out, "--workers", "1", "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	time.Sleep(700 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	start := time.Now()
	err = cmd.Wait()
	took := time.Since(start)
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, stderr.String())
	assert.Equal(t, exitInterrupted, ee.ExitCode(), stderr.String())
	assert.Less(t, took, 10*time.Second, "stops within seconds")

	objects := readTable[scanner.ObjectRow](t, out, "objects")
	findings := readTable[scanner.Finding](t, out, "findings")
	var n int64
	for _, o := range objects {
		n += o.Findings
	}
	assert.Equal(t, n, int64(len(findings)), "findings of written objects are all there")
	temps, _ := filepath.Glob(filepath.Join(out, "*", "dt=*", ".*.tmp"))
	assert.Empty(t, temps, "no temporary files left")
	matches, _ := filepath.Glob(filepath.Join(out, "scans", "*.json"))
	require.Len(t, matches, 1)
	b, err := os.ReadFile(matches[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"interrupted": true`)
}

// TestFollowSymlinksCycle scans a folder whose links lead round in circles
// with --follow-symlinks: the scan ends, the files reached through a link
// that closes no circle are scanned, and the links that would are named in
// a warning. Following any link to a folder used to recurse until the
// stack overflowed, with no outputs.
func TestFollowSymlinksCycle(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a/phone.txt", "b/phone.txt"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, p), []byte("tel 13812348000\n"), 0o644))
	}
	require.NoError(t, os.Symlink(dir, filepath.Join(dir, "a", "top")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "b"), filepath.Join(dir, "a", "to-b")))

	res := scanDir(t, dir, "--follow-symlinks")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "link not followed: it leads back into a folder being walked")
	objects := readTable[scanner.ObjectRow](t, res.out, "objects")
	var names []string
	for _, o := range objects {
		names = append(names, strings.TrimPrefix(o.Object, "file://"+filepath.ToSlash(dir)+"/"))
	}
	assert.ElementsMatch(t, []string{"a/phone.txt", "a/to-b/phone.txt", "b/phone.txt"}, names)

	// Without the flag no link is followed.
	res = scanDir(t, dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Len(t, readTable[scanner.ObjectRow](t, res.out, "objects"), 2)
}

// TestScanSkipsOwnOutput scans a folder that holds the --out folder and
// the incremental state, twice ("piiscan scan ." with the default --out
// ./piiscan-out): neither run lists the outputs (being written, or an
// earlier run's), only the data.
func TestScanSkipsOwnOutput(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("tel 13812348000\n"), 0o644))
	t.Chdir(dir)
	for run := range 2 {
		res := runCLI(t, "", "scan", ".", "--incremental", "state.json", "--scan-id", fmt.Sprintf("self-%d", run), "--log-level", "info")
		require.Equal(t, exitOK, res.code, res.stderr)
		assert.Contains(t, res.stderr, "it is the scan's own output")
		objects := readTable[scanner.ObjectRow](t, "piiscan-out", "objects")
		for _, o := range objects {
			assert.Equal(t, "file://"+filepath.ToSlash(filepath.Join(dir, "a.txt")), o.Object, "run %d", run)
		}
	}
}

// globPrune prunes a folder only when an exclude glob covers every path
// below it: one ending in /**, or one without '/' that names the folder
// (node_modules, as in .gitignore); the files it leaves out are those the
// exclude filter leaves out.
func TestGlobPrune(t *testing.T) {
	assert.Nil(t, globPrune(nil))
	assert.Nil(t, globPrune([]string{"tmp/*", "a/*.log"}), "no glob covers a whole folder")
	prune := globPrune([]string{"cache/**", "**/node_modules/**", "*.tmp", ".git"})
	for rel, want := range map[string]bool{
		"cache": true, "a/cache": false, "node_modules": true, "web/app/node_modules": true,
		"web": false, "cache2": false, "x.tmp": true, "a/b.tmp": true, ".git": true, "src/.git": true, "git": false,
	} {
		assert.Equal(t, want, prune(rel), rel)
	}
	// A glob without '/' leaves out what is below a folder it names, at
	// any depth, and the files it names; not a folder's part of a name.
	filter := globFilter(nil, []string{"node_modules", "*.log"})
	for name, want := range map[string]bool{
		"node_modules/x.js": false, "web/node_modules/p/q.json": false, "a.log": false, "x/a.log": false,
		"my_node_modules/x.js": true, "src/app.js": true, "logs/x.txt": true,
	} {
		assert.Equal(t, want, filter(scanner.ObjectInfo{Name: name}), name)
	}
	include := globFilter([]string{"*.csv"}, nil)
	assert.True(t, include(scanner.ObjectInfo{Name: "a/b/c.csv"}))
	assert.False(t, include(scanner.ObjectInfo{Name: "a/b/c.json"}))

	// Whatever lies in a pruned folder is excluded by the filter too.
	filter = globFilter(nil, []string{"cache/**", "**/node_modules/**"})
	for _, name := range []string{"cache/a.txt", "cache/d/e/f.csv", "node_modules/x.js", "web/node_modules/p/q.json"} {
		assert.False(t, filter(scanner.ObjectInfo{Name: name}), name)
	}
}

//go:build unix

package scanner_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestLocalSpecialFiles: a named pipe given as a target, or reached
// through a followed link, is listed as skipped without being opened (an
// open blocked until a writer came, and the run could not be stopped); a
// pipe found in a folder is not an object.
func TestLocalSpecialFiles(t *testing.T) {
	t.Parallel()
	pipe, dir := filepath.Join(t.TempDir(), "pipe"), t.TempDir()
	require.NoError(t, syscall.Mkfifo(pipe, 0o600))
	require.NoError(t, os.Symlink(pipe, filepath.Join(dir, "pipe_link")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "inner_pipe"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("手机 13812348000\n"), 0o644))
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{pipe, dir}, FollowSymlinks: true})
	require.NoError(t, err)

	eng, sink, done := engine(t), &scannertest.Sink{}, make(chan error, 1)
	go func() {
		_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "t", Workers: 2}, src, eng, sink)
		done <- err
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("the scan hangs on a named pipe")
	}
	got := map[string]*scanner.ObjectResult{}
	for _, r := range sink.Results {
		got[r.Info.Name] = r
	}
	require.Len(t, got, 3, "the pipe as a target, the link and ok.txt; a pipe in the folder is not an object")
	assert.Equal(t, scanner.StatusComplete, got["ok.txt"].Status)
	for _, name := range []string{"pipe", "pipe_link"} {
		r := got[name]
		require.NotNil(t, r, name)
		assert.Equal(t, scanner.StatusSkipped, r.Status, name)
		assert.Equal(t, scanner.ReasonUnsupported, r.Reason, name)
		assert.ErrorContains(t, r.Err, "named pipe", name)
	}
}

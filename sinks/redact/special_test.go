//go:build unix

package redact

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// TestRedactNamedPipe: a named pipe given as SRC is skipped, never opened
// (an open would wait for a writer).
func TestRedactNamedPipe(t *testing.T) {
	t.Parallel()
	pipe := filepath.Join(t.TempDir(), "pipe")
	require.NoError(t, syscall.Mkfifo(pipe, 0o600))
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{pipe}})
	require.NoError(t, err)
	var got *Result
	done := make(chan error, 1)
	eng, pol := engine(t), defaultPolicy(t)
	go func() {
		_, _, err := Run(context.Background(), Config{Policy: pol, OnResult: func(r *Result) { got = r }}, src, eng, &LocalDest{Root: t.TempDir()})
		done <- err
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("redact hangs on a named pipe")
	}
	require.NotNil(t, got)
	assert.Equal(t, StatusSkipped, got.Status)
	assert.Equal(t, string(scanner.ReasonUnsupported), string(got.Reason))
}

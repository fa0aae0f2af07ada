package scanner_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// hookSource runs a hook on a file before or after it is opened, to
// change or remove it while the scan runs.
type hookSource struct {
	*scanner.LocalSource
	before, after map[string]func(path string)
}

func (h *hookSource) Open(ctx context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	p := strings.TrimPrefix(o.Key, "file://")
	if f := h.before[filepath.Base(p)]; f != nil {
		f(p)
	}
	rc, err := h.LocalSource.Open(ctx, o)
	if f := h.after[filepath.Base(p)]; f != nil && err == nil {
		f(p)
	}
	return rc, err
}

// TestFilesVanishOrChange: a file removed after listing is skipped/
// not_found (nothing of it is left to lose); one written to or removed while it is read is partial/
// changed_during_scan, since its findings may mix two versions; the
// others are complete.
func TestFilesVanishOrChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	body := "id 440104195101058590\n"
	for _, n := range []string{"ok.txt", "gone.txt", "grows.txt", "touched.txt", "removed.txt"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644))
	}
	local, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
	require.NoError(t, err)
	appendTo := func(p string) {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString("more\n")
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
	src := &hookSource{LocalSource: local,
		before: map[string]func(string){"gone.txt": func(p string) { require.NoError(t, os.Remove(p)) }},
		after: map[string]func(string){
			"grows.txt":   appendTo,
			"touched.txt": func(p string) { require.NoError(t, os.Chtimes(p, time.Now(), time.Now().Add(time.Hour))) },
			"removed.txt": func(p string) { require.NoError(t, os.Remove(p)) },
		},
	}
	sink := run(t, src, scanner.Config{Workers: 2})
	require.Len(t, sink.Results, 5, "one row per listed file")
	tests := []struct {
		name   string
		status scanner.Status
		reason scanner.Reason
		err    string
	}{
		{"ok.txt", scanner.StatusComplete, "", ""},
		{"gone.txt", scanner.StatusSkipped, scanner.ReasonNotFound, "no such file"},
		{"grows.txt", scanner.StatusPartial, scanner.ReasonChanged, "changed during the scan"},
		{"touched.txt", scanner.StatusPartial, scanner.ReasonChanged, "changed during the scan"},
		{"removed.txt", scanner.StatusPartial, scanner.ReasonChanged, "vanished during the scan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			assert.Equal(t, tt.status, r.Status, "%v", r.Err)
			assert.Equal(t, tt.reason, r.Reason, "%v", r.Err)
			if tt.err != "" {
				require.Error(t, r.Err)
				assert.Contains(t, r.Err.Error(), tt.err)
			}
		})
	}
}

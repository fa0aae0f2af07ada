package scanner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

func gz(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

// panicReader panics on the first read, as a buggy decoder might.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("decoder bug: index out of range") }

// slowReader returns one byte per call and sleeps, to hit the timeout.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(p []byte) (int, error) {
	time.Sleep(2 * time.Millisecond)
	return s.r.Read(p[:1])
}

// TestHostileInputs: each bad object becomes exactly one result with a
// status and reason, and the other objects are scanned normally.
func TestHostileInputs(t *testing.T) {
	t.Parallel()
	id := "440104195101058590"
	full := gz(t, strings.Repeat("line "+id+"\n", 2000))
	files := map[string][]byte{
		"ok.txt":           []byte("id " + id),
		"truncated.gz":     full[:len(full)/2],
		"latin1.txt":       append([]byte("caf\xe9 "+id+" \xff\xfe\xfd"), bytes.Repeat([]byte{0xe9}, 10)...),
		"empty.txt":        {},
		"binary.bin":       append([]byte{0x7f, 'E', 'L', 'F', 0, 0}, bytes.Repeat([]byte{0}, 100)...),
		"deep.json":        []byte(strings.Repeat("[", 100_000) + `"` + id + `"` + strings.Repeat("]", 100_000)),
		"bad.json":         []byte(`{"a": "13812348000", "b": nope, "c": "` + id + `"}`),
		"image.png":        []byte("\x89PNG\r\n\x1a\nxxxx"),
		"bomb.gz":          gz(t, strings.Repeat("a", 8<<20)),
		"utf16.txt":        utf16le("身份证 " + id),
		"panic.txt":        []byte("x"),
		"slow.txt":         []byte(strings.Repeat("y", 10_000)),
		"big.txt":          bytes.Repeat([]byte("z"), 300_000),
		"unterminated.csv": []byte("a,b\n1,\"" + id + " never closed"),
	}
	src := &scannertest.MemSource{Files: files, Errors: map[string]error{"denied.txt": fs.ErrPermission}}
	src.Reader = nil
	wrapped := &wrapSource{MemSource: src, wrap: map[string]func(io.Reader) io.Reader{
		"panic.txt": func(io.Reader) io.Reader { return panicReader{} },
		"slow.txt":  func(r io.Reader) io.Reader { return slowReader{r} },
	}}
	// The workers read every object themselves: how a slow object ends
	// (partial, with what was read) must not depend on when a read-ahead
	// goroutine gets a CPU. TestPrefetchHostile covers reading ahead.
	// The timeout is far above what any other object needs even on a
	// loaded machine under -race (300 ms was once too little for the
	// gzip bomb to reach its ratio limit first), and far below the 20 s
	// slow.txt takes.
	sink := run(t, wrapped, scanner.Config{Workers: 3, ObjectTimeout: 3 * time.Second, MaxObjectSize: 250_000, MaxRatio: 100, Prefetch: -1})
	require.Len(t, sink.Results, len(files)+1, "one result per object")

	tests := []struct {
		name     string
		status   scanner.Status
		reason   scanner.Reason
		findings int
	}{
		{"ok.txt", scanner.StatusComplete, "", 1},
		{"truncated.gz", scanner.StatusPartial, scanner.ReasonMalformed, -1},
		{"latin1.txt", scanner.StatusComplete, "", 1},
		{"empty.txt", scanner.StatusSkipped, scanner.ReasonEmpty, 0},
		{"binary.bin", scanner.StatusSkipped, scanner.ReasonUnsupported, 0},
		{"deep.json", scanner.StatusPartial, scanner.ReasonMalformed, 1},
		{"bad.json", scanner.StatusPartial, scanner.ReasonMalformed, 2},
		{"image.png", scanner.StatusSkipped, scanner.ReasonUnsupported, 0},
		{"bomb.gz", scanner.StatusPartial, scanner.ReasonArchiveLimit, 0},
		{"utf16.txt", scanner.StatusComplete, "", 1},
		{"panic.txt", scanner.StatusFailed, scanner.ReasonInternal, 0},
		{"slow.txt", scanner.StatusPartial, scanner.ReasonTimeout, 0},
		{"big.txt", scanner.StatusSkipped, scanner.ReasonTooLarge, 0},
		{"unterminated.csv", scanner.StatusPartial, scanner.ReasonMalformed, 1},
		{"denied.txt", scanner.StatusFailed, scanner.ReasonPermissionDenied, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			assert.Equal(t, tt.status, r.Status, "error: %v", r.Err)
			assert.Equal(t, tt.reason, r.Reason, "error: %v", r.Err)
			if tt.status != scanner.StatusComplete {
				require.Error(t, r.Err)
				assert.NotContains(t, r.Err.Error(), id, "error text must not carry content")
				assert.NotContains(t, r.Err.Error(), "13812348000")
			}
			if tt.findings >= 0 {
				assert.Len(t, r.Findings, tt.findings)
			} else {
				assert.NotEmpty(t, r.Findings, "what was read before the damage is scanned")
			}
		})
	}
	assert.Equal(t, "iso-8859-1", sink.ByName("latin1.txt").Encoding)
	assert.Equal(t, "utf-16le", sink.ByName("utf16.txt").Encoding)
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// wrapSource wraps the readers of some objects.
type wrapSource struct {
	*scannertest.MemSource
	wrap map[string]func(io.Reader) io.Reader
}

func (w *wrapSource) Open(ctx context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	rc, err := w.MemSource.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	if f := w.wrap[o.Name]; f != nil {
		return io.NopCloser(f(rc)), nil
	}
	return rc, nil
}

package scanner_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// manySmall is n small objects; every third holds one mobile number.
func manySmall(n int) *scannertest.MemSource {
	files := map[string][]byte{}
	for i := range n {
		body := fmt.Sprintf("order %d shipped at 2026-11-16 08:00:00\n", i)
		if i%3 == 0 {
			body += "contact 13812348000\n"
		}
		files[fmt.Sprintf("f%05d.txt", i)] = []byte(body)
	}
	return &scannertest.MemSource{Files: files}
}

// Objects and results travel in batches between the lister, the workers
// and the sink: every object still gets exactly one result, at any number
// of workers, and the big ones are not held back with the small ones.
func TestRunBatchesLoseNothing(t *testing.T) {
	src := manySmall(1000)
	// 1.3 MB: a batch of its own.
	src.Files["big.txt"] = []byte(strings.Repeat(strings.Repeat("nothing to see here; ", 60)+"contact 13812348000\n", 1000))
	for _, workers := range []int{1, 3} {
		sink := run(t, src, scanner.Config{Workers: workers})
		require.Len(t, sink.Results, 1001)
		seen := map[string]bool{}
		var findings int64
		for _, r := range sink.Results {
			require.False(t, seen[r.Info.Name], "%s written twice", r.Info.Name)
			seen[r.Info.Name] = true
			assert.Equal(t, scanner.StatusComplete, r.Status, r.Info.Name)
			findings += r.FindingCount()
		}
		assert.Equal(t, int64(334+1000), findings, "workers=%d", workers)
	}
}

// stepSource lists its objects one at a time, each only after the sink
// has written the one before: a lister or a worker that held an object or
// a result back, waiting for a batch to fill, would never finish.
type stepSource struct {
	*scannertest.MemSource
	names   []string
	written chan struct{}
}

func (s *stepSource) Walk(ctx context.Context, fn func(scanner.ObjectInfo) error) error {
	for i, n := range s.names {
		if i > 0 {
			select {
			case <-s.written:
			case <-time.After(10 * time.Second):
				return fmt.Errorf("object %d was not written within 10s of being listed", i-1)
			}
		}
		if err := fn(scanner.ObjectInfo{Source: "mem", Key: "mem://" + n, Name: n, Size: int64(len(s.Files[n]))}); err != nil {
			return err
		}
	}
	return nil
}

type notifySink struct {
	scannertest.Sink
	written chan struct{}
}

func (s *notifySink) WriteObject(ctx context.Context, r *scanner.ObjectResult) error {
	if err := s.Sink.WriteObject(ctx, r); err != nil {
		return err
	}
	s.written <- struct{}{}
	return nil
}

func TestRunBatchesDoNotWaitForMore(t *testing.T) {
	src := manySmall(5)
	step := &stepSource{MemSource: src, written: make(chan struct{}, 1)}
	for n := range src.Files {
		step.names = append(step.names, n)
	}
	sink := &notifySink{written: step.written}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "t", Workers: 2}, step, engine(t), sink)
	require.NoError(t, err)
	assert.Len(t, sink.Results, 5)
}

// cancelSink interrupts the run after writing `after` objects.
type cancelSink struct {
	scannertest.Sink
	after  int
	cancel context.CancelFunc
	n      atomic.Int64
}

func (s *cancelSink) WriteObject(ctx context.Context, r *scanner.ObjectResult) error {
	if s.n.Add(1) == int64(s.after) {
		s.cancel()
	}
	return s.Sink.WriteObject(ctx, r)
}

// An interrupted run accounts for every listed object: written, or
// abandoned (in flight, waiting in a batch, or never started).
func TestRunInterruptedAccountsForEveryObject(t *testing.T) {
	for _, workers := range []int{1, 4} {
		ctx, cancel := context.WithCancel(context.Background())
		sink := &cancelSink{after: 50, cancel: cancel}
		src := manySmall(3000)
		src.Reader = func(r io.Reader) io.Reader { return pausingReader{r} }
		st, err := scanner.Run(ctx, scanner.Config{ScanID: "t", Workers: workers}, src, engine(t), sink)
		cancel()
		require.ErrorIs(t, err, context.Canceled)
		assert.True(t, st.Interrupted)
		assert.GreaterOrEqual(t, st.Written, int64(50))
		assert.Less(t, st.Written, int64(3000), "the run stopped early")
		assert.Equal(t, st.Listed, st.Written+st.Abandoned, "workers=%d: listed %d, written %d, abandoned %d", workers, st.Listed, st.Written, st.Abandoned)
		assert.Equal(t, int64(len(sink.Results)), st.Written)
	}
}

// pausingReader makes each object take a little time, so the run is still
// going when it is interrupted.
type pausingReader struct{ r io.Reader }

func (s pausingReader) Read(p []byte) (int, error) {
	time.Sleep(100 * time.Microsecond)
	return s.r.Read(p)
}

// gateSource holds the reading of its large object until the sink has
// written an object: the small results before it must not wait in a
// worker's batch for as long as the large object takes.
type gateSource struct {
	*scannertest.MemSource
	written chan struct{}
}

func (s *gateSource) Open(ctx context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	rc, err := s.MemSource.Open(ctx, o)
	if err != nil || o.Size < 1<<20 {
		return rc, err
	}
	select {
	case <-s.written:
		return rc, nil
	case <-time.After(10 * time.Second):
		return nil, fmt.Errorf("%s: nothing was written within 10s", o.Name)
	}
}

func TestRunBatchGoesBeforeLargeObject(t *testing.T) {
	src := manySmall(3)
	src.Files["z-big.txt"] = []byte(strings.Repeat("nothing to see here\n", 60_000)) // 1.2 MB
	sink := &notifySink{written: make(chan struct{}, 8)}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "t", Workers: 1}, &gateSource{src, sink.written}, engine(t), sink)
	require.NoError(t, err)
	require.Len(t, sink.Results, 4)
	assert.Equal(t, scanner.StatusComplete, sink.ByName("z-big.txt").Status, "%v", sink.ByName("z-big.txt").Err)
}

// countingReader counts the calls that reach it.
type countingReader struct {
	r     io.Reader
	calls int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.calls++
	return c.r.Read(p)
}

// LimitReader does not ask its reader again once it said io.EOF: a
// sniffing buffer reads again after reporting the end to a Peek, which
// for a file is one more system call per object.
func TestLimitReaderStopsAtEOF(t *testing.T) {
	c := &countingReader{r: strings.NewReader("short")}
	l := scanner.NewLimitReader(context.Background(), c, 1<<20)
	b, err := io.ReadAll(l)
	require.NoError(t, err)
	assert.Equal(t, "short", string(b))
	calls := c.calls
	for range 3 {
		n, err := l.Read(make([]byte, 8))
		assert.Zero(t, n)
		assert.ErrorIs(t, err, io.EOF)
	}
	assert.Equal(t, calls, c.calls, "no read after the end")
	assert.Equal(t, int64(5), l.N())

	// The object's context still comes first.
	ctx, cancel := context.WithCancel(context.Background())
	l = scanner.NewLimitReader(ctx, strings.NewReader(""), 10)
	_, _ = l.Read(make([]byte, 1))
	cancel()
	_, err = l.Read(make([]byte, 1))
	assert.ErrorIs(t, err, context.Canceled)
}

// TestRunAbandonsAfterGrace: an object still being read when the grace
// period after an interrupt ends is abandoned and counted, without a
// crash (a nil result used to be written to), and nothing half-scanned
// reaches the sink.
func TestRunAbandonsAfterGrace(t *testing.T) {
	t.Parallel()
	src := &scannertest.StallSource{MemSource: scannertest.MemSource{Files: map[string][]byte{"a.txt": nil, "b.txt": nil}},
		Head: "手机 13812348000\n", Opened: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-src.Opened; cancel() }()
	sink := &scannertest.Sink{}
	st, err := scanner.Run(ctx, scanner.Config{ScanID: "t", Workers: 1, Prefetch: -1, Grace: 10 * time.Millisecond}, src, engine(t), sink)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, st.Interrupted)
	assert.GreaterOrEqual(t, st.Abandoned, int64(1))
	assert.Equal(t, st.Listed, st.Written+st.Abandoned)
	assert.Empty(t, sink.Results)
}

// TestFailedOpensAreLogged: an object that cannot be opened is named in a
// warning, as a damaged one is (with --quiet, warnings are all a user
// sees of what failed).
func TestFailedOpensAreLogged(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	src := &scannertest.MemSource{Files: map[string][]byte{"ok.txt": []byte("x\n")}, Errors: map[string]error{"denied.txt": fs.ErrPermission}}
	run(t, src, scanner.Config{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	assert.Contains(t, log.String(), "object not complete")
	assert.Contains(t, log.String(), "denied.txt")
	assert.Contains(t, log.String(), "permission_denied")
	assert.NotContains(t, log.String(), "ok.txt")
}

// TestEmptyObjectsAreNotWarned: an empty object is a skipped/empty row in
// the inventory but no warning (nothing in it went unread), while a
// damaged one next to it still is one.
func TestEmptyObjectsAreNotWarned(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	src := &scannertest.MemSource{Files: map[string][]byte{"empty.txt": {}, "ok.txt": []byte("x\n")}, Errors: map[string]error{"denied.txt": fs.ErrPermission}}
	sink := run(t, src, scanner.Config{Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	r := sink.ByName("empty.txt")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusSkipped, r.Status)
	assert.Equal(t, scanner.ReasonEmpty, r.Reason)
	assert.NotContains(t, log.String(), "empty.txt")
	assert.Contains(t, log.String(), "denied.txt")
}

// TestUnsupportedObjectsAreNotWarned: a picture or a program is a
// skipped/unsupported_format row and an info line, not a warning (a
// checkout's .git gave 3,500 of them under --quiet), while a zip holding
// one is partial and still warned, as a damaged object is.
func TestUnsupportedObjectsAreNotWarned(t *testing.T) {
	t.Parallel()
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	f, err := zw.Create("logo.png")
	require.NoError(t, err)
	_, _ = f.Write(png)
	f, err = zw.Create("doc.pdf")
	require.NoError(t, err)
	_, _ = f.Write([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"))
	require.NoError(t, zw.Close())
	var warn, info bytes.Buffer
	src := &scannertest.MemSource{Files: map[string][]byte{"logo.png": png, "bundle.zip": zbuf.Bytes(), "ok.txt": []byte("x\n")}, Errors: map[string]error{"denied.txt": fs.ErrPermission}}
	sink := run(t, src, scanner.Config{Logger: slog.New(slog.NewTextHandler(&warn, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	r := sink.ByName("logo.png")
	require.NotNil(t, r)
	assert.Equal(t, scanner.StatusSkipped, r.Status)
	assert.Equal(t, scanner.ReasonUnsupported, r.Reason)
	assert.NotContains(t, warn.String(), "logo.png")
	assert.Contains(t, warn.String(), "bundle.zip", "a container with an unread member is partial, and warned")
	assert.Contains(t, warn.String(), "denied.txt")
	run(t, src, scanner.Config{Logger: slog.New(slog.NewTextHandler(&info, nil))})
	assert.Contains(t, info.String(), "logo.png", "an info line still names it")
}

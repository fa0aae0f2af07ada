package scanner_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Small remote objects are read ahead, many at once, while one worker
// scans; each is read once, and what is found is what a worker reading
// them itself finds.
func TestPrefetchReadsAheadConcurrently(t *testing.T) {
	src := manySmall(200)
	src.Files["big.txt"] = []byte(strings.Repeat(strings.Repeat("nothing here; ", 90)+"contact 13812348000\n", 1000)) // 1.3 MB: its worker reads it
	bs := &scannertest.BarrierSource{Source: src, Need: 8, Max: 1 << 20}
	sink := run(t, bs, scanner.Config{Workers: 1, Prefetch: 8})
	require.Len(t, sink.Results, 201)
	var findings int64
	for _, r := range sink.Results {
		require.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", r.Info.Name, r.Err)
		findings += r.FindingCount()
	}
	assert.Equal(t, int64(67+1000), findings)
	assert.Equal(t, int64(201), bs.Opens.Load(), "every object is opened once")
	assert.Zero(t, bs.Twice.Load())

	// Off, the same run reads one object at a time (and so cannot pass
	// the barrier of 8): the objects fail, which shows nothing read ahead.
	bs = &scannertest.BarrierSource{Source: manySmall(3), Need: 2, Wait: 200 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	off := &scannertest.Sink{}
	_, err := scanner.Run(ctx, scanner.Config{ScanID: "t", Workers: 1, Prefetch: -1}, bs, engine(t), off)
	require.NoError(t, err)
	assert.Equal(t, scanner.StatusFailed, off.Results[0].Status, "with reading ahead off, the first open waits alone")
}

// countSource counts opens per object.
type countSource struct {
	*scannertest.MemSource
	mu    sync.Mutex
	opens map[string]int
}

func (s *countSource) Open(ctx context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	s.mu.Lock()
	s.opens[o.Name]++
	s.mu.Unlock()
	return s.MemSource.Open(ctx, o)
}

// Objects that will not be read are not read ahead: those the incremental
// state skips (asked through WouldSkip, which counts nothing) and those
// sampled out.
func TestPrefetchSkipsWhatIsNotRead(t *testing.T) {
	src := &countSource{MemSource: manySmall(100), opens: map[string]int{}}
	var skipAsked atomic.Int64
	cfg := scanner.Config{
		Workers: 2,
		Skip: func(o scanner.ObjectInfo) (scanner.Reason, string) {
			skipAsked.Add(1)
			if strings.HasSuffix(o.Name, "0.txt") {
				return scanner.ReasonUnchanged, "unchanged"
			}
			return scanner.ReasonNone, ""
		},
		WouldSkip: func(o scanner.ObjectInfo) bool { return strings.HasSuffix(o.Name, "0.txt") },
		Sample:    scanner.Sample{Objects: 50, Seed: 3},
	}
	sink := run(t, src, cfg)
	require.Len(t, sink.Results, 100)
	assert.Equal(t, int64(100), skipAsked.Load(), "Skip is asked once per object, by its worker (WouldSkip asks for reading ahead)")
	assert.Positive(t, countSampledOut(sink))
	for _, r := range sink.Results {
		n := src.opens[r.Info.Name]
		if r.Status == scanner.StatusSkipped {
			assert.Zero(t, n, "%s (%s) was read", r.Info.Name, r.Reason)
		} else {
			assert.Equal(t, 1, n, r.Info.Name)
		}
	}
}

func countSampledOut(s *scannertest.Sink) int {
	n := 0
	for _, r := range s.Results {
		if r.Reason == scanner.ReasonSampledOut {
			n++
		}
	}
	return n
}

// Reading ahead replays what went wrong as the worker's own read would
// have met it: a panic in the source is the worker's decoder panic, a
// denied object fails at open, a truncated one is partial with what came
// before the damage, and a slow one ends on the object timeout.
func TestPrefetchHostile(t *testing.T) {
	t.Parallel()
	id := "440104195101058590"
	full := gz(t, strings.Repeat("line "+id+"\n", 2000))
	files := map[string][]byte{
		"ok.txt":       []byte("id " + id),
		"truncated.gz": full[:len(full)/2],
		"panic.txt":    []byte("x"),
		"slow.txt":     []byte(strings.Repeat("y", 10_000)),
	}
	src := &scannertest.MemSource{Files: files, Errors: map[string]error{"denied.txt": fs.ErrPermission}}
	wrapped := &wrapSource{MemSource: src, wrap: map[string]func(io.Reader) io.Reader{
		"panic.txt": func(io.Reader) io.Reader { return panicReader{} },
		"slow.txt":  func(r io.Reader) io.Reader { return slowReader{r} },
	}}
	sink := run(t, wrapped, scanner.Config{Workers: 2, ObjectTimeout: 3 * time.Second, Prefetch: 4}) // see TestHostileInputs
	require.Len(t, sink.Results, 5)
	for name, want := range map[string]struct {
		status scanner.Status
		reason scanner.Reason
	}{
		"ok.txt":       {scanner.StatusComplete, ""},
		"truncated.gz": {scanner.StatusPartial, scanner.ReasonMalformed},
		"panic.txt":    {scanner.StatusFailed, scanner.ReasonInternal},
		"denied.txt":   {scanner.StatusFailed, scanner.ReasonPermissionDenied},
	} {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		assert.Equal(t, want.status, r.Status, "%s: %v", name, r.Err)
		assert.Equal(t, want.reason, r.Reason, "%s: %v", name, r.Err)
	}
	assert.NotEmpty(t, sink.ByName("truncated.gz").Findings, "what came before the damage is scanned")
	// Partial with what was read, or failed when the read ahead got no
	// CPU before the deadline: a timeout either way.
	assert.Equal(t, scanner.ReasonTimeout, sink.ByName("slow.txt").Reason, "%v", sink.ByName("slow.txt").Err)
}

// A sample window (--sample-bytes) of a large object is read ahead too,
// and scanned as the worker would scan it itself.
func TestPrefetchSampleWindows(t *testing.T) {
	files := map[string][]byte{}
	for i := range 40 {
		// 4 KB: a number in the first KiB, another after it.
		body := "tel 13812348000\n" + strings.Repeat("filler line without numbers\n", 60) + "tel 13912349000\n" + strings.Repeat("x", 2000)
		files[fmt.Sprintf("big-%02d.txt", i)] = []byte(body)
	}
	cfg := scanner.Config{Workers: 1, Sample: scanner.Sample{Bytes: 1024}}
	cfg.Prefetch = 8
	bs := &scannertest.BarrierSource{Source: &scannertest.MemSource{Files: files}, Need: 8}
	ahead := run(t, bs, cfg)
	cfg.Prefetch = -1
	own := run(t, &scannertest.MemSource{Files: files}, cfg)
	require.Len(t, ahead.Results, 40)
	for _, r := range own.Results {
		a := ahead.ByName(r.Info.Name)
		require.NotNil(t, a)
		assert.Equal(t, r.Status, a.Status, r.Info.Name)
		assert.Equal(t, scanner.ReasonSampled, a.Reason, "%s: %v", r.Info.Name, a.Err)
		assert.Equal(t, locs(r), locs(a), r.Info.Name)
		assert.Len(t, a.Findings, 1, "only the first KiB is read")
	}
}

// Sampled objects are partial by request: they are not logged as
// warnings one by one (a sampled scan of a bucket would log one per
// object), while a damaged object still is.
func TestSampledObjectsDoNotWarn(t *testing.T) {
	var log bytes.Buffer
	files := map[string][]byte{
		"a.txt":    []byte(strings.Repeat("line of text\n", 100)),
		"b.txt":    []byte(strings.Repeat("line of text\n", 100)),
		"bad.json": []byte(`{"a": nope}`), // under the sample size: read whole
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1, Sample: scanner.Sample{Bytes: 512},
		Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	assert.Equal(t, scanner.ReasonSampled, sink.ByName("a.txt").Reason)
	assert.Equal(t, 1, strings.Count(log.String(), "level=WARN"), log.String())
	assert.Contains(t, log.String(), "bad.json")
}

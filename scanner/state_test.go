package scanner_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

var t0 = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

func obj(key string, size int64) scanner.ObjectInfo {
	return scanner.ObjectInfo{Source: "file", Key: key, Name: key, Size: size, ModTime: t0}
}

func runInfo(id string, ruleset string) scanner.StateRun {
	return scanner.StateRun{ScanID: id, StartedAt: t0, Ruleset: ruleset}
}

// roundTrip encodes s and reads it back for the next run.
func roundTrip(t *testing.T, s *scanner.State, complete bool, next scanner.StateRun) (*scanner.State, string) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, s.Encode(&b, complete, 0, t0.Add(time.Hour)))
	got, err := scanner.ReadState(bytes.NewReader(b.Bytes()), next)
	require.NoError(t, err)
	return got, b.String()
}

// TestStateSkipRules: which recorded outcomes make an unchanged object a
// skip in the next run, after a complete run and when resuming.
func TestStateSkipRules(t *testing.T) {
	t.Parallel()
	type rec struct {
		status scanner.Status
		reason scanner.Reason
	}
	tests := []struct {
		name            string
		rec             rec
		afterComplete   bool // skipped by a new run after a complete one
		afterInterrupts bool // skipped by a run resuming an interrupted one
	}{
		{"complete", rec{scanner.StatusComplete, ""}, true, true},
		{"malformed", rec{scanner.StatusPartial, scanner.ReasonMalformed}, true, true},
		{"archive limit", rec{scanner.StatusPartial, scanner.ReasonArchiveLimit}, true, true},
		{"empty", rec{scanner.StatusSkipped, scanner.ReasonEmpty}, true, true},
		{"unsupported", rec{scanner.StatusSkipped, scanner.ReasonUnsupported}, true, true},
		{"failed is retried", rec{scanner.StatusFailed, scanner.ReasonPermissionDenied}, false, true},
		{"timeout is retried", rec{scanner.StatusPartial, scanner.ReasonTimeout}, false, true},
		{"sampled out is re-decided", rec{scanner.StatusSkipped, scanner.ReasonSampledOut}, false, true},
		{"byte sample is rescanned", rec{scanner.StatusPartial, scanner.ReasonSampled}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := obj("file:///d/a.csv", 10)
			for _, complete := range []bool{true, false} {
				s := scanner.NewState(runInfo("run1", "rs1"))
				s.Record(o, tt.rec.status, tt.rec.reason, t0, "")
				next, _ := roundTrip(t, s, complete, runInfo("run2", "rs1"))
				reason, note := next.Skip(o)
				want := tt.afterComplete
				if !complete {
					want = tt.afterInterrupts
				}
				if want {
					assert.Equal(t, scanner.ReasonUnchanged, reason, "complete=%v", complete)
					assert.Contains(t, note, "2026-11-20T03:00:00Z")
				} else {
					assert.Equal(t, scanner.ReasonNone, reason, "complete=%v", complete)
				}
			}
		})
	}
}

// TestStateVersionAndRuleset: a new version or another ruleset rescans.
func TestStateVersionAndRuleset(t *testing.T) {
	t.Parallel()
	s := scanner.NewState(runInfo("run1", "rs1"))
	a, b, stdin := obj("file:///d/a", 10), obj("file:///d/b", 20), scanner.ObjectInfo{Source: "stdin", Key: "stdin://", Size: -1}
	s.Record(a, scanner.StatusComplete, "", t0, "")
	s.Record(b, scanner.StatusComplete, "", t0, "")
	s.Record(stdin, scanner.StatusComplete, "", t0, "")
	assert.Equal(t, 2, s.Len(), "stdin has no version and is not recorded")

	same, _ := roundTrip(t, s, true, runInfo("run2", "rs1"))
	reason, _ := same.Skip(a)
	assert.Equal(t, scanner.ReasonUnchanged, reason)
	grown := b
	grown.Size = 21
	reason, _ = same.Skip(grown)
	assert.Equal(t, scanner.ReasonNone, reason, "new size: new version")
	touched := b
	touched.ModTime = t0.Add(time.Second)
	reason, _ = same.Skip(touched)
	assert.Equal(t, scanner.ReasonNone, reason, "new mtime: new version")
	etag := scanner.ObjectInfo{Source: "oss", Key: "oss://b/k", Size: 5, ETag: "E1"}
	reason, _ = same.Skip(etag)
	assert.Equal(t, scanner.ReasonNone, reason, "not in the state")

	other, _ := roundTrip(t, s, true, runInfo("run2", "rs2"))
	reason, _ = other.Skip(a)
	assert.Equal(t, scanner.ReasonNone, reason, "a ruleset change rescans everything")
	assert.Equal(t, int64(2), other.Stats().OtherRuleset)
}

// TestStatePrune: a complete run drops objects it did not list; an
// interrupted one keeps them for the resumed run.
func TestStatePrune(t *testing.T) {
	t.Parallel()
	s := scanner.NewState(runInfo("run1", "rs"))
	for _, k := range []string{"a", "b", "c"} {
		s.Record(obj("file:///"+k, 1), scanner.StatusComplete, "", t0, "")
	}
	next, _ := roundTrip(t, s, true, runInfo("run2", "rs"))
	next.Skip(obj("file:///a", 1))                                         // listed, unchanged
	next.Record(obj("file:///b", 2), scanner.StatusComplete, "", t0, "")   // listed, rescanned
	next.Record(obj("file:///new", 2), scanner.StatusComplete, "", t0, "") // new
	interrupted, text := roundTrip(t, next, false, runInfo("run3", "rs"))
	assert.Equal(t, 4, interrupted.Len(), "an interrupted run forgets nothing:\n%s", text)
	assert.True(t, interrupted.Stats().Resumed)
	assert.Empty(t, interrupted.Header().Pending, "the writer itself is its scan_id")
	assert.Equal(t, "run2", interrupted.Header().ScanID)

	done, text := roundTrip(t, next, true, runInfo("run3", "rs"))
	assert.Equal(t, 3, done.Len(), "c was not listed by a complete run:\n%s", text)
	assert.NotContains(t, text, "file:///c")
	assert.False(t, done.Stats().Resumed)
	assert.Empty(t, done.Header().Pending)
}

// TestStateResumeChain: a resume that is itself interrupted keeps the
// first run pending, so its failed objects are still not rescanned.
func TestStateResumeChain(t *testing.T) {
	t.Parallel()
	failed := obj("file:///f", 1)
	s := scanner.NewState(runInfo("run1", "rs"))
	s.Record(failed, scanner.StatusFailed, scanner.ReasonReadError, t0, "")
	second, _ := roundTrip(t, s, false, runInfo("run2", "rs"))
	third, text := roundTrip(t, second, false, runInfo("run3", "rs"))
	assert.Equal(t, []string{"run1"}, third.Header().Pending, text)
	assert.Equal(t, "run2", third.Header().ScanID)
	reason, note := third.Skip(failed)
	assert.Equal(t, scanner.ReasonUnchanged, reason)
	assert.Contains(t, note, "run1")

	// Once a run completes, failures are retried again.
	fourth, _ := roundTrip(t, third, true, runInfo("run4", "rs"))
	reason, _ = fourth.Skip(failed)
	assert.Equal(t, scanner.ReasonNone, reason)
}

// TestStateRetryKeepsStart: a retry of an unfinished run (same scan id)
// keeps the run's start, the day its dt= partition is named after, through
// any number of retries; another run, or a retry of a finished one, has
// its own start.
func TestStateRetryKeepsStart(t *testing.T) {
	t.Parallel()
	later := scanner.StateRun{ScanID: "run1", StartedAt: t0.Add(22 * time.Hour), Ruleset: "rs"}
	s := scanner.NewState(runInfo("run1", "rs"))
	retry, _ := roundTrip(t, s, false, later)
	again, text := roundTrip(t, retry, false, later)
	assert.Equal(t, t0, again.Header().StartedAt, text)

	next := scanner.StateRun{ScanID: "run2", StartedAt: t0.Add(22 * time.Hour), Ruleset: "rs"}
	other, _ := roundTrip(t, s, false, next)
	_, text = roundTrip(t, other, false, next)
	assert.Contains(t, text, `"started_at":"2026-11-21T01:00:00Z"`, "another run has its own start")
	finished, _ := roundTrip(t, s, true, later)
	_, text = roundTrip(t, finished, true, later)
	assert.Contains(t, text, `"started_at":"2026-11-21T01:00:00Z"`)
}

// TestStateFormat pins the file format: a header line, then sorted JSON
// lines with indexes into the header's tables.
func TestStateFormat(t *testing.T) {
	t.Parallel()
	s := scanner.NewState(scanner.StateRun{ScanID: "day2", Shard: "-shard-1-of-2", StartedAt: t0, Ruleset: "sha256:ab"})
	s.Record(scanner.ObjectInfo{Source: "oss", Key: "oss://b/z.csv", Size: 3, ETag: "E2"}, scanner.StatusPartial, scanner.ReasonMalformed, t0, "")
	s.Record(scanner.ObjectInfo{Source: "oss", Key: "oss://b/a \"q\".csv", Size: 3, ETag: "E1"}, scanner.StatusComplete, "", t0, "")
	var b bytes.Buffer
	require.NoError(t, s.Encode(&b, true, 2, t0.Add(time.Minute)))
	want := `{"piiscan_state":1,"scan_id":"day2","shard":"-shard-1-of-2","started_at":"2026-11-20T03:00:00Z","written_at":"2026-11-20T03:01:00Z","complete":true,"objects":2,"parts":2,"rulesets":["sha256:ab"],"runs":["day2"],"pending":[]}
{"k":"oss://b/a \"q\".csv","v":"E1","t":1795143600000,"s":"complete","r":0,"n":0}
{"k":"oss://b/z.csv","v":"E2","t":1795143600000,"s":"partial/malformed","r":0,"n":0}
`
	assert.Equal(t, want, b.String())
}

// TestStateBadFiles: a state that cannot be trusted is an error, never a
// silent skip.
func TestStateBadFiles(t *testing.T) {
	t.Parallel()
	head := `{"piiscan_state":1,"scan_id":"x","complete":true,"rulesets":["r"],"runs":["x"]}` + "\n"
	tests := []struct{ name, data, err string }{
		{"empty", "", "header"},
		{"not json", "hello\n", "header"},
		{"other format", `{"piiscan_state":2}` + "\n", "format 2"},
		{"bad line", head + "{\"k\":\n", "line 2"},
		{"ruleset out of range", head + `{"k":"a","v":"1","s":"complete","r":1,"n":0}` + "\n", "out of range"},
		{"no key", head + `{"v":"1","s":"complete","r":0,"n":0}` + "\n", "missing key"},
		{"huge line", head + `{"k":"` + strings.Repeat("a", 2<<20) + `"}`, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := scanner.ReadState(strings.NewReader(tt.data), runInfo("y", "r"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
	s, err := scanner.ReadState(strings.NewReader(head+"\n"+`{"k":"a","v":"1","s":"complete","r":0,"n":0}`), runInfo("y", "r"))
	require.NoError(t, err, "blank lines and a missing final newline are fine")
	assert.Equal(t, 1, s.Len())
}

// TestRunSkipAndState: Run turns Config.Skip into skipped rows without
// opening the objects.
func TestRunSkipAndState(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"a.txt": []byte("id 440104195101058590"), "b.txt": []byte("mail a@example.com")}
	src := &countingSource{MemSource: &scannertest.MemSource{Files: files}}
	st := scanner.NewState(runInfo("run1", "rs"))
	sink := run(t, src, scanner.Config{Skip: st.Skip})
	for _, r := range sink.Results {
		st.Record(r.Info, r.Status, r.Reason, r.ScannedAt, r.TopLevel)
	}
	assert.Equal(t, 2, src.opens())
	next, _ := roundTrip(t, st, true, runInfo("run2", "rs"))
	src.n.Store(0)
	sink = run(t, src, scanner.Config{Skip: next.Skip})
	require.Len(t, sink.Results, 2)
	for _, r := range sink.Results {
		assert.Equal(t, scanner.StatusSkipped, r.Status)
		assert.Equal(t, scanner.ReasonUnchanged, r.Reason)
	}
	assert.Zero(t, src.opens(), "unchanged objects are not downloaded")
	assert.Equal(t, int64(2), next.Stats().Unchanged)

	// The highest sensitivity of each object's findings is kept, and an
	// entry is an earlier attempt's only for a run of the same scan id.
	key := func(name string) string { return sink.ByName(name).Info.Key }
	_, ok := next.EarlierAttempt(key("a.txt"))
	assert.False(t, ok, "written by run1, read by run2")
	again, _ := roundTrip(t, st, false, runInfo("run1", "rs"))
	lvl, ok := again.EarlierAttempt(key("a.txt"))
	assert.True(t, ok, "written by an earlier attempt of run1")
	assert.Equal(t, "S3", lvl, "a resident ID")
	_, ok = again.EarlierAttempt("file:///nowhere")
	assert.False(t, ok)
}

// countingSource counts Open calls (from several workers at once).
type countingSource struct {
	*scannertest.MemSource
	n atomic.Int64
}

func (c *countingSource) opens() int { return int(c.n.Load()) }

func (c *countingSource) Open(ctx context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	c.n.Add(1)
	return c.MemSource.Open(ctx, o)
}

// TestStateMemory measures the heap per object of a state of 200,000
// OSS-like objects, the figure documented on State.
func TestStateMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a large state")
	}
	const n = 200_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := scanner.NewState(runInfo("run1", "rs"))
	for i := range n {
		key := fmt.Sprintf("oss://compliance-bucket/exports/2026/11/part-%08d.csv.gz", i) // 58 bytes
		s.Record(scanner.ObjectInfo{Source: "oss", Key: key, Size: 1, ETag: fmt.Sprintf("%032X", i)}, scanner.StatusComplete, "", t0, "")
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("state memory: %.0f bytes per object (58-byte keys, 32-byte ETags)", per)
	assert.Less(t, per, 300.0)

	start := time.Now()
	var b bytes.Buffer
	require.NoError(t, s.Encode(&b, true, 1, t0))
	encoded, size := time.Since(start), b.Len()
	start = time.Now()
	back, err := scanner.ReadState(&b, runInfo("run2", "rs"))
	require.NoError(t, err)
	t.Logf("state of %d objects: %d bytes per line, encoded in %v, read in %v", n, size/n, encoded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	assert.Equal(t, n, back.Len())
}

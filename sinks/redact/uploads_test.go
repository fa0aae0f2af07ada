package redact

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner/scannertest"
)

// remoteDest is an OSS destination whose uploads are recorded in memory;
// gate, if set, runs at the start of each upload.
type remoteDest struct {
	mu   sync.Mutex
	got  map[string][]byte
	gate func(rel string) error
	OSSDest
}

func newRemoteDest(t *testing.T, gate func(rel string) error) *remoteDest {
	d := &remoteDest{got: map[string][]byte{}, gate: gate}
	d.OSSDest = OSSDest{URI: "oss://dst/", TempDir: t.TempDir(), Publish: func(_ context.Context, local, rel string) error {
		if d.gate != nil {
			if err := d.gate(rel); err != nil {
				return err
			}
		}
		b, err := os.ReadFile(local)
		if err != nil {
			return err
		}
		d.mu.Lock()
		d.got[rel] = b
		d.mu.Unlock()
		return nil
	}}
	return d
}

// TestRedactUploadsOverlap: copies for OSS are published by uploaders
// while the one worker goes on, so uploads overlap (each waited on its
// PutObject in the worker, one round trip per object at a time), and every
// copy arrives rewritten, counted once.
func TestRedactUploadsOverlap(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{}
	for i := range 8 {
		files[fmt.Sprintf("f%d.txt", i)] = []byte("tel " + rawMobile + "\n")
	}
	second := make(chan struct{})
	var once sync.Once
	var first sync.Once
	overlapped := false
	d := newRemoteDest(t, func(string) error {
		isFirst := false
		first.Do(func() { isFirst = true })
		if !isFirst {
			once.Do(func() { close(second) })
			return nil
		}
		// The first upload waits for a second to start.
		select {
		case <-second:
			overlapped = true
		case <-time.After(20 * time.Second):
		}
		return nil
	})
	tally, _, err := Run(context.Background(), Config{Policy: defaultPolicy(t), Workers: 1, Uploads: 4},
		&scannertest.MemSource{Files: files}, engine(t), d)
	require.NoError(t, err)
	assert.True(t, overlapped, "a second upload started while the first was in flight")
	assert.Equal(t, int64(len(files)), tally.Written)
	require.Len(t, d.got, len(files))
	for name, b := range d.got {
		assert.NotContains(t, string(b), rawMobile, name)
		assert.Contains(t, string(b), "tel ", name)
	}
}

// TestRedactUploadFails: a copy whose upload fails is failed/write_error
// and its values do not count as replaced; the others are written.
func TestRedactUploadFails(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"a.txt": []byte("tel " + rawMobile + "\n"), "b.txt": []byte("tel " + rawMobile + "\n")}
	d := newRemoteDest(t, func(rel string) error {
		if rel == "b.txt" {
			return errors.New("PutObject: 503 ServiceUnavailable")
		}
		return nil
	})
	results := map[string]*Result{}
	tally, _, err := Run(context.Background(), Config{Policy: defaultPolicy(t), Workers: 1, OnResult: func(r *Result) { results[r.Rel] = r }},
		&scannertest.MemSource{Files: files}, engine(t), d)
	require.NoError(t, err)
	require.Len(t, results, 2)
	assert.Equal(t, StatusRewritten, results["a.txt"].Status)
	assert.Equal(t, StatusFailed, results["b.txt"].Status)
	assert.Equal(t, ReasonWriteError, results["b.txt"].Reason)
	assert.Empty(t, results["b.txt"].Values, "nothing written, nothing replaced")
	assert.Zero(t, results["b.txt"].BytesWritten)
	assert.Equal(t, int64(1), tally.Written)
	assert.Len(t, d.got, 1)
	assert.Contains(t, d.got, "a.txt")
}

// TestRedactUploadsAbandoned: an interrupt whose grace period ends while
// uploads are in flight or queued abandons them: their objects are counted
// as abandoned, not as results, and no copy is left behind.
func TestRedactUploadsAbandoned(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{}
	for i := range 6 {
		files[fmt.Sprintf("f%d.txt", i)] = []byte("tel " + rawMobile + "\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, len(files))
	d := newRemoteDest(t, nil)
	publish := d.Publish
	d.Publish = func(pctx context.Context, local, rel string) error {
		started <- struct{}{}
		<-pctx.Done() // a PutObject that does not return before the deadline
		if err := pctx.Err(); err != nil {
			return err
		}
		return publish(pctx, local, rel)
	}
	go func() { <-started; cancel() }()
	var results int
	tally, st, err := Run(ctx, Config{Policy: defaultPolicy(t), Workers: 1, Uploads: 2, Grace: 50 * time.Millisecond,
		OnResult: func(*Result) { results++ }}, &scannertest.MemSource{Files: files}, engine(t), d)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, st.Interrupted)
	assert.Positive(t, st.Abandoned)
	assert.Equal(t, st.Listed, int64(results)+st.Abandoned, "every listed object is a result or abandoned")
	assert.Zero(t, tally.Written)
	assert.Empty(t, d.got)
	left, err := os.ReadDir(d.TempDir)
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary copy is left")
}

package scanner_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// stalled gives head, then blocks in Read until release is closed: stdin
// from a writer that went quiet ("tail -f app.log | piiscan scan -").
type stalled struct {
	head    []byte
	release chan struct{}
}

func (s *stalled) Read(p []byte) (int, error) {
	if len(s.head) > 0 {
		n := copy(p, s.head)
		s.head = s.head[n:]
		return n, nil
	}
	<-s.release
	return 0, context.Canceled
}

// TestStdinStallTimesOut: a read of stdin that stalls is cut by the
// object's timeout (it held the scan for as long as the writer kept quiet),
// and what was read before it is still scanned, in text, CSV and JSON
// Lines: the row is partial/timeout with those bytes and findings.
func TestStdinStallTimesOut(t *testing.T) {
	t.Parallel()
	for name, head := range map[string]string{
		"text":  "手机 13812348000\n",
		"csv":   "name,phone\n张三,13812348000\n",
		"jsonl": "{\"phone\":\"13812348000\"}\n{\"phone\":\"13812348001\"}\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := &stalled{head: []byte(head), release: make(chan struct{})}
			defer close(in.release)
			src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{"-"}, Stdin: in})
			require.NoError(t, err)
			done := make(chan *scannertest.Sink, 1)
			go func() {
				done <- run(t, src, scanner.Config{Workers: 1, ObjectTimeout: 200 * time.Millisecond})
			}()
			var sink *scannertest.Sink
			select {
			case sink = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("the scan waited on stdin past its object timeout")
			}
			require.Len(t, sink.Results, 1)
			r := sink.Results[0]
			assert.Equal(t, scanner.StatusPartial, r.Status)
			assert.Equal(t, scanner.ReasonTimeout, r.Reason)
			assert.Equal(t, name, map[string]string{"text": "text", "csv": "csv", "jsonl": "jsonl"}[r.Format])
			assert.Positive(t, r.BytesScanned, "what was read is scanned")
			assert.NotEmpty(t, locs(r), "and its values found")
		})
	}
}

package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/scanner"
)

// TestOSSListingFailsMidway: a bucket listing that fails on its second
// page (here 403 AccessDenied, which is not retried; a listing that gives
// up after its retries ends the same way) keeps the 1,000 objects of the
// first page, scanned and written, instead of throwing the hour's work
// away: exit 3 with one line saying where the listing stopped, the
// dataset and the summary written, the summary noting it. Before, the run
// aborted its outputs and exited 2.
func TestOSSListingFailsMidway(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(root, "src"), 0o755))
	const n = 1010 // two pages of ListObjectsV2
	var g errgroup.Group
	for w := range 8 {
		g.Go(func() error {
			for i := w; i < n; i += 8 {
				p := filepath.Join(root, "src", "f", fmt.Sprintf("%04d.txt", i))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(p, fmt.Appendf(nil, "contact user%d@example.com\n", i), 0o644); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	srv, err := server.New(server.Config{Root: root, AccessKeyID: ossTestID, AccessKeySecret: ossTestSecret})
	require.NoError(t, err)
	var refused atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Has("continuation-token") {
			refused.Add(1)
			w.Header().Set("Content-Type", "application/xml")
			w.Header().Set("x-oss-request-id", "listfail")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>You have no right to access this object because of bucket acl.</Message><RequestId>listfail</RequestId><HostId>src.localhost</HostId></Error>`)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	t.Setenv(envOSSKeyID, ossTestID)
	t.Setenv(envOSSSecret, ossTestSecret)
	t.Setenv(envOSSToken, "")

	out := filepath.Join(t.TempDir(), "out")
	res := runCLI(t, "", "scan", "oss://src/", "--out", out, "--scan-id", "listfail", "--endpoint", ts.URL, "--quiet", "--log-level", "error")
	require.Equal(t, exitFailedObjs, res.code, "stderr:\n%s", res.stderr)
	assert.Positive(t, refused.Load(), "the second page was refused")
	var line string
	for l := range strings.Lines(res.stderr) {
		if strings.HasPrefix(l, "piiscan: ") {
			line = l
		}
	}
	assert.Contains(t, line, "listing stopped after 1000 object(s)")
	assert.Contains(t, line, "AccessDenied")
	assert.NotContains(t, res.stderr, "@example.com", "no value in the messages")

	objects := readTable[scanner.ObjectRow](t, out, "objects")
	assert.Len(t, objects, 1000, "every object of the first page has its row")
	findings := readTable[scanner.Finding](t, out, "findings")
	assert.Len(t, findings, 1000, "and its finding")
	sum := readSummaryFile(t, out, "listfail")
	require.NotEmpty(t, sum.Notes)
	assert.Contains(t, strings.Join(sum.Notes, "\n"), "listing stopped after 1000 object(s)")
	assert.False(t, sum.Interrupted)
	// A dashboard reads the flag, not the note: the run covers part of its
	// targets, and the report says so instead of showing it as the latest
	// complete state of the bucket.
	assert.True(t, sum.ListingStopped, "the summary says the listing stopped")
	rep := runCLI(t, "", "report", out)
	require.Equal(t, 0, rep.code, "stderr:\n%s", rep.stderr)
	assert.Contains(t, rep.stdout, "listing stopped: part of the targets")
	rj := runCLI(t, "", "report", out, "--format", "json")
	require.Equal(t, 0, rj.code, "stderr:\n%s", rj.stderr)
	assert.Contains(t, rj.stdout, `"listing_stopped": true`)
}

package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/scanner"
)

// Synthetic OSS credentials, accepted only by the test servers.
const (
	ossTestID     = "LTAI5tPiiscanCLITestKey"
	ossTestSecret = "piiscan-cli-test-secret-7Qz"
)

// ossEnv is an osslocal server on a real port over a temporary root.
type ossEnv struct {
	root string
	url  string
}

// newOSSEnv creates the buckets, starts osslocal and puts the test key pair
// in the environment of the in-process CLI (so the test cannot be
// parallel). mutate adjusts the server configuration.
func newOSSEnv(t *testing.T, buckets []string, mutate func(*server.Config)) *ossEnv {
	t.Helper()
	root := t.TempDir()
	for _, b := range buckets {
		require.NoError(t, os.Mkdir(filepath.Join(root, b), 0o755))
	}
	cfg := server.Config{Root: root, AccessKeyID: ossTestID, AccessKeySecret: ossTestSecret}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := server.New(cfg)
	require.NoError(t, err)
	url, stop, err := srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(stop)
	t.Setenv(envOSSKeyID, ossTestID)
	t.Setenv(envOSSSecret, ossTestSecret)
	t.Setenv(envOSSToken, "")
	return &ossEnv{root: root, url: url}
}

// scan runs `piiscan scan` against the server.
func (e *ossEnv) scan(t *testing.T, args ...string) cliResult {
	t.Helper()
	all := append([]string{"scan"}, args...)
	all = append(all, "--endpoint", e.url, "--as-of", testAsOf.Format(time.DateOnly))
	return runCLI(t, "", all...)
}

// write puts a file into a bucket folder, as a user copying data would.
func (e *ossEnv) write(t *testing.T, bucket, key, data string) {
	t.Helper()
	p := filepath.Join(e.root, bucket, filepath.FromSlash(key))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
}

// bucket returns an official SDK client of a bucket, for reading results.
func (e *ossEnv) bucket(t *testing.T, name string) *oss.Bucket {
	t.Helper()
	c, err := oss.New(e.url, ossTestID, ossTestSecret)
	require.NoError(t, err)
	b, err := c.Bucket(name)
	require.NoError(t, err)
	return b
}

// keys lists every key of a bucket under prefix through the API.
func (e *ossEnv) keys(t *testing.T, bucket, prefix string) []string {
	t.Helper()
	b := e.bucket(t, bucket)
	var keys []string
	token := ""
	for {
		opts := []oss.Option{oss.Prefix(prefix)}
		if token != "" {
			opts = append(opts, oss.ContinuationToken(token))
		}
		var page oss.ListObjectsResultV2
		err := retryOSS(func() (err error) {
			page, err = b.ListObjectsV2(opts...)
			return err
		})
		require.NoError(t, err)
		for _, o := range page.Objects {
			keys = append(keys, o.Key)
		}
		if !page.IsTruncated {
			sort.Strings(keys)
			return keys
		}
		token = page.NextContinuationToken
	}
}

// download fetches an object through the API into a temporary file.
func (e *ossEnv) download(t *testing.T, bucket, key string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), filepath.Base(key))
	b := e.bucket(t, bucket)
	require.NoError(t, retryOSS(func() error { return b.GetObjectToFile(key, p) }))
	return p
}

// retryOSS runs a test's own OSS call with the scanner's retry policy: the
// tests that inject faults into osslocal read the results through it too.
func retryOSS(call func() error) error {
	return scanner.OSSRetry{}.Do(context.Background(), call)
}

// readOSSTable downloads and reads every Parquet file of one table of a
// dataset written to oss://bucket/prefix.
func readOSSTable[T any](t *testing.T, e *ossEnv, bucket, prefix, table string) []T {
	t.Helper()
	var rows []T
	keys := e.keys(t, bucket, prefix+table+"/")
	require.NotEmpty(t, keys, "no %s files under oss://%s/%s", table, bucket, prefix)
	for _, k := range keys {
		require.True(t, strings.HasSuffix(k, ".parquet"), k)
		rs, err := parquet.ReadFile[T](e.download(t, bucket, k))
		require.NoError(t, err)
		rows = append(rows, rs...)
	}
	return rows
}

// copyTree copies the files of src under dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, in); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}))
}

// findingIDs identifies findings independently of where the object was
// read from: the object name with its root stripped, then every location
// and value column. Sorted, so two scans compare with Equal.
func findingIDs(fs []scanner.Finding, root string) []string {
	str := func(s *string) string {
		if s == nil {
			return "-"
		}
		return *s
	}
	num := func(n *int64) string {
		if n == nil {
			return "-"
		}
		return fmt.Sprint(*n)
	}
	ids := make([]string, 0, len(fs))
	for _, f := range fs {
		ids = append(ids, strings.Join([]string{
			strings.TrimPrefix(f.Object, root), f.DataType, f.Fingerprint, f.MaskedValue, f.Sensitivity,
			fmt.Sprint(f.ByteOffset, "+", f.Length), num(f.Line), num(f.Column), num(f.Record), str(f.Field),
			str(f.ContainerPath), f.Format, fmt.Sprint(f.Minor), f.Evidence,
		}, "|"))
	}
	sort.Strings(ids)
	return ids
}

// requireSameFindings checks two sorted id lists for equality, reporting a
// few differences rather than two lists of thousands.
func requireSameFindings(t *testing.T, want, got []string) {
	t.Helper()
	if len(want) == len(got) && strings.Join(want, "\n") == strings.Join(got, "\n") {
		return
	}
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	shown := 0
	for id, n := range count {
		if n != 0 && shown < 10 {
			t.Logf("difference %+d: %s", -n, id)
			shown++
		}
	}
	t.Fatalf("findings differ: want %d, got %d", len(want), len(got))
}

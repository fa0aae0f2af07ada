package sinks_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// Synthetic credentials, accepted only by the test server.
const (
	ossTestID     = "LTAI5tSinksTestKey"
	ossTestSecret = "sinks-test-secret"
)

var fastRetry = scanner.OSSRetry{MaxAttempts: 10, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// ossBucket starts osslocal with an empty bucket "out" and returns an SDK
// bucket client for it.
func ossBucket(t *testing.T, mutate func(*server.Config)) *oss.Bucket {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(root, "out"), 0o755))
	cfg := server.Config{Root: root, AccessKeyID: ossTestID, AccessKeySecret: ossTestSecret}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := server.New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := oss.New(ts.URL, ossTestID, ossTestSecret)
	require.NoError(t, err)
	b, err := c.Bucket("out")
	require.NoError(t, err)
	return b
}

func randomFile(t *testing.T, name string, size int) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	_, _ = rand.Read(data)
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p, data
}

// TestOSSUploaderPublish uploads small files with PutObject and large ones
// in parts, also with injected 5xx errors on every upload request, and
// reads each object back through the SDK.
func TestOSSUploaderPublish(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		size      int
		faults    bool
		multipart bool
	}{
		{"small file, one put", 10 << 10, false, false},
		{"large file, four parts", 350 << 10, false, true},
		{"small file with faults", 10 << 10, true, false},
		{"large file with faults", 350 << 10, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bucket := ossBucket(t, func(c *server.Config) {
				if tt.faults {
					c.ErrorRate, c.ThrottleRate, c.Seed = 0.2, 0.1, 7
					c.FaultOps = []string{"PutObject", "InitiateMultipartUpload", "UploadPart", "CompleteMultipartUpload"}
				}
			})
			up, err := sinks.NewOSSUploader(sinks.OSSUploadConfig{
				API: bucket, Bucket: "out", Prefix: "piiscan/", MultipartThreshold: 200 << 10, PartSize: 100 << 10, Retry: fastRetry,
			})
			require.NoError(t, err)
			local, data := randomFile(t, "x.parquet", tt.size)
			rel := "findings/dt=2026-11-23/x.parquet"
			require.NoError(t, up.Publish(context.Background(), local, rel))

			meta, err := bucket.GetObjectDetailedMeta("piiscan/" + rel)
			require.NoError(t, err)
			etag := strings.Trim(meta.Get("ETag"), `"`)
			assert.Equal(t, tt.multipart, strings.HasSuffix(etag, "-4"), "ETag %s", etag)
			assert.Equal(t, "application/vnd.apache.parquet", meta.Get("Content-Type"))
			rc, err := bucket.GetObject("piiscan/" + rel)
			require.NoError(t, err)
			got, err := io.ReadAll(rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			assert.True(t, string(got) == string(data), "uploaded bytes differ")
		})
	}
}

// failingParts is an OSSUploadAPI whose part uploads fail for good.
type failingParts struct {
	mu                        sync.Mutex
	parts, completes, aborted int
}

func (f *failingParts) PutObjectFromFile(string, string, ...oss.Option) error { return nil }
func (f *failingParts) InitiateMultipartUpload(key string, _ ...oss.Option) (oss.InitiateMultipartUploadResult, error) {
	return oss.InitiateMultipartUploadResult{Bucket: "out", Key: key, UploadID: "u1"}, nil
}
func (f *failingParts) UploadPart(oss.InitiateMultipartUploadResult, io.Reader, int64, int, ...oss.Option) (oss.UploadPart, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.parts++
	return oss.UploadPart{}, oss.ServiceError{Code: "AccessDenied", Message: "denied", StatusCode: 403}
}
func (f *failingParts) CompleteMultipartUpload(oss.InitiateMultipartUploadResult, []oss.UploadPart, ...oss.Option) (oss.CompleteMultipartUploadResult, error) {
	f.completes++
	return oss.CompleteMultipartUploadResult{}, nil
}
func (f *failingParts) AbortMultipartUpload(oss.InitiateMultipartUploadResult, ...oss.Option) error {
	f.aborted++
	return nil
}

func TestOSSUploaderAbortsFailedMultipart(t *testing.T) {
	t.Parallel()
	api := &failingParts{}
	up, err := sinks.NewOSSUploader(sinks.OSSUploadConfig{API: api, Bucket: "out", MultipartThreshold: 100 << 10, PartSize: 100 << 10, Concurrency: 1, Retry: fastRetry})
	require.NoError(t, err)
	local, _ := randomFile(t, "big.parquet", 300<<10)
	err = up.Publish(context.Background(), local, "objects/x.parquet")
	require.Error(t, err)
	var se oss.ServiceError
	assert.True(t, errors.As(err, &se))
	assert.Contains(t, err.Error(), "upload oss://out/objects/x.parquet: AccessDenied")
	assert.Equal(t, 1, api.parts, "a denied part is not retried, and no later part starts")
	assert.Zero(t, api.completes)
	assert.Equal(t, 1, api.aborted)
}

func TestOSSUploadConfigValidate(t *testing.T) {
	t.Parallel()
	api := &failingParts{}
	tests := []struct {
		name string
		cfg  sinks.OSSUploadConfig
		want string
	}{
		{"ok", sinks.OSSUploadConfig{API: api, Bucket: "out"}, ""},
		{"no api", sinks.OSSUploadConfig{Bucket: "out"}, "api"},
		{"bad bucket", sinks.OSSUploadConfig{API: api, Bucket: "O"}, "bucket"},
		{"tiny parts", sinks.OSSUploadConfig{API: api, Bucket: "out", PartSize: 1 << 10}, "part size"},
		{"negative threshold", sinks.OSSUploadConfig{API: api, Bucket: "out", MultipartThreshold: -1}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// TestOSSUploaderForbidOverwrite publishes with ForbidOverwrite: a key
// another writer holds is an *ExistsError and keeps its bytes; a request
// whose answer was lost after osslocal stored the object (the first
// PutObject or CompleteMultipartUpload is answered 503 once done) is
// retried, finds the key taken by its own object, and succeeds; Remove
// deletes only the uploader's own objects.
func TestOSSUploaderForbidOverwrite(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		size int
	}{{"put", 10 << 10}, {"multipart", 350 << 10}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			require.NoError(t, os.Mkdir(filepath.Join(root, "out"), 0o755))
			srv, err := server.New(server.Config{Root: root, AccessKeyID: ossTestID, AccessKeySecret: ossTestSecret})
			require.NoError(t, err)
			var lost atomic.Int32
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				commit := (r.Method == http.MethodPut && !r.URL.Query().Has("partNumber")) ||
					(r.Method == http.MethodPost && r.URL.Query().Has("uploadId"))
				if commit && strings.Contains(r.URL.Path, "/mine") && lost.Add(1) == 1 {
					rec := httptest.NewRecorder()
					srv.ServeHTTP(rec, r) // stored; the answer is lost
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				srv.ServeHTTP(w, r)
			}))
			t.Cleanup(ts.Close)
			c, err := oss.New(ts.URL, ossTestID, ossTestSecret)
			require.NoError(t, err)
			bucket, err := c.Bucket("out")
			require.NoError(t, err)
			up, err := sinks.NewOSSUploader(sinks.OSSUploadConfig{API: bucket, Bucket: "out", MultipartThreshold: 200 << 10,
				PartSize: 100 << 10, Retry: fastRetry, ForbidOverwrite: true})
			require.NoError(t, err)
			ctx := context.Background()
			local, data := randomFile(t, "x.parquet", tt.size)

			require.NoError(t, bucket.PutObject("theirs.parquet", strings.NewReader("theirs")))
			err = up.Publish(ctx, local, "theirs.parquet")
			var ee *sinks.ExistsError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "oss://out/theirs.parquet", ee.URI)
			require.NoError(t, up.Remove(ctx, "theirs.parquet"))
			assert.Equal(t, "theirs", readObject(t, bucket, "theirs.parquet"), "another writer's object is kept")

			require.NoError(t, up.Publish(ctx, local, "mine.parquet"))
			assert.Equal(t, int32(2), lost.Load(), "the lost answer was retried")
			assert.True(t, readObject(t, bucket, "mine.parquet") == string(data), "uploaded bytes differ")
			require.NoError(t, up.Remove(ctx, "mine.parquet"))
			ok, err := bucket.IsObjectExist("mine.parquet")
			require.NoError(t, err)
			assert.False(t, ok, "the uploader's own object is removed")
		})
	}
}

func readObject(t *testing.T, b *oss.Bucket, key string) string {
	t.Helper()
	rc, err := b.GetObject(key)
	require.NoError(t, err)
	defer rc.Close()
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(got)
}

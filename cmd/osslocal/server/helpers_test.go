package server_test

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test credentials: synthetic, accepted only by these test servers.
const (
	testKeyID  = "LTAI5tOsslocalTestKey01"
	testSecret = "osslocal-test-secret-0123456789ab"
	testBucket = "piiscan-test"
)

// authVersion is one way of signing: the official Go SDK defaults to V1 and
// signs V4 with oss.AuthVersion(oss.AuthV4) plus oss.Region.
type authVersion struct {
	name string
	opts []oss.ClientOption
}

var authVersions = []authVersion{
	{name: "v1"},
	{name: "v4", opts: []oss.ClientOption{oss.AuthVersion(oss.AuthV4), oss.Region(server.DefaultRegion)}},
}

// env is a running osslocal over a temporary root.
type env struct {
	root string
	url  string
	srv  *server.Server
}

// newEnv starts a server whose root holds an empty testBucket; mutate
// adjusts the configuration first.
func newEnv(t *testing.T, mutate func(*server.Config)) *env {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(root, testBucket), 0o755))
	cfg := server.Config{Root: root, AccessKeyID: testKeyID, AccessKeySecret: testSecret}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := server.New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{root: root, url: ts.URL, srv: srv}
}

// client returns an official Go SDK client for the server. An IP endpoint
// makes the SDK use path-style URLs.
func (e *env) client(t *testing.T, opts ...oss.ClientOption) *oss.Client {
	t.Helper()
	return e.clientWith(t, testKeyID, testSecret, opts...)
}

func (e *env) clientWith(t *testing.T, id, secret string, opts ...oss.ClientOption) *oss.Client {
	t.Helper()
	c, err := oss.New(e.url, id, secret, opts...)
	require.NoError(t, err)
	return c
}

func (e *env) bucket(t *testing.T, opts ...oss.ClientOption) *oss.Bucket {
	t.Helper()
	b, err := e.client(t, opts...).Bucket(testBucket)
	require.NoError(t, err)
	return b
}

// writeFile puts a fixture file straight into the bucket folder, the way a
// demo folder is filled by hand.
func (e *env) writeFile(t *testing.T, key string, data []byte) {
	t.Helper()
	p := filepath.Join(e.root, testBucket, filepath.FromSlash(key))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, data, 0o644))
}

// requireServiceError asserts that err is the SDK's OSS service error with
// the given status and code. aliyun-oss-go-sdk v3 returns oss.ServiceError
// by value, so errors.As needs a *oss.ServiceError target.
func requireServiceError(t *testing.T, err error, status int, code string) oss.ServiceError {
	t.Helper()
	require.Error(t, err)
	var se oss.ServiceError
	require.True(t, errors.As(err, &se), "want oss.ServiceError, got %T: %v", err, err)
	assert.Equal(t, status, se.StatusCode)
	assert.Equal(t, code, se.Code)
	assert.NotEmpty(t, se.RequestID)
	return se
}

package server_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorRateOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *server.Config) { c.ErrorRate = 1 })
	e.writeFile(t, "a.txt", []byte("a"))
	b := e.bucket(t)
	_, err := b.ListObjectsV2()
	requireServiceError(t, err, http.StatusInternalServerError, "InternalError")
	_, err = b.ListObjects()
	requireServiceError(t, err, http.StatusInternalServerError, "InternalError")
	_, err = b.GetObject("a.txt")
	requireServiceError(t, err, http.StatusInternalServerError, "InternalError")
	_, err = b.GetObjectDetailedMeta("a.txt")
	requireServiceError(t, err, http.StatusInternalServerError, "InternalError")
	err = b.PutObject("b.txt", strings.NewReader("b"))
	requireServiceError(t, err, http.StatusInternalServerError, "InternalError")
	// Faults come before authentication, as an overloaded front end would.
	bad, err := e.clientWith(t, testKeyID, "wrong").Bucket(testBucket)
	require.NoError(t, err)
	_, err = bad.GetObject("a.txt")
	requireServiceError(t, err, http.StatusInternalServerError, "InternalError")
}

func TestThrottleRateOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *server.Config) { c.ThrottleRate = 1 })
	_, err := e.bucket(t).ListObjectsV2()
	requireServiceError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
}

func TestResetMidBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *server.Config) { c.ResetRate = 1 })
	e.writeFile(t, "big.bin", randomBytes(256<<10, 3))
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			b := e.bucket(t, av.opts...)
			rc, err := b.GetObject("big.bin")
			require.NoError(t, err, "headers arrive intact")
			got, err := io.ReadAll(rc)
			_ = rc.Close()
			require.Error(t, err)
			assert.True(t, errors.Is(err, io.ErrUnexpectedEOF), "want unexpected EOF, got %v", err)
			assert.Less(t, len(got), 256<<10)

			// Listing and HEAD are not cut.
			_, err = b.ListObjectsV2()
			require.NoError(t, err)
		})
	}
}

func TestFaultOpsAndLatency(t *testing.T) {
	t.Parallel()
	const latency = 50 * time.Millisecond
	e := newEnv(t, func(c *server.Config) {
		c.ErrorRate, c.Latency, c.FaultOps = 1, latency, []string{"GetObject"}
	})
	e.writeFile(t, "a.txt", []byte("a"))
	b := e.bucket(t)
	start := time.Now()
	_, err := b.ListObjectsV2()
	require.NoError(t, err, "ListObjectsV2 is not in FaultOps")
	assert.Less(t, time.Since(start), latency)

	start = time.Now()
	_, err = b.GetObject("a.txt")
	requireServiceError(t, err, http.StatusInternalServerError, "InternalError")
	assert.GreaterOrEqual(t, time.Since(start), latency)
}

func TestFaultSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	outcomes := func(seed uint64) []bool {
		e := newEnv(t, func(c *server.Config) { c.ErrorRate, c.Seed = 0.5, seed })
		e.writeFile(t, "a.txt", []byte("a"))
		b := e.bucket(t)
		var out []bool
		for range 40 {
			_, err := b.GetObjectDetailedMeta("a.txt")
			out = append(out, err == nil)
		}
		return out
	}
	first := outcomes(42)
	assert.Equal(t, first, outcomes(42))
	assert.NotEqual(t, first, outcomes(43))
	assert.Contains(t, first, true)
	assert.Contains(t, first, false)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	base := server.Config{Root: root, AccessKeyID: "id", AccessKeySecret: "secret"}
	tests := []struct {
		name   string
		mutate func(*server.Config)
	}{
		{name: "no root", mutate: func(c *server.Config) { c.Root = "" }},
		{name: "no secret", mutate: func(c *server.Config) { c.AccessKeySecret = "" }},
		{name: "error rate above one", mutate: func(c *server.Config) { c.ErrorRate = 1.5 }},
		{name: "negative reset rate", mutate: func(c *server.Config) { c.ResetRate = -0.1 }},
		{name: "negative latency", mutate: func(c *server.Config) { c.Latency = -time.Second }},
		{name: "bad deny prefix", mutate: func(c *server.Config) { c.DenyPrefixes = []string{"nobucket"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.mutate(&c)
			assert.Error(t, c.Validate())
			_, err := server.New(c)
			assert.Error(t, err)
		})
	}
	require.NoError(t, base.Validate())
	_, err := server.New(server.Config{Root: root + "/missing", AccessKeyID: "id", AccessKeySecret: "s"})
	assert.Error(t, err)
}

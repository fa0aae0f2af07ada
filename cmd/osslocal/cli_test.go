package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"regexp"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

var keys = map[string]string{envKeyID: "LTAI5tCliTestKey", envSecret: "cli-test-secret"}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		vars    map[string]string
		message string
	}{
		{name: "no keys", args: []string{"--root", root}, vars: nil, message: envKeyID},
		{name: "no root", args: nil, vars: keys, message: "--root is required"},
		{name: "unknown flag", args: []string{"--root", root, "--bogus"}, vars: keys, message: "unknown flag"},
		{name: "bad rate", args: []string{"--root", root, "--error-rate", "2"}, vars: keys, message: "error rate"},
		{name: "missing root folder", args: []string{"--root", root + "/nope"}, vars: keys, message: "nope"},
		{name: "bad log level", args: []string{"--root", root, "--log-level", "loud"}, vars: keys, message: "--log-level"},
		{name: "bad address", args: []string{"--root", root, "--addr", "256.0.0.1:99999"}, vars: keys, message: "listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			code := run(context.Background(), tt.args, env(tt.vars), io.Discard, &stderr)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, stderr.String(), tt.message)
			assert.NotContains(t, stderr.String(), "cli-test-secret")
		})
	}
}

func TestServeUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--root", t.TempDir(), "--addr", "127.0.0.1:0", "--latency", "1ms"}, env(keys), io.Discard, pw)
		_ = pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan(), "startup line")
	first := lines.Text()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	assert.Contains(t, first, "osslocal listening")
	assert.Contains(t, first, "latency=1ms")
	assert.NotContains(t, first, "cli-test-secret")
	url := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(first)
	require.Len(t, url, 2)

	c, err := oss.New(url[1], keys[envKeyID], keys[envSecret])
	require.NoError(t, err)
	require.NoError(t, c.CreateBucket("cli-bucket"))
	lr, err := c.ListBuckets()
	require.NoError(t, err)
	require.Len(t, lr.Buckets, 1)

	cancel()
	assert.Equal(t, exitOK, <-done)
}

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/sinks/sinkstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fidelityReport is what testdata/alioss/fidelity.mjs prints.
type fidelityReport struct {
	AliOSS string `json:"aliOss"`
	Node   string `json:"node"`
	Checks []struct {
		Mode   string `json:"mode"`
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Error  string `json:"error"`
		Code   string `json:"code"`
		Status int    `json:"status"`
	} `json:"checks"`
	Passed int `json:"passed"`
	Failed int `json:"failed"`
}

// fidelityPrerequisites finds node and the installed ali-oss package, or
// says what is missing.
func fidelityPrerequisites(dir string) (node, missing string) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", "node is not on PATH"
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ali-oss", "package.json")); err != nil {
		return "", "ali-oss is not installed: run `npm ci --prefix testdata/alioss`"
	}
	return node, ""
}

// TestAliOSSFidelity runs the official ali-oss client (npm) against a server
// on a real TCP port: listing with pagination, ranged and whole gets, put,
// multipart upload, copy, x-oss-forbid-overwrite on put, multipart and copy,
// head, delete, presigned URLs and signature errors, with
// signature V1 and V4. It needs node and `npm ci --prefix testdata/alioss`;
// without them it skips, unless PIISCAN_REQUIRE_NODE=1 (CI) makes it fail.
func TestAliOSSFidelity(t *testing.T) {
	t.Parallel()
	mod, err := sinkstest.ModuleRoot()
	require.NoError(t, err)
	dir := filepath.Join(mod, "testdata", "alioss")
	node, missing := fidelityPrerequisites(dir)
	if missing != "" {
		sinkstest.Unavailable(t, "PIISCAN_REQUIRE_NODE", "the ali-oss fidelity check")("%s", missing)
	}

	root := t.TempDir()
	const seeded = 23
	for i := range seeded {
		p := filepath.Join(root, testBucket, "seed", fmt.Sprintf("%03d.txt", i))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(fmt.Sprintf("seed %d\n", i)), 0o644))
	}
	srv, err := server.New(server.Config{Root: root, AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	require.NoError(t, err)
	url, stop, err := srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(stop)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "fidelity.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"OSS_ENDPOINT="+url, "OSS_BUCKET="+testBucket, "OSS_REGION=oss-"+server.DefaultRegion,
		"OSS_ACCESS_KEY_ID="+testKeyID, "OSS_ACCESS_KEY_SECRET="+testSecret,
		fmt.Sprintf("FIDELITY_SEED_COUNT=%d", seeded))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	var rep fidelityReport
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep), "report: %s\nstderr: %s", stdout.String(), stderr.String())
	t.Logf("ali-oss %s on node %s: %d passed, %d failed", rep.AliOSS, rep.Node, rep.Passed, rep.Failed)
	for _, c := range rep.Checks {
		assert.True(t, c.OK, "%s %s: %s (code %s, status %d)", c.Mode, c.Name, c.Error, c.Code, c.Status)
	}
	assert.Positive(t, rep.Passed)
	assert.NoError(t, runErr, "stderr: %s", stderr.String())
}

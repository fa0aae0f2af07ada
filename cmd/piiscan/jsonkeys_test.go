package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// TestCLIJSONKeys: an object keyed by phone number, e-mail and ID number
// gives findings at its path, and `piiscan redact` replaces the keys: the
// copy parses, holds none of the values and scans clean at S3 and S4.
func TestCLIJSONKeys(t *testing.T) {
	t.Setenv("PIISCAN_REDACT_KEY", redactKey)
	raws := []string{cliMobile, "zhang.san@example.com", "11010519491231002X"}
	doc := `{"` + raws[0] + `":{"name":"x"},"` + raws[1] + `":1,"` + raws[2] + `":{"a":1},"phone":"x","2024":1}`
	dir := writeTree(t, map[string]string{"m.json": doc})

	res := scanDir(t, dir)
	require.Equal(t, exitOK, res.code, "stderr:\n%s", res.stderr)
	var types []string
	for _, f := range readTable[scanner.Finding](t, res.out, "findings") {
		types = append(types, f.DataType)
		if assert.NotNil(t, f.Field) {
			assert.Equal(t, "$", *f.Field)
		}
	}
	slices.Sort(types)
	assert.Equal(t, []string{"cn_mobile", "cn_resident_id", "email"}, types)

	dst := filepath.Join(t.TempDir(), "copy")
	r := runCLI(t, "", "redact", dir, "--to", dst, "--as-of", testAsOf.Format(time.DateOnly))
	require.Equal(t, exitOK, r.code, "stderr:\n%s", r.stderr)
	out, err := os.ReadFile(filepath.Join(dst, "m.json"))
	require.NoError(t, err)
	assert.True(t, json.Valid(out))
	for _, v := range raws {
		assert.NotContains(t, string(out), v)
	}
	again := scanDir(t, dst)
	require.Equal(t, exitOK, again.code, "stderr:\n%s", again.stderr)
	files, _ := filepath.Glob(filepath.Join(again.out, "findings", "dt=*", "*.parquet"))
	if len(files) > 0 {
		for _, f := range readTable[scanner.Finding](t, again.out, "findings") {
			assert.NotContains(t, []string{"S3", "S4"}, f.Sensitivity, f.DataType)
		}
	}
}

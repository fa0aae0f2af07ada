package sinkstest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// ModuleRoot walks up from the working directory to the directory that
// holds go.mod (where testdata/ and its npm installs are).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Unavailable returns what a test calls when an external tool it needs
// (node, Chromium, an npm package) is missing: the test is skipped, or
// fails when the environment variable env is "1", as CI sets it so that
// the check cannot silently disappear. check names it ("the DuckDB check").
func Unavailable(t testing.TB, env, check string) func(format string, args ...any) {
	return func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv(env) == "1" {
			t.Fatalf("%s (%s=1 requires %s)", msg, env, check)
		}
		t.Skipf("%s; skipping %s (set %s=1 to fail instead)", msg, check, env)
	}
}

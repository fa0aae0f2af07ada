package rules

import (
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite docs/catalogue.md")

// TestCatalogueDoc keeps docs/catalogue.md equal to the built-in pack.
func TestCatalogueDoc(t *testing.T) {
	b, err := Builtin()
	require.NoError(t, err)
	rs, err := Merge(b)
	require.NoError(t, err)
	got := Markdown(rs)
	const path = "../docs/catalogue.md"
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./rules -run TestCatalogueDoc -update")
	assert.Equal(t, string(want), got, "docs/catalogue.md is stale: run go test ./rules -run TestCatalogueDoc -update")
}

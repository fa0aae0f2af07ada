package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestScanIDOf: shards and the parts of incremental runs belong to their run.
func TestScanIDOf(t *testing.T) {
	for stem, want := range map[string][2]string{
		"20261123T010203Z-ab12":               {"20261123T010203Z-ab12", ""},
		"nightly-0601-shard-2-of-3":           {"nightly-0601", "-shard-2-of-3"},
		"nightly-0601-part-0004":              {"nightly-0601", ""},
		"nightly-0601-shard-2-of-3-part-0012": {"nightly-0601", "-shard-2-of-3"},
		"run-with-part-in-name":               {"run-with-part-in-name", ""},
	} {
		id, shard := scanIDOf(stem)
		assert.Equal(t, want, [2]string{id, shard}, stem)
	}
}

package redact

import (
	"bytes"
	"errors"
	"image"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// TestBlankPicture: the blank thumbnails are pictures of their format
// (TestRedactOfficeMediaText checks them in a copy).
func TestBlankPicture(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"jpeg", "png"} {
		b, err := blankPicture(format)
		require.NoError(t, err)
		_, got, err := image.Decode(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Equal(t, format, got)
	}
	for _, format := range []string{"emf", "wmf"} {
		b, err := blankPicture(format)
		require.NoError(t, err)
		assert.Equal(t, format, scanner.MetafileKind(b))
		assert.NoError(t, scanner.MetafileText(b, func(scanner.MetafileRun) error { return errors.New("a text run") }))
	}
	_, err := blankPicture("gif")
	assert.Error(t, err)
}

package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// failingList lists the objects of MemSource and then fails after the
// first `after` of them.
type failingList struct {
	scannertest.MemSource
	after int
}

var errListing = errors.New("list: connection reset")

func (f *failingList) Walk(ctx context.Context, fn func(scanner.ObjectInfo) error) error {
	n := 0
	err := f.MemSource.Walk(ctx, func(o scanner.ObjectInfo) error {
		if n == f.after {
			return errListing
		}
		n++
		return fn(o)
	})
	if err == nil && n == f.after {
		return errListing
	}
	return err
}

// TestRunListingStops: a listing that fails after listing objects is a
// *ListError, returned once every object it listed, those of its last
// unsent batch too, has been scanned and written; one that fails before
// listing anything is its own error, with nothing written.
func TestRunListingStops(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{}
	for i := range 50 {
		files[fmt.Sprintf("f%02d.txt", i)] = []byte("mail zhang@example.com\n")
	}
	for _, after := range []int{1, 7, 40} {
		src := &failingList{MemSource: scannertest.MemSource{Files: files}, after: after}
		sink := &scannertest.Sink{}
		st, err := scanner.Run(context.Background(), scanner.Config{ScanID: "t", Workers: 2}, src, engine(t), sink)
		var le *scanner.ListError
		require.ErrorAs(t, err, &le, "after %d", after)
		assert.ErrorIs(t, err, errListing)
		assert.EqualValues(t, after, le.Listed)
		assert.EqualValues(t, after, st.Written, "every listed object is written")
		assert.Len(t, sink.Results, after)
		assert.Zero(t, st.Abandoned)
	}

	src := &failingList{MemSource: scannertest.MemSource{Files: files}, after: 0}
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "t", Workers: 2}, src, engine(t), sink)
	require.ErrorIs(t, err, errListing)
	var le *scanner.ListError
	assert.False(t, errors.As(err, &le), "nothing listed: the error as it is")
	assert.Empty(t, sink.Results)
}

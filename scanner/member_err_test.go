package scanner_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestMalformedMemberError: the error of a malformed archive member says
// once where the reading stopped: the member's own text was nested whole,
// "at byte 0; the rest was scanned as text" included, and the archive's
// added it again.
func TestMalformedMemberError(t *testing.T) {
	t.Parallel()
	book := must(corpus.Zip([]corpus.Member{
		{Name: "[Content_Types].xml", Data: []byte(`<Types/>`)},
		{Name: "xl/workbook.xml", Data: []byte(`<workbook xmlns="` + nsSheet + `"><sheets/></workbook>`)},
	}))(t)
	z := must(corpus.Zip([]corpus.Member{{Name: "b.xlsx", Data: book}, {Name: "a.txt", Data: []byte("手机 " + sideMobile)}}))(t)
	sink := run(t, &scannertest.MemSource{Files: map[string][]byte{"a.zip": z}}, scanner.Config{Workers: 1})
	r := sink.ByName("a.zip")
	require.NotNil(t, r)
	assert.Equal(t, scanner.ReasonMalformed, r.Reason)
	require.Error(t, r.Err)
	assert.Equal(t, 1, strings.Count(r.Err.Error(), "the rest was scanned as text"), r.Err.Error())
}

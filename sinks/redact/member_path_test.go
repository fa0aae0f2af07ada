package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
)

// TestRedactNestedMemberPaths: a member not rewritten inside a nested
// archive or an embedded Office package is listed with the path of every
// container it is in (a.zip!inner/in.zip!doc.pdf), as the scan's
// container_path names it; it was listed as a member of the outer object
// (a.zip!doc.pdf), a path that does not exist there.
func TestRedactNestedMemberPaths(t *testing.T) {
	t.Parallel()
	inner := zipOf(t, map[string][]byte{"doc.pdf": []byte("%PDF-1.4\n%%EOF\n"), "a.txt": []byte("hello")})
	outer := zipOf(t, map[string][]byte{"inner/in.zip": inner})
	book, err := corpus.XLSX([]corpus.Sheet{{Name: "S", Rows: [][]corpus.Cell{{{Text: "x"}}}}})
	require.NoError(t, err)
	book, err = corpus.WithMembers(book, corpus.Member{Name: "xl/embeddings/oleObject1.bin", Data: corpus.OLEObject("x")})
	require.NoError(t, err)
	docx, err := corpus.DOCX([]string{"hello"})
	require.NoError(t, err)
	docx, err = corpus.WithMembers(docx, corpus.Member{Name: "word/embeddings/b.xlsx", Data: book})
	require.NoError(t, err)
	_, tally := redactFiles(t, Config{Policy: defaultPolicy(t)}, map[string][]byte{"a.zip": outer, "b.docx": docx})
	var members []string
	for _, is := range tally.NotRewritten {
		if i := strings.Index(is.Object, "!"); i >= 0 {
			members = append(members, is.Object[strings.LastIndex(is.Object[:i], "/")+1:])
		}
	}
	require.Len(t, members, 2, "%+v", tally.NotRewritten)
	assert.ElementsMatch(t, []string{"a.zip!inner/in.zip!doc.pdf", "b.docx!word/embeddings/b.xlsx!xl/embeddings/oleObject1.bin"}, members)
}

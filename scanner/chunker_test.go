package scanner_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// TestChunkerTiles checks the ownership rule: the owned regions of the
// chunks tile the stream exactly, and each chunk's bytes are the stream's.
func TestChunkerTiles(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 50_000)
	for i := range data {
		data[i] = "ab中\n1"[rng.IntN(5)]
	}
	for _, owned := range []int{1, 7, 64, 4096, 1 << 20} {
		for name, wrap := range readers() {
			t.Run(fmt.Sprintf("owned=%d/%s", owned, name), func(t *testing.T) {
				t.Parallel()
				ch := scanner.NewChunker(wrap(bytes.NewReader(data)), scanner.ChunkConfig{Owned: owned, Back: 16, Ahead: 32})
				next := int64(0)
				for {
					c, err := ch.Next()
					if err == io.EOF {
						break
					}
					require.NoError(t, err)
					require.Equal(t, next, c.Base+int64(c.OwnStart), "owned regions must be contiguous")
					require.Greater(t, c.OwnEnd, c.OwnStart)
					require.Equal(t, data[c.Base:c.Base+int64(len(c.Data))], c.Data)
					next = c.Base + int64(c.OwnEnd)
				}
				assert.Equal(t, int64(len(data)), next)
				assert.NoError(t, ch.Err())
			})
		}
	}
}

// TestChunkerPush checks that a push chunker gives the same chunks.
func TestChunkerPush(t *testing.T) {
	t.Parallel()
	data := []byte(strings.Repeat("0123456789", 1000))
	cfg := scanner.ChunkConfig{Owned: 100, Back: 8, Ahead: 16}
	var pulled, pushed []string
	ch := scanner.NewChunker(bytes.NewReader(data), cfg)
	for c, err := ch.Next(); err == nil; c, err = ch.Next() {
		pulled = append(pulled, fmt.Sprint(c.Base, c.OwnStart, c.OwnEnd, len(c.Data)))
	}
	ph := scanner.NewPushChunker(cfg)
	take := func() {
		for c, err := ph.Next(); err == nil; c, err = ph.Next() {
			pushed = append(pushed, fmt.Sprint(c.Base, c.OwnStart, c.OwnEnd, len(c.Data)))
			if !ph.Ready() {
				return
			}
		}
	}
	for rest := data; len(rest) > 0; {
		n := ph.Write(rest[:min(37, len(rest))])
		rest = rest[n:]
		if ph.Ready() {
			take()
		}
	}
	ph.CloseWrite()
	take()
	for c, err := ph.Next(); err == nil; c, err = ph.Next() {
		pushed = append(pushed, fmt.Sprint(c.Base, c.OwnStart, c.OwnEnd, len(c.Data)))
	}
	assert.Equal(t, pulled, pushed)
}

func readers() map[string]func(io.Reader) io.Reader {
	return map[string]func(io.Reader) io.Reader{
		"plain":   func(r io.Reader) io.Reader { return r },
		"onebyte": iotest.OneByteReader,
		"half":    iotest.HalfReader,
	}
}

// invarianceCorpus is text and structured data with values placed so that
// chunk and block boundaries fall inside them at some chunk size.
func invarianceCorpus() map[string][]byte {
	var text, csv, jsonl strings.Builder
	vals := []string{
		"440104195101058590", "440104 19510105 8590", "11010519491231002X", "+86 138 1234 8000",
		"zhang.san@example.com", "6222021234567894", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32",
		"A123456(3)", "护照 E12345678", "39.904200,116.407400", "192.168.10.24", "F223456786",
	}
	csv.WriteString("id,value,note\n")
	for i := 0; i < 300; i++ {
		v := vals[i%len(vals)]
		fmt.Fprintf(&text, "行%d 身份 %s 结束。%s\n", i, v, strings.Repeat("填充", i%17))
		fmt.Fprintf(&csv, "%d,\"%s\",\"note, %s\"\n", i, v, strings.Repeat("x", i%29))
		fmt.Fprintf(&jsonl, "{\"i\":%d,\"v\":\"%s\",\"n\":\"\\u6ce8 %s\"}\n", i, v, strings.Repeat("y", i%31))
	}
	long := strings.Repeat("z", 70_000) + " 13812348000 " + strings.Repeat("w", 70_000) + " 440104195101058590"
	// The same text and table with their values in full-width forms
	// (fullwidth_test.go).
	wideText, _ := corpus.FullWidth(text.String())
	wideCSV, _ := widenBody("f.csv", []byte(csv.String()))
	return map[string][]byte{
		"a.txt":   []byte(text.String()),
		"b.csv":   []byte(csv.String()),
		"f.txt":   []byte(wideText),
		"g.csv":   wideCSV,
		"c.jsonl": []byte(jsonl.String()),
		"d.csv":   []byte("h1,h2\n\"" + long + "\",x\n"),
		"e.json":  []byte(`{"k":"` + long + `","p":"13912345678"}`),
	}
}

// TestChunkInvariance scans the same files whole and with many chunk sizes
// and readers: the findings must be identical (STYLE.md section 7).
func TestChunkInvariance(t *testing.T) {
	t.Parallel()
	files := invarianceCorpus()
	want := findingsByObject(run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 1}))
	require.NotEmpty(t, want["a.txt"])
	require.Len(t, want["f.txt"], len(want["a.txt"]))
	require.Len(t, want["g.csv"], len(want["b.csv"]))
	require.Len(t, want["d.csv"], 2)
	require.Len(t, want["e.json"], 3)
	for _, owned := range []int{1, 7, 64, 4096} {
		for name, wrap := range readers() {
			if owned < 64 && name != "plain" {
				continue // tiny chunks are slow enough on their own
			}
			t.Run(fmt.Sprintf("owned=%d/%s", owned, name), func(t *testing.T) {
				t.Parallel()
				src := &scannertest.MemSource{Files: files, Reader: wrap}
				got := findingsByObject(run(t, src, scanner.Config{Workers: 2, Chunk: scanner.ChunkConfig{Owned: owned}}))
				assert.Equal(t, want, got)
			})
		}
	}
}

func findingsByObject(s *scannertest.Sink) map[string][]string {
	out := map[string][]string{}
	for _, r := range s.Results {
		for _, f := range r.Findings {
			line, col, rec, field := int64(0), int64(0), int64(-1), ""
			if f.Line != nil {
				line, col = *f.Line, *f.Column
			}
			if f.Record != nil {
				rec = *f.Record
			}
			if f.Field != nil {
				field = *f.Field
			}
			out[r.Info.Name] = append(out[r.Info.Name], fmt.Sprintf("%s@%d+%d L%d:%d r%d %s %s %s %v",
				f.DataType, f.ByteOffset, f.Length, line, col, rec, field, f.MaskedValue, f.Fingerprint[:12], f.Minor))
		}
	}
	return out
}

package benchmarks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piiscan/piiscan/classifiers"
)

type countEm int

func (c *countEm) Match(*classifiers.Match) error { *c++; return nil }
func (c *countEm) EndRecord(int64, bool) error    { return nil }
func (c *countEm) Anchor(int) any                 { return nil }

// BenchmarkEngine runs the engine alone, as text, over each kind of file
// of the generated corpus (mixed: sparse PII and many decoys).
func BenchmarkEngine(b *testing.B) {
	dir := corpusDir(b, 16<<20)
	files, _ := filepath.Glob(filepath.Join(dir, "bulk", "*"))
	byKind := map[string][]byte{}
	for _, f := range files {
		kind := strings.TrimPrefix(filepath.Ext(f), ".")
		if len(byKind[kind]) > 0 {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		byKind[kind] = data
	}
	e := engine(b)
	for _, kind := range []string{"log", "csv", "jsonl", "txt"} {
		data := byKind[kind]
		if data == nil {
			continue
		}
		b.Run("kind="+kind, func(b *testing.B) {
			sc := e.NewScanner()
			var c countEm
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				for off := 0; off < len(data); off += 256 << 10 {
					end := min(off+256<<10, len(data))
					_ = sc.ScanText(context.Background(), data[:min(end+4096, len(data))], off, end, nil, &c)
				}
			}
		})
	}
}

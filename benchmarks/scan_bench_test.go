package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// BenchmarkScan runs the whole pipeline (decode, classify, validate, mask,
// fingerprint, write Parquet) over the generated corpus.
func BenchmarkScan(b *testing.B) {
	sizes := []int64{16 << 20, 64 << 20}
	for _, size := range sizes {
		if testing.Short() && size > 16<<20 {
			continue
		}
		for _, workers := range []int{1, runtime.NumCPU()} {
			b.Run(fmt.Sprintf("size=%dMiB/workers=%d", size>>20, workers), func(b *testing.B) {
				scanDir(b, corpusDir(b, size), workers)
			})
		}
	}
	// Many small objects (JSON events, short logs: what buckets often
	// hold): what each object costs beyond its bytes.
	for _, workers := range []int{1, runtime.NumCPU()} {
		b.Run(fmt.Sprintf("objects=2000x2KiB/workers=%d", workers), func(b *testing.B) {
			scanDir(b, smallObjects(b, 2000, 2<<10), workers)
		})
	}
}

// scanDir runs the pipeline over dir with the Parquet sink, b.N times.
func scanDir(b *testing.B, dir string, workers int) {
	e := engine(b)
	b.SetBytes(dirBytes(dir))
	b.ReportAllocs()
	for b.Loop() {
		out := b.TempDir()
		sink, err := sinks.NewParquet(sinks.ParquetConfig{Root: out, ScanID: "bench", Date: asOf})
		if err != nil {
			b.Fatal(err)
		}
		src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := scanner.Run(context.Background(), scanner.Config{ScanID: "bench", Workers: workers}, src, e, sink); err != nil {
			b.Fatal(err)
		}
		if err := sink.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// smallObjects cuts the mixed bulk text of the generated corpus into n files of
// about size bytes each, at line ends.
func smallObjects(b *testing.B, n, size int) string {
	b.Helper()
	data := mixedText(b, n*size+size)
	dir := b.TempDir()
	for i := range n {
		end := min(len(data), size)
		if j := bytes.LastIndexByte(data[:end], '\n'); j > 0 {
			end = j + 1
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("obj-%04d.txt", i)), data[:end], 0o644); err != nil {
			b.Fatal(err)
		}
		data = data[end:]
	}
	return dir
}

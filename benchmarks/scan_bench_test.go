package benchmarks

import (
	"context"
	"fmt"
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
				dir := corpusDir(b, size)
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
			})
		}
	}
}

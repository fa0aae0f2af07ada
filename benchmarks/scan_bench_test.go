package benchmarks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

var asOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// benchCorpus generates (once per size) a mixed corpus of logs, CSV, JSON
// Lines and prose with sparse PII and many decoys, from a fixed seed.
var benchCorpus = struct {
	sync.Mutex
	dirs map[int64]string
}{dirs: map[int64]string{}}

func corpusDir(b *testing.B, size int64) string {
	b.Helper()
	benchCorpus.Lock()
	defer benchCorpus.Unlock()
	if d, ok := benchCorpus.dirs[size]; ok {
		return d
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("piiscan-bench-%d-", size))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := corpus.Generate(dir, corpus.Options{Seed: 7, AsOf: asOf, TargetBytes: size, Formats: []string{"log", "csv", "jsonl", "txt"}}); err != nil {
		b.Fatal(err)
	}
	benchCorpus.dirs[size] = dir
	return dir
}

func engine(b *testing.B) *classifiers.Engine {
	b.Helper()
	p, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	rs, err := rules.Merge(p)
	if err != nil {
		b.Fatal(err)
	}
	e, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("bench"), AsOf: asOf})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func dirBytes(b *testing.B, dir string) int64 {
	var n int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

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
				b.SetBytes(dirBytes(b, dir))
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

package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
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
	// The same kind of objects in OSS (osslocal, 5 ms added to each GET):
	// with reading ahead the workers scan instead of waiting.
	for _, prefetch := range []int{-1, scanner.DefaultPrefetch} {
		b.Run(fmt.Sprintf("oss=300x2KiB/latency=5ms/workers=%d/prefetch=%d", runtime.NumCPU(), max(prefetch, 0)), func(b *testing.B) {
			scanOSS(b, smallObjects(b, 300, 2<<10), runtime.NumCPU(), prefetch, 5*time.Millisecond)
		})
	}
}

// scanOSS serves dir as bucket "bkt" of an osslocal server that delays
// every GetObject by latency, and runs the pipeline over it b.N times.
func scanOSS(b *testing.B, dir string, workers, prefetch int, latency time.Duration) {
	root := b.TempDir()
	if err := os.CopyFS(filepath.Join(root, "bkt"), os.DirFS(dir)); err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{Root: root, AccessKeyID: "id", AccessKeySecret: "secret", Latency: latency, FaultOps: []string{"GetObject"}})
	if err != nil {
		b.Fatal(err)
	}
	url, stop, err := srv.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	e := engine(b)
	b.SetBytes(dirBytes(dir))
	b.ReportAllocs()
	for b.Loop() {
		src, err := scanner.NewOSSSource(scanner.OSSConfig{Endpoint: url, Credentials: ossCreds{}, Bucket: "bkt"})
		if err != nil {
			b.Fatal(err)
		}
		sink, err := sinks.NewParquet(sinks.ParquetConfig{Root: b.TempDir(), ScanID: "bench", Date: asOf})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := scanner.Run(context.Background(), scanner.Config{ScanID: "bench", Workers: workers, Prefetch: prefetch}, src, e, sink); err != nil {
			b.Fatal(err)
		}
		if err := sink.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// ossCreds are osslocal's keys for the benchmark.
type ossCreds struct{}

func (ossCreds) GetCredentials() oss.Credentials { return ossCreds{} }
func (ossCreds) GetAccessKeyID() string          { return "id" }
func (ossCreds) GetAccessKeySecret() string      { return "secret" }
func (ossCreds) GetSecurityToken() string        { return "" }

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

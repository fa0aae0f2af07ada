package benchmarks

import (
	"context"
	"testing"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
	"github.com/piiscan/piiscan/sinks"
)

// BenchmarkSink writes the findings and inventory rows of a scan of the
// 16 MiB generated corpus to the Parquet sink (encode, compress, write,
// close): the work the sink goroutine does beside the workers. It reports
// the cost per finding; SetBytes is the corpus size, so MB/s compares with
// BenchmarkScan.
func BenchmarkSink(b *testing.B) {
	dir := corpusDir(b, 16<<20)
	var c scannertest.Sink // keeps the results, findings copied and spills read back
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := scanner.Run(context.Background(), scanner.Config{ScanID: "bench", Workers: 1}, src, engine(b), &c); err != nil {
		b.Fatal(err)
	}
	findings := 0
	for _, r := range c.Results {
		findings += len(r.Findings)
	}
	if findings == 0 {
		b.Fatal("the corpus gave no findings")
	}
	for _, codec := range []sinks.Compression{sinks.CompressionZstd, sinks.CompressionSnappy} {
		b.Run("compression="+string(codec), func(b *testing.B) {
			b.SetBytes(dirBytes(dir))
			b.ReportAllocs()
			for b.Loop() {
				sink, err := sinks.NewParquet(sinks.ParquetConfig{Root: b.TempDir(), ScanID: "bench", Date: asOf, Compression: codec})
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range c.Results {
					if err := sink.WriteObject(context.Background(), r); err != nil {
						b.Fatal(err)
					}
				}
				if err := sink.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*findings), "ns/finding")
			b.ReportMetric(float64(findings), "findings/op")
		})
	}
}

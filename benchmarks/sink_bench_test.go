package benchmarks

import (
	"context"
	"slices"
	"testing"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// captureSink keeps a copy of every result (findings included, spilled ones
// read back) so that a benchmark can replay them into a real sink.
type captureSink struct{ results []scanner.ObjectResult }

func (c *captureSink) WriteObject(_ context.Context, r *scanner.ObjectResult) error {
	cp := *r
	cp.Findings = slices.Clone(r.Findings)
	if r.Spill != nil {
		if err := r.Spill.Each(func(fs []scanner.Finding) error {
			cp.Findings = append(cp.Findings, fs...)
			return nil
		}); err != nil {
			return err
		}
		if err := r.Spill.Close(); err != nil {
			return err
		}
		cp.Spill = nil
	}
	c.results = append(c.results, cp)
	return nil
}

func (c *captureSink) Close() error { return nil }

// BenchmarkSink writes the findings and inventory rows of a scan of the
// 16 MiB generated corpus to the Parquet sink (encode, compress, write,
// close): the work the sink goroutine does beside the workers. It reports
// the cost per finding; SetBytes is the corpus size, so MB/s compares with
// BenchmarkScan.
func BenchmarkSink(b *testing.B) {
	dir := corpusDir(b, 16<<20)
	var c captureSink
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := scanner.Run(context.Background(), scanner.Config{ScanID: "bench", Workers: 1}, src, engine(b), &c); err != nil {
		b.Fatal(err)
	}
	findings := 0
	for i := range c.results {
		findings += len(c.results[i].Findings)
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
				for i := range c.results {
					if err := sink.WriteObject(context.Background(), &c.results[i]); err != nil {
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

package benchmarks

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
)

type countEm int

func (c *countEm) Match(*classifiers.Match) error { *c++; return nil }
func (c *countEm) EndRecord(int64, bool) error    { return nil }
func (c *countEm) Anchor(int) any                 { return nil }

// scanText runs the engine over data as text, in the scanner's chunks
// (256 KiB owned, 4 KiB look-ahead), on one goroutine.
func scanText(b *testing.B, sc *classifiers.Scanner, data []byte, em classifiers.Emitter) {
	const owned, ahead = scanner.DefaultOwned, scanner.DefaultAhead
	for off := 0; off < len(data); off += owned {
		end := min(off+owned, len(data))
		if err := sc.ScanText(context.Background(), data[:min(end+ahead, len(data))], off, end, nil, em); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEngine(b *testing.B, e *classifiers.Engine, data []byte) {
	sc := e.NewScanner()
	var c countEm
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		scanText(b, sc, data, &c)
	}
	b.ReportMetric(float64(c)/float64(b.N), "matches/op")
}

// BenchmarkEngine runs the engine alone (find, validate, grade, mask and
// fingerprint every match; no decoding, no output) on one core, over the
// generated corpus: mixed text (sparse PII, many decoys), the PII-free
// decoy files (dense look-alikes: the worst case) and plain PII-free prose,
// at 1 MiB (fits in cache) and 64 MiB; and over 8 MiB of each
// kind of bulk file.
func BenchmarkEngine(b *testing.B) {
	e := engine(b)
	for _, input := range []string{"mixed", "piifree", "prose"} {
		for _, size := range []int{1 << 20, 64 << 20} {
			if testing.Short() && size > 1<<20 {
				continue
			}
			name := "input=" + input + "/size=" + sizeName(size)
			b.Run(name, func(b *testing.B) {
				var data []byte
				switch input {
				case "mixed":
					data = mixedText(b, size)
				case "piifree":
					data = piiFreeText(b, size)
				default:
					data = proseText(b, size)
				}
				benchEngine(b, e, data)
			})
		}
	}
	m := benchCorpus(b, 40<<20)
	for _, kind := range []string{"log", "csv", "jsonl", "txt"} {
		files, _ := filepath.Glob(filepath.Join(m.Root, "bulk", "*."+kind))
		if len(files) == 0 {
			continue
		}
		b.Run("input=bulk-"+kind+"/size=8MiB", func(b *testing.B) {
			data, err := os.ReadFile(files[0])
			if err != nil {
				b.Fatal(err)
			}
			benchEngine(b, e, data)
		})
	}
}

// BenchmarkEngineFullWidth runs the engine over the mixed text of
// BenchmarkEngine with its values written in full-width forms, as an IME's
// full-width mode types them (corpus.FullWidth): every chunk holds a
// full-width digit, so every chunk is folded to ASCII and read again
// (classifiers/fullwidth.go). Compare it with input=mixed; the bytes are
// more (three per full-width character), the values the same.
func BenchmarkEngineFullWidth(b *testing.B) {
	e := engine(b)
	for _, size := range []int{1 << 20, 64 << 20} {
		if testing.Short() && size > 1<<20 {
			continue
		}
		b.Run("input=mixed/size="+sizeName(size), func(b *testing.B) {
			benchEngine(b, e, fullWidthText(mixedText(b, size)))
		})
	}
}

// fullWidthText writes data's values in full-width forms, a line-aligned
// megabyte at a time (corpus.FullWidth maps every offset).
func fullWidthText(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		n := len(data)
		if n > 1<<20 {
			n = bytes.IndexByte(data[1<<20:], '\n') + 1 + 1<<20
			if n == 1<<20 {
				n = len(data)
			}
		}
		w, _ := corpus.FullWidth(string(data[:n]))
		out = append(out, w...)
		data = data[n:]
	}
	return out
}

// BenchmarkDetector runs the engine with one built-in rule enabled at a
// time over 4 MiB of mixed text (detector=all: every rule), which shows
// what each detector costs with the shared pass.
func BenchmarkDetector(b *testing.B) {
	p, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, r := range p.Rules {
		ids = append(ids, r.ID)
	}
	data := mixedText(b, 4<<20)
	for _, id := range append([]string{"all"}, ids...) {
		b.Run("detector="+id, func(b *testing.B) {
			var disable []string
			if id != "all" {
				for _, other := range ids {
					if other != id {
						disable = append(disable, other)
					}
				}
			}
			benchEngine(b, engine(b, disable...), data)
		})
	}
}

// BenchmarkChunker cuts 64 MiB of mixed text into the scanner's chunks
// (pull from a reader, and push as a decoder does), touching every owned
// byte once.
func BenchmarkChunker(b *testing.B) {
	size := 64 << 20
	if testing.Short() {
		size = 8 << 20
	}
	data := mixedText(b, size)
	b.Run("mode=pull", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			ch := scanner.NewChunker(bytes.NewReader(data), scanner.ChunkConfig{})
			var sum byte
			for {
				c, err := ch.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				sum ^= c.Data[c.OwnStart] ^ c.Data[c.OwnEnd-1]
			}
			_ = sum
		}
	})
	b.Run("mode=push", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			ch := scanner.NewPushChunker(scanner.ChunkConfig{})
			drain := func() {
				for ch.Ready() {
					if _, err := ch.Next(); err != nil {
						b.Fatal(err)
					}
				}
			}
			for p := data; len(p) > 0; {
				n := ch.Write(p[:min(len(p), 64<<10)])
				p = p[n:]
				drain()
			}
			ch.CloseWrite()
			for {
				if _, err := ch.Next(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa(n>>20) + "MiB"
	}
	return strconv.Itoa(n>>10) + "KiB"
}

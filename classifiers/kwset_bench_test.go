package classifiers

import "testing"

// BenchmarkKwSet measures the prose keyword pass alone.
func BenchmarkKwSet(b *testing.B) {
	e := builtinEngine(b)
	for _, kind := range []string{"prose_en", "prose_zh"} {
		data := benchText(kind, 1<<20)
		b.Run("kind="+kind, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				e.proseSet.each(data, 0, len(data), func(int, kwRef) { n++ })
			}
		})
	}
}

package classifiers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchText builds size bytes of PII-free text of one kind, from a seed.
func benchText(kind string, size int) []byte {
	rng := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	words := []string{"the", "order", "was", "shipped", "from", "warehouse", "and", "delivered", "to", "customer", "on", "time", "status", "ok", "request", "handled", "by", "server"}
	zh := []string{"订单", "已经", "发货", "仓库", "客户", "收到", "商品", "状态", "正常", "处理", "完成", "系统", "用户", "服务"}
	for b.Len() < size {
		switch kind {
		case "prose_en":
			for i := 0; i < 12; i++ {
				b.WriteString(words[rng.IntN(len(words))])
				b.WriteByte(' ')
			}
			b.WriteString(".\n")
		case "prose_zh":
			for i := 0; i < 15; i++ {
				b.WriteString(zh[rng.IntN(len(zh))])
			}
			b.WriteString("。\n")
		case "log":
			fmt.Fprintf(&b, "2024-05-%02d 12:%02d:%02d.%03d INFO [worker-%d] request id=%d took %dms bytes=%d status=200 path=/api/v1/items/%d\n",
				rng.IntN(28)+1, rng.IntN(60), rng.IntN(60), rng.IntN(1000), rng.IntN(16), rng.Int64N(1e9), rng.IntN(900), rng.IntN(1e6), rng.IntN(1e5))
		}
	}
	return []byte(b.String()[:size])
}

func BenchmarkEngine(b *testing.B) {
	e := builtinEngine(b)
	for _, kind := range []string{"prose_en", "prose_zh", "log"} {
		data := benchText(kind, 1<<20)
		b.Run("size=1MiB/kind="+kind, func(b *testing.B) {
			sc := e.NewScanner()
			var c countEmitter
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				_ = sc.ScanText(context.Background(), data, 0, len(data), nil, &c)
			}
		})
	}
}

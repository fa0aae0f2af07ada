package sinks

import (
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
)

// zstdCodec is parquet-go's zstd codec with one long-lived encoder shared
// by every sink of the process (sharedZstd) instead of a sync.Pool: the
// pool is emptied by every garbage collection, and each new encoder
// allocated its history buffers (8 MiB) again, which made zstd the largest
// allocator of a scan. The window is 1 MiB: a page is compressed on its
// own, and pages are smaller. Sinks write pages from one goroutine each,
// so the mutex is rarely contended.
//
// The level is zstd's fastest, with entropy coding of blocks without
// matches turned on. Fingerprints, the largest column, are hex digests: no
// match to find, but only 16 symbols, so Huffman coding alone halves them.
// At its default level klauspost's encoder stores such blocks raw (the
// fingerprint column came out 1% smaller than its input). Measured on the
// findings of a 95 MB corpus: the findings file 3.47 -> 2.06 MB. The
// fastest level's cheaper match search pays for most of the Huffman
// coding: BenchmarkSink runs 2.5% more instructions than at the default
// level without it (the default level with it: +10%).
var sharedZstd = &zstdCodec{}

type zstdCodec struct {
	mu  sync.Mutex
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func (c *zstdCodec) String() string                            { return "ZSTD" }
func (c *zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

// Encode compresses src into dst as one zstd frame (no CRC, empty frames
// kept, as parquet-go's codec does).
func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.enc == nil {
		e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithAllLitEntropyCompression(true), zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false),
			zstd.WithWindowSize(1<<20))
		if err != nil {
			return nil, err
		}
		c.enc = e
	}
	return c.enc.EncodeAll(src, dst[:0]), nil
}

// Decode decompresses src into dst (the writer does not read pages back,
// but the codec interface has both directions).
func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dec == nil {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		c.dec = d
	}
	return c.dec.DecodeAll(src, dst[:0])
}

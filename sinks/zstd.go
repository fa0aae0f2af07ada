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
var sharedZstd = &zstdCodec{}

type zstdCodec struct {
	mu  sync.Mutex
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func (c *zstdCodec) String() string                            { return "ZSTD" }
func (c *zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

// Encode compresses src into dst as one zstd frame (the settings of
// parquet-go's codec: default level, no CRC, empty frames kept).
func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.enc == nil {
		e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false), zstd.WithWindowSize(1<<20))
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

package scanner

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Domains of keyHash, so that the shard of an object, whether it is in a
// sample and where its sample starts are independent choices.
const (
	hashShard  = "piiscan/shard"
	hashSample = "piiscan/sample"
	hashOffset = "piiscan/offset"
)

// keyHash is the stable hash behind sharding and sampling: the first 8
// bytes, big-endian, of SHA-256(domain || 0x00 || seed as 8 bytes
// big-endian || key). It depends on nothing but its inputs (no process
// seed, no Go version), so every process of an Indexed Job, and every run
// with the same --seed, makes the same choice. SHA-256 rather than a
// faster hash: it runs once per object, and its output is uniform for the
// near-identical keys of a bucket (part-00001, part-00002, ...).
func keyHash(domain string, seed uint64, key string) uint64 {
	h := sha256.New()
	var b [9]byte
	binary.BigEndian.PutUint64(b[1:], seed)
	h.Write([]byte(domain))
	h.Write(b[:]) // the 0x00 separator, then the seed
	h.Write([]byte(key))
	var sum [sha256.Size]byte
	return binary.BigEndian.Uint64(h.Sum(sum[:0])[:8])
}

// Shard is one of Count disjoint parts of a listing, for scale-out: N
// processes given the same targets and Count, and Index 1..N, scan sets of
// objects whose union is the whole listing. The zero value (and Count 1)
// owns everything.
type Shard struct {
	// Index is 1-based, as in --shard 2/3.
	Index int
	// Count is the number of shards.
	Count int
}

// ParseShard parses "i/N" with 1 <= i <= N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, erri := strconv.Atoi(a)
	n, errn := strconv.Atoi(b)
	if !ok || erri != nil || errn != nil {
		return Shard{}, fmt.Errorf("shard %q: want i/N, e.g. 2/3 (i counts from 1)", s)
	}
	sh := Shard{Index: i, Count: n}
	return sh, sh.Validate()
}

// Validate checks 1 <= Index <= Count; the zero value is valid.
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	switch {
	case s.Count < 1:
		return fmt.Errorf("shard %d/%d: the shard count must be at least 1", s.Index, s.Count)
	case s.Index < 1 || s.Index > s.Count:
		return fmt.Errorf("shard %d/%d: i must be between 1 and %d (shards count from 1)", s.Index, s.Count, s.Count)
	case s.Count > 1<<20:
		return errors.New("shard count over 1048576")
	}
	return nil
}

// Sharded reports whether s splits the listing (Count > 1).
func (s Shard) Sharded() bool { return s.Count > 1 }

// Owns reports whether the object with this key (ObjectInfo.Key, the
// object column) belongs to shard s: ShardOf(key, Count) == Index.
func (s Shard) Owns(key string) bool {
	if !s.Sharded() {
		return true
	}
	return ShardOf(key, s.Count) == s.Index
}

// String is "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ShardOf returns the 1-based shard of key among n: keyHash("piiscan/shard",
// 0, key) mod n, plus 1. A key's shard depends on n only, not on the
// listing or on the other keys.
func ShardOf(key string, n int) int {
	if n <= 1 {
		return 1
	}
	return int(keyHash(hashShard, 0, key)%uint64(n)) + 1
}

package scanner_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

func keys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("oss://bucket/exports/part-%05d.csv", i)
	}
	return out
}

func TestParseShard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want scanner.Shard
		err  string
	}{
		{"1/3", scanner.Shard{Index: 1, Count: 3}, ""},
		{" 3/3 ", scanner.Shard{Index: 3, Count: 3}, ""},
		{"1/1", scanner.Shard{Index: 1, Count: 1}, ""},
		{"0/3", scanner.Shard{}, "shards count from 1"},
		{"4/3", scanner.Shard{}, "between 1 and 3"},
		{"1/0", scanner.Shard{}, "at least 1"},
		{"2", scanner.Shard{}, "want i/N"},
		{"a/b", scanner.Shard{}, "want i/N"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := scanner.ParseShard(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestShardPartition: every key is owned by exactly one shard, the shares
// are even, and the assignment is the documented formula.
func TestShardPartition(t *testing.T) {
	t.Parallel()
	ks := keys(9000)
	for _, n := range []int{1, 2, 3, 7} {
		counts := make([]int, n+1)
		for _, k := range ks {
			owners := 0
			for i := 1; i <= n; i++ {
				if (scanner.Shard{Index: i, Count: n}).Owns(k) {
					owners++
					counts[i]++
				}
			}
			require.Equal(t, 1, owners, "key %s, %d shards", k, n)
		}
		for i := 1; i <= n; i++ {
			assert.InDelta(t, len(ks)/n, counts[i], float64(len(ks)/n)*0.1, "shard %d/%d", i, n)
		}
	}
	// The formula of the docs: first 8 bytes of SHA-256("piiscan/shard" 0x00 seed(8 bytes) key) mod N, plus 1.
	for _, k := range ks[:50] {
		sum := sha256.Sum256(append([]byte("piiscan/shard\x00\x00\x00\x00\x00\x00\x00\x00\x00"), k...))
		want := int(binary.BigEndian.Uint64(sum[:8])%3) + 1
		assert.Equal(t, want, scanner.ShardOf(k, 3), k)
	}
	assert.True(t, (scanner.Shard{}).Owns("anything"), "the zero shard owns everything")
}

// TestSampleObjects: a deterministic share, nested as the share grows,
// and another seed picks another sample.
func TestSampleObjects(t *testing.T) {
	t.Parallel()
	ks := keys(10_000)
	pick := func(pct float64, seed uint64) map[string]bool {
		s := scanner.Sample{Objects: pct, Seed: seed}
		out := map[string]bool{}
		for _, k := range ks {
			if s.Keep(k) {
				out[k] = true
			}
		}
		return out
	}
	ten := pick(10, 42)
	assert.InDelta(t, 1000, len(ten), 120)
	assert.Equal(t, ten, pick(10, 42), "same seed, same sample")
	for k := range pick(5, 42) {
		assert.True(t, ten[k], "a 5%% sample is inside the 10%% sample of the same seed")
	}
	other := pick(10, 43)
	common := 0
	for k := range other {
		if ten[k] {
			common++
		}
	}
	assert.Less(t, common, 200, "another seed, another sample")
	assert.Len(t, pick(0, 1), len(ks), "0 means no sampling")
	assert.Len(t, pick(100, 1), len(ks))
	assert.Error(t, scanner.Sample{Objects: 101}.Validate())
	assert.Error(t, scanner.Sample{Bytes: -1}.Validate())
}

// TestSampleRun: sampled-out objects are skipped rows that are never
// opened; byte windows make partial/sampled rows that say what was read.
func TestSampleRun(t *testing.T) {
	t.Parallel()
	id1, id2 := "440104195101058590", "11010519491231002X"
	big := "id " + id1 + " " + strings.Repeat("x", 900) + " " + id2 + "\n" // 942 bytes
	files := map[string][]byte{}
	for i := range 40 {
		files[fmt.Sprintf("f%02d.txt", i)] = []byte("mail a@example.com")
	}
	files["big.txt"] = []byte(big)
	files["small.txt"] = []byte("id " + id1)
	noise := make([]byte, 4000) // incompressible, so the gzip is larger than the window
	for i := range noise {
		noise[i] = 'a' + byte(uint32(i)*2654435761>>27)%26
	}
	files["big.txt.gz"] = gz(t, big+string(noise))

	src := &countingSource{MemSource: &scannertest.MemSource{Files: files}}
	sink := run(t, src, scanner.Config{Workers: 2, Sample: scanner.Sample{Objects: 50, Seed: 7}})
	require.Len(t, sink.Results, len(files), "one row per object")
	out := 0
	for _, r := range sink.Results {
		if r.Reason == scanner.ReasonSampledOut {
			out++
			assert.Equal(t, scanner.StatusSkipped, r.Status)
			assert.Contains(t, r.Err.Error(), "50% sample of --sample-objects with --seed 7")
		}
	}
	assert.InDelta(t, len(files)/2, out, 10)
	assert.Equal(t, len(files)-out, src.opens(), "sampled-out objects are not opened")

	sink = run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2, MaxObjectSize: 500, Sample: scanner.Sample{Bytes: 100}})
	head := sink.ByName("big.txt")
	assert.Equal(t, scanner.StatusPartial, head.Status, "a window is not the whole object, and not too large either")
	assert.Equal(t, scanner.ReasonSampled, head.Reason)
	assert.Equal(t, "sampled: read bytes 0-99 of 942 (--sample-bytes 100, the head)", head.Err.Error())
	assert.Len(t, head.Findings, 1, "only the head is scanned")
	assert.Equal(t, int64(100), head.BytesScanned)
	small := sink.ByName("small.txt")
	assert.Equal(t, scanner.StatusComplete, small.Status, "an object smaller than the window is read whole")
	zipped := sink.ByName("big.txt.gz")
	assert.Equal(t, scanner.ReasonSampled, zipped.Reason, "a cut gzip stream is sampled, not malformed")
	assert.Contains(t, zipped.Err.Error(), "sampled: read bytes 0-99")

	random := scanner.Sample{Bytes: 100, RandomStart: true, Seed: 3}
	a := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Sample: random}).ByName("big.txt")
	b := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Sample: random}).ByName("big.txt")
	assert.Equal(t, a.Err.Error(), b.Err.Error(), "the seed fixes the window")
	assert.Contains(t, a.Err.Error(), "a random start chosen with --seed 3")
}

// TestOpenRange: files seek, OSS asks for a range (resumed within it
// after a cut body).
func TestOpenRange(t *testing.T) {
	t.Parallel()
	data := strings.Repeat("0123456789", 100)
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	local, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{p}})
	require.NoError(t, err)
	var info scanner.ObjectInfo
	require.NoError(t, local.Walk(context.Background(), func(o scanner.ObjectInfo) error { info = o; return nil }))
	rc, err := local.OpenRange(context.Background(), info, 995, 100)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, data[995:], string(got), "a window past the end stops at the end")

	fake := newFakeOSS(map[string]string{"f.txt": data})
	s := newOSSSource(t, fake, "")
	oinfo := openInfo(t, s, "f.txt")
	fake.cuts = []int64{30}
	rc, err = s.OpenRange(context.Background(), oinfo, 100, 50)
	require.NoError(t, err)
	got, err = io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, data[100:150], string(got))
	require.Len(t, fake.gets, 2)
	assert.Equal(t, "bytes=100-149", fake.gets[0].rng)
	assert.Equal(t, "bytes=130-149", fake.gets[1].rng, "a cut body resumes inside the window")
}

package server

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// naiveList is the listing semantics over an in-memory sorted key list:
// the reference the folder walker must reproduce.
func naiveList(keys []string, q listQuery) []listEntry {
	var out []listEntry
	last := ""
	for _, k := range keys {
		if !strings.HasPrefix(k, q.prefix) {
			continue
		}
		if q.delimiter != "" {
			rest := k[len(q.prefix):]
			if i := strings.Index(rest, q.delimiter); i >= 0 {
				cp := q.prefix + rest[:i+len(q.delimiter)]
				if cp > q.after && cp != last {
					out = append(out, listEntry{key: cp, isPrefix: true})
					last = cp
				}
				if len(out) >= q.limit {
					return out
				}
				continue
			}
		}
		if k > q.after {
			out = append(out, listEntry{key: k})
		}
		if len(out) >= q.limit {
			return out
		}
	}
	return out
}

// TestWalkMatchesNaiveListing compares the walker with naiveList over random
// trees whose names mix characters that sort before and after '/'.
func TestWalkMatchesNaiveListing(t *testing.T) {
	t.Parallel()
	alphabet := []string{"a", "b", "a-", "a.", "a0", "-", "_", "~", "Z", "é"}
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 30 {
		root := t.TempDir()
		st, err := newStore(root)
		require.NoError(t, err)
		require.NoError(t, os.Mkdir(filepath.Join(root, "bkt"), 0o755))
		seen := map[string]bool{}
		var keys []string
		for range 40 + r.IntN(40) {
			depth := 1 + r.IntN(3)
			parts := make([]string, depth)
			for i := range parts {
				parts[i] = alphabet[r.IntN(len(alphabet))] + alphabet[r.IntN(len(alphabet))]
			}
			k := strings.Join(parts, "/")
			p := filepath.Join(root, "bkt", filepath.FromSlash(k))
			if seen[k] || os.MkdirAll(filepath.Dir(p), 0o755) != nil {
				continue
			}
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				continue
			}
			require.NoError(t, os.WriteFile(p, nil, 0o644))
			seen[k] = true
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for range 20 {
			q := listQuery{limit: 1 + r.IntN(50)}
			if r.IntN(2) == 0 {
				q.prefix = alphabet[r.IntN(len(alphabet))]
			}
			if r.IntN(2) == 0 {
				q.delimiter = []string{"/", "-", "a"}[r.IntN(3)]
			}
			if r.IntN(2) == 0 && len(keys) > 0 {
				q.after = keys[r.IntN(len(keys))]
				if r.IntN(2) == 0 {
					q.after = q.after[:1+r.IntN(len(q.after))]
				}
			}
			got, err := st.list(context.Background(), "bkt", q)
			require.NoError(t, err)
			want := naiveList(keys, q)
			gotKeys, wantKeys := make([]string, len(got)), make([]string, len(want))
			for i := range got {
				gotKeys[i] = got[i].key
			}
			for i := range want {
				wantKeys[i] = want[i].key
			}
			require.Equal(t, wantKeys, gotKeys, "round %d query %+v", round, q)
		}
	}
}

func TestParseRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		header   string
		size     int64
		standard bool
		want     *byteRange
		invalid  bool
	}{
		{name: "none", header: "", size: 10},
		{name: "closed", header: "bytes=2-4", size: 10, want: &byteRange{2, 3}},
		{name: "first of many", header: "bytes=0-0,5-6", size: 10, want: &byteRange{0, 1}},
		{name: "wrong unit ignored", header: "byte=0-4", size: 10},
		{name: "reversed ignored", header: "bytes=5-2", size: 10},
		{name: "suffix zero ignored", header: "bytes=-0", size: 10},
		{name: "suffix zero standard", header: "bytes=-0", size: 10, standard: true, invalid: true},
		{name: "empty object", header: "bytes=0-", size: 0},
		{name: "empty object standard", header: "bytes=0-", size: 0, standard: true, invalid: true},
		{name: "open", header: "bytes=9-", size: 10, want: &byteRange{9, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, oe := parseRange(tt.header, tt.size, tt.standard)
			assert.Equal(t, tt.invalid, oe != nil)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestVirtualHostAddressing(t *testing.T) {
	t.Parallel()
	s := &Server{cfg: Config{Domains: []string{"oss.test"}}}
	tests := []struct {
		host, bucket string
		ok           bool
	}{
		{host: "127.0.0.1:9000"},
		{host: "[::1]:9000"},
		{host: "localhost:9000"},
		{host: "osslocal:9000"},
		{host: "bkt.localhost:9000", bucket: "bkt", ok: true},
		{host: "bkt.oss-cn-hangzhou.aliyuncs.com", bucket: "bkt", ok: true},
		{host: "oss-cn-hangzhou.aliyuncs.com"},
		{host: "bkt.oss.test", bucket: "bkt", ok: true},
		{host: "a.b.oss.test"},
	}
	for _, tt := range tests {
		b, ok := s.virtualBucket(tt.host)
		assert.Equal(t, tt.ok, ok, tt.host)
		assert.Equal(t, tt.bucket, b, tt.host)
	}
}

func TestURIEncode(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "/bkt/a%20b/%E4%B8%AD%2B~._-", uriEncode("/bkt/a b/中+~._-", false))
	assert.Equal(t, "a%2Fb%3D", uriEncode("a/b=", true))
}

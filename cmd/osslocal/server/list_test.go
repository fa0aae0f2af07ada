package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedMany writes n small files spread over nested folders, with names
// chosen so that folder order and key order differ ("d1-x" < "d1/..."),
// and returns the keys in OSS order (byte-wise).
func seedMany(t *testing.T, e *env, n int) []string {
	t.Helper()
	keys := make([]string, 0, n)
	for i := range n {
		var k string
		switch i % 5 {
		case 0:
			k = fmt.Sprintf("d%d/f%04d.txt", i%7, i)
		case 1:
			k = fmt.Sprintf("d%d-x%04d.txt", i%7, i)
		case 2:
			k = fmt.Sprintf("d%d/sub/g%04d.csv", i%7, i)
		case 3:
			k = fmt.Sprintf("d%d.%04d", i%7, i)
		default:
			k = fmt.Sprintf("top%04d", i)
		}
		e.writeFile(t, k, []byte(k))
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestListPagination2500(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	want := seedMany(t, e, 2500)
	for _, av := range authVersions {
		t.Run(av.name+"/v1", func(t *testing.T) {
			t.Parallel()
			b := e.bucket(t, av.opts...)
			var got []string
			marker, pages := "", 0
			for {
				lr, err := b.ListObjects(oss.Marker(marker), oss.MaxKeys(1000))
				require.NoError(t, err)
				pages++
				for _, o := range lr.Objects {
					got = append(got, o.Key)
					assert.Equal(t, int64(len(o.Key)), o.Size)
					assert.Equal(t, "Normal", o.Type)
					assert.Equal(t, "Standard", o.StorageClass)
					assert.NotEmpty(t, o.Owner.ID, "ListObjects always reports the owner")
				}
				if !lr.IsTruncated {
					break
				}
				require.NotEmpty(t, lr.NextMarker)
				marker = lr.NextMarker
			}
			assert.Equal(t, want, got)
			assert.Equal(t, 3, pages)
		})
		t.Run(av.name+"/v2", func(t *testing.T) {
			t.Parallel()
			b := e.bucket(t, av.opts...)
			var got []string
			token, pages := "", 0
			for {
				opts := []oss.Option{}
				if token != "" {
					opts = append(opts, oss.ContinuationToken(token))
				}
				lr, err := b.ListObjectsV2(opts...) // default max-keys: 100
				require.NoError(t, err)
				pages++
				assert.Equal(t, 100, lr.MaxKeys)
				for _, o := range lr.Objects {
					got = append(got, o.Key)
					assert.Empty(t, o.Owner.ID, "ListObjectsV2 reports owners only with fetch-owner")
				}
				if !lr.IsTruncated {
					break
				}
				token = lr.NextContinuationToken
			}
			assert.Equal(t, want, got)
			assert.Equal(t, 25, pages)
		})
	}
}

func TestListDelimiterAndPrefix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, k := range []string{"a.txt", "a/1.txt", "a/2/x.txt", "a/2/y.txt", "a-b/z.txt", "b/c/d.txt", "b/e.txt", "c"} {
		e.writeFile(t, k, []byte("x"))
	}
	b := e.bucket(t)
	tests := []struct {
		name       string
		opts       []oss.Option
		wantKeys   []string
		wantPrefix []string
	}{
		{name: "root", opts: []oss.Option{oss.Delimiter("/")}, wantKeys: []string{"a.txt", "c"}, wantPrefix: []string{"a-b/", "a/", "b/"}},
		{name: "prefix a/", opts: []oss.Option{oss.Prefix("a/"), oss.Delimiter("/")}, wantKeys: []string{"a/1.txt"}, wantPrefix: []string{"a/2/"}},
		{name: "prefix a", opts: []oss.Option{oss.Prefix("a"), oss.Delimiter("/")}, wantKeys: []string{"a.txt"}, wantPrefix: []string{"a-b/", "a/"}},
		{name: "no delimiter", opts: []oss.Option{oss.Prefix("b/")}, wantKeys: []string{"b/c/d.txt", "b/e.txt"}},
		{name: "start-after", opts: []oss.Option{oss.StartAfter("a/2/x.txt")}, wantKeys: []string{"a/2/y.txt", "b/c/d.txt", "b/e.txt", "c"}},
		{name: "start-after a common prefix", opts: []oss.Option{oss.StartAfter("a/"), oss.Delimiter("/")}, wantKeys: []string{"c"}, wantPrefix: []string{"b/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lr, err := b.ListObjectsV2(tt.opts...)
			require.NoError(t, err)
			var keys []string
			for _, o := range lr.Objects {
				keys = append(keys, o.Key)
			}
			assert.Equal(t, tt.wantKeys, keys)
			assert.Equal(t, tt.wantPrefix, lr.CommonPrefixes)
		})
	}

	t.Run("pages of common prefixes", func(t *testing.T) {
		var seen []string
		marker := ""
		for {
			lr, err := b.ListObjects(oss.Delimiter("/"), oss.MaxKeys(1), oss.Marker(marker))
			require.NoError(t, err)
			for _, o := range lr.Objects {
				seen = append(seen, o.Key)
			}
			seen = append(seen, lr.CommonPrefixes...)
			if !lr.IsTruncated {
				break
			}
			marker = lr.NextMarker
		}
		assert.Equal(t, []string{"a-b/", "a.txt", "a/", "b/", "c"}, seen)
	})
}

func TestListArguments(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.writeFile(t, "k", []byte("x"))
	b := e.bucket(t)
	_, err := b.ListObjectsV2(oss.MaxKeys(1001))
	requireServiceError(t, err, http.StatusBadRequest, "InvalidArgument")
	_, err = b.ListObjectsV2(oss.ContinuationToken("!!not-a-token"))
	requireServiceError(t, err, http.StatusBadRequest, "InvalidArgument")
	lr, err := b.ListObjectsV2(oss.FetchOwner(true))
	require.NoError(t, err)
	require.Len(t, lr.Objects, 1)
	assert.NotEmpty(t, lr.Objects[0].Owner.ID)
}

func TestListBuckets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := e.client(t)
	require.NoError(t, c.CreateBucket("second-bucket"))
	err := c.CreateBucket("second-bucket")
	requireServiceError(t, err, http.StatusConflict, "BucketAlreadyExists")
	lr, err := c.ListBuckets()
	require.NoError(t, err)
	var names []string
	for _, b := range lr.Buckets {
		names = append(names, b.Name)
	}
	assert.Equal(t, []string{testBucket, "second-bucket"}, names)
	ok, err := c.IsBucketExist("second-bucket")
	require.NoError(t, err)
	assert.True(t, ok)
	info, err := c.GetBucketInfo(testBucket)
	require.NoError(t, err)
	assert.Equal(t, "oss-cn-hangzhou", info.BucketInfo.Location)

	e.writeFile(t, "x", []byte("x"))
	requireServiceError(t, c.DeleteBucket(testBucket), http.StatusConflict, "BucketNotEmpty")
	require.NoError(t, c.DeleteBucket("second-bucket"))
}

func TestListEncodedKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	keys := []string{"sp ace/α+β.txt", "sp ace/百分%25.txt", "z&y=x?.txt"}
	for _, k := range keys {
		e.writeFile(t, k, []byte("x"))
	}
	b := e.bucket(t)
	v1, err := b.ListObjects() // the SDK always asks for encoding-type=url and decodes
	require.NoError(t, err)
	v2, err := b.ListObjectsV2(oss.Delimiter("/"))
	require.NoError(t, err)
	var got1, got2 []string
	for _, o := range v1.Objects {
		got1 = append(got1, o.Key)
	}
	for _, o := range v2.Objects {
		got2 = append(got2, o.Key)
	}
	assert.Equal(t, keys, got1)
	assert.Equal(t, []string{"z&y=x?.txt"}, got2)
	assert.Equal(t, []string{"sp ace/"}, v2.CommonPrefixes)
}

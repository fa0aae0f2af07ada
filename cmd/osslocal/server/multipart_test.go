package server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// multipartETag is OSS's ETag of a completed multipart upload.
func multipartETag(parts ...[]byte) string {
	var all []byte
	for _, p := range parts {
		s := md5.Sum(p)
		all = append(all, s[:]...)
	}
	s := md5.Sum(all)
	return fmt.Sprintf(`"%s-%d"`, strings.ToUpper(hex.EncodeToString(s[:])), len(parts))
}

func TestMultipartUpload(t *testing.T) {
	t.Parallel()
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			b := e.bucket(t, av.opts...)
			data := randomBytes(5<<20+12345, 7) // 5 MiB and a tail
			const partSize = 2 << 20
			key := "big/export 1.bin"

			imur, err := b.InitiateMultipartUpload(key, oss.Meta("job", "nightly"))
			require.NoError(t, err)
			assert.Equal(t, key, imur.Key)
			var parts []oss.UploadPart
			var chunks [][]byte
			for i, off := 1, 0; off < len(data); i, off = i+1, off+partSize {
				chunk := data[off:min(off+partSize, len(data))]
				chunks = append(chunks, chunk)
				p, err := b.UploadPart(imur, bytes.NewReader(chunk), int64(len(chunk)), i)
				require.NoError(t, err)
				parts = append(parts, p)
			}
			require.Len(t, parts, 3)

			listed, err := b.ListUploadedParts(imur)
			require.NoError(t, err)
			assert.Len(t, listed.UploadedParts, 3)
			lr, err := b.ListObjectsV2(oss.Prefix("big/"))
			require.NoError(t, err)
			assert.Empty(t, lr.Objects, "staged parts are not objects")

			res, err := b.CompleteMultipartUpload(imur, parts)
			require.NoError(t, err)
			assert.Equal(t, multipartETag(chunks...), res.ETag)

			rc, err := b.GetObject(key) // the SDK also checks x-oss-hash-crc64ecma
			require.NoError(t, err)
			got, err := io.ReadAll(rc)
			require.NoError(t, rc.Close())
			require.NoError(t, err)
			assert.True(t, bytes.Equal(data, got), "downloaded object differs")

			h, err := b.GetObjectDetailedMeta(key)
			require.NoError(t, err)
			assert.Equal(t, "Multipart", h.Get("X-Oss-Object-Type"))
			assert.Equal(t, multipartETag(chunks...), h.Get("ETag"))
			assert.Equal(t, "nightly", h.Get("X-Oss-Meta-Job"))

			_, err = b.CompleteMultipartUpload(imur, parts)
			requireServiceError(t, err, http.StatusNotFound, "NoSuchUpload")

			entries, err := os.ReadDir(filepath.Join(e.root, ".osslocal", "uploads"))
			require.NoError(t, err)
			assert.Empty(t, entries, "staging is cleaned up")
		})
	}
}

func TestUploadFileConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	b := e.bucket(t)
	data := randomBytes(3<<20+1, 11)
	src := filepath.Join(t.TempDir(), "src.bin")
	require.NoError(t, os.WriteFile(src, data, 0o644))
	require.NoError(t, b.UploadFile("up/src.bin", src, 512<<10, oss.Routines(4)))
	dst := filepath.Join(t.TempDir(), "dst.bin")
	require.NoError(t, b.DownloadFile("up/src.bin", dst, 1<<20, oss.Routines(3)))
	got, err := os.ReadFile(dst)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(data, got))
}

func TestMultipartErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	b := e.bucket(t)
	imur, err := b.InitiateMultipartUpload("m.bin")
	require.NoError(t, err)
	small := []byte("tiny part")
	p1, err := b.UploadPart(imur, bytes.NewReader(small), int64(len(small)), 1)
	require.NoError(t, err)
	p2, err := b.UploadPart(imur, bytes.NewReader(small), int64(len(small)), 2)
	require.NoError(t, err)

	_, err = b.CompleteMultipartUpload(imur, []oss.UploadPart{p1, p2})
	requireServiceError(t, err, http.StatusBadRequest, "EntityTooSmall")

	_, err = b.CompleteMultipartUpload(imur, []oss.UploadPart{{PartNumber: 1, ETag: `"00000000000000000000000000000000"`}})
	requireServiceError(t, err, http.StatusBadRequest, "InvalidPart")

	_, err = b.UploadPart(imur, bytes.NewReader(small), int64(len(small)), 10001)
	requireServiceError(t, err, http.StatusBadRequest, "InvalidArgument")

	res, err := b.CompleteMultipartUpload(imur, []oss.UploadPart{p2})
	require.NoError(t, err, "a single part may be small")
	assert.Equal(t, multipartETag(small), res.ETag)

	imur2, err := b.InitiateMultipartUpload("aborted.bin")
	require.NoError(t, err)
	require.NoError(t, b.AbortMultipartUpload(imur2))
	_, err = b.UploadPart(imur2, bytes.NewReader(small), int64(len(small)), 1)
	requireServiceError(t, err, http.StatusNotFound, "NoSuchUpload")
	err = b.AbortMultipartUpload(imur2)
	requireServiceError(t, err, http.StatusNotFound, "NoSuchUpload")
}

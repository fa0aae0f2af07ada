package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readKey(t *testing.T, b *oss.Bucket, key string) string {
	t.Helper()
	rc, err := b.GetObject(key)
	require.NoError(t, err)
	defer rc.Close()
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(got)
}

// TestCopyObject copies with the Go SDK (signature V1 and V4): the copy has
// the source's bytes, ETag and metadata (COPY) or the request's (REPLACE);
// keys with spaces and '+' survive the copy source's escaping; a copy to
// another bucket works; a missing source is NoSuchKey; and
// x-oss-forbid-overwrite refuses an existing destination with 409
// FileAlreadyExists, keeping its bytes, but not a copy onto itself.
func TestCopyObject(t *testing.T) {
	t.Parallel()
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			b := e.bucket(t, av.opts...)
			require.NoError(t, b.PutObject("src/a b+c.txt", strings.NewReader("source bytes"), oss.Meta("job", "nightly"), oss.ContentType("text/plain")))
			srcMeta, err := b.GetObjectDetailedMeta("src/a b+c.txt")
			require.NoError(t, err)

			res, err := b.CopyObject("src/a b+c.txt", "dst/copy.txt")
			require.NoError(t, err)
			assert.Equal(t, srcMeta.Get("ETag"), res.ETag)
			assert.False(t, res.LastModified.IsZero())
			assert.Equal(t, "source bytes", readKey(t, b, "dst/copy.txt"))
			m, err := b.GetObjectDetailedMeta("dst/copy.txt")
			require.NoError(t, err)
			assert.Equal(t, "nightly", m.Get("X-Oss-Meta-Job"))
			assert.Equal(t, "text/plain", m.Get("Content-Type"))
			assert.Equal(t, srcMeta.Get("X-Oss-Hash-Crc64ecma"), m.Get("X-Oss-Hash-Crc64ecma"))

			_, err = b.CopyObject("src/a b+c.txt", "dst/replaced.txt", oss.MetadataDirective(oss.MetaReplace), oss.Meta("job", "weekly"))
			require.NoError(t, err)
			m, err = b.GetObjectDetailedMeta("dst/replaced.txt")
			require.NoError(t, err)
			assert.Equal(t, "weekly", m.Get("X-Oss-Meta-Job"))

			require.NoError(t, b.PutObject("dst/taken.txt", strings.NewReader("taken")))
			_, err = b.CopyObject("src/a b+c.txt", "dst/taken.txt", oss.ForbidOverWrite(true))
			requireServiceError(t, err, http.StatusConflict, "FileAlreadyExists")
			assert.Equal(t, "taken", readKey(t, b, "dst/taken.txt"))
			_, err = b.CopyObject("src/a b+c.txt", "dst/taken.txt")
			require.NoError(t, err, "without the header the destination is replaced")
			assert.Equal(t, "source bytes", readKey(t, b, "dst/taken.txt"))
			_, err = b.CopyObject("src/a b+c.txt", "src/a b+c.txt", oss.ForbidOverWrite(true), oss.MetadataDirective(oss.MetaReplace), oss.Meta("job", "self"))
			require.NoError(t, err, "a copy onto itself ignores x-oss-forbid-overwrite")

			_, err = b.CopyObject("src/missing.txt", "dst/x.txt")
			requireServiceError(t, err, http.StatusNotFound, "NoSuchKey")

			c := e.client(t, av.opts...)
			require.NoError(t, c.CreateBucket("other"))
			_, err = b.CopyObjectTo("other", "in/other.txt", "src/a b+c.txt")
			require.NoError(t, err)
			ob, err := c.Bucket("other")
			require.NoError(t, err)
			assert.Equal(t, "source bytes", readKey(t, ob, "in/other.txt"))
		})
	}
}

// TestCompleteMultipartForbidOverwrite: CompleteMultipartUpload with
// x-oss-forbid-overwrite over an existing key answers 409 FileAlreadyExists,
// keeps the object, and leaves the upload to be aborted; without the header
// it completes.
func TestCompleteMultipartForbidOverwrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	b := e.bucket(t)
	require.NoError(t, b.PutObject("big.bin", strings.NewReader("first writer")))
	data := randomBytes(150<<10, 3)

	upload := func() (oss.InitiateMultipartUploadResult, []oss.UploadPart) {
		imur, err := b.InitiateMultipartUpload("big.bin")
		require.NoError(t, err)
		p, err := b.UploadPart(imur, strings.NewReader(string(data)), int64(len(data)), 1)
		require.NoError(t, err)
		return imur, []oss.UploadPart{p}
	}
	imur, parts := upload()
	_, err := b.CompleteMultipartUpload(imur, parts, oss.ForbidOverWrite(true))
	requireServiceError(t, err, http.StatusConflict, "FileAlreadyExists")
	assert.Equal(t, "first writer", readKey(t, b, "big.bin"))
	require.NoError(t, b.AbortMultipartUpload(imur), "the refused upload is still there to abort")

	imur, parts = upload()
	_, err = b.CompleteMultipartUpload(imur, parts)
	require.NoError(t, err)
	assert.True(t, readKey(t, b, "big.bin") == string(data))
}

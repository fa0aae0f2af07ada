package server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPutGetHeadDelete(t *testing.T) {
	t.Parallel()
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			b := e.bucket(t, av.opts...)
			data := []byte("姓名,手机\n张三,13800138000\n")
			key := "dir one/数据 file+1.csv"
			require.NoError(t, b.PutObject(key, bytes.NewReader(data), oss.Meta("owner", "qa")))

			rc, err := b.GetObject(key)
			require.NoError(t, err)
			got, err := io.ReadAll(rc)
			require.NoError(t, rc.Close())
			require.NoError(t, err)
			assert.Equal(t, data, got)

			h, err := b.GetObjectDetailedMeta(key)
			require.NoError(t, err)
			sum := md5.Sum(data)
			assert.Equal(t, `"`+strings.ToUpper(hex.EncodeToString(sum[:]))+`"`, h.Get("ETag"))
			assert.Equal(t, fmt.Sprint(len(data)), h.Get("Content-Length"))
			assert.Equal(t, "Normal", h.Get("X-Oss-Object-Type"))
			assert.Equal(t, "Standard", h.Get("X-Oss-Storage-Class"))
			assert.Equal(t, "qa", h.Get("X-Oss-Meta-Owner"))
			assert.Equal(t, base64.StdEncoding.EncodeToString(sum[:]), h.Get("Content-MD5"))
			assert.NotEmpty(t, h.Get("Last-Modified"))
			assert.NotEmpty(t, h.Get("X-Oss-Request-Id"))

			ok, err := b.IsObjectExist(key)
			require.NoError(t, err)
			assert.True(t, ok)

			require.NoError(t, b.DeleteObject(key))
			require.NoError(t, b.DeleteObject(key), "deleting a missing key is 204 like OSS")
			_, err = b.GetObject(key)
			requireServiceError(t, err, http.StatusNotFound, "NoSuchKey")
			_, err = b.GetObjectDetailedMeta(key)
			requireServiceError(t, err, http.StatusNotFound, "NoSuchKey")
		})
	}
}

func TestGetRanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	data := []byte("0123456789abcdefghij") // 20 bytes
	e.writeFile(t, "r.txt", data)
	b := e.bucket(t)
	tests := []struct {
		name       string
		rng        string
		standard   bool
		want       string
		status     int
		contentRng string
	}{
		{name: "closed", rng: "0-4", want: "01234", status: 206, contentRng: "bytes 0-4/20"},
		{name: "open end", rng: "15-", want: "fghij", status: 206, contentRng: "bytes 15-19/20"},
		{name: "suffix", rng: "-3", want: "hij", status: 206, contentRng: "bytes 17-19/20"},
		{name: "single byte", rng: "19-19", want: "j", status: 206, contentRng: "bytes 19-19/20"},
		{name: "end past size ignored by default", rng: "10-99", want: string(data), status: 200},
		{name: "start past size ignored by default", rng: "20-30", want: string(data), status: 200},
		{name: "end past size clamped when standard", rng: "10-99", standard: true, want: "abcdefghij", status: 206, contentRng: "bytes 10-19/20"},
		{name: "suffix longer than object when standard", rng: "-50", standard: true, want: string(data), status: 206, contentRng: "bytes 0-19/20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr http.Header
			opts := []oss.Option{oss.NormalizedRange(tt.rng), oss.GetResponseHeader(&hdr)}
			if tt.standard {
				opts = append(opts, oss.RangeBehavior("standard"))
			}
			res, err := b.DoGetObject(&oss.GetObjectRequest{ObjectKey: "r.txt"}, opts)
			require.NoError(t, err)
			got, err := io.ReadAll(res.Response.Body)
			require.NoError(t, res.Response.Body.Close())
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, tt.status, res.Response.StatusCode)
			assert.Equal(t, tt.contentRng, res.Response.Headers.Get("Content-Range"))
		})
	}
	t.Run("start past size is InvalidRange when standard", func(t *testing.T) {
		_, err := b.GetObject("r.txt", oss.NormalizedRange("20-30"), oss.RangeBehavior("standard"))
		requireServiceError(t, err, http.StatusRequestedRangeNotSatisfiable, "InvalidRange")
	})
}

func TestHandPlacedFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.writeFile(t, "seed/a.json", []byte(`{"a":1}`))
	b := e.bucket(t)
	h, err := b.GetObjectDetailedMeta("seed/a.json")
	require.NoError(t, err)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Regexp(t, `^"[0-9A-F]{32}"$`, h.Get("ETag"))
	assert.Empty(t, h.Get("X-Oss-Hash-Crc64ecma"), "the CRC of a hand-placed file is not known without reading it")

	lr, err := b.ListObjectsV2()
	require.NoError(t, err)
	require.Len(t, lr.Objects, 1)
	assert.Equal(t, h.Get("ETag"), lr.Objects[0].ETag, "listing and HEAD agree on the ETag")

	rc, err := b.GetObject("seed/a.json")
	require.NoError(t, err)
	got, _ := io.ReadAll(rc)
	_ = rc.Close()
	assert.JSONEq(t, `{"a":1}`, string(got))
}

func TestArchiveObjects(t *testing.T) {
	t.Parallel()
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			b := e.bucket(t, av.opts...)
			require.NoError(t, b.PutObject("cold/a.txt", strings.NewReader("frozen"), oss.ObjectStorageClass(oss.StorageArchive)))
			e.writeFile(t, "cold/b.txt", []byte("seeded"))
			require.NoError(t, server.SetStorageClass(e.root, testBucket, "cold/b.txt", "Archive"))

			for _, key := range []string{"cold/a.txt", "cold/b.txt"} {
				_, err := b.GetObject(key)
				requireServiceError(t, err, http.StatusForbidden, "InvalidObjectState")
				h, err := b.GetObjectDetailedMeta(key)
				require.NoError(t, err, "HEAD works on archived objects")
				assert.Equal(t, "Archive", h.Get("X-Oss-Storage-Class"))
			}
			lr, err := b.ListObjects(oss.Prefix("cold/"))
			require.NoError(t, err)
			require.Len(t, lr.Objects, 2)
			assert.Equal(t, "Archive", lr.Objects[0].StorageClass)

			require.NoError(t, b.RestoreObject("cold/a.txt"))
			h, err := b.GetObjectDetailedMeta("cold/a.txt")
			require.NoError(t, err)
			assert.Contains(t, h.Get("X-Oss-Restore"), `ongoing-request="false"`)
			rc, err := b.GetObject("cold/a.txt")
			require.NoError(t, err)
			got, _ := io.ReadAll(rc)
			_ = rc.Close()
			assert.Equal(t, "frozen", string(got))
		})
	}
}

func TestObjectErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *server.Config) { c.DenyPrefixes = []string{testBucket + "/private/"} })
	e.writeFile(t, "private/secret.txt", []byte("no"))
	e.writeFile(t, "open.txt", []byte("yes"))
	b := e.bucket(t)

	_, err := b.GetObject("private/secret.txt")
	requireServiceError(t, err, http.StatusForbidden, "AccessDenied")
	lr, err := b.ListObjectsV2(oss.Prefix("private/"))
	require.NoError(t, err)
	assert.Len(t, lr.Objects, 1, "denied objects are still listed")

	err = b.PutObject("open.txt", strings.NewReader("changed"), oss.ForbidOverWrite(true))
	requireServiceError(t, err, http.StatusConflict, "FileAlreadyExists")

	wrong := md5.Sum([]byte("something else"))
	err = b.PutObject("md5.txt", strings.NewReader("payload"), oss.ContentMD5(base64.StdEncoding.EncodeToString(wrong[:])))
	requireServiceError(t, err, http.StatusBadRequest, "InvalidDigest")

	missing, err := e.client(t).Bucket("no-such-bucket")
	require.NoError(t, err)
	_, err = missing.GetObject("x")
	se := requireServiceError(t, err, http.StatusNotFound, "NoSuchBucket")
	assert.Contains(t, se.RawMessage, "<BucketName>no-such-bucket</BucketName>")
	_, err = missing.ListObjectsV2()
	requireServiceError(t, err, http.StatusNotFound, "NoSuchBucket")

	err = b.PutObject("a/../b", strings.NewReader("x"))
	requireServiceError(t, err, http.StatusBadRequest, "InvalidObjectName")
}

func TestFolderMarkers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	b := e.bucket(t)
	require.NoError(t, b.PutObject("logs/", strings.NewReader("")))
	require.NoError(t, b.PutObject("logs/a.txt", strings.NewReader("a")))
	require.NoError(t, b.PutObject("logs-2024.txt", strings.NewReader("b")))

	lr, err := b.ListObjectsV2()
	require.NoError(t, err)
	var keys []string
	for _, o := range lr.Objects {
		keys = append(keys, o.Key)
	}
	assert.Equal(t, []string{"logs-2024.txt", "logs/", "logs/a.txt"}, keys)

	lr, err = b.ListObjectsV2(oss.Prefix("logs/"), oss.Delimiter("/"))
	require.NoError(t, err)
	require.Len(t, lr.Objects, 2)
	assert.Equal(t, "logs/", lr.Objects[0].Key)

	require.NoError(t, b.DeleteObject("logs/a.txt"))
	ok, err := b.IsObjectExist("logs/")
	require.NoError(t, err)
	assert.True(t, ok, "the marker outlives the objects below it")
	require.NoError(t, b.DeleteObject("logs/"))
	lr, err = b.ListObjectsV2()
	require.NoError(t, err)
	require.Len(t, lr.Objects, 1)
}

func TestDeleteMultipleObjects(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, k := range []string{"x/1.txt", "x/2 two.txt", "y.txt"} {
		e.writeFile(t, k, []byte(k))
	}
	b := e.bucket(t)
	res, err := b.DeleteObjects([]string{"x/1.txt", "x/2 two.txt", "missing.txt"})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"x/1.txt", "x/2 two.txt", "missing.txt"}, res.DeletedObjects)
	lr, err := b.ListObjectsV2()
	require.NoError(t, err)
	require.Len(t, lr.Objects, 1)
	assert.Equal(t, "y.txt", lr.Objects[0].Key)
	res, err = b.DeleteObjects([]string{"y.txt"}, oss.DeleteObjectsQuiet(true))
	require.NoError(t, err)
	assert.Empty(t, res.DeletedObjects)
}

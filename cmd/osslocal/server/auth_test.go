package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignatureErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.writeFile(t, "a.txt", []byte("a"))
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			t.Parallel()
			tests := []struct {
				name, id, secret string
				status           int
				code             string
			}{
				{name: "wrong secret", id: testKeyID, secret: "not-the-secret", status: http.StatusForbidden, code: "SignatureDoesNotMatch"},
				{name: "unknown key id", id: "LTAI5tUnknownKey0000000", secret: testSecret, status: http.StatusForbidden, code: "InvalidAccessKeyId"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					b, err := e.clientWith(t, tt.id, tt.secret, av.opts...).Bucket(testBucket)
					require.NoError(t, err)
					_, err = b.GetObject("a.txt")
					se := requireServiceError(t, err, tt.status, tt.code)
					assert.NotContains(t, se.RawMessage, tt.secret, "the secret never appears in an answer")
					_, err = b.ListObjectsV2()
					requireServiceError(t, err, tt.status, tt.code)
					_, err = b.GetObjectDetailedMeta("a.txt")
					requireServiceError(t, err, tt.status, tt.code) // HEAD: error carried in x-oss-err
					err = b.PutObject("b.txt", strings.NewReader("b"))
					requireServiceError(t, err, tt.status, tt.code)
				})
			}
		})
	}
	t.Run("v4 wrong region", func(t *testing.T) {
		b, err := e.client(t, oss.AuthVersion(oss.AuthV4), oss.Region("cn-shanghai")).Bucket(testBucket)
		require.NoError(t, err)
		_, err = b.GetObject("a.txt")
		requireServiceError(t, err, http.StatusBadRequest, "InvalidArgument")
	})
	t.Run("anonymous", func(t *testing.T) {
		resp, err := http.Get(e.url + "/" + testBucket + "/a.txt")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		assert.Contains(t, string(body), "<Code>AccessDenied</Code>")
		assert.NotEmpty(t, resp.Header.Get("x-oss-request-id"))
	})
}

func TestV4AdditionalHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.writeFile(t, "a.txt", []byte("additional"))
	b := e.bucket(t, oss.AuthVersion(oss.AuthV4), oss.Region(server.DefaultRegion),
		oss.AdditionalHeaders([]string{"host", "range", "content-md5"}))
	rc, err := b.GetObject("a.txt", oss.Range(0, 2))
	require.NoError(t, err)
	got, _ := io.ReadAll(rc)
	_ = rc.Close()
	assert.Equal(t, "add", string(got))
	require.NoError(t, b.PutObject("b.txt", strings.NewReader("b"), oss.Meta("k", "v")))
}

func TestSecurityToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *server.Config) { c.SecurityToken = "sts-token-for-tests" })
	e.writeFile(t, "a.txt", []byte("a"))
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			good, err := e.client(t, append([]oss.ClientOption{oss.SecurityToken("sts-token-for-tests")}, av.opts...)...).Bucket(testBucket)
			require.NoError(t, err)
			_, err = good.GetObjectDetailedMeta("a.txt")
			require.NoError(t, err)

			bad, err := e.client(t, append([]oss.ClientOption{oss.SecurityToken("stale")}, av.opts...)...).Bucket(testBucket)
			require.NoError(t, err)
			_, err = bad.GetObject("a.txt")
			requireServiceError(t, err, http.StatusForbidden, "InvalidAccessKeyId")

			_, err = e.bucket(t, av.opts...).GetObject("a.txt")
			requireServiceError(t, err, http.StatusForbidden, "InvalidAccessKeyId")

			wrong, err := e.clientWith(t, testKeyID, "wrong-secret",
				append([]oss.ClientOption{oss.SecurityToken("sts-token-for-tests")}, av.opts...)...).Bucket(testBucket)
			require.NoError(t, err)
			_, err = wrong.GetObject("a.txt")
			se := requireServiceError(t, err, http.StatusForbidden, "SignatureDoesNotMatch")
			assert.NotContains(t, se.RawMessage, "sts-token-for-tests", "the token is not echoed")
		})
	}
}

func TestPresignedURLs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.writeFile(t, "dir/a b.txt", []byte("presigned"))
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			b := e.bucket(t, av.opts...)
			u, err := b.SignURL("dir/a b.txt", oss.HTTPGet, 60)
			require.NoError(t, err)
			assert.NotContains(t, u, testSecret)
			resp, err := http.Get(u)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode, string(body))
			assert.Equal(t, "presigned", string(body))

			tampered := strings.Replace(u, "a%20b.txt", "a%20c.txt", 1)
			resp, err = http.Get(tampered)
			require.NoError(t, err)
			_ = resp.Body.Close()
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)

			put, err := b.SignURL("dir/up.txt", oss.HTTPPut, 60)
			require.NoError(t, err)
			require.NoError(t, b.PutObjectWithURL(put, strings.NewReader("uploaded")))
			rc, err := b.GetObject("dir/up.txt")
			require.NoError(t, err)
			got, _ := io.ReadAll(rc)
			_ = rc.Close()
			assert.Equal(t, "uploaded", string(got))
		})
	}
}

func TestClockChecks(t *testing.T) {
	t.Parallel()
	future := time.Now().Add(time.Hour)
	e := newEnv(t, func(c *server.Config) { c.Now = func() time.Time { return future } })
	e.writeFile(t, "a.txt", []byte("a"))
	for _, av := range authVersions {
		t.Run(av.name, func(t *testing.T) {
			b := e.bucket(t, av.opts...)
			_, err := b.GetObject("a.txt")
			requireServiceError(t, err, http.StatusForbidden, "RequestTimeTooSkewed")

			u, err := b.SignURL("a.txt", oss.HTTPGet, 60)
			require.NoError(t, err)
			resp, err := http.Get(u)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			assert.Contains(t, string(body), "Request has expired")
		})
	}
}

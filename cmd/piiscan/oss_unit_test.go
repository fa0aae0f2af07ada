package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOSSURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    ossURL
		wantErr string
	}{
		{"oss://bucket", ossURL{bucket: "bucket"}, ""},
		{"oss://bucket/", ossURL{bucket: "bucket"}, ""},
		{"oss://bucket/logs/2024-", ossURL{bucket: "bucket", prefix: "logs/2024-"}, ""},
		{"oss://my-bucket-1/a/b/", ossURL{bucket: "my-bucket-1", prefix: "a/b/"}, ""},
		{"oss://Bucket/x", ossURL{}, "bucket"},
		{"oss://ab/x", ossURL{}, "bucket"},
		{"oss:///x", ossURL{}, "bucket"},
		{"s3://bucket/x", ossURL{}, "want oss://"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseOSSURL(tt.in)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestResolveOSSConn(t *testing.T) {
	t.Setenv(envOSSKeyID, "id")
	t.Setenv(envOSSSecret, "secret")
	t.Setenv(envOSSToken, "token")
	tests := []struct {
		name, endpoint, region string
		wantEndpoint           string
		wantRegion             string
		wantErr                string
	}{
		{"defaults", "", "", "https://oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou", ""},
		{"region only", "", "cn-shanghai", "https://oss-cn-shanghai.aliyuncs.com", "cn-shanghai", ""},
		{"ali-oss region spelling", "", "oss-cn-beijing", "https://oss-cn-beijing.aliyuncs.com", "cn-beijing", ""},
		{"endpoint gives the region", "https://oss-ap-southeast-1.aliyuncs.com", "", "https://oss-ap-southeast-1.aliyuncs.com", "ap-southeast-1", ""},
		{"internal endpoint", "oss-cn-hangzhou-internal.aliyuncs.com", "", "https://oss-cn-hangzhou-internal.aliyuncs.com", "cn-hangzhou", ""},
		{"osslocal signs v1", "http://127.0.0.1:9000", "", "http://127.0.0.1:9000", "", ""},
		{"osslocal with v4", "http://127.0.0.1:9000/", "cn-hangzhou", "http://127.0.0.1:9000", "cn-hangzhou", ""},
		{"bad scheme", "ftp://host", "", "", "", "--endpoint"},
		{"path", "http://host/bucket", "", "", "", "--endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolveOSSConn(tt.endpoint, tt.region)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantEndpoint, c.endpoint)
			assert.Equal(t, tt.wantRegion, c.region)
			assert.Equal(t, "token", c.creds.GetSecurityToken())
		})
	}
}

func TestNestedRemoved(t *testing.T) {
	t.Parallel()
	in := []ossURL{{"b", "a/b/"}, {"a", "x"}, {"b", "a/"}, {"b", "ab"}, {"b", "a/"}, {"c", ""}, {"c", "z/"}}
	assert.Equal(t, []ossURL{{"a", "x"}, {"b", "a/"}, {"b", "ab"}, {"c", ""}}, nestedRemoved(in))
}

// TestOSSCredentialsNeverFormat: the credentials print as a placeholder
// with every fmt verb and in slog, so a stray log line cannot leak them.
func TestOSSCredentialsNeverFormat(t *testing.T) {
	t.Parallel()
	c := &ossCredentials{id: "LTAI5tKeyIdValue", secret: "s3cr3t-value", token: "sts-token-value"}
	var buf bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		fmt.Fprintf(&buf, verb+"\n", c)
	}
	fmt.Fprintln(&buf, c, []any{c}, struct{ C *ossCredentials }{c})
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("creds", "c", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("creds", "c", c)
	for _, s := range []string{c.id, c.secret, c.token} {
		assert.NotContains(t, buf.String(), s)
	}
	assert.Contains(t, buf.String(), "<oss credentials>")
}

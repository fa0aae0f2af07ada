package scanner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/piiscan/piiscan/scanner"
)

// fastRetry keeps the backoff of the tests in microseconds.
var fastRetry = scanner.OSSRetry{BaseDelay: time.Microsecond, MaxDelay: 10 * time.Microsecond}

func newOSSSource(t *testing.T, api scanner.OSSAPI, prefix string) *scanner.OSSSource {
	t.Helper()
	s, err := scanner.NewOSSSource(scanner.OSSConfig{Bucket: "bkt", Prefix: prefix, API: api, Retry: fastRetry, PageSize: 1000})
	require.NoError(t, err)
	return s
}

func walkAll(t *testing.T, s *scanner.OSSSource) ([]scanner.ObjectInfo, error) {
	t.Helper()
	var got []scanner.ObjectInfo
	err := s.Walk(context.Background(), func(o scanner.ObjectInfo) error {
		got = append(got, o)
		return nil
	})
	return got, err
}

func svcErr(code string, status int) error {
	return oss.ServiceError{Code: code, Message: "message of " + code, StatusCode: status, RequestID: "REQ1"}
}

func TestOSSRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"internal error 500", svcErr("InternalError", 500), true},
		{"service unavailable 503", svcErr("ServiceUnavailable", 503), true},
		{"qps limit", svcErr("QpsLimitExceeded", 503), true},
		{"throttling code on 400", svcErr("Throttling", 400), true},
		{"request timeout 400", svcErr("RequestTimeout", 400), true},
		{"too many requests 429", svcErr("", 429), true},
		{"bad gateway without body", oss.ServiceError{StatusCode: 502}, true},
		{"signature", svcErr("SignatureDoesNotMatch", 403), false},
		{"access key id", svcErr("InvalidAccessKeyId", 403), false},
		{"access denied", svcErr("AccessDenied", 403), false},
		{"no such key", svcErr("NoSuchKey", 404), false},
		{"no such bucket", svcErr("NoSuchBucket", 404), false},
		{"precondition", svcErr("PreconditionFailed", 412), false},
		{"crc mismatch", oss.CRCCheckError{}, true},
		{"unexpected eof", fmt.Errorf("read body: %w", io.ErrUnexpectedEOF), true},
		{"eof before answer", fmt.Errorf("Get url: %w", io.EOF), true},
		{"connection reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{"connection refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{"net timeout", &net.DNSError{IsTimeout: true}, true},
		{"dns not found", &net.DNSError{IsNotFound: true}, false},
		{"cancelled", context.Canceled, false},
		{"deadline", fmt.Errorf("get: %w", context.DeadlineExceeded), false},
		{"other", errors.New("boom"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanner.OSSRetryable(tt.err))
		})
	}
}

func TestOSSRetryDo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		errs      []error
		wantCalls int
		wantCode  string
	}{
		{"succeeds at once", nil, 1, ""},
		{"retries 5xx then succeeds", []error{svcErr("InternalError", 500), svcErr("ServiceUnavailable", 503)}, 3, ""},
		{"stops at a final error", []error{svcErr("AccessDenied", 403)}, 1, "AccessDenied"},
		{"gives up after max attempts", []error{svcErr("InternalError", 500), svcErr("InternalError", 500), svcErr("InternalError", 500)}, 3, "InternalError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := fastRetry
			r.MaxAttempts = 3
			calls := 0
			err := r.Do(context.Background(), func() error {
				calls++
				if calls <= len(tt.errs) {
					return tt.errs[calls-1]
				}
				return nil
			})
			assert.Equal(t, tt.wantCalls, calls)
			assert.Equal(t, tt.wantCode, scanner.OSSErrorCode(err))
		})
	}
	t.Run("backoff grows and is capped", func(t *testing.T) {
		t.Parallel()
		r := scanner.OSSRetry{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
		for n := 1; n <= 10; n++ {
			ceil := min(100*time.Millisecond<<(n-1), time.Second)
			for range 20 {
				d := r.Backoff(n)
				assert.Positive(t, d)
				assert.LessOrEqual(t, d, ceil)
			}
		}
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		r := scanner.OSSRetry{BaseDelay: time.Hour, MaxDelay: time.Hour}
		err := r.Do(ctx, func() error {
			cancel()
			return svcErr("InternalError", 500)
		})
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestOSSConfigValidate(t *testing.T) {
	t.Parallel()
	fake := newFakeOSS(nil)
	tests := []struct {
		name string
		cfg  scanner.OSSConfig
		want string
	}{
		{"fake api", scanner.OSSConfig{Bucket: "bkt", API: fake}, ""},
		{"sdk settings", scanner.OSSConfig{Bucket: "bkt", Endpoint: "http://127.0.0.1:1", Credentials: &staticCreds{}}, ""},
		{"bad bucket", scanner.OSSConfig{Bucket: "Bad_Bucket", API: fake}, "bucket"},
		{"no endpoint", scanner.OSSConfig{Bucket: "bkt", Credentials: &staticCreds{}}, "endpoint"},
		{"no credentials", scanner.OSSConfig{Bucket: "bkt", Endpoint: "http://127.0.0.1:1"}, "credentials"},
		{"page size", scanner.OSSConfig{Bucket: "bkt", API: fake, PageSize: 1001}, "page size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

type staticCreds struct{}

func (staticCreds) GetCredentials() oss.Credentials { return staticCreds{} }
func (staticCreds) GetAccessKeyID() string          { return "id" }
func (staticCreds) GetAccessKeySecret() string      { return "secret" }
func (staticCreds) GetSecurityToken() string        { return "" }

// TestOSSWalkStreamsPages lists 2,500 keys in pages of 1,000: every object
// once, in key order, and the first objects reach fn before the second
// page is requested (the listing is streamed, not collected).
func TestOSSWalkStreamsPages(t *testing.T) {
	t.Parallel()
	fake := newFakeOSS(nil)
	for i := range 2500 {
		fake.put(fmt.Sprintf("data/part-%05d.txt", i), "x")
	}
	fake.put("other/outside.txt", "x")
	fake.put("data/folder/", "") // a folder marker, not an object
	s := newOSSSource(t, fake, "data/")
	seen := map[string]bool{}
	listsAtFirst := 0
	err := s.Walk(context.Background(), func(o scanner.ObjectInfo) error {
		if len(seen) == 0 {
			listsAtFirst = fake.lists
		}
		assert.False(t, seen[o.Key], "listed twice: %s", o.Key)
		seen[o.Key] = true
		return nil
	})
	require.NoError(t, err)
	assert.Len(t, seen, 2500)
	assert.Equal(t, 1, listsAtFirst)
	assert.Equal(t, 3, fake.lists)
	assert.Zero(t, fake.noContext)
	assert.True(t, seen["oss://bkt/data/part-02499.txt"])
}

func TestOSSWalkNamesAndInfo(t *testing.T) {
	t.Parallel()
	fake := newFakeOSS(map[string]string{"logs/2024-01/a.csv": "a", "logs/app/b.csv": "b", "top.csv": "t"})
	fake.objects["logs/app/b.csv"].class = "Archive"
	tests := []struct {
		prefix string
		names  []string
	}{
		{"", []string{"logs/2024-01/a.csv", "logs/app/b.csv", "top.csv"}},
		{"logs/", []string{"2024-01/a.csv", "app/b.csv"}},
		{"logs/2024-", []string{"2024-01/a.csv"}},
		{"logs/app/b.csv", []string{"b.csv"}},
	}
	for _, tt := range tests {
		t.Run("prefix="+tt.prefix, func(t *testing.T) {
			got, err := walkAll(t, newOSSSource(t, fake, tt.prefix))
			require.NoError(t, err)
			var names []string
			for _, o := range got {
				names = append(names, o.Name)
			}
			assert.Equal(t, tt.names, names)
		})
	}
	got, err := walkAll(t, newOSSSource(t, fake, "logs/app/"))
	require.NoError(t, err)
	require.Len(t, got, 1)
	o := got[0]
	assert.Equal(t, "oss", o.Source)
	assert.Equal(t, "oss://bkt/logs/app/b.csv", o.Key)
	assert.Equal(t, int64(1), o.Size)
	assert.Equal(t, "Archive", o.StorageClass)
	assert.Equal(t, fake.objects["logs/app/b.csv"].etag, o.ETag, "ETag without quotes")
	assert.Equal(t, o.ETag, o.Version())
}

func TestOSSWalkErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fails    []error
		wantCode string // "" means the walk succeeds
		wantMsg  string
	}{
		{"throttled page is retried", []error{svcErr("QpsLimitExceeded", 503), svcErr("InternalError", 500)}, "", ""},
		{"bad signature is fatal", []error{svcErr("SignatureDoesNotMatch", 403)}, "SignatureDoesNotMatch", "list oss://bkt/data/: SignatureDoesNotMatch: message of SignatureDoesNotMatch (http 403, request id REQ1)"},
		{"missing bucket is fatal", []error{svcErr("NoSuchBucket", 404)}, "NoSuchBucket", "list oss://bkt/data/: NoSuchBucket"},
		{"bucket access denied is fatal", []error{svcErr("AccessDenied", 403)}, "AccessDenied", "AccessDenied"},
		{"unknown key id is fatal", []error{svcErr("InvalidAccessKeyId", 403)}, "InvalidAccessKeyId", "InvalidAccessKeyId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeOSS(map[string]string{"data/a.txt": "a"})
			fake.listFail = tt.fails
			got, err := walkAll(t, newOSSSource(t, fake, "data/"))
			if tt.wantCode == "" {
				require.NoError(t, err)
				assert.Len(t, got, 1)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.wantCode, scanner.OSSErrorCode(err))
			var se oss.ServiceError
			assert.True(t, errors.As(err, &se))
			assert.Contains(t, err.Error(), tt.wantMsg)
			assert.Equal(t, 1, fake.lists, "fatal errors are not retried")
		})
	}
	t.Run("cancelled walk returns the context error", func(t *testing.T) {
		t.Parallel()
		fake := newFakeOSS(map[string]string{"a": "1", "b": "2"})
		ctx, cancel := context.WithCancel(context.Background())
		fake.onList = func(int) { cancel() }
		fake.listFail = []error{svcErr("InternalError", 500)}
		s := newOSSSource(t, fake, "")
		err := s.Walk(ctx, func(scanner.ObjectInfo) error { return nil })
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// openInfo lists key and returns its ObjectInfo.
func openInfo(t *testing.T, s *scanner.OSSSource, key string) scanner.ObjectInfo {
	t.Helper()
	got, err := walkAll(t, s)
	require.NoError(t, err)
	for _, o := range got {
		if o.Key == "oss://bkt/"+key {
			return o
		}
	}
	t.Fatalf("%s not listed", key)
	return scanner.ObjectInfo{}
}

// TestOSSReaderResumes breaks GET bodies mid-way and checks that the
// reader delivers every byte exactly once, asking for the rest with Range
// and If-Match, whatever the read sizes.
func TestOSSReaderResumes(t *testing.T) {
	t.Parallel()
	data := strings.Repeat("0123456789abcdef", 4096) // 64 KiB
	tests := []struct {
		name    string
		cuts    []int64
		getFail []error
		reader  func(io.Reader) io.Reader
		ranges  []string
	}{
		{"no fault", nil, nil, nil, []string{""}},
		{"one break", []int64{1000}, nil, nil, []string{"", "bytes=1000-65535"}},
		{"three breaks", []int64{10, 20000, 1}, nil, nil, []string{"", "bytes=10-65535", "bytes=20010-65535", "bytes=20011-65535"}},
		{"break at zero bytes", []int64{0}, nil, nil, []string{"", ""}},
		{"5xx before and after a break", []int64{5000}, []error{svcErr("InternalError", 500), nil, svcErr("QpsLimitExceeded", 503)},
			nil, []string{"", "", "bytes=5000-65535", "bytes=5000-65535"}},
		{"one-byte reads", []int64{333, 333}, nil, iotest.OneByteReader, []string{"", "bytes=333-65535", "bytes=666-65535"}},
		{"half reads", []int64{4097}, nil, iotest.HalfReader, []string{"", "bytes=4097-65535"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeOSS(map[string]string{"big.txt": data})
			s := newOSSSource(t, fake, "")
			info := openInfo(t, s, "big.txt")
			fake.cuts, fake.getFail = tt.cuts, tt.getFail
			rc, err := s.Open(context.Background(), info)
			require.NoError(t, err)
			var r io.Reader = rc
			if tt.reader != nil {
				r = tt.reader(r)
			}
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			assert.True(t, string(got) == data, "content differs: %d bytes read", len(got))
			var ranges []string
			for _, g := range fake.gets {
				ranges = append(ranges, g.rng)
				assert.Equal(t, `"`+info.ETag+`"`, g.ifMatch, "every GET is pinned to the listed version")
				assert.Equal(t, "identity", g.encoding, "no transparent gzip")
			}
			assert.Equal(t, tt.ranges, ranges)
			assert.Zero(t, fake.noContext)
		})
	}
}

func TestOSSReaderFailures(t *testing.T) {
	t.Parallel()
	data := strings.Repeat("z", 10000)
	tests := []struct {
		name     string
		setup    func(f *fakeOSS)
		midRead  func(f *fakeOSS) // applied after the first GET
		atOpen   bool
		reason   scanner.Reason
		wantCode string
	}{
		{"access denied", func(f *fakeOSS) { f.getFail = []error{svcErr("AccessDenied", 403)} }, nil, true, scanner.ReasonPermissionDenied, "AccessDenied"},
		{"no such key", func(f *fakeOSS) { delete(f.objects, "obj") }, nil, true, scanner.ReasonNotFound, "NoSuchKey"},
		{"replaced after listing", func(f *fakeOSS) { f.objects["obj"].etag = "NEW" }, nil, true, scanner.ReasonChanged, "PreconditionFailed"},
		{"not restored", func(f *fakeOSS) { f.getFail = []error{svcErr("InvalidObjectState", 403)} }, nil, true, scanner.ReasonStorageClass, "InvalidObjectState"},
		{"5xx budget spent", func(f *fakeOSS) {
			f.getFail = []error{svcErr("InternalError", 500), svcErr("InternalError", 500), svcErr("InternalError", 500)}
		}, nil, true, scanner.ReasonReadError, "InternalError"},
		{"replaced during the read", func(f *fakeOSS) { f.cuts = []int64{100} },
			func(f *fakeOSS) { f.objects["obj"].etag = "NEW" }, false, scanner.ReasonChanged, "PreconditionFailed"},
		{"breaks without progress", func(f *fakeOSS) { f.cuts = []int64{100, 0, 0, 0} }, nil, false, scanner.ReasonReadError, ""},
		{"crc mismatch", func(f *fakeOSS) { f.objects["obj"].badCRC = true }, nil, false, scanner.ReasonReadError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeOSS(map[string]string{"obj": data})
			s, err := scanner.NewOSSSource(scanner.OSSConfig{Bucket: "bkt", API: fake, Retry: scanner.OSSRetry{MaxAttempts: 3, BaseDelay: time.Microsecond}})
			require.NoError(t, err)
			info := openInfo(t, s, "obj")
			tt.setup(fake)
			rc, err := s.Open(context.Background(), info)
			if !tt.atOpen {
				require.NoError(t, err)
				if tt.midRead != nil {
					tt.midRead(fake)
				}
				_, err = io.ReadAll(rc)
				_ = rc.Close()
			}
			require.Error(t, err)
			var oe *scanner.ObjectError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, tt.reason, oe.Reason)
			assert.Equal(t, tt.wantCode, scanner.OSSErrorCode(err))
			assert.NotErrorIs(t, err, io.ErrUnexpectedEOF, "a failed read must not look like a truncated object")
			assert.Contains(t, err.Error(), "oss://bkt/obj")
		})
	}
}

func TestOSSReaderEdges(t *testing.T) {
	t.Parallel()
	t.Run("server ignoring Range", func(t *testing.T) {
		t.Parallel()
		data := strings.Repeat("abc", 1000)
		fake := newFakeOSS(map[string]string{"obj": data})
		fake.ignoreRange = true
		s := newOSSSource(t, fake, "")
		info := openInfo(t, s, "obj")
		fake.cuts = []int64{1500}
		rc, err := s.Open(context.Background(), info)
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		assert.Equal(t, data, string(got))
	})
	t.Run("empty object sends no request", func(t *testing.T) {
		t.Parallel()
		fake := newFakeOSS(map[string]string{"empty": ""})
		s := newOSSSource(t, fake, "")
		rc, err := s.Open(context.Background(), openInfo(t, s, "empty"))
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		assert.Empty(t, got)
		assert.Empty(t, fake.gets)
	})
	t.Run("cancelled mid-read", func(t *testing.T) {
		t.Parallel()
		fake := newFakeOSS(map[string]string{"obj": strings.Repeat("q", 5000)})
		s := newOSSSource(t, fake, "")
		info := openInfo(t, s, "obj")
		ctx, cancel := context.WithCancel(context.Background())
		fake.cuts = []int64{10}
		rc, err := s.Open(ctx, info)
		require.NoError(t, err)
		cancel()
		_, err = io.ReadAll(rc)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

// osslocalBucket serves a fresh bucket "bkt" from osslocal with cfg's
// faults (keys id/secret) for the test's duration, and returns its
// endpoint and the bucket through the SDK, to upload with.
func osslocalBucket(t *testing.T, cfg server.Config) (string, *oss.Bucket) {
	t.Helper()
	cfg.Root, cfg.AccessKeyID, cfg.AccessKeySecret = t.TempDir(), "id", "secret"
	require.NoError(t, os.Mkdir(filepath.Join(cfg.Root, "bkt"), 0o755))
	srv, err := server.New(cfg)
	require.NoError(t, err)
	url, stop, err := srv.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(stop)
	c, err := oss.New(url, "id", "secret")
	require.NoError(t, err)
	b, err := c.Bucket("bkt")
	require.NoError(t, err)
	return url, b
}

// TestOSSSourceOverHTTP reads objects uploaded through the API (so they
// carry x-oss-hash-crc64ecma) from osslocal with half of the GET bodies cut
// mid-way: the real SDK and net/http errors are retried and resumed, the
// CRC-64 of the delivered bytes matches, and an object stored with
// Content-Encoding: gzip is read as stored, not inflated by net/http.
func TestOSSSourceOverHTTP(t *testing.T) {
	t.Parallel()
	url, b := osslocalBucket(t, server.Config{ResetRate: 0.5, ErrorRate: 0.1, Seed: 9, FaultOps: []string{"GetObject"}})
	want := map[string]string{}
	for i := range 8 {
		key := fmt.Sprintf("obj-%d.txt", i)
		want["oss://bkt/"+key] = strings.Repeat(fmt.Sprintf("line %d of %s\n", i, key), 2000*(i+1))
		require.NoError(t, b.PutObject(key, strings.NewReader(want["oss://bkt/"+key])))
	}
	// Stored gzip with Content-Encoding: gzip must come back as stored.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(strings.Repeat("mail user@example.com\n", 5000)))
	require.NoError(t, zw.Close())
	want["oss://bkt/mail.txt.gz"] = gz.String()
	require.NoError(t, b.PutObject("mail.txt.gz", bytes.NewReader(gz.Bytes()), oss.ContentEncoding("gzip")))

	s, err := scanner.NewOSSSource(scanner.OSSConfig{Endpoint: url, Credentials: &staticCreds{}, Bucket: "bkt",
		Retry: scanner.OSSRetry{MaxAttempts: 20, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}})
	require.NoError(t, err)
	infos, err := walkAll(t, s)
	require.NoError(t, err)
	require.Len(t, infos, len(want))
	for _, o := range infos {
		rc, err := s.Open(context.Background(), o)
		require.NoError(t, err, o.Key)
		got, err := io.ReadAll(rc)
		require.NoError(t, err, o.Key)
		require.NoError(t, rc.Close())
		assert.True(t, want[o.Key] == string(got), "%s: %d bytes read, want %d", o.Key, len(got), len(want[o.Key]))
	}
}

// TestRunOSSReadAhead scans 300 small objects from osslocal with GET
// bodies cut and 5xx answers, reading ahead 16 at a time: the reads ahead
// retry and resume through the real SDK like a worker's own reads, so
// every object is complete with its one finding, as with reading ahead
// off.
func TestRunOSSReadAhead(t *testing.T) {
	t.Parallel()
	url, b := osslocalBucket(t, server.Config{ResetRate: 0.3, ErrorRate: 0.1, Seed: 4, FaultOps: []string{"GetObject"}})
	for i := range 300 {
		body := strings.Repeat(fmt.Sprintf("event %d at 2026-11-16 08:00:00 ok\n", i), 20) + "contact 13812348000\n"
		require.NoError(t, b.PutObject(fmt.Sprintf("events/e-%04d.log", i), strings.NewReader(body)))
	}
	for _, prefetch := range []int{16, -1} {
		s, err := scanner.NewOSSSource(scanner.OSSConfig{Endpoint: url, Credentials: &staticCreds{}, Bucket: "bkt",
			Retry: scanner.OSSRetry{MaxAttempts: 30, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}})
		require.NoError(t, err)
		sink := run(t, s, scanner.Config{Workers: 2, Prefetch: prefetch})
		require.Len(t, sink.Results, 300)
		for _, r := range sink.Results {
			require.Equal(t, scanner.StatusComplete, r.Status, "prefetch %d: %s: %v", prefetch, r.Info.Key, r.Err)
			require.Len(t, r.Findings, 1, r.Info.Key)
			assert.Equal(t, "cn_mobile", r.Findings[0].DataType)
		}
	}
}

// TestOSSDeletedAfterListing: an object deleted between the listing and
// its GET (NoSuchKey) is skipped/not_found, not failed: nothing of it is
// left to scan, and a nightly scan of a live bucket otherwise ended with
// exit 3 whenever an object was deleted while it ran.
func TestOSSDeletedAfterListing(t *testing.T) {
	t.Parallel()
	fake := newFakeOSS(map[string]string{"a.txt": "手机 13812348000\n", "gone.txt": "x\n"})
	s, err := scanner.NewOSSSource(scanner.OSSConfig{Bucket: "bkt", API: fake, Retry: scanner.OSSRetry{MaxAttempts: 2, BaseDelay: time.Microsecond}})
	require.NoError(t, err)
	filter := func(o scanner.ObjectInfo) bool {
		fake.mu.Lock()
		defer fake.mu.Unlock()
		if o.Name == "gone.txt" {
			delete(fake.objects, "gone.txt")
		}
		return true
	}
	sink := run(t, s, scanner.Config{Workers: 1, Prefetch: -1, Filter: filter})
	require.Len(t, sink.Results, 2)
	gone := sink.ByName("gone.txt")
	require.NotNil(t, gone)
	assert.Equal(t, scanner.StatusSkipped, gone.Status)
	assert.Equal(t, scanner.ReasonNotFound, gone.Reason)
	assert.Equal(t, scanner.StatusComplete, sink.ByName("a.txt").Status)
}

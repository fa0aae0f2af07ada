package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// OSSAPI is the part of *oss.Bucket that OSSSource uses, so that tests can
// put a fake in its place. Implementations must be safe for concurrent
// use, as *oss.Bucket is. OSS answers are returned as oss.ServiceError
// values (match them with errors.As), transport failures as the net/http
// errors; GetObject's reader (an *oss.Response, whose Headers OSSSource
// reads) is owned and closed by the caller.
type OSSAPI interface {
	ListObjectsV2(options ...oss.Option) (oss.ListObjectsResultV2, error)
	GetObject(key string, options ...oss.Option) (io.ReadCloser, error)
}

var _ OSSAPI = (*oss.Bucket)(nil)

// OSSConfig configures an OSSSource. Bucket and either API or Endpoint and
// Credentials are required; other zero values are documented per field.
type OSSConfig struct {
	// Endpoint is the OSS endpoint URL, e.g.
	// "https://oss-cn-hangzhou.aliyuncs.com" or "http://127.0.0.1:9000"
	// for osslocal. Required unless API is set.
	Endpoint string
	// Region, e.g. "cn-hangzhou", selects signature V4 scoped to it; empty
	// signs with V1 (the SDK's default).
	Region string
	// Credentials supply the key pair and the optional STS token. The
	// source never logs them. Required unless API is set.
	Credentials oss.CredentialsProvider
	// Bucket is the bucket to list. Required.
	Bucket string
	// Prefix limits the listing to keys that start with it; "" lists the
	// whole bucket. Keys ending in '/' with no content (folder markers)
	// are not objects and are never listed.
	Prefix string
	// PageSize is the max-keys of each ListObjectsV2 page (default and
	// maximum 1000).
	PageSize int
	// Retry is the retry policy of every request (see OSSRetry).
	Retry OSSRetry
	// API replaces the SDK client built from Endpoint, Region and
	// Credentials (tests use a fake).
	API OSSAPI
	// Logger receives Debug lines for retries and resumed reads; nil
	// discards. Keys are logged, contents and credentials never.
	Logger *slog.Logger
}

// Validate reports the first configuration problem, or nil.
func (c *OSSConfig) Validate() error {
	switch {
	case oss.CheckBucketName(c.Bucket) != nil:
		return fmt.Errorf("oss config: bucket %q: want 3-63 lower-case letters, digits and '-'", c.Bucket)
	case c.API == nil && c.Endpoint == "":
		return errors.New("oss config: endpoint is required")
	case c.API == nil && c.Credentials == nil:
		return errors.New("oss config: credentials are required")
	case c.PageSize < 0 || c.PageSize > 1000:
		return fmt.Errorf("oss config: page size %d is outside 1..1000", c.PageSize)
	}
	return nil
}

// NewOSSClient returns an SDK client for endpoint. A non-empty region
// selects signature V4 (which OSS requires of new accounts in some
// regions); "localhost" endpoints are addressed path style, as the SDK
// already does for IP addresses, so that osslocal works by name too.
// opts are appended after these settings.
func NewOSSClient(endpoint, region string, creds oss.CredentialsProvider, opts ...oss.ClientOption) (*oss.Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("oss endpoint %q: want http(s)://host[:port]", endpoint)
	}
	base := []oss.ClientOption{oss.SetCredentialsProvider(creds)}
	if region != "" {
		base = append(base, oss.AuthVersion(oss.AuthV4), oss.Region(region))
	}
	if h := u.Hostname(); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		base = append(base, oss.ForcePathStyle(true))
	}
	// The key pair comes from the provider, which replaces the SDK's
	// static one.
	c, err := oss.New(endpoint, "", "", append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("oss client for %s: %w", endpoint, err)
	}
	return c, nil
}

// OSSSource lists the objects of a bucket under a prefix and reads them
// with streaming, resumable ranged GETs. It is safe for concurrent Open
// calls; Walk is called once per run.
//
// Object names: ObjectInfo.Key is "oss://bucket/key" (the object column),
// and ObjectInfo.Name, used for globs and format detection, is the key
// relative to the "folder" of the prefix, i.e. with the prefix up to and
// including its last '/' removed. Scanning oss://b/logs/ names logs/app/x.csv
// "app/x.csv", as scanning a local folder logs/ would; oss://b/logs/2024-
// names logs/2024-01/x.csv "2024-01/x.csv"; oss://b/ keeps the whole key.
type OSSSource struct {
	cfg  OSSConfig
	api  OSSAPI
	base string // the part of Prefix that names strip
	log  *slog.Logger
}

var _ Source = (*OSSSource)(nil)

// NewOSSSource validates cfg and builds the SDK client (unless cfg.API is
// set). It sends no request: bad credentials or a missing bucket show up
// as Walk's error.
func NewOSSSource(cfg OSSConfig) (*OSSSource, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.PageSize == 0 {
		cfg.PageSize = 1000
	}
	cfg.Retry = cfg.Retry.withDefaults()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	api := cfg.API
	if api == nil {
		// CRC is checked by ossReader over the bytes it delivers, resumed
		// ranges included; the SDK's own check covers unranged GETs only
		// and would hash everything twice.
		c, err := NewOSSClient(cfg.Endpoint, cfg.Region, cfg.Credentials, oss.EnableCRC(false))
		if err != nil {
			return nil, err
		}
		b, err := c.Bucket(cfg.Bucket)
		if err != nil {
			return nil, fmt.Errorf("oss bucket %s: %w", cfg.Bucket, err)
		}
		api = b
	}
	return &OSSSource{
		cfg: cfg, api: api, base: cfg.Prefix[:strings.LastIndex(cfg.Prefix, "/")+1],
		log: cfg.Logger.With("component", "oss_source", "source", "oss://"+cfg.Bucket+"/"+cfg.Prefix),
	}, nil
}

// URI returns the source's target, "oss://bucket/prefix".
func (s *OSSSource) URI() string { return "oss://" + s.cfg.Bucket + "/" + s.cfg.Prefix }

// Probe lists one key of the prefix, to find before a run starts that
// the bucket answers with these credentials (a missing bucket, a bad key
// or a denied listing), with the retries of Walk.
func (s *OSSSource) Probe(ctx context.Context) error {
	err := s.cfg.Retry.Do(ctx, func() error {
		_, err := s.api.ListObjectsV2(oss.WithContext(ctx), oss.Prefix(s.cfg.Prefix), oss.MaxKeys(1))
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("list %s: %w", s.URI(), DescribeOSS(err))
	}
	return nil
}

// Walk lists the prefix with ListObjectsV2, page by page (continuation
// tokens, "ListObjectsV2 pagination" in the OSS API reference), calling fn
// for each object as its page arrives: only one page of keys is held at a
// time, and fn blocking (a full worker queue) pauses the listing. A page
// that fails is retried per cfg.Retry; a final failure (bad credentials,
// missing bucket, access denied) is returned as "list oss://b/p: CODE:
// message", wrapping the oss.ServiceError.
func (s *OSSSource) Walk(ctx context.Context, fn func(ObjectInfo) error) error {
	token := ""
	for pages := 1; ; pages++ {
		opts := []oss.Option{oss.WithContext(ctx), oss.Prefix(s.cfg.Prefix), oss.MaxKeys(s.cfg.PageSize)}
		if token != "" {
			opts = append(opts, oss.ContinuationToken(token))
		}
		var page oss.ListObjectsResultV2
		err := s.cfg.Retry.Do(ctx, func() error {
			var err error
			page, err = s.api.ListObjectsV2(opts...)
			if err != nil && ctx.Err() == nil {
				s.log.LogAttrs(ctx, slog.LevelDebug, "list page failed", slog.Int("page", pages), slog.String("err", DescribeOSS(err).Error()))
			}
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("list %s: %w", s.URI(), DescribeOSS(err))
		}
		for i := range page.Objects {
			o := &page.Objects[i]
			if strings.HasSuffix(o.Key, "/") && o.Size == 0 {
				continue // a folder marker, as the OSS console creates them
			}
			if err := fn(s.info(o)); err != nil {
				return err
			}
		}
		if !page.IsTruncated {
			return nil
		}
		if page.NextContinuationToken == "" || page.NextContinuationToken == token {
			return fmt.Errorf("list %s: page %d is truncated but has no new continuation token", s.URI(), pages)
		}
		token = page.NextContinuationToken
	}
}

// info converts a listing entry.
func (s *OSSSource) info(o *oss.ObjectProperties) ObjectInfo {
	return ObjectInfo{
		Source:       "oss",
		Key:          "oss://" + s.cfg.Bucket + "/" + o.Key,
		Name:         strings.TrimPrefix(o.Key, s.base),
		Size:         o.Size,
		ModTime:      o.LastModified,
		ETag:         strings.Trim(o.ETag, `"`),
		StorageClass: o.StorageClass,
	}
}

// Open starts a streaming GET of a listed object. The request carries
// If-Match with the listed ETag, so the bytes scanned are the version the
// objects row names; the reader resumes a broken body with a Range request
// under the same condition (see ossReader). Failures are *ObjectError with
// Reason permission_denied (AccessDenied), not_found (NoSuchKey),
// changed_during_scan (PreconditionFailed: the object was replaced since
// it was listed), storage_class (InvalidObjectState: not restored) or
// read_error.
func (s *OSSSource) Open(ctx context.Context, o ObjectInfo) (io.ReadCloser, error) {
	key, ok := strings.CutPrefix(o.Key, "oss://"+s.cfg.Bucket+"/")
	if !ok || key == "" {
		return nil, &ObjectError{Key: o.Key, Op: "get", Reason: ReasonNotFound, Err: fmt.Errorf("not an object of oss://%s/", s.cfg.Bucket)}
	}
	if o.Size == 0 {
		return io.NopCloser(strings.NewReader("")), nil // nothing to fetch
	}
	r := &ossReader{
		ctx: ctx, api: s.api, key: key, uri: o.Key, etag: o.ETag,
		size: o.Size, end: o.Size, retry: s.cfg.Retry, log: s.log,
	}
	if err := r.fetch(); err != nil {
		return nil, err
	}
	return r, nil
}

// objectError turns a failed GET into an *ObjectError with its reason;
// attempts > 1 is said in the text. An OSS answer stays wrapped (errors.As
// finds the oss.ServiceError); a transport error is kept as text only,
// because a final io.ErrUnexpectedEOF must not read as a truncated,
// malformed object to the worker, whose classification tests for it.
func objectError(uri string, off int64, attempts int, err error) error {
	var oe *ObjectError
	if errors.As(err, &oe) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err // the worker reports timeouts and interruptions itself
	}
	reason := ReasonReadError
	switch OSSErrorCode(err) {
	case "AccessDenied":
		reason = ReasonPermissionDenied
	case "NoSuchKey", "NoSuchBucket":
		reason = ReasonNotFound
	case "PreconditionFailed":
		reason = ReasonChanged
	case "InvalidObjectState":
		reason = ReasonStorageClass
	}
	op := "get"
	if off > 0 {
		op = fmt.Sprintf("get from byte %d of", off)
	}
	var se oss.ServiceError
	cause := DescribeOSS(err)
	if !errors.As(err, &se) {
		cause = errors.New(cause.Error())
	}
	if attempts > 1 {
		cause = fmt.Errorf("giving up after %d attempts: %w", attempts, cause)
	}
	return &ObjectError{Key: uri, Op: op, Reason: reason, Err: cause}
}

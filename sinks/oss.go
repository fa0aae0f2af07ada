package sinks

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"golang.org/x/sync/errgroup"

	"github.com/piiscan/piiscan/scanner"
)

// OSSUploadAPI is the part of *oss.Bucket that OSSUploader uses, so that
// tests can put a fake in its place. Implementations must be safe for
// concurrent use, as *oss.Bucket is.
type OSSUploadAPI interface {
	PutObjectFromFile(key, filePath string, options ...oss.Option) error
	InitiateMultipartUpload(key string, options ...oss.Option) (oss.InitiateMultipartUploadResult, error)
	UploadPart(imur oss.InitiateMultipartUploadResult, r io.Reader, size int64, number int, options ...oss.Option) (oss.UploadPart, error)
	CompleteMultipartUpload(imur oss.InitiateMultipartUploadResult, parts []oss.UploadPart, options ...oss.Option) (oss.CompleteMultipartUploadResult, error)
	AbortMultipartUpload(imur oss.InitiateMultipartUploadResult, options ...oss.Option) error
}

var _ OSSUploadAPI = (*oss.Bucket)(nil)

// OSSOwnerAPI is what OSSUploader needs besides OSSUploadAPI when
// ForbidOverwrite is set: reading an object's metadata to tell its own
// files from another writer's, and deleting its own. *oss.Bucket has it.
type OSSOwnerAPI interface {
	GetObjectDetailedMeta(key string, options ...oss.Option) (http.Header, error)
	DeleteObject(key string, options ...oss.Option) error
}

var _ OSSOwnerAPI = (*oss.Bucket)(nil)

// writerMeta is the user metadata (x-oss-meta-piiscan-writer) that names the
// uploader which wrote an object, when ForbidOverwrite is set.
const writerMeta = "piiscan-writer"

// ExistsError is returned by Publish with ForbidOverwrite when the key
// exists and another writer put it there: OSS answered 409
// FileAlreadyExists, and the object does not carry this uploader's mark.
// Placer.Place returns it when the local file's name is taken.
type ExistsError struct {
	URI string // oss://bucket/key, or the local path
}

func (e *ExistsError) Error() string {
	if strings.HasPrefix(e.URI, "oss://") {
		return e.URI + " already exists, written by another writer (FileAlreadyExists)"
	}
	return e.URI + " already exists, written by another writer"
}

// Multipart limits of OSS: parts are 100 KiB to 5 GiB (the last may be
// smaller), at most 10,000 per object.
const (
	minPartSize = 100 << 10
	maxPartSize = 5 << 30
	maxParts    = 10_000
)

// OSSUploadConfig configures an OSSUploader. API and Bucket are required;
// other zero values are documented per field.
type OSSUploadConfig struct {
	// API is the bucket client (an *oss.Bucket). Required.
	API OSSUploadAPI
	// Bucket names the bucket in messages and logs. Required.
	Bucket string
	// Prefix is prepended to each relative path to form the key; give it
	// a trailing '/' to make it a folder ("piiscan/" + "scans/x.json").
	Prefix string
	// MultipartThreshold is the size from which a file is uploaded in
	// parts (default 64 MiB); smaller files take one PutObject.
	MultipartThreshold int64
	// PartSize is the size of each part (default 16 MiB, at least
	// 100 KiB); it grows when a file would need more than 10,000 parts.
	PartSize int64
	// Concurrency is the number of parts uploaded at once (default 4).
	Concurrency int
	// Retry is the retry policy of every request (see scanner.OSSRetry).
	Retry scanner.OSSRetry
	// Logger receives an Info line per uploaded file and Debug lines for
	// retries; nil discards.
	Logger *slog.Logger
	// ForbidOverwrite sends x-oss-forbid-overwrite: true with PutObject and
	// CompleteMultipartUpload, so that a key that exists is never
	// replaced, and marks each object with this uploader's random id
	// (x-oss-meta-piiscan-writer). A key found existing is this uploader's
	// own when it carries the mark (a retried request whose first answer
	// was lost after OSS stored the object): Publish then succeeds.
	// Otherwise Publish returns an *ExistsError. API must then also be an
	// OSSOwnerAPI.
	ForbidOverwrite bool
}

// Validate reports the first configuration problem, or nil.
func (c OSSUploadConfig) Validate() error {
	switch {
	case c.API == nil:
		return errors.New("oss upload config: api is nil")
	case oss.CheckBucketName(c.Bucket) != nil:
		return fmt.Errorf("oss upload config: bucket %q: want 3-63 lower-case letters, digits and '-'", c.Bucket)
	case c.MultipartThreshold < 0 || c.PartSize < 0 || c.Concurrency < 0:
		return errors.New("oss upload config: negative threshold, part size or concurrency")
	case c.PartSize != 0 && (c.PartSize < minPartSize || c.PartSize > maxPartSize):
		return fmt.Errorf("oss upload config: part size %d is outside 100KiB..5GiB", c.PartSize)
	}
	if _, ok := c.API.(OSSOwnerAPI); c.ForbidOverwrite && !ok {
		return errors.New("oss upload config: forbid overwrite needs an api that reads metadata and deletes (OSSOwnerAPI)")
	}
	return nil
}

// OSSUploader publishes finished output files to OSS under a prefix, as the
// PublishFunc of ParquetConfig and PublishSummary: small files with one
// PutObject, large ones with a multipart upload that becomes visible only
// when CompleteMultipartUpload succeeds. Either way a reader of the bucket
// never sees a partial object. Every request passes the caller's context
// and is retried per the Retry policy. It is safe for concurrent use.
type OSSUploader struct {
	cfg OSSUploadConfig
	log *slog.Logger
	// writer is the random id marking this uploader's objects
	// (ForbidOverwrite).
	writer string
}

// NewOSSUploader validates cfg and returns an uploader. It sends no
// request.
func NewOSSUploader(cfg OSSUploadConfig) (*OSSUploader, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MultipartThreshold == 0 {
		cfg.MultipartThreshold = 64 << 20
	}
	if cfg.PartSize == 0 {
		cfg.PartSize = 16 << 20
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 4
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	u := &OSSUploader{cfg: cfg, log: cfg.Logger.With("component", "oss_upload")}
	if cfg.ForbidOverwrite {
		var b [16]byte
		_, _ = rand.Read(b[:])
		u.writer = hex.EncodeToString(b[:])
	}
	return u, nil
}

var _ PublishFunc = (*OSSUploader)(nil).Publish

// Key returns the object key of a relative output path: Prefix + relPath.
func (u *OSSUploader) Key(relPath string) string { return u.cfg.Prefix + relPath }

// Publish uploads localPath to Key(relPath). It implements PublishFunc.
func (u *OSSUploader) Publish(ctx context.Context, localPath, relPath string) error {
	key := u.Key(relPath)
	uri := "oss://" + u.cfg.Bucket + "/" + key
	fi, err := os.Stat(localPath)
	if err != nil {
		return fmt.Errorf("upload %s: %w", uri, err)
	}
	start := time.Now()
	opts := []oss.Option{oss.WithContext(ctx), oss.ContentType(contentType(relPath))}
	if u.cfg.ForbidOverwrite {
		opts = append(opts, oss.Meta(writerMeta, u.writer))
	}
	parts := 0
	if fi.Size() < u.cfg.MultipartThreshold {
		var put []oss.Option
		if u.cfg.ForbidOverwrite {
			put = append(opts[:len(opts):len(opts)], oss.ForbidOverWrite(true))
		} else {
			put = opts
		}
		err = u.cfg.Retry.Do(ctx, func() error {
			return u.logged(ctx, uri, "put", u.cfg.API.PutObjectFromFile(key, localPath, put...))
		})
	} else {
		parts, err = u.multipart(ctx, key, uri, localPath, fi.Size(), opts)
	}
	if err != nil && u.cfg.ForbidOverwrite && refused(err) {
		// The key exists: ours (a retry after a lost answer), or another
		// writer's.
		exists, mine, merr := u.owns(ctx, key)
		switch {
		case merr != nil:
			err = fmt.Errorf("%w; reading its metadata: %w", scanner.DescribeOSS(err), scanner.DescribeOSS(merr))
		case mine:
			err = nil
		case exists:
			return &ExistsError{URI: uri}
		}
	}
	if err != nil {
		return fmt.Errorf("upload %s: %w", uri, scanner.DescribeOSS(err))
	}
	u.log.LogAttrs(ctx, slog.LevelInfo, "uploaded", slog.String("key", uri), slog.Int64("bytes", fi.Size()),
		slog.Int("parts", parts), slog.Duration("elapsed", time.Since(start)))
	return nil
}

// refused reports whether err says that the key may exist already: 409
// FileAlreadyExists, or NoSuchUpload from a retried
// CompleteMultipartUpload whose first attempt completed the upload.
func refused(err error) bool {
	var se oss.ServiceError
	return errors.As(err, &se) && (se.Code == "FileAlreadyExists" || se.Code == "NoSuchUpload")
}

// owns reports whether key exists and whether it carries this uploader's
// mark.
func (u *OSSUploader) owns(ctx context.Context, key string) (exists, mine bool, err error) {
	api := u.cfg.API.(OSSOwnerAPI)
	var h http.Header
	err = u.cfg.Retry.Do(ctx, func() error {
		var err error
		h, err = api.GetObjectDetailedMeta(key, oss.WithContext(ctx))
		return err
	})
	var se oss.ServiceError
	switch {
	case errors.As(err, &se) && se.StatusCode == http.StatusNotFound:
		return false, false, nil
	case err != nil:
		return false, false, err
	}
	return true, h.Get("X-Oss-Meta-"+writerMeta) == u.writer, nil
}

// Remove deletes the object of relPath if this uploader wrote it (it
// carries its mark; ForbidOverwrite only), so that a run that stops can
// take back what it published without touching another writer's file. A
// missing key, or one of another writer, is left as it is.
func (u *OSSUploader) Remove(ctx context.Context, relPath string) error {
	if !u.cfg.ForbidOverwrite {
		return errors.New("remove: the uploader does not mark its objects (ForbidOverwrite is off)")
	}
	key := u.Key(relPath)
	uri := "oss://" + u.cfg.Bucket + "/" + key
	_, mine, err := u.owns(ctx, key)
	if err != nil {
		return fmt.Errorf("remove %s: %w", uri, scanner.DescribeOSS(err))
	}
	if !mine {
		return nil
	}
	err = u.cfg.Retry.Do(ctx, func() error { return u.cfg.API.(OSSOwnerAPI).DeleteObject(key, oss.WithContext(ctx)) })
	if err != nil {
		return fmt.Errorf("remove %s: %w", uri, scanner.DescribeOSS(err))
	}
	u.log.LogAttrs(ctx, slog.LevelInfo, "removed", slog.String("key", uri))
	return nil
}

// multipart uploads the file in parts of PartSize, Concurrency at a time,
// and completes the upload; on any failure it aborts the upload so that no
// parts are left billed in the bucket. It returns the number of parts.
func (u *OSSUploader) multipart(ctx context.Context, key, uri, localPath string, size int64, opts []oss.Option) (int, error) {
	f, err := os.Open(localPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	partSize := u.cfg.PartSize
	for (size+partSize-1)/partSize > maxParts {
		partSize *= 2
	}
	n := int((size + partSize - 1) / partSize)

	var imur oss.InitiateMultipartUploadResult
	err = u.cfg.Retry.Do(ctx, func() error {
		var err error
		imur, err = u.cfg.API.InitiateMultipartUpload(key, opts...)
		return u.logged(ctx, uri, "initiate multipart", err)
	})
	if err != nil {
		return 0, err
	}
	parts := make([]oss.UploadPart, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(u.cfg.Concurrency)
	for i := range n {
		if gctx.Err() != nil {
			break // a part failed for good: start no more
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			off := int64(i) * partSize
			length := min(partSize, size-off)
			return u.cfg.Retry.Do(gctx, func() error {
				// A fresh section reader per attempt: a failed attempt
				// may have consumed part of the previous one.
				p, err := u.cfg.API.UploadPart(imur, io.NewSectionReader(f, off, length), length, i+1, oss.WithContext(gctx))
				parts[i] = p
				return u.logged(gctx, uri, fmt.Sprintf("upload part %d/%d", i+1, n), err)
			})
		})
	}
	err = g.Wait()
	if err == nil {
		err = u.cfg.Retry.Do(ctx, func() error {
			copts := []oss.Option{oss.WithContext(ctx)}
			if u.cfg.ForbidOverwrite {
				copts = append(copts, oss.ForbidOverWrite(true))
			}
			_, err := u.cfg.API.CompleteMultipartUpload(imur, parts, copts...)
			return u.logged(ctx, uri, "complete multipart", err)
		})
	}
	if err != nil {
		// Abort even when ctx is done (an interrupted run), but bounded.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if aerr := u.cfg.API.AbortMultipartUpload(imur, oss.WithContext(actx)); aerr != nil {
			u.log.LogAttrs(ctx, slog.LevelWarn, "abort multipart upload", slog.String("key", uri),
				slog.String("err", scanner.DescribeOSS(aerr).Error()))
		}
		return n, err
	}
	return n, nil
}

// logged logs a failed attempt at Debug level and returns err unchanged.
func (u *OSSUploader) logged(ctx context.Context, uri, op string, err error) error {
	if err != nil && u.log.Enabled(ctx, slog.LevelDebug) {
		u.log.LogAttrs(ctx, slog.LevelDebug, "oss request failed", slog.String("key", uri), slog.String("op", op),
			slog.Bool("retryable", scanner.OSSRetryable(err)), slog.String("err", scanner.DescribeOSS(err).Error()))
	}
	return err
}

// contentType is the Content-Type of an output file.
func contentType(rel string) string {
	switch strings.ToLower(path.Ext(rel)) {
	case ".parquet":
		return "application/vnd.apache.parquet"
	case ".json":
		return "application/json"
	}
	return "application/octet-stream"
}

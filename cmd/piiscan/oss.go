package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/spf13/cobra"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
)

// OSS wiring of `piiscan scan`: oss:// targets, --out oss://, --endpoint,
// --region and the credentials from the environment (DESIGN.md section 2).

const ossScheme = "oss://"

// Environment variables of the OSS credentials. Their values are never
// logged or printed.
const (
	envOSSKeyID  = "OSS_ACCESS_KEY_ID"
	envOSSSecret = "OSS_ACCESS_KEY_SECRET"
	envOSSToken  = "OSS_SESSION_TOKEN"
)

// defaultOSSRegion is used when neither --endpoint nor --region is given.
const defaultOSSRegion = "cn-hangzhou"

func isOSS(s string) bool { return strings.HasPrefix(s, ossScheme) }

// ossURL is a parsed oss://bucket/prefix.
type ossURL struct{ bucket, prefix string }

func (u ossURL) String() string { return ossScheme + u.bucket + "/" + u.prefix }

// parseOSSURL parses oss://bucket[/prefix]. The prefix is kept verbatim
// (a key prefix need not end in '/').
func parseOSSURL(s string) (ossURL, error) {
	rest, ok := strings.CutPrefix(s, ossScheme)
	if !ok {
		return ossURL{}, fmt.Errorf("%s: want oss://bucket/prefix", s)
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if err := oss.CheckBucketName(bucket); err != nil {
		return ossURL{}, fmt.Errorf("%s: bucket %q: want 3-63 lower-case letters, digits and '-'", s, bucket)
	}
	return ossURL{bucket: bucket, prefix: prefix}, nil
}

// ossCredentials is a static key pair (and optional STS token) read from
// the environment. It implements oss.CredentialsProvider, and it formats
// as a fixed placeholder with fmt and slog so that it cannot leak into a
// log line or an error by accident.
type ossCredentials struct{ id, secret, token string }

var (
	_ oss.CredentialsProvider = (*ossCredentials)(nil)
	_ slog.LogValuer          = (*ossCredentials)(nil)
	_ fmt.Formatter           = (*ossCredentials)(nil)
)

func (c *ossCredentials) GetCredentials() oss.Credentials { return c }
func (c *ossCredentials) GetAccessKeyID() string          { return c.id }
func (c *ossCredentials) GetAccessKeySecret() string      { return c.secret }
func (c *ossCredentials) GetSecurityToken() string        { return c.token }
func (c *ossCredentials) LogValue() slog.Value            { return slog.StringValue("<oss credentials>") }
func (c *ossCredentials) Format(f fmt.State, _ rune)      { _, _ = io.WriteString(f, "<oss credentials>") }

// credentialsFromEnv reads the key pair; a missing one is a usage error.
func credentialsFromEnv() (*ossCredentials, error) {
	c := &ossCredentials{id: os.Getenv(envOSSKeyID), secret: os.Getenv(envOSSSecret), token: os.Getenv(envOSSToken)}
	if c.id == "" || c.secret == "" {
		return nil, usageErr("oss:// needs credentials: set %s and %s (and %s for STS tokens)", envOSSKeyID, envOSSSecret, envOSSToken)
	}
	return c, nil
}

// regionalEndpoint matches the public and internal OSS endpoints of a region.
var regionalEndpoint = regexp.MustCompile(`^oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$`)

// ossConn is how OSS is reached: endpoint URL, signing region (empty: V1)
// and credentials.
type ossConn struct {
	endpoint, region string
	creds            *ossCredentials
}

// resolveOSSConn resolves --endpoint and --region:
//   - neither: region cn-hangzhou and its public endpoint;
//   - --region only: https://oss-<region>.aliyuncs.com;
//   - --endpoint only: the region is read from an oss-<region>[-internal]
//     .aliyuncs.com host; other hosts (osslocal, a CNAME) sign with V1;
//   - an endpoint without a scheme gets https://.
//
// "oss-cn-hangzhou" is accepted for --region, as ali-oss spells it.
func resolveOSSConn(endpoint, region string) (*ossConn, error) {
	region = strings.TrimPrefix(strings.TrimSpace(region), "oss-")
	endpoint = strings.TrimSpace(endpoint)
	switch {
	case endpoint == "" && region == "":
		region = defaultOSSRegion
		endpoint = "https://oss-" + region + ".aliyuncs.com"
	case endpoint == "":
		endpoint = "https://oss-" + region + ".aliyuncs.com"
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "https://" + endpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || (u.Path != "" && u.Path != "/") {
		return nil, usageErr("--endpoint %q: want http(s)://host[:port], e.g. https://oss-cn-hangzhou.aliyuncs.com", endpoint)
	}
	if region == "" {
		if m := regionalEndpoint.FindStringSubmatch(u.Hostname()); m != nil {
			region = m[1]
		}
	}
	creds, err := credentialsFromEnv()
	if err != nil {
		return nil, err
	}
	return &ossConn{endpoint: u.Scheme + "://" + u.Host, region: region, creds: creds}, nil
}

// newSource builds the source of the targets: local files and folders
// (and -) go to one LocalSource, each oss:// target to an OSSSource; a
// target inside another one of the same bucket is dropped, so no object
// is listed twice. own are the scan's own local files and folders (its
// outputs and state), which are not listed.
func newSource(cmd *cobra.Command, f *scanFlags, targets, own []string, logger *slog.Logger) (scanner.Source, error) {
	var local []string
	var remote []ossURL
	for _, t := range targets {
		if !isOSS(t) {
			local = append(local, t)
			continue
		}
		u, err := parseOSSURL(t)
		if err != nil {
			return nil, usageErr("target %w", err)
		}
		remote = append(remote, u)
	}
	ms := &multiSource{byBucket: map[string]*scanner.OSSSource{}}
	if len(local) > 0 || len(remote) == 0 {
		src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: local, FollowSymlinks: f.followSymlinks, Stdin: cmd.InOrStdin(), Skip: own, PruneDir: globPrune(f.exclude), Logger: logger})
		if err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		ms.local = src
	}
	if len(remote) > 0 {
		conn, err := resolveOSSConn(f.endpoint, f.region)
		if err != nil {
			return nil, err
		}
		for _, u := range nestedRemoved(remote) {
			src, err := scanner.NewOSSSource(scanner.OSSConfig{
				Endpoint: conn.endpoint, Region: conn.region, Credentials: conn.creds,
				Bucket: u.bucket, Prefix: u.prefix, Logger: logger,
			})
			if err != nil {
				return nil, usageErr("target %s: %w", u, err)
			}
			ms.remote = append(ms.remote, src)
			if ms.byBucket[u.bucket] == nil {
				ms.byBucket[u.bucket] = src // any source of a bucket can open its keys
			}
		}
	}
	if ms.local != nil && len(ms.remote) == 0 {
		return ms.local, nil
	}
	if len(ms.remote) > 1 || ms.local != nil {
		// Targets are listed one after another: a bucket that does not
		// answer must stop the run before the others are scanned, not
		// after (a single target fails at its first page anyway).
		for _, src := range ms.remote {
			if err := src.Probe(cmd.Context()); err != nil {
				return nil, &exitError{code: exitUsage, err: err}
			}
		}
	}
	if ms.local == nil && len(ms.remote) == 1 {
		return ms.remote[0], nil
	}
	return ms, nil
}

// nestedRemoved sorts targets and drops those inside another target.
func nestedRemoved(us []ossURL) []ossURL {
	sort.Slice(us, func(i, j int) bool {
		if us[i].bucket != us[j].bucket {
			return us[i].bucket < us[j].bucket
		}
		return us[i].prefix < us[j].prefix
	})
	var out []ossURL
	for _, u := range us {
		if n := len(out); n > 0 && out[n-1].bucket == u.bucket && strings.HasPrefix(u.prefix, out[n-1].prefix) {
			continue
		}
		out = append(out, u)
	}
	return out
}

// multiSource lists local targets first, then each OSS target, and sends
// each Open to the source of the object's kind and bucket.
type multiSource struct {
	local    *scanner.LocalSource
	remote   []*scanner.OSSSource
	byBucket map[string]*scanner.OSSSource
}

var _ scanner.Source = (*multiSource)(nil)

func (m *multiSource) Walk(ctx context.Context, fn func(scanner.ObjectInfo) error) error {
	if m.local != nil {
		if err := m.local.Walk(ctx, fn); err != nil {
			return err
		}
	}
	for _, s := range m.remote {
		if err := s.Walk(ctx, fn); err != nil {
			return err
		}
	}
	return nil
}

func (m *multiSource) Open(ctx context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	if o.Source != "oss" {
		return m.local.Open(ctx, o)
	}
	bucket, _, _ := strings.Cut(strings.TrimPrefix(o.Key, ossScheme), "/")
	s := m.byBucket[bucket]
	if s == nil {
		return nil, &scanner.ObjectError{Key: o.Key, Op: "open", Reason: scanner.ReasonNotFound, Err: errors.New("no source for this bucket")}
	}
	return s.Open(ctx, o)
}

// Changed forwards the local source's check (see scanner's worker).
func (m *multiSource) Changed(o scanner.ObjectInfo) error {
	if m.local == nil || o.Source == "oss" {
		return nil
	}
	return m.local.Changed(o)
}

// outputs is where the sinks write: --out itself, or for --out oss://
// a temporary directory whose files are uploaded as each is finished.
type outputs struct {
	dir     string            // local directory the sinks write to
	publish sinks.PublishFunc // nil for a local --out; never replaces a key
	// replace publishes a file that may replace one of the same name (the
	// summary of a retry continuing its scan id); nil for a local --out.
	replace sinks.PublishFunc
	// placer renames the files of a local --out into place, never over
	// another run's file, and remembers which files it placed; nil for
	// --out oss:// (its files are placed in a temporary directory of this
	// run and published by publish).
	placer *sinks.Placer
	// remove deletes a file this run published, and only such a file (a
	// file or key another run wrote stays).
	remove func(ctx context.Context, rel string) error
	remote string // the oss:// URL of --out, "" when local
	// locate maps a path in the dataset layout to where it is published:
	// an absolute local path, or oss://bucket/key.
	locate func(rel string) string
	// summaries lists the names of the run summaries (OUT/scans/*.json)
	// that start with prefix (scanid.go).
	summaries func(ctx context.Context, prefix string) ([]string, error)
}

// where names --out in messages.
func (o *outputs) where() string {
	if o.remote != "" {
		return o.remote
	}
	return o.dir
}

// prepareOut resolves --out. For oss:// it checks before anything is
// scanned that the bucket answers with these credentials (a HEAD of the
// findings file this run will write, which must not exist yet: scan ids
// are unique), then makes a temporary directory. The key of an output is
// the prefix, made a folder with '/', plus its path in the dataset layout.
func prepareOut(ctx context.Context, f *scanFlags, sc *scanConfig, logger *slog.Logger) (*outputs, error) {
	if !isOSS(f.out) {
		abs, err := filepath.Abs(f.out)
		if err != nil {
			return nil, usageErr("--out %s: %w", f.out, err)
		}
		// Files are renamed into place without replacing a file of the
		// same name, for the same reason as the uploads below (see
		// sinks.Placer and publishConflict).
		pl := sinks.NewPlacer()
		pl.Before = beforePlace
		remove := func(_ context.Context, rel string) error {
			return pl.Remove(filepath.Join(f.out, filepath.FromSlash(rel)))
		}
		return &outputs{dir: f.out, placer: pl, remove: remove, locate: func(rel string) string { return filepath.Join(abs, filepath.FromSlash(rel)) },
			summaries: func(_ context.Context, prefix string) ([]string, error) { return localSummaries(f.out, prefix) }}, nil
	}
	u, err := parseOSSURL(f.out)
	if err != nil {
		return nil, usageErr("--out %w", err)
	}
	if u.prefix != "" && !strings.HasSuffix(u.prefix, "/") {
		u.prefix += "/"
	}
	conn, err := resolveOSSConn(f.endpoint, f.region)
	if err != nil {
		return nil, err
	}
	client, err := scanner.NewOSSClient(conn.endpoint, conn.region, conn.creds)
	if err != nil {
		return nil, usageErr("--out %s: %w", f.out, err)
	}
	bucket, err := client.Bucket(u.bucket)
	if err != nil {
		return nil, usageErr("--out %s: %w", f.out, err)
	}
	// Every file of the run is published with x-oss-forbid-overwrite: a
	// second run of the same scan id (and shard) that passed the checks
	// below at the same time would otherwise replace this one's files, or
	// this one its, without a word (see publishConflict). The summary of a
	// retry that continues an unfinished incremental run replaces the one
	// its interrupted attempt published: that one is uploaded by replace.
	up, err := sinks.NewOSSUploader(sinks.OSSUploadConfig{API: bucket, Bucket: u.bucket, Prefix: u.prefix, Logger: logger, ForbidOverwrite: true})
	if err != nil {
		return nil, usageErr("--out %s: %w", f.out, err)
	}
	replace, err := sinks.NewOSSUploader(sinks.OSSUploadConfig{API: bucket, Bucket: u.bucket, Prefix: u.prefix, Logger: logger})
	if err != nil {
		return nil, usageErr("--out %s: %w", f.out, err)
	}
	probe := up.Key(path.Join("findings", "dt="+sinks.Partition(sc.date), sc.scanID+sc.shard+".parquet"))
	switch exists, err := probeKey(ctx, bucket, probe); {
	case err != nil:
		return nil, usageErr("--out %s: %w", f.out, err)
	case exists:
		return nil, usageErr("--out %s: oss://%s/%s already exists (scan ids must be unique per run)", f.out, u.bucket, probe)
	}
	dir, err := os.MkdirTemp("", "piiscan-out-")
	if err != nil {
		return nil, usageErr("--out %s: temporary directory: %w", f.out, err)
	}
	locate := func(rel string) string { return ossScheme + u.bucket + "/" + up.Key(rel) }
	summaries := func(ctx context.Context, prefix string) ([]string, error) {
		return ossSummaries(ctx, bucket, up.Key("scans")+"/", prefix)
	}
	return &outputs{dir: dir, publish: up.Publish, replace: replace.Publish, remove: up.Remove, remote: f.out, locate: locate, summaries: summaries}, nil
}

// probeKey checks, before anything is read, that a bucket answers with
// these credentials: a HEAD of key, which reports whether it exists. A
// missing bucket, a bad key or a denied request is an error (a HEAD answers
// 404 for a missing bucket too; the error code tells them apart).
func probeKey(ctx context.Context, bucket *oss.Bucket, key string) (bool, error) {
	err := scanner.OSSRetry{}.Do(ctx, func() error {
		_, err := bucket.GetObjectMeta(key, oss.WithContext(ctx))
		return err
	})
	var se oss.ServiceError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &se) && se.StatusCode == 404 && (se.Code == "NoSuchKey" || se.Code == ""):
		return false, nil
	default:
		return false, scanner.DescribeOSS(err)
	}
}

// beforePlace is the Placer.Before of a local --out: a test hook, nil
// otherwise.
var beforePlace func(final string)

// publishConflict turns a publish refused because another run wrote the
// key or file (sinks.ExistsError) into the run's error, nil for any other
// error: two runs of one --scan-id (and shard) are writing to --out at
// once, both having passed checkScanID. This run takes back what it
// published of the files being published (own, whose names are the other
// run's too; the uploader deletes only objects it wrote, the Placer only
// files it placed and that are still there) and publishes no summary; the
// other run's files are left as they are. Exit 2: the run was
// misconfigured, and leaves nothing of it in the dataset.
func publishConflict(ctx context.Context, err error, own []string, out *outputs, sc *scanConfig, logger *slog.Logger) error {
	var ee *sinks.ExistsError
	if !errors.As(err, &ee) {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	for _, rel := range own {
		if rerr := out.remove(ctx, rel); rerr != nil {
			logger.Warn("remove this run's published file after the conflict", "key", out.locate(rel), "err", rerr)
		}
	}
	shard := ""
	if sc.shard != "" {
		shard = " and --shard " + strings.Replace(strings.TrimPrefix(sc.shard, "-shard-"), "-of-", "/", 1)
	}
	return usageErr("--out %s: %s was written by another run while this one ran: another run with the same --scan-id %s%s is writing there; "+
		"this run stopped and removed what it published of these files, and left the other run's as they are",
		out.where(), ee.URI, sc.scanID, shard)
}

// finish removes the temporary directory of an oss:// --out once every
// file was uploaded; otherwise it keeps it and says where it is.
func (o *outputs) finish(uploaded bool, logger *slog.Logger) {
	if o.remote == "" {
		return
	}
	if !uploaded {
		logger.Warn("outputs were not all uploaded; the local copies are kept", "path", o.dir, "out", o.remote)
		return
	}
	if err := os.RemoveAll(o.dir); err != nil {
		logger.Warn("remove temporary outputs", "path", o.dir, "err", err)
	}
}

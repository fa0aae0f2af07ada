package server

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultRegion is the region assumed when Config.Region is empty.
const DefaultRegion = "cn-hangzhou"

// isoTimeFormat is the timestamp format of OSS XML bodies (LastModified...).
const isoTimeFormat = "2006-01-02T15:04:05.000Z"

// Config configures a Server. The zero value of every optional field is
// documented and usable; Validate reports what is missing or out of range.
type Config struct {
	// Root is the folder served: each sub-folder with a valid bucket name is a
	// bucket, and the files below it are its objects (key = relative path with
	// '/'). Required. osslocal keeps its own state in Root/.osslocal.
	Root string
	// AccessKeyID and AccessKeySecret are the only key pair accepted. Required.
	AccessKeyID     string
	AccessKeySecret string
	// SecurityToken, when set, makes the key pair behave like STS temporary
	// credentials: every request must carry this token (x-oss-security-token
	// header, or the security-token / x-oss-security-token URL parameter).
	// When empty, tokens sent by clients are ignored.
	SecurityToken string
	// Region is the region V4 signatures must be scoped to. Empty means
	// DefaultRegion ("cn-hangzhou", which ali-oss calls "oss-cn-hangzhou").
	Region string
	// Domains are extra base domains for virtual-hosted-style addressing:
	// with Domains = ["oss.test"], Host "bucket.oss.test" selects "bucket".
	// "localhost" and any "<bucket>.<endpoint>.aliyuncs.com" host are always
	// recognised; every other host (IP addresses included) is path style.
	Domains []string
	// DenyPrefixes lists "bucket/key-prefix" entries whose objects answer
	// 403 AccessDenied to reads and writes while still being listed, as a
	// RAM policy denying oss:GetObject would. "bucket/" denies a whole bucket.
	DenyPrefixes []string
	// RestoreDelay is how long RestoreObject takes before an Archive object
	// becomes readable. Zero means restores complete at once.
	RestoreDelay time.Duration
	// Logger receives one Debug line per request and Warn lines for internal
	// failures. Secrets and signatures are never logged. Nil discards.
	Logger *slog.Logger
	// Now is the clock used for signature time checks; nil means time.Now.
	Now func() time.Time

	// ErrorRate is the fraction of requests (0..1) answered 500 InternalError.
	ErrorRate float64
	// ThrottleRate is the fraction of requests (0..1) answered
	// 503 ServiceUnavailable, as OSS does when it sheds load.
	ThrottleRate float64
	// ResetRate is the fraction of GetObject responses (0..1) whose
	// connection is cut after part of the body was sent.
	ResetRate float64
	// Latency is added to every request subject to faults.
	Latency time.Duration
	// Seed makes fault decisions reproducible for a given request sequence.
	Seed uint64
	// FaultOps limits faults and latency to these OSS operation names (for
	// example "GetObject", "ListObjectsV2", "PutObject"). Empty means all.
	FaultOps []string
}

// Validate reports the first configuration problem, or nil.
func (c Config) Validate() error {
	switch {
	case c.Root == "":
		return errors.New("validate config: root folder is required")
	case c.AccessKeyID == "" || c.AccessKeySecret == "":
		return errors.New("validate config: access key id and secret are required")
	case c.Latency < 0 || c.RestoreDelay < 0:
		return errors.New("validate config: latency and restore delay cannot be negative")
	}
	rates := []struct {
		name string
		v    float64
	}{{"error rate", c.ErrorRate}, {"throttle rate", c.ThrottleRate}, {"reset rate", c.ResetRate}}
	for _, r := range rates {
		if r.v < 0 || r.v > 1 {
			return fmt.Errorf("validate config: %s %v is outside 0..1", r.name, r.v)
		}
	}
	for _, p := range c.DenyPrefixes {
		if b, _, ok := strings.Cut(p, "/"); !ok || !validBucketName(b) {
			return fmt.Errorf("validate config: deny prefix %q is not bucket/prefix", p)
		}
	}
	return nil
}

// Server is an http.Handler that speaks the OSS REST API over Config.Root.
// It is safe for concurrent use.
type Server struct {
	cfg    Config
	log    *slog.Logger
	store  *store
	faults *faults
	routes map[string]handlerFunc
	seq    atomic.Uint64
	epoch  int64
}

var _ http.Handler = (*Server)(nil)

// New validates cfg, creates Root/.osslocal and returns a ready Server.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st, err := newStore(cfg.Root)
	if err != nil {
		return nil, fmt.Errorf("new osslocal server: %w", err)
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger.With("component", "osslocal"), store: st,
		faults: newFaults(cfg), epoch: time.Now().Unix(),
	}
	s.routes = s.handlers()
	return s, nil
}

// Root returns the absolute folder being served.
func (s *Server) Root() string { return s.store.root }

// Serve answers requests on ln until ctx is cancelled, then shuts down
// gracefully (in-flight requests get 5 seconds). It returns nil after a
// shutdown and the listener's error otherwise.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	<-errc
	return nil
}

// Start listens on addr (use "127.0.0.1:0" for a free port) and serves in the
// background. It returns the base URL ("http://127.0.0.1:PORT") and a stop
// function that shuts the server down and waits for it.
func (s *Server) Start(addr string) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(ctx, ln)
	}()
	return "http://" + ln.Addr().String(), func() { cancel(); <-done }, nil
}

// ServeHTTP answers one OSS request. Every response carries x-oss-request-id.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := s.requestID()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	h := w.Header()
	h.Set("x-oss-request-id", id)
	h.Set("Server", "AliyunOSS")
	h.Set("Date", s.cfg.Now().UTC().Format(http.TimeFormat))

	rq := s.parse(r, id)
	oe := s.serve(rec, r, rq)
	if oe != nil {
		writeError(rec, r, id, oe)
	}
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		attrs := []slog.Attr{
			slog.String("request_id", id), slog.String("op", rq.op), slog.String("method", r.Method),
			slog.String("bucket", rq.bucket), slog.String("key", rq.key), slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes), slog.Duration("elapsed", time.Since(start)),
		}
		if oe != nil {
			attrs = append(attrs, slog.String("code", oe.code), slog.Bool("injected", oe.faultInjected))
		}
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "request", attrs...)
	}
}

// serve runs the checks in OSS's order (bucket, authentication, names,
// permissions) and then the operation.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rq *request) *ossError {
	if oe := s.injectFaults(r, rq); oe != nil {
		return oe
	}
	if rq.bucket != "" {
		if !validBucketName(rq.bucket) {
			return errInvalidBucketName(rq.bucket)
		}
		if rq.op != opPutBucket && !s.store.bucketExists(rq.bucket) {
			return errNoSuchBucket(rq.bucket)
		}
	}
	if oe := s.authenticate(r, rq); oe != nil {
		return oe
	}
	if rq.op == "" {
		return rq.unsupported
	}
	if rq.key != "" {
		if oe := checkKey(rq.key); oe != nil {
			return oe
		}
		if s.denied(rq.bucket, rq.key) {
			return errAccessDenied("You have no right to access this object because of bucket acl.")
		}
	}
	handler, ok := s.routes[rq.op]
	if !ok {
		return errNotImplemented()
	}
	return handler(w, r, rq)
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, rq *request) *ossError

// handlers maps OSS operation names to their implementation.
func (s *Server) handlers() map[string]handlerFunc {
	return map[string]handlerFunc{
		opListBuckets: s.listBuckets, opGetBucketInfo: s.getBucketInfo, opGetBucketLocation: s.getBucketLocation,
		opHeadBucket: s.headBucket, opPutBucket: s.putBucket, opDeleteBucket: s.deleteBucket,
		opListObjects: s.listObjectsV1, opListObjectsV2: s.listObjectsV2,
		opGetObject: s.getObject, opHeadObject: s.headObject, opGetObjectMeta: s.headObject,
		opPutObject: s.putObject, opCopyObject: s.copyObject, opDeleteObject: s.deleteObject, opRestoreObject: s.restoreObject,
		opInitiateMultipartUpload: s.initiateMultipart, opUploadPart: s.uploadPart,
		opCompleteMultipartUpload: s.completeMultipart, opAbortMultipartUpload: s.abortMultipart,
		opListParts: s.listParts, opDeleteMultipleObjects: s.deleteMultiple,
	}
}

// denied applies Config.DenyPrefixes.
func (s *Server) denied(bucket, key string) bool {
	for _, p := range s.cfg.DenyPrefixes {
		if strings.HasPrefix(bucket+"/"+key, p) {
			return true
		}
	}
	return false
}

// requestID mimics OSS's 24 upper-case hex digits; unique per server.
func (s *Server) requestID() string {
	return fmt.Sprintf("%08X%016X", uint32(s.epoch), s.seq.Add(1))
}

// internal logs an unexpected failure and answers 500 InternalError.
func (s *Server) internal(rq *request, op string, err error) *ossError {
	s.log.LogAttrs(context.Background(), slog.LevelWarn, "internal error",
		slog.String("request_id", rq.id), slog.String("op", op), slog.String("bucket", rq.bucket),
		slog.String("key", rq.key), slog.String("err", err.Error()))
	return errInternal()
}

// writeXML sends a 2xx XML document.
func writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		status, body = http.StatusInternalServerError, []byte("<Error><Code>InternalError</Code></Error>")
	}
	body = append([]byte(xml.Header), body...)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// quoteETag renders an ETag the way OSS sends it: in double quotes.
func quoteETag(etag string) string { return `"` + etag + `"` }

// recorder remembers the status and body size for the request log. Unwrap
// lets http.ResponseController reach Flush and Hijack.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (rw *recorder) WriteHeader(code int) {
	if !rw.wroteHeader {
		rw.status, rw.wroteHeader = code, true
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	rw.wroteHeader = true
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

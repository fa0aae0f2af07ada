package scanner_test

import (
	"bytes"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/piiscan/piiscan/scanner"
)

// fakeOSS is an in-memory bucket implementing scanner.OSSAPI the way OSS
// answers: ListObjectsV2 pages with continuation tokens, GetObject with
// Range, If-Match, Content-Range and x-oss-hash-crc64ecma. Faults are
// scripted: listFail and getFail are consumed one per call, cuts one per
// successful GET (the body breaks with io.ErrUnexpectedEOF after that many
// bytes; -1 means no break).
type fakeOSS struct {
	mu       sync.Mutex
	objects  map[string]*fakeObject
	listFail []error
	getFail  []error
	cuts     []int64
	// ignoreRange makes GETs answer the whole object with 200, as a server
	// that does not support ranges would.
	ignoreRange bool
	lists       int
	gets        []fakeGet
	noContext   int // calls without oss.WithContext
	// onList runs at the start of each ListObjectsV2 call (call number 1..).
	onList func(call int)
}

type fakeObject struct {
	data   []byte
	etag   string
	class  string
	badCRC bool
}

type fakeGet struct{ key, rng, ifMatch, encoding string }

var _ scanner.OSSAPI = (*fakeOSS)(nil)

func newFakeOSS(files map[string]string) *fakeOSS {
	f := &fakeOSS{objects: map[string]*fakeObject{}}
	for k, v := range files {
		f.put(k, v)
	}
	return f
}

func (f *fakeOSS) put(key, data string) {
	f.objects[key] = &fakeObject{data: []byte(data), etag: fmt.Sprintf("ETAG%X", crc64.Checksum([]byte(key+data), crcECMA))}
}

var crcECMA = crc64.MakeTable(crc64.ECMA)

func option(opts []oss.Option, name string) string {
	v, _ := oss.FindOption(opts, name, nil)
	s, _ := v.(string)
	return s
}

func (f *fakeOSS) checkContext(opts []oss.Option) {
	if v, _ := oss.FindOption(opts, "x-context-arg", nil); v == nil {
		f.noContext++
	}
}

func pop[T any](s *[]T) (T, bool) {
	var zero T
	if len(*s) == 0 {
		return zero, false
	}
	v := (*s)[0]
	*s = (*s)[1:]
	return v, true
}

func (f *fakeOSS) ListObjectsV2(opts ...oss.Option) (oss.ListObjectsResultV2, error) {
	f.mu.Lock()
	f.lists++
	call, hook := f.lists, f.onList
	f.checkContext(opts)
	err, failed := pop(&f.listFail)
	f.mu.Unlock()
	if hook != nil {
		hook(call)
	}
	if failed && err != nil {
		return oss.ListObjectsResultV2{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	prefix := option(opts, "prefix")
	size, _ := strconv.Atoi(option(opts, "max-keys"))
	if size <= 0 {
		size = 100
	}
	var keys []string
	for k := range f.objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	start := 0
	if tok := option(opts, "continuation-token"); tok != "" {
		start, _ = strconv.Atoi(strings.TrimPrefix(tok, "tok-"))
	}
	end := min(start+size, len(keys))
	res := oss.ListObjectsResultV2{Prefix: prefix, MaxKeys: size, IsTruncated: end < len(keys)}
	if res.IsTruncated {
		res.NextContinuationToken = "tok-" + strconv.Itoa(end)
	}
	for _, k := range keys[start:end] {
		o := f.objects[k]
		class := o.class
		if class == "" {
			class = "Standard"
		}
		res.Objects = append(res.Objects, oss.ObjectProperties{Key: k, Size: int64(len(o.data)), ETag: `"` + o.etag + `"`, StorageClass: class})
	}
	return res, nil
}

func (f *fakeOSS) GetObject(key string, opts ...oss.Option) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checkContext(opts)
	g := fakeGet{key: key, rng: option(opts, "Range"), ifMatch: option(opts, "If-Match"), encoding: option(opts, "Accept-Encoding")}
	f.gets = append(f.gets, g)
	if err, ok := pop(&f.getFail); ok && err != nil {
		return nil, err
	}
	o := f.objects[key]
	if o == nil {
		return nil, oss.ServiceError{Code: "NoSuchKey", Message: "The specified key does not exist.", StatusCode: 404}
	}
	if g.ifMatch != "" && strings.Trim(g.ifMatch, `"`) != o.etag {
		return nil, oss.ServiceError{Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold.", StatusCode: 412}
	}
	h := http.Header{}
	h.Set("ETag", `"`+o.etag+`"`)
	crc := crc64.Checksum(o.data, crcECMA)
	if o.badCRC {
		crc++
	}
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(crc, 10))
	body, status := o.data, http.StatusOK
	if spec, ok := strings.CutPrefix(g.rng, "bytes="); ok && !f.ignoreRange {
		a, b, _ := strings.Cut(spec, "-")
		start, _ := strconv.ParseInt(a, 10, 64)
		end := int64(len(o.data)) - 1
		if b != "" {
			end, _ = strconv.ParseInt(b, 10, 64)
		}
		if start >= int64(len(o.data)) {
			return nil, oss.ServiceError{Code: "InvalidRange", StatusCode: 416}
		}
		end = min(end, int64(len(o.data))-1)
		body, status = o.data[start:end+1], http.StatusPartialContent
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, len(o.data)))
	}
	var r io.Reader = bytes.NewReader(body)
	if cut, ok := pop(&f.cuts); ok && cut >= 0 && cut < int64(len(body)) {
		r = io.MultiReader(bytes.NewReader(body[:cut]), errReader{io.ErrUnexpectedEOF})
	}
	return &oss.Response{StatusCode: status, Headers: h, Body: io.NopCloser(r)}, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Package scannertest holds fakes for testing code that uses the scanner:
// an in-memory Source and a Sink that collects results.
package scannertest

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"sort"
	"time"

	"github.com/piiscan/piiscan/scanner"
)

// MemSource is an in-memory Source: object names map to contents. It lists
// names in lexical order. Errors maps a name to an error returned by Open.
type MemSource struct {
	Files  map[string][]byte
	Errors map[string]error
	// Reader, if set, wraps each opened reader (iotest.OneByteReader, ...).
	Reader func(io.Reader) io.Reader
}

var _ scanner.Source = (*MemSource)(nil)

// Walk lists the objects.
func (m *MemSource) Walk(ctx context.Context, fn func(scanner.ObjectInfo) error) error {
	names := make([]string, 0, len(m.Files)+len(m.Errors))
	for n := range m.Files {
		names = append(names, n)
	}
	for n := range m.Errors {
		if _, ok := m.Files[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		info := scanner.ObjectInfo{Source: "mem", Key: "mem://" + n, Name: n, Size: int64(len(m.Files[n])), ModTime: time.Unix(0, 0)}
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}

// Open returns the object's bytes.
func (m *MemSource) Open(_ context.Context, o scanner.ObjectInfo) (io.ReadCloser, error) {
	if err, ok := m.Errors[o.Name]; ok {
		return nil, &scanner.ObjectError{Key: o.Key, Op: "open", Err: err}
	}
	b, ok := m.Files[o.Name]
	if !ok {
		return nil, &scanner.ObjectError{Key: o.Key, Op: "open", Err: fs.ErrNotExist}
	}
	var r io.Reader = bytes.NewReader(b)
	if m.Reader != nil {
		r = m.Reader(r)
	}
	return io.NopCloser(r), nil
}

// Sink collects results in memory (findings copied, spills read back).
type Sink struct {
	Results []*scanner.ObjectResult
	Closed  bool
}

var _ scanner.Sink = (*Sink)(nil)

// WriteObject keeps the result.
func (s *Sink) WriteObject(_ context.Context, r *scanner.ObjectResult) error {
	cp := *r
	cp.Findings = append([]scanner.Finding(nil), r.Findings...)
	if r.Spill != nil {
		var spilled []scanner.Finding
		if err := r.Spill.Each(func(fs []scanner.Finding) error { spilled = append(spilled, fs...); return nil }); err != nil {
			return err
		}
		cp.Findings = append(spilled, cp.Findings...)
		_ = r.Spill.Close()
		cp.Spill = nil
	}
	s.Results = append(s.Results, &cp)
	return nil
}

// Close marks the sink closed.
func (s *Sink) Close() error { s.Closed = true; return nil }

// ByName returns the result of the object with that name, or nil.
func (s *Sink) ByName(name string) *scanner.ObjectResult {
	for _, r := range s.Results {
		if r.Info.Name == name {
			return r
		}
	}
	return nil
}

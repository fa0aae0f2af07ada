package scanner

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
)

// Spill holds findings of one object on disk, so that an object with
// millions of findings does not hold them all in memory until it is done.
// Only de-identified findings are written (masked values and fingerprints),
// never raw values. A Spill is used by one goroutine at a time.
type Spill struct {
	f     *os.File
	w     *bufio.Writer
	enc   *gob.Encoder
	count int64
}

// newSpill creates a spill file in dir ("" for the system temp dir).
func newSpill(dir string) (*Spill, error) {
	f, err := os.CreateTemp(dir, "piiscan-spill-*")
	if err != nil {
		return nil, fmt.Errorf("create spill file: %w", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	return &Spill{f: f, w: w, enc: gob.NewEncoder(w)}, nil
}

// add appends findings.
func (s *Spill) add(fs []Finding) error {
	for i := range fs {
		if err := s.enc.Encode(&fs[i]); err != nil {
			return fmt.Errorf("write spill file: %w", err)
		}
	}
	s.count += int64(len(fs))
	return nil
}

// Count returns the number of spilled findings.
func (s *Spill) Count() int64 {
	if s == nil {
		return 0
	}
	return s.count
}

// Each reads the spilled findings back in order, in batches.
func (s *Spill) Each(fn func([]Finding) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("flush spill file: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rewind spill file: %w", err)
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 256<<10))
	batch := make([]Finding, 0, 4096)
	for {
		var f Finding
		err := dec.Decode(&f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read spill file: %w", err)
		}
		batch = append(batch, f)
		if len(batch) == cap(batch) {
			if err := fn(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		return fn(batch)
	}
	return nil
}

// Close removes the spill file. It is safe to call more than once.
func (s *Spill) Close() error {
	if s == nil || s.f == nil {
		return nil
	}
	defer func() { s.f = nil }()
	name := s.f.Name()
	err := s.f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	return err
}

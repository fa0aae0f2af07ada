package scanner

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"os"
)

// spool is a temporary copy of a stream that needs random access (a zip
// or Parquet file inside an archive, or read from OSS or stdin). Nothing
// raw may be written to disk (docs/DESIGN.md section 1), so the copy is
// encrypted with AES-CTR under a random key that lives only in memory; CTR
// lets ReadAt decrypt from any offset. The file is unlinked as soon as it
// is created where the OS allows, so a crash leaves nothing behind.
type spool struct {
	f       *os.File
	name    string
	removed bool
	block   cipher.Block
	iv      [aes.BlockSize]byte
	w       *bufio.Writer
	enc     cipher.Stream
	buf     []byte
	size    int64
}

func newSpool(dir string) (*spool, error) {
	var key [32]byte
	s := &spool{}
	if _, err := rand.Read(key[:]); err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	if _, err := rand.Read(s.iv[:]); err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	b, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	f, err := os.CreateTemp(dir, "piiscan-spool-*")
	if err != nil {
		return nil, fmt.Errorf("create spool file: %w", err)
	}
	s.f, s.name, s.block = f, f.Name(), b
	s.removed = os.Remove(s.name) == nil
	s.w = bufio.NewWriterSize(f, 64<<10)
	s.enc = cipher.NewCTR(b, s.iv[:])
	s.buf = make([]byte, 32<<10)
	return s, nil
}

// Write encrypts and appends p.
func (s *spool) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		c := min(len(p), len(s.buf))
		s.enc.XORKeyStream(s.buf[:c], p[:c])
		if _, err := s.w.Write(s.buf[:c]); err != nil {
			return n, fmt.Errorf("write spool file: %w", err)
		}
		p, n = p[c:], n+c
	}
	s.size += int64(n)
	return n, nil
}

func (s *spool) flush() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write spool file: %w", err)
	}
	return nil
}

// ReadAt reads and decrypts len(p) bytes at off.
func (s *spool) ReadAt(p []byte, off int64) (int, error) {
	n, err := s.f.ReadAt(p, off)
	if n > 0 {
		// The counter block of off is iv + off/16; skip off%16 bytes of it.
		ctr := s.iv
		hi := binary.BigEndian.Uint64(ctr[:8])
		lo := binary.BigEndian.Uint64(ctr[8:])
		add := uint64(off / aes.BlockSize)
		if lo+add < lo {
			hi++
		}
		binary.BigEndian.PutUint64(ctr[:8], hi)
		binary.BigEndian.PutUint64(ctr[8:], lo+add)
		st := cipher.NewCTR(s.block, ctr[:])
		if skip := int(off % aes.BlockSize); skip > 0 {
			var junk [aes.BlockSize]byte
			st.XORKeyStream(junk[:skip], junk[:skip])
		}
		st.XORKeyStream(p[:n], p[:n])
	}
	return n, err
}

// close closes and removes the file.
func (s *spool) close() {
	_ = s.f.Close()
	if !s.removed {
		_ = os.Remove(s.name)
	}
}

package scanner

import (
	"fmt"
)

// XLSXStrings holds the shared strings of a workbook, which cells refer to
// by index. Up to stringsInMemory bytes stay in memory; a bigger table
// moves to an encrypted spool file, so a workbook with a huge string table
// costs disk, not memory (the index costs 8 bytes a string).
type XLSXStrings struct {
	dir  string
	mem  []byte
	offs []int64 // start of string i; one more entry for the end
	sp   *spool
	buf  []byte
}

const (
	stringsInMemory = 16 << 20
	maxStrings      = 8 << 20
)

func newStringTable(dir string) *XLSXStrings {
	return &XLSXStrings{dir: dir, offs: []int64{0}}
}

// add appends string len(offs)-1.
func (t *XLSXStrings) add(s []byte) error {
	if len(t.offs) > maxStrings {
		return &errLimit{msg: fmt.Sprintf("xlsx: more than %d shared strings", maxStrings)}
	}
	end := t.offs[len(t.offs)-1] + int64(len(s))
	if t.sp == nil && end > stringsInMemory {
		sp, err := newSpool(t.dir)
		if err != nil {
			return err
		}
		if _, err := sp.Write(t.mem); err != nil {
			sp.close()
			return err
		}
		t.sp, t.mem = sp, nil
	}
	if t.sp != nil {
		if _, err := t.sp.Write(s); err != nil {
			return err
		}
	} else {
		t.mem = append(t.mem, s...)
	}
	t.offs = append(t.offs, end)
	return nil
}

// done ends loading.
func (t *XLSXStrings) done() error {
	if t.sp != nil {
		return t.sp.flush()
	}
	return nil
}

// Get returns string i, valid until the next call; ok is false for an
// index out of range.
func (t *XLSXStrings) Get(i int64) ([]byte, bool) {
	if i < 0 || i >= int64(len(t.offs)-1) {
		return nil, false
	}
	a, b := t.offs[i], t.offs[i+1]
	if t.sp == nil {
		return t.mem[a:b], true
	}
	if int64(cap(t.buf)) < b-a {
		t.buf = make([]byte, b-a)
	}
	t.buf = t.buf[:b-a]
	if _, err := t.sp.ReadAt(t.buf, a); err != nil {
		return nil, false
	}
	return t.buf, true
}

// Len is the number of strings.
func (t *XLSXStrings) Len() int64 { return int64(len(t.offs) - 1) }

// Close removes the spool file, if any.
func (t *XLSXStrings) Close() {
	if t.sp != nil {
		t.sp.close()
		t.sp = nil
	}
}

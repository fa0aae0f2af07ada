package redact

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/piiscan/piiscan/scanner"
)

// sharedStrings copies the shared strings table, emptying the strings no
// cell of the copy refers to, with the table's count of references
// updated.
func (o *objRun) sharedStrings(wb *xwb, w io.Writer) error {
	f := wb.sstPart
	rc, err := o.openPart(f, scanner.FormatXLSX)
	if err != nil {
		return o.partError(scanner.FormatXLSX, f.Name, err)
	}
	defer rc.Close()
	x := newXMLTokens(rc)
	idx := int64(-1)
	skip, depth := false, 0
	var tag []byte
	for i := 0; ; i++ {
		if i&0xfff == 0 {
			if err := o.ctx.Err(); err != nil {
				return err
			}
		}
		tok, raw, err := x.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return o.partError(scanner.FormatXLSX, f.Name, err)
		}
		if skip {
			switch tk := tok.(type) {
			case xml.StartElement:
				depth++
			case xml.EndElement:
				if depth == 0 && tk.Name.Local == "si" {
					skip = false
				} else {
					depth--
				}
			}
			continue
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "sst":
				for j, a := range se.Attr {
					if a.Name.Local == "count" && a.Name.Space == "" {
						se.Attr[j].Value = strconv.FormatInt(wb.sst.refs, 10)
						raw = appendStartTag(tag[:0], se, selfClosing(raw))
						tag = raw
					}
				}
			case "si":
				idx++
				if !wb.sst.isUsed(idx) {
					// Emptied: <si><t/></si>, in the element's prefix.
					t := xml.Name{Space: se.Name.Space, Local: "t"}
					raw = appendEndTag(appendStartTag(appendStartTag(tag[:0], xml.StartElement{Name: se.Name}, false),
						xml.StartElement{Name: t}, true), se.Name)
					tag = raw
					skip, depth = true, 0
				}
			}
		}
		if _, err := w.Write(raw); err != nil {
			return err
		}
	}
}

// sstTable holds the shared strings, which cells refer to by index: up to
// sstInMemory bytes in memory, beyond that in an encrypted spool. used
// marks the strings that cells of the copy still refer to.
type sstTable struct {
	dir  string
	mem  []byte
	offs []int64 // start of string i; one more entry for the end
	sp   *scanner.TempSpool
	buf  []byte
	used []uint64
	refs int64 // references from cells of the copy
}

const (
	sstInMemory = 16 << 20
	maxStrings  = 8 << 20
)

func (t *sstTable) add(s []byte) error {
	if len(t.offs) > maxStrings {
		return &limitError{msg: fmt.Sprintf("xlsx: more than %d shared strings", maxStrings)}
	}
	end := t.offs[len(t.offs)-1] + int64(len(s))
	if t.sp == nil && end > sstInMemory {
		sp, err := scanner.NewTempSpool(t.dir)
		if err != nil {
			return err
		}
		if _, err := sp.Write(t.mem); err != nil {
			sp.Close()
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
func (t *sstTable) done() error {
	t.used = make([]uint64, (len(t.offs)+63)/64)
	if t.sp != nil {
		return t.sp.Seal()
	}
	return nil
}

// get returns string i, valid until the next call; false when i is out
// of range.
func (t *sstTable) get(i int64) ([]byte, bool) {
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

// use marks string i as referred to by a cell of the copy.
func (t *sstTable) use(i int64) {
	if i >= 0 && i < int64(len(t.offs)-1) {
		t.used[i/64] |= 1 << (i % 64)
	}
	t.refs++
}

func (t *sstTable) isUsed(i int64) bool {
	return i >= 0 && i/64 < int64(len(t.used)) && t.used[i/64]&(1<<(i%64)) != 0
}

func (t *sstTable) close() {
	if t.sp != nil {
		t.sp.Close()
	}
}

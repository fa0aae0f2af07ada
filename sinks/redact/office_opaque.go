package redact

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"io"
	"unicode/utf16"

	"github.com/piiscan/piiscan/scanner"
)

// Parts of an Office package that no rewriter reads and whose content is
// unknown (scanner.OfficeOpaquePart): OLE objects (a Compound File Binary
// container holding a legacy .doc or .xls, or an \x01Ole10Native stream
// with an attached file, often a CSV), legacy documents embedded as they
// are, macros (vbaProject.bin), ActiveX data and the signature of a macro
// project. Copied as they are, they would leave raw values in a copy
// reported as de-identified.
//
// Three ways were weighed:
//   - reading them: a Compound File reader exists, but writing one back
//     needs a Compound File writer, and what an OLE object holds is any
//     format at all (a .doc, a .msg, a PDF); a reader that handled some of
//     them would still have to drop the rest;
//   - failing the document: safe, but a user then has no copy of a
//     report because of a pasted spreadsheet;
//   - dropping their bytes: the part stays, so every relationship, content
//     type and r:id of the document still resolves and the package opens;
//     the object shows its preview picture and cannot be opened. This is
//     what is done.
//
// A part that is a Compound File becomes an empty Compound File (only the
// root storage); any other becomes an empty part. Each is listed in
// Result.Members (status skipped: its bytes were not written, reason
// unsupported_format) and counted in Result.PartsEmptied, so the document
// is partial, and the summary says how many parts were emptied. With
// CopyUnsupported they are copied as they are and listed as copied, as
// archive members that cannot be rewritten are. In decrypt mode (the
// input is a de-identified copy) they are copied as they are.

// opaquePart writes the inert form of a part no rewriter reads.
func (o *objRun) opaquePart(f *zip.File, kind string, w io.Writer) error {
	return o.dropPart(f, kind, "", "embedded object not read", w)
}

// dropPart writes the inert form of a part: what says why its bytes
// cannot be kept, format is the format listed ("" to tell a Compound File
// from other bytes).
func (o *objRun) dropPart(f *zip.File, kind, format, what string, w io.Writer) error {
	if o.w.cfg.Decrypt {
		return o.copyPart(f, kind, w)
	}
	path := o.memberPath(f.Name)
	cfb := o.partIsCFB(f)
	switch {
	case format != "":
	case cfb:
		format = "ole"
	default:
		format = "binary"
	}
	if o.w.cfg.CopyUnsupported {
		o.res.Members = append(o.res.Members, Issue{Object: path, Format: format, Status: StatusCopied,
			Reason: string(scanner.ReasonUnsupported), Error: what + ": copied as it is (--copy-unsupported)"})
		return o.copyPart(f, kind, w)
	}
	msg := what + ": its bytes were dropped (the part is kept empty)"
	if cfb {
		msg = what + ": its bytes were dropped (the part is kept as an empty compound file)"
		if _, err := w.Write(emptyCFB()); err != nil {
			return err
		}
	}
	o.res.PartsEmptied++
	o.res.Members = append(o.res.Members, Issue{Object: path, Format: format, Status: StatusSkipped,
		Reason: string(scanner.ReasonUnsupported), Error: msg})
	return nil
}

// partIsCFB reports whether a part starts with the Compound File
// signature. A part that cannot be read is not one: its bytes are dropped
// either way.
func (o *objRun) partIsCFB(f *zip.File) bool {
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	head := make([]byte, len(scanner.CFBSignature))
	_, err = io.ReadFull(rc, head)
	return err == nil && string(head) == scanner.CFBSignature
}

// copyPart copies a part's bytes within the size and ratio limits.
func (o *objRun) copyPart(f *zip.File, kind string, w io.Writer) error {
	rc, err := o.openPart(f, kind)
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	defer rc.Close()
	_, err = io.Copy(w, rc)
	return o.partError(kind, f.Name, err)
}

// emptyCFB is a Compound File that holds only its root storage ([MS-CFB]
// version 3, 512-byte sectors): the header, one FAT sector and one
// directory sector, 1,536 bytes.
func emptyCFB() []byte {
	const (
		freeSect   = 0xFFFFFFFF
		endOfChain = 0xFFFFFFFE
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	b := make([]byte, 3*512)
	le := binary.LittleEndian
	// Header (2.2).
	copy(b, scanner.CFBSignature)
	le.PutUint16(b[24:], 0x003E) // minor version
	le.PutUint16(b[26:], 0x0003) // major version 3
	le.PutUint16(b[28:], 0xFFFE) // little-endian
	le.PutUint16(b[30:], 9)      // 512-byte sectors
	le.PutUint16(b[32:], 6)      // 64-byte mini sectors
	le.PutUint32(b[44:], 1)      // one FAT sector
	le.PutUint32(b[48:], 1)      // the directory starts at sector 1
	le.PutUint32(b[56:], 4096)   // mini stream cutoff
	le.PutUint32(b[60:], endOfChain)
	le.PutUint32(b[68:], endOfChain)
	le.PutUint32(b[76:], 0) // DIFAT[0]: the FAT is sector 0
	for i := 80; i < 512; i += 4 {
		le.PutUint32(b[i:], freeSect)
	}
	// Sector 0, the FAT (2.3): itself, then the directory's one-sector chain.
	fat := b[512:1024]
	for i := 0; i < 512; i += 4 {
		le.PutUint32(fat[i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endOfChain)
	// Sector 1, the directory (2.6): the root entry and three unused ones.
	dir := b[1024:]
	for i := 0; i < 4; i++ {
		e := dir[i*128 : (i+1)*128]
		le.PutUint32(e[68:], noStream) // left sibling
		le.PutUint32(e[72:], noStream) // right sibling
		le.PutUint32(e[76:], noStream) // child
	}
	name := utf16.Encode([]rune("Root Entry"))
	for i, u := range name {
		le.PutUint16(dir[2*i:], u)
	}
	le.PutUint16(dir[64:], uint16(2*(len(name)+1))) // with the terminating NUL
	dir[66] = 5                                     // root storage
	dir[67] = 1                                     // black
	le.PutUint32(dir[116:], endOfChain)             // no mini stream
	return b
}

// bufferedPart runs fn on a buffered writer over w and flushes it: the
// image rewriters write a few bytes at a time.
func bufferedPart(w io.Writer, fn func(*bufio.Writer) error) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	if err := fn(bw); err != nil {
		return err
	}
	return bw.Flush()
}

package corpus

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"unicode/utf16"
)

// WithMembers returns the zip (or Office package) z with members added at
// its end: an OLE object, macros or a picture put into a document the
// writers of this package made.
func WithMembers(z []byte, extra ...Member) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		return nil, fmt.Errorf("with members: %w", err)
	}
	ms := make([]Member, 0, len(zr.File)+len(extra))
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("with members: %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("with members: %s: %w", f.Name, err)
		}
		ms = append(ms, Member{Name: f.Name, Data: b})
	}
	return Zip(append(ms, extra...))
}

// UTF16LE encodes s as UTF-16LE, as Windows formats hold text.
func UTF16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// CFBSignature starts a Compound File (an OLE object, a legacy .doc/.xls).
const CFBSignature = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

// OLEObject stands for an OLE object embedded in an Office package: the
// Compound File signature, then value as an attached CSV holds it (ASCII,
// after 手机) and as a legacy document's text does (UTF-16LE, after 电话).
// It is not a valid Compound File: nothing here reads one.
func OLEObject(value string) []byte {
	b := append([]byte(CFBSignature), make([]byte, 24)...)
	b = append(b, "手机,"+value+"\n"...)
	return append(b, UTF16LE("电话 "+value)...)
}

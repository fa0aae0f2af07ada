package scanner

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// untar scans the regular files of a tar stream in order, each as its own
// stream (container_path = member path). tar needs no random access, so a
// tar.gz is read in one pass: gunzip, then this.
func (o *objectScan) untar(in *input) error {
	o.formats = append(o.formats, FormatTar)
	if err := o.checkDepth(in.depth); err != nil {
		return err
	}
	tr := tar.NewReader(in.br)
	a := newArchive(FormatTar)
	var err error
	for {
		if err = o.ctx.Err(); err != nil {
			break
		}
		var h *tar.Header
		h, err = tr.Next()
		if err == io.EOF {
			err = nil
			break
		}
		if err != nil {
			if o.ctx.Err() != nil {
				err = o.ctx.Err()
			} else if !isLimit(err) {
				err = badFormat(FormatTar, fmt.Sprintf("after member %d", a.index), err)
			}
			break
		}
		// Every entry's owner names, comment and attributes (archive_text.go).
		if err = o.tarTexts(h); err != nil {
			break
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != '\x00' { // '0', or V7's NUL
			// Folders, links, devices: no content of their own, but a
			// name, and a link's target (a copy renames both).
			link := ""
			if h.Typeflag == tar.TypeSymlink || h.Typeflag == tar.TypeLink {
				link = h.Linkname
			}
			if err = o.entryNames(h.Name, link); err != nil {
				break
			}
			continue
		}
		// A member bigger than what may still be unpacked cannot be read
		// within the limit, and skipping it means reading it: stop here.
		if left := o.w.cfg.MaxDecodedSize - o.unpacked; h.Size > left {
			err = &errLimit{msg: fmt.Sprintf("tar member %d: %d bytes is over what --max-decoded-size %d leaves", a.index+1, h.Size, o.w.cfg.MaxDecodedSize)}
			break
		}
		if err = o.member(a, tr, h.Name, 0, in.depth); err != nil {
			break
		}
	}
	return o.finishArchive(a, err)
}

func isLimit(err error) bool {
	var l *errLimit
	return errors.As(err, &l) || errors.Is(err, ErrTooLarge)
}

// isTarHeader recognizes a tar header without the ustar magic (V7 tar) by
// its checksum: the sum of the header's bytes with the checksum field read
// as spaces (POSIX.1-1988, 10.1.1).
func isTarHeader(h []byte) bool {
	if len(h) < 512 || h[0] == 0 {
		return false
	}
	field := bytes.TrimRight(bytes.TrimLeft(h[148:156], " "), " \x00")
	if len(field) == 0 {
		return false
	}
	want, err := strconv.ParseUint(string(field), 8, 32)
	if err != nil {
		return false
	}
	var sum uint64
	for i, c := range h[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += uint64(c)
	}
	return sum == want
}

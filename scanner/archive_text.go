package scanner

import (
	"archive/tar"
	"slices"
	"strings"

	"github.com/piiscan/piiscan/classifiers"
)

// Archive texts. An archive keeps free text beside its members' content:
// a zip archive's comment and each zip member's comment, a gzip header's
// comment, and in a tar header the owner's user and group names and the
// PAX comment and extended attributes (SCHILY.xattr.<name>). People write
// there what they would write in a README ("export for zhang@example.com,
// call 13812348000"), and the redact writer rewrites all of it
// (sinks/redact, metaText), so the scan reads all of it too.
//
// Each text is a text value of its own, read as the redact writer reads
// it: the engine's ScanText with no field (an owner name is no name
// column, a comment no column at all). Its findings have:
//   - field: where the text is (ArchiveTextField): zip.comment,
//     zip.member_comment, gzip.comment, tar.uname, tar.gname,
//     tar.pax.comment, tar.pax.SCHILY.xattr.<name> (the PAX record's key,
//     so an attribute named comment is not the PAX comment);
//   - container_path: the archive's own for zip.comment and gzip.comment
//     (null at the top level), the member's for the others (every entry of
//     the archive, folders and links included);
//   - format: the archive's (zip, gzip, tar);
//   - byte_offset and length within the text; no line, column or record,
//     like the values of a Parquet file's key/value metadata: the text is
//     outside any stream that has lines or records.
//
// The gzip header's file name (gzip -N) is a name, not a text: redact
// renames it like a member's name, and the scan reads it as a name
// (names.go: format name) with field gzip.name. An Office package's zip comment and its
// parts' comments are neither read nor rewritten: Office writes none, and
// a copy keeps them as it keeps the package's structure.

// The fields of archive texts.
const (
	FieldZipComment       = "zip.comment"
	FieldZipMemberComment = "zip.member_comment"
	FieldGzipComment      = "gzip.comment"
	FieldGzipName         = "gzip.name"    // a name (format name), not a text
	FieldTarLinkname      = "tar.linkname" // a link's target (format name)
	FieldTarUname         = "tar.uname"
	FieldTarGname         = "tar.gname"
	FieldTarPAX           = "tar.pax" // with the record's key: tar.pax.comment
)

// paxXattr is the prefix of the PAX records of extended attributes.
const paxXattr = "SCHILY.xattr."

// ArchiveTextField is the field of an archive text: field, or for a PAX
// record (FieldTarPAX) field.<key>.
func ArchiveTextField(field, key string) string {
	if key == "" {
		return field
	}
	return field + "." + key
}

// TarTexts calls read with each free text of a tar header that scan reads
// and redact rewrites, in order: Uname, Gname, then the PAX records
// "comment" and SCHILY.xattr.* in the order of their keys (field
// FieldTarPAX and key the record's key). Empty texts are left out. What
// read returns replaces the text; an extended attribute is replaced in
// Xattrs too, which Go's reader fills from the same records and its
// writer prefers. The scan returns the text unchanged.
func TarTexts(hdr *tar.Header, read func(field, key, text string) (string, error)) error {
	var err error
	if hdr.Uname != "" {
		if hdr.Uname, err = read(FieldTarUname, "", hdr.Uname); err != nil {
			return err
		}
	}
	if hdr.Gname != "" {
		if hdr.Gname, err = read(FieldTarGname, "", hdr.Gname); err != nil {
			return err
		}
	}
	if len(hdr.PAXRecords) == 0 {
		return nil
	}
	var kb [8]string
	keys := kb[:0]
	for k, v := range hdr.PAXRecords {
		if v != "" && (k == "comment" || strings.HasPrefix(k, paxXattr)) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, err := read(FieldTarPAX, k, hdr.PAXRecords[k])
		if err != nil {
			return err
		}
		hdr.PAXRecords[k] = v
		if name, ok := strings.CutPrefix(k, paxXattr); ok {
			//lint:ignore SA1019 the reader fills Xattrs and the writer prefers it
			if _, ok := hdr.Xattrs[name]; ok {
				//lint:ignore SA1019 as above
				hdr.Xattrs[name] = v
			}
		}
	}
	return nil
}

// Fields of archive texts as finding columns: a finding points at its
// field's name, which must outlive the run.
var (
	fieldZipComment       = FieldZipComment
	fieldZipMemberComment = FieldZipMemberComment
	fieldGzipComment      = FieldGzipComment
	fieldGzipName         = FieldGzipName
	fieldTarLinkname      = FieldTarLinkname
	fieldTarUname         = FieldTarUname
	fieldTarGname         = FieldTarGname
)

// archiveText reads one archive text of the archive of format kind and
// adds its findings. member is the raw name of the member the text
// belongs to, "" for the archive's own text; its container_path is built
// only when the text holds a finding. key is a PAX record's key.
func (o *objectScan) archiveText(kind, field, key, member, text string) error {
	if text == "" {
		return nil
	}
	em := &o.w.arcText
	em.o, em.kind, em.field, em.key, em.member = o, kind, field, key, member
	em.fieldName, em.path = nil, nil
	em.buf = append(em.buf[:0], text...)
	err := o.w.sc.ScanText(o.ctx, em.buf, 0, len(em.buf), nil, em)
	em.o = nil
	o.addBytes(len(text))
	return err
}

// tarTexts reads the free texts of a tar header (TarTexts).
func (o *objectScan) tarTexts(h *tar.Header) error {
	if h.Uname == "" && h.Gname == "" && len(h.PAXRecords) == 0 {
		return nil
	}
	return TarTexts(h, func(field, key, text string) (string, error) {
		return text, o.archiveText(FormatTar, field, key, h.Name, text)
	})
}

// archiveTextEm receives the matches of an archive text. A worker keeps
// one, so that a text without findings costs no allocation.
type archiveTextEm struct {
	o                *objectScan
	kind, field, key string
	member           string
	buf              []byte
	fieldName, path  *string
}

func (e *archiveTextEm) Match(m *classifiers.Match) error {
	o := e.o
	if e.fieldName == nil {
		e.fieldName = e.fieldOf()
		e.path = o.container
		if e.member != "" {
			p := memberPath(e.member)
			if o.container != nil {
				p = *o.container + "/" + p
			}
			e.path = &p
		}
	}
	f := o.finding(m, int64(m.Start), 0, 0, -1, nil)
	f.ContainerPath = e.path
	f.Format = e.kind
	f.Field = e.fieldName
	o.addFinding(f)
	return nil
}

// fieldOf returns the field name to point findings at.
func (e *archiveTextEm) fieldOf() *string {
	switch e.field {
	case FieldZipComment:
		return &fieldZipComment
	case FieldZipMemberComment:
		return &fieldZipMemberComment
	case FieldGzipComment:
		return &fieldGzipComment
	case FieldTarUname:
		return &fieldTarUname
	case FieldTarGname:
		return &fieldTarGname
	}
	return &e.o.w.field(ArchiveTextField(e.field, e.key)).Name
}

func (e *archiveTextEm) EndRecord(int64, bool) error { return nil }
func (e *archiveTextEm) Anchor(int) any              { return nil }

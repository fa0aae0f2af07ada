package scanner

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// input is a stream being decoded, with what detection already read.
type input struct {
	br    *bufio.Reader
	head  []byte // the first sniffLen bytes (fewer when the stream is short)
	whole bool   // head holds the whole stream
	raw   io.Reader
	name  string
	depth int
}

// randomAccess returns the stream as an io.ReaderAt, for formats that read
// from the end (zip central directory, Parquet footer). A short stream is
// used from memory; a local file at the top level is read in place; any
// other stream is spooled to an encrypted temporary file, at most
// Config.MaxObjectSize bytes. Never is a whole object read into memory.
// The caller must call release.
func (o *objectScan) randomAccess(in *input) (ra io.ReaderAt, size int64, release func(), err error) {
	nop := func() {}
	if in.whole {
		return bytes.NewReader(in.head), int64(len(in.head)), nop, nil
	}
	if f, n, ok := o.localFile(in); ok {
		return &ctxReaderAt{ctx: o.ctx, r: f}, n, nop, nil
	}
	sp, err := newSpool(o.w.cfg.TempDir)
	if err != nil {
		return nil, 0, nop, err
	}
	max := o.w.cfg.MaxObjectSize
	n, err := io.Copy(sp, io.LimitReader(in.br, max+1))
	if err == nil {
		err = sp.flush()
	}
	if err == nil && n > max {
		if in.depth == 0 {
			err = ErrTooLarge
		} else {
			err = &errLimit{msg: fmt.Sprintf("archive member larger than %d bytes (--max-object-size)", max)}
		}
	}
	if err != nil {
		sp.close()
		return nil, 0, nop, err
	}
	return &ctxReaderAt{ctx: o.ctx, r: sp}, n, sp.close, nil
}

// localFile returns the object's file when the top-level stream is a local
// file, so that random access needs no copy.
func (o *objectScan) localFile(in *input) (io.ReaderAt, int64, bool) {
	if in.depth != 0 {
		return nil, 0, false
	}
	l, ok := in.raw.(*LimitReader)
	if !ok {
		return nil, 0, false
	}
	f, ok := l.r.(interface {
		io.ReaderAt
		Stat() (fs.FileInfo, error)
	})
	if !ok {
		return nil, 0, false
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > o.w.cfg.MaxObjectSize {
		return nil, 0, false
	}
	return f, fi.Size(), true
}

// ctxReaderAt checks the object's context on every read, like LimitReader.
type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c *ctxReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

// memberReader reads one archive member and enforces the archive limits:
// the bytes unpacked from the whole object (Config.MaxDecodedSize), the
// ratio of the member's size to its compressed size, and the ratio of all
// unpacked bytes to the object's size (Config.MaxRatio).
type memberReader struct {
	o    *objectScan
	r    io.Reader
	out  int64
	comp int64 // compressed size of the member; 0 when not compressed
}

// Ratios are judged after this many bytes: small inputs may expand a lot.
const ratioAfter = 1 << 20

func (m *memberReader) Read(p []byte) (int, error) {
	o := m.o
	if err := o.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := m.r.Read(p)
	m.out += int64(n)
	o.unpacked += int64(n)
	if lerr := o.objectLimit(); lerr != nil {
		return n, lerr
	}
	if r := o.w.cfg.MaxRatio; m.comp > 0 && m.out > ratioAfter && m.out/m.comp > r {
		return n, &errLimit{msg: fmt.Sprintf("archive member compression ratio over %d (--max-ratio)", r)}
	}
	return n, err
}

// objectLimit reports a limit on the whole object: bytes unpacked from
// archive members, members read, or the ratio of unpacked bytes to the
// object's size. Hitting one stops the object.
func (o *objectScan) objectLimit() error {
	cfg := o.w.cfg
	switch {
	case o.unpacked > cfg.MaxDecodedSize:
		return &errLimit{msg: fmt.Sprintf("archive members unpack to over %d bytes (--max-decoded-size)", cfg.MaxDecodedSize)}
	case o.members > cfg.MaxMembers:
		return &errLimit{msg: fmt.Sprintf("more than %d archive members (--max-members)", cfg.MaxMembers)}
	case o.res.Info.Size > 0 && o.unpacked > ratioAfter && o.unpacked/o.res.Info.Size > cfg.MaxRatio:
		return &errLimit{msg: fmt.Sprintf("archive compression ratio over %d (--max-ratio)", cfg.MaxRatio)}
	}
	return nil
}

// archive gathers what the members of one archive gave: their formats for
// the objects table, the first error worth reporting, skipped members.
type archive struct {
	kind        string
	formats     map[string]bool
	encodings   map[string]bool
	err         error // first limit error, else first other error
	unsupported int
	unread      int // members whose bytes could not be read (encrypted)
	// opaque: the unsupported members whose format holds data no decoder
	// read (a PDF, a legacy .doc/.xls, a .7z or .bz2), by format
	opaque map[string]int
	index  int
}

func newArchive(kind string) *archive {
	return &archive{kind: kind, formats: map[string]bool{}, encodings: map[string]bool{}}
}

// entryNames reads the name of an archive entry without content of its
// own (a folder, a link, a device), under its own container_path as a
// member's name is (a folder's ends in '/', as for its comment), and a
// link's target (field tar.linkname). A folder's values are found in the
// paths of the members under it too, but an empty folder has none, and a
// de-identified copy renames every entry. It returns an error only on
// cancellation.
func (o *objectScan) entryNames(name, link string) error {
	if name == "" && link == "" {
		return nil
	}
	prev, err := o.enter(name)
	if err != nil {
		return err
	}
	defer func() { o.container = prev }()
	if err := o.nameFindings(memberPath(link), &fieldTarLinkname); err != nil && o.ctx.Err() != nil {
		return err
	}
	return nil
}

// enter sets the container path to the member or entry name under the
// current one and reads the name's values. It returns the container path
// to restore when the caller is done, and an error only on cancellation
// (the path is restored already then).
func (o *objectScan) enter(name string) (prev *string, err error) {
	prev = o.container
	full := memberPath(name)
	if prev != nil {
		full = *prev + "/" + full
	}
	o.container = &full
	if err := o.addNameFindings(memberPath(name)); err != nil && o.ctx.Err() != nil {
		o.container = prev
		return prev, err
	}
	return prev, nil
}

// member scans one archive member: its own format detection, parsers,
// line numbers and offsets, with container_path set to its path. It
// returns an error only when the whole archive must stop (cancellation, a
// limit on the whole object); other problems are kept in a.
func (o *objectScan) member(a *archive, r io.Reader, name string, comp int64, depth int) error {
	a.index++
	o.members++
	if err := o.objectLimit(); err != nil {
		return err
	}
	prev, err := o.enter(name)
	if err != nil {
		return err
	}
	mark := len(o.formats)
	enc := o.res.Encoding
	o.res.Encoding = ""
	err = o.decode(&memberReader{o: o, r: r, comp: comp}, name, depth+1)
	if len(o.pend) > 0 || o.crowd {
		o.closeRecord(false) // what was read before a problem still counts
	}
	fmts := joinFormats(o.formats[mark:])
	o.formats = o.formats[:mark]
	if o.res.Encoding != "" {
		a.encodings[o.res.Encoding] = true
	}
	o.res.Encoding = enc
	o.container = prev

	var unsup *errUnsupported
	switch {
	case err == nil || errors.Is(err, errEmpty):
		if fmts != "" && fmts != FormatEmpty {
			a.formats[fmts] = true
		}
		return nil
	case errors.As(err, &unsup):
		a.unsupported++
		if opaqueFormat(unsup.format) {
			if a.opaque == nil {
				a.opaque = map[string]int{}
			}
			a.opaque[unsup.format]++
		}
		return nil
	case o.ctx.Err() != nil:
		return o.ctx.Err()
	}
	if fmts != "" {
		a.formats[fmts] = true
	}
	if lerr := o.objectLimit(); lerr != nil {
		return lerr // a limit on the whole object: stop
	}
	a.keep(o.memberErr(a, err))
	return nil
}

// memberErr makes a member's error PII-free (no member names) and keeps
// its kind, so the object's status and reason follow from it.
func (o *objectScan) memberErr(a *archive, err error) error {
	var limit *errLimit
	var malformed *errMalformed
	var notRead *errNotRead
	switch {
	case errors.As(err, &limit):
		return &errLimit{msg: fmt.Sprintf("%s member %d: %s", a.kind, a.index, limit.msg)}
	case errors.Is(err, ErrTooLarge):
		return &errLimit{msg: fmt.Sprintf("%s member %d: %s", a.kind, a.index, err)}
	case errors.As(err, &malformed):
		// the member's format and message: the offset and "the rest
		// was scanned as text" are said once, by the archive's error
		return &errMalformed{format: a.kind, off: malformed.off, msg: fmt.Sprintf("member %d: %s: %s", a.index, malformed.format, malformed.msg)}
	case errors.As(err, &notRead):
		// Not malformed: a nested document with parts no decoder reads.
		return &errNotRead{msg: fmt.Sprintf("%s member %d: %s", a.kind, a.index, notRead.msg)}
	}
	return &errMalformed{format: a.kind, msg: fmt.Sprintf("member %d: %s", a.index, SafeText(err.Error()))}
}

// keep remembers an error; a limit wins over anything else.
func (a *archive) keep(err error) {
	var limit *errLimit
	if a.err == nil || (errors.As(err, &limit) && !errors.As(a.err, &limit)) {
		a.err = err
	}
}

// finish writes the archive's format (zip/csv, tar/mixed, ...), encoding
// and notes, and returns the error to report for it.
func (o *objectScan) finishArchive(a *archive, err error) error {
	fs := make([]string, 0, len(a.formats))
	for f := range a.formats {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	switch len(fs) {
	case 0:
	case 1:
		o.formats = append(o.formats, fs[0])
	default:
		o.formats = append(o.formats, "mixed")
	}
	if len(a.encodings) == 1 && o.res.Encoding == "" {
		for e := range a.encodings {
			o.res.Encoding = e
		}
	}
	if a.unsupported > 0 {
		o.note(fmt.Sprintf("%s: %d %s member(s) not scanned: unsupported format", o.where(), a.unsupported, a.kind))
	}
	if len(a.opaque) > 0 {
		// Documents and compressed data nothing read: a zip of CSVs and
		// a PDF was complete, as if the PDF had been read. Pictures and
		// programs are noted only, as pixels and code are not scanned
		// anywhere.
		n, fs := 0, make([]string, 0, len(a.opaque))
		for f, k := range a.opaque {
			n += k
			fs = append(fs, f)
		}
		sort.Strings(fs)
		a.keep(&errNotRead{msg: fmt.Sprintf("%d %s member(s) not scanned: unsupported format (%s)", n, a.kind, strings.Join(fs, ", "))})
	}
	if a.unread > 0 {
		// Their content is unknown: the object was not wholly scanned.
		a.keep(&errNotRead{msg: fmt.Sprintf("%d %s member(s) not scanned: encrypted or compressed with an unsupported method", a.unread, a.kind)})
	}
	if err != nil {
		return err
	}
	return a.err
}

// opaqueFormat reports whether an unsupported member of format f holds
// data a reader of it could scan: any but pictures and executables or
// unknown binaries (as a standalone object, each is skipped as
// unsupported_format).
func opaqueFormat(f string) bool {
	switch f {
	case FormatImage, FormatBinary, "elf":
		return false
	}
	return true
}

// memberPath is an archive member's name as container_path text. Names
// are bytes: a zip without its UTF-8 flag or an old tar holds them in the
// encoding of the machine that made it, which for the archives this tool
// meets is GBK (a zip made on Chinese Windows). A name that is not UTF-8
// is decoded as GB18030 when every byte of it decodes, else its invalid
// bytes are written as %XX: the column is UTF-8 text, and a Parquet
// string that is not UTF-8 makes the whole file unreadable for DuckDB,
// Spark and Trino.
func memberPath(name string) string {
	if utf8.ValidString(name) {
		return name
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil && !strings.ContainsRune(out, utf8.RuneError) {
		return out
	}
	return EscapeInvalidUTF8(name)
}

// note adds a PII-free observation to the object's result.
func (o *objectScan) note(s string) {
	if len(o.warnings) < 100 {
		o.warnings = append(o.warnings, s)
	}
}

// where names the object (and archive member) for notes, redacted like
// error texts.
func (o *objectScan) where() string {
	s := o.res.Info.Key
	if o.container != nil {
		s += " (" + *o.container + ")"
	}
	return SafeText(s)
}

// claimedFormats maps extensions to the format they promise; content that
// is not that format is still scanned for what it is, and reported
// malformed so that a misnamed file does not go unnoticed.
var claimedFormats = map[string]string{
	".xlsx": FormatXLSX, ".xlsm": FormatXLSX, ".docx": FormatDOCX, ".docm": FormatDOCX,
	".pptx": FormatPPTX, ".pptm": FormatPPTX, ".parquet": FormatParquet, ".avro": FormatAvro,
	".zip": FormatZip, ".tar": FormatTar, ".tgz": FormatGzip,
}

// claimed turns the result of decoding content of format actual into a
// malformed error when name promised another format.
func (o *objectScan) claimed(name, actual string, err error) error {
	want := claimedFormats[strings.ToLower(path.Ext(name))]
	if want == "" || want == actual || want == FormatZip && (actual == FormatXLSX || actual == FormatDOCX || actual == FormatPPTX) {
		return err
	}
	var unsup *errUnsupported
	if err != nil && !errors.As(err, &unsup) {
		return err
	}
	what := "scanned as " + actual
	if err != nil {
		what = "not scanned"
	}
	return &mismatchError{want: want, actual: actual, what: what}
}

// mismatchError is content that is not the format its name promises. It
// counts as malformed.
type mismatchError struct{ want, actual, what string }

func (e *mismatchError) Error() string {
	return fmt.Sprintf("named like %s but the content is %s; %s", e.want, e.actual, e.what)
}

func (e *mismatchError) Unwrap() error { return &errMalformed{format: e.want} }

// formatError is a structured format that did not parse (a truncated
// Parquet footer, a workbook without its parts). It counts as malformed;
// its text says what was scanned.
type formatError struct {
	format string
	msg    string
}

func (e *formatError) Error() string { return e.format + ": " + e.msg }

func (e *formatError) Unwrap() error { return &errMalformed{format: e.format, msg: e.msg} }

// badFormat wraps a third-party decoder's error: its text is redacted,
// since decoders sometimes quote the bytes they choke on.
func badFormat(format, what string, err error) error {
	return &formatError{format: format, msg: what + ": " + SafeText(err.Error())}
}

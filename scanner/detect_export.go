package scanner

import (
	"errors"
	"io"

	"golang.org/x/text/encoding"
)

// Exported pieces of the scanner's format detection, for writers that
// must read an object exactly as the scanner does (the de-identified copy
// writer of sinks/redact): the same format, the same character encoding,
// the same Parquet field paths. They wrap the scanner's own functions, so
// the two never drift apart.

// SniffLen is how much of an object's head format detection looks at.
const SniffLen = sniffLen

// DetectFormat returns the format of an object from its head (up to
// SniffLen bytes) and its name: FormatEmpty, FormatGzip, FormatZip,
// FormatTar, FormatParquet, FormatAvro, FormatPDF, FormatImage, FormatFMR,
// FormatBinary, FormatText, or the name of another recognised binary
// format (bzip2, xz, zstd, 7z, rar, elf, ole2). Content decides; the name
// only breaks ties. Text formats are told apart by TextFormat.
func DetectFormat(name string, head []byte) string { return sniff(name, head) }

// DetectEncoding names the character encoding of a text object's head:
// EncUTF8, EncUTF8BOM, EncUTF16LE, EncUTF16BE, EncGB18030 or EncLatin1.
func DetectEncoding(head []byte) string { return detectEncoding(head) }

// DecodeHead decodes a head sample to UTF-8 (BOM removed), for TextFormat.
func DecodeHead(enc string, head []byte) []byte { return decodeHead(enc, head) }

// TextFormat tells the text formats apart on a decoded head: FormatCSV,
// FormatTSV, FormatHive, FormatJSON, FormatJSONL or FormatText.
func TextFormat(name string, decodedHead []byte) string { return sniffText(name, decodedHead) }

// DecodeReader wraps r, in encoding enc (a DetectEncoding name), so that
// it yields UTF-8; a byte order mark is removed.
func DecodeReader(enc string, r io.Reader) io.Reader { return decoderFor(enc, r) }

// EncodingOf returns the x/text encoding of a DetectEncoding name, or nil
// for UTF-8 (with or without BOM). UTF-16 encodings honour a BOM when
// decoding.
func EncodingOf(enc string) encoding.Encoding { return encodingOf(enc) }

// ParquetColumnPath is the field name the scanner gives a Parquet leaf
// column: dotted names, [*] after a repeated level, the LIST and MAP
// wrapper levels folded (tags[*]). segs are the names from the root's
// child to the leaf, reps whether each level is repeated.
func ParquetColumnPath(segs []string, reps []bool) string { return columnPath(segs, reps) }

// ParquetKeyValueField is the field name the scanner gives a value of a
// Parquet file's key/value metadata: parquet.kv.<key>.
func ParquetKeyValueField(key string) string { return parquetKVField(key) }

// ReasonOf maps an open or read error to a reason code (permission_denied,
// not_found, timeout, read_error, or an *ObjectError's own reason).
func ReasonOf(err error) Reason { return reasonOf(err) }

// IsCorrupt reports decoding errors of compressed or truncated data
// (unexpected EOF, gzip checksum or header, corrupt deflate input).
func IsCorrupt(err error) bool { return isCorrupt(err) }

// TempSpool is a temporary copy of a stream that needs random access or a
// second read. Nothing raw may be written to disk in the clear
// (docs/DESIGN.md section 1): the file is encrypted with AES-CTR under a
// random key that lives only in memory, and unlinked at once where the OS
// allows. Write it, call Seal, then read it with ReadAt or Reader. Not safe
// for concurrent writes; ReadAt is safe for concurrent use after Seal.
type TempSpool struct {
	s      *spool
	sealed bool
}

// NewTempSpool creates a spool file in dir ("" = the system temporary
// directory).
func NewTempSpool(dir string) (*TempSpool, error) {
	s, err := newSpool(dir)
	if err != nil {
		return nil, err
	}
	return &TempSpool{s: s}, nil
}

// Write appends p.
func (t *TempSpool) Write(p []byte) (int, error) {
	if t.sealed {
		return 0, errors.New("write spool file: already sealed")
	}
	return t.s.Write(p)
}

// Seal flushes what was written; the spool is read-only afterwards.
func (t *TempSpool) Seal() error {
	if t.sealed {
		return nil
	}
	t.sealed = true
	return t.s.flush()
}

// ReadAt reads and decrypts len(p) bytes at off (after Seal).
func (t *TempSpool) ReadAt(p []byte, off int64) (int, error) { return t.s.ReadAt(p, off) }

// Size returns the number of bytes written.
func (t *TempSpool) Size() int64 { return t.s.size }

// Reader returns a reader of the whole content (after Seal).
func (t *TempSpool) Reader() *io.SectionReader { return io.NewSectionReader(t, 0, t.s.size) }

// Close closes and removes the file.
func (t *TempSpool) Close() { t.s.close() }

// Vanished reports an open error saying that the object was deleted after
// it was listed (a file removed, OSS NoSuchKey): a skipped object, since
// nothing of it is left to read.
func Vanished(err error) bool { return vanished(err) }

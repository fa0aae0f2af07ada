package scanner

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"path"
	"strings"
)

// Format names written to the objects and findings tables.
const (
	FormatText = "text"
	FormatCSV  = "csv"
	FormatTSV  = "tsv"
	// FormatHive is Hive's default text table format (TEXTFILE): fields
	// separated by \x01 (^A), rows by line breaks, no header. MaxCompute and
	// Hive tables exported to OSS are often written so.
	FormatHive    = "hive_text"
	FormatJSON    = "json"
	FormatJSONL   = "jsonl"
	FormatGzip    = "gzip"
	FormatBinary  = "binary"
	FormatEmpty   = "empty"
	FormatZip     = "zip"
	FormatTar     = "tar"
	FormatParquet = "parquet"
	FormatAvro    = "avro"
	FormatPDF     = "pdf"
	FormatImage   = "image"
	FormatXLSX    = "xlsx"
	FormatDOCX    = "docx"
	FormatPPTX    = "pptx"
	// FormatFMR is a finger minutiae record (ISO/IEC 19794-2, ANSI/INCITS
	// 378) stored as a file of its own: binary, but scanned as it is, for
	// the fingerprint_template detector finds the raw "FMR\0" header.
	FormatFMR = "fmr"
)

// sniffLen is how much of an object's head detection looks at.
const sniffLen = 64 << 10

// magic numbers, checked before extensions: content decides, the name only
// breaks ties between text formats.
var magics = []struct {
	format string
	off    int
	sig    string
}{
	{FormatGzip, 0, "\x1f\x8b"},
	{FormatZip, 0, "PK\x03\x04"},
	{FormatZip, 0, "PK\x05\x06"},
	{FormatParquet, 0, "PAR1"},
	{FormatAvro, 0, "Obj\x01"},
	{FormatPDF, 0, "%PDF-"},
	{FormatFMR, 0, "FMR\x00 20\x00"}, // ISO/IEC 19794-2:2005, ANSI/INCITS 378-2004
	{FormatFMR, 0, "FMR\x00030\x00"}, // ISO/IEC 19794-2:2011
	{FormatImage, 0, "\x89PNG\r\n\x1a\n"},
	{FormatImage, 0, "\xff\xd8\xff"},
	{FormatImage, 0, "GIF87a"},
	{FormatImage, 0, "GIF89a"},
	{FormatImage, 0, "BM"},
	{FormatImage, 8, "WEBP"},
	{"bzip2", 0, "BZh"},
	{"xz", 0, "\xfd7zXZ\x00"},
	{"zstd", 0, "\x28\xb5\x2f\xfd"},
	{"7z", 0, "7z\xbc\xaf\x27\x1c"},
	{"rar", 0, "Rar!\x1a\x07"},
	{"elf", 0, "\x7fELF"},
	{FormatTar, 257, "ustar"},
	{"ole2", 0, CFBSignature},
}

// sniff decides the format of an object from its head and name. Text
// formats (csv, json, ...) are told apart after the encoding is known, by
// sniffText.
func sniff(name string, head []byte) string {
	if len(head) == 0 {
		return FormatEmpty
	}
	for _, m := range magics {
		if len(head) >= m.off+len(m.sig) && string(head[m.off:m.off+len(m.sig)]) == m.sig {
			if m.format == FormatImage && m.sig == "BM" && !isImageName(name) {
				continue // "BM" is also how plenty of text starts
			}
			return m.format
		}
	}
	if isTarHeader(head) {
		return FormatTar
	}
	if looksBinary(head) {
		return FormatBinary
	}
	return FormatText
}

func isImageName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".bmp", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".heic":
		return true
	}
	return false
}

// looksBinary reports content that is not text in any encoding we decode:
// NUL bytes outside a UTF-16 pattern, or many control characters.
func looksBinary(head []byte) bool {
	if _, ok := utf16Order(head); ok {
		return false
	}
	ctl := 0
	i := 0
	for ; i+8 <= len(head); i += 8 {
		// Most words of text hold no byte below 0x20 (x - 0x2020... &^ x
		// has a high bit set exactly when one does): skip them whole.
		x := binary.LittleEndian.Uint64(head[i:])
		if (x-0x2020202020202020)&^x&0x8080808080808080 == 0 {
			continue
		}
		for _, c := range head[i : i+8] {
			if c == 0 {
				return true
			}
			if isControl(c) {
				ctl++
			}
		}
	}
	for _, c := range head[i:] {
		if c == 0 {
			return true
		}
		if isControl(c) {
			ctl++
		}
	}
	return ctl*10 > len(head) && !hiveText(head)
}

// hiveText reports a Hive text table (FormatHive), whose short fields put
// a \x01 in every few bytes: its lines hold the same number of them, and
// its only control bytes are Hive's delimiters (\x01 between fields, \x02
// and \x03 inside collections and maps).
func hiveText(head []byte) bool {
	for _, c := range head {
		if isControl(c) && c > 0x03 {
			return false
		}
	}
	return sniffDelimiter(head) == hiveDelim
}

// hiveDelim separates the fields of a Hive text table (FormatHive).
const hiveDelim = '\x01'

// isControl reports a control byte that text does not hold (line breaks,
// tabs, form feeds and ESC are text).
func isControl(c byte) bool {
	return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1b
}

// sniffText tells text formats apart on decoded (UTF-8) bytes: JSON and
// JSON Lines by their first characters, CSV/TSV by extension or by a
// consistent delimiter count on the first lines, everything else is text.
func sniffText(name string, head []byte) string {
	ext := strings.ToLower(path.Ext(name))
	trimmed := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch ext {
	case ".jsonl", ".ndjson", ".jsonlines":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	case ".tsv", ".tab":
		return FormatTSV
	}
	jsonExt := ext == ".json" || ext == ".jsonc"
	if jsonExt && len(trimmed) > 0 && trimmed[0] == '/' {
		// JSON with comments (settings.json, devcontainer.json) often
		// starts with one; a head that is all comments (or ends in one) is
		// JSON too: the parser reads comments alone, and an unterminated
		// one as text.
		if rest := skipJSONComments(trimmed); len(rest) == 0 || rest[0] == '{' || rest[0] == '[' {
			return FormatJSON
		}
	}
	// Without a JSON extension, a head that starts with '[' or '{' must
	// parse as JSON: logs start "[2026-11-24 10:00:00]" or "[INFO]", and
	// INI files (git's .git/config) "[core]", which were read as JSON,
	// partial/malformed with a warning each.
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && (jsonExt || jsonPrefix(trimmed)) {
		if isJSONLines(trimmed) {
			return FormatJSONL
		}
		if jsonExt || ext == "" || ext == ".txt" || ext == ".log" || looksJSONDoc(trimmed) {
			return FormatJSON
		}
	}
	switch ext {
	case ".txt", ".log", ".md", ".text", ".json", ".jsonc", ".xml", ".html", ".htm", ".yaml", ".yml":
		return FormatText
	}
	switch sniffDelimiter(head) {
	case ',':
		return FormatCSV
	case '\t':
		return FormatTSV
	case hiveDelim:
		return FormatHive
	}
	return FormatText
}

// jsonPrefixLen is how much of a head jsonPrefix checks.
const jsonPrefixLen = 4 << 10

// jsonPrefix reports whether the first jsonPrefixLen bytes of b are JSON
// values (one document, or several as in JSON Lines) or the start of one:
// a syntax error in them says b is text that starts with a bracket.
func jsonPrefix(b []byte) bool {
	if len(b) > jsonPrefixLen {
		b = b[:jsonPrefixLen]
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err != nil {
			return err == io.EOF || err == io.ErrUnexpectedEOF
		}
	}
}

// skipJSONComments passes the // and /* */ comments and white space at
// the start of b; nil when b ends in a comment.
func skipJSONComments(b []byte) []byte {
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case bytes.HasPrefix(b, []byte("//")):
			j := bytes.IndexByte(b, '\n')
			if j < 0 {
				return nil
			}
			b = b[j+1:]
		case bytes.HasPrefix(b, []byte("/*")):
			j := bytes.Index(b[2:], []byte("*/"))
			if j < 0 {
				return nil
			}
			b = b[j+4:]
		default:
			return b
		}
	}
}

// isJSONLines reports a first line that is a whole object or array followed
// by a line that starts another.
func isJSONLines(b []byte) bool {
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		return false
	}
	first := bytes.TrimSpace(b[:nl])
	if len(first) < 2 || (first[len(first)-1] != '}' && first[len(first)-1] != ']') {
		return false
	}
	rest := bytes.TrimLeft(b[nl+1:], " \t\r\n")
	return len(rest) > 0 && (rest[0] == '{' || rest[0] == '[')
}

// looksJSONDoc is a cheap check that text starting with { or [ is JSON and
// not, say, a log line starting with "[2024-01-01 ...".
func looksJSONDoc(b []byte) bool {
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	return len(b) == 0 || b[0] == '"' || b[0] == '{' || b[0] == '[' || b[0] == '}' || b[0] == ']' ||
		b[0] == '-' || (b[0] >= '0' && b[0] <= '9') || bytes.HasPrefix(b, []byte("true")) ||
		bytes.HasPrefix(b, []byte("false")) || bytes.HasPrefix(b, []byte("null"))
}

// sniffDelimiter returns ',', '\t' or '\x01' when the first lines of the
// head have the same, non-zero number of that delimiter outside quotes
// (anywhere for '\x01': Hive text has no quoting), else 0.
func sniffDelimiter(head []byte) byte {
	lines := bytes.SplitN(head, []byte("\n"), 6)
	if len(lines) < 3 {
		return 0
	}
	lines = lines[:len(lines)-1] // the last may be cut
	for _, d := range []byte{',', '\t', hiveDelim} {
		n := countOutsideQuotes(lines[0], d)
		if n == 0 {
			continue
		}
		ok := true
		for _, l := range lines[1:] {
			if countOutsideQuotes(l, d) != n {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	return 0
}

func countOutsideQuotes(line []byte, d byte) int {
	if !CSVQuotes(d) {
		return bytes.Count(line, []byte{d})
	}
	n := 0
	q := false
	for _, c := range line {
		switch {
		case c == '"':
			q = !q
		case c == d && !q:
			n++
		}
	}
	return n
}

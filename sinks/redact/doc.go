// Package redact writes de-identified copies of files, folders and OSS
// prefixes (`piiscan redact SRC --to DST`): the same objects in the same
// formats, with every value the engine reports replaced by what the
// de-identification policy (classifiers/deid) makes of it.
//
// # Pipeline
//
// Run is the scanner's worker pool (docs/STYLE.md section 3): one lister
// walks the source into a bounded channel, N workers rewrite one object
// each under a timeout and a recover, and exactly one goroutine tallies
// the results. A worker detects the format exactly as the scanner does
// (scanner.DetectFormat, DetectEncoding, TextFormat), reads the values
// the way the scanner's decoders present them to the engine (the same
// fields, records and kinds), and writes the object again with the
// replacements the engine's matches carry (classifiers.Scanner.SetPolicy):
//
//	text       chunk by chunk in bounded memory; the original encoding
//	           (UTF-8 with or without BOM, UTF-16, GB18030, Latin-1) is kept
//	csv, tsv   the scanner's field reader (scanner.CSVReader): the same
//	           rows, columns and header; every byte but the replaced
//	           values is copied (quoting, blank lines, line endings); a
//	           changed cell keeps its quotes or is quoted when it must be
//	json       a streaming tokenizer that copies every byte it does not
//	           replace: keys, nesting, white space and record counts stay;
//	           strings are re-escaped, numbers stay numbers or become null,
//	           numeric arrays (face vectors) become []; a key the scanner
//	           reads as a value (one with a digit or an '@': an object
//	           keyed by phone number) is replaced like a string; keys of
//	           one object replaced alike get "#2", "#3", ... so that they
//	           stay distinct (a reader keeps one of two equal keys)
//	jsonl      the same per line; a line that does not parse is rewritten
//	           as text
//	parquet    the same schema, row groups and row count; byte arrays and
//	           numbers replaced per value, repeated numeric columns whole;
//	           the footer's key/value metadata keeps its keys, matches in
//	           its values replaced within the value (parquet.go keyValues)
//	avro       the same header (schema, codec, sync marker) and record
//	           count; values re-encoded in their types, a value whose
//	           type cannot hold its replacement null when nullable, else
//	           zero or empty; blocks re-cut per batch; bzip2 written as
//	           deflate (avro.go)
//	xlsx       the same members, sheets, rows and cells; a replaced cell
//	           becomes an inline string (a number stays a number when the
//	           replacement is one), shared strings no cell refers to any
//	           more are emptied (xlsx.go says why)
//	docx, pptx the same members, paragraphs and runs; the text read as
//	           the scanner reads it, a value split across runs replaced
//	           in the first and removed from the others (ooxml_text.go)
//	gzip       stays gzip around the rewritten inner object
//	zip, tar   rebuilt with the same members, each rewritten by its format
//
// In Office documents the parts the scanner reads are rewritten, and so
// are the document properties (author and last editor emptied, title and
// the like rewritten: docprops.go) and the author attributes of tracked
// changes and comments in Word's text parts. The other XML parts
// (relationships, comments, chart and pivot caches, ...) are swept value
// by value (ooxml_side.go), embedded Office packages are rewritten as
// packages, the parts no rewriter can read (OLE objects, macros, ActiveX
// data) are kept empty and listed, so the document is partial
// (office_opaque.go), and pictures lose their metadata (imagemeta.go).
// Styles, fonts, printer settings and the pixels of pictures are copied.
// Everything else (PDF, images, other binaries, Avro codecs other than
// null, deflate, snappy, zstandard and bzip2, encrypted Office documents)
// is not rewritten: it is listed with reason unsupported_format and, with
// Config.CopyUnsupported, copied byte for byte.
//
// # Raw values
//
// Raw values stay inside this package and the engine: outputs hold only
// replacements, and errors, logs and the summary hold formats, offsets,
// counts and reason codes. Temporary copies of inputs (zip, Office and
// Parquet need random access, tar members a second read) and of rewritten
// worksheets are encrypted spools (scanner.TempSpool).
//
// # Decrypt
//
// With Config.Decrypt the same rewriters run with the engine replaced by
// a token finder: every encrypt token (enc:v1:<alg>:<base64url>) is
// replaced by its plaintext when the policy holds its key, restoring the
// original value byte for byte. Only the encrypt operator is reversed
// this way: FF1 tokens are reversible by a key holder (deid.FF1.Reverse)
// but look like ordinary data, so a copy does not say where they are;
// hash, mask, generalize, substitute, redact and tag are one-way.
package redact

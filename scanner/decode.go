package scanner

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/piiscan/piiscan/classifiers"
)

// Default per-object limits, shared by Config, the redact writer's
// configuration and the CLI flags of both. DefaultMaxArchiveDepth bounds
// containers inside containers (gzip of gzip, archives in archives),
// against nesting bombs.
const (
	DefaultObjectTimeout   = 30 * time.Minute
	DefaultGrace           = 3 * time.Second
	DefaultMaxObjectSize   = 10 << 30
	DefaultMaxDecodedSize  = 64 << 30
	DefaultMaxRatio        = 1000
	DefaultMaxMembers      = 100_000
	DefaultMaxArchiveDepth = 8
)

// decode detects the format of r and scans it. name drives detection ties
// (extensions). depth counts enclosing containers.
func (o *objectScan) decode(r io.Reader, name string, depth int) error {
	br := o.w.reader(r)
	defer o.w.putReader(br)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && len(head) == 0 {
		return err
	}
	in := &input{br: br, head: head, whole: err == io.EOF, raw: r, name: name, depth: depth}
	f := sniff(name, head)
	switch f {
	case FormatEmpty:
		if depth == 0 {
			o.formats = append(o.formats, FormatEmpty)
			return errEmpty
		}
		return nil
	case FormatGzip:
		return o.gunzip(br, name, depth)
	case FormatText:
		err := o.decodeText(br, name, head)
		return o.claimed(name, o.format, err)
	case FormatZip:
		return o.unzip(in)
	case FormatTar:
		return o.claimed(name, f, o.untar(in))
	case FormatParquet:
		return o.claimed(name, f, o.scanParquet(in))
	case FormatAvro:
		return o.claimed(name, f, o.scanAvro(in))
	case FormatFMR:
		// Raw bytes, no character decoding: the engine reads the header.
		o.formats = append(o.formats, f)
		o.format = f
		return o.claimed(name, f, o.scanText(br, nil, 0))
	case FormatImage:
		o.imageNote(name, head)
	}
	o.formats = append(o.formats, f)
	return o.claimed(name, f, &errUnsupported{format: f})
}

// gunzip scans the decompressed stream (all members), within the size and
// ratio limits.
func (o *objectScan) gunzip(br *bufio.Reader, name string, depth int) error {
	o.formats = append(o.formats, FormatGzip)
	if err := o.checkDepth(depth); err != nil {
		return err
	}
	counter := NewCountReader(br)
	zr, err := gzip.NewReader(counter)
	if err != nil {
		return fmt.Errorf("open gzip: %w", err)
	}
	defer zr.Close()
	inner := strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".gzip")
	if strings.HasSuffix(strings.ToLower(name), ".tgz") {
		inner = strings.TrimSuffix(name, path.Ext(name)) + ".tar"
	}
	// gzip -N keeps the file's name: a name, as redact renames it. It is
	// most often the object's own name less .gz, whose values the object's
	// name already reported: then it is not read twice.
	if zr.Name != path.Base(inner) {
		if err := o.nameFindings(zr.Name, &fieldGzipName); err != nil && o.ctx.Err() != nil {
			return err
		}
	}
	if err := o.archiveText(FormatGzip, FieldGzipComment, "", "", zr.Comment); err != nil {
		return err
	}
	lim := LimitDecompression(gzipErrs{zr}, counter, o.w.cfg.MaxDecodedSize, o.w.cfg.MaxRatio)
	return o.decode(lim, inner, depth+1)
}

// gzipErrs names gzip as the source of a decompression error, which would
// otherwise read as a bare "unexpected EOF" or "flate: corrupt input" in
// the objects inventory.
type gzipErrs struct{ r io.Reader }

func (g gzipErrs) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: %w", err)
	}
	return n, err
}

// checkDepth refuses a container nested deeper than the limit.
func (o *objectScan) checkDepth(depth int) error {
	if max := o.w.cfg.MaxArchiveDepth; depth >= max {
		return &errLimit{msg: fmt.Sprintf("containers nested deeper than %d (--max-archive-depth)", max)}
	}
	return nil
}

// decodeText decodes the character encoding and dispatches on the text
// format (csv, tsv, json, jsonl or plain text).
func (o *objectScan) decodeText(br *bufio.Reader, name string, head []byte) error {
	enc := detectEncoding(head)
	o.res.Encoding = enc
	dr := decoderFor(enc, br)
	decHead := decodeHead(enc, head)
	tf := sniffText(name, decHead)
	o.formats = append(o.formats, tf)
	o.format = tf
	switch tf {
	case FormatCSV:
		return o.scanCSV(dr, ',')
	case FormatTSV:
		return o.scanCSV(dr, '\t')
	case FormatHive:
		return o.scanCSV(dr, hiveDelim)
	case FormatJSON:
		return o.scanJSON(dr, false)
	case FormatJSONL:
		return o.scanJSON(dr, true)
	}
	return o.scanText(dr, nil, 0)
}

// scanText classifies a stream as plain text; field, if not nil, is the
// column or key it belongs to; base is its offset in the decoded stream.
func (o *objectScan) scanText(r io.Reader, field *classifiers.Field, base int64) error {
	ch := newChunkerBuf(r, o.w.cfg.Chunk, o.w.chunkBuf)
	o.w.chunkBuf = nil // nested text (an archive member's) takes its own
	defer func() { o.w.chunkBuf = ch.buf }()
	em := newTextEmitter(o, field, 1, 1)
	return o.scanChunks(ch, em, base)
}

// CountReader counts the bytes read through it: a decompressor's input,
// for the ratio limit of LimitDecompression.
type CountReader struct {
	r io.Reader
	n int64
}

// NewCountReader counts what is read from r.
func NewCountReader(r io.Reader) *CountReader { return &CountReader{r: r} }

// FixedCount stands for an input of n bytes that is not read through a
// CountReader (an archive member whose compressed size is known).
func FixedCount(n int64) *CountReader { return &CountReader{n: n} }

func (c *CountReader) Read(p []byte) (int, error) {
	m, err := c.r.Read(p)
	c.n += int64(m)
	return m, err
}

// N is the number of bytes read so far.
func (c *CountReader) N() int64 { return c.n }

// LimitDecompression wraps dec, a decompressor reading from in: past max
// bytes of output, or an output/input ratio over ratio, reading fails with
// a limit error (IsLimit). The scanner and the redact writer share it.
func LimitDecompression(dec io.Reader, in *CountReader, max, ratio int64) io.Reader {
	return &bombReader{r: dec, in: in, max: max, ratio: ratio}
}

// bombReader stops decompression at a total size or a ratio of output to
// input, whichever comes first (a 10 MB gzip of zeros expands to 10 GB).
type bombReader struct {
	r     io.Reader
	in    *CountReader
	out   int64
	max   int64
	ratio int64
}

func (b *bombReader) Read(p []byte) (int, error) {
	m, err := b.r.Read(p)
	b.out += int64(m)
	if b.out > b.max {
		return m, &errLimit{msg: fmt.Sprintf("decompressed size over %d bytes (--max-decoded-size)", b.max)}
	}
	// Small inputs may expand a lot legitimately; judge the ratio after 1 MiB.
	if b.out > 1<<20 && b.in.n > 0 && b.out/b.in.n > b.ratio {
		return m, &errLimit{msg: fmt.Sprintf("compression ratio over %d (--max-ratio)", b.ratio)}
	}
	return m, err
}

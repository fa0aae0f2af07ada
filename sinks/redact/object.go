package redact

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/piiscan/piiscan/scanner"
)

// objRun is the state of one object being rewritten by one worker.
type objRun struct {
	w       *worker
	ctx     context.Context
	pre     *scanner.Fetched // the object read ahead, or nil
	res     *Result
	out     Output
	formats []string
	// fallback is the first part of the object handled as a fallback
	// (JSON that stopped parsing, rewritten as text from there): the
	// object is then partial.
	fallback error
	// archives: members read and bytes unpacked, against the limits
	members  int64
	unpacked int64
	// officeDepth is the container depth of the Office package being
	// rewritten: packages embedded in it are one deeper.
	officeDepth int
	// inside is the path of the members being rewritten below the
	// object, each followed by "!" ("" at the top): issues name members
	// by their whole path, a.zip!inner/in.zip!doc.pdf.
	inside string
}

// run reads the object, rewrites it into a new output and sets the
// result's status.
func (o *objRun) run(rel string) {
	info, res := o.res.Info, o.res
	rc, opened, err := o.pre.Open(o.ctx)
	if !opened {
		rc, err = o.w.src.Open(o.ctx, info)
	}
	if err != nil {
		res.Status, res.Reason, res.Err = StatusFailed, scanner.ReasonOf(err), safe(err)
		if res.Reason == scanner.ReasonUnsupported || scanner.Vanished(err) { // never opened, or deleted after the listing
			res.Status = StatusSkipped
		}
		return
	}
	defer rc.Close()
	out, err := o.w.dst.Create(o.ctx, rel)
	if err != nil {
		res.Status, res.Reason, res.Err = StatusFailed, ReasonWriteError, safe(err)
		return
	}
	o.out = out
	lr := scanner.NewLimitReader(o.ctx, rc, o.w.cfg.MaxObjectSize)
	cw := &countWriter{w: out}
	bw := bufio.NewWriterSize(cw, 64<<10)
	file, _ := rc.(*os.File)
	err = o.rewrite(lr, info.Name, 0, file, bw)
	if err == nil {
		if ferr := bw.Flush(); ferr != nil {
			err = &writeError{ferr}
		}
	}
	res.Format = strings.Join(o.formats, "/")
	res.BytesRead = lr.N()
	var unsup *unsupportedError
	switch {
	case err == nil:
		res.BytesWritten = cw.n
		res.Status = StatusRewritten
		if o.fallback != nil {
			res.Status, res.Reason, res.Err = StatusPartial, scanner.ReasonMalformed, o.fallback
		} else if len(res.Members) > 0 {
			res.Status, res.Reason = StatusPartial, scanner.Reason(res.Members[0].Reason)
			res.Err = membersErr(res)
		}
		if _, remote := out.(remoteOutput); remote && o.w.cfg.Uploads > 0 {
			res.commit = out // published by an uploader (Run)
			return
		}
		if cerr := out.Commit(o.ctx); cerr != nil {
			commitFailed(res, cerr)
		}
	case errors.As(err, &unsup):
		out.Abort()
		res.Values = nil
		res.Status, res.Reason, res.Err = StatusSkipped, scanner.ReasonUnsupported, err
		if o.w.cfg.CopyUnsupported {
			o.copyRaw(rel)
		}
	default:
		out.Abort()
		res.Values = nil
		res.Status, res.Reason, res.Err = StatusFailed, o.reason(err), o.errFor(err)
	}
}

// commitFailed makes res the result of an object whose copy could not be
// published: nothing was written, so nothing was replaced.
func commitFailed(res *Result, err error) {
	res.Values = nil
	res.BytesWritten = 0
	res.Status, res.Reason, res.Err = StatusFailed, ReasonWriteError, safe(err)
}

// abort discards the output of an object abandoned or failed by a panic.
func (o *objRun) abort() {
	if o.out != nil {
		o.out.Abort()
	}
}

// copyRaw copies an object that cannot be rewritten byte for byte.
func (o *objRun) copyRaw(rel string) {
	res := o.res
	rc, err := o.w.src.Open(o.ctx, res.Info)
	if err != nil {
		res.Status, res.Reason, res.Err = StatusFailed, scanner.ReasonOf(err), safe(err)
		if res.Reason == scanner.ReasonUnsupported || scanner.Vanished(err) { // never opened, or deleted after the listing
			res.Status = StatusSkipped
		}
		return
	}
	defer rc.Close()
	out, err := o.w.dst.Create(o.ctx, rel)
	if err != nil {
		res.Status, res.Reason, res.Err = StatusFailed, ReasonWriteError, safe(err)
		return
	}
	o.out = out
	lr := scanner.NewLimitReader(o.ctx, rc, o.w.cfg.MaxObjectSize)
	n, err := io.Copy(out, lr)
	if err == nil {
		err = out.Commit(o.ctx)
	}
	if err != nil {
		out.Abort()
		res.Status, res.Reason, res.Err = StatusFailed, o.reason(err), o.errFor(err)
		return
	}
	res.Status, res.BytesRead, res.BytesWritten = StatusCopied, lr.N(), n
}

// reason maps a rewrite error to a reason code.
func (o *objRun) reason(err error) scanner.Reason {
	var mal *malformedError
	var we *writeError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return scanner.ReasonTimeout
	case errors.Is(err, context.Canceled):
		return scanner.ReasonInterrupted
	case errors.Is(err, scanner.ErrTooLarge):
		return scanner.ReasonTooLarge
	case isLimit(err):
		return scanner.ReasonArchiveLimit
	case errors.As(err, &mal), scanner.IsCorrupt(err):
		return scanner.ReasonMalformed
	case errors.As(err, &we):
		return ReasonWriteError
	}
	return scanner.ReasonOf(err)
}

// errFor returns the error text of a failed object: ours as they are,
// others (libraries quote input) redacted.
func (o *objRun) errFor(err error) error {
	var mal *malformedError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("rewrite stopped after --object-timeout %s", o.w.cfg.ObjectTimeout)
	case errors.Is(err, scanner.ErrTooLarge):
		return fmt.Errorf("object is over --max-object-size %d", o.w.cfg.MaxObjectSize)
	case errors.As(err, &mal), isLimit(err):
		return err
	}
	return safe(err)
}

// safe returns err with its text redacted (scanner.SafeText).
func safe(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(scanner.SafeText(err.Error()))
}

func (o *objRun) addFormat(f string) { o.formats = append(o.formats, f) }

// rewrite detects the format of r and writes its de-identified form to w.
// name drives detection ties; depth counts enclosing containers; file, at
// the top level of a local object, gives random access without a copy.
// An unsupportedError is returned before anything is written to w.
func (o *objRun) rewrite(r io.Reader, name string, depth int, file *os.File, w io.Writer) error {
	br := bufio.NewReaderSize(r, scanner.SniffLen)
	head, err := br.Peek(scanner.SniffLen)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && len(head) == 0 {
		return err
	}
	f := scanner.DetectFormat(name, head)
	switch f {
	case scanner.FormatEmpty:
		o.addFormat(f)
		return nil
	case scanner.FormatGzip:
		return o.gunzip(br, name, depth, w)
	case scanner.FormatText:
		return o.text(br, head, name, depth, w)
	case scanner.FormatZip:
		return o.zip(br, file, name, depth, w)
	case scanner.FormatTar:
		return o.tar(br, depth, w)
	case scanner.FormatParquet:
		return o.parquet(br, file, w)
	case scanner.FormatAvro:
		return o.avro(br, w)
	}
	o.addFormat(f)
	return &unsupportedError{format: f}
}

// checkDepth refuses a container nested deeper than the limit.
func (o *objRun) checkDepth(depth int) error {
	if max := o.w.cfg.MaxArchiveDepth; depth >= max {
		return &limitError{msg: fmt.Sprintf("containers nested deeper than %d (--max-archive-depth)", max)}
	}
	return nil
}

// gunzip rewrites the decompressed stream (all members) and compresses
// the result again: gzip stays gzip, with the original header.
func (o *objRun) gunzip(br *bufio.Reader, name string, depth int, w io.Writer) error {
	o.addFormat(scanner.FormatGzip)
	if err := o.checkDepth(depth); err != nil {
		return err
	}
	cr := scanner.NewCountReader(br)
	zr, err := gzip.NewReader(cr)
	if err != nil {
		return &malformedError{format: scanner.FormatGzip, msg: "bad header", off: 0}
	}
	defer zr.Close()
	inner := strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".gzip")
	if strings.HasSuffix(strings.ToLower(name), ".tgz") {
		inner = strings.TrimSuffix(name, path.Ext(name)) + ".tar"
	}
	hdr := zr.Header
	if hdr.Name, err = o.memberName(nil, hdr.Name); err != nil { // gzip -N keeps the file's name
		return err
	}
	if hdr.Comment, err = o.metaText(hdr.Comment); err != nil {
		return err
	}
	lz := &lazyGzip{w: w, hdr: hdr}
	lim := scanner.LimitDecompression(zr, cr, o.w.cfg.MaxDecodedSize, o.w.cfg.MaxRatio)
	if err := o.rewrite(lim, inner, depth+1, nil, lz); err != nil {
		return err
	}
	return lz.Close()
}

// lazyGzip starts the gzip stream on the first write, so that an inner
// format found unsupported leaves nothing written.
type lazyGzip struct {
	w   io.Writer
	hdr gzip.Header
	zw  *gzip.Writer
}

func (l *lazyGzip) Write(p []byte) (int, error) {
	if l.zw == nil {
		l.zw = gzip.NewWriter(l.w)
		l.zw.Header = l.hdr
	}
	return l.zw.Write(p)
}

func (l *lazyGzip) Close() error {
	if l.zw == nil {
		if _, err := l.Write(nil); err != nil {
			return err
		}
	}
	return l.zw.Close()
}

// countWriter counts the bytes written and marks write errors as the
// destination's.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	m, err := c.w.Write(p)
	c.n += int64(m)
	if err != nil {
		return m, &writeError{err}
	}
	return m, nil
}

// membersErr says what became of the members not rewritten: left out,
// kept empty (parts of an Office document: office_opaque.go) or copied as
// they are.
func membersErr(r *Result) error {
	copied := 0
	for _, m := range r.Members {
		if m.Status == StatusCopied {
			copied++
		}
	}
	emptied := int(r.PartsEmptied)
	var what []string
	for _, c := range []struct {
		n    int
		text string
	}{{len(r.Members) - copied - emptied, "left out"}, {emptied, "kept empty"}, {copied, "copied as they are"}} {
		if c.n > 0 {
			what = append(what, fmt.Sprintf("%d %s", c.n, c.text))
		}
	}
	return fmt.Errorf("%d archive member(s) not rewritten: %s", len(r.Members), strings.Join(what, ", "))
}

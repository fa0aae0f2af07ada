package redact

import (
	"archive/zip"
	"fmt"
	"io"
	"maps"

	"github.com/piiscan/piiscan/scanner"
)

// Metafile pictures of an Office package (.emf, .wmf: the preview of an
// embedded spreadsheet or chart, a graphic pasted from a Windows program)
// keep the text they draw as characters (scanner.MetafileText), which the
// scanner reads. Their text runs are swept as side values are
// (ooxml_side.go), each on its own, and what the engine reports is masked
// in place: every character of a value becomes '*' (a UTF-16 '*' in a
// UTF-16 run, an ASCII '*' in an 8-bit one), so that no record's size,
// no per-character spacing array (offDx) and not the file's size change,
// and the picture still plays. The policy's operator cannot be honoured
// there (a replacement of another length would need every record after
// it rewritten, and the spacing array rebuilt), so these values are
// counted under the operator mask_in_place, not the policy's.
//
// A metafile that does not parse, or is larger than
// scanner.MaxMetafileSize, cannot be shown to hold no value: it is
// handled as an opaque part (office_opaque.go), its bytes dropped and
// listed. SVG pictures are XML and are swept as side parts (sweepPart).

// OpMaskInPlace is the operator the summary counts for values of
// metafile pictures masked in place, whatever the policy says.
const OpMaskInPlace = "mask_in_place"

// metafilePart copies a metafile with the values of its text masked.
func (o *objRun) metafilePart(f *zip.File, kind, media string, w io.Writer) error {
	if o.w.cfg.Decrypt || f.UncompressedSize64 == 0 {
		return o.copyPart(f, kind, w)
	}
	tooLarge := fmt.Sprintf("metafile over %d bytes, so its text cannot be read", scanner.MaxMetafileSize)
	if f.UncompressedSize64 > scanner.MaxMetafileSize {
		return o.dropPart(f, kind, media, tooLarge, w)
	}
	rc, err := o.openPart(f, kind)
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, scanner.MaxMetafileSize+1))
	if err != nil {
		return o.partError(kind, f.Name, err)
	}
	if len(data) > scanner.MaxMetafileSize {
		return o.dropPart(f, kind, media, tooLarge, w)
	}
	// Checked whole first, so that nothing is counted of one whose bytes
	// are then dropped.
	if err := scanner.MetafileText(data, func(scanner.MetafileRun) error { return nil }); err != nil {
		return o.dropPart(f, kind, media, "metafile that does not parse, so its text cannot be read", w)
	}
	if err := o.maskMetafile(data); err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// maskMetafile masks in place, in data, the values of the metafile's text
// runs.
func (o *objRun) maskMetafile(data []byte) error {
	s := &sideSweep{o: o}
	var text []byte
	var units []int
	return scanner.MetafileText(data, func(r scanner.MetafileRun) error {
		text, units = scanner.AppendRunText(text[:0], units[:0], data, r)
		var edits []edit
		err := o.inPlace(func() (err error) {
			edits, err = s.value(text, "")
			return err
		})
		if err != nil {
			return err
		}
		for _, e := range edits {
			if e.start >= e.end || e.start >= len(units) {
				continue
			}
			lo, hi := units[e.start], r.N
			if e.end < len(units) {
				hi = units[e.end]
			}
			for u := lo; u < hi; u++ {
				p := r.Off + u*r.Unit
				data[p] = '*'
				if r.Unit == 2 {
					data[p+1] = 0
				}
			}
		}
		return nil
	})
}

// inPlace runs fn, which hands values to the editor, and counts the
// values it replaced under OpMaskInPlace instead of the operator the
// policy chose: their replacement is not written. Nor are they
// redetectable or guarded: '*' is never an identifier.
func (o *objRun) inPlace(fn func() error) error {
	res := o.res
	before := maps.Clone(res.Values)
	redetectable := maps.Clone(res.Redetectable)
	guarded := res.Guarded
	err := fn()
	moved := map[Replacement]int64{}
	for k, n := range res.Values {
		if d := n - before[k]; d > 0 && k.Operator != OpMaskInPlace {
			moved[k] = d
		}
	}
	for k, d := range moved {
		if res.Values[k] -= d; res.Values[k] == 0 {
			delete(res.Values, k)
		}
		res.Values[Replacement{DataType: k.DataType, Operator: OpMaskInPlace}] += d
	}
	res.Redetectable, res.Guarded = redetectable, guarded
	return err
}

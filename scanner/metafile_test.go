package scanner_test

import (
	"encoding/binary"
	"errors"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// metafileTexts returns the text runs of a metafile as UTF-8.
func metafileTexts(b []byte) ([]string, error) {
	var out []string
	err := scanner.MetafileText(b, func(r scanner.MetafileRun) error {
		t, units := scanner.AppendRunText(nil, nil, b, r)
		if len(units) != len(t) {
			return errors.New("units do not match the text")
		}
		out = append(out, string(t))
		return nil
	})
	return out, err
}

// rec builds a record of type typ (32-bit type and size, EMF) with body.
func rec(typ uint32, body []byte) []byte {
	r := make([]byte, 8, 8+len(body))
	binary.LittleEndian.PutUint32(r, typ)
	binary.LittleEndian.PutUint32(r[4:], uint32(8+len(body)))
	return append(r, body...)
}

func utf16units(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// smallTextOut is an EMR_SMALLTEXTOUT without a rectangle.
func smallTextOut(s string, small bool) []byte {
	le := binary.LittleEndian
	body := make([]byte, 28)
	opts := uint32(0x100) // ETO_NO_RECT
	str := utf16units(s)
	n := len(str) / 2
	if small {
		opts |= 0x200
		str, n = []byte(s), len(s)
	}
	le.PutUint32(body[8:], uint32(n))
	le.PutUint32(body[12:], opts)
	body = append(body, str...)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	return rec(108, body)
}

// polyTextOut is an EMR_POLYTEXTOUTW of the strings.
func polyTextOut(strs ...string) []byte {
	le := binary.LittleEndian
	body := make([]byte, 32+40*len(strs)) // from the bounds on
	le.PutUint32(body[28:], uint32(len(strs)))
	for i, s := range strs {
		str := utf16units(s)
		t := body[32+40*i:]
		le.PutUint32(t[8:], uint32(len(str)/2))
		le.PutUint32(t[12:], uint32(8+len(body)))
		body = append(body, str...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	return rec(97, body)
}

// emfPlusString is an EMR_COMMENT holding an EmfPlusDrawString.
func emfPlusString(s string) []byte {
	le := binary.LittleEndian
	str := utf16units(s)
	for len(str)%4 != 0 {
		str = append(str, 0)
	}
	plus := make([]byte, 40)
	le.PutUint16(plus, 0x401C)
	le.PutUint32(plus[4:], uint32(40+len(str)))
	le.PutUint32(plus[8:], uint32(28+len(str)))
	le.PutUint32(plus[20:], uint32(len(utf16.Encode([]rune(s)))))
	plus = append(plus, str...)
	body := make([]byte, 8)
	le.PutUint32(body, uint32(4+len(plus)))
	le.PutUint32(body[4:], 0x2B464D45)
	return rec(70, append(body, plus...))
}

func TestMetafileText(t *testing.T) {
	t.Parallel()
	le := binary.LittleEndian
	emf := scannertest.EMF("电话 13812348000", "第二行")
	wmf := scannertest.WMF("Tel 13812348000", "x")
	// EMR_EXTTEXTOUTA: 8-bit characters at offString 76.
	a := make([]byte, 68)
	le.PutUint32(a[36:], 3)
	le.PutUint32(a[40:], 76)
	textOutA := scannertest.EMFRecords(rec(83, append(a, "abc\x00"...)))
	glyphs := scannertest.EMF("abc")
	le.PutUint32(glyphs[88+52:], 0x10) // ETO_GLYPH_INDEX
	placeable := append(append(make([]byte, 0, 22), 0xD7, 0xCD, 0xC6, 0x9A), make([]byte, 18)...)
	placeable = append(placeable, scannertest.WMF("placed")...)
	surrogate := scannertest.EMF("a😀b")
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"emf", emf, []string{"电话 13812348000", "第二行"}},
		{"emf without text", scannertest.EMF(), nil},
		{"emf 8-bit", textOutA, []string{"abc"}},
		{"glyph indexes are not text", glyphs, nil},
		{"small text out", scannertest.EMFRecords(smallTextOut("13812348000", false), smallTextOut("ab", true)), []string{"13812348000", "ab"}},
		{"poly text out", scannertest.EMFRecords(polyTextOut("13812348000", "第二")), []string{"13812348000", "第二"}},
		{"emf+ string", scannertest.EMFRecords(emfPlusString("电话 13812348000")), []string{"电话 13812348000"}},
		{"surrogate pair", surrogate, []string{"a😀b"}},
		{"wmf", wmf, []string{"Tel 13812348000", "x"}},
		{"wmf placeable", placeable, []string{"placed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := metafileTexts(tt.data)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMetafileTextHostile(t *testing.T) {
	t.Parallel()
	le := binary.LittleEndian
	emf := scannertest.EMF("13812348000")
	mod := func(b []byte, fn func([]byte)) []byte {
		c := append([]byte(nil), b...)
		fn(c)
		return c
	}
	wmf := scannertest.WMF("13812348000")
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"garbage", []byte("not a metafile at all, just text")},
		{"header only", emf[:88]},
		{"truncated record", emf[:len(emf)-30]},
		{"truncated header", emf[:60]},
		{"record size 0", mod(emf, func(b []byte) { le.PutUint32(b[92:], 0) })},
		{"record size not a multiple of 4", mod(emf, func(b []byte) { le.PutUint32(b[92:], 77) })},
		{"record size past the end", mod(emf, func(b []byte) { le.PutUint32(b[92:], 1<<31) })},
		{"string offset past the end", mod(emf, func(b []byte) { le.PutUint32(b[88+48:], 0xFFFFFFF0) })},
		{"string offset inside the fixed fields", mod(emf, func(b []byte) { le.PutUint32(b[88+48:], 8) })},
		{"huge count", mod(emf, func(b []byte) { le.PutUint32(b[88+44:], 0xFFFFFFFF) })},
		{"count past the record", mod(emf, func(b []byte) { le.PutUint32(b[88+44:], 40) })},
		{"short text record", scannertest.EMFRecords(rec(84, make([]byte, 20)))},
		{"small text out huge count", mod(scannertest.EMFRecords(smallTextOut("ab", false)), func(b []byte) { le.PutUint32(b[88+16:], 1<<30) })},
		{"poly text out huge count", mod(scannertest.EMFRecords(polyTextOut("ab")), func(b []byte) { le.PutUint32(b[88+36:], 0xFFFFFFFF) })},
		{"poly text out offset past the end", mod(scannertest.EMFRecords(polyTextOut("ab")), func(b []byte) { le.PutUint32(b[88+40+12:], 1<<30) })},
		{"poly text out offset inside its strings' array", mod(scannertest.EMFRecords(polyTextOut("ab")), func(b []byte) { le.PutUint32(b[88+40+12:], 40) })},
		{"emf+ record past its comment", mod(scannertest.EMFRecords(emfPlusString("ab")), func(b []byte) { le.PutUint32(b[88+16+4:], 4096) })},
		{"emf+ count past its record", mod(scannertest.EMFRecords(emfPlusString("ab")), func(b []byte) { le.PutUint32(b[88+16+20:], 1000) })},
		{"comment size past its record", mod(scannertest.EMFRecords(emfPlusString("ab")), func(b []byte) { le.PutUint32(b[88+8:], 1<<31) })},
		{"wmf record size 0", mod(wmf, func(b []byte) { le.PutUint32(b[18:], 0) })},
		{"wmf record past the end", mod(wmf, func(b []byte) { le.PutUint32(b[18:], 1<<30) })},
		{"wmf string past its record", mod(wmf, func(b []byte) { le.PutUint16(b[18+10:], 0xFFFF) })},
		{"wmf without end", wmf[:len(wmf)-6]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := metafileTexts(tt.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, scanner.ErrBadMetafile)
		})
	}
}

func FuzzMetafileText(f *testing.F) {
	f.Add(scannertest.EMF("电话 13812348000", "x"))
	f.Add(scannertest.WMF("Tel 13812348000"))
	f.Add(scannertest.EMFRecords(smallTextOut("13812348000", false), emfPlusString("ab"), polyTextOut("a", "b")))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		err := scanner.MetafileText(b, func(r scanner.MetafileRun) error {
			if r.Off < 0 || r.N <= 0 || r.Off+r.N*r.Unit > len(b) {
				t.Fatalf("run %+v outside %d bytes", r, len(b))
			}
			scanner.AppendRunText(nil, nil, b, r)
			n++
			return nil
		})
		if err != nil && !errors.Is(err, scanner.ErrBadMetafile) {
			t.Fatalf("error %v does not wrap ErrBadMetafile", err)
		}
		if n > len(b)/6+1 {
			t.Fatalf("%d runs from %d bytes", n, len(b))
		}
	})
}

// metafileMobile is a synthetic mobile number.
const metafileMobile = "13812348000"

func TestScanOfficeMediaText(t *testing.T) {
	t.Parallel()
	docx := must(corpus.DOCX([]string{"一份没有个人信息的报告"}))(t)
	svg := `<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2">电话 ` + metafileMobile + `</text></svg>`
	badEMF := scannertest.EMF("电话 " + metafileMobile)
	files := map[string][]byte{
		"emf.docx":     withMembers(t, docx, corpus.Member{Name: "word/media/image1.emf", Data: scannertest.EMF("客户", "电话 "+metafileMobile)}),
		"wmf.docx":     withMembers(t, docx, corpus.Member{Name: "word/media/image2.wmf", Data: scannertest.WMF("Tel " + metafileMobile)}),
		"svg.docx":     withMembers(t, docx, corpus.Member{Name: "word/media/image3.svg", Data: []byte(svg)}),
		"svgattr.docx": withMembers(t, docx, corpus.Member{Name: "word/media/image3.svg", Data: []byte(`<svg><g aria-label="电话 ` + metafileMobile + `"/></svg>`)}),
		"bad.docx":     withMembers(t, docx, corpus.Member{Name: "word/media/image1.emf", Data: badEMF[:len(badEMF)-20]}),
		"emptied.docx": withMembers(t, docx, corpus.Member{Name: "word/media/image1.emf"}),
		"thumb.docx":   withMembers(t, docx, corpus.Member{Name: "docProps/thumbnail.emf", Data: scannertest.EMF(metafileMobile)}),
		"clean.docx":   withMembers(t, docx, corpus.Member{Name: "word/media/image1.emf", Data: scannertest.EMF("无")}),
		"preview.xlsx": withMembers(t, must(corpus.XLSX([]corpus.Sheet{{Name: "表", Rows: [][]corpus.Cell{{{Text: "无"}}}}}))(t), corpus.Member{Name: "xl/media/image1.emf", Data: scannertest.EMF(metafileMobile)}),
	}
	sink := run(t, &scannertest.MemSource{Files: files}, scanner.Config{Workers: 2})
	require.Len(t, sink.Results, len(files))
	tests := []struct {
		name     string
		status   scanner.Status
		reason   scanner.Reason
		findings int
		part     string
	}{
		{"emf.docx", scanner.StatusComplete, "", 1, "word/media/image1.emf"},
		{"wmf.docx", scanner.StatusComplete, "", 1, "word/media/image2.wmf"},
		{"svg.docx", scanner.StatusComplete, "", 1, "word/media/image3.svg"},
		{"svgattr.docx", scanner.StatusComplete, "", 1, "word/media/image3.svg"},
		{"thumb.docx", scanner.StatusComplete, "", 1, "docProps/thumbnail.emf"},
		{"preview.xlsx", scanner.StatusComplete, "", 1, "xl/media/image1.emf"},
		{"clean.docx", scanner.StatusComplete, "", 0, ""},
		{"emptied.docx", scanner.StatusComplete, "", 0, ""},
		// Runs before the damage are still scanned; the picture is not read whole.
		{"bad.docx", scanner.StatusPartial, scanner.ReasonUnsupported, 1, "word/media/image1.emf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sink.ByName(tt.name)
			require.NotNil(t, r)
			assert.Equal(t, tt.status, r.Status, "error: %v", r.Err)
			assert.Equal(t, tt.reason, r.Reason, "error: %v", r.Err)
			require.Len(t, r.Findings, tt.findings)
			for _, f := range r.Findings {
				assert.Equal(t, "cn_mobile", f.DataType)
				require.NotNil(t, f.ContainerPath)
				assert.Equal(t, tt.part, *f.ContainerPath)
				assert.NotContains(t, f.MaskedValue, metafileMobile)
			}
			if r.Err != nil {
				assert.NotContains(t, r.Err.Error(), metafileMobile)
				assert.NotContains(t, r.Err.Error(), "image1", "part names are content: counted, not named")
			}
		})
	}
}

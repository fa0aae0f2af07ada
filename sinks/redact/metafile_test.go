package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// Metafile and SVG pictures keep their text, and the thumbnail is the
// first page as a picture (thumbnail.go): a copy holds none of their values, its
// metafiles keep their size and records, and it is still a package the
// scanner reads whole.

// mediaDocx is a Word document whose only values are in its pictures.
func mediaDocx(t testing.TB, extra map[string][]byte) []byte {
	doc := xmlDecl + `<w:document xmlns:w="` + nsW + `"><w:body><w:p><w:r><w:t>季度报告</w:t></w:r></w:p></w:body></w:document>`
	parts := map[string][]byte{
		"[Content_Types].xml": []byte(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="emf" ContentType="image/x-emf"/></Types>`),
		"word/document.xml": []byte(doc),
	}
	for k, v := range extra {
		parts[k] = v
	}
	return zipOf(t, parts)
}

// runTexts returns the text runs of a metafile.
func runTexts(t testing.TB, b []byte) []string {
	t.Helper()
	var out []string
	require.NoError(t, scanner.MetafileText(b, func(r scanner.MetafileRun) error {
		s, _ := scanner.AppendRunText(nil, nil, b, r)
		out = append(out, string(s))
		return nil
	}))
	return out
}

func TestRedactOfficeMediaText(t *testing.T) {
	t.Parallel()
	emf := scannertest.EMF("客户 张三", "电话 "+rawMobile+" 分机", "")
	wmf := scannertest.WMF("Tel " + rawMobile)
	svg := `<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2">电话 ` + rawMobile + `</text>` +
		`<g aria-label="手机 ` + rawMobile + `"/></svg>`
	badEMF := scannertest.EMF("电话 " + rawMobile)
	files := map[string][]byte{
		"a.docx": mediaDocx(t, map[string][]byte{
			"word/media/image1.emf":   emf,
			"word/media/image2.wmf":   wmf,
			"word/media/image3.svg":   []byte(svg),
			"docProps/thumbnail.jpeg": jpegImage(t, 1),
		}),
		"b.docx":   mediaDocx(t, map[string][]byte{"docProps/thumbnail.png": pngImage(t, "")}),
		"c.docx":   mediaDocx(t, map[string][]byte{"docProps/thumbnail.emf": scannertest.EMF(rawMobile)}),
		"bad.docx": mediaDocx(t, map[string][]byte{"word/media/image1.emf": badEMF[:len(badEMF)-20]}),
	}
	var logs bytes.Buffer
	cfg := Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	dst, tally := redactFiles(t, cfg, files)

	assert.Equal(t, map[string]int64{"rewritten": 3, "partial": 1}, tally.ByStatus, "%+v", tally.NotRewritten)
	assert.Equal(t, int64(3), tally.ThumbnailsBlanked)
	assert.Equal(t, int64(1), tally.PartsEmptied, "the metafile that does not parse")
	var rendered bytes.Buffer
	RenderText(&rendered, Summary{Counters: tally})
	assert.Contains(t, rendered.String(), "metafile pictures that do not parse", "the summary says what the emptied part was")
	assert.Equal(t, int64(2), tally.ByOperator[OpMaskInPlace], "the EMF and the WMF value: %v", tally.ByOperator)
	assert.Equal(t, int64(4), tally.Values, "two masked in place, two in the SVG: %v", tally.ByOperator)
	assert.Equal(t, int64(4), tally.ByDataType["cn_mobile"])

	out := readFile(t, dst, "a.docx")
	gotEMF := zipMember(t, out, "word/media/image1.emf")
	assert.False(t, holdsValue(gotEMF, rawMobile), "neither the ASCII nor the UTF-16LE form")
	require.Len(t, gotEMF, len(emf), "the same size")
	assert.Equal(t, []string{"客户 张三", "电话 *********** 分机"}, runTexts(t, gotEMF), "the other text unchanged")
	assert.Equal(t, scannertest.EMF("客户 张三", "电话 *********** 分机", ""), gotEMF,
		"the same records, spacing arrays and sizes: only the characters of the value changed")
	gotWMF := zipMember(t, out, "word/media/image2.wmf")
	assert.Equal(t, scannertest.WMF("Tel ***********"), gotWMF)

	gotSVG := zipMember(t, out, "word/media/image3.svg")
	assert.False(t, holdsValue(gotSVG, rawMobile))
	dec := xml.NewDecoder(bytes.NewReader(gotSVG))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "the SVG is still XML")
	}
	assert.Contains(t, string(gotSVG), `<text x="1" y="2">电话 `)

	for name, format := range map[string]string{"a.docx": "jpeg", "b.docx": "png"} {
		part := "docProps/thumbnail." + format
		img, got, err := image.Decode(bytes.NewReader(zipMember(t, readFile(t, dst, name), part)))
		require.NoError(t, err, name)
		assert.Equal(t, format, got)
		assert.Equal(t, image.Rect(0, 0, 1, 1), img.Bounds())
		r, g, b, _ := img.At(0, 0).RGBA()
		assert.Greater(t, min(r, g, b), uint32(0xF000), "white")
	}
	thumbEMF := zipMember(t, readFile(t, dst, "c.docx"), "docProps/thumbnail.emf")
	assert.Empty(t, runTexts(t, thumbEMF), "a metafile that draws nothing")
	assert.Equal(t, "emf", scanner.MetafileKind(thumbEMF))
	assert.Empty(t, zipMember(t, readFile(t, dst, "bad.docx"), "word/media/image1.emf"))
	var listed []Issue
	for _, i := range tally.NotRewritten {
		if i.Format == "emf" {
			listed = append(listed, i)
		}
	}
	require.Len(t, listed, 1)
	assert.Equal(t, "mem://bad.docx!word/media/image1.emf", listed[0].Object)
	assert.Contains(t, listed[0].Error, "metafile that does not parse")
	for name := range files {
		assert.Equal(t, zipMembers(t, files[name]), zipMembers(t, readFile(t, dst, name)), "every part kept: %s", name)
	}

	// Neither the log nor the summary holds the value.
	var text bytes.Buffer
	sum := Summary{Counters: tally}
	RenderText(&text, sum)
	js, err := MarshalSummary(sum)
	require.NoError(t, err)
	for name, b := range map[string][]byte{"log": logs.Bytes(), "text summary": text.Bytes(), "JSON summary": js} {
		assert.False(t, holdsValue(b, rawMobile), name)
	}
	assert.Contains(t, text.String(), "Thumbnails of Office documents (the first page as a picture) replaced by a blank one: 3")
	var back struct {
		Counters struct {
			Blanked    int64            `json:"thumbnails_blanked"`
			ByOperator map[string]int64 `json:"values_by_operator"`
		} `json:"counters"`
	}
	require.NoError(t, json.Unmarshal(js, &back))
	assert.Equal(t, int64(3), back.Counters.Blanked)
	assert.Equal(t, int64(2), back.Counters.ByOperator["mask_in_place"])

	// A rescan of the copies finds none of the values, and reads them whole.
	src, err := newDirSource(dst)
	require.NoError(t, err)
	sink := &scannertest.Sink{}
	_, err = scanner.Run(context.Background(), scanner.Config{ScanID: "rescan", Workers: 2}, src, engine(t), sink)
	require.NoError(t, err)
	require.Len(t, sink.Results, len(files))
	for _, r := range sink.Results {
		assert.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", r.Info.Key, r.Err)
		for _, f := range r.Findings {
			assert.NotEqual(t, fingerprint(rawMobile), f.Fingerprint, "an original value in %s", r.Info.Key)
		}
	}
}

// TestRedactMetafileMaskPositions: the characters masked are the value's,
// whatever precedes it (surrogate pairs in UTF-16, bytes over 0x7F in an
// 8-bit run, read one character each).
func TestRedactMetafileMaskPositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in, want []byte
	}{
		{"utf-16 surrogate pairs", scannertest.EMF("😀电话 " + rawMobile + " 😀"), scannertest.EMF("😀电话 *********** 😀")},
		{"8-bit bytes over 0x7f", scannertest.WMF("\xb5\xe7\xbb\xb0 " + rawMobile + " \xff"), scannertest.WMF("\xb5\xe7\xbb\xb0 *********** \xff")},
		{"two values in one run", scannertest.EMF(rawMobile + "/" + rawMobile), scannertest.EMF("***********/***********")},
	}
	files := map[string][]byte{}
	for i, tt := range tests {
		files[string(rune('a'+i))+".docx"] = mediaDocx(t, map[string][]byte{"word/media/image1.emf": tt.in})
	}
	dst, tally := redactFiles(t, Config{}, files)
	assert.Equal(t, int64(4), tally.ByOperator[OpMaskInPlace])
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := zipMember(t, readFile(t, dst, string(rune('a'+i))+".docx"), "word/media/image1.emf")
			assert.Equal(t, tt.want, got)
		})
	}
}

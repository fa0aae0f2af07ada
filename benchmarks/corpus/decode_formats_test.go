package corpus

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2/ocf"
	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"
)

// decodedFormat returns the text of a Parquet, Avro, archive or Office
// file: its values, member texts or paragraphs, one per line, so that the
// label checks see every labelled value between delimiters. ok is false
// for other files.
func decodedFormat(t *testing.T, rel string, data []byte) (string, bool) {
	t.Helper()
	switch path.Ext(rel) {
	case ".parquet":
		rows, err := parquet.Read[pqPatient](bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		var sb strings.Builder
		for _, r := range rows {
			for _, s := range []string{r.Name, r.IDNo, r.Mobile, r.Email, time.Unix(int64(r.BirthDate)*86400, 0).UTC().Format(time.DateOnly), r.Emergency.Name,
				r.Emergency.Phone, strings.Join(r.Tags, "\n"), strconv.FormatFloat(r.Lat, 'f', -1, 64),
				strconv.FormatFloat(r.Lng, 'f', -1, 64), r.Note} {
				sb.WriteString(s + "\n")
			}
		}
		return sb.String(), true
	case ".avro":
		dec, err := ocf.NewDecoder(bytes.NewReader(data))
		require.NoError(t, err)
		var sb strings.Builder
		for dec.HasNext() {
			var v any
			require.NoError(t, dec.Decode(&v))
			writeAny(&sb, v)
		}
		require.NoError(t, dec.Error())
		return sb.String(), true
	case ".zip", ".tgz":
		return archiveText(t, rel, data), true
	case ".xlsx", ".docx", ".pptx":
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		var sb strings.Builder
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, ".xml") && !strings.Contains(f.Name, "rels") {
				rc, err := f.Open()
				require.NoError(t, err)
				xmlText(t, rc, &sb)
				rc.Close()
			}
		}
		return sb.String(), true
	}
	return "", false
}

// writeAny writes the strings and numbers of an Avro value, one per line.
func writeAny(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			writeAny(sb, x[k])
		}
	case []any:
		for _, e := range x {
			writeAny(sb, e)
		}
	case nil:
	default:
		fmt.Fprintf(sb, "%v\n", x)
	}
}

// archiveText joins the texts of an archive's members (gunzipped when
// their name ends in .gz).
func archiveText(t *testing.T, rel string, data []byte) string {
	var sb strings.Builder
	add := func(name string, r io.Reader) {
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			require.NoError(t, err)
			b, err = io.ReadAll(zr)
			require.NoError(t, err)
		}
		sb.Write(b)
		sb.WriteString("\n")
	}
	if strings.HasSuffix(rel, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		for _, f := range zr.File {
			rc, err := f.Open()
			require.NoError(t, err)
			add(f.Name, rc)
			rc.Close()
		}
		return sb.String()
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return sb.String()
		}
		require.NoError(t, err)
		add(h.Name, tr)
	}
}

// xmlText writes the text of <t> and <v> elements, a line each, and ends
// a line at each paragraph.
func xmlText(t *testing.T, r io.Reader, sb *strings.Builder) {
	dec := xml.NewDecoder(r)
	in := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		require.NoError(t, err)
		switch x := tok.(type) {
		case xml.StartElement:
			if x.Name.Local == "t" || x.Name.Local == "v" {
				in++
			}
		case xml.EndElement:
			switch x.Name.Local {
			case "t", "v":
				in--
				sb.WriteString("\n")
			case "p":
				sb.WriteString("\n")
			}
		case xml.CharData:
			if in > 0 {
				sb.Write(x)
			}
		}
	}
}

package scanner_test

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// nameHit is a finding in a name: where it is and what it holds.
type nameHit struct {
	Type      string
	Off       int64
	Len       int32
	Container string
	Masked    string
}

func nameHits(t *testing.T, r *scanner.ObjectResult) []nameHit {
	var out []nameHit
	for _, f := range r.Findings {
		if f.Format != "name" {
			continue
		}
		h := nameHit{Type: f.DataType, Off: f.ByteOffset, Len: f.Length, Masked: f.MaskedValue}
		if f.ContainerPath != nil {
			h.Container = *f.ContainerPath
		}
		assert.True(t, f.Line == nil && f.Column == nil && f.Record == nil && f.Field == nil, "a name has no line, column, record or field")
		out = append(out, h)
	}
	return out
}

// TestNameFindings: values in object names are reported whatever becomes
// of the content (a picture is skipped, a folder holds the value, an
// object cannot be read), each value once, and the names of archive
// members too.
func TestNameFindings(t *testing.T) {
	t.Parallel()
	const mobile, id, email = "13812348000", "11010519491231002X", "zhang.san@example.com"
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	zipped, err := corpus.Zip([]corpus.Member{{Name: "users/" + mobile + ".json", Data: []byte(`{"ok":true}`)}})
	require.NoError(t, err)
	tgz, err := corpus.TarGz([]corpus.Member{{Name: "idcards/" + id + ".txt", Data: []byte("nothing\n")}})
	require.NoError(t, err)
	src := &scannertest.MemSource{
		Files: map[string][]byte{
			"avatars/" + mobile + ".png":       png,
			"exports/" + email + ".json":       []byte(`{"n":1}`),
			email + "/notes.txt":               []byte("nothing here\n"),
			"idcards/" + id + ".jpg":           png,
			"archive.zip":                      zipped,
			"archive.tgz":                      tgz,
			"reports/2026-11-16/part-0001.csv": []byte("a,b\n1,2\n"),
			"logs/20261124T195453Z-0542c5.log": []byte("ok\n"),
			mobile + " " + email + ".txt":      []byte("ok\n"),
		},
		Errors: map[string]error{"denied/" + mobile + ".csv": fs.ErrPermission},
	}
	sink := run(t, src, scanner.Config{Workers: 2})
	hits := func(name string) []nameHit {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		return nameHits(t, r)
	}

	pic := sink.ByName("avatars/" + mobile + ".png")
	assert.Equal(t, scanner.StatusSkipped, pic.Status, "a picture is not read")
	assert.Equal(t, []nameHit{{Type: "cn_mobile", Off: 8, Len: 11, Masked: "138****8000"}}, hits("avatars/"+mobile+".png"))
	assert.Equal(t, "S2", pic.TopLevel, "a name's finding counts in the object's level (--fail-on)")

	idHits := hits("idcards/" + id + ".jpg")
	require.Len(t, idHits, 1)
	assert.Equal(t, "cn_resident_id", idHits[0].Type)

	// The extension is not part of the address: .json is no top-level domain.
	assert.Equal(t, []nameHit{{Type: "email", Off: 8, Len: int32(len(email)), Masked: "z***@example.com"}}, hits("exports/"+email+".json"))
	assert.Equal(t, []nameHit{{Type: "email", Off: 0, Len: int32(len(email)), Masked: "z***@example.com"}}, hits(email+"/notes.txt"), "a folder's name")

	both := hits(mobile + " " + email + ".txt")
	require.Len(t, both, 2, "the number and the address, each once")
	assert.Equal(t, "cn_mobile", both[0].Type)
	assert.Equal(t, "email", both[1].Type)

	denied := sink.ByName("denied/" + mobile + ".csv")
	assert.Equal(t, scanner.StatusFailed, denied.Status)
	assert.Len(t, nameHits(t, denied), 1, "an object that cannot be read still has its name read")

	assert.Equal(t, []nameHit{{Type: "cn_mobile", Off: 6, Len: 11, Container: "users/" + mobile + ".json", Masked: "138****8000"}}, hits("archive.zip"))
	tarHits := hits("archive.tgz")
	require.Len(t, tarHits, 1)
	assert.Equal(t, "cn_resident_id", tarHits[0].Type)
	assert.Equal(t, "idcards/"+id+".txt", tarHits[0].Container)

	for _, plain := range []string{"reports/2026-11-16/part-0001.csv", "logs/20261124T195453Z-0542c5.log"} {
		assert.Empty(t, hits(plain), "dates, part numbers and run ids are no values: %s", plain)
	}
	for _, r := range sink.Results {
		for _, f := range r.Findings {
			for _, raw := range []string{mobile, id, email} {
				assert.NotContains(t, f.MaskedValue+f.Fingerprint+f.Evidence, raw, "no raw value in a finding")
			}
		}
	}
}

// TestGzipHeaderNameOnce: the file name a gzip header holds is most often
// the object's own name less .gz; its values are then reported once, as
// the object's name's, not again as the header's (field gzip.name).
func TestGzipHeaderNameOnce(t *testing.T) {
	t.Parallel()
	const mobile = "13812348000"
	gz := func(name string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Name = name
		_, err := zw.Write([]byte("a,b\n1,2\n"))
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		return b.Bytes()
	}
	src := &scannertest.MemSource{Files: map[string][]byte{
		"exports/" + mobile + ".csv.gz": gz(mobile + ".csv"),
		"exports/daily.csv.gz":          gz(mobile + ".csv"),
	}}
	sink := run(t, src, scanner.Config{Workers: 1})
	same := sink.ByName("exports/" + mobile + ".csv.gz")
	require.Len(t, same.Findings, 1, "the object's name only")
	assert.Nil(t, same.Findings[0].Field)
	other := sink.ByName("exports/daily.csv.gz")
	require.Len(t, other.Findings, 1, "the header's name, which the object's does not hold")
	require.NotNil(t, other.Findings[0].Field)
	assert.Equal(t, "gzip.name", *other.Findings[0].Field)
}

// TestNameFindingsFolders: a segment is read after the folders before it,
// its context, as a value is read after the words before it in a text. A
// negative label in a folder vetoes as in a text (an 18-digit order
// number that passes Luhn was a bank card under orders/), a keyword in a
// folder counts (hkid/, cards/, passport/), and shapes that number files
// as often as they hold a value need such a keyword: a camera's picture
// names (P1010038.JPG, a letter and seven digits, passes the HKID check
// one time in eleven) and a numeric id of one group of digits (a card
// number only under cards/). An address after a folder is still one
// (hosts/ is no User-Agent product).
func TestNameFindingsFolders(t *testing.T) {
	t.Parallel()
	const (
		order = "302407208146983505" // Luhn-valid, in a card range
		card  = "6222021234567894"
		photo = "P1010038" // passes the HKID check
		pp    = "E12345678"
	)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	src := &scannertest.MemSource{Files: map[string][]byte{
		"orders/" + order + ".json":            []byte(`{}`),
		"订单/" + order + ".json":                []byte(`{}`),
		"items/" + card + ".json":              []byte(`{}`),
		"DCIM/100_PANA/" + photo + ".JPG":      png,
		photo + ".JPG":                         png,
		"hkid/" + photo + ".jpg":               png,
		"cards/" + card + ".png":               png,
		"cards/6222 0212 3456 7894.png":        png,
		"scans/passport/" + pp + ".jpg":        png,
		"hosts/192.168.10.24.yaml":             []byte("a: 1\n"),
		"archive/" + photo + "/" + pp + ".txt": []byte("x\n"),
	}}
	sink := run(t, src, scanner.Config{Workers: 2})
	types := func(name string) []string {
		r := sink.ByName(name)
		require.NotNil(t, r, name)
		var out []string
		for _, h := range nameHits(t, r) {
			out = append(out, h.Type)
		}
		return out
	}
	for _, plain := range []string{"orders/" + order + ".json", "订单/" + order + ".json", "items/" + card + ".json", "DCIM/100_PANA/" + photo + ".JPG", photo + ".JPG", "archive/" + photo + "/" + pp + ".txt"} {
		assert.Empty(t, types(plain), plain)
	}
	assert.Equal(t, []string{"hk_id"}, types("hkid/"+photo+".jpg"))
	assert.Equal(t, []string{"bank_card"}, types("cards/"+card+".png"))
	assert.Equal(t, []string{"bank_card"}, types("cards/6222 0212 3456 7894.png"))
	assert.Equal(t, []string{"cn_passport"}, types("scans/passport/"+pp+".jpg"))
	hosts := sink.ByName("hosts/192.168.10.24.yaml")
	require.NotNil(t, hosts)
	assert.Equal(t, []nameHit{{Type: "ipv4", Off: 6, Len: 13, Masked: "192.168.*.*"}}, nameHits(t, hosts))
}

package redact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

// testHMAC keys fingerprints, so labels can be fingerprinted the same way.
const testHMAC = "piiscan-redact-test-hmac-key"

// testKey is the de-identification key material of the tests (32 bytes);
// testEnv serves it under the default variable and two others.
const testKey = "0123456789abcdef0123456789abcdef"

var testAsOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func testEnv(name string) (string, bool) {
	switch name {
	case deid.DefaultKeyEnv, "TEST_ENC_KEY", "TEST_SEED":
		return testKey, true
	case "TEST_HMAC":
		return testHMAC, true // the fingerprints' key: hash pseudonyms equal fingerprints
	}
	return "", false
}

// testEngine compiles the built-in rules once per test binary.
var testEngine = sync.OnceValues(func() (*classifiers.Engine, error) {
	b, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	rs, err := rules.Merge(b)
	if err != nil {
		return nil, err
	}
	return classifiers.Compile(rs, classifiers.Options{HMACKey: []byte(testHMAC), AsOf: testAsOf})
})

func engine(t testing.TB) *classifiers.Engine {
	t.Helper()
	e, err := testEngine()
	require.NoError(t, err)
	return e
}

func fingerprint(canon string) string {
	m := hmac.New(sha256.New, []byte(testHMAC))
	m.Write([]byte(canon))
	return hex.EncodeToString(m.Sum(nil))
}

// policy loads a policy from YAML with the test keys.
func policy(t testing.TB, yaml string) *deid.Policy {
	t.Helper()
	p, err := deid.LoadPolicyEnv(strings.NewReader(yaml), "test.yaml", testEnv)
	require.NoError(t, err)
	return p
}

// defaultPolicy is the built-in policy with the test key.
func defaultPolicy(t testing.TB) *deid.Policy {
	t.Helper()
	p, err := deid.DefaultPolicyEnv(testEnv)
	require.NoError(t, err)
	return p
}

// redactFiles redacts in-memory files into a fresh folder and returns it
// with the tally.
func redactFiles(t testing.TB, cfg Config, files map[string][]byte) (string, *Tally) {
	t.Helper()
	return redactSource(t, cfg, &scannertest.MemSource{Files: files})
}

func redactSource(t testing.TB, cfg Config, src scanner.Source) (string, *Tally) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "dst")
	if cfg.Policy == nil {
		cfg.Policy = defaultPolicy(t)
	}
	if cfg.Workers == 0 {
		cfg.Workers = 4
	}
	tally, _, err := Run(context.Background(), cfg, src, engine(t), &LocalDest{Root: dst})
	require.NoError(t, err)
	return dst, tally
}

// rescan scans a folder with the scanner and returns the findings.
func rescan(t testing.TB, dir string) []scanner.Finding {
	t.Helper()
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
	require.NoError(t, err)
	sink := &scannertest.Sink{}
	_, err = scanner.Run(context.Background(), scanner.Config{ScanID: "rescan", Workers: 4}, src, engine(t), sink)
	require.NoError(t, err)
	var fs []scanner.Finding
	for _, r := range sink.Results {
		fs = append(fs, r.Findings...)
	}
	return fs
}

// readFile reads a file of the destination.
// scanCounts scans files and counts the findings by data type, for the
// tests that check a copy replaces what the scan reports.
func scanCounts(t testing.TB, files map[string][]byte) map[string]int64 {
	t.Helper()
	sink := &scannertest.Sink{}
	_, err := scanner.Run(context.Background(), scanner.Config{ScanID: "counts", Workers: 2}, &scannertest.MemSource{Files: files}, engine(t), sink)
	require.NoError(t, err)
	found := map[string]int64{}
	for _, r := range sink.Results {
		for _, f := range r.Findings {
			found[f.DataType]++
		}
	}
	return found
}

func readFile(t testing.TB, dir, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	require.NoError(t, err)
	return b
}

// newDirSource lists a local folder.
func newDirSource(dir string) (scanner.Source, error) {
	return scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}})
}

// zipOf builds a zip of files, in name order.
func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(mapsKeys(files)) {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(files[name])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// tarOf builds a tar of files, in name order.
func tarOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range slices.Sorted(mapsKeys(files)) {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg}))
		_, err := tw.Write(files[name])
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

func mapsKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func zipReader(b []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(b), int64(len(b)))
}

func fsStat(dir, rel string) (os.FileInfo, error) {
	return os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
}

// avroFile is what an Avro copy keeps: schema, codec and record count.
type avroFile struct {
	Schema, Codec string
	Records       int
}

func avroShape(t testing.TB, b []byte) avroFile {
	t.Helper()
	recs, f := avroRecords(t, b)
	f.Records = len(recs)
	return f
}

// avroRecords decodes an Avro object container file with hamba/avro's
// own reader.
func avroRecords(t testing.TB, b []byte) ([]map[string]any, avroFile) {
	t.Helper()
	dec, err := ocf.NewDecoder(bytes.NewReader(b))
	require.NoError(t, err)
	var out []map[string]any
	for dec.HasNext() {
		var v map[string]any
		require.NoError(t, dec.Decode(&v))
		out = append(out, v)
	}
	require.NoError(t, dec.Error())
	md := dec.Metadata()
	return out, avroFile{Schema: string(md["avro.schema"]), Codec: string(md["avro.codec"])}
}

// avroText prints an Avro file's values, one record a line.
func avroText(t testing.TB, b []byte) string {
	recs, _ := avroRecords(t, b)
	var sb strings.Builder
	for _, r := range recs {
		fmt.Fprintln(&sb, r)
	}
	return sb.String()
}

// xmlWalk calls fn with every token of every XML member of a zip, and
// fails on a member that does not parse.
func xmlWalk(t testing.TB, b []byte, fn func(member string, tok xml.Token)) {
	t.Helper()
	zr, err := zipReader(b)
	require.NoError(t, err)
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		dec := xml.NewDecoder(rc)
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, "%s is valid XML", f.Name)
			fn(f.Name, tok)
		}
		rc.Close()
	}
}

// zipText returns the text nodes and attribute values of an Office
// package's XML members, one a line.
func zipText(t testing.TB, b []byte) string {
	var sb strings.Builder
	xmlWalk(t, b, func(_ string, tok xml.Token) {
		switch tk := tok.(type) {
		case xml.CharData:
			sb.Write(tk)
			sb.WriteByte('\n')
		case xml.StartElement:
			for _, a := range tk.Attr {
				sb.WriteString(a.Value + "\n")
			}
		}
	})
	return sb.String()
}

// xlsxShape lists, per worksheet part, each row's number and cell
// references.
func xlsxShape(t testing.TB, b []byte) map[string][]string {
	out := map[string][]string{}
	xmlWalk(t, b, func(m string, tok xml.Token) {
		se, ok := tok.(xml.StartElement)
		if !ok || !strings.HasPrefix(m, "xl/worksheets/") {
			return
		}
		for _, a := range se.Attr {
			switch {
			case se.Name.Local == "row" && a.Name.Local == "r":
				out[m] = append(out[m], "row "+a.Value)
			case se.Name.Local == "c" && a.Name.Local == "r":
				out[m] = append(out[m], a.Value)
			}
		}
	})
	return out
}

// paragraphs counts the paragraphs (w:p, a:p) of each XML member.
func paragraphs(t testing.TB, b []byte) map[string]int {
	out := map[string]int{}
	xmlWalk(t, b, func(m string, tok xml.Token) {
		if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "p" {
			out[m]++
		}
	})
	return out
}

package scanner_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamba/avro/v2/ocf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/rules"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/scanner/scannertest"
)

var updateFixtures = flag.Bool("update-fixtures", false, "rewrite testdata/formats")

const fixtureDir = "../testdata/formats"

// fixtures builds the committed format fixtures: small, synthetic (IDs
// with valid check characters made by residentIDs), the seeds of the fuzz
// targets below.
func fixtures(t testing.TB) map[string][]byte {
	t.Helper()
	text, rows, _ := sampleCSV(4)
	var paras []string
	for _, r := range rows {
		paras = append(paras, strings.Join(r, ","))
	}
	member := []corpus.Member{{Name: "exports/table.csv", Data: []byte(text)}}
	pq := parquetOf(t, patients(6), 3)
	return map[string][]byte{
		"table.zip":         must(corpus.Zip(member))(t),
		"table.tar.gz":      must(corpus.TarGz(member))(t),
		"table.xlsx":        xlsxOf(t, "Sheet1", rows),
		"letter.docx":       must(corpus.DOCX(paras))(t),
		"deck.pptx":         must(corpus.PPTX([][]string{paras}))(t),
		"patients.parquet":  pq,
		"users.avro":        avroOf(t, 4, ocf.Deflate),
		"truncated.parquet": pq[:len(pq)*2/3],
		"notes.xlsx":        []byte("this is text, not a workbook\n"),
	}
}

// TestFixtures scans the committed fixtures from disk and checks their
// results; -update-fixtures rewrites them from fixtures().
func TestFixtures(t *testing.T) {
	want := fixtures(t)
	if *updateFixtures {
		require.NoError(t, os.MkdirAll(fixtureDir, 0o755))
		for name, data := range want {
			require.NoError(t, os.WriteFile(filepath.Join(fixtureDir, name), data, 0o644))
		}
	}
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{fixtureDir}})
	require.NoError(t, err)
	sink := run(t, src, scanner.Config{Workers: 2})
	require.Len(t, sink.Results, len(want))
	for _, r := range sink.Results {
		name := filepath.Base(r.Info.Name)
		switch name {
		case "truncated.parquet", "notes.xlsx":
			assert.Equal(t, scanner.ReasonMalformed, r.Reason, name)
		default:
			assert.Equal(t, scanner.StatusComplete, r.Status, "%s: %v", name, r.Err)
			assert.NotEmpty(t, fingerprints(r, "cn_resident_id"), name)
		}
	}
}

// fuzzSeeds are the fixtures on disk (and a few in-memory shapes).
func fuzzSeeds(f *testing.F, exts ...string) {
	names, _ := filepath.Glob(filepath.Join(fixtureDir, "*"))
	sort.Strings(names)
	for _, n := range names {
		for _, e := range exts {
			if strings.HasSuffix(n, e) {
				data, err := os.ReadFile(n)
				require.NoError(f, err)
				f.Add(data)
			}
		}
	}
	f.Add([]byte{})
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("PAR1PAR1"))
	f.Add([]byte("Obj\x01"))
}

// fuzzEngine is compiled once for all fuzz inputs (it is safe for
// concurrent use).
var fuzzEngine = sync.OnceValue(func() *classifiers.Engine {
	b, err := rules.Builtin()
	if err != nil {
		panic(err)
	}
	rs, err := rules.Merge(b)
	if err != nil {
		panic(err)
	}
	e, err := classifiers.Compile(rs, classifiers.Options{HMACKey: []byte("k"), AsOf: asOf})
	if err != nil {
		panic(err)
	}
	return e
})

// fuzzScan scans one input under small limits: it must not panic (a panic
// is a failed/internal_error result) and its output stays bounded.
func fuzzScan(t *testing.T, name string, data []byte) {
	cfg := scanner.Config{ScanID: "fuzz", Workers: 1, ObjectTimeout: 10 * time.Second, MaxObjectSize: 4 << 20,
		MaxDecodedSize: 16 << 20, MaxMembers: 64, MaxArchiveDepth: 4}
	sink := &scannertest.Sink{}
	// A hang is a bug too: crash with every stack, so the fuzzer keeps the input.
	watchdog := time.AfterFunc(20*time.Second, func() {
		buf := make([]byte, 1<<20)
		panic("fuzz input hangs:\n" + string(buf[:runtime.Stack(buf, true)]))
	})
	defer watchdog.Stop()
	_, err := scanner.Run(context.Background(), cfg, &scannertest.MemSource{Files: map[string][]byte{name: data}}, fuzzEngine(), sink)
	require.NoError(t, err)
	require.Len(t, sink.Results, 1)
	r := sink.Results[0]
	require.NotEqual(t, scanner.ReasonInternal, r.Reason, "decoder panic: %v", r.Err)
	require.LessOrEqual(t, r.BytesScanned, cfg.MaxDecodedSize+int64(len(data)))
	require.LessOrEqual(t, int64(len(r.Findings)), r.BytesScanned+1)
}

func FuzzZip(f *testing.F) {
	fuzzSeeds(f, ".zip", ".xlsx", ".docx", ".pptx")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.zip", data) })
}

func FuzzTar(f *testing.F) {
	fuzzSeeds(f, ".tar.gz")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.tgz", data) })
}

func FuzzXLSX(f *testing.F) {
	fuzzSeeds(f, ".xlsx")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.xlsx", data) })
}

func FuzzOOXMLText(f *testing.F) {
	fuzzSeeds(f, ".docx", ".pptx")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.docx", data) })
}

func FuzzParquet(f *testing.F) {
	fuzzSeeds(f, ".parquet")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.parquet", data) })
}

func FuzzAvro(f *testing.F) {
	fuzzSeeds(f, ".avro")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.avro", data) })
}

package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
)

// testKey keys fingerprints in these tests, so labels can be fingerprinted
// the same way.
const testKey = "piiscan-e2e-test-key"

var testAsOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	// run() reads the key from the environment, like the real command.
	os.Setenv("PIISCAN_HMAC_KEY", testKey)
	code := m.Run()
	removeShared()
	os.Exit(code)
}

// removeShared removes the labelled corpus and its scan output, which
// several tests share, so that no test's own cleanup can remove them.
func removeShared() {
	shared.Lock()
	defer shared.Unlock()
	for _, dir := range shared.dirs {
		_ = os.RemoveAll(dir)
	}
}

// shared lists the temporary directories made once per test binary.
var shared struct {
	sync.Mutex
	dirs []string
}

func addShared(dir string) {
	shared.Lock()
	shared.dirs = append(shared.dirs, dir)
	shared.Unlock()
}

// cliResult is one in-process run of the command.
type cliResult struct {
	code   int
	stdout string
	stderr string
	out    string
}

// runCLI runs piiscan with args in-process and captures its output.
func runCLI(t testing.TB, stdin string, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// scanDir scans dir into a fresh output directory.
func scanDir(t testing.TB, dir string, extra ...string) cliResult {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := append([]string{"scan", dir, "--out", out, "--as-of", testAsOf.Format(time.DateOnly), "--scan-id", "e2e"}, extra...)
	r := runCLI(t, "", args...)
	r.out = out
	return r
}

// readTable reads every Parquet file of one table of a dataset.
func readTable[T any](t testing.TB, out, table string) []T {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, table, "dt=*", "*.parquet"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no %s parquet files under %s", table, out)
	var rows []T
	for _, f := range files {
		rs, err := parquet.ReadFile[T](f)
		require.NoError(t, err)
		rows = append(rows, rs...)
	}
	return rows
}

func fingerprintBytes(canon []byte) string {
	m := hmac.New(sha256.New, []byte(testKey))
	m.Write(canon)
	return hex.EncodeToString(m.Sum(nil))
}

// labelKey is a label's scoring key: the object, the data type and the
// fingerprint of the canonical value (its bytes, for biometric types).
func labelKey(m *corpus.Manifest, l corpus.Label) key {
	return key{"file://" + filepath.ToSlash(filepath.Join(m.Root, l.Path)), l.DataType, fingerprintBytes(l.CanonicalBytes())}
}

// labelledCorpus is generated once per test binary: several tests read it.
var labelledCorpus = sync.OnceValues(func() (*corpus.Manifest, error) {
	dir, err := os.MkdirTemp("", "piiscan-e2e-corpus-")
	if err != nil {
		return nil, err
	}
	addShared(dir)
	return corpus.Generate(dir, corpus.Options{Seed: 1, AsOf: testAsOf})
})

// corpusScan is the scan of the labelled corpus, shared by the tests that
// only read its outputs.
var corpusScan = sync.OnceValues(func() (cliResult, error) {
	m, err := labelledCorpus()
	if err != nil {
		return cliResult{}, err
	}
	out, err := os.MkdirTemp("", "piiscan-e2e-out-")
	if err != nil {
		return cliResult{}, err
	}
	addShared(out)
	var stdout, stderr bytes.Buffer
	code := run([]string{"scan", m.Root, "--out", out, "--as-of", testAsOf.Format(time.DateOnly), "--scan-id", "e2e-corpus", "--log-level", "debug"},
		strings.NewReader(""), &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String(), out: out}, nil
})

// key identifies a finding or a label for scoring: (object, data_type,
// fingerprint), as the acceptance test matches them.
type key struct{ object, dataType, fp string }

// score is precision and recall for one data type.
type score struct {
	tp, fp, fn int
}

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func (s score) add(o score) score { return score{s.tp + o.tp, s.fp + o.fp, s.fn + o.fn} }

func (s score) f1() float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// scoreFindings compares findings with labels per data type.
func scoreFindings(m *corpus.Manifest, fs []scanner.Finding) (map[string]*score, []key, []key) {
	want := map[key]bool{}
	for _, l := range m.Labels {
		want[labelKey(m, l)] = true
	}
	// Score the types the corpus labels (every built-in type); findings of
	// other types (user rules) are checked elsewhere (PII-free files must
	// have none at all).
	labelled := map[string]bool{}
	for _, t := range corpus.DataTypes {
		labelled[t] = true
	}
	got := map[key]bool{}
	for _, f := range fs {
		if labelled[f.DataType] {
			got[key{f.Object, f.DataType, f.Fingerprint}] = true
		}
	}
	scores := map[string]*score{}
	sc := func(t string) *score {
		if scores[t] == nil {
			scores[t] = &score{}
		}
		return scores[t]
	}
	var falsePos, falseNeg []key
	for k := range got {
		if want[k] {
			sc(k.dataType).tp++
		} else {
			sc(k.dataType).fp++
			falsePos = append(falsePos, k)
		}
	}
	for k := range want {
		if !got[k] {
			sc(k.dataType).fn++
			falseNeg = append(falseNeg, k)
		}
	}
	byKey := func(ks []key) {
		sort.Slice(ks, func(i, j int) bool {
			if ks[i].object != ks[j].object {
				return ks[i].object < ks[j].object
			}
			return ks[i].dataType < ks[j].dataType
		})
	}
	byKey(falsePos)
	byKey(falseNeg)
	return scores, falsePos, falseNeg
}

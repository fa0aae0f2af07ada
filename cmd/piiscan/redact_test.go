package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks/redact"
)

// redactKey is the de-identification key of these tests (never a real one).
const redactKey = "piiscan-redact-cli-test-key-0123456789"

// redactFP fingerprints like the scanner with the tests' HMAC key.
func redactFP(canon []byte) string {
	m := hmac.New(sha256.New, []byte(testKey))
	m.Write(canon)
	return hex.EncodeToString(m.Sum(nil))
}

// readRedactSummary reads a redact run's JSON summary.
func readRedactSummary(t *testing.T, p string) redact.Summary {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	var s redact.Summary
	require.NoError(t, json.Unmarshal(b, &s))
	return s
}

// TestRedactCLICorpus runs `piiscan redact` on the unseen labelled corpus,
// then `piiscan scan` on the copy: the same files (Avro and Office
// documents rewritten too), nothing at S3 or S4, none of the original
// values, and no raw value in the summary, the log or stdout.
func TestRedactCLICorpus(t *testing.T) {
	t.Setenv("PIISCAN_REDACT_KEY", redactKey)
	// A seed no rule or policy was tuned on.
	m, err := corpus.Generate(t.TempDir(), corpus.Options{Seed: 7, AsOf: testAsOf})
	require.NoError(t, err)
	dst := filepath.Join(t.TempDir(), "copy")
	res := runCLI(t, "", "redact", m.Root, "--to", dst, "--as-of", testAsOf.Format(time.DateOnly), "--log-level", "debug", "--run-id", "cli")
	require.Equal(t, exitOK, res.code, "stderr:\n%s", res.stderr)
	sumPath := dst + summarySuffix
	sum := readRedactSummary(t, sumPath)
	c := sum.Counters
	assert.Equal(t, int64(len(m.Files)), c.Listed)
	assert.Equal(t, c.Listed, c.Written+c.NotWritten)
	assert.Equal(t, map[string]int64{"rewritten": c.Listed}, c.ByStatus)
	assert.Empty(t, c.ByReason)
	assert.Positive(t, c.Values)
	assert.Empty(t, sum.RandomKeys)
	assert.Contains(t, res.stderr, "Values replaced:")
	assert.Contains(t, res.stderr, "Summary: "+sumPath)

	var copied []string
	require.NoError(t, filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			copied = append(copied, filepath.ToSlash(rel))
		}
		return err
	}))
	slices.Sort(copied)
	assert.Equal(t, m.Files, copied)

	scan := scanDir(t, dst)
	require.Equal(t, exitOK, scan.code, scan.stderr)
	labels := map[string]string{}
	for _, l := range m.Labels {
		labels[redactFP(l.CanonicalBytes())] = l.DataType
	}
	findings := readTable[scanner.Finding](t, scan.out, "findings")
	for _, f := range findings {
		assert.NotContains(t, []string{"S3", "S4"}, f.Sensitivity, "%s %s %s", f.Object, f.DataType, f.MaskedValue)
		assert.NotContains(t, labels, f.Fingerprint, "an original %s value in %s", f.DataType, f.Object)
	}
	t.Logf("copy rescanned: %d findings, none at S3/S4; %d labels checked", len(findings), len(m.Labels))

	summary, err := os.ReadFile(sumPath)
	require.NoError(t, err)
	assertNoRawValue(t, m, res.stderr, res.stdout, string(summary))
}

// assertNoRawValue fails when a label's written or canonical value is in
// one of the haystacks (indexed by 6-byte prefix, as TestE2ENoRawValue).
func assertNoRawValue(t *testing.T, m *corpus.Manifest, haystacks ...string) {
	t.Helper()
	all := strings.Join(haystacks, "\n")
	byPrefix := map[string][]string{}
	for _, l := range m.Labels {
		for _, v := range []string{l.Written, l.Canonical} {
			if len(v) >= 6 {
				byPrefix[v[:6]] = append(byPrefix[v[:6]], v)
			}
		}
	}
	for i := 0; i+6 <= len(all); i++ {
		for _, v := range byPrefix[all[i:i+6]] {
			if strings.HasPrefix(all[i:], v) {
				t.Errorf("a raw value (%d bytes) is in the outputs at offset %d", len(v), i)
			}
		}
	}
}

// writeTree writes files under a new folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	return dir
}

const (
	cliID     = "440104195101058590"
	cliMobile = "13812348000"
)

// TestRedactCLIEncryptDecrypt encrypts with a policy file and decrypts
// the copy with --decrypt: the files come back byte for byte.
func TestRedactCLIEncryptDecrypt(t *testing.T) {
	t.Setenv("TEST_REDACT_ENC", redactKey)
	files := map[string]string{
		"logs/a.log":  "id " + cliID + " 手机：" + cliMobile + "\n",
		"csv/c.csv":   "id_no,mobile\n" + cliID + "," + cliMobile + "\n",
		"j/e.jsonl":   `{"id_no":"` + cliID + `","mobile":"` + cliMobile + `"}` + "\n",
		"plain/x.txt": "nothing personal\n",
	}
	src := writeTree(t, files)
	pol := filepath.Join(t.TempDir(), "policy.yaml")
	require.NoError(t, os.WriteFile(pol, []byte("version: 1\ndefault: {operator: encrypt, algorithm: sm4-gcm-siv, key_env: TEST_REDACT_ENC}\n"), 0o644))
	enc := filepath.Join(t.TempDir(), "enc")
	res := runCLI(t, "", "redact", src, "--to", enc, "--policy", pol)
	require.Equal(t, exitOK, res.code, res.stderr)
	b, err := os.ReadFile(filepath.Join(enc, "csv", "c.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "enc:v1:sm4-gcm-siv:")
	assert.NotContains(t, string(b), cliID)

	back := filepath.Join(t.TempDir(), "back")
	res = runCLI(t, "", "redact", enc, "--to", back, "--policy", pol, "--decrypt", "--summary", filepath.Join(t.TempDir(), "s.json"))
	require.Equal(t, exitOK, res.code, res.stderr)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(back, filepath.FromSlash(name)))
		require.NoError(t, err)
		assert.Equal(t, want, string(got), name)
	}
	assert.NotContains(t, res.stderr, cliID, "decrypted values are not logged")
}

// TestRedactCLIUnsupportedAndSingleFile: unsupported objects are listed
// and copied only with --copy-unsupported; a single file goes to a file.
func TestRedactCLIUnsupportedAndSingleFile(t *testing.T) {
	pdf := "%PDF-1.4\n" + cliMobile + "\n%%EOF\n"
	src := writeTree(t, map[string]string{"doc.pdf": pdf, "a.txt": "手机：" + cliMobile + "\n"})
	for _, copyUnsupported := range []bool{false, true} {
		dst := filepath.Join(t.TempDir(), "out")
		args := []string{"redact", src, "--to", dst}
		if copyUnsupported {
			args = append(args, "--copy-unsupported")
		}
		res := runCLI(t, "", args...)
		require.Equal(t, exitOK, res.code, res.stderr)
		sum := readRedactSummary(t, dst+summarySuffix)
		require.Len(t, sum.Counters.NotRewritten, 1)
		i := sum.Counters.NotRewritten[0]
		assert.Equal(t, "unsupported_format", i.Reason)
		assert.True(t, strings.HasSuffix(i.Object, "/doc.pdf"), i.Object)
		got, err := os.ReadFile(filepath.Join(dst, "doc.pdf"))
		if copyUnsupported {
			assert.Equal(t, redact.StatusCopied, i.Status)
			assert.Equal(t, pdf, string(got))
		} else {
			assert.Equal(t, redact.StatusSkipped, i.Status)
			assert.ErrorIs(t, err, os.ErrNotExist)
			assert.Contains(t, res.stderr, "--copy-unsupported")
		}
	}
	out := filepath.Join(t.TempDir(), "safe.txt")
	res := runCLI(t, "", "redact", filepath.Join(src, "a.txt"), "--to", out)
	require.Equal(t, exitOK, res.code, res.stderr)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "手机：138****8000\n", string(got))
	assert.FileExists(t, out+summarySuffix)
}

// TestRedactCLIExitCodes: usage errors (2) before anything is read, and 3
// when some objects failed.
func TestRedactCLIExitCodes(t *testing.T) {
	src := writeTree(t, map[string]string{"a.txt": "手机：" + cliMobile + "\n", "b/bad.gz": "\x1f\x8b\x08\x00garbage"})
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(src, link))
	badPolicy := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(badPolicy, []byte("version: 1\ntypes:\n  cn_mobile: {operator: mask, keep_frist: 3}\n"), 0o644))
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no destination", []string{"redact", src}, exitUsage, "--to DST is required"},
		{"no source", []string{"redact", "--to", "x"}, exitUsage, "want one SRC"},
		{"missing source", []string{"redact", filepath.Join(src, "nope"), "--to", t.TempDir()}, exitUsage, "nope"},
		{"destination inside source", []string{"redact", src, "--to", filepath.Join(src, "copy")}, exitUsage, "overlap"},
		{"destination inside source, name starting with ..", []string{"redact", src, "--to", filepath.Join(src, "..copy")}, exitUsage, "overlap"},
		{"source inside destination", []string{"redact", filepath.Join(src, "b"), "--to", src}, exitUsage, "overlap"},
		{"destination a link to the source", []string{"redact", src, "--to", link}, exitUsage, "overlap"},
		{"destination inside a link to the source", []string{"redact", src, "--to", filepath.Join(link, "new", "copy")}, exitUsage, "overlap"},
		{"file onto itself", []string{"redact", filepath.Join(src, "a.txt"), "--to", filepath.Join(src, "a.txt")}, exitUsage, "would replace SRC"},
		{"file into its own folder", []string{"redact", filepath.Join(src, "a.txt"), "--to", src + "/"}, exitUsage, "would replace SRC"},
		{"file into its folder through a link", []string{"redact", filepath.Join(src, "a.txt"), "--to", link}, exitUsage, "would replace SRC"},
		{"stdin", []string{"redact", "-", "--to", t.TempDir()}, exitUsage, "stdin is not supported"},
		{"bad policy", []string{"redact", src, "--to", t.TempDir(), "--policy", badPolicy}, exitUsage, `bad.yaml: types.cn_mobile (line 3): unknown option "keep_frist"`},
		{"bucket root without summary", []string{"redact", src, "--to", "oss://bucket-x"}, exitUsage, ""},
		{"a failed object", []string{"redact", src, "--to", filepath.Join(t.TempDir(), "o")}, exitFailedObjs, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, "", tt.args...)
			assert.Equal(t, tt.code, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.err)
		})
	}
	res := runCLI(t, "", "redact", "--print-default-policy")
	assert.Equal(t, exitOK, res.code)
	assert.True(t, bytes.HasPrefix([]byte(res.stdout), []byte("# piiscan's default de-identification policy")))
}

// TestRedactCLIOSS copies a prefix of one bucket to another through
// osslocal and writes the summary beside the destination prefix.
func TestRedactCLIOSS(t *testing.T) {
	e := newOSSEnv(t, []string{"raw", "safe"}, nil)
	e.write(t, "raw", "exports/2026/a.csv", "mobile\n"+cliMobile+"\n")
	e.write(t, "raw", "exports/b.txt", "身份证号："+cliID+"\n")
	res := runCLI(t, "", "redact", "oss://raw/exports/", "--to", "oss://safe/copy", "--endpoint", e.url)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, []string{"copy.piiscan-redact.json", "copy/2026/a.csv", "copy/b.txt"}, e.keys(t, "safe", ""))
	b, err := os.ReadFile(e.download(t, "safe", "copy/2026/a.csv"))
	require.NoError(t, err)
	assert.Equal(t, "mobile\n138****8000\n", string(b))
	b, err = os.ReadFile(e.download(t, "safe", "copy/b.txt"))
	require.NoError(t, err)
	assert.NotContains(t, string(b), cliID)

	// Copies that would be listed while written, or replace source
	// objects, are refused before anything is read.
	for _, c := range [][2]string{
		{"oss://raw/exports/", "oss://raw/exports"},
		{"oss://raw/exports/", "oss://raw/exports/2026/"},
		{"oss://raw/exports/", "oss://raw/"},
		{"oss://raw/exports", "oss://raw/exports-copy/"}, // listed: every key starting "exports"
	} {
		res := runCLI(t, "", "redact", c[0], "--to", c[1], "--endpoint", e.url)
		assert.Equal(t, exitUsage, res.code, "%s --to %s: %s", c[0], c[1], res.stderr)
		assert.Contains(t, res.stderr, "overlap", c[1])
	}
	assert.Equal(t, []string{"exports/2026/a.csv", "exports/b.txt"}, e.keys(t, "raw", ""))
	// A destination bucket that does not exist is found before anything
	// is read (a HEAD answers 404 for it as for a missing key).
	res = runCLI(t, "", "redact", "oss://raw/exports/", "--to", "oss://nosuchbucket/copy/", "--endpoint", e.url)
	assert.Equal(t, exitUsage, res.code, res.stderr)
	assert.Contains(t, res.stderr, "NoSuchBucket")
	assert.NotContains(t, res.stderr, "redact started")

	// A single local file goes to the key it is given, as to a local file.
	one := writeTree(t, map[string]string{"a.txt": "手机：" + cliMobile + "\n"})
	res = runCLI(t, "", "redact", filepath.Join(one, "a.txt"), "--to", "oss://safe/single/one.txt", "--endpoint", e.url)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, []string{"single/one.txt", "single/one.txt.piiscan-redact.json"}, e.keys(t, "safe", "single/"))
	b, err = os.ReadFile(e.download(t, "safe", "single/one.txt"))
	require.NoError(t, err)
	assert.Equal(t, "手机：138****8000\n", string(b))

	// And back to a local folder.
	dst := filepath.Join(t.TempDir(), "local")
	res = runCLI(t, "", "redact", "oss://safe/copy/", "--to", dst, "--endpoint", e.url)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.FileExists(t, filepath.Join(dst, "2026", "a.csv"))
}

// TestRedactCLILimits: redact takes the scanner's archive limits (the
// same flags, the same defaults), and an object over one is listed with
// reason archive_limit rather than written.
func TestRedactCLILimits(t *testing.T) {
	z, err := corpus.Zip([]corpus.Member{{Name: "a.txt", Data: []byte("手机：" + cliMobile + "\n")}, {Name: "b.txt", Data: []byte("ok\n")}})
	require.NoError(t, err)
	src := writeTree(t, map[string]string{"two.zip": string(z)})
	dst := filepath.Join(t.TempDir(), "out")
	res := runCLI(t, "", "redact", src, "--to", dst, "--max-members", "1")
	assert.Equal(t, exitFailedObjs, res.code, res.stderr)
	sum := readRedactSummary(t, dst+summarySuffix)
	require.Len(t, sum.Counters.NotRewritten, 1)
	assert.Equal(t, "archive_limit", sum.Counters.NotRewritten[0].Reason)
	assert.NoFileExists(t, filepath.Join(dst, "two.zip"))

	res = runCLI(t, "", "redact", src, "--to", t.TempDir()+"/x", "--max-decoded-size", "lots")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "--max-decoded-size")

	// The defaults are the scanner's.
	var l limitFlags
	l.register(pflag.NewFlagSet("t", pflag.ContinueOnError), "testing")
	got, err := l.resolve()
	require.NoError(t, err)
	assert.Equal(t, objectLimits{maxObjectSize: scanner.DefaultMaxObjectSize, maxDecodedSize: scanner.DefaultMaxDecodedSize,
		maxRatio: scanner.DefaultMaxRatio, maxMembers: scanner.DefaultMaxMembers, maxDepth: scanner.DefaultMaxArchiveDepth,
		objectTimeout: scanner.DefaultObjectTimeout}, got)
}

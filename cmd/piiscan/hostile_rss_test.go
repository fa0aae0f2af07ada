package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/benchmarks/corpus"
	"github.com/piiscan/piiscan/scanner"
)

// hostileFile writes one file of the hostile folder.
type hostileFile struct {
	name  string
	write func(w io.Writer) error
	// want is the status/reason of its row ("" when any is fine).
	want string
}

func repeatTo(w io.Writer, s string, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for range n {
		if _, err := bw.WriteString(s); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func gzipTo(w io.Writer, body func(io.Writer) error) error {
	zw := gzip.NewWriter(w)
	if err := body(zw); err != nil {
		return err
	}
	return zw.Close()
}

func bytesOf(t *testing.T, write func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, write(&b))
	return b.Bytes()
}

// hostileFiles are the hostile inputs that the other hostile
// tests (scanner/hostile*_test.go, TestHostileFolder) do not cover at
// full size, or not through the binary.
func hostileFiles(t *testing.T) []hostileFile {
	const id = "440104195101058590"
	line := " " + id + " " + strings.Repeat("x", 1<<20-len(id)-2)
	text := bytesOf(t, func(w io.Writer) error { return repeatTo(w, "row "+id+" 13812348000\n", 20_000) })
	gz := bytesOf(t, func(w io.Writer) error {
		return gzipTo(w, func(z io.Writer) error { _, err := z.Write(text); return err })
	})
	corrupt := bytes.Clone(gz)
	for i := len(corrupt) / 3; i < len(corrupt)/3+64; i++ {
		corrupt[i] ^= 0x5a
	}
	inner, err := corpus.Zip([]corpus.Member{{Name: "a.txt", Data: []byte("id " + id)}})
	require.NoError(t, err)
	for range 12 {
		inner, err = corpus.Zip([]corpus.Member{{Name: "inner.zip", Data: inner}})
		require.NoError(t, err)
	}
	pq := bytesOf(t, func(w io.Writer) error {
		type row struct{ ID, Phone string }
		rows := make([]row, 5000)
		for i := range rows {
			rows[i] = row{id, "13812348000"}
		}
		return parquet.Write(w, rows)
	})
	// A gzip stream may hold many members, all decoded: 64 copies of one
	// member of 1 MiB of text are 64 MiB, over --max-decoded-size, from
	// 64 KiB, and cheap to make.
	member := bytesOf(t, func(w io.Writer) error {
		return gzipTo(w, func(z io.Writer) error { return repeatTo(z, strings.Repeat("a", 1024), 1024) })
	})
	bomb := bytes.Repeat(member, 64)
	zipBomb, err := corpus.Zip([]corpus.Member{{Name: "logs/app.log.gz", Data: bomb}})
	require.NoError(t, err)
	random := make([]byte, 16<<20)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(random)
	data := func(b []byte) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(b); return err }
	}
	return []hostileFile{
		{"deep-array.json", func(w io.Writer) error {
			return repeatTo(w, "[", 100_000)
		}, "partial/malformed"},
		{"deep-object.json", func(w io.Writer) error {
			if err := repeatTo(w, `{"a":`, 100_000); err != nil {
				return err
			}
			return repeatTo(w, "}", 100_000)
		}, ""},
		{"one-line-100MB.txt", func(w io.Writer) error { return repeatTo(w, line, 100) }, "complete"},
		{"random.bin", data(random), "skipped/unsupported_format"},
		{"random.txt", data(random[:4<<20]), ""},
		{"latin1.txt", data([]byte("Caf\xe9 r\xe9sum\xe9 \xabclient\xbb " + id + " na\xefve\n")), "complete"},
		{"truncated.log.gz", data(gz[:len(gz)/2]), "partial/malformed"},
		{"corrupt.log.gz", data(corrupt), ""},
		{"gzip-bomb.gz", data(bomb), "partial/archive_limit"},
		{"zip-bomb.zip", data(zipBomb), "partial/archive_limit"},
		{"nested.zip", data(inner), "partial/archive_limit"},
		{"truncated.zip", data(inner[:len(inner)/2]), ""},
		{"truncated.parquet", data(pq[:len(pq)/2]), "partial/malformed"},
		{"unterminated.csv", func(w io.Writer) error {
			if _, err := io.WriteString(w, "id,note\n1,\""+id+" "); err != nil {
				return err
			}
			return repeatTo(w, strings.Repeat("never closed, ", 4096), 1024) // 56 MB
		}, "partial/malformed"},
		{"wide.csv", func(w io.Writer) error {
			if err := repeatTo(w, strings.Repeat("c,", 1000), 300); err != nil {
				return err
			}
			_, err := io.WriteString(w, "\n"+id+"\n")
			return err
		}, ""},
		{"empty.txt", data(nil), "skipped/empty"},
		{"unreadable.txt", data([]byte("id " + id)), "failed/permission_denied"},
	}
}

// TestHostileFolderRSS scans a folder of hostile files with the built
// binary: one objects row per file, exit 0 or 3, and a peak resident set
// under 1 GiB (getrusage of the child). The unreadable file is mode 000;
// as root, which reads any file, the binary runs as nobody instead (the
// folder and the output directory are open to every user).
func TestHostileFolderRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200 MB and builds the binary")
	}
	bin := buildBinary(t)
	dir, out := openDir(t), openDir(t)
	files := hostileFiles(t)
	for _, f := range files {
		fh, err := os.Create(filepath.Join(dir, f.name))
		require.NoError(t, err)
		require.NoError(t, f.write(fh), f.name)
		require.NoError(t, fh.Close())
		require.NoError(t, os.Chmod(fh.Name(), 0o644))
	}
	require.NoError(t, os.Chmod(filepath.Join(dir, "unreadable.txt"), 0))

	cmd := exec.Command(bin, "scan", dir, "--out", out, "--scan-id", "hostile", "--workers", "4",
		"--max-decoded-size", "16MiB", "--object-timeout", "2m", "--quiet")
	cmd.Env = append(os.Environ(), "PIISCAN_HMAC_KEY="+testKey)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if cmd.ProcessState == nil && cmd.SysProcAttr != nil {
		t.Skipf("cannot start the binary as nobody (no CAP_SETUID?): %v", err)
	}
	require.NotNil(t, cmd.ProcessState, "%v", err)
	code := cmd.ProcessState.ExitCode()
	require.Contains(t, []int{exitOK, exitFailedObjs}, code, "err %v\n%s", err, tail(stderr.String(), 3000))
	rss := (&proc{cmd: cmd}).maxRSS()
	t.Logf("%d hostile files in %v, exit %d, peak RSS %d MiB", len(files), took.Round(time.Millisecond), code, rss>>20)
	assert.Less(t, rss, int64(1<<30), "peak RSS under 1 GiB")

	rows := map[string][]scanner.ObjectRow{}
	for _, r := range readTable[scanner.ObjectRow](t, out, "objects") {
		rows[filepath.Base(r.Object)] = append(rows[filepath.Base(r.Object)], r)
	}
	assert.Len(t, rows, len(files))
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			require.Len(t, rows[f.name], 1, "one objects row")
			r := rows[f.name][0]
			got := strings.TrimSuffix(r.Status+"/"+r.Reason, "/")
			if f.want != "" {
				assert.Equal(t, f.want, got, r.Error)
			}
			if r.Status != "complete" {
				assert.NotEmpty(t, r.Reason, "a row that is not complete says why")
			}
			assert.NotContains(t, r.Error, "440104195101058590", "no content in error texts")
		})
	}
}

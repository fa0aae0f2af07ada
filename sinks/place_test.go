package sinks

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// withRenameHooks makes renameNoReplace see rename (renameat2) and link
// answer as given (nil: the real call) for the rest of the test, and
// counts the calls of each. Tests using it must not be parallel.
func withRenameHooks(t *testing.T, rename, link error) (renames, links *int) {
	t.Helper()
	renames, links = new(int), new(int)
	oldRename, oldLink := sysRenameNoReplace, sysLink
	t.Cleanup(func() { sysRenameNoReplace, sysLink = oldRename, oldLink })
	sysRenameNoReplace = func(o, n string) error {
		*renames++
		if rename != nil {
			return &os.LinkError{Op: "renameat2", Old: o, New: n, Err: rename}
		}
		return oldRename(o, n)
	}
	sysLink = func(o, n string) error {
		*links++
		if link != nil {
			return &os.LinkError{Op: "link", Old: o, New: n, Err: link}
		}
		return oldLink(o, n)
	}
	return renames, links
}

// placeTwice places a file under a free name, then another one under the
// same name: the first is placed and its temporary name gone; the second
// is an *ExistsError and both files keep their bytes.
func placeTwice(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	final := filepath.Join(dir, "f.parquet")
	first, second := filepath.Join(dir, ".a.tmp"), filepath.Join(dir, ".b.tmp")
	require.NoError(t, os.WriteFile(first, []byte("first run"), 0o644))
	require.NoError(t, os.WriteFile(second, []byte("second run"), 0o644))

	pl := NewPlacer()
	require.NoError(t, pl.Place(first, final))
	assert.NoFileExists(t, first)

	err := NewPlacer().Place(second, final)
	var ee *ExistsError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, final, ee.URI)
	assert.Equal(t, final+" already exists, written by another writer", err.Error())
	b, err := os.ReadFile(final)
	require.NoError(t, err)
	assert.Equal(t, "first run", string(b), "the first file is not replaced")
	b, err = os.ReadFile(second)
	require.NoError(t, err)
	assert.Equal(t, "second run", string(b), "the refused file is left to its writer")
}

// TestPlaceNoReplace covers each way renameNoReplace places a file: the
// system's no-replace rename; where it answers that it has none (ENOSYS,
// EINVAL from a file system that refuses the flag; ErrUnsupported outside
// Linux), a hard link; where the file system has no hard links either
// (EPERM on vfat, ENOTSUP), the checked plain rename.
func TestPlaceNoReplace(t *testing.T) {
	for _, tt := range []struct {
		name         string
		rename, link error
		links        int // calls of link for the two placements
	}{
		{"renameat2", nil, nil, 0},
		{"kernel without renameat2: link", syscall.ENOSYS, nil, 2},
		{"file system refusing the flag: link", syscall.EINVAL, nil, 2},
		{"no renameat2 (other OS): link", errors.ErrUnsupported, nil, 2},
		{"no hard links (vfat): rename", syscall.EINVAL, syscall.EPERM, 2},
		{"no hard links (ENOTSUP): rename", errors.ErrUnsupported, syscall.ENOTSUP, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rename == nil && runtime.GOOS != "linux" {
				t.Skip("renameat2 is Linux's")
			}
			renames, links := withRenameHooks(t, tt.rename, tt.link)
			placeTwice(t)
			assert.Equal(t, 2, *renames)
			assert.Equal(t, tt.links, *links)
		})
	}
}

// TestPlaceOtherErrors: an error of renameat2 that does not say the flag
// is unsupported is returned as it is, without a fallback that could
// replace the file (a missing temporary file, a missing directory).
func TestPlaceOtherErrors(t *testing.T) {
	_, links := withRenameHooks(t, syscall.EXDEV, nil)
	dir := t.TempDir()
	tmp := filepath.Join(dir, ".a.tmp")
	require.NoError(t, os.WriteFile(tmp, []byte("x"), 0o644))
	err := NewPlacer().Place(tmp, filepath.Join(dir, "f"))
	assert.ErrorIs(t, err, syscall.EXDEV)
	assert.False(t, errors.As(err, new(*ExistsError)))
	assert.Zero(t, *links)
	assert.FileExists(t, tmp)
}

// TestPlacerRemoveOwnOnly: Remove deletes a file the Placer placed, and
// leaves a name it never placed, and a name it placed that holds another
// writer's file now (replaced by a plain rename, as a writer on a file
// system without no-replace renames may): ownership is the file, not the
// name.
func TestPlacerRemoveOwnOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
		return p
	}
	pl := NewPlacer()
	own, replaced, foreign := filepath.Join(dir, "own"), filepath.Join(dir, "replaced"), write("foreign", "other run")
	require.NoError(t, pl.Place(write(".own.tmp", "this run"), own))
	require.NoError(t, pl.Place(write(".replaced.tmp", "this run"), replaced))
	require.NoError(t, os.Rename(write(".other.tmp", "other run"), replaced))

	for _, p := range []string{own, replaced, foreign, filepath.Join(dir, "missing")} {
		require.NoError(t, pl.Remove(p))
	}
	assert.NoFileExists(t, own)
	for _, p := range []string{replaced, foreign} {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.Equal(t, "other run", string(b), p)
	}
}

// TestParquetCloseNameTaken: another writer's file appears under the
// findings (or objects) name while the sink runs. Close returns an
// *ExistsError naming it, leaves it as it was, places nothing after it
// (an objects file beside another run's findings file would mix two runs)
// and leaves no temporary file. The findings file placed before a taken
// objects name is the sink's, and its Placer takes it back. Before, Close
// renamed both files over the other writer's.
func TestParquetCloseNameTaken(t *testing.T) {
	t.Parallel()
	for _, table := range []string{"findings", "objects"} {
		t.Run(table, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t.TempDir())
			cfg.Placer = NewPlacer()
			p, err := NewParquet(cfg)
			require.NoError(t, err)
			for _, r := range sampleResults() {
				require.NoError(t, p.WriteObject(t.Context(), r))
			}
			findings, objects := p.Paths()
			taken := map[string]string{"findings": findings, "objects": objects}[table]
			require.NoError(t, os.WriteFile(taken, []byte("other run"), 0o644))

			err = p.Close()
			var ee *ExistsError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, taken, ee.URI)
			b, rerr := os.ReadFile(taken)
			require.NoError(t, rerr)
			assert.Equal(t, "other run", string(b))
			hidden, gerr := filepath.Glob(filepath.Join(cfg.Root, "*", "dt=*", ".*"))
			require.NoError(t, gerr)
			assert.Empty(t, hidden, "no temporary file is left")
			if table == "findings" {
				assert.NoFileExists(t, objects, "nothing is placed after a taken name")
				return
			}
			assert.Len(t, readRows[scanner.Finding](t, findings), 4, "the findings file was placed before")
			require.NoError(t, cfg.Placer.Remove(findings))
			require.NoError(t, cfg.Placer.Remove(objects))
			assert.NoFileExists(t, findings)
			assert.FileExists(t, objects, "the other writer's file stays")
		})
	}
}

// TestPlaceSummary: a summary is placed without replacing another run's
// (an *ExistsError), or replaced when asked to (a retry continuing its
// scan id).
func TestPlaceSummary(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	s := Summary{ScanID: "scan-1", Counters: NewTally()}
	path, err := WriteSummary(root, s)
	require.NoError(t, err)
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	s.Interrupted = true
	pl := NewPlacer()
	_, err = PlaceSummary(t.Context(), root, s, nil, pl.Place)
	require.ErrorAs(t, err, new(*ExistsError))
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the other run's summary is not replaced")
	left, err := filepath.Glob(filepath.Join(root, "scans", ".*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file is left")

	_, err = PlaceSummary(t.Context(), root, s, nil, pl.Replace)
	require.NoError(t, err)
	after, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(after), `"interrupted": true`)
	require.NoError(t, pl.Remove(path))
	assert.NoFileExists(t, path, "a replaced file is the Placer's")
}

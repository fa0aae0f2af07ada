package scanner_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/piiscan/piiscan/scanner"
)

// walkNames lists root with links followed and returns the listed names
// (sorted) and what was logged.
func walkNames(t *testing.T, root string) ([]string, string) {
	t.Helper()
	var log bytes.Buffer
	names := namesOf(walk(t, scanner.LocalConfig{Roots: []string{root}, FollowSymlinks: true,
		Logger: slog.New(slog.NewTextHandler(&log, nil))}))
	sort.Strings(names)
	return names, log.String()
}

// walk lists cfg's roots and returns what was listed, in order; a walk
// that does not end fails the test.
func walk(t *testing.T, cfg scanner.LocalConfig) []scanner.ObjectInfo {
	t.Helper()
	src, err := scanner.NewLocalSource(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var listed []scanner.ObjectInfo
	require.NoError(t, src.Walk(ctx, func(o scanner.ObjectInfo) error {
		listed = append(listed, o)
		if len(listed) > 1000 {
			t.Fatalf("the walk does not end: %v ...", namesOf(listed[:20]))
		}
		return nil
	}))
	return listed
}

func namesOf(listed []scanner.ObjectInfo) []string {
	var names []string
	for _, o := range listed {
		names = append(names, o.Name)
	}
	return names
}

// keysBelow returns the listed objects' keys relative to dir.
func keysBelow(dir string, listed []scanner.ObjectInfo) []string {
	var keys []string
	for _, o := range listed {
		keys = append(keys, strings.TrimPrefix(o.Key, "file://"+filepath.ToSlash(dir)+"/"))
	}
	return keys
}

func writeFile(t *testing.T, p string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte("x\n"), 0o644))
}

// A link cycle used to recurse until the stack overflowed (a fatal error,
// no outputs). Every cycle is now cut where a link leads back into the
// folders the walk came through, with a warning, and the files are listed.
func TestLocalWalkLinkCycles(t *testing.T) {
	t.Run("link to its own folder", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "a.txt"))
		require.NoError(t, os.Symlink(dir, filepath.Join(dir, "self")))
		names, log := walkNames(t, dir)
		assert.Equal(t, []string{"a.txt"}, names)
		assert.Contains(t, log, "leads back into a folder being walked")
		assert.Contains(t, log, filepath.Join(dir, "self"))
	})
	t.Run("link to a folder above the root", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "top.txt"))
		writeFile(t, filepath.Join(dir, "sub", "b.txt"))
		require.NoError(t, os.Symlink("..", filepath.Join(dir, "sub", "up")))
		names, log := walkNames(t, filepath.Join(dir, "sub"))
		assert.Equal(t, []string{"b.txt"}, names)
		assert.Contains(t, log, "leads back")
	})
	t.Run("two folders linking to each other", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "x", "x.txt"))
		writeFile(t, filepath.Join(dir, "y", "y.txt"))
		require.NoError(t, os.Symlink(filepath.Join(dir, "y"), filepath.Join(dir, "x", "toy")))
		require.NoError(t, os.Symlink(filepath.Join(dir, "x"), filepath.Join(dir, "y", "tox")))
		names, log := walkNames(t, dir)
		// Each folder is also reached once through the other's link: a
		// link that does not close a circle is followed.
		assert.Equal(t, []string{"x/toy/y.txt", "x/x.txt", "y/tox/x.txt", "y/y.txt"}, names)
		assert.Equal(t, 2, strings.Count(log, "leads back"), log)
	})
	t.Run("link to a sibling folder is followed", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "data", "d.txt"))
		writeFile(t, filepath.Join(dir, "root", "r.txt"))
		require.NoError(t, os.Symlink(filepath.Join(dir, "data"), filepath.Join(dir, "root", "data")))
		names, log := walkNames(t, filepath.Join(dir, "root"))
		assert.Equal(t, []string{"data/d.txt", "r.txt"}, names)
		assert.Empty(t, log)
	})
	t.Run("dangling link", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "a.txt"))
		require.NoError(t, os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "broken")))
		names, log := walkNames(t, dir)
		assert.Equal(t, []string{"a.txt"}, names)
		assert.Contains(t, log, "link not followed")
		assert.Contains(t, log, filepath.Join(dir, "broken"))
	})
}

// Skip leaves out the scan's own outputs: a folder (matched by identity,
// so a relative path or a link to it counts) and a file, even one made
// after the walk began.
func TestLocalWalkSkip(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "a.txt"))
	writeFile(t, filepath.Join(dir, "out", "findings", "x.parquet"))
	writeFile(t, filepath.Join(dir, "state.json"))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "zz"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(dir, "out"), filepath.Join(dir, "out-link")))
	t.Chdir(dir)

	var log bytes.Buffer
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}, FollowSymlinks: true,
		Skip:   []string{"out", filepath.Join(dir, "state.json"), filepath.Join(dir, "zz", "later.json")},
		Logger: slog.New(slog.NewTextHandler(&log, nil))})
	require.NoError(t, err)
	var names []string
	require.NoError(t, src.Walk(context.Background(), func(o scanner.ObjectInfo) error {
		if o.Name == "data/a.txt" {
			writeFile(t, filepath.Join(dir, "zz", "later.json")) // made during the walk
		}
		names = append(names, o.Name)
		return nil
	}))
	assert.Equal(t, []string{"data/a.txt"}, names)
	assert.Equal(t, 4, strings.Count(log.String(), "it is the scan's own output"), log.String()) // out, out-link, state.json, zz/later.json

	// The output folder named through a link is still the output folder,
	// under its own name too.
	log.Reset()
	src, err = scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dir}, FollowSymlinks: true,
		Skip: []string{"out-link"}, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	require.NoError(t, err)
	names = nil
	require.NoError(t, src.Walk(context.Background(), func(o scanner.ObjectInfo) error {
		names = append(names, o.Name)
		return nil
	}))
	assert.NotContains(t, strings.Join(names, " "), "x.parquet", "out and out-link are both the output")

	// An explicit root is scanned even when it is the output folder.
	names = namesOf(walk(t, scanner.LocalConfig{Roots: []string{filepath.Join(dir, "out")}, Skip: []string{"out"}}))
	assert.Equal(t, []string{"findings/x.parquet"}, names)
}

// Roots inside other roots are listed once, under the outer one; a
// folder given twice is walked once.
func TestLocalWalkOverlappingRoots(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a", "x.txt"))
	writeFile(t, filepath.Join(dir, "a", "sub", "y.txt"))
	writeFile(t, filepath.Join(dir, "b.txt"))
	roots := []string{filepath.Join(dir, "a", "sub"), dir, filepath.Join(dir, "a", "x.txt"), dir, filepath.Join(dir, "b.txt")}
	keys := keysBelow(dir, walk(t, scanner.LocalConfig{Roots: roots}))
	assert.ElementsMatch(t, []string{"a/sub/y.txt", "a/x.txt", "b.txt"}, keys, "each object once")

	// A link root covers what is below it: a file given through it is
	// listed once.
	require.NoError(t, os.Symlink(filepath.Join(dir, "a"), filepath.Join(dir, "link")))
	keys = keysBelow(dir, walk(t, scanner.LocalConfig{Roots: []string{filepath.Join(dir, "link"), filepath.Join(dir, "link", "x.txt")}}))
	assert.ElementsMatch(t, []string{"link/sub/y.txt", "link/x.txt"}, keys)

	// Stdin given twice is read once: two readers would split it.
	listed := walk(t, scanner.LocalConfig{Roots: []string{"-", filepath.Join(dir, "b.txt"), "-"}, Stdin: strings.NewReader("")})
	assert.Equal(t, []string{"-", "b.txt"}, namesOf(listed))
}

// PruneDir keeps the walk out of a folder whose files are all left out;
// it is asked with the folder's path below the top root, also for a
// folder reached through a link.
func TestLocalWalkPruneDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "keep", "a.txt"))
	writeFile(t, filepath.Join(dir, "keep", "cache", "c.txt"))
	writeFile(t, filepath.Join(dir, "cache", "d.txt"))
	writeFile(t, filepath.Join(dir, "other", "cache", "e.txt"))
	require.NoError(t, os.Symlink(filepath.Join(dir, "other"), filepath.Join(dir, "keep", "linked")))
	var asked []string
	names := namesOf(walk(t, scanner.LocalConfig{Roots: []string{filepath.Join(dir, "keep")}, FollowSymlinks: true,
		PruneDir: func(rel string) bool {
			asked = append(asked, rel)
			return strings.HasSuffix(rel, "cache")
		}}))
	assert.Equal(t, []string{"a.txt"}, names)
	assert.ElementsMatch(t, []string{"cache", "linked", "linked/cache"}, asked)
}

// A target that is a link is followed, as grep -r and find -H follow
// the links named on their command line: a CI job given a linked fixtures
// folder scanned nothing and passed. Links below it are still followed
// only with FollowSymlinks; a target link that leads nowhere is an error
// naming it.
func TestLocalWalkLinkTarget(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "a.txt"))
	writeFile(t, filepath.Join(dir, "other", "b.txt"))
	require.NoError(t, os.Symlink(filepath.Join(dir, "other"), filepath.Join(dir, "data", "inner")))
	link := filepath.Join(dir, "fixtures")
	require.NoError(t, os.Symlink(filepath.Join(dir, "data"), link))
	fileLink := filepath.Join(dir, "b-link.txt")
	require.NoError(t, os.Symlink(filepath.Join(dir, "other", "b.txt"), fileLink))
	listed := walk(t, scanner.LocalConfig{Roots: []string{link, fileLink}})
	assert.Equal(t, []string{"a.txt", "b-link.txt"}, namesOf(listed), "the link below the target is not followed")
	for _, o := range listed {
		assert.True(t, strings.HasPrefix(o.Path, dir), o.Path)
	}

	listed = walk(t, scanner.LocalConfig{Roots: []string{link}, FollowSymlinks: true})
	assert.Equal(t, []string{"a.txt", "inner/b.txt"}, namesOf(listed))

	dangling := filepath.Join(dir, "gone")
	require.NoError(t, os.Symlink(filepath.Join(dir, "nowhere"), dangling))
	src, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{dangling}})
	require.NoError(t, err)
	err = src.Walk(context.Background(), func(scanner.ObjectInfo) error { return nil })
	require.Error(t, err)
	assert.Contains(t, err.Error(), dangling)
}

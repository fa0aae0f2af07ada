package sinks

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/parquet-go/parquet-go"

	"github.com/piiscan/piiscan/scanner"
)

// Table directories under the output root (DESIGN.md section 3).
const (
	findingsTable = "findings"
	objectsTable  = "objects"
	scansDir      = "scans"
)

// tempName is the name a file has while it is written. The leading dot
// hides it from the `**/*.parquet` globs of DuckDB and Spark and from
// Hive-style listers, and the .tmp suffix keeps it from matching
// `*.parquet` even for tools that list dot files.
func tempName(name string) string { return "." + name + ".tmp" }

// partFile is one Parquet file of the dataset while it is being written.
// Rows go to a temporary file beside the final one, which is renamed into
// place only after the footer is on disk: a reader never sees a half file.
type partFile[T any] struct {
	rel   string // slash-separated path under the root
	final string
	tmp   string
	f     *os.File
	buf   *bufio.Writer
	w     *parquet.GenericWriter[T]
	rows  int64
}

// finisher is the part of partFile that Close needs, independent of T.
type finisher interface {
	finish() error
	place(pl *Placer) error
	drop() error
	discard() error
	paths() (local, rel string)
	numRows() int64
}

var _ finisher = (*partFile[scanner.Finding])(nil)

// createPart creates the partition directory and the temporary file of
// ROOT/TABLE/dt=DT/NAME. It refuses to start when NAME already exists,
// because scan ids are unique per run and overwriting a finished file of
// another run would silently lose its findings.
func createPart[T any](root, table, dt, name string, opts ...parquet.WriterOption) (*partFile[T], error) {
	part := "dt=" + dt
	dir := filepath.Join(root, table, part)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create partition %s: %w", dir, err)
	}
	final := filepath.Join(dir, name)
	if err := checkAbsent(final); err != nil {
		return nil, err
	}
	tmp := filepath.Join(dir, tempName(name))
	// O_EXCL makes a second writer of the same scan id and shard fail
	// instead of interleaving bytes into one file.
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create temporary file %s: %w", tmp, err)
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	return &partFile[T]{
		rel:   path.Join(table, part, name),
		final: final,
		tmp:   tmp,
		f:     f,
		buf:   buf,
		w:     parquet.NewGenericWriter[T](buf, opts...),
	}, nil
}

// checkAbsent returns an error wrapping fs.ErrExist when p exists.
func checkAbsent(p string) error {
	_, err := os.Lstat(p)
	switch {
	case err == nil:
		return fmt.Errorf("create %s: %w (scan ids must be unique per run)", p, fs.ErrExist)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("check %s: %w", p, err)
	}
}

// write appends rows. parquet-go copies them into its column buffers, so
// the caller may reuse the slice.
func (p *partFile[T]) write(rows []T) error {
	n, err := p.w.Write(rows)
	p.rows += int64(n)
	if err != nil {
		return fmt.Errorf("write %s: %w", p.rel, err)
	}
	return nil
}

// finish writes the last row group and the footer, syncs the file and
// closes it; place then renames it into place. The sync comes before the
// rename so that after a crash the final name never points at a file with
// missing blocks. The directory is not synced: a crash just after Close
// may undo the rename, which leaves the hidden temporary file, never a
// half file under the final name. On error the temporary file is removed.
func (p *partFile[T]) finish() error {
	err := p.w.Close()
	if err == nil {
		err = p.buf.Flush()
	}
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(p.tmp) // the finish error is the one worth reporting
		return fmt.Errorf("finish %s: %w", p.rel, err)
	}
	return nil
}

// place renames the finished file to its final name with pl, which never
// replaces a file of that name: another run of the same scan id and shard
// that passed the start-up checks at the same time may have put its file
// there (an *ExistsError then). On error the temporary file is removed.
func (p *partFile[T]) place(pl *Placer) error {
	if err := pl.Place(p.tmp, p.final); err != nil {
		_ = os.Remove(p.tmp) // the rename error is the one worth reporting
		return fmt.Errorf("finish %s: %w", p.rel, err)
	}
	return nil
}

// drop removes the temporary file of a finished file that is not to be
// placed.
func (p *partFile[T]) drop() error {
	if err := os.Remove(p.tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("discard %s: %w", p.rel, err)
	}
	return nil
}

// discard closes and removes the temporary file without publishing it.
func (p *partFile[T]) discard() error {
	err := p.f.Close()
	if rerr := os.Remove(p.tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return fmt.Errorf("discard %s: %w", p.rel, err)
	}
	return nil
}

func (p *partFile[T]) paths() (local, rel string) { return p.final, p.rel }

func (p *partFile[T]) numRows() int64 { return p.rows }

// writeFileAtomic writes data to dir/name through a temporary file in the
// same directory (same file system, so the rename is atomic) and returns
// the final path. place renames the temporary file to the final name
// (os.Rename, or a Placer's Place or Replace); on its error the temporary
// file is removed.
func writeFileAtomic(dir, name string, data []byte, place func(tmp, final string) error) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create directory %s: %w", dir, err)
	}
	final := filepath.Join(dir, name)
	f, err := os.CreateTemp(dir, tempName(name)+"*")
	if err != nil {
		return "", fmt.Errorf("create temporary file for %s: %w", final, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644) // CreateTemp uses 0600; summaries are meant to be shared
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = place(tmp, final)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", final, err)
	}
	return final, nil
}

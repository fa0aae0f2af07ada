package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/piiscan/piiscan/scanner"
)

// Table directories under the dataset root (DESIGN.md section 3).
const (
	findingsTable = "findings"
	objectsTable  = "objects"
	scansDir      = "scans"
)

// readBatch is how many rows are decoded at a time: the only rows held in
// memory while a file streams by.
const readBatch = 1024

// findingRow is the projection of the findings table the report needs.
// Reading a subset of the columns skips the others on disk: masked
// values, fingerprints and evidence are never even decoded.
type findingRow struct {
	ScanID      string `parquet:"scan_id"`
	Object      string `parquet:"object"`
	DataType    string `parquet:"data_type"`
	Category    string `parquet:"category"`
	Sensitivity string `parquet:"sensitivity"`
	Minor       bool   `parquet:"minor"`
}

// objectRow is the projection of the objects table the report needs.
type objectRow struct {
	ScanID       string `parquet:"scan_id"`
	Object       string `parquet:"object"`
	Size         int64  `parquet:"size"`
	BytesScanned int64  `parquet:"bytes_scanned"`
	Status       string `parquet:"status"`
	Reason       string `parquet:"reason"`
	Findings     int64  `parquet:"findings"`
}

// objectNameRow reads only the object column (the first pass over the
// objects table, which finds the common directory of local objects).
type objectNameRow struct {
	Object string `parquet:"object"`
}

// part is one Parquet file of the dataset.
type part struct {
	rel    string // slash-separated, relative to the root
	path   string // local path
	dt     string // YYYY-MM-DD from the dt= directory
	scanID string // from the file name
	shard  string // "-shard-<i>-of-<n>" or ""
}

// shardSuffix is the "-shard-<i>-of-<n>" part of a file name, and
// partSuffix the "-part-<k>" of the files an incremental run publishes at
// each checkpoint.
var (
	shardSuffix = regexp.MustCompile(`-shard-\d+-of-\d+$`)
	partSuffix  = regexp.MustCompile(`-part-\d+$`)
)

// scanIDOf returns the scan id and shard suffix encoded in a part or
// summary file name (without its extension); the parts of one run (and
// shard) are the same run.
func scanIDOf(stem string) (id, shard string) {
	if loc := partSuffix.FindStringIndex(stem); loc != nil {
		stem = stem[:loc[0]]
	}
	if loc := shardSuffix.FindStringIndex(stem); loc != nil {
		return stem[:loc[0]], stem[loc[0]:]
	}
	return stem, ""
}

// listParts returns the visible Parquet files of one table, sorted by
// partition and name. Hidden files (the sink's .<name>.tmp files of runs
// in progress) are not parts. Files outside a dt=YYYY-MM-DD directory are
// problems, since no reader of the dataset would see them as rows of a
// partition.
func listParts(root, table string) ([]part, []Problem, error) {
	dir := filepath.Join(root, table)
	var parts []part
	var problems []Problem
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipDir // a dataset without this table
			}
			rel, _ := filepath.Rel(root, p)
			problems = append(problems, Problem{Path: filepath.ToSlash(rel), Error: errText(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") && p != dir {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(name, ".parquet") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		// rel is TABLE/dt=YYYY-MM-DD/.../NAME.parquet.
		segs := strings.Split(rel, "/")
		var dt string
		ok := len(segs) >= 3
		if ok {
			dt, ok = strings.CutPrefix(segs[1], "dt=")
		}
		if !ok || !validDate(dt) {
			problems = append(problems, Problem{Path: rel, Error: "not in a dt=YYYY-MM-DD partition"})
			return nil
		}
		id, shard := scanIDOf(strings.TrimSuffix(name, ".parquet"))
		parts = append(parts, part{rel: rel, path: p, dt: dt, scanID: id, shard: shard})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", table, err)
	}
	slices.SortFunc(parts, func(a, b part) int { return strings.Compare(a.rel, b.rel) })
	return parts, problems, nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// errText is an error's text for the Problems list, without the local
// root (the problem already names the file), and redacted as the scanner's
// errors are (SafeText): parquet-go quotes the bytes it finds where a
// magic number should be, and a JSON decoder the character it chokes on,
// and a file in the dataset's folders need not be piiscan's.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return scanner.SafeText(pe.Op + ": " + pe.Err.Error())
	}
	return scanner.SafeText(err.Error())
}

// readPart streams every row of one Parquet file into fn, readBatch rows
// at a time; fn must not keep the slice. The file must have every column
// of T with a compatible type: a Parquet file of another schema is an
// error, not a table of empty rows. Corrupt files are errors too: panics
// of the decoder on hostile bytes are recovered into errors (but not
// panics of fn, which are bugs).
func readPart[T any](ctx context.Context, p string, fn func([]T)) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	r, err := openReader[T](f, st.Size())
	if err != nil {
		return err
	}
	defer r.Close()
	buf := make([]T, readBatch)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := readRows(r, buf)
		if n > 0 {
			fn(buf[:n])
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read rows: %w", err)
		}
	}
}

// openReader opens a Parquet file as a reader of the columns of T.
func openReader[T any](f io.ReaderAt, size int64) (r *parquet.GenericReader[T], err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("corrupt parquet file: %v", v)
		}
	}()
	pf, err := parquet.OpenFile(f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("open parquet: %w", err)
	}
	want := parquet.SchemaOf(new(T))
	for _, col := range want.Columns() {
		if _, ok := pf.Schema().Lookup(col...); !ok {
			return nil, fmt.Errorf("no column %s: not a piiscan table", path.Join(col...))
		}
	}
	if _, err := parquet.Convert(want, pf.Schema()); err != nil {
		return nil, fmt.Errorf("unexpected schema: %w", err)
	}
	return parquet.NewGenericReader[T](pf), nil
}

// readRows is r.Read with the decoder's panics turned into errors.
func readRows[T any](r *parquet.GenericReader[T], buf []T) (n int, err error) {
	defer func() {
		if v := recover(); v != nil {
			n, err = 0, fmt.Errorf("corrupt parquet file: %v", v)
		}
	}()
	return r.Read(buf)
}

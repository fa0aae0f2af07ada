package redact

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/piiscan/piiscan/sinks"
)

// Dest is where copies are written. Implementations are safe for
// concurrent use: every worker creates its own outputs.
type Dest interface {
	// Create starts the output at rel, a cleaned slash-separated path
	// relative to the destination root.
	Create(ctx context.Context, rel string) (Output, error)
	// Mirrors reports whether a copy is written at its rel path, as
	// opposed to one name the user chose for a single-file source.
	Mirrors() bool
	// String names the destination for messages.
	String() string
}

// Output is one object being written. Nothing is visible under its final
// name before Commit: a reader never sees a half-written copy.
type Output interface {
	Write(p []byte) (int, error)
	// Commit makes the object visible (rename, or a completed upload).
	Commit(ctx context.Context) error
	// Abort discards it; it is safe after Commit (a no-op then).
	Abort()
}

// LocalDest writes under a local folder, or to one file.
type LocalDest struct {
	// Root is the destination folder; rel paths are mirrored below it.
	Root string
	// File, when set, receives every object (a single-file source copied
	// to a file name of its own); Root is then ignored.
	File string
}

var _ Dest = (*LocalDest)(nil)

func (d *LocalDest) String() string {
	if d.File != "" {
		return d.File
	}
	return d.Root
}

// Mirrors reports that copies go below Root rather than to File.
func (d *LocalDest) Mirrors() bool { return d.File == "" }

// Create makes the parent folders and a temporary file beside the final
// one; Commit renames it into place.
func (d *LocalDest) Create(_ context.Context, rel string) (Output, error) {
	final := d.File
	if final == "" {
		final = filepath.Join(d.Root, filepath.FromSlash(rel))
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create folder %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(final)+".piiscan-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	return &fileOutput{f: f, final: final}, nil
}

type fileOutput struct {
	f     *os.File
	final string
	done  bool
}

func (o *fileOutput) Write(p []byte) (int, error) { return o.f.Write(p) }

func (o *fileOutput) Commit(context.Context) error {
	if err := o.f.Chmod(0o644); err != nil {
		o.Abort()
		return fmt.Errorf("commit %s: %w", o.final, err)
	}
	if err := o.f.Close(); err != nil {
		o.Abort()
		return fmt.Errorf("commit %s: %w", o.final, err)
	}
	if err := os.Rename(o.f.Name(), o.final); err != nil {
		o.Abort()
		return fmt.Errorf("commit %s: %w", o.final, err)
	}
	o.done = true
	return nil
}

func (o *fileOutput) Abort() {
	if o.done {
		return
	}
	o.done = true
	_ = o.f.Close()
	_ = os.Remove(o.f.Name())
}

// OSSDest writes each object to a local temporary file and publishes it
// when complete (sinks.OSSUploader.Publish: one PutObject, or a multipart
// upload that becomes visible only when completed).
type OSSDest struct {
	// URI names the destination (oss://bucket/prefix/) in messages.
	URI string
	// Publish uploads a finished file to the key of rel.
	Publish sinks.PublishFunc
	// TempDir holds the files until they are uploaded ("" = the system
	// temporary directory).
	TempDir string
	// Name, when set, is the key (below Publish's prefix) every object is
	// written to: a single-file SRC copied to a key of its own.
	Name string
}

var _ Dest = (*OSSDest)(nil)

func (d *OSSDest) String() string { return d.URI }

// Mirrors reports that copies go to their rel keys rather than to Name.
func (d *OSSDest) Mirrors() bool { return d.Name == "" }

// Create makes the local temporary file.
func (d *OSSDest) Create(_ context.Context, rel string) (Output, error) {
	if d.Publish == nil {
		return nil, errors.New("oss destination: no publisher")
	}
	f, err := os.CreateTemp(d.TempDir, "piiscan-redact-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	if d.Name != "" {
		rel = d.Name
	}
	return &uploadOutput{f: f, rel: rel, publish: d.Publish}, nil
}

// remoteOutput is an Output whose Commit waits on the network: Run
// commits it on an uploader (Config.Uploads), not on the worker.
type remoteOutput interface {
	Output
	remote()
}

func (*uploadOutput) remote() {}

type uploadOutput struct {
	f       *os.File
	rel     string
	publish sinks.PublishFunc
	done    bool
}

func (o *uploadOutput) Write(p []byte) (int, error) { return o.f.Write(p) }

func (o *uploadOutput) Commit(ctx context.Context) error {
	defer o.Abort()
	if err := o.f.Close(); err != nil {
		return fmt.Errorf("commit %s: %w", o.rel, err)
	}
	return o.publish(ctx, o.f.Name(), o.rel)
}

func (o *uploadOutput) Abort() {
	if o.done {
		return
	}
	o.done = true
	_ = o.f.Close()
	_ = os.Remove(o.f.Name())
}

// relPath returns the output path of an object's name, or false when the
// name cannot be mirrored one to one: empty, leaving the destination (a
// ".." segment), or not clean ("a//b", "./a", "/a", "a/"), since cleaning
// would give two objects ("data//x.csv" and "data/x.csv") one output and
// one copy would silently replace the other.
func relPath(name string) (string, bool) {
	name = filepath.ToSlash(name)
	if name == "" || name == "." || path.Clean(name) != name || strings.HasPrefix(name, "/") {
		return "", false
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return "", false
		}
	}
	return name, true
}

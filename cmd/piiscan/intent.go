package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/piiscan/piiscan/scanner"
)

// The intent record of a checkpoint (scanner.StateIntent) makes
// publishing a part and saving the state one step as far as a resumed run
// can tell. A checkpoint
//
//  1. saves the record beside the state: <state>.pending, in the same
//     store (a local file replaced by rename, or one PutObject);
//  2. publishes the part's findings file, then its objects file, which
//     is therefore the part's commit record: the part is in the dataset
//     exactly when its objects file is;
//  3. saves the state, which records the part's objects;
//  4. removes the record.
//
// A run killed after 1 and before 4 leaves the record, and so does a run
// whose upload failed in 2. The next run of the state, whatever its scan
// id, reads it before it lists anything:
//
//   - the objects file is missing (killed, or failed, before 2 ended): the
//     part is not in the dataset; its findings file, if published, is
//     removed, and its objects are scanned again;
//   - the objects file is there and the state is the one 1 followed
//     (killed after 2, before 3 ended): the part is in the dataset but not
//     in the state; its objects go into the state (State.Adopt), and the
//     state is saved;
//   - the state was saved after 1 (killed in 4): nothing to do. The state
//     is saved only after the part is published in full: a run whose last
//     part failed to publish keeps its state as it was (incremental.save).
//
// Then the record is removed. Either way every object has exactly one
// row in the dataset, and each finding is there once. The record holds a
// line per object of the part only, so a checkpoint writes the state
// once, as before, plus a record of at most --checkpoint-every lines.

// intentSuffix names the intent record after the state's name.
const intentSuffix = ".pending"

// intentStage is where the current part's intent record stands.
type intentStage int

const (
	intentNone      intentStage = iota // no record
	intentWritten                      // saved; the part is being published
	intentPublished                    // the part is published; the next state save removes the record
)

// writeIntent saves the intent record of part, whose files will be
// published at files (in that order), holding objects.
func (in *incremental) writeIntent(ctx context.Context, part int, files []string, objects []scanner.IntentEntry) error {
	rec := &scanner.StateIntent{Format: scanner.IntentFormat, ScanID: in.run.ScanID, Shard: in.run.Shard, Part: part,
		Ruleset: in.run.Ruleset, StateWrittenAt: in.written, Files: files, Objects: objects}
	if objects == nil {
		rec.Objects = []scanner.IntentEntry{}
	}
	err := in.intents.save(context.WithoutCancel(ctx), rec.Encode)
	if err != nil {
		return fmt.Errorf("save intent record %s%s: %w", in.loc, intentSuffix, err)
	}
	in.intent = intentWritten
	return nil
}

// removeIntent removes the intent record once the state recorded its
// part (or once the next run acted on it). A record that stays is stale,
// since the state was saved after it, and the next run removes it: a
// warning, not an error.
func (in *incremental) removeIntent(ctx context.Context) {
	if err := in.intents.remove(ctx); err != nil {
		in.logger.Warn("remove intent record; the next run removes it", "state", in.loc, "err", err)
	}
	in.intent = intentNone
}

// abandonPart removes the intent record of a part that another run's
// files stopped (publishConflict): what this run placed or uploaded of it
// was taken back, so the part is not in the dataset. Left, the record
// would name the other run's objects file, and the next run of this state
// would take it for this run's part and record its objects as scanned
// (State.Adopt) without a row of its own. Without the record, that run
// finds the state as it was before the part. A nil receiver (no
// --incremental) does nothing.
func (in *incremental) abandonPart(ctx context.Context) {
	if in == nil || in.intent != intentWritten {
		return
	}
	in.removeIntent(context.WithoutCancel(ctx))
}

// recoverIntent acts on the intent record a killed run left (see the top
// of this file). It runs before anything is listed; an error is a usage
// error, since scanning without knowing the part's fate could list its
// objects twice.
func (in *incremental) recoverIntent(ctx context.Context, files *partFiles) error {
	loc := in.loc + intentSuffix
	rc, err := in.intents.open(ctx)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return usageErr("--incremental: intent record %s: %w", loc, err)
	}
	rec, err := scanner.ReadIntent(rc)
	_ = rc.Close()
	if err != nil {
		return usageErr("--incremental: intent record %s: %w (remove it to go on: the objects of the part it names may then have two rows)", loc, err)
	}
	current, published := rec.StateWrittenAt.Equal(in.written), false
	if current {
		if published, err = files.exists(ctx, rec.Files[len(rec.Files)-1]); err != nil {
			return usageErr("--incremental: intent record %s: %w", loc, err)
		}
	}
	switch {
	case !current:
		// The state was saved after the record: it knows the part.
	case !published:
		for _, f := range rec.Files[:len(rec.Files)-1] {
			if err := files.remove(ctx, f); err != nil {
				return usageErr("--incremental: intent record %s: remove %s, published by run %s without the rest of its part %d: %w "+
					"(remove it yourself, or its objects' findings will be in the dataset twice)", loc, f, rec.ScanID, rec.Part, err)
			}
		}
		in.recovered = fmt.Sprintf("run %s did not finish publishing part %d (killed, or an upload failed): what it published was removed, and the part's %d object(s) scanned again",
			rec.ScanID, rec.Part, len(rec.Objects))
		in.logger.Warn("an earlier run did not finish publishing its last part: what it published is removed, its objects are scanned again",
			"scan_id", rec.ScanID, "part", rec.Part, "objects", len(rec.Objects))
	default:
		n := in.state.Adopt(rec)
		if rec.ScanID == in.run.ScanID {
			in.continues, in.parts = true, max(in.parts, rec.Part)
		}
		in.recovered = fmt.Sprintf("run %s was killed after it published part %d but before it saved the state: the state now records the part's %d object(s), which were not scanned again",
			rec.ScanID, rec.Part, n)
		in.logger.Warn("a killed run published a part it did not record: its objects are recorded now", "scan_id", rec.ScanID, "part", rec.Part, "objects", n)
		if err := in.save(ctx, false); err != nil {
			return usageErr("--incremental: intent record %s: %w", loc, err)
		}
	}
	in.removeIntent(ctx)
	return nil
}

// partFiles checks and removes the published files an intent record
// names: local paths, or oss://bucket/key (--out oss://).
type partFiles struct {
	f       *scanFlags
	buckets map[string]*oss.Bucket
}

func newPartFiles(f *scanFlags) *partFiles {
	return &partFiles{f: f, buckets: map[string]*oss.Bucket{}}
}

// exists reports whether the file at loc is published.
func (p *partFiles) exists(ctx context.Context, loc string) (bool, error) {
	if !isOSS(loc) {
		_, err := os.Lstat(loc)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, fs.ErrNotExist):
			return false, nil
		}
		return false, err
	}
	b, key, err := p.bucket(loc)
	if err != nil {
		return false, err
	}
	return probeKey(ctx, b, key)
}

// remove deletes the file at loc; a missing file is no error.
func (p *partFiles) remove(ctx context.Context, loc string) error {
	if !isOSS(loc) {
		if err := os.Remove(loc); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return syncDir(filepath.Dir(loc))
	}
	b, key, err := p.bucket(loc)
	if err != nil {
		return err
	}
	err = scanner.OSSRetry{}.Do(ctx, func() error { return b.DeleteObject(key, oss.WithContext(ctx)) })
	if err != nil {
		return fmt.Errorf("delete %s: %w", loc, scanner.DescribeOSS(err))
	}
	return nil
}

// bucket returns the client of loc's bucket (with --endpoint, --region
// and the credentials of this run) and the key.
func (p *partFiles) bucket(loc string) (*oss.Bucket, string, error) {
	u, err := parseOSSURL(loc)
	if err != nil {
		return nil, "", err
	}
	if b := p.buckets[u.bucket]; b != nil {
		return b, u.prefix, nil
	}
	conn, err := resolveOSSConn(p.f.endpoint, p.f.region)
	if err != nil {
		return nil, "", err
	}
	client, err := scanner.NewOSSClient(conn.endpoint, conn.region, conn.creds)
	if err != nil {
		return nil, "", err
	}
	b, err := client.Bucket(u.bucket)
	if err != nil {
		return nil, "", err
	}
	p.buckets[u.bucket] = b
	return b, u.prefix, nil
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
	"github.com/piiscan/piiscan/sinks/redact"
)

// The run summary of `piiscan redact`: its notes and where it is written.

// redactNotes explains the summary's counters in words.
func redactNotes(s redact.Summary, st redact.Stats) []string {
	c := s.Counters
	var notes []string
	for _, k := range s.RandomKeys {
		notes = append(notes, k+" was not set: keyed operators used a random per-run key; their tokens cannot be reversed or joined with other runs")
	}
	if n := len(c.Redetectable); n > 0 {
		notes = append(notes, "some replacements are valid identifiers by design (substitute, ff1 with recompute_check): a rescan of the copy reports them as it would real data (values_redetectable)")
	}
	if c.Guarded > 0 {
		notes = append(notes, fmt.Sprintf("%d replacement(s) read as another identifier (e.g. a card number inside an FF1 token) and were replaced by the policy's fallback instead", c.Guarded))
	}
	if c.NotWritten > 0 && !s.CopyUnsupported && c.ByReason[string(scanner.ReasonUnsupported)] > 0 {
		notes = append(notes, "objects that cannot be rewritten were not copied; --copy-unsupported copies them as they are")
	}
	if c.PartsEmptied > 0 {
		notes = append(notes, fmt.Sprintf("%d part(s) of Office documents (OLE objects, macros, ActiveX data, metafile pictures that do not parse) cannot be read and were written empty, so none of their values were kept; the documents holding them are partial (office_parts_emptied)", c.PartsEmptied))
	}
	if n := c.ByOperator[redact.OpMaskInPlace]; n > 0 {
		notes = append(notes, fmt.Sprintf("%d value(s) in the text of metafile pictures (previews of embedded objects) were masked in place, '*' for each character, so that the pictures keep their layout; the policy's operator cannot be applied there (%s)", n, redact.OpMaskInPlace))
	}
	if c.ThumbnailsBlanked > 0 {
		notes = append(notes, fmt.Sprintf("%d thumbnail(s) of Office documents (the first page as a picture, which cannot be rewritten) were replaced by a blank picture (thumbnails_blanked)", c.ThumbnailsBlanked))
	}
	if c.NamesRewritten > 0 {
		notes = append(notes, fmt.Sprintf("%d object(s) had a value in their name and were written under the name with that value replaced, as in their content (names_rewritten; --keep-names keeps names)", c.NamesRewritten))
	}
	if s.Interrupted {
		notes = append(notes, fmt.Sprintf("interrupted: %d object(s) in flight or not started were not written; rerun to copy them", st.Abandoned))
	}
	return notes
}

// summaryTarget is where the JSON summary goes: a local file, or a key
// uploaded through an OSS uploader.
type summaryTarget struct {
	local string
	up    *sinks.OSSUploader
	key   string
	uri   string
}

func (s summaryTarget) String() string {
	if s.up != nil {
		return s.uri
	}
	return s.local
}

// resolveSummary decides where the summary goes: --summary, or next to
// DST (DST.piiscan-redact.json; for an OSS prefix, the key beside it).
func resolveSummary(f *redactFlags, logger *slog.Logger) (summaryTarget, error) {
	target := f.summary
	if target == "" {
		if isOSS(f.to) {
			u, _ := parseOSSURL(f.to)
			p := strings.TrimRight(u.prefix, "/")
			if p == "" {
				return summaryTarget{}, usageErr("--to %s is a bucket root: give --summary PATH for the run summary", f.to)
			}
			target = "oss://" + u.bucket + "/" + p + summarySuffix
		} else {
			target = strings.TrimRight(f.to, `/\`) + summarySuffix
		}
	}
	if !isOSS(target) {
		return summaryTarget{local: target}, nil
	}
	u, err := parseOSSURL(target)
	if err != nil || u.prefix == "" || strings.HasSuffix(u.prefix, "/") {
		return summaryTarget{}, usageErr("--summary %s: want oss://bucket/key.json", target)
	}
	up, err := ossUploader(context.Background(), f, u.bucket, "", logger)
	if err != nil {
		return summaryTarget{}, err
	}
	return summaryTarget{up: up, key: u.prefix, uri: target}, nil
}

// write writes the summary atomically (temporary file and rename), and
// uploads it for an oss:// target.
func (s summaryTarget) write(ctx context.Context, sum redact.Summary) error {
	data, err := redact.MarshalSummary(sum)
	if err != nil {
		return err
	}
	local := s.local
	dir := filepath.Dir(local)
	if s.up != nil {
		if dir, err = os.MkdirTemp("", "piiscan-redact-summary-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		local = filepath.Join(dir, path.Base(s.key))
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(local)+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), local); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	_ = os.Chmod(local, 0o644)
	if s.up != nil {
		return s.up.Publish(ctx, local, s.key)
	}
	return nil
}

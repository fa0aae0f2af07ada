package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/classifiers"
	"github.com/piiscan/piiscan/classifiers/deid"
	"github.com/piiscan/piiscan/scanner"
	"github.com/piiscan/piiscan/sinks"
	"github.com/piiscan/piiscan/sinks/redact"
)

// redactFlags are the flags of `piiscan redact`.
type redactFlags struct {
	to              string
	policy          string
	copyUnsupported bool
	keepNames       bool
	decrypt         bool
	summary         string
	printPolicy     bool
	workers         int
	prefetch        int
	uploads         int
	rules           []string
	include         []string
	exclude         []string
	limits          limitFlags
	asOf            string
	followSymlinks  bool
	runID           string
	quiet           bool
	logFormat       string
	logLevel        string
	endpoint        string
	region          string
}

// summarySuffix names the summary written next to the destination.
const summarySuffix = ".piiscan-redact.json"

func newRedactCmd() *cobra.Command {
	f := &redactFlags{}
	cmd := &cobra.Command{
		Use:   "redact SRC --to DST [flags]",
		Short: "Write de-identified copies of files, folders or OSS prefixes, in their own formats",
		Long: `Write a de-identified copy of SRC (a file, a folder or oss://bucket/prefix) to DST
(a folder, a file name for a single file, or oss://bucket/prefix). DST mirrors
SRC's relative paths; every object keeps its format and structure (text and its
encoding, CSV/TSV rows and header, JSON/JSONL keys and records, Parquet and Avro
schema and rows, xlsx sheets, rows and columns, docx and pptx paragraphs, gzip, zip
and tar members) and only the values the scanner reports are replaced, as the
policy says (--policy, default: piiscan redact --print-default-policy).

Objects that cannot be rewritten (PDF, images, other binaries) are listed in the
summary with a reason and not written, unless --copy-unsupported copies them as
they are.

A name that holds a value (users/13800138000/profile.json) is written with that
value replaced as in the content (users/138****8000/profile.json); two copies that
would share a name get ~2, ~3, ... before the extension. --keep-names keeps names.

--decrypt reverses a copy's encrypt tokens (enc:v1:...) for key holders, using
the keys of --policy. Other operators are one-way, and FF1 tokens, although
reversible with the key, are not located in a copy.

Keys come from the environment variables the policy names (PIISCAN_REDACT_KEY by
default; when it is unset the default policy uses a random per-run key and its
tokens neither reverse nor join across runs).

The run summary is written as JSON next to DST (DST.piiscan-redact.json, or
--summary) and as text on stderr. Exit codes: 0 done; 2 usage or configuration
error; 3 some objects failed; 130 interrupted.`,
		Example: `  piiscan redact ./exports --to ./exports-safe
  piiscan redact customers.csv --to customers-safe.csv --policy policy.yaml
  PIISCAN_REDACT_KEY=... piiscan redact oss://prod/exports/ --to oss://analytics/exports/ --region cn-shanghai
  piiscan redact ./exports-safe --to ./exports-restored --decrypt --policy policy.yaml
  piiscan redact --print-default-policy > policy.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.printPolicy {
				return nil
			}
			if len(args) != 1 {
				return usageErr("redact: want one SRC (a file, a folder or oss://bucket/prefix) and --to DST")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.printPolicy {
				_, err := cmd.OutOrStdout().Write(deid.DefaultPolicyYAML())
				return err
			}
			return runRedact(cmd, f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.to, "to", "", "destination `DST`: a folder, a file (for a single file SRC) or oss://bucket/prefix")
	fl.StringVar(&f.policy, "policy", "", "de-identification policy `FILE` (YAML; default: the built-in policy)")
	fl.BoolVar(&f.copyUnsupported, "copy-unsupported", false, "copy objects that cannot be rewritten as they are (they are listed either way)")
	fl.BoolVar(&f.keepNames, "keep-names", false, "write each copy under its object's name as it is, even when the name holds a value (by default such values are replaced as in the content)")
	fl.BoolVar(&f.decrypt, "decrypt", false, "reverse the encrypt tokens of a copy with the keys of --policy")
	fl.StringVar(&f.summary, "summary", "", "write the JSON summary to `PATH` (local or oss://; default: DST"+summarySuffix+")")
	fl.BoolVar(&f.printPolicy, "print-default-policy", false, "print the built-in policy (a starting point for --policy) and exit")
	fl.IntVar(&f.workers, "workers", runtime.NumCPU(), "objects rewritten in parallel")
	fl.IntVar(&f.prefetch, "prefetch", scanner.DefaultPrefetch, "OSS objects of up to 1 MiB read ahead of the workers, `N` at a time (0: off)")
	fl.IntVar(&f.uploads, "uploads", redact.DefaultUploads, "copies uploaded to an oss:// DST `N` at a time while the workers go on (0: each worker uploads its own)")
	fl.StringArrayVar(&f.rules, "rules", nil, "user rule pack `FILE` (repeatable): its types are replaced too")
	fl.StringArrayVar(&f.include, "include", nil, "only copy objects matching `GLOB` (repeatable)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "skip objects matching `GLOB` (repeatable; they are not listed)")
	f.limits.register(fl, "rewriting")
	fl.StringVar(&f.asOf, "as-of", "", "reference `YYYY-MM-DD` for ages (minors); default today")
	fl.BoolVar(&f.followSymlinks, "follow-symlinks", false, "follow symbolic links found in folders (SRC itself is followed either way)")
	fl.StringVar(&f.runID, "run-id", "", "id of this run, recorded in the summary (default: time and a random suffix)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no summary and no info logs on stderr: warnings and errors only (unless --log-level is given)")
	fl.StringVar(&f.logFormat, "log-format", "", "log format: text or json (default: text on a terminal, json otherwise)")
	fl.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fl.StringVar(&f.endpoint, "endpoint", "", "OSS endpoint `URL` for oss:// SRC, DST and --summary")
	fl.StringVar(&f.region, "region", "", "OSS `REGION`, e.g. cn-hangzhou; signs with V4")
	return cmd
}

// redactRun is what the flags resolve to before anything is read.
type redactRun struct {
	start   time.Time
	runID   string
	policy  *deid.Policy
	engine  *classifiers.Engine
	ruleset string
	cfg     redact.Config
	src     scanner.Source
	dst     redact.Dest
	dstName string
	summary summaryTarget
	flags   map[string]string
}

func runRedact(cmd *cobra.Command, f *redactFlags, src string) error {
	con := newConsole(cmd.ErrOrStderr())
	logger, err := newLogger(con, f.logFormat, quietLevel(cmd, f.quiet, f.logLevel))
	if err != nil {
		return err
	}
	r, err := resolveRedact(cmd, f, src, logger)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	mode := "redact"
	if f.decrypt {
		mode = "decrypt"
	}
	logger.Info(mode+" started", "run_id", r.runID, "source", src, "destination", r.dstName, "policy", r.policy.Name(), "workers", f.workers)
	hugeHeap(f.workers)
	tally, st, runErr := redact.Run(ctx, r.cfg, r.src, r.engine, r.dst)
	interrupted := st.Interrupted || errors.Is(runErr, context.Canceled)
	if runErr != nil && !interrupted {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", mode, runErr)}
	}
	s := redact.Summary{
		Version: version, RunID: r.runID, Mode: mode, StartedAt: r.start, FinishedAt: time.Now().UTC(),
		Source: []string{src}, Dest: r.dstName, Policy: r.policy.Name(), RandomKeys: r.policy.RandomKeys(),
		Ruleset: r.ruleset, CopyUnsupported: f.copyUnsupported, Flags: r.flags, Interrupted: interrupted, Counters: tally,
	}
	s.DurationMS = s.FinishedAt.Sub(r.start).Milliseconds()
	s.Notes = redactNotes(s, st)
	sumErr := r.summary.write(context.WithoutCancel(ctx), s)
	if !f.quiet {
		redact.RenderText(cmd.ErrOrStderr(), s)
		if sumErr == nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "Summary: %s\n", r.summary)
		}
	}
	logger.Info(mode+" finished", "run_id", r.runID, "objects", tally.Objects, "written", tally.Written,
		"values", tally.Values, "elapsed", time.Duration(s.DurationMS)*time.Millisecond, "summary", r.summary.String())
	switch {
	case interrupted:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted: the objects written are complete; the others were not written")}
	case sumErr != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("write summary: %w", sumErr)}
	case tally.ByStatus[string(redact.StatusFailed)] > 0:
		return &exitError{code: exitFailedObjs}
	}
	return nil
}

// resolveRedact checks the flags, loads the policy and rules and opens
// source and destination: every problem here is a usage error, reported
// before anything is read.
func resolveRedact(cmd *cobra.Command, f *redactFlags, src string, logger *slog.Logger) (*redactRun, error) {
	r := &redactRun{start: time.Now().UTC(), flags: map[string]string{}}
	cmd.Flags().Visit(func(fl *pflag.Flag) { r.flags[fl.Name] = fl.Value.String() })
	if f.to == "" {
		return nil, usageErr("redact: --to DST is required")
	}
	if f.workers < 1 {
		return nil, usageErr("--workers %d: must be at least 1", f.workers)
	}
	lim, err := f.limits.resolve()
	if err != nil {
		return nil, err
	}
	asOf, err := parseAsOf(f.asOf)
	if err != nil {
		return nil, err
	}
	for _, g := range append(append([]string{}, f.include...), f.exclude...) {
		if !doublestar.ValidatePattern(g) {
			return nil, usageErr("glob %q is not valid", g)
		}
	}
	if r.policy, err = loadPolicy(f.policy); err != nil {
		return nil, err
	}
	for _, k := range r.policy.RandomKeys() {
		logger.Warn(k + " is not set: keyed operators use a random per-run key (tokens neither reverse nor join across runs)")
	}
	if !f.decrypt {
		rs, err := loadRuleset(f.rules)
		if err != nil {
			return nil, err
		}
		r.ruleset = rs.ID()
		// Fingerprints are not written by redact; the hash operator has
		// its own key. The engine still needs one.
		r.engine, err = classifiers.Compile(rs, classifiers.Options{HMACKey: []byte(os.Getenv("PIISCAN_HMAC_KEY")), AsOf: asOf, Logger: logger})
		if err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		if err := checkExamples(cmd.Context(), r.engine); err != nil {
			return nil, err
		}
	}
	r.runID = f.runID
	if r.runID == "" {
		var b [3]byte
		_, _ = rand.Read(b[:])
		r.runID = r.start.Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
	}
	if r.src, err = redactSource(cmd, f, src, logger); err != nil {
		return nil, err
	}
	if r.dst, r.dstName, err = redactDest(cmd.Context(), f, src, logger); err != nil {
		return nil, err
	}
	if r.summary, err = resolveSummary(f, logger); err != nil {
		return nil, err
	}
	r.cfg = redact.Config{
		Policy: r.policy, Decrypt: f.decrypt, CopyUnsupported: f.copyUnsupported, KeepNames: f.keepNames, Workers: f.workers, Prefetch: countOrOff(f.prefetch), Uploads: countOrOff(f.uploads),
		ObjectTimeout: lim.objectTimeout, MaxObjectSize: lim.maxObjectSize, MaxDecodedSize: lim.maxDecodedSize,
		MaxRatio: lim.maxRatio, MaxMembers: lim.maxMembers, MaxArchiveDepth: lim.maxDepth,
		Filter: globFilter(f.include, f.exclude), Logger: logger,
	}
	return r, nil
}

// loadPolicy reads --policy, or returns the built-in policy.
func loadPolicy(file string) (*deid.Policy, error) {
	if file == "" {
		p, err := deid.DefaultPolicy()
		if err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		return p, nil
	}
	fh, err := os.Open(file)
	if err != nil {
		return nil, usageErr("--policy: %w", err)
	}
	defer fh.Close()
	p, err := deid.LoadPolicy(fh, file)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return p, nil
}

// redactSource opens SRC: a local file or folder, or oss://bucket/prefix.
func redactSource(cmd *cobra.Command, f *redactFlags, src string, logger *slog.Logger) (scanner.Source, error) {
	if src == "-" {
		return nil, usageErr("redact: SRC must be a file, a folder or oss://bucket/prefix (stdin is not supported)")
	}
	if !isOSS(src) {
		s, err := scanner.NewLocalSource(scanner.LocalConfig{Roots: []string{src}, FollowSymlinks: f.followSymlinks, Stdin: cmd.InOrStdin(), PruneDir: globPrune(f.exclude), Logger: logger})
		if err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		return s, nil
	}
	u, err := parseOSSURL(src)
	if err != nil {
		return nil, usageErr("SRC %w", err)
	}
	conn, err := resolveOSSConn(f.endpoint, f.region)
	if err != nil {
		return nil, err
	}
	s, err := scanner.NewOSSSource(scanner.OSSConfig{Endpoint: conn.endpoint, Region: conn.region, Credentials: conn.creds,
		Bucket: u.bucket, Prefix: u.prefix, Logger: logger})
	if err != nil {
		return nil, usageErr("SRC %s: %w", u, err)
	}
	return s, nil
}

// redactDest opens DST. A local DST must not be SRC or inside it (the
// copy would be listed while it is written); a single file SRC may be
// copied to a file name (cp semantics: an existing folder or a trailing
// slash means "into this folder").
func redactDest(ctx context.Context, f *redactFlags, src string, logger *slog.Logger) (redact.Dest, string, error) {
	if isOSS(f.to) {
		u, err := parseOSSURL(f.to)
		if err != nil {
			return nil, "", usageErr("--to %w", err)
		}
		if !isOSS(src) && u.prefix != "" && !strings.HasSuffix(u.prefix, "/") {
			// A single file copied to a key of its own, as to a local file.
			if fi, err := os.Stat(src); err == nil && fi.Mode().IsRegular() {
				dir, name := path.Split(u.prefix)
				up, err := ossUploader(ctx, f, u.bucket, dir, logger)
				if err != nil {
					return nil, "", err
				}
				return &redact.OSSDest{URI: u.String(), Publish: up.Publish, Name: name}, u.String(), nil
			}
		}
		if u.prefix != "" && !strings.HasSuffix(u.prefix, "/") {
			u.prefix += "/"
		}
		if isOSS(src) {
			// SRC lists every key starting with its prefix; copies go under
			// the destination's. If either holds the other, copies would be
			// listed while written, or land on source objects.
			if s, _ := parseOSSURL(src); s.bucket == u.bucket &&
				(strings.HasPrefix(u.prefix, s.prefix) || strings.HasPrefix(s.prefix, u.prefix)) {
				return nil, "", usageErr("--to %s and SRC %s overlap: the copies would be listed while they are written, or replace source objects", f.to, src)
			}
		}
		up, err := ossUploader(ctx, f, u.bucket, u.prefix, logger)
		if err != nil {
			return nil, "", err
		}
		return &redact.OSSDest{URI: u.String(), Publish: up.Publish}, u.String(), nil
	}
	dst, err := filepath.Abs(f.to)
	if err != nil {
		return nil, "", usageErr("--to %s: %w", f.to, err)
	}
	if isOSS(src) {
		return &redact.LocalDest{Root: dst}, f.to, nil
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return nil, "", usageErr("SRC %s: %w", src, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, "", usageErr("SRC %s: %w", src, err)
	}
	dfi, derr := os.Stat(dst)
	var d *redact.LocalDest
	switch {
	case !fi.IsDir() && !strings.HasSuffix(f.to, string(filepath.Separator)) && !strings.HasSuffix(f.to, "/") && (derr != nil || !dfi.IsDir()):
		d = &redact.LocalDest{File: dst}
	case derr == nil && !dfi.IsDir():
		return nil, "", usageErr("--to %s is a file: a folder SRC needs a folder", f.to)
	default:
		d = &redact.LocalDest{Root: dst}
	}
	// Compared through symbolic links: a link to SRC is SRC.
	realSrc, realDst := realPath(abs), realPath(dst)
	switch {
	case fi.IsDir() && (within(realSrc, realDst) || within(realDst, realSrc)):
		return nil, "", usageErr("--to %s and SRC %s overlap: the copies would be listed while they are written, or replace source files", f.to, src)
	case !fi.IsDir() && d.File != "" && realDst == realSrc,
		!fi.IsDir() && d.Root != "" && realPath(filepath.Join(dst, filepath.Base(abs))) == realSrc:
		return nil, "", usageErr("--to %s would replace SRC %s", f.to, src)
	}
	return d, f.to, nil
}

// within reports whether path p is dir or inside it (both absolute and
// clean).
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// realPath resolves the symbolic links of p, an absolute path, as far as
// it exists: the rest, not yet made, is joined to what its existing part
// resolves to.
func realPath(p string) string {
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// ossUploader builds the uploader of a bucket and checks that it answers.
func ossUploader(ctx context.Context, f *redactFlags, bucket, prefix string, logger *slog.Logger) (*sinks.OSSUploader, error) {
	conn, err := resolveOSSConn(f.endpoint, f.region)
	if err != nil {
		return nil, err
	}
	client, err := scanner.NewOSSClient(conn.endpoint, conn.region, conn.creds)
	if err != nil {
		return nil, usageErr("oss://%s: %w", bucket, err)
	}
	b, err := client.Bucket(bucket)
	if err != nil {
		return nil, usageErr("oss://%s: %w", bucket, err)
	}
	up, err := sinks.NewOSSUploader(sinks.OSSUploadConfig{API: b, Bucket: bucket, Prefix: prefix, Logger: logger})
	if err != nil {
		return nil, usageErr("oss://%s: %w", bucket, err)
	}
	// The bucket must answer with these credentials before anything is
	// read (a missing bucket or a bad key is a usage error).
	if _, err := probeKey(ctx, b, prefix+".piiscan-redact-probe"); err != nil && ctx.Err() == nil {
		return nil, usageErr("oss://%s: %w", bucket, err)
	}
	return up, nil
}

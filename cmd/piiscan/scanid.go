package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/piiscan/piiscan/scanner"
)

// A scan id names one run: readers of the dataset (piiscan report, a
// dashboard grouping by scan_id) take all files of an id as one run with
// one row per object. The sinks refuse to overwrite a file of the same
// name, but the names differ between days (dt=) and between shard layouts,
// so a finished run's scan id reused the next day, or by a sharded run
// after an unsharded one (or with another shard count), gave a second row
// per object under one id. The run summaries (OUT/scans/, not partitioned
// by day) tell: a run is refused, before it scans, when a summary of its
// scan id is of the same shard, of an unsharded run when this one is
// sharded or the other way round, or of another shard count. The shards
// of one run share an id, and a retry of an unfinished incremental run
// continues its id (incremental.go), so those are allowed.

// scanIDConflict returns the name of a run summary (a file name of
// OUT/scans) that says scanID was used by a run whose rows would mix with
// this one's, "" when none does.
func scanIDConflict(names []string, scanID, shard string) string {
	for _, name := range names {
		stem, ok := strings.CutSuffix(name, ".json")
		if !ok || strings.HasPrefix(name, ".") {
			continue
		}
		other, found := strings.CutPrefix(stem, scanID)
		if !found || (other != "" && !strings.HasPrefix(other, "-shard-")) {
			continue
		}
		if other == "" || shard == "" || other == shard || shardCount(other) != shardCount(shard) {
			return name
		}
	}
	return ""
}

// shardCount returns the n of a "-shard-<i>-of-<n>" suffix.
func shardCount(suffix string) string {
	_, n, _ := strings.Cut(suffix, "-of-")
	return n
}

// checkScanID refuses a scan id that an earlier run in out used (see
// above). list returns the names in OUT/scans that start with the id.
func checkScanID(ctx context.Context, out *outputs, scanID, shard string) error {
	names, err := out.summaries(ctx, scanID)
	if err != nil {
		return usageErr("--out %s: list run summaries: %w", out.where(), err)
	}
	if name := scanIDConflict(names, scanID, shard); name != "" {
		return usageErr("--scan-id %s: already used by the run of %s (scan ids must be unique per run; the shards of one run share theirs, with one shard count)",
			scanID, out.locate(path.Join("scans", name)))
	}
	return nil
}

// localSummaries lists the run summaries of a local --out that start
// with prefix.
func localSummaries(dir, prefix string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "scans"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// ossSummaries lists the run summaries under the scans/ folder of an
// oss:// --out (key prefix scansKey) that start with prefix.
func ossSummaries(ctx context.Context, bucket *oss.Bucket, scansKey, prefix string) ([]string, error) {
	var names []string
	token := ""
	for {
		opts := []oss.Option{oss.WithContext(ctx), oss.Prefix(scansKey + prefix), oss.MaxKeys(1000)}
		if token != "" {
			opts = append(opts, oss.ContinuationToken(token))
		}
		var page oss.ListObjectsResultV2
		err := scanner.OSSRetry{}.Do(ctx, func() error {
			var err error
			page, err = bucket.ListObjectsV2(opts...)
			return err
		})
		if err != nil {
			return nil, scanner.DescribeOSS(err)
		}
		for _, o := range page.Objects {
			names = append(names, strings.TrimPrefix(o.Key, scansKey))
		}
		if !page.IsTruncated {
			return names, nil
		}
		if page.NextContinuationToken == "" {
			return nil, fmt.Errorf("list %s: truncated page without a continuation token", scansKey)
		}
		token = page.NextContinuationToken
	}
}

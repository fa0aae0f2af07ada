// Command gencorpus writes the seeded synthetic corpus of package corpus and
// its labels.
//
//	go run ./benchmarks/corpus/cmd/gencorpus -out DIR -seed 1 [-scale N] [-size 100MB] [-labels FILE]
//	    [-as-of YYYY-MM-DD] [-formats csv,log,...] [-force]
//
// The labels file (JSON Lines) defaults to DIR.labels.jsonl, next to the
// corpus directory and outside it, so that a scan of DIR does not see it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/piiscan/piiscan/benchmarks/corpus"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(args []string) error {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	out := fs.String("out", "", "corpus directory to write (required)")
	seed := fs.Int64("seed", 1, "random seed")
	scale := fs.Int("scale", 0, "records per tabular file (0 = small default)")
	size := fs.String("size", "", "fill with bulk files up to about this size, e.g. 100MB, 1GiB")
	labels := fs.String("labels", "", "labels file (default DIR.labels.jsonl)")
	asOf := fs.String("as-of", "", "reference day for minors, YYYY-MM-DD (default 2026-11-23)")
	formats := fs.String("formats", "", "comma-separated subset of: "+strings.Join(corpus.Formats, ","))
	force := fs.Bool("force", false, "write into a non-empty directory (stale files stay and are not labelled)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *out == "" {
		return fmt.Errorf("%w: -out is required", errUsage)
	}
	opts := corpus.Options{Seed: *seed, Scale: *scale}
	if *size != "" {
		n, err := parseSize(*size)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		opts.TargetBytes = n
	}
	if *asOf != "" {
		d, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			return fmt.Errorf("%w: -as-of: %v", errUsage, err)
		}
		opts.AsOf = d
	}
	if *formats != "" {
		opts.Formats = strings.Split(*formats, ",")
	}
	if *labels == "" {
		*labels = filepath.Clean(*out) + ".labels.jsonl"
	}
	if rel, err := filepath.Rel(*out, *labels); err == nil && !strings.HasPrefix(rel, "..") {
		return fmt.Errorf("%w: the labels file must be outside the corpus directory", errUsage)
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 && !*force {
		return fmt.Errorf("%w: %s is not empty; stale files would be scanned without labels (use -force)", errUsage, *out)
	}
	start := time.Now()
	m, err := corpus.Generate(*out, opts)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if err := m.WriteLabels(*labels); err != nil {
		return err
	}
	var bytes int64
	for _, f := range m.Files {
		st, err := os.Stat(filepath.Join(*out, filepath.FromSlash(f)))
		if err != nil {
			return err
		}
		bytes += st.Size()
	}
	fmt.Printf("wrote %d files (%d PII-free), %d labels, %.1f MB in %v (%.0f MB/s); labels in %s\n",
		len(m.Files), len(m.PIIFree), len(m.Labels), float64(bytes)/1e6, elapsed.Round(time.Millisecond),
		float64(bytes)/1e6/elapsed.Seconds(), *labels)
	return nil
}

// parseSize reads sizes such as 5000, 64KB, 100MB, 1GiB (KB/MB/GB are powers
// of 1000, KiB/MiB/GiB of 1024).
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1}}
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, x := range units {
		if strings.HasSuffix(u, x.suffix) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, x.suffix)), x.mult
			break
		}
	}
	v, err := strconv.ParseFloat(u, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(v * float64(mult)), nil
}

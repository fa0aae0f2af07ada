package main

import (
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/scanner"
)

// limitFlags are the per-object limits that scan and redact share, with
// the scanner's defaults.
type limitFlags struct {
	maxObjectSize  string
	maxDecodedSize string
	maxRatio       int64
	maxMembers     int64
	maxDepth       int
	objectTimeout  time.Duration
}

// register adds the limit flags; verb says what is stopped ("scanning",
// "rewriting").
func (l *limitFlags) register(fl *pflag.FlagSet, verb string) {
	fl.StringVar(&l.maxObjectSize, "max-object-size", humanize.IBytes(scanner.DefaultMaxObjectSize), "skip larger objects (reason too_large)")
	fl.StringVar(&l.maxDecodedSize, "max-decoded-size", humanize.IBytes(scanner.DefaultMaxDecodedSize), "stop decompressing an object beyond this many bytes (reason archive_limit)")
	fl.Int64Var(&l.maxRatio, "max-ratio", scanner.DefaultMaxRatio, "stop decompressing beyond this output/input ratio (reason archive_limit)")
	fl.Int64Var(&l.maxMembers, "max-members", scanner.DefaultMaxMembers, "stop reading an archive after this many members, nested ones included (reason archive_limit)")
	fl.IntVar(&l.maxDepth, "max-archive-depth", scanner.DefaultMaxArchiveDepth, "do not open containers nested deeper than this (archives in archives, gzip of gzip; reason archive_limit)")
	fl.DurationVar(&l.objectTimeout, "object-timeout", scanner.DefaultObjectTimeout, "stop "+verb+" one object after this long (reason timeout)")
}

// objectLimits are the limit flags checked and resolved.
type objectLimits struct {
	maxObjectSize  int64
	maxDecodedSize int64
	maxRatio       int64
	maxMembers     int64
	maxDepth       int
	objectTimeout  time.Duration
}

func (l *limitFlags) resolve() (objectLimits, error) {
	r := objectLimits{maxRatio: l.maxRatio, maxMembers: l.maxMembers, maxDepth: l.maxDepth, objectTimeout: l.objectTimeout}
	var err error
	if r.maxObjectSize, err = parseSize("--max-object-size", l.maxObjectSize); err != nil {
		return r, err
	}
	if r.maxDecodedSize, err = parseSize("--max-decoded-size", l.maxDecodedSize); err != nil {
		return r, err
	}
	return r, nil
}

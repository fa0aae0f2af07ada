package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/piiscan/piiscan/cmd/osslocal/server"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK    = 0
	exitServe = 1
	exitUsage = 2
)

// Environment variables holding the accepted credentials (DESIGN.md section 2).
const (
	envKeyID  = "OSS_ACCESS_KEY_ID"
	envSecret = "OSS_ACCESS_KEY_SECRET"
	envToken  = "OSS_SESSION_TOKEN"
)

// usageError marks configuration problems (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// options are the command-line flags.
type options struct {
	root, addr, region     string
	errorRate, throttle    float64
	resetRate              float64
	latency, restoreDelay  time.Duration
	seed                   uint64
	faultOps, deny, domain []string
	logLevel, logFormat    string
}

// run executes the command line until ctx is cancelled and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := newCmd(ctx, getenv, stderr)
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "osslocal:", err)
	var ue *usageError
	if errors.As(err, &ue) || !errors.Is(err, errServe) {
		return exitUsage // includes cobra's own flag errors
	}
	return exitServe
}

// errServe marks failures after the server started.
var errServe = errors.New("serve")

func newCmd(ctx context.Context, getenv func(string) string, stderr io.Writer) *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:   "osslocal --root DIR [--addr 127.0.0.1:9000] [flags]",
		Short: "Serve a folder as a local Alibaba Cloud OSS endpoint",
		Long: "osslocal serves the sub-folders of --root as OSS buckets. Clients sign requests (V1 or V4) with the\n" +
			"key pair in " + envKeyID + " and " + envSecret + "; " + envToken + " optionally sets an STS token that\n" +
			"every request must carry. Go SDK: oss.New(\"http://ADDR\", id, secret); ali-oss: {endpoint: \"http://ADDR\"}.",
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(ctx, o, getenv, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.root, "root", "", "folder to serve; each sub-folder is a bucket (required)")
	f.StringVar(&o.addr, "addr", "127.0.0.1:9000", "listen address")
	f.StringVar(&o.region, "region", server.DefaultRegion, "region that V4 signatures must use")
	f.Float64Var(&o.errorRate, "error-rate", 0, "fraction of requests answered 500 InternalError")
	f.Float64Var(&o.throttle, "throttle-rate", 0, "fraction of requests answered 503 ServiceUnavailable")
	f.Float64Var(&o.resetRate, "reset-rate", 0, "fraction of GetObject responses cut mid-body")
	f.DurationVar(&o.latency, "latency", 0, "delay added to every request")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the fault decisions")
	f.StringSliceVar(&o.faultOps, "fault-ops", nil, "limit faults and latency to these operations (e.g. GetObject,ListObjectsV2)")
	f.StringSliceVar(&o.deny, "deny-prefix", nil, "bucket/prefix whose objects answer 403 AccessDenied (repeatable)")
	f.StringSliceVar(&o.domain, "domain", nil, "extra base domain for virtual-hosted-style requests (repeatable)")
	f.DurationVar(&o.restoreDelay, "restore-delay", 0, "time a RestoreObject of an Archive object takes")
	f.StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error (debug logs every request)")
	f.StringVar(&o.logFormat, "log-format", "text", "text or json")
	return cmd
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("parse --log-level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("parse --log-format %q: want text or json", format)
}

func serve(ctx context.Context, o options, getenv func(string) string, stderr io.Writer) error {
	if o.root == "" {
		return usagef("--root is required")
	}
	id, secret := getenv(envKeyID), getenv(envSecret)
	if id == "" || secret == "" {
		return usagef("set %s and %s to the key pair clients will sign with", envKeyID, envSecret)
	}
	log, err := newLogger(stderr, o.logLevel, o.logFormat)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{
		Root: o.root, AccessKeyID: id, AccessKeySecret: secret, SecurityToken: getenv(envToken),
		Region: o.region, Domains: o.domain, DenyPrefixes: o.deny, RestoreDelay: o.restoreDelay, Logger: log,
		ErrorRate: o.errorRate, ThrottleRate: o.throttle, ResetRate: o.resetRate, Latency: o.latency,
		Seed: o.seed, FaultOps: o.faultOps,
	})
	if err != nil {
		return &usageError{err}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return usagef("listen on %s: %w", o.addr, err)
	}
	log.LogAttrs(ctx, slog.LevelInfo, "osslocal listening",
		slog.String("url", "http://"+ln.Addr().String()), slog.String("root", srv.Root()),
		slog.String("region", o.region), slog.Bool("sts", getenv(envToken) != ""),
		slog.String("faults", faultSummary(o)))
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("%w: %w", errServe, err)
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "osslocal stopped")
	return nil
}

// faultSummary describes the enabled faults for the startup line.
func faultSummary(o options) string {
	var parts []string
	if o.errorRate > 0 {
		parts = append(parts, fmt.Sprintf("error-rate=%g", o.errorRate))
	}
	if o.throttle > 0 {
		parts = append(parts, fmt.Sprintf("throttle-rate=%g", o.throttle))
	}
	if o.resetRate > 0 {
		parts = append(parts, fmt.Sprintf("reset-rate=%g", o.resetRate))
	}
	if o.latency > 0 {
		parts = append(parts, "latency="+o.latency.String())
	}
	if len(parts) == 0 {
		return "none"
	}
	parts = append(parts, fmt.Sprintf("seed=%d", o.seed))
	if len(o.faultOps) > 0 {
		parts = append(parts, "ops="+strings.Join(o.faultOps, ","))
	}
	return strings.Join(parts, " ")
}

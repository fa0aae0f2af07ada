// Command osslocal serves a folder as a local Alibaba Cloud OSS endpoint for
// demos and tests: each sub-folder of --root is a bucket. It checks V1 and
// V4 request signatures against the key pair in OSS_ACCESS_KEY_ID and
// OSS_ACCESS_KEY_SECRET and can inject faults (errors, throttling, latency,
// connections cut mid-body). See package
// github.com/piiscan/piiscan/cmd/osslocal/server for the client settings.
//
// Exit codes: 0 after a clean shutdown (SIGINT or SIGTERM); 1 when serving
// fails; 2 for a usage or configuration error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

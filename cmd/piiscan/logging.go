package main

import (
	"github.com/spf13/cobra"

	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// console serializes writes to stderr between the log handler and the
// progress line, clearing the progress line before a log line is written.
type console struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	progress string // the progress line currently shown
}

func newConsole(w io.Writer) *console {
	c := &console{w: w}
	if f, ok := w.(*os.File); ok {
		c.tty = term.IsTerminal(int(f.Fd()))
	}
	return c
}

// Write writes a log line, redrawing the progress line after it.
func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tty && c.progress != "" {
		fmt.Fprint(c.w, "\r\033[K")
	}
	n, err := c.w.Write(p)
	if c.tty && c.progress != "" {
		fmt.Fprint(c.w, c.progress)
	}
	return n, err
}

// setProgress shows a progress line (terminals only).
func (c *console) setProgress(line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.progress = line
	fmt.Fprint(c.w, "\r\033[K"+line)
}

// clearProgress removes the progress line.
func (c *console) clearProgress() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.progress != "" {
		fmt.Fprint(c.w, "\r\033[K")
		c.progress = ""
	}
}

// newLogger builds the run's logger: text on a terminal and JSON otherwise,
// unless --log-format says which.
func newLogger(c *console, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageErr("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "":
		if c.tty {
			return slog.New(slog.NewTextHandler(c, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(c, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(c, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(c, opts)), nil
	}
	return nil, usageErr("--log-format %q: want text or json", format)
}

// quietLevel is the log level of a run: with --quiet, warnings and errors
// only, unless --log-level was given.
func quietLevel(cmd *cobra.Command, quiet bool, level string) string {
	if quiet && !cmd.Flags().Changed("log-level") {
		return "warn"
	}
	return level
}

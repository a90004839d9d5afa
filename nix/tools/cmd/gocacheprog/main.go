// Command gocacheprog is a GOCACHEPROG program that keeps the Go build cache
// in directories fit to be Nix derivation outputs.
//
// Environment:
//
//	GOSET_CACHE_OUT     directory that receives every put (created if missing)
//	GOSET_CACHE_INPUTS  ':'-separated read-only cache directories, consulted
//	                    on get in order after GOSET_CACHE_OUT
//	GOSET_CACHE_INPUTS_FILE
//	                    a file listing more such directories, one a line
//	                    (a large closure does not fit in one environment
//	                    variable: Linux caps each at 128 KiB)
//	GOSET_CACHE_LOG     optional file; each get miss appends its action ID
//
// When go closes the cache it prints one line to stderr:
//
//	gocacheprog: gets=N hits=H misses=M puts=P
//
// See package goset.dev/tools/internal/cachestore for the on-disk layout.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"goset.dev/tools/internal/cacheprog"
	"goset.dev/tools/internal/cachestore"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "gocacheprog: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	out := os.Getenv("GOSET_CACHE_OUT")
	if out == "" {
		return fmt.Errorf("GOSET_CACHE_OUT is not set")
	}
	inputs := splitInputs(os.Getenv("GOSET_CACHE_INPUTS"))
	if file := os.Getenv("GOSET_CACHE_INPUTS_FILE"); file != "" {
		listed, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("GOSET_CACHE_INPUTS_FILE: %w", err)
		}
		inputs = append(inputs, strings.Fields(string(listed))...)
	}
	store, err := cachestore.Open(out, inputs)
	if err != nil {
		return err
	}
	var missLog io.Writer
	if path := os.Getenv("GOSET_CACHE_LOG"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("GOSET_CACHE_LOG: %w", err)
		}
		defer f.Close()
		missLog = f
	}
	stats, err := cacheprog.Serve(os.Stdin, os.Stdout, store, missLog)
	fmt.Fprintln(os.Stderr, stats)
	if err != nil {
		return err
	}
	// cmd/go closes our stdin after the close exchange; wait for it.
	_, err = io.Copy(io.Discard, os.Stdin)
	return err
}

func splitInputs(list string) []string {
	var dirs []string
	for _, dir := range strings.Split(list, ":") {
		if dir != "" {
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

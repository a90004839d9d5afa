// Command modcache builds a GOMODCACHE for one build from a JSON manifest.
//
//	modcache MANIFEST.json
//
// The manifest is {"modules":[{"path","version","dir","goMod","sum"}],"out"};
// see package goset.dev/tools/internal/modcache for the layout written.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"goset.dev/tools/internal/modcache"
)

const usage = "usage: modcache MANIFEST.json"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "modcache: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return errors.New(usage)
	}
	m, err := modcache.ReadManifest(args[0])
	if err != nil {
		return err
	}
	return modcache.Build(m)
}

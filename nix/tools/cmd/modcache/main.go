// Command modcache builds a GOMODCACHE for one build from a JSON manifest,
// or prints a normalized go.mod.
//
//	modcache MANIFEST.json
//	modcache patchgomod MODULE GOVERSION [PATH@VERSION ...]
//
// The manifest is {"modules":[{"path","version","dir","goMod","sum"}],"out"};
// see package goset.dev/tools/internal/modcache for the layout written.
// GOVERSION may be "" to leave out the go line.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"goset.dev/tools/internal/modcache"
)

const usage = "usage: modcache MANIFEST.json\n       modcache patchgomod MODULE GOVERSION [PATH@VERSION ...]"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "modcache: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) >= 3 && args[0] == "patchgomod":
		reqs, err := parseRequirements(args[3:])
		if err != nil {
			return err
		}
		text, err := modcache.PatchGoMod(args[1], args[2], reqs)
		if err != nil {
			return err
		}
		_, err = os.Stdout.WriteString(text)
		return err
	case len(args) == 1 && args[0] != "patchgomod" && !strings.HasPrefix(args[0], "-"):
		m, err := modcache.ReadManifest(args[0])
		if err != nil {
			return err
		}
		return modcache.Build(m)
	default:
		return errors.New(usage)
	}
}

func parseRequirements(args []string) ([]modcache.Requirement, error) {
	var reqs []modcache.Requirement
	for _, arg := range args {
		p, v, ok := strings.Cut(arg, "@")
		if !ok || p == "" || v == "" {
			return nil, fmt.Errorf("requirement %q is not PATH@VERSION", arg)
		}
		reqs = append(reqs, modcache.Requirement{Path: p, Version: v})
	}
	return reqs, nil
}

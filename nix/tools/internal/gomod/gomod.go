// Package gomod reads and edits go.mod files through the go command itself
// (`go mod edit`), so that they are parsed and written by go's own grammar.
package gomod

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
)

// ModuleVersion is a module path with an optional version.
type ModuleVersion struct {
	Path    string
	Version string
}

// Replacement is one replace directive: Old (its version empty when every
// version is replaced) => New.
type Replacement struct {
	Old ModuleVersion
	New ModuleVersion
}

// File is the part of `go mod edit -json`'s output the builds read.
type File struct {
	Module  ModuleVersion
	Require []ModuleVersion
	Replace []Replacement
}

// Read parses the go.mod file name with `goBin mod edit -json`.
func Read(goBin, name string) (File, error) {
	out, err := run(goBin, "mod", "edit", "-json", name)
	if err != nil {
		return File{}, err
	}
	var f File
	if err := json.Unmarshal(out, &f); err != nil {
		return File{}, fmt.Errorf("go mod edit -json %s: %w", name, err)
	}
	return f, nil
}

// Edit applies go mod edit flags (-require=..., -replace=...) to the go.mod
// file name, in order.
func Edit(goBin, name string, flags []string) error {
	_, err := run(goBin, append(append([]string{"mod", "edit"}, flags...), name)...)
	return err
}

func run(goBin string, args ...string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(goBin, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s", strings.Join(args[:2], " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

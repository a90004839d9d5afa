// Package buildplan carries out the plans the Nix builders pass as JSON
// (builtins.toJSON through passAsFile): a module derivation's go.mod files
// and package build (ModulePlan), and an application's go.mod patched to
// the set (AppPlan).
package buildplan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"goset.dev/tools/internal/modcache"
)

// Requirement is a module path at the version the set builds.
type Requirement = modcache.Requirement

// Read decodes the JSON plan in file into plan, rejecting unknown fields
// (a Nix side and a helper out of step).
func Read(file string, plan any) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(plan); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

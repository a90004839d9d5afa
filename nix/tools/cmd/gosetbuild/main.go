// Command gosetbuild carries out the build plans of goset's Nix builders,
// JSON files written by builtins.toJSON (see nix/tools/README.md):
//
//	gosetbuild module-setup PLAN.json OUT MAINDIR
//	gosetbuild module-build PLAN.json OUT
//	gosetbuild app-setup PLAN.json FORKSDIR
//
// module-setup writes a module derivation's go.mod files under OUT/modules
// and the go.mod of a main module requiring what it builds in MAINDIR;
// module-build, run in MAINDIR once the module cache is in place, compiles
// the plan's packages and writes OUT/nix-support/goset-packages.json.
// app-setup, run in an application's module root, patches its go.mod to the
// set and copies forks outside the set into FORKSDIR.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

	"goset.dev/tools/internal/buildplan"
)

const usage = `usage: gosetbuild module-setup PLAN.json OUT MAINDIR
       gosetbuild module-build PLAN.json OUT
       gosetbuild app-setup PLAN.json FORKSDIR`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("gosetbuild: %w", err)
	}
	switch cmd, rest := args[0], args[1:]; {
	case cmd == "module-setup" && len(rest) == 3:
		plan, err := readPlan[buildplan.ModulePlan](rest[0])
		if err == nil {
			err = buildplan.WriteGoMods(plan, rest[1], rest[2])
		}
		return labelled(err)
	case cmd == "module-build" && len(rest) == 2:
		plan, err := readPlan[buildplan.ModulePlan](rest[0])
		if err == nil {
			err = buildplan.BuildPackages(plan, goBin, rest[1], os.Stderr)
		}
		return labelled(err)
	case cmd == "app-setup" && len(rest) == 2:
		plan, err := readPlan[buildplan.AppPlan](rest[0])
		if err != nil {
			return labelled(err)
		}
		// Its errors name the package: "goset: NAME: ...".
		return buildplan.SetUpApp(plan, goBin, rest[1], os.Stderr)
	default:
		return errors.New(usage)
	}
}

func readPlan[P any](file string) (P, error) {
	var plan P
	err := buildplan.Read(file, &plan)
	return plan, err
}

func labelled(err error) error {
	if err != nil {
		return fmt.Errorf("gosetbuild: %w", err)
	}
	return nil
}

package buildplan

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"goset.dev/tools/internal/gomod"
	"goset.dev/tools/internal/modcache"
)

// AppPlan is how buildGoApplication patches a program's go.mod
// (nix/build-go-application.nix): every set member it builds against is
// required at the set's version, every other requirement is dropped, and
// replaced modules point at forks or directories.
type AppPlan struct {
	// Name is the package's pname and ModRoot the directory of its go.mod in
	// the source, both for messages.
	Name    string `json:"name"`
	ModRoot string `json:"modRoot"`
	// ModulePath, when not empty, is the module go.mod must declare.
	ModulePath string `json:"modulePath"`
	// Requires holds every set member built against, except replaced ones.
	Requires    []Requirement `json:"requires"`
	Forks       []Fork        `json:"forks"`
	DirReplaces []DirReplace  `json:"dirReplaces"`
}

// Fork replaces the module Replaced by module Path at Version.
type Fork struct {
	Replaced string `json:"replaced"`
	Path     string `json:"path"`
	Version  string `json:"version"`
	// Dir is the fork's case-escaped path@version, its directory under the
	// forks directory.
	Dir string `json:"dir"`
	// Src holds the fork's files, to be copied with the set's go.mod; empty
	// when the fork is a set member, already in the module cache.
	Src string `json:"src,omitempty"`
	// Go is the go line of the fork's go.mod ("" for none), Requires its
	// requirements at the set's versions.
	Go       string        `json:"go"`
	Requires []Requirement `json:"requires"`
}

// DirReplace replaces the module Replaced by the directory Dir ("./x"),
// relative to the module root.
type DirReplace struct {
	Replaced string `json:"replaced"`
	Dir      string `json:"dir"`
}

// SetUpApp patches the go.mod in the current directory (the module root) as
// the plan says, and copies the forks outside the set into forksDir. Notices
// go to log.
func SetUpApp(plan AppPlan, goBin, forksDir string, log io.Writer) error {
	if err := setUpApp(plan, goBin, forksDir, log); err != nil {
		return fmt.Errorf("goset: %s: %w", plan.Name, err)
	}
	return nil
}

func setUpApp(plan AppPlan, goBin, forksDir string, log io.Writer) error {
	main, err := readMainGoMod(plan, goBin)
	if err != nil {
		return err
	}
	// The set's go.mod files differ from the ones go.sum recorded.
	if err := removeFiles("go.sum", "go.work", "go.work.sum"); err != nil {
		return err
	}
	dirMods := map[string]gomod.File{}
	for _, d := range plan.DirReplaces {
		if dirMods[d.Replaced], err = gomod.Read(goBin, d.goModFile()); err != nil {
			return err
		}
	}
	e := planEdits(plan, main, dirMods)
	for _, n := range e.notices {
		fmt.Fprintln(log, n)
	}
	for _, f := range plan.Forks {
		if err := layOutFork(f, forksDir); err != nil {
			return err
		}
	}
	for _, d := range plan.DirReplaces {
		if err := editGoMod(goBin, d.goModFile(), e.dirs[d.Replaced]); err != nil {
			return err
		}
	}
	return editGoMod(goBin, "go.mod", e.main)
}

func (d DirReplace) goModFile() string { return d.Dir + "/go.mod" }

func readMainGoMod(plan AppPlan, goBin string) (gomod.File, error) {
	if info, err := os.Stat("go.mod"); err != nil || !info.Mode().IsRegular() {
		return gomod.File{}, fmt.Errorf("no go.mod in %s", plan.ModRoot)
	}
	main, err := gomod.Read(goBin, "go.mod")
	if err != nil {
		return gomod.File{}, err
	}
	if plan.ModulePath != "" && main.Module.Path != plan.ModulePath {
		return gomod.File{}, fmt.Errorf("go.mod declares module %s, but modulePath is %s", main.Module.Path, plan.ModulePath)
	}
	return main, nil
}

func removeFiles(names ...string) error {
	for _, name := range names {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func editGoMod(goBin, file string, flags []string) error {
	if len(flags) == 0 {
		return nil
	}
	return gomod.Edit(goBin, file, flags)
}

// edits are the go mod edit flags of an application's go.mod (main) and of
// its directory replacements' go.mod files (dirs, by replaced path), with
// the notices to print.
type edits struct {
	main    []string
	dirs    map[string][]string
	notices []string
}

// planEdits computes the edits from the parsed go.mod files: the main
// go.mod's requirements raised or dropped, the set's requirements added,
// every replacement of a replaced path swapped for the plan's, and each
// replacement directory's requirements raised or dropped.
func planEdits(plan AppPlan, main gomod.File, dirMods map[string]gomod.File) edits {
	p := patcher{name: plan.Name, set: map[string]string{}, replaced: map[string]bool{}}
	for _, r := range plan.Requires {
		p.set[r.Path] = r.Version
	}
	for _, f := range plan.Forks {
		p.replaced[f.Replaced] = true
	}
	for _, d := range plan.DirReplaces {
		p.replaced[d.Replaced] = true
	}

	e := edits{dirs: map[string][]string{}}
	e.main = p.requirementFlags("go.mod", main)
	for _, r := range plan.Requires {
		e.main = append(e.main, "-require="+r.Path+"@"+r.Version)
	}
	for _, f := range plan.Forks {
		e.main = append(e.main, dropReplaceFlags(main, f.Replaced)...)
		e.main = append(e.main, "-replace="+f.Replaced+"="+f.Path+"@"+f.Version)
	}
	for _, d := range plan.DirReplaces {
		e.main = append(e.main, dropReplaceFlags(main, d.Replaced)...)
		e.main = append(e.main, "-replace="+d.Replaced+"="+d.Dir)
		e.dirs[d.Replaced] = p.requirementFlags(d.goModFile(), dirMods[d.Replaced])
	}
	e.notices = p.notices
	return e
}

type patcher struct {
	name     string
	set      map[string]string // path -> the set's version
	replaced map[string]bool
	notices  []string
}

// requirementFlags raises each requirement of a go.mod to the set's version
// and drops the ones the build does not use (no package of theirs is built
// against), so that the module graph closes over the set's modules and the
// replaced ones.
func (p *patcher) requirementFlags(file string, mod gomod.File) []string {
	var flags []string
	for _, r := range mod.Require {
		switch version, inSet := p.set[r.Path]; {
		case p.replaced[r.Path]:
		case inSet:
			flags = append(flags, "-require="+r.Path+"@"+version)
		default:
			p.notices = append(p.notices, fmt.Sprintf("goset: %s: dropping the requirement %s %s of %s: no package of it is built against", p.name, r.Path, r.Version, file))
			flags = append(flags, "-droprequire="+r.Path)
		}
	}
	return flags
}

// dropReplaceFlags removes every replacement of path from a go.mod.
func dropReplaceFlags(mod gomod.File, path string) []string {
	var flags []string
	for _, r := range mod.Replace {
		switch {
		case r.Old.Path != path:
		case r.Old.Version == "":
			flags = append(flags, "-dropreplace="+path)
		default:
			flags = append(flags, "-dropreplace="+path+"@"+r.Old.Version)
		}
	}
	return flags
}

// layOutFork copies a fork outside the set into forksDir with the set's
// go.mod.
func layOutFork(f Fork, forksDir string) error {
	if f.Src == "" {
		return nil
	}
	goMod, err := modcache.PatchGoMod(f.Path, f.Go, f.Requires)
	if err != nil {
		return err
	}
	dest := filepath.Join(forksDir, filepath.FromSlash(f.Dir))
	if err := copyTree(f.Src, dest); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dest, "go.mod"), []byte(goMod), 0o644)
}

// copyTree copies the directory src to dest as `cp -r --no-preserve=mode`
// does: writable files without executable bits, symbolic links as links.
func copyTree(src, dest string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dest, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, 0o644)
		}
	})
}

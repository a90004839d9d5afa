package buildplan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"goset.dev/tools/internal/modcache"
)

// ModulePlan is the build of one module derivation (nix/mk-go-module.nix),
// or of the standard library's, which has no modules.
type ModulePlan struct {
	GoVersion string `json:"goVersion"`
	// Modules are the derivation's own: one module, or a cycle's members.
	Modules []OwnModule `json:"modules"`
	// Depends holds every module built against, at the set's version.
	Depends []Requirement `json:"depends"`
	// Packages are the import paths (or path/... patterns) to build.
	Packages []string `json:"packages"`
}

// OwnModule is a module the derivation builds.
type OwnModule struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	// Dir is the case-escaped path@version, its directory under OUT/modules.
	Dir string `json:"dir"`
	// Go is the go line of its go.mod ("" for none).
	Go string `json:"go"`
}

// WriteGoMods writes the go.mod of each own module, module and go lines
// only, to out/modules/<dir>/go.mod, and the go.mod of a throwaway main
// module in mainDir. The main module requires the own modules and every
// module built against at the set's version: the dependencies' go.mod files
// require nothing, so these are what go selects.
func WriteGoMods(plan ModulePlan, out, mainDir string) error {
	requires := slices.Clone(plan.Depends)
	for _, m := range plan.Modules {
		text, err := modcache.PatchGoMod(m.Path, m.Go, nil)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(out, "modules", filepath.FromSlash(m.Dir), "go.mod"), text); err != nil {
			return err
		}
		requires = append(requires, Requirement{Path: m.Path, Version: m.Version})
	}
	text, err := modcache.PatchGoMod("goset-build", plan.GoVersion, requires)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(mainDir, "go.mod"), text)
}

func writeFile(name, content string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(content), 0o644)
}

// listFormat prints, for each package, its module path, import path, name,
// export data file and why it cannot build ("" when it can). Fields end with
// \x1f and records with \x00 (go list adds a newline after each), so that
// error texts may hold anything.
const listFormat = `{{if .Module}}{{.Module.Path}}{{end}}{{"\x1f"}}{{.ImportPath}}{{"\x1f"}}{{.Name}}{{"\x1f"}}{{.Export}}{{"\x1f"}}` +
	`{{if .Error}}{{.Error.Err}}{{else if not (or .GoFiles .CgoFiles)}}no non-test Go files{{else}}{{range .DepsErrors}}{{.Err}}{{"\n"}}{{end}}{{end}}{{"\x1f\x00"}}`

// PackageResult is one package of the report: built, or why not.
type PackageResult struct {
	ImportPath string `json:"importPath"`
	Built      bool   `json:"built"`
	Reason     string `json:"reason,omitempty"`
}

// Report is out/nix-support/goset-packages.json.
type Report struct {
	Packages []PackageResult `json:"packages"`
}

// BuildPackages compiles the plan's packages in the main module of the
// current directory: one go list compiles every package that can build
// (-export: each package's export data, through the same cache entries go
// build would use) and says why the others cannot; -e keeps going past
// them. The own modules' packages are reported in
// out/nix-support/goset-packages.json.
func BuildPackages(plan ModulePlan, goBin, out string, log io.Writer) error {
	var listed []byte
	if len(plan.Packages) > 0 {
		cmd := exec.Command(goBin, append([]string{"list", "-v", "-e", "-export", "-f", listFormat}, plan.Packages...)...)
		cmd.Stderr = log
		var err error
		if listed, err = cmd.Output(); err != nil {
			return fmt.Errorf("go list: %w", err)
		}
	}
	own := map[string]bool{}
	for _, m := range plan.Modules {
		own[m.Path] = true
	}
	results, err := classifyPackages(listed, own)
	if err != nil {
		return err
	}
	name := filepath.Join(out, "nix-support", "goset-packages.json")
	if err := writeReport(name, results); err != nil {
		return err
	}
	built := 0
	for _, r := range results {
		if r.Built {
			built++
		}
	}
	fmt.Fprintf(log, "goset: built %d packages, skipped %d (see %s)\n", built, len(results)-built, name)
	return nil
}

// classifyPackages reads go list's records (listFormat) and returns the
// packages of the own modules, sorted by import path.
func classifyPackages(listed []byte, own map[string]bool) ([]PackageResult, error) {
	byPath := map[string]PackageResult{}
	for _, record := range strings.Split(string(listed), "\x00") {
		record = strings.TrimPrefix(record, "\n")
		if record == "" {
			continue
		}
		fields := strings.Split(record, "\x1f")
		if len(fields) != 6 || fields[5] != "" {
			return nil, fmt.Errorf("go list printed an unexpected record %q", record)
		}
		module, importPath, name, export, reason := fields[0], fields[1], fields[2], fields[3], fields[4]
		if !own[module] {
			continue
		}
		r := PackageResult{ImportPath: importPath}
		switch {
		case reason != "":
			// go reports errors of dependencies in no fixed order.
			r.Reason = sortedLines(reason)
		case name == "main":
			r.Reason = "command (package main): dependents cannot import it"
		case export != "":
			r.Built = true
		default:
			r.Reason = "go list -export produced no export data"
		}
		byPath[importPath] = r
	}
	results := make([]PackageResult, 0, len(byPath))
	for _, r := range byPath {
		results = append(results, r)
	}
	slices.SortFunc(results, func(a, b PackageResult) int { return strings.Compare(a.ImportPath, b.ImportPath) })
	return results, nil
}

// sortedLines sorts the lines of a text and drops repeated ones.
func sortedLines(text string) string {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	slices.Sort(lines)
	return strings.TrimRight(strings.Join(slices.Compact(lines), "\n"), "\n")
}

func writeReport(name string, results []PackageResult) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Report{Packages: results}); err != nil {
		return err
	}
	return writeFile(name, b.String())
}

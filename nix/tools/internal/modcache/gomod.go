package modcache

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Requirement is one require line of a go.mod file.
type Requirement struct {
	Path    string `json:"path"`
	Version string `json:"version"`
}

// PatchGoMod renders the go.mod a module is built with: its module line, its
// go line (left out when goVersion is empty, which go reads as 1.16) and one
// require block sorted by path. Every other directive of the original is
// dropped, as cmd/go ignores them in dependencies anyway.
func PatchGoMod(modulePath, goVersion string, reqs []Requirement) (string, error) {
	if err := checkToken("module path", modulePath); err != nil {
		return "", err
	}
	if goVersion != "" {
		if err := checkToken("go version", goVersion); err != nil {
			return "", err
		}
	}
	sorted := slices.Clone(reqs)
	slices.SortFunc(sorted, func(a, b Requirement) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Version, b.Version))
	})
	sorted = slices.Compact(sorted)
	for i, r := range sorted {
		if err := checkToken("required module path", r.Path); err != nil {
			return "", err
		}
		if err := checkToken("version of "+r.Path, r.Version); err != nil {
			return "", err
		}
		if i > 0 && sorted[i-1].Path == r.Path {
			return "", fmt.Errorf("%s requires %s at both %s and %s", modulePath, r.Path, sorted[i-1].Version, r.Version)
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n", modulePath)
	if goVersion != "" {
		fmt.Fprintf(&b, "\ngo %s\n", goVersion)
	}
	if len(sorted) > 0 {
		b.WriteString("\nrequire (\n")
		for _, r := range sorted {
			fmt.Fprintf(&b, "\t%s %s\n", r.Path, r.Version)
		}
		b.WriteString(")\n")
	}
	return b.String(), nil
}

// checkToken rejects what would need quoting or end a go.mod line early.
func checkToken(what, s string) error {
	if s == "" {
		return fmt.Errorf("%s is empty", what)
	}
	if strings.ContainsAny(s, " \t\r\n\"`") || strings.Contains(s, "//") {
		return fmt.Errorf("%s %q holds a space, a quote or a comment", what, s)
	}
	return nil
}

// Package modcache lays out a GOMODCACHE from module source directories that
// are already extracted (in the Nix store), so go builds without a network.
//
// For a module path P at version V (both case-escaped, see EscapeCase) Build
// writes under the output directory:
//
//	P@V                          symlink to the module's source directory
//	cache/download/P/@v/V.mod    the go.mod go reads for P@V (the patched one)
//	cache/download/P/@v/V.info   {"Version":"V"}
//	cache/download/P/@v/V.ziphash  the h1: hash of the module's files
//	cache/download/P/@v/list     every version of P in the manifest
//
// cmd/go treats P@V as complete only when V.ziphash exists, and it reads a
// dependency's go.mod from V.mod, not from P@V/go.mod.
package modcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Module is one module of a manifest.
type Module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	// Dir holds the module's extracted files (what `go mod download` unpacks).
	Dir string `json:"dir"`
	// GoMod is the go.mod text go will read; when empty, the file GoModFile
	// names, else Dir/go.mod, or "module <path>" if there is none.
	GoMod string `json:"goMod,omitempty"`
	// GoModFile names a file holding the go.mod go will read (a module
	// derivation's patched go.mod beside an unchanged source directory).
	GoModFile string `json:"goModFile,omitempty"`
	// Sum is the module's "h1:" zip hash as go.sum records it; when empty it
	// is computed from Dir.
	Sum string `json:"sum,omitempty"`
}

// Manifest lists the modules of one build and where their cache goes.
type Manifest struct {
	Modules []Module `json:"modules"`
	Out     string   `json:"out"`
}

// ReadManifest decodes a manifest file, rejecting unknown fields.
func ReadManifest(file string) (Manifest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Manifest{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", file, err)
	}
	if m.Out == "" {
		return Manifest{}, fmt.Errorf("%s: \"out\" is missing", file)
	}
	return m, nil
}

// Build writes the module cache the manifest describes.
func Build(m Manifest) error {
	versions := map[string][]string{} // escaped path -> versions
	for _, mod := range m.Modules {
		escPath, escVersion, err := escapeModule(mod)
		if err != nil {
			return err
		}
		if slices.Contains(versions[escPath], mod.Version) {
			return fmt.Errorf("%s@%s is listed twice", mod.Path, mod.Version)
		}
		versions[escPath] = append(versions[escPath], mod.Version)
		if err := addModule(m.Out, mod, escPath, escVersion); err != nil {
			return fmt.Errorf("%s@%s: %w", mod.Path, mod.Version, err)
		}
	}
	for escPath, vs := range versions {
		slices.Sort(vs)
		list := strings.Join(vs, "\n") + "\n"
		if err := writeFile(filepath.Join(downloadDir(m.Out, escPath), "list"), list); err != nil {
			return err
		}
	}
	return nil
}

func escapeModule(mod Module) (escPath, escVersion string, err error) {
	escPath, err = EscapeCase(mod.Path)
	if err != nil {
		return "", "", fmt.Errorf("module path: %w", err)
	}
	escVersion, err = EscapeCase(mod.Version)
	if err != nil {
		return "", "", fmt.Errorf("version of %s: %w", mod.Path, err)
	}
	if path.Clean(escPath) != escPath || strings.HasPrefix(escPath, "/") || strings.Contains(mod.Path+mod.Version, "..") ||
		strings.ContainsAny(mod.Version, "/@") {
		return "", "", fmt.Errorf("%s@%s is not a valid module path and version", mod.Path, mod.Version)
	}
	return escPath, escVersion, nil
}

func addModule(out string, mod Module, escPath, escVersion string) error {
	if !filepath.IsAbs(mod.Dir) {
		return fmt.Errorf("dir %q is not absolute", mod.Dir)
	}
	if info, err := os.Stat(mod.Dir); err != nil {
		return err
	} else if !info.IsDir() {
		return fmt.Errorf("dir %s is not a directory", mod.Dir)
	}
	goMod, err := goModText(mod)
	if err != nil {
		return err
	}
	sum := mod.Sum
	if sum == "" {
		if sum, err = HashDir(mod.Dir, mod.Path+"@"+mod.Version); err != nil {
			return err
		}
	} else if !isH1(sum) {
		return fmt.Errorf("sum %q is not an h1: hash", sum)
	}
	info, err := json.Marshal(struct{ Version string }{mod.Version})
	if err != nil {
		return err
	}

	root := filepath.Join(out, filepath.FromSlash(escPath)+"@"+escVersion)
	if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
		return err
	}
	if err := os.Symlink(mod.Dir, root); err != nil {
		return err
	}
	dl := filepath.Join(downloadDir(out, escPath), escVersion)
	for ext, content := range map[string]string{".mod": goMod, ".info": string(info) + "\n", ".ziphash": sum + "\n"} {
		if err := writeFile(dl+ext, content); err != nil {
			return err
		}
	}
	return nil
}

func goModText(mod Module) (string, error) {
	if mod.GoMod != "" {
		return mod.GoMod, nil
	}
	if mod.GoModFile != "" {
		data, err := os.ReadFile(mod.GoModFile)
		return string(data), err
	}
	data, err := os.ReadFile(filepath.Join(mod.Dir, "go.mod"))
	if os.IsNotExist(err) {
		return "module " + mod.Path + "\n", nil
	}
	return string(data), err
}

func downloadDir(out, escPath string) string {
	return filepath.Join(out, "cache", "download", filepath.FromSlash(escPath), "@v")
}

func writeFile(name, content string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(content), 0o644)
}

func isH1(sum string) bool {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sum, "h1:"))
	return strings.HasPrefix(sum, "h1:") && err == nil && len(raw) == sha256.Size
}

// HashDir computes the "h1:" hash go.sum records for a module zip from its
// extracted files: SHA-256 over the lines "<hex sha256 of file>  <prefix>/<name>\n"
// sorted by name. dir may be a symlink to the files.
func HashDir(dir, prefix string) (string, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	type file struct{ name, path string }
	var files []file
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		name := prefix + "/" + filepath.ToSlash(rel)
		if strings.Contains(name, "\n") {
			return fmt.Errorf("file name %q holds a newline", name)
		}
		files = append(files, file{name, p})
		return nil
	})
	if err != nil {
		return "", err
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	summary := sha256.New()
	for _, f := range files {
		sum, err := hashFile(f.path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(summary, "%x  %s\n", sum, f.name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(summary.Sum(nil)), nil
}

func hashFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

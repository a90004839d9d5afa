package modcache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscapeCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"},
		{"v1.0.0-RC1", "v1.0.0-!r!c1"},
		{"golang.org/x/mod", "golang.org/x/mod"},
		{"Z", "!z"},
	}
	for _, tt := range tests {
		if got, err := EscapeCase(tt.in); got != tt.want || err != nil {
			t.Errorf("EscapeCase(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "example.com/!x"} {
		if _, err := EscapeCase(bad); err == nil {
			t.Errorf("EscapeCase(%q) succeeded", bad)
		}
	}
}

func TestPatchGoMod(t *testing.T) {
	tests := []struct {
		name      string
		module    string
		goVersion string
		reqs      []Requirement
		want      string
	}{
		{
			name: "sorted and deduplicated", module: "example.com/app", goVersion: "1.22",
			reqs: []Requirement{{"golang.org/x/sys", "v0.20.0"}, {"example.com/B", "v1.0.0"}, {"golang.org/x/sys", "v0.20.0"}, {"example.com/a", "v2.0.0+incompatible"}},
			want: "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/B v1.0.0\n\texample.com/a v2.0.0+incompatible\n\tgolang.org/x/sys v0.20.0\n)\n",
		},
		{
			name: "no requirements", module: "example.com/leaf", goVersion: "1.21.0",
			want: "module example.com/leaf\n\ngo 1.21.0\n",
		},
		{
			name: "no go line", module: "example.com/old", reqs: []Requirement{{"example.com/x", "v0.1.0"}},
			want: "module example.com/old\n\nrequire (\n\texample.com/x v0.1.0\n)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PatchGoMod(tt.module, tt.goVersion, tt.reqs)
			if err != nil || got != tt.want {
				t.Fatalf("PatchGoMod = %q, %v\nwant %q", got, err, tt.want)
			}
		})
	}
}

func TestPatchGoModRejects(t *testing.T) {
	tests := map[string]struct {
		module, goVersion string
		reqs              []Requirement
	}{
		"two versions of a path": {"example.com/app", "1.22", []Requirement{{"example.com/x", "v1.0.0"}, {"example.com/x", "v1.1.0"}}},
		"empty module path":      {"", "1.22", nil},
		"space in a path":        {"example.com/app", "1.22", []Requirement{{"example.com/a b", "v1.0.0"}}},
		"empty version":          {"example.com/app", "1.22", []Requirement{{"example.com/x", ""}}},
		"comment in go version":  {"example.com/app", "1.22//x", nil},
	}
	for name, tt := range tests {
		if got, err := PatchGoMod(tt.module, tt.goVersion, tt.reqs); err == nil {
			t.Errorf("%s: PatchGoMod = %q, want an error", name, got)
		}
	}
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestBuildLayout(t *testing.T) {
	root := t.TempDir()
	v1, v2 := filepath.Join(root, "src", "toml-v1"), filepath.Join(root, "src", "toml-v2")
	writeTree(t, v1, map[string]string{"go.mod": "module github.com/BurntSushi/toml\n", "toml.go": "package toml\n"})
	writeTree(t, v2, map[string]string{"toml.go": "package toml\n"})
	patched := filepath.Join(root, "patched", "go.mod")
	writeTree(t, filepath.Dir(patched), map[string]string{"go.mod": "module github.com/BurntSushi/toml\n\ngo 1.21\n"})
	out := filepath.Join(root, "gomodcache")
	const sum = "h1:F0KJDgg49EMh2AHPO27TqXATmR8EOjXg43TuhwijV70="
	err := Build(Manifest{Out: out, Modules: []Module{
		{Path: "github.com/BurntSushi/toml", Version: "v1.10.0-RC1", Dir: v1, GoMod: "module github.com/BurntSushi/toml\n\ngo 1.18\n", Sum: sum},
		{Path: "github.com/BurntSushi/toml", Version: "v1.2.0", Dir: v2},
		{Path: "github.com/BurntSushi/toml", Version: "v1.3.0", Dir: v1, GoModFile: patched, Sum: sum},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(filepath.Join(out, "github.com", "!burnt!sushi", "toml@v1.10.0-!r!c1")); err != nil || target != v1 {
		t.Fatalf("module root links to %q (%v), want %s", target, err, v1)
	}
	dl := filepath.Join(out, "cache", "download", "github.com", "!burnt!sushi", "toml", "@v")
	checks := map[string]string{
		"v1.10.0-!r!c1.mod":     "module github.com/BurntSushi/toml\n\ngo 1.18\n",
		"v1.10.0-!r!c1.info":    "{\"Version\":\"v1.10.0-RC1\"}\n",
		"v1.10.0-!r!c1.ziphash": sum + "\n",
		// without goMod and go.mod the .mod file is what proxies serve
		"v1.2.0.mod": "module github.com/BurntSushi/toml\n",
		// goModFile: the patched go.mod, not the one in Dir
		"v1.3.0.mod": "module github.com/BurntSushi/toml\n\ngo 1.21\n",
		"list":       "v1.10.0-RC1\nv1.2.0\nv1.3.0\n",
	}
	for name, want := range checks {
		if got := readFile(t, filepath.Join(dl, name)); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	computed, err := HashDir(v2, "github.com/BurntSushi/toml@v1.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dl, "v1.2.0.ziphash")); got != computed+"\n" {
		t.Errorf("computed ziphash = %q, want %q", got, computed)
	}
}

func TestBuildRejects(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "src")
	writeTree(t, dir, map[string]string{"a.go": "package a\n"})
	tests := map[string][]Module{
		"listed twice":     {{Path: "example.com/a", Version: "v1.0.0", Dir: dir}, {Path: "example.com/a", Version: "v1.0.0", Dir: dir}},
		"relative dir":     {{Path: "example.com/a", Version: "v1.0.0", Dir: "src"}},
		"missing dir":      {{Path: "example.com/a", Version: "v1.0.0", Dir: filepath.Join(root, "absent")}},
		"bad sum":          {{Path: "example.com/a", Version: "v1.0.0", Dir: dir, Sum: "h1:short"}},
		"escaping path":    {{Path: "example.com/../../etc", Version: "v1.0.0", Dir: dir}},
		"slash in version": {{Path: "example.com/a", Version: "v1.0.0/x", Dir: dir}},
	}
	for name, mods := range tests {
		t.Run(name, func(t *testing.T) {
			if err := Build(Manifest{Out: filepath.Join(t.TempDir(), "out"), Modules: mods}); err == nil {
				t.Fatal("Build succeeded")
			}
		})
	}
}

func TestHashDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "m")
	writeTree(t, dir, map[string]string{"go.mod": "module example.com/m\n", "b/b.go": "package b\n", "a.go": "package m\n"})
	direct, err := HashDir(dir, "example.com/m@v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	// Computed with sha256sum and base64 in a shell, following the h1 rules.
	const want = "h1:40WeuJZjq8VAf+GuWYZsV5pVLWLxSDrNWBbuslMD9rI="
	if direct != want {
		t.Fatalf("HashDir = %s, want %s", direct, want)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if viaLink, err := HashDir(link, "example.com/m@v1.0.0"); err != nil || viaLink != direct {
		t.Fatalf("HashDir through a symlink = %s, %v; want %s", viaLink, err, direct)
	}
	if other, _ := HashDir(dir, "example.com/m@v1.0.1"); other == direct {
		t.Fatal("the prefix must change the hash")
	}
}

func TestReadManifest(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"out":"/x","modules":[{"path":"example.com/a","version":"v1.0.0","dir":"/nix/store/a","goMod":"module example.com/a\n"}]}`), 0o644)
	m, err := ReadManifest(good)
	if err != nil || m.Out != "/x" || len(m.Modules) != 1 || m.Modules[0].GoMod != "module example.com/a\n" {
		t.Fatalf("ReadManifest = %+v, %v", m, err)
	}
	for name, text := range map[string]string{
		"unknown.json": `{"out":"/x","modules":[],"extra":1}`,
		"noout.json":   `{"modules":[]}`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		if _, err := ReadManifest(p); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("ReadManifest(%s) error = %v; want one naming the file", name, err)
		}
	}
}

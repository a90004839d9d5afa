package buildplan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"goset.dev/tools/internal/gotest"
)

func TestWriteGoMods(t *testing.T) {
	out, main := t.TempDir(), t.TempDir()
	plan := ModulePlan{
		GoVersion: "1.26.0",
		Modules: []OwnModule{
			{Path: "example.com/Cycle/b", Version: "v1.1.0", Dir: "example.com/!cycle/b@v1.1.0"},
			{Path: "example.com/cycle/a", Version: "v1.1.0", Dir: "example.com/cycle/a@v1.1.0", Go: "1.21"},
		},
		Depends: []Requirement{{Path: "golang.org/x/sys", Version: "v0.30.0"}},
	}
	if err := WriteGoMods(plan, out, main); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(out, "modules", "example.com", "!cycle", "b@v1.1.0", "go.mod"), "module example.com/Cycle/b\n")
	assertFile(t, filepath.Join(out, "modules", "example.com", "cycle", "a@v1.1.0", "go.mod"), "module example.com/cycle/a\n\ngo 1.21\n")
	assertFile(t, filepath.Join(main, "go.mod"), "module goset-build\n\ngo 1.26.0\n\nrequire (\n\texample.com/Cycle/b v1.1.0\n\texample.com/cycle/a v1.1.0\n\tgolang.org/x/sys v0.30.0\n)\n")

	// The standard library's plan: a main module requiring nothing.
	std := t.TempDir()
	if err := WriteGoMods(ModulePlan{GoVersion: "1.26.0"}, out, std); err != nil {
		t.Fatal(err)
	}
	assertFile(t, filepath.Join(std, "go.mod"), "module goset-build\n\ngo 1.26.0\n")
}

// record is one package as listFormat prints it.
func record(module, importPath, name, export, reason string) string {
	return "\n" + strings.Join([]string{module, importPath, name, export, reason, ""}, "\x1f") + "\x00"
}

func TestClassifyPackages(t *testing.T) {
	own := map[string]bool{"example.com/m": true}
	tests := []struct {
		name   string
		listed string
		want   []PackageResult
	}{
		{
			name: "built, failed, commands, no export data; other modules left out; sorted",
			listed: strings.TrimPrefix(record("example.com/m", "example.com/m/z", "z", "/cache/o/ab", ""), "\n") +
				record("example.com/m", "example.com/m/bad", "bad", "", "bad.go:3:28: cannot use \"x\" (untyped string constant) as int value") +
				record("example.com/m", "example.com/m/cmd", "main", "/cache/o/cd", "") +
				record("example.com/m", "example.com/m/noexport", "noexport", "", "") +
				record("example.com/dep", "example.com/dep/x", "x", "/cache/o/ef", "") +
				record("", "fmt", "fmt", "/cache/o/12", "") + "\n",
			want: []PackageResult{
				{ImportPath: "example.com/m/bad", Reason: "bad.go:3:28: cannot use \"x\" (untyped string constant) as int value"},
				{ImportPath: "example.com/m/cmd", Reason: "command (package main): dependents cannot import it"},
				{ImportPath: "example.com/m/noexport", Reason: "go list -export produced no export data"},
				{ImportPath: "example.com/m/z", Built: true},
			},
		},
		{
			name:   "dependency errors sorted, each once",
			listed: record("example.com/m", "example.com/m/uses", "uses", "", "b: broken\na: broken\nb: broken\n"),
			want:   []PackageResult{{ImportPath: "example.com/m/uses", Reason: "a: broken\nb: broken"}},
		},
		{
			name: "nothing listed",
			want: []PackageResult{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := classifyPackages([]byte(tt.listed), own)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("classifyPackages = %#v, %v\nwant %#v", got, err, tt.want)
			}
		})
	}
	if _, err := classifyPackages([]byte("a\x1fb\x00"), own); err == nil {
		t.Error("classifyPackages accepted a record with two fields")
	}
}

// The real go list: a package that builds, one that does not, one that
// imports it and a command, reported in goset-packages.json.
func TestBuildPackages(t *testing.T) {
	goBin := gotest.GoBinary(t)
	main, out := t.TempDir(), t.TempDir()
	gotest.WriteFiles(t, main, map[string]string{
		"go.mod":             "module example.com/m\n\ngo 1.22\n",
		"good/good.go":       "package good\n\nfunc V() string { return \"<v>\" }\n",
		"bad/bad.go":         "package bad\n\nfunc F() int { return \"not an int\" }\n",
		"usesbad/usesbad.go": "package usesbad\n\nimport \"example.com/m/bad\"\n\nvar G = bad.F\n",
		"cmd/main.go":        "package main\n\nfunc main() {}\n",
	})
	for _, kv := range [][2]string{{"GOFLAGS", "-mod=mod"}, {"GOWORK", "off"}, {"GOTOOLCHAIN", "local"}, {"GOPROXY", "off"}, {"GOENV", "off"}} {
		t.Setenv(kv[0], kv[1])
	}
	t.Chdir(main)
	var log strings.Builder
	plan := ModulePlan{Modules: []OwnModule{{Path: "example.com/m"}}, Packages: []string{"example.com/m/..."}}
	if err := BuildPackages(plan, goBin, out, &log); err != nil {
		t.Fatalf("BuildPackages: %v\n%s", err, log.String())
	}
	name := filepath.Join(out, "nix-support", "goset-packages.json")
	if want := "goset: built 1 packages, skipped 3 (see " + name + ")\n"; !strings.HasSuffix(log.String(), want) {
		t.Errorf("log %q does not end with %q", log.String(), want)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var report Report
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, data)
	}
	built := map[string]bool{}
	for _, p := range report.Packages {
		built[strings.TrimPrefix(p.ImportPath, "example.com/m/")] = p.Built
		if !p.Built && p.Reason == "" {
			t.Errorf("%s: no reason", p.ImportPath)
		}
	}
	if want := map[string]bool{"bad": false, "cmd": false, "good": true, "usesbad": false}; !reflect.DeepEqual(built, want) {
		t.Errorf("built = %v, want %v\n%s", built, want, data)
	}
}

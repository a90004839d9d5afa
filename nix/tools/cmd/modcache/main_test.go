package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"goset.dev/tools/internal/gotest"
	"goset.dev/tools/internal/modcache"
)

// Two modules as they would sit extracted in the Nix store. greet's own
// go.mod asks for a lib version that is not in the cache: the patched go.mod
// in the manifest must be the one go reads.
var (
	libFiles = map[string]string{
		"go.mod":       "module example.com/lib\n\ngo 1.22\n",
		"lib.go":       "package lib\n\nimport _ \"embed\"\n\n//go:embed data/msg.txt\nvar Msg string\n",
		"data/msg.txt": "embedded text",
	}
	greetFiles = map[string]string{
		"go.mod":   "module example.com/Upper/greet\n\ngo 1.22\n\nrequire example.com/lib v0.9.0\n",
		"greet.go": "package greet\n\nimport \"example.com/lib\"\n\nfunc Hello() string { return \"hello, \" + lib.Msg }\n",
	}
	appFiles = map[string]string{
		"main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/Upper/greet\"\n)\n\nfunc main() { fmt.Print(greet.Hello()) }\n",
	}
)

const (
	libPatched   = "module example.com/lib\n\ngo 1.22\n"
	greetPatched = "module example.com/Upper/greet\n\ngo 1.22\n\nrequire (\n\texample.com/lib v1.0.0\n)\n"
	greetVersion = "v0.1.0-RC1"
)

// buildEnv is what a build from a constructed module cache needs.
func buildEnv(gomodcache, gocache string) map[string]string {
	return map[string]string{
		"GOMODCACHE":  gomodcache,
		"GOCACHE":     gocache,
		"GOPROXY":     "off",
		"GOFLAGS":     "-mod=mod",
		"GOSUMDB":     "off",
		"GOTOOLCHAIN": "local",
		"GOWORK":      "off",
	}
}

// Built once for all tests, with one GOCACHE so std compiles once.
var modcacheBin, sharedGoCache string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "modcache-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if modcacheBin, err = gotest.Build(tmp, "modcache"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sharedGoCache = filepath.Join(tmp, "gocache")
	return m.Run()
}

type fixture struct {
	root, modcacheBin, gocache string
	store                      string // holds the extracted modules
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	root := t.TempDir()
	f := fixture{root: root, modcacheBin: modcacheBin, gocache: sharedGoCache, store: filepath.Join(root, "store")}
	gotest.WriteFiles(t, filepath.Join(f.store, "lib"), libFiles)
	gotest.WriteFiles(t, filepath.Join(f.store, "greet"), greetFiles)
	return f
}

// runModcache writes a manifest and runs the command on it.
func (f fixture) runModcache(t *testing.T, out string) {
	t.Helper()
	m := modcache.Manifest{Out: out, Modules: []modcache.Module{
		{Path: "example.com/lib", Version: "v1.0.0", Dir: filepath.Join(f.store, "lib"), GoMod: libPatched},
		{Path: "example.com/Upper/greet", Version: greetVersion, Dir: filepath.Join(f.store, "greet"), GoMod: greetPatched},
	}}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(t.TempDir(), "manifest.json")
	if err := os.WriteFile(manifest, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(f.modcacheBin, manifest).CombinedOutput(); err != nil {
		t.Fatalf("modcache: %v\n%s", err, out)
	}
}

// writeApp writes the main module, whose go.mod is patched with the same
// function and has no go.sum.
func writeApp(t *testing.T, dir string) {
	t.Helper()
	goMod, err := modcache.PatchGoMod("example.com/app", "1.24", []modcache.Requirement{
		{Path: "example.com/lib", Version: "v1.0.0"},
		{Path: "example.com/Upper/greet", Version: greetVersion},
	})
	if err != nil {
		t.Fatal(err)
	}
	gotest.WriteFiles(t, dir, appFiles)
	gotest.WriteFiles(t, dir, map[string]string{"go.mod": goMod})
}

func runGo(t *testing.T, dir string, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var vars []string
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	cmd := exec.Command(gotest.GoBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = gotest.Env(vars...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestBuildFromConstructedModuleCache(t *testing.T) {
	f := newFixture(t)
	gomodcache := filepath.Join(f.root, "gomodcache")
	f.runModcache(t, gomodcache)
	app := filepath.Join(f.root, "app")
	writeApp(t, app)
	before := listTree(t, gomodcache)

	exe := filepath.Join(f.root, "bin", "app")
	if out, err := runGo(t, app, buildEnv(gomodcache, f.gocache), "build", "-trimpath", "-o", exe, "."); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(exe).Output()
	if err != nil || string(out) != "hello, embedded text" {
		t.Fatalf("app printed %q (%v)", out, err)
	}
	if root, _ := os.Lstat(filepath.Join(gomodcache, "example.com", "lib@v1.0.0")); root == nil || root.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("the module root should be a symlink: that is the layout under test")
	}
	// The only write is cmd/go's best-effort side lock, taken to update go.sum.
	before = append(before, filepath.Join(gomodcache, "cache", "lock"))
	slices.Sort(before)
	if after := listTree(t, gomodcache); !slices.Equal(before, after) {
		t.Errorf("go build changed GOMODCACHE:\nwant %v\ngot  %v", before, after)
	}
	// -mod=mod lets go record the missing sums: the source tree must be writable.
	sums, err := os.ReadFile(filepath.Join(app, "go.sum"))
	if err != nil || !strings.Contains(string(sums), "example.com/lib v1.0.0/go.mod "+goModSum(libPatched)) {
		t.Errorf("go.sum = %q (%v); want the patched go.mod's hash recorded", sums, err)
	}
}

// TestWhatTheBuildNeeds pins which files and variables go needs: each case
// changes one thing of the working setup.
func TestWhatTheBuildNeeds(t *testing.T) {
	f := newFixture(t)
	greetDL := filepath.Join("cache", "download", "example.com", "!upper", "greet", "@v")
	greetOriginalSum := "example.com/Upper/greet " + greetVersion + "/go.mod " + goModSum(greetFiles["go.mod"]) + "\n"
	tests := []struct {
		name    string
		remove  []string          // files removed from GOMODCACHE
		env     map[string]string // changes to buildEnv; "" unsets
		goSum   string            // go.sum of the main module
		wantErr string            // "" when the build must work
	}{
		{name: "everything"},
		{name: "no .info and no list", remove: []string{
			filepath.Join(greetDL, "v0.1.0-!r!c1.info"), filepath.Join(greetDL, "list"),
			"cache/download/example.com/lib/@v/v1.0.0.info", "cache/download/example.com/lib/@v/list",
		}},
		{name: "GONOSUMDB instead of GOSUMDB=off", env: map[string]string{"GOSUMDB": "", "GONOSUMDB": "example.com"}},
		{name: "GOPRIVATE instead of GOSUMDB=off", env: map[string]string{"GOSUMDB": "", "GOPRIVATE": "example.com"}},
		{name: "no .ziphash", remove: []string{filepath.Join(greetDL, "v0.1.0-!r!c1.ziphash")}, wantErr: "module lookup disabled by GOPROXY=off"},
		{name: "no .mod", remove: []string{filepath.Join(greetDL, "v0.1.0-!r!c1.mod")}, wantErr: "module lookup disabled by GOPROXY=off"},
		{name: "no -mod=mod", env: map[string]string{"GOFLAGS": ""}, wantErr: "missing go.sum entry"},
		{name: "checksum database on", env: map[string]string{"GOSUMDB": ""}, wantErr: "verifying module"},
		{name: "go.sum of the unpatched go.mod", goSum: greetOriginalSum, wantErr: "checksum mismatch"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gomodcache := filepath.Join(f.root, fmt.Sprintf("gomodcache%d", i))
			f.runModcache(t, gomodcache)
			for _, name := range tt.remove {
				if err := os.Remove(filepath.Join(gomodcache, name)); err != nil {
					t.Fatal(err)
				}
			}
			app := filepath.Join(f.root, fmt.Sprintf("app%d", i))
			writeApp(t, app)
			if tt.goSum != "" {
				gotest.WriteFiles(t, app, map[string]string{"go.sum": tt.goSum})
			}
			env := buildEnv(gomodcache, f.gocache)
			for k, v := range tt.env {
				if v == "" {
					delete(env, k)
				} else {
					env[k] = v
				}
			}
			out, err := runGo(t, app, env, "build", "-trimpath", "-o", filepath.Join(app, "app.bin"), ".")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("go build failed: %v\n%s", err, out)
			case tt.wantErr != "" && (err == nil || !strings.Contains(out, tt.wantErr)):
				t.Fatalf("go build: err %v, output:\n%s\nwant a failure mentioning %q", err, out, tt.wantErr)
			}
		})
	}
}

// TestModVerify checks the computed .ziphash against go's own hash of the
// module directory. go mod verify does not follow a symlinked module root,
// so the check runs on a copy; builds are not affected (see above).
func TestModVerify(t *testing.T) {
	f := newFixture(t)
	gomodcache := filepath.Join(f.root, "gomodcache")
	f.runModcache(t, gomodcache)
	app := filepath.Join(f.root, "app")
	writeApp(t, app)
	env := buildEnv(gomodcache, f.gocache)

	out, err := runGo(t, app, env, "mod", "verify")
	if err == nil || !strings.Contains(out, "is not a directory") {
		t.Fatalf("go mod verify with symlinked roots: err %v, output %s; want \"is not a directory\"", err, out)
	}
	for name, src := range map[string]string{"example.com/lib@v1.0.0": "lib", "example.com/!upper/greet@" + "v0.1.0-!r!c1": "greet"} {
		root := filepath.Join(gomodcache, filepath.FromSlash(name))
		os.Remove(root)
		files := libFiles
		if src == "greet" {
			files = greetFiles
		}
		gotest.WriteFiles(t, root, files)
	}
	if out, err := runGo(t, app, env, "mod", "verify"); err != nil || !strings.Contains(out, "all modules verified") {
		t.Fatalf("go mod verify on copies: %v\n%s", err, out)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"a.json", "b.json"}, {"-h"}} {
		if err := exec.Command(modcacheBin, args...).Run(); err == nil {
			t.Errorf("modcache %q succeeded", args)
		}
	}
}

// goModSum is the go.sum hash of a go.mod file: h1 over the single name "go.mod".
func goModSum(text string) string {
	line := fmt.Sprintf("%x  go.mod\n", sha256.Sum256([]byte(text)))
	sum := sha256.Sum256([]byte(line))
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		names = append(names, path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

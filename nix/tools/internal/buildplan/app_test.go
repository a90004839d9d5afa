package buildplan

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"goset.dev/tools/internal/gomod"
	"goset.dev/tools/internal/gotest"
)

func mv(path, version string) gomod.ModuleVersion { return gomod.ModuleVersion{Path: path, Version: version} }

func TestPlanEdits(t *testing.T) {
	tests := []struct {
		name    string
		plan    AppPlan
		main    gomod.File
		dirs    map[string]gomod.File
		want    []string
		dirWant map[string][]string
		notices []string
	}{
		{
			name: "raised, dropped and added requirements",
			plan: AppPlan{Name: "app", Requires: []Requirement{{Path: "example.com/a", Version: "v1.2.0"}, {Path: "example.com/new", Version: "v0.1.0"}}},
			main: gomod.File{Require: []gomod.ModuleVersion{mv("example.com/a", "v1.0.0"), mv("example.com/unused", "v0.3.0")}},
			want: []string{"-require=example.com/a@v1.2.0", "-droprequire=example.com/unused", "-require=example.com/a@v1.2.0", "-require=example.com/new@v0.1.0"},
			notices: []string{"goset: app: dropping the requirement example.com/unused v0.3.0 of go.mod: no package of it is built against"},
		},
		{
			name: "a fork replaces every replacement of its path",
			plan: AppPlan{Name: "app", Forks: []Fork{{Replaced: "example.com/orig", Path: "example.com/fork", Version: "v1.0.1"}}},
			main: gomod.File{
				Require: []gomod.ModuleVersion{mv("example.com/orig", "v1.0.0")},
				Replace: []gomod.Replacement{
					{Old: mv("example.com/orig", ""), New: mv("example.com/fork", "v1.0.0")},
					{Old: mv("example.com/orig", "v0.9.0"), New: mv("../orig", "")},
					{Old: mv("example.com/other", ""), New: mv("./other", "")},
				},
			},
			want: []string{"-dropreplace=example.com/orig", "-dropreplace=example.com/orig@v0.9.0", "-replace=example.com/orig=example.com/fork@v1.0.1"},
		},
		{
			name: "a directory replacement's go.mod is raised too",
			plan: AppPlan{Name: "app", Requires: []Requirement{{Path: "example.com/a", Version: "v1.2.0"}}, DirReplaces: []DirReplace{{Replaced: "example.com/local", Dir: "./third_party/local"}}},
			main: gomod.File{
				Require: []gomod.ModuleVersion{mv("example.com/local", "v0.0.0")},
				Replace: []gomod.Replacement{{Old: mv("example.com/local", ""), New: mv("./third_party/local", "")}},
			},
			dirs: map[string]gomod.File{"example.com/local": {Require: []gomod.ModuleVersion{mv("example.com/a", "v1.1.0"), mv("example.com/gone", "v2.0.0")}}},
			want: []string{"-require=example.com/a@v1.2.0", "-dropreplace=example.com/local", "-replace=example.com/local=./third_party/local"},
			dirWant: map[string][]string{"example.com/local": {"-require=example.com/a@v1.2.0", "-droprequire=example.com/gone"}},
			notices: []string{"goset: app: dropping the requirement example.com/gone v2.0.0 of ./third_party/local/go.mod: no package of it is built against"},
		},
		{
			name: "nothing to change",
			plan: AppPlan{Name: "app"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planEdits(tt.plan, tt.main, tt.dirs)
			dirWant := tt.dirWant
			if dirWant == nil {
				dirWant = map[string][]string{}
			}
			if !reflect.DeepEqual(got.main, tt.want) || !reflect.DeepEqual(got.dirs, dirWant) || !reflect.DeepEqual(got.notices, tt.notices) {
				t.Errorf("planEdits =\n main %q\n dirs %q\n notices %q\nwant\n main %q\n dirs %q\n notices %q", got.main, got.dirs, got.notices, tt.want, dirWant, tt.notices)
			}
		})
	}
}

// An application with a fork outside the set, a fork in the set and a
// directory replacement, patched by the real go command.
func TestSetUpApp(t *testing.T) {
	goBin := gotest.GoBinary(t)
	root := t.TempDir()
	app := filepath.Join(root, "app")
	gotest.WriteFiles(t, app, map[string]string{
		"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/orig v1.0.0\n\texample.com/setfork v1.0.0\n\texample.com/local v0.0.0\n\texample.com/unused v0.3.0 // indirect\n)\n\n" +
			"replace example.com/orig => example.com/fork v1.0.0\n\nreplace example.com/local => ./local\n",
		"go.sum":         "example.com/a v1.0.0 h1:x\n",
		"go.work":        "go 1.22\n",
		"local/go.mod":   "module example.com/local\n\ngo 1.22\n\nrequire example.com/gone v1.5.0\n",
		"local/local.go": "package local\n",
	})
	src := filepath.Join(root, "src")
	gotest.WriteFiles(t, src, map[string]string{"go.mod": "module example.com/orig\n", "greet.go": "package greet\n", "data/msg.txt": "hi"})
	if err := os.Chmod(filepath.Join(src, "greet.go"), 0o555); err != nil {
		t.Fatal(err)
	}
	plan := AppPlan{
		Name: "app", ModRoot: ".", ModulePath: "example.com/app",
		Requires: []Requirement{{Path: "example.com/a", Version: "v1.2.0"}},
		Forks: []Fork{
			{Replaced: "example.com/orig", Path: "example.com/Fork", Version: "v1.0.1", Dir: "example.com/!fork@v1.0.1", Src: src, Go: "1.21", Requires: []Requirement{{Path: "example.com/a", Version: "v1.2.0"}}},
			{Replaced: "example.com/setfork", Path: "example.com/member", Version: "v1.1.0", Dir: "example.com/member@v1.1.0"},
		},
		DirReplaces: []DirReplace{{Replaced: "example.com/local", Dir: "./local"}},
	}
	t.Chdir(app)
	var log strings.Builder
	forks := filepath.Join(root, "forks")
	if err := SetUpApp(plan, goBin, forks, &log); err != nil {
		t.Fatal(err)
	}

	wantMain := "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.2.0\n\texample.com/local v0.0.0\n\texample.com/orig v1.0.0\n\texample.com/setfork v1.0.0\n)\n\n" +
		"replace example.com/orig => example.com/Fork v1.0.1\n\nreplace example.com/setfork => example.com/member v1.1.0\n\nreplace example.com/local => ./local\n"
	assertFile(t, "go.mod", wantMain)
	assertFile(t, "local/go.mod", "module example.com/local\n\ngo 1.22\n")
	fork := filepath.Join(forks, "example.com", "!fork@v1.0.1")
	assertFile(t, filepath.Join(fork, "go.mod"), "module example.com/Fork\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.2.0\n)\n")
	assertFile(t, filepath.Join(fork, "data", "msg.txt"), "hi")
	if info, err := os.Stat(filepath.Join(fork, "greet.go")); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("the fork's greet.go: %v, %v; want mode 0644", info, err)
	}
	if _, err := os.Stat(filepath.Join(forks, "example.com", "member@v1.1.0")); !os.IsNotExist(err) {
		t.Errorf("a fork in the set was copied (%v)", err)
	}
	for _, name := range []string{"go.sum", "go.work"} {
		if _, err := os.Stat(name); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", name, err)
		}
	}
	for _, notice := range []string{
		"goset: app: dropping the requirement example.com/unused v0.3.0 of go.mod: no package of it is built against\n",
		"goset: app: dropping the requirement example.com/gone v1.5.0 of ./local/go.mod: no package of it is built against\n",
	} {
		if !strings.Contains(log.String(), notice) {
			t.Errorf("log %q lacks %q", log.String(), notice)
		}
	}
}

func TestSetUpAppRefuses(t *testing.T) {
	goBin := gotest.GoBinary(t)
	tests := []struct {
		name  string
		files map[string]string
		plan  AppPlan
		want  string
	}{
		{
			name:  "no go.mod",
			files: map[string]string{"main.go": "package main\n"},
			plan:  AppPlan{Name: "app", ModRoot: "./cmd"},
			want:  "goset: app: no go.mod in ./cmd",
		},
		{
			name:  "another module",
			files: map[string]string{"go.mod": "module example.com/other\n"},
			plan:  AppPlan{Name: "app", ModRoot: ".", ModulePath: "example.com/app"},
			want:  "goset: app: go.mod declares module example.com/other, but modulePath is example.com/app",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			gotest.WriteFiles(t, dir, tt.files)
			t.Chdir(dir)
			err := SetUpApp(tt.plan, goBin, filepath.Join(dir, "forks"), &strings.Builder{})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("SetUpApp = %v, want %q", err, tt.want)
			}
		})
	}
}

func assertFile(t *testing.T, name, want string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil || string(data) != want {
		t.Errorf("%s = %q, %v\nwant %q", name, data, err, want)
	}
}

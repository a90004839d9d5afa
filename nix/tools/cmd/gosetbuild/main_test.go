package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	plan := write("plan.json", `{"goVersion":"1.26.0","modules":[],"depends":[{"path":"example.com/a","version":"v1.0.0"}],"packages":[]}`)
	stale := write("stale.json", `{"goVersion":"1.26.0","goModulePlan":"x"}`)
	main := filepath.Join(dir, "main")
	tests := []struct {
		name string
		args []string
		want string // in the error; "" for success
	}{
		{"module-setup", []string{"module-setup", plan, dir, main}, ""},
		{"no arguments", nil, "usage: gosetbuild"},
		{"unknown subcommand", []string{"build", plan}, "usage: gosetbuild"},
		{"missing argument", []string{"module-setup", plan, dir}, "usage: gosetbuild"},
		{"unknown plan field", []string{"module-setup", stale, dir, main}, `gosetbuild: ` + stale + `: json: unknown field "goModulePlan"`},
		{"missing plan", []string{"app-setup", filepath.Join(dir, "none.json"), dir}, "gosetbuild: open "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("run(%q) = %v, want %q", tt.args, err, tt.want)
			}
		})
	}
	data, err := os.ReadFile(filepath.Join(main, "go.mod"))
	if want := "module goset-build\n\ngo 1.26.0\n\nrequire (\n\texample.com/a v1.0.0\n)\n"; err != nil || string(data) != want {
		t.Errorf("main go.mod = %q, %v; want %q", data, err, want)
	}
}

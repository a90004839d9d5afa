// Package gotest runs the real go command from tests with a controlled
// environment.
package gotest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// GoBinary returns the go command that runs the tests.
func GoBinary(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed: %v", err)
	}
	return goBin
}

// Build compiles the package in the current directory into dir and returns
// the executable's path.
func Build(dir, name string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the go command is needed: %w", err)
	}
	exe := filepath.Join(dir, name)
	if out, err := exec.Command(goBin, "build", "-o", exe, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", name, err, out)
	}
	return exe, nil
}

// Env is the caller's environment without any GO* or CGO_* variable, with
// GOENV=off so no user configuration applies, plus vars ("NAME=value").
func Env(vars ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GO") && !strings.HasPrefix(kv, "CGO_") {
			env = append(env, kv)
		}
	}
	return append(append(env, "GOENV=off"), vars...)
}

// WriteFiles writes files (slash-separated names relative to root).
func WriteFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

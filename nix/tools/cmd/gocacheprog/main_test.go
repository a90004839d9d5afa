package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"goset.dev/tools/internal/gotest"
)

var testModule = map[string]string{
	"go.mod":             "module example.com/twopkg\n\ngo 1.24\n",
	"greet/greet.go":     "package greet\n\nimport \"strings\"\n\nfunc Hello(name string) string { return \"hello, \" + strings.TrimSpace(name) }\n",
	"shout/shout.go":     "package shout\n\nimport (\n\t\"strings\"\n\n\t\"example.com/twopkg/greet\"\n)\n\nfunc Hello(name string) string { return strings.ToUpper(greet.Hello(name)) }\n",
	"cmd/app/main.go":    "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/twopkg/shout\"\n)\n\nfunc main() { fmt.Println(shout.Hello(\" nix \")) }\n",
	"cmd/app/README.txt": "not Go\n",
}

var modulePackages = []string{"example.com/twopkg/greet", "example.com/twopkg/shout", "example.com/twopkg/cmd/app"}

var summaryLine = regexp.MustCompile(`(?m)^gocacheprog: gets=(\d+) hits=(\d+) misses=(\d+) puts=(\d+)$`)

type summary struct{ gets, hits, misses, puts int }

type buildResult struct {
	compiled []string          // package lines of go build -v
	summary  summary           // the helper's stderr line
	missLog  []string          // action IDs of get misses
	labels   map[string]string // action ID -> what go hashed it for
}

var (
	hashResult = regexp.MustCompile(`^HASH\[(.+)\]: ([0-9a-f]{64})$`)
	hashSubkey = regexp.MustCompile(`^HASH subkey [0-9a-f]{64} "(.+)" = ([0-9a-f]{64})$`)
)

// buildWithHelper runs go build -v -trimpath ./... in moduleDir with a fresh
// GOCACHE and the helper as GOCACHEPROG. The input directories are passed
// the way the Nix builders pass them: listed in GOSET_CACHE_INPUTS_FILE.
func buildWithHelper(t *testing.T, helper, moduleDir, out, inputs string) buildResult {
	t.Helper()
	work := t.TempDir()
	missLog := filepath.Join(work, "misses.log")
	inputsFile := filepath.Join(work, "inputs")
	if err := os.WriteFile(inputsFile, []byte(strings.ReplaceAll(inputs, ":", "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gotest.GoBinary(t), "build", "-v", "-trimpath", "./...")
	cmd.Dir = moduleDir
	cmd.Env = gotest.Env(
		"GOCACHEPROG="+helper,
		"GOCACHE="+filepath.Join(work, "gocache"),
		"GOSET_CACHE_OUT="+out,
		"GOSET_CACHE_INPUTS_FILE="+inputsFile,
		"GOSET_CACHE_LOG="+missLog,
		"GOFLAGS=-mod=mod",
		"GOTOOLCHAIN=local",
		"GOPROXY=off",
		"GOWORK=off",
		"GODEBUG=gocachehash=1",
	)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v\n%s", err, stderr.String())
	}
	res := buildResult{labels: map[string]string{}}
	matches := summaryLine.FindAllStringSubmatch(stderr.String(), -1)
	if len(matches) != 1 {
		t.Fatalf("want exactly one summary line in stderr:\n%s", stderr.String())
	}
	n := func(i int) int { v, _ := strconv.Atoi(matches[0][i]); return v }
	res.summary = summary{n(1), n(2), n(3), n(4)}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if m := hashResult.FindStringSubmatch(line); m != nil {
			res.labels[m[2]] = m[1]
		} else if m := hashSubkey.FindStringSubmatch(line); m != nil {
			res.labels[m[2]] = "subkey " + m[1]
		} else if line != "" && !strings.HasPrefix(line, "HASH") && !summaryLine.MatchString(line) {
			res.compiled = append(res.compiled, line)
		}
	}
	if data, err := os.ReadFile(missLog); err == nil {
		res.missLog = strings.Fields(string(data))
	}
	return res
}

// copyModule writes the test module with old modification times, as files
// unpacked from the Nix store have, so cmd/go's module index (which skips
// files younger than two seconds) behaves the same in every run.
func copyModule(t *testing.T, dir string) {
	t.Helper()
	gotest.WriteFiles(t, dir, testModule)
	old := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for name := range testModule {
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(name)), old, old); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCacheIsReusableFromAnotherDirectory(t *testing.T) {
	tmp := t.TempDir()
	helper, err := gotest.Build(tmp, "gocacheprog")
	if err != nil {
		t.Fatal(err)
	}
	dirA, dirB := filepath.Join(tmp, "cacheA"), filepath.Join(tmp, "cacheB")
	firstModule, secondModule := filepath.Join(tmp, "first", "src"), filepath.Join(tmp, "second", "elsewhere", "src")
	copyModule(t, firstModule)
	copyModule(t, secondModule)

	first := buildWithHelper(t, helper, firstModule, dirA, "")
	for _, pkg := range append([]string{"runtime", "fmt"}, modulePackages...) {
		if !slices.Contains(first.compiled, pkg) {
			t.Errorf("first build did not compile %s; it printed %v", pkg, first.compiled)
		}
	}
	if first.summary.puts == 0 || first.summary.hits != 0 {
		t.Fatalf("first build: %+v; want puts and no hits", first.summary)
	}

	again := filepath.Join(tmp, "cacheAgain")
	buildWithHelper(t, helper, firstModule, again, "")
	if a, b := describeTree(t, dirA), describeTree(t, again); a != b {
		t.Errorf("two identical builds wrote different cache directories:\n%s\n---\n%s", a, b)
	}

	second := buildWithHelper(t, helper, secondModule, dirB, dirA)
	if len(second.compiled) != 0 {
		t.Errorf("second build compiled %v; every package should be a cache hit", second.compiled)
	}
	if second.summary.hits == 0 || len(second.missLog) != second.summary.misses {
		t.Errorf("second build: %+v, miss log %v", second.summary, second.missLog)
	}
	// What still misses is not compiled code: go looks up every link action
	// although it never caches executables, and it indexes the main module's
	// package directories under keys holding their absolute paths.
	var missed []string
	for _, id := range second.missLog {
		missed = append(missed, second.labels[id])
	}
	slices.Sort(missed)
	wantMissed := []string{"link example.com/twopkg/cmd/app", "moduleIndex", "moduleIndex", "moduleIndex"}
	if !slices.Equal(missed, wantMissed) {
		t.Errorf("second build missed %q; want %q", missed, wantMissed)
	}
	var put []string
	for _, id := range recordedActions(t, dirB) {
		put = append(put, second.labels[id])
	}
	slices.Sort(put)
	wantPut := []string{"moduleIndex", "moduleIndex", "moduleIndex", "subkey link-stdout"}
	if !slices.Equal(put, wantPut) || second.summary.puts != len(wantPut) {
		t.Errorf("second build put %q (%d puts); want %q", put, second.summary.puts, wantPut)
	}
}

// describeTree lists every file under dir with its mode and content hash.
func describeTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s %v %x\n", rel, info.Mode(), sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// recordedActions lists the action IDs recorded in a cache directory.
func recordedActions(t *testing.T, dir string) []string {
	t.Helper()
	records, err := filepath.Glob(filepath.Join(dir, "a", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range records {
		ids = append(ids, filepath.Base(r))
	}
	return ids
}

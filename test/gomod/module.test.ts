import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GosetError } from "../../generator/errors.js";
import {
  checkModulePath,
  checkModuleVersion,
  checkPathMajor,
  describeModulePathProblem,
  describePathMajorMismatch,
  isModulePath,
  splitPathVersion,
} from "../../generator/gomod/module.js";
import { goEnv, runGo } from "./gotool.js";

// [path, problem or undefined]
const PATH_TABLE: readonly (readonly [string, string | undefined])[] = [
  ["github.com/spf13/cobra", undefined],
  ["github.com/BurntSushi/toml", undefined],
  ["golang.org/x/mod", undefined],
  ["example.com/a/v2", undefined],
  ["example.com/a/v10", undefined],
  ["gopkg.in/yaml.v3", undefined],
  ["gopkg.in/check.v1", undefined],
  ["gopkg.in/src-d/go-git.v4", undefined],
  ["gopkg.in/yaml.v0", undefined],
  ["gopkg.in/foo.v2-unstable", undefined],
  ["example.com/a_b~c-d.e", undefined],
  ["k8s.io/api", undefined],
  ["", "empty string"],
  ["-example.com/a", "leading dash"],
  ["example.com//a", "double slash"],
  ["example.com/a/", "trailing slash"],
  ["/example.com/a", "empty path element"],
  ["example.com/./a", 'invalid path element "."'],
  ["example.com/../a", 'invalid path element ".."'],
  ["example.com/.a", "leading dot in path element"],
  ["example.com/a.", "trailing dot in path element"],
  ["example.com/a b", 'invalid char " "'],
  ["example.com/a+b", 'invalid char "+"'],
  ["example.com/é", 'invalid char "é"'],
  ["example", "missing dot in first path element"],
  ["Example.com/a", 'invalid char "E" in first path element'],
  ["exa_mple.com/a", 'invalid char "_" in first path element'],
  ["example.com/con", '"con" disallowed as path element component on Windows'],
  ["example.com/LPT1.txt", '"LPT1" disallowed as path element component on Windows'],
  ["example.com/PROGRA~1", "trailing tilde and digits in path element"],
  ["example.com/a~b", undefined],
  ["example.com/a/v1", "invalid version"],
  ["example.com/a/v0", "invalid version"],
  ["example.com/a/v02", "invalid version"],
  ["example.com/a/v2.1", "invalid version"],
  ["gopkg.in/yaml", "invalid version"],
  ["gopkg.in/yaml.v02", "invalid version"],
];

// [path, prefix, pathMajor, ok]
const SPLIT_TABLE: readonly (readonly [string, string, string, boolean])[] = [
  ["example.com/a", "example.com/a", "", true],
  ["example.com/a/v2", "example.com/a", "/v2", true],
  ["example.com/a/v10", "example.com/a", "/v10", true],
  ["example.com/a/v1", "example.com/a/v1", "", false],
  ["example.com/a/v0", "example.com/a/v0", "", false],
  ["example.com/a/v2.0", "example.com/a/v2.0", "", false],
  ["example.com/a/xv2", "example.com/a/xv2", "", true],
  ["example.com/v2a", "example.com/v2a", "", true],
  ["gopkg.in/yaml.v3", "gopkg.in/yaml", ".v3", true],
  ["gopkg.in/yaml.v0", "gopkg.in/yaml", ".v0", true],
  ["gopkg.in/foo.v2-unstable", "gopkg.in/foo", ".v2-unstable", true],
  ["gopkg.in/yaml", "gopkg.in/yaml", "", false],
  ["gopkg.in/yaml.v", "gopkg.in/yaml.v", "", false],
  ["gopkg.in/yaml.v01", "gopkg.in/yaml.v01", "", false],
];

// [version, pathMajor, allowed]
const PATH_MAJOR_TABLE: readonly (readonly [string, string, boolean])[] = [
  ["v0.1.0", "", true],
  ["v1.9.0", "", true],
  ["v2.0.0", "", false],
  ["v2.0.0+incompatible", "", true],
  ["v3.1.0+incompatible", "", true],
  ["v1.0.0+incompatible", "", true],
  ["v2.0.0", "/v2", true],
  ["v2.0.0+incompatible", "/v2", true],
  ["v3.0.0", "/v2", false],
  ["v1.0.0", "/v2", false],
  ["v3.0.0", ".v3", true],
  ["v2.0.0", ".v3", false],
  ["v0.0.0-20200101000000-abcdefabcdef", ".v1", true],
  ["v0.1.0", ".v1", false],
  ["v2.1.0", ".v2-unstable", true],
  ["v0.5.0", ".v0", true],
];

describe("module paths", () => {
  it.each(PATH_TABLE)("%j -> %j", (path, problem) => {
    expect(describeModulePathProblem(path)).toBe(problem);
    expect(isModulePath(path)).toBe(problem === undefined);
    if (problem === undefined) {
      expect(() => checkModulePath(path)).not.toThrow();
    } else {
      expect(() => checkModulePath(path)).toThrow(
        expect.objectContaining({ code: "GOSET_PATH_INVALID", message: expect.stringContaining(problem) }),
      );
    }
  });

  it("gives a hint with the error", () => {
    try {
      checkModulePath("example");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GosetError);
      expect((e as GosetError).hint).toMatch(/dot/);
    }
  });

  it.each(SPLIT_TABLE)("splitPathVersion(%j) = %j %j %s", (path, prefix, pathMajor, ok) => {
    expect(splitPathVersion(path)).toEqual({ prefix, pathMajor, ok });
  });

  it.each(PATH_MAJOR_TABLE)("version %s with pathMajor %j allowed: %s", (version, pathMajor, allowed) => {
    expect(describePathMajorMismatch(version, pathMajor) === undefined).toBe(allowed);
    if (allowed) expect(() => checkPathMajor(version, pathMajor)).not.toThrow();
    else expect(() => checkPathMajor(version, pathMajor)).toThrow(expect.objectContaining({ code: "GOSET_VERSION_INVALID" }));
  });
});

describe("checkModuleVersion", () => {
  it.each([
    ["github.com/a/b", "v1.2.3", undefined],
    ["github.com/a/b", "v2.0.0+incompatible", undefined],
    ["github.com/a/b/v2", "v2.0.1-0.20200101000000-abcdefabcdef", undefined],
    ["gopkg.in/yaml.v3", "v3.0.1", undefined],
    ["github.com/a/b", "v1.2", "GOSET_VERSION_INVALID"],
    ["github.com/a/b", "v1.2.3+meta", "GOSET_VERSION_INVALID"],
    ["github.com/a/b", "1.2.3", "GOSET_VERSION_INVALID"],
    ["github.com/a/b", "v2.0.0", "GOSET_VERSION_INVALID"],
    ["github.com/a/b/v2", "v1.0.0", "GOSET_VERSION_INVALID"],
    ["github.com/a/b/v3", "v2.0.0", "GOSET_VERSION_INVALID"],
    ["github", "v1.0.0", "GOSET_PATH_INVALID"],
  ] as const)("%s@%s -> %s", (path, version, code) => {
    if (code === undefined) {
      expect(() => checkModuleVersion({ path, version })).not.toThrow();
    } else {
      expect(() => checkModuleVersion({ path, version })).toThrow(
        expect.objectContaining({ code, message: expect.stringContaining(path) }),
      );
    }
  });

  it("suggests the canonical spelling", () => {
    expect(() => checkModuleVersion({ path: "github.com/a/b", version: "v1.2" })).toThrow(
      expect.objectContaining({ hint: "Write it as v1.2.0." }),
    );
  });
});

const PINNED_X_MOD = "v0.42.0";
const GO_PROGRAM = `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/module"
)

type input struct {
	Paths      []string
	PathMajors [][2]string
}

type split struct {
	Prefix, PathMajor string
	Ok                bool
}

func main() {
	var in input
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(data, &in); err != nil {
		panic(err)
	}
	checks := map[string]bool{}
	splits := map[string]split{}
	for _, p := range in.Paths {
		checks[p] = module.CheckPath(p) == nil
		prefix, pathMajor, ok := module.SplitPathVersion(p)
		splits[p] = split{prefix, pathMajor, ok}
	}
	var majors []bool
	for _, vm := range in.PathMajors {
		majors = append(majors, module.CheckPathMajor(vm[0], vm[1]) == nil)
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{"CheckPath": checks, "Split": splits, "PathMajor": majors})
}
`;

interface GoAnswers {
  CheckPath: Record<string, boolean>;
  Split: Record<string, { Prefix: string; PathMajor: string; Ok: boolean }>;
  PathMajor: boolean[];
}

describe("pinned against golang.org/x/mod/module", () => {
  const paths = [...new Set([...PATH_TABLE.map((r) => r[0]), ...SPLIT_TABLE.map((r) => r[0])])];
  const pathMajors = PATH_MAJOR_TABLE.map((r) => [r[0], r[1]]);
  let dir = "";
  let answers: GoAnswers;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "goset-module-"));
    const prog = join(dir, "prog");
    await mkdir(prog);
    const env = goEnv({ GOMODCACHE: join(dir, "modcache"), GOPROXY: "https://proxy.golang.org", GOSUMDB: "sum.golang.org" });
    await writeFile(join(prog, "go.mod"), `module example.com/modulepin\n\ngo 1.23\n`);
    await writeFile(join(prog, "main.go"), GO_PROGRAM);
    await writeFile(join(dir, "input.json"), JSON.stringify({ Paths: paths, PathMajors: pathMajors }));
    const get = await runGo(["get", `golang.org/x/mod@${PINNED_X_MOD}`], prog, env);
    expect(get.code).toBe(0);
    const run = await runGo(["run", ".", join(dir, "input.json")], prog, env);
    expect(run.stderr).toBe("");
    answers = JSON.parse(run.stdout) as GoAnswers;
  });

  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("agrees on CheckPath and SplitPathVersion", () => {
    for (const p of paths) {
      const s = splitPathVersion(p);
      expect([p, isModulePath(p), s]).toEqual([
        p,
        answers.CheckPath[p],
        { prefix: answers.Split[p]?.Prefix, pathMajor: answers.Split[p]?.PathMajor, ok: answers.Split[p]?.Ok },
      ]);
    }
  });

  it("agrees on CheckPathMajor", () => {
    expect(pathMajors.map(([v, m]) => describePathMajorMismatch(v ?? "", m ?? "") === undefined)).toEqual(answers.PathMajor);
  });
});

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  build,
  canonical,
  canonicalModuleVersion,
  compare,
  compareGoVersion,
  goVersionAtLeast,
  isPseudoVersion,
  isValid,
  isValidGoVersion,
  major,
  majorMinor,
  max,
  prerelease,
  sortVersions,
} from "../../generator/gomod/semver.js";
import { goEnv, runGo } from "./gotool.js";

// [version, valid, canonical, major, majorMinor, prerelease, build]
const PARSE_TABLE: readonly (readonly [string, boolean, string, string, string, string, string])[] = [
  ["v1.2.3", true, "v1.2.3", "v1", "v1.2", "", ""],
  ["v1.2", true, "v1.2.0", "v1", "v1.2", "", ""],
  ["v1", true, "v1.0.0", "v1", "v1.0", "", ""],
  ["v0.0.0", true, "v0.0.0", "v0", "v0.0", "", ""],
  ["v1.2.3-pre", true, "v1.2.3-pre", "v1", "v1.2", "-pre", ""],
  ["v1.2.3-pre+meta", true, "v1.2.3-pre", "v1", "v1.2", "-pre", "+meta"],
  ["v1.2.3+meta", true, "v1.2.3", "v1", "v1.2", "", "+meta"],
  ["v1.2.3+meta-pre.sha.256a", true, "v1.2.3", "v1", "v1.2", "", "+meta-pre.sha.256a"],
  // x/mod semver.Canonical drops +incompatible like any build suffix.
  ["v2.0.0+incompatible", true, "v2.0.0", "v2", "v2.0", "", "+incompatible"],
  ["v1.2.3-0.20200101000000-abcdefabcdef", true, "v1.2.3-0.20200101000000-abcdefabcdef", "v1", "v1.2", "-0.20200101000000-abcdefabcdef", ""],
  ["v1.2.3-0a", true, "v1.2.3-0a", "v1", "v1.2", "-0a", ""],
  ["v1.2.3+01", true, "v1.2.3", "v1", "v1.2", "", "+01"],
  ["v123456789012345678901234567890.0.0", true, "v123456789012345678901234567890.0.0", "v123456789012345678901234567890", "v123456789012345678901234567890.0", "", ""],
  ["1.2.3", false, "", "", "", "", ""],
  ["V1.2.3", false, "", "", "", "", ""],
  ["v", false, "", "", "", "", ""],
  ["", false, "", "", "", "", ""],
  ["v1.2.3.4", false, "", "", "", "", ""],
  ["v01.2.3", false, "", "", "", "", ""],
  ["v1.02.3", false, "", "", "", "", ""],
  ["v1.2.03", false, "", "", "", "", ""],
  ["v1.2-pre", false, "", "", "", "", ""],
  ["v1-pre", false, "", "", "", "", ""],
  ["v1.2+meta", false, "", "", "", "", ""],
  ["v1.2.3-", false, "", "", "", "", ""],
  ["v1.2.3+", false, "", "", "", "", ""],
  ["v1.2.3-01", false, "", "", "", "", ""],
  ["v1.2.3-a..b", false, "", "", "", "", ""],
  ["v1.2.3-a_b", false, "", "", "", "", ""],
  ["v1.2.3+a+b", false, "", "", "", "", ""],
  ["v1.2.3 ", false, "", "", "", "", ""],
  ["v1.2.x", false, "", "", "", "", ""],
  ["master", false, "", "", "", "", ""],
];

// Each version is strictly greater than the previous one.
const ASCENDING = [
  "v0.0.0-20190101000000-abcdefabcdef",
  "v0.0.0",
  "v0.0.1",
  "v0.1.0",
  "v1.0.0-0",
  "v1.0.0-0.0",
  "v1.0.0-1",
  "v1.0.0-2",
  "v1.0.0-10",
  "v1.0.0--",
  "v1.0.0-A",
  "v1.0.0-a",
  "v1.0.0-alpha",
  "v1.0.0-alpha.1",
  "v1.0.0-alpha.beta",
  "v1.0.0-beta",
  "v1.0.0-beta.2",
  "v1.0.0-beta.11",
  "v1.0.0-rc.1",
  "v1.0.0",
  "v1.0.1-0.20200101000000-abcdefabcdef",
  "v1.0.1",
  "v1.2.0",
  "v1.10.0",
  "v2.0.0+incompatible",
  "v2.1.0",
  "v10.0.0",
];

// [a, b, compare(a, b)]
const COMPARE_TABLE: readonly (readonly [string, string, -1 | 0 | 1])[] = [
  ["v1.2", "v1.2.0", 0],
  ["v1", "v1.0.0", 0],
  ["v1.2.3+a", "v1.2.3+b", 0],
  ["v1.2.3+a", "v1.2.3", 0],
  ["v2.0.0+incompatible", "v2.0.0", 0],
  ["v1.2.3-pre+a", "v1.2.3-pre", 0],
  ["bad", "v0.0.0-20190101000000-abcdefabcdef", -1],
  ["v0.0.0", "bad", 1],
  ["bad", "worse", 0],
  ["", "v1.2", -1],
  ["v1.0.0-alpha", "v1.0.0-alpha.0", -1],
  ["v1.0.0-9", "v1.0.0-a", -1],
  ["v1.0.0-99999999999999999999", "v1.0.0-100000000000000000000", -1],
];

describe("semver", () => {
  it.each(PARSE_TABLE)("%s: valid %s, canonical %j, major %j, majorMinor %j, prerelease %j, build %j", (v, valid, canon, maj, majMin, pre, bld) => {
    expect(isValid(v)).toBe(valid);
    expect(canonical(v)).toBe(canon);
    expect(major(v)).toBe(maj);
    expect(majorMinor(v)).toBe(majMin);
    expect(prerelease(v)).toBe(pre);
    expect(build(v)).toBe(bld);
  });

  it.each(COMPARE_TABLE)("compare(%j, %j) = %d", (a, b, want) => {
    expect(compare(a, b)).toBe(want);
    expect(compare(b, a)).toBe(want === 0 ? 0 : -want);
  });

  it("orders a chain of versions strictly, in both directions", () => {
    for (let i = 0; i < ASCENDING.length; i++) {
      for (let j = 0; j < ASCENDING.length; j++) {
        const a = ASCENDING[i] ?? "";
        const b = ASCENDING[j] ?? "";
        expect([a, b, compare(a, b)]).toEqual([a, b, Math.sign(i - j)]);
      }
    }
  });

  it("sortVersions sorts by precedence, breaking ties by string order, invalid first", () => {
    const shuffled = [...ASCENDING].reverse().concat(["v1.2", "garbage", "v1.2.0+b", "v1.2.0+a", "v1.2.0"]);
    const sorted = sortVersions(shuffled);
    expect(sorted.slice(0, 2)).toEqual(["garbage", "v0.0.0-20190101000000-abcdefabcdef"]);
    expect(sorted.filter((v) => compare(v, "v1.2.0") === 0)).toEqual(["v1.2", "v1.2.0", "v1.2.0", "v1.2.0+a", "v1.2.0+b"]);
    expect(sorted.filter((v) => ASCENDING.includes(v) && v !== "v1.2.0")).toEqual(ASCENDING.filter((v) => v !== "v1.2.0"));
    expect(shuffled[0]).toBe("v10.0.0");
  });

  it.each([
    ["v1.2", "v1.1.9", "v1.2.0"],
    ["v1.2.3+meta", "v1.2.2", "v1.2.3"],
    ["bad", "v0.1", "v0.1.0"],
    ["bad", "worse", ""],
  ])("max(%j, %j) = %j", (a, b, want) => {
    expect(max(a, b)).toBe(want);
    expect(max(b, a)).toBe(want);
  });

  it.each([
    ["v2.0.0+incompatible", "v2.0.0+incompatible"],
    ["v2.0+incompatible", ""],
    ["v2.0.0+meta", "v2.0.0"],
    ["v1.2", "v1.2.0"],
    ["bad+incompatible", ""],
  ])("canonicalModuleVersion(%j) = %j", (v, want) => {
    expect(canonicalModuleVersion(v)).toBe(want);
  });
});

const PSEUDO_TABLE: readonly (readonly [string, boolean])[] = [
  ["v0.0.0-20191109021931-daa7c04131f5", true],
  ["v2.0.0-20191109021931-daa7c04131f5", true],
  ["v1.2.3-pre.0.20191109021931-daa7c04131f5", true],
  ["v1.2.3-rc.1.0.20191109021931-daa7c04131f5", true],
  ["v1.2.4-0.20191109021931-daa7c04131f5", true],
  ["v1.2.4-0.20191109021931-daa7c04131f5+incompatible", true],
  ["v2.0.1-0.20191109021931-daa7c04131f5+incompatible", true],
  ["v0.0.0-20191109021931-daa7c04131f5+build.1", true],
  ["v1.2.3", false],
  ["v1.2.3-pre", false],
  ["v1.2.4-0.2019110902193-daa7c04131f5", false], // 13-digit time
  ["v1.2.4-1.20191109021931-daa7c04131f5", false], // "1." is not the "0." base marker
  ["v1.2.0-20191109021931-daa7c04131f5", false], // a base other than vX.0.0 needs the "-0." or "-pre.0." marker
  ["v0.0.0-20191109021931", false],
  ["v0.0.0-20191109021931-", false],
  ["v0.0.0-20191109021931-abc_def", false],
  ["0.0.0-20191109021931-daa7c04131f5", false],
];

describe("isPseudoVersion", () => {
  it.each(PSEUDO_TABLE)("%s -> %s", (v, want) => {
    expect(isPseudoVersion(v)).toBe(want);
  });
});

const GO_ASCENDING = [
  "1.0",
  "1.2",
  "1.9",
  "1.16",
  "1.16.1",
  "1.17",
  "1.20rc1",
  "1.20",
  "1.20.1",
  "1.21",
  "1.21rc1",
  "1.21rc2",
  "1.21.0",
  "1.21.1",
  "1.21.10",
  "1.22alpha1",
  "1.22beta1",
  "1.22rc1",
  "1.22.0",
  "2",
];

describe("go directive versions", () => {
  it("orders a chain strictly (go/version.Compare)", () => {
    for (let i = 0; i < GO_ASCENDING.length; i++) {
      for (let j = 0; j < GO_ASCENDING.length; j++) {
        const a = GO_ASCENDING[i] ?? "";
        const b = GO_ASCENDING[j] ?? "";
        expect([a, b, compareGoVersion(a, b)]).toEqual([a, b, Math.sign(i - j)]);
      }
    }
  });

  it.each([
    ["1.20", "1.20.0", 0],
    ["1", "1.0.0", 0],
    ["go1.21.0", "1.21.0", 0],
    ["go1.22.1-custom", "1.22.1", 0],
    ["1.21", "1.21.0", -1],
    ["bad", "1.0", -1],
    ["bad", "1.021", 0],
    ["1.21rc", "1.21rc0", -1],
  ] as const)("compareGoVersion(%j, %j) = %d", (a, b, want) => {
    expect(compareGoVersion(a, b)).toBe(want);
  });

  it.each([
    ["1.21", true],
    ["1.21.0", true],
    ["1.21rc1", true],
    ["go1.21rc1", true],
    ["1.021", false],
    ["1.21.0rc1", false],
    ["1.21-rc1", false],
    ["v1.21", false],
    ["", false],
  ] as const)("isValidGoVersion(%j) = %s", (v, want) => {
    expect(isValidGoVersion(v)).toBe(want);
  });

  it.each([
    [undefined, "1.17", false],
    [undefined, "1.16", true],
    ["1.16", "1.17", false],
    ["1.17", "1.17", true],
    ["1.21rc1", "1.21", true],
    ["1.21rc1", "1.21.0", false],
    ["1.22.3", "1.17", true],
  ] as const)("goVersionAtLeast(%j, %j) = %s", (goLine, min, want) => {
    expect(goVersionAtLeast(goLine, min)).toBe(want);
  });
});

/**
 * The same questions asked of the real implementations: golang.org/x/mod
 * (fetched through the Go proxy) and the standard library's go/version.
 */
const PINNED_X_MOD = "v0.42.0";
const GO_PROGRAM = `package main

import (
	"encoding/json"
	"go/version"
	"os"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

type input struct {
	Versions   []string
	GoVersions []string
}

type versionFacts struct {
	Valid                                      bool
	Canonical, CanonicalModule, Major, MajorMinor, Prerelease, Build string
	Pseudo                                     bool
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
	facts := map[string]versionFacts{}
	var cmp [][]int
	for _, v := range in.Versions {
		facts[v] = versionFacts{semver.IsValid(v), semver.Canonical(v), module.CanonicalVersion(v), semver.Major(v), semver.MajorMinor(v), semver.Prerelease(v), semver.Build(v), module.IsPseudoVersion(v)}
		row := []int{}
		for _, w := range in.Versions {
			row = append(row, semver.Compare(v, w))
		}
		cmp = append(cmp, row)
	}
	var goCmp [][]int
	for _, a := range in.GoVersions {
		row := []int{}
		for _, b := range in.GoVersions {
			row = append(row, version.Compare("go"+a, "go"+b))
		}
		goCmp = append(goCmp, row)
	}
	sorted := append([]string(nil), in.Versions...)
	semver.Sort(sorted)
	json.NewEncoder(os.Stdout).Encode(map[string]any{"Facts": facts, "Compare": cmp, "GoCompare": goCmp, "Sorted": sorted})
}
`;

interface GoAnswers {
  Facts: Record<string, { Valid: boolean; Canonical: string; CanonicalModule: string; Major: string; MajorMinor: string; Prerelease: string; Build: string; Pseudo: boolean }>;
  Compare: number[][];
  GoCompare: number[][];
  Sorted: string[];
}

describe("pinned against golang.org/x/mod and go/version", () => {
  const versions = [...new Set([...PARSE_TABLE.map((r) => r[0]), ...ASCENDING, ...COMPARE_TABLE.flatMap((r) => [r[0], r[1]]), ...PSEUDO_TABLE.map((r) => r[0])])];
  const goVersions = [...GO_ASCENDING, "1.021", "1.21-rc1", "1.21rc", "1.21rc0", "bad"];
  let dir = "";
  let answers: GoAnswers;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "goset-semver-"));
    const prog = join(dir, "prog");
    await mkdir(prog);
    const env = goEnv({
      GOMODCACHE: join(dir, "modcache"),
      GOPROXY: "https://proxy.golang.org",
      GOSUMDB: "sum.golang.org",
    });
    await writeFile(join(prog, "go.mod"), `module example.com/semverpin\n\ngo 1.23\n`);
    await writeFile(join(prog, "main.go"), GO_PROGRAM);
    await writeFile(join(dir, "input.json"), JSON.stringify({ Versions: versions, GoVersions: goVersions }));
    const get = await runGo(["get", `golang.org/x/mod@${PINNED_X_MOD}`], prog, env);
    expect(get.stderr).toContain("golang.org/x/mod");
    expect(get.code).toBe(0);
    const run = await runGo(["run", ".", join(dir, "input.json")], prog, env);
    expect(run.stderr).toBe("");
    answers = JSON.parse(run.stdout) as GoAnswers;
  });

  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("agrees on validity, canonical forms, parts and pseudo-versions", () => {
    for (const v of versions) {
      const mine = {
        Valid: isValid(v),
        Canonical: canonical(v),
        CanonicalModule: canonicalModuleVersion(v),
        Major: major(v),
        MajorMinor: majorMinor(v),
        Prerelease: prerelease(v),
        Build: build(v),
        Pseudo: isPseudoVersion(v),
      };
      expect([v, mine]).toEqual([v, answers.Facts[v]]);
    }
  });

  it("agrees on every pairwise comparison and on sorting", () => {
    const mine = versions.map((v) => versions.map((w) => compare(v, w)));
    expect(mine).toEqual(answers.Compare);
    expect(sortVersions(versions)).toEqual(answers.Sorted);
  });

  it("agrees with go/version.Compare on go directive versions", () => {
    const mine = goVersions.map((a) => goVersions.map((b) => compareGoVersion(`go${a}`, `go${b}`)));
    expect(mine).toEqual(answers.GoCompare);
  });
});

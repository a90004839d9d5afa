import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { BuildContext } from "../../generator/packages/constraint.js";
import {
  SET_PLATFORMS,
  evalBuildExpr,
  fileMatches,
  fileNameMatches,
  formatBuildExpr,
  matchTag,
  parseGoBuildExpr,
  parsePlusBuildExpr,
  releaseTags,
  toolTags,
} from "../../generator/packages/constraint.js";
import type { GoFileHeader } from "../../generator/packages/gofile.js";
import { contextEnv, GO } from "./golist.js";

const ctx = (goos: string, goarch: string, over: Partial<BuildContext> = {}): BuildContext => ({
  goos,
  goarch,
  cgo: true,
  goVersionMinor: 26,
  tags: [],
  ...over,
});
const linuxAmd64 = ctx("linux", "amd64");
const darwinArm64 = ctx("darwin", "arm64");
const header = (over: Partial<GoFileHeader> = {}): GoFileHeader => ({ packageName: "p", plusBuild: [], imports: [], importsC: false, ...over });

describe("parseGoBuildExpr", () => {
  it.each<[string, string]>([
    ["linux", "linux"],
    ["linux && amd64 || darwin", "(linux && amd64) || darwin"],
    ["linux || amd64 && darwin", "linux || (amd64 && darwin)"],
    ["(linux || darwin) && !(arm64 && cgo)", "(linux || darwin) && !(arm64 && cgo)"],
    ["((a))", "a"],
    ["!(!a)", "!!a"],
    ["  a\t&&\tb  ", "a && b"],
    ["go1.21 && amd64.v3 && goexperiment.x_y", "go1.21 && amd64.v3 && goexperiment.x_y"],
    ["linüx || 日本", "linüx || 日本"],
    ["a&&b||c", "(a && b) || c"],
    ["a || b || c && d", "a || b || (c && d)"],
  ])("%s", (text, formatted) => {
    const expr = parseGoBuildExpr(text);
    expect(expr).toBeDefined();
    expect(formatBuildExpr(expr as NonNullable<typeof expr>)).toBe(formatted);
  });

  it.each([
    "",
    "linux &&",
    "&& linux",
    "linux & darwin",
    "linux | darwin",
    "!!linux",
    "! !linux",
    "(linux",
    "linux)",
    "()",
    "linux darwin",
    "linux // comment",
    "linux-x",
    "linux,amd64",
    "linux\r",
  ])("rejects %j", (text) => {
    expect(parseGoBuildExpr(text)).toBeUndefined();
  });

  it("limits the size to 1000 operands", () => {
    const terms = (n: number): string => Array.from({ length: n }, (_, i) => `t${i}`).join(" || ");
    expect(parseGoBuildExpr(terms(1000))).toBeDefined();
    expect(parseGoBuildExpr(terms(1001))).toBeUndefined();
  });
});

describe("parsePlusBuildExpr", () => {
  it.each<[string, string]>([
    ["linux darwin", "linux || darwin"],
    ["linux,amd64 darwin,!cgo", "(linux && amd64) || (darwin && !cgo)"],
    ["  linux \t darwin  ", "linux || darwin"],
    ["", "ignore"],
    ["!", "ignore"],
    ["!!linux", "ignore"],
    ["linux-x", "ignore"],
    ["!linux-x", "!ignore"],
    ["linux,,amd64", "linux && ignore && amd64"],
    ["linux\u00a0darwin", "linux || darwin"],
  ])("%j", (text, formatted) => {
    const expr = parsePlusBuildExpr(text);
    expect(expr).toBeDefined();
    expect(formatBuildExpr(expr as NonNullable<typeof expr>)).toBe(formatted);
  });

  it("is too complex above 100 operators", () => {
    const options = (n: number): string => Array.from({ length: n }, (_, i) => `t${i}`).join(" ");
    expect(parsePlusBuildExpr(options(101))).toBeDefined();
    expect(parsePlusBuildExpr(options(102))).toBeUndefined();
  });
});

describe("matchTag", () => {
  it.each<[string, BuildContext, string, boolean]>([
    ["GOOS", linuxAmd64, "linux", true],
    ["GOARCH", linuxAmd64, "amd64", true],
    ["another GOOS", linuxAmd64, "darwin", false],
    ["cgo", linuxAmd64, "cgo", true],
    ["cgo off", ctx("linux", "amd64", { cgo: false }), "cgo", false],
    ["gc", darwinArm64, "gc", true],
    ["gccgo", darwinArm64, "gccgo", false],
    ["unix on darwin", darwinArm64, "unix", true],
    ["unix on windows", ctx("windows", "amd64"), "unix", false],
    ["unix on js", ctx("js", "wasm"), "unix", false],
    ["linux on android", ctx("android", "arm64"), "linux", true],
    ["android on linux", linuxAmd64, "android", false],
    ["darwin on ios", ctx("ios", "arm64"), "darwin", true],
    ["solaris on illumos", ctx("illumos", "amd64"), "solaris", true],
    ["release tag", linuxAmd64, "go1.26", true],
    ["first release tag", linuxAmd64, "go1.1", true],
    ["future release tag", linuxAmd64, "go1.27", false],
    ["older Go", ctx("linux", "amd64", { goVersionMinor: 21 }), "go1.22", false],
    ["amd64.v1", linuxAmd64, "amd64.v1", true],
    ["amd64.v2", linuxAmd64, "amd64.v2", false],
    ["arm64.v8.0", darwinArm64, "arm64.v8.0", true],
    ["arm64.v8.1", darwinArm64, "arm64.v8.1", false],
    ["extra tag", ctx("linux", "amd64", { tags: ["purego"] }), "purego", true],
    ["extra tag absent", linuxAmd64, "purego", false],
    ["default experiment", linuxAmd64, "goexperiment.greenteagc", true],
    ["dwarf5 on linux", linuxAmd64, "goexperiment.dwarf5", true],
    ["dwarf5 on darwin", darwinArm64, "goexperiment.dwarf5", false],
    ["experiment off by default", linuxAmd64, "goexperiment.jsonv2", false],
    ["boringcrypto is goexperiment.boringcrypto", ctx("linux", "amd64", { tags: ["goexperiment.boringcrypto"] }), "boringcrypto", true],
    ["no experiments assumed for other Go versions", ctx("linux", "amd64", { goVersionMinor: 25 }), "goexperiment.greenteagc", false],
    ["ignore", linuxAmd64, "ignore", false],
  ])("%s", (_, c, tag, expected) => {
    expect(matchTag(c, tag)).toBe(expected);
  });

  it("evaluates both kinds of lines with it", () => {
    const isTrue = (t: string): boolean => matchTag(darwinArm64, t);
    expect(evalBuildExpr(parseGoBuildExpr("darwin && !ios && cgo && unix") ?? { op: "tag", tag: "x" }, isTrue)).toBe(true);
    expect(evalBuildExpr(parsePlusBuildExpr("linux,cgo !arm64") ?? { op: "tag", tag: "x" }, isTrue)).toBe(false);
  });
});

describe("fileNameMatches", () => {
  it.each<[string, boolean, boolean]>([
    // name, linux/amd64, darwin/arm64
    ["a.go", true, true],
    ["a_linux.go", true, false],
    ["a_darwin.go", false, true],
    ["a_amd64.go", true, false],
    ["a_linux_amd64.go", true, false],
    ["a_darwin_arm64.go", false, true],
    ["a_linux_arm64.go", false, false],
    ["a_amd64_linux.go", true, false], // only the last element is an OS here
    ["a_unix.go", true, true],
    ["a_foo_linux.go", true, false],
    ["a_linux_foo.go", true, true],
    ["linux.go", true, true],
    ["_linux.go", false, false],
    ["a_windows.go", false, false],
    ["a_nacl.go", false, false],
    ["a_android.go", false, false],
    ["a_ios.go", false, false],
    ["a_linux.amd64.go", true, false],
    ["a.linux_arm64.go", true, true],
    ["a_test.go", false, false],
    ["a_linux_test.go", false, false],
    ["_a.go", false, false],
    [".a.go", false, false],
    ["a.s", false, false],
    ["dir/_x/a_linux.go", true, false],
  ])("%s", (name, onLinux, onDarwin) => {
    expect(fileNameMatches(linuxAmd64, name)).toBe(onLinux);
    expect(fileNameMatches(darwinArm64, name)).toBe(onDarwin);
  });

  it("follows the GOOS aliases and extra tags", () => {
    expect(fileNameMatches(ctx("android", "arm64"), "a_linux.go")).toBe(true);
    expect(fileNameMatches(ctx("ios", "arm64"), "a_darwin_arm64.go")).toBe(true);
    expect(fileNameMatches(ctx("illumos", "amd64"), "a_solaris.go")).toBe(true);
    expect(fileNameMatches(ctx("darwin", "arm64", { tags: ["linux"] }), "a_linux.go")).toBe(true);
  });
});

describe("fileMatches", () => {
  it.each<[string, BuildContext, string, Partial<GoFileHeader>, boolean]>([
    ["a plain file", linuxAmd64, "a.go", {}, true],
    ["file name and //go:build both count", linuxAmd64, "a_linux.go", { goBuild: "darwin" }, false],
    ["//go:build decides over +build", linuxAmd64, "a.go", { goBuild: "linux", plusBuild: ["darwin"] }, true],
    ["+build lines are ANDed", linuxAmd64, "a.go", { plusBuild: ["linux darwin", "arm64"] }, false],
    ["+build lines all true", darwinArm64, "a.go", { plusBuild: ["linux darwin", "arm64"] }, true],
    ["a too complex +build line is skipped", linuxAmd64, "a.go", { plusBuild: [Array.from({ length: 102 }, (_, i) => `t${i}`).join(" ")] }, true],
    ["a malformed //go:build", linuxAmd64, "a.go", { goBuild: "linux &&" }, false],
    ["an empty //go:build", linuxAmd64, "a.go", { goBuild: "" }, false],
    ["a rejected file", linuxAmd64, "a.go", { invalid: "multiple //go:build comments" }, false],
    ["imports that do not parse still build (and fail)", linuxAmd64, "a.go", { importError: "missing import path" }, true],
    ["package documentation", linuxAmd64, "a.go", { packageName: "documentation" }, false],
    ["cgo with cgo", linuxAmd64, "a.go", { importsC: true }, true],
    ["cgo without cgo", ctx("linux", "amd64", { cgo: false }), "a.go", { importsC: true }, false],
    ["test file", linuxAmd64, "a_test.go", {}, false],
    ["ignore", linuxAmd64, "a.go", { goBuild: "ignore" }, false],
  ])("%s", (_, c, name, over, expected) => {
    expect(fileMatches(c, name, header(over))).toBe(expected);
  });
});

describe("build contexts", () => {
  it("SET_PLATFORMS", () => {
    expect(SET_PLATFORMS).toEqual([
      { goos: "linux", goarch: "amd64", cgo: true, goVersionMinor: 26, tags: [] },
      { goos: "linux", goarch: "arm64", cgo: true, goVersionMinor: 26, tags: [] },
      { goos: "darwin", goarch: "amd64", cgo: true, goVersionMinor: 26, tags: [] },
      { goos: "darwin", goarch: "arm64", cgo: true, goVersionMinor: 26, tags: [] },
    ]);
  });

  const run = promisify(execFile);
  const platforms = [
    ...SET_PLATFORMS,
    ...[["ios", "arm64"], ["windows", "386"], ["linux", "arm"], ["linux", "mips64le"], ["linux", "ppc64"], ["linux", "riscv64"], ["linux", "s390x"], ["js", "wasm"], ["aix", "ppc64"], ["freebsd", "loong64"]].map(([os, arch]) =>
      ctx(os as string, arch as string, { cgo: false }),
    ),
  ];

  it.each(platforms.map((c) => [`${c.goos}/${c.goarch}`, c] as const))("tool and release tags as go 1.26 has them: %s", async (_, c) => {
    const { stdout } = await run(GO, ["list", "-f", "{{context.ToolTags}}|{{context.ReleaseTags}}|{{context.CgoEnabled}}|{{context.Compiler}}", "runtime"], {
      env: contextEnv(c),
      cwd: "/",
    });
    const [tools, releases, cgo, compiler] = stdout.trim().split("|");
    const list = (s: string | undefined): string[] => (s ?? "").replace(/^\[|\]$/g, "").split(" ").filter((x) => x !== "");
    expect([...toolTags(c)].sort()).toEqual(list(tools).sort());
    expect(releaseTags(c)).toEqual(list(releases));
    expect(cgo).toBe(String(c.cgo));
    expect(compiler).toBe("gc");
  });
});

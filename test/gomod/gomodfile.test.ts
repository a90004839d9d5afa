import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GosetError } from "../../generator/errors.js";
import { autoQuote, isDirectoryPath, parseGoMod, synthesizeGoMod } from "../../generator/gomod/gomodfile.js";
import type { GoModFile } from "../../generator/types.js";
import { goEnv, runGo, withTempDir } from "./gotool.js";

/** A parse result in the shape `go mod edit -json` prints. */
function toEditJson(f: GoModFile): unknown {
  const list = <T>(xs: readonly T[]): T[] | null => (xs.length === 0 ? null : [...xs]);
  return {
    Module: { Path: f.module.path, ...(f.module.deprecated === undefined ? {} : { Deprecated: f.module.deprecated }) },
    ...(f.go === undefined ? {} : { Go: f.go }),
    ...(f.toolchain === undefined ? {} : { Toolchain: f.toolchain }),
    ...(f.godebug.length === 0 ? {} : { GoDebug: f.godebug.map((g) => ({ Key: g.key, Value: g.value })) }),
    Require: list(f.requires.map((r) => ({ Path: r.path, Version: r.version, ...(r.indirect ? { Indirect: true } : {}) }))),
    Exclude: list(f.excludes.map((e) => ({ Path: e.path, Version: e.version }))),
    Replace: list(
      f.replaces.map((r) => ({
        Old: { Path: r.old.path, ...(r.old.version === undefined ? {} : { Version: r.old.version }) },
        New: r.new.kind === "dir" ? { Path: r.new.dir } : { Path: r.new.path, Version: r.new.version },
      })),
    ),
    Retract: list(f.retracts.map((r) => ({ Low: r.low, High: r.high, ...(r.rationale === "" ? {} : { Rationale: r.rationale }) }))),
    Tool: list(f.tools.map((t) => ({ Path: t }))),
  };
}

async function goModEditJson(text: string): Promise<{ code: number; json: Record<string, unknown> | undefined; stderr: string }> {
  return withTempDir("goset-gomod-", async (dir) => {
    await writeFile(join(dir, "go.mod"), text);
    const r = await runGo(["mod", "edit", "-json"], dir, goEnv({}));
    return { code: r.code, json: r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined, stderr: r.stderr };
  });
}

// [name, go.mod text]
const VALID: readonly (readonly [string, string])[] = [
  ["line forms", "module example.com/m\n\ngo 1.21\n\nrequire example.com/a v1.2.3\nexclude example.com/a v1.2.2\n"],
  [
    "block forms, indirect markers, toolchain",
    `// leading comment
module example.com/m

go 1.22.1

toolchain go1.23.4

require (
	example.com/a v1.0.0
	example.com/b v1.1.0 // indirect
	example.com/c v0.0.0-20200101000000-abcdefabcdef // indirect; kept for tests
	example.com/d/v2 v2.3.0 //indirect
	example.com/e v2.0.0+incompatible
	example.com/f v1.0.0 // not indirect
	example.com/g v1.0.0 // indirect extra
	gopkg.in/yaml.v3 v3.0.1
)

require example.com/h v1.0.0// indirect
`,
  ],
  [
    "quoted strings and escapes",
    'module "example.com/quoted"\n\nrequire (\n\t"example.com/a" "v1.0.0"\n\t"example.com/\\x62\\u0063" v1.0.0\n\t"example.com/\\144" v1.0.0\n)\n',
  ],
  ["non-canonical versions are canonicalized", "module example.com/m\n\nrequire (\n\texample.com/a v1.2\n\texample.com/b v1.0.0+meta\n\texample.com/c v2.0.0+incompatible\n\texample.com/d v1\n)\n"],
  [
    "deprecation paragraph",
    `// Package m does things.
//
// Deprecated: use example.com/m/v2 instead.
// It has a better API.
//
// Trailing paragraph.
module example.com/m
`,
  ],
  ["deprecation as a suffix comment", "module example.com/m // Deprecated: gone for good\n"],
  ["not a deprecation (not at paragraph start)", "// This is Deprecated: not really\nmodule example.com/m\n"],
  ["comment separated by a blank line is not attached", "// Deprecated: detached\n\nmodule example.com/m\n"],
  [
    "retractions with rationale",
    `module example.com/m

go 1.21

// Published by mistake.
retract v1.0.0

retract [v1.1.0, v1.2.0] // Broken builds.

// Whole block reason.
retract (
	v0.9.0
	// Own reason.
	v0.9.1
	v0.9.2 // Suffix reason.

	v0.9.3
	[v0.5.0, v0.6.0]
)
retract "v0.1.0"
retract v0.2
`,
  ],
  [
    "replace forms",
    `module example.com/m

replace example.com/a => example.com/b v1.2.3
replace example.com/a v1.0.0 => example.com/b v1.2
replace (
	example.com/c => ./c
	example.com/d v1.0.0 => ../d
	example.com/e => /abs/e
	example.com/f => "./with space"
	example.com/g/v2 v2.0.0 => example.com/fork/g/v2 v2.0.1
	example.com/h => .
	example.com/i v2.0.0+incompatible => ..
)
`,
  ],
  ["exclude block", "module example.com/m\n\nexclude (\n\texample.com/a v1.0.0\n\texample.com/a/v3 v3.1.0\n)\n"],
  [
    "tool and godebug",
    `module example.com/m

go 1.24

godebug default=go1.21
godebug (
	panicnil=1
	asynctimerchan=0
)

tool example.com/a/cmd/x
tool (
	golang.org/x/tools/cmd/stringer
)
`,
  ],
  ["no go line", "module example.com/m\nrequire example.com/a v1.0.0\n"],
  ["empty blocks", "module example.com/m\n\nrequire ()\nexclude ( )\nreplace (\n)\n"],
  ["CRLF line endings", "module example.com/m\r\n\r\ngo 1.21\r\n\r\nrequire (\r\n\texample.com/a v1.0.0 // indirect\r\n)\r\n// Deprecated? no\r\nretract v0.1.0 // why\r\n"],
  ["ignore directive", "module example.com/m\n\ngo 1.25\n\nignore ./node_modules\nignore (\n\t./third_party/js\n\t\"./with space\"\n)\n"],
  [
    "comments everywhere, no final newline",
    "// top\n\nmodule example.com/m // trailing\n\nrequire ( // after paren\n\t// before a\n\texample.com/a v1.0.0\n\t// before close\n) // after close\n// last line without newline",
  ],
  ["module in block form", "module (\n\texample.com/m\n)\n"],
  ["release candidate go line and default toolchain", "module example.com/m\ngo 1.21rc1\ntoolchain default\n"],
  ["pseudo-versions of every form", "module example.com/m\nrequire (\n\texample.com/a v0.0.0-20191109021931-daa7c04131f5\n\texample.com/b v1.2.4-0.20191109021931-daa7c04131f5\n\texample.com/c v1.2.3-pre.0.20191109021931-daa7c04131f5\n)\n"],
];

describe("parseGoMod agrees with `go mod edit -json`", () => {
  it.each(VALID)("%s", async (_name, text) => {
    const go = await goModEditJson(text);
    expect(go.stderr).toBe("");
    expect(go.code).toBe(0);
    const { Ignore: _ignore, ...goJson } = go.json ?? {};
    expect(toEditJson(parseGoMod(text, "go.mod"))).toEqual(goJson);
  });
});

describe("parseGoMod results", () => {
  it("keeps requirements in order with indirect markers", () => {
    const f = parseGoMod(VALID[1]?.[1] ?? "", "go.mod");
    expect(f.requires.map((r) => `${r.path}@${r.version}${r.indirect ? " indirect" : ""}`)).toEqual([
      "example.com/a@v1.0.0",
      "example.com/b@v1.1.0 indirect",
      "example.com/c@v0.0.0-20200101000000-abcdefabcdef indirect",
      "example.com/d/v2@v2.3.0 indirect",
      "example.com/e@v2.0.0+incompatible",
      "example.com/f@v1.0.0",
      "example.com/g@v1.0.0",
      "gopkg.in/yaml.v3@v3.0.1",
      "example.com/h@v1.0.0 indirect",
    ]);
    expect(f.go).toBe("1.22.1");
    expect(f.toolchain).toBe("go1.23.4");
  });

  it("reads retraction rationales from preceding, trailing and block comments", () => {
    const f = parseGoMod(VALID[8]?.[1] ?? "", "go.mod");
    expect(f.retracts).toEqual([
      { low: "v1.0.0", high: "v1.0.0", rationale: "Published by mistake." },
      { low: "v1.1.0", high: "v1.2.0", rationale: "Broken builds." },
      { low: "v0.9.0", high: "v0.9.0", rationale: "Whole block reason." },
      { low: "v0.9.1", high: "v0.9.1", rationale: "Own reason." },
      { low: "v0.9.2", high: "v0.9.2", rationale: "Suffix reason." },
      // A blank line above counts as a comment of its own, so the block's does not apply...
      { low: "v0.9.3", high: "v0.9.3", rationale: "" },
      // ...but a line with nothing above it falls back to the block's comment.
      { low: "v0.5.0", high: "v0.6.0", rationale: "Whole block reason." },
      { low: "v0.1.0", high: "v0.1.0", rationale: "" },
      { low: "v0.2", high: "v0.2", rationale: "" },
    ]);
  });

  it("tells module targets from directory targets", () => {
    const f = parseGoMod(VALID[9]?.[1] ?? "", "go.mod");
    expect(f.replaces).toEqual([
      { old: { path: "example.com/a" }, new: { kind: "module", path: "example.com/b", version: "v1.2.3" } },
      { old: { path: "example.com/a", version: "v1.0.0" }, new: { kind: "module", path: "example.com/b", version: "v1.2.0" } },
      { old: { path: "example.com/c" }, new: { kind: "dir", dir: "./c" } },
      { old: { path: "example.com/d", version: "v1.0.0" }, new: { kind: "dir", dir: "../d" } },
      { old: { path: "example.com/e" }, new: { kind: "dir", dir: "/abs/e" } },
      { old: { path: "example.com/f" }, new: { kind: "dir", dir: "./with space" } },
      { old: { path: "example.com/g/v2", version: "v2.0.0" }, new: { kind: "module", path: "example.com/fork/g/v2", version: "v2.0.1" } },
      { old: { path: "example.com/h" }, new: { kind: "dir", dir: "." } },
      { old: { path: "example.com/i", version: "v2.0.0+incompatible" }, new: { kind: "dir", dir: ".." } },
    ]);
  });

  it("reads a deprecation paragraph", () => {
    expect(parseGoMod(VALID[4]?.[1] ?? "", "go.mod").module).toEqual({
      path: "example.com/m",
      deprecated: "use example.com/m/v2 instead.\nIt has a better API.",
    });
  });

  it("leaves go undefined when the go line is missing", () => {
    const f = parseGoMod("module example.com/m\n", "go.mod");
    expect(f.go).toBeUndefined();
    expect("go" in f).toBe(false);
  });
});

// [name, line of the first error, go.mod text]
const INVALID: readonly (readonly [string, number, string])[] = [
  ["unterminated block (reported at EOF, like Go)", 4, "module example.com/m\nrequire (\n\texample.com/a v1.0.0\n"],
  ["bad version", 3, "module example.com/m\n\nrequire example.com/a banana\n"],
  ["v2 version on a path without /v2", 4, "module example.com/m\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v2.0.0\n)\n"],
  ["v1 version on a /v2 path", 2, "module example.com/m\nexclude example.com/b/v2 v1.0.0\n"],
  ["invalid module path major suffix", 2, "module example.com/m\nrequire example.com/b/v1 v1.0.0\n"],
  ["unknown directive", 3, "module example.com/m\n\nfrobnicate x\n"],
  ["go block", 2, "module example.com/m\ngo (\n\t1.21\n)\n"],
  ["block with two words", 2, "module example.com/m\nrequire foo (\n\texample.com/a v1.0.0\n)\n"],
  ["unterminated string", 2, 'module example.com/m\nrequire "example.com/a v1.0.0\n'],
  ["string cut by EOF", 2, 'module example.com/m\nrequire "example.com/a'],
  ["block comment", 2, "module example.com/m\n/* no */\n"],
  ["replace to a module without version", 2, "module example.com/m\nreplace example.com/a => example.com/b\n"],
  ["replace to path@version", 2, "module example.com/m\nreplace example.com/a => example.com/b@v1.0.0\n"],
  ["replace to a directory with a version", 2, "module example.com/m\nreplace example.com/a => ./b v1.0.0\n"],
  ["replace with a Windows path", 2, "module example.com/m\nreplace example.com/a => .\\b\n"],
  ["replace usage", 2, "module example.com/m\nreplace example.com/a v1.0.0 example.com/b v1.0.0\n"],
  ["repeated go", 3, "module example.com/m\ngo 1.21\ngo 1.22\n"],
  ["repeated module", 2, "module example.com/m\nmodule example.com/n\n"],
  ["raw string argument", 1, "module `example.com/m`\n"],
  ["bad escape", 1, 'module "example.com/\\q"\n'],
  ["quote inside a bare word", 2, "module example.com/m\nrequire example.com/a\"b v1.0.0\n"],
  ["expected newline after closing paren", 4, "module example.com/m\nrequire (\n\texample.com/a v1.0.0\n) x\n"],
  ["retract with a trailing token", 2, "module example.com/m\nretract v1.0.0 v1.1.0\n"],
  ["retract interval without comma", 2, "module example.com/m\nretract [v1.0.0 v1.1.0]\n"],
  ["invalid toolchain", 2, "module example.com/m\ntoolchain 1.21\n"],
  ["invalid go version", 2, "module example.com/m\ngo 1.21.0-rc1\n"],
  ["go version with v", 2, "module example.com/m\ngo v1.21\n"],
  ["control character", 2, "module example.com/m\nrequire example.com/a \u0007\n"],
  ["godebug without =", 2, "module example.com/m\ngodebug panicnil\n"],
  ["require with three arguments", 4, "module example.com/m\n\n\nrequire example.com/a v1.0.0 v1.0.1\n"],
  ["tool with two arguments", 2, "module example.com/m\ntool a b\n"],
];

function errorLine(message: string): number | undefined {
  const m = /go\.mod:(\d+)(?::\d+)?: /.exec(message);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

describe("malformed go.mod files", () => {
  it.each(INVALID)("%s: GOSET_GOMOD_PARSE at line %i, and go rejects it at the same line", async (_name, line, text) => {
    let err: unknown;
    try {
      parseGoMod(text, "go.mod");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GosetError);
    const e = err as GosetError;
    expect(e.code).toBe("GOSET_GOMOD_PARSE");
    expect(e.message.startsWith(`go.mod:${line}: `)).toBe(true);
    expect(e.hint).toBeTruthy();

    const go = await goModEditJson(text);
    expect(go.code).not.toBe(0);
    expect(errorLine(go.stderr)).toBe(line);
  });

  it("names the block start in an unterminated-block error", () => {
    expect(() => parseGoMod("module example.com/m\n\nrequire (\n", "x/go.mod")).toThrow(
      "x/go.mod:4: syntax error (unterminated block started at x/go.mod:3:1)",
    );
  });

  it.each([
    ["no module line", "go 1.21\nrequire example.com/a v1.0.0\n", "missing module declaration"],
    ["empty file", "", "missing module declaration"],
    ["only comments", "// nothing here\n", "missing module declaration"],
  ])("%s: GOSET_GOMOD_PARSE, and go refuses the module", async (_name, text, what) => {
    expect(() => parseGoMod(text, "a/go.mod")).toThrow(
      expect.objectContaining({ code: "GOSET_GOMOD_PARSE", message: `a/go.mod: ${what}` }),
    );
    await withTempDir("goset-gomod-", async (dir) => {
      await writeFile(join(dir, "go.mod"), text);
      const r = await runGo(["list", "-m"], dir, goEnv({}));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("missing module declaration");
    });
  });

  it("rejects an empty module path", () => {
    expect(() => parseGoMod('module ""\n', "go.mod")).toThrow(expect.objectContaining({ code: "GOSET_GOMOD_PARSE", message: "go.mod:1: empty module path" }));
  });
});

describe("lax parsing (dependencies)", () => {
  const messy = `// Deprecated: use example.com/dep/v2.
module example.com/dep

go 1.21.0-fake
frobnicate foo
toolchain banana
replace example.com/x => example.com/y
exclude example.com/z banana
godebug (
	nonsense
)
tool a b c
weird block (
	x
)
require example.com/other v1.0.0 // indirect
retract [v0.9.0
retract v0.8.0 extra
`;

  it("ignores what cmd/go ignores in a dependency's go.mod", () => {
    const f = parseGoMod(messy, "dep/go.mod", { strict: false });
    expect(f).toEqual({
      module: { path: "example.com/dep", deprecated: "use example.com/dep/v2." },
      go: "1.21",
      requires: [{ path: "example.com/other", version: "v1.0.0", indirect: true }],
      excludes: [],
      replaces: [],
      retracts: [{ low: "v0.8.0", high: "v0.8.0", rationale: "" }],
      godebug: [],
      tools: [],
    });
    expect(() => parseGoMod(messy, "dep/go.mod")).toThrow(expect.objectContaining({ code: "GOSET_GOMOD_PARSE", message: expect.stringMatching(/^dep\/go\.mod:4: /) }));
  });

  it.each([
    ["syntax errors", "module example.com/dep\nrequire (\n", 3],
    ["bad require versions", "module example.com/dep\nrequire example.com/a banana\n", 2],
    ["repeated module lines", "module example.com/dep\nmodule example.com/dep\n", 2],
    ["a go version even lax cannot fix", "module example.com/dep\ngo v1.21\n", 2],
  ] as const)("still rejects %s", (_name, text, line) => {
    expect(() => parseGoMod(text, "go.mod", { strict: false })).toThrow(
      expect.objectContaining({ code: "GOSET_GOMOD_PARSE", message: expect.stringMatching(new RegExp(`^go\\.mod:${line}: `)) }),
    );
  });

  it("matches what the real go reads from a dependency served by a file:// proxy", async () => {
    await withTempDir("goset-lax-", async (dir) => {
      const v = join(dir, "proxy", "example.com", "dep", "@v");
      await mkdir(v, { recursive: true });
      await writeFile(join(v, "list"), "v1.0.0\n");
      await writeFile(join(v, "v1.0.0.info"), '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}\n');
      const depGoMod = messy.replace("require example.com/other v1.0.0 // indirect\n", "");
      await writeFile(join(v, "v1.0.0.mod"), depGoMod);
      const main = join(dir, "main");
      await mkdir(main);
      await writeFile(join(main, "go.mod"), "module example.com/main\n\ngo 1.21\n\nrequire example.com/dep v1.0.0\n");
      const env = goEnv({ GOPROXY: `file://${join(dir, "proxy")}`, GOFLAGS: "-mod=mod -modcacherw", GOMODCACHE: join(dir, "modcache") });

      const ok = await runGo(["list", "-m", "-json", "example.com/dep"], main, env);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      const listed = JSON.parse(ok.stdout) as { GoVersion?: string };
      expect(listed.GoVersion).toBe(parseGoMod(depGoMod, "dep/go.mod", { strict: false }).go);

      // The same dependency with a syntax error stops go as well as parseGoMod.
      const broken = `${depGoMod}require (\n`;
      await writeFile(join(v, "v1.0.1.mod"), broken);
      await writeFile(join(v, "v1.0.1.info"), '{"Version":"v1.0.1","Time":"2024-01-02T00:00:00Z"}\n');
      await writeFile(join(main, "go.mod"), "module example.com/main\n\ngo 1.21\n\nrequire example.com/dep v1.0.1\n");
      const bad = await runGo(["list", "-m", "all"], main, env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain("unterminated block");
      expect(() => parseGoMod(broken, "dep/go.mod", { strict: false })).toThrow(expect.objectContaining({ code: "GOSET_GOMOD_PARSE" }));
    });
  });
});

describe("helpers", () => {
  it.each([
    ["example.com/a", "module example.com/a\n"],
    ["example.com/has space", 'module "example.com/has space"\n'],
    ["example.com/a//b", 'module "example.com/a//b"\n'],
  ])("synthesizeGoMod(%j) round-trips through parseGoMod", (path, want) => {
    expect(synthesizeGoMod(path)).toBe(want);
    expect(parseGoMod(synthesizeGoMod(path), "go.mod").module.path).toBe(path);
  });

  it.each([
    ["", '""'],
    ["(", "("],
    ["()", '"()"'],
    ["a'b", '"a\'b"'],
    ["v1.0.0", "v1.0.0"],
  ])("autoQuote(%j) = %s", (s, want) => {
    expect(autoQuote(s)).toBe(want);
  });

  it.each([
    [".", true],
    ["./a", true],
    ["..", true],
    ["../a", true],
    ["/a", true],
    [".\\a", true],
    ["C:\\a", true],
    ["example.com/a", false],
    [".a", false],
    ["...", false],
  ])("isDirectoryPath(%j) = %s", (s, want) => {
    expect(isDirectoryPath(s)).toBe(want);
  });
});

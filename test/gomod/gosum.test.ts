import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeGoSums, parseGoSum } from "../../generator/gomod/gosum.js";
import { goEnv, runGo, withTempDir } from "./gotool.js";

const H_A = "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=";
const H_B = "h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=";
const H_C = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

describe("parseGoSum on a go.sum written by the real go", () => {
  it("reads the zip and go.mod hashes that go get recorded and go mod download reports", async () => {
    await withTempDir("goset-gosum-", async (dir) => {
      const env = goEnv({
        GOPROXY: "https://proxy.golang.org",
        GOSUMDB: "sum.golang.org",
        GOMODCACHE: join(dir, "modcache"),
      });
      const work = join(dir, "work");
      await mkdir(work);
      const init = await runGo(["mod", "init", "example.com/x"], work, env);
      expect(init.code).toBe(0);
      const get = await runGo(["get", "github.com/google/uuid@v1.6.0"], work, env);
      expect(get.stderr).toContain("added github.com/google/uuid v1.6.0");
      expect(get.code).toBe(0);

      const text = await readFile(join(work, "go.sum"), "utf8");
      const sums = parseGoSum(text, join(work, "go.sum"));
      expect([...sums.keys()]).toEqual(["github.com/google/uuid@v1.6.0"]);
      // go.sum lines never change for a published version.
      expect(sums.get("github.com/google/uuid@v1.6.0")).toEqual({ sum: H_A, goModSum: H_B });

      const download = await runGo(["mod", "download", "-json", "github.com/google/uuid@v1.6.0"], work, env);
      expect(download.code).toBe(0);
      const info = JSON.parse(download.stdout) as { Sum: string; GoModSum: string };
      expect(sums.get("github.com/google/uuid@v1.6.0")).toEqual({ sum: info.Sum, goModSum: info.GoModSum });
    });
  });
});

describe("parseGoSum", () => {
  it("accepts blank lines, extra spaces, CRLF, and go.mod-only entries", () => {
    const text = [
      "",
      `example.com/a v1.0.0 ${H_A}`,
      `example.com/a v1.0.0/go.mod ${H_B}\r`,
      "   ",
      `example.com/b/v2   v2.1.0/go.mod\t${H_B}`,
      `example.com/c v2.0.0+incompatible ${H_C}`,
      `example.com/a v1.0.0 ${H_A}`,
      "",
    ].join("\n");
    expect(Object.fromEntries(parseGoSum(text, "go.sum"))).toEqual({
      "example.com/a@v1.0.0": { sum: H_A, goModSum: H_B },
      "example.com/b/v2@v2.1.0": { goModSum: H_B },
      "example.com/c@v2.0.0+incompatible": { sum: H_C },
    });
  });

  it("drops the empty-go.mod hash old go versions wrote, like go does", () => {
    const text = `example.com/a v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\nexample.com/a v1.0.0 ${H_A}\n`;
    expect(parseGoSum(text, "go.sum").get("example.com/a@v1.0.0")).toEqual({ sum: H_A });
  });

  it("skips hashes of algorithms other than h1", () => {
    expect(parseGoSum(`example.com/a v1.0.0 h2:whatever\n`, "go.sum").size).toBe(0);
  });

  it.each([
    ["two fields", `example.com/a v1.0.0 ${H_A}\nexample.com/a v1.0.0\n`, 2, "wrong number of fields 2"],
    ["four fields", `\n\nexample.com/a v1.0.0 ${H_A} extra\n`, 3, "wrong number of fields 4"],
    ["not a version", `example.com/a master ${H_A}\n`, 1, 'invalid version "master"'],
    ["go.mod suffix on a bad version", `example.com/a 1.0.0/go.mod ${H_A}\n`, 1, 'invalid version "1.0.0/go.mod"'],
    ["truncated hash", "example.com/a v1.0.0 h1:abc=\n", 1, 'malformed hash "h1:abc="'],
    ["not a hash", "example.com/a v1.0.0 deadbeef\n", 1, 'malformed hash "deadbeef"'],
    ["two different hashes for one key", `example.com/a v1.0.0 ${H_A}\nexample.com/b v1.0.0 ${H_B}\nexample.com/a v1.0.0 ${H_C}\n`, 3, "second hash"],
  ])("%s: GOSET_GOSUM_PARSE", (_name, text, line, what) => {
    expect(() => parseGoSum(text, "dir/go.sum")).toThrow(
      expect.objectContaining({
        code: "GOSET_GOSUM_PARSE",
        message: expect.stringMatching(new RegExp(`^dir/go\\.sum:${line}: .*${what.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)),
        hint: expect.stringContaining("go mod tidy"),
      }),
    );
  });

  it("reports a wrong field count at the same line as go", async () => {
    await withTempDir("goset-gosum-", async (dir) => {
      // go reads go.sum only once it checks a dependency's hash, so give it one through a file:// proxy.
      await mkdir(join(dir, "proxy", "example.com", "a", "@v"), { recursive: true });
      await writeFile(join(dir, "proxy", "example.com", "a", "@v", "v1.0.0.mod"), "module example.com/a\n");
      const work = join(dir, "work");
      await mkdir(work);
      await writeFile(join(work, "go.mod"), "module example.com/x\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n");
      const text = `example.com/a v1.0.0 ${H_A}\n\nexample.com/a v1.0.0/go.mod\n`;
      await writeFile(join(work, "go.sum"), text);
      const env = goEnv({ GOPROXY: `file://${join(dir, "proxy")}`, GOMODCACHE: join(dir, "modcache") });
      const r = await runGo(["list", "-m", "all"], work, env);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/go\.sum:3: wrong number of fields 2/);
      expect(() => parseGoSum(text, "go.sum")).toThrow("go.sum:3: wrong number of fields 2");
    });
  });
});

describe("mergeGoSums", () => {
  const parse = (file: string, text: string) => ({ file, entries: parseGoSum(text, file) });

  it("unions agreeing files, sorted by key", () => {
    const merged = mergeGoSums([
      parse("leaf1/go.sum", `example.com/z v1.0.0 ${H_A}\nexample.com/a v1.0.0/go.mod ${H_B}\n`),
      parse("leaf2/go.sum", `example.com/a v1.0.0 ${H_C}\nexample.com/z v1.0.0 ${H_A}\n`),
    ]);
    expect(merged.conflicts).toEqual([]);
    expect([...merged.entries]).toEqual([
      ["example.com/a@v1.0.0", { sum: H_C, goModSum: H_B }],
      ["example.com/z@v1.0.0", { sum: H_A }],
    ]);
  });

  it("returns disagreements as conflicts and keeps the contested hash out of the result", () => {
    const merged = mergeGoSums([
      parse("leaf1/go.sum", `example.com/a v1.0.0 ${H_A}\nexample.com/a v1.0.0/go.mod ${H_B}\n`),
      parse("leaf2/go.sum", `example.com/a v1.0.0 ${H_C}\nexample.com/a v1.0.0/go.mod ${H_B}\n`),
      parse("leaf3/go.sum", `example.com/a v1.0.0 ${H_A}\n`),
    ]);
    expect(merged.conflicts).toEqual([
      {
        key: "example.com/a@v1.0.0",
        field: "sum",
        hashes: [
          { hash: H_A, files: ["leaf1/go.sum", "leaf3/go.sum"] },
          { hash: H_C, files: ["leaf2/go.sum"] },
        ],
      },
    ]);
    expect(merged.entries.get("example.com/a@v1.0.0")).toEqual({ goModSum: H_B });
  });

  it("gives the same result for inputs in another order, apart from the order of files", () => {
    const a = parse("a/go.sum", `example.com/x v1.0.0 ${H_A}\nexample.com/y v1.0.0 ${H_B}\n`);
    const b = parse("b/go.sum", `example.com/y v1.0.0 ${H_C}\nexample.com/w v1.0.0/go.mod ${H_A}\n`);
    const ab = mergeGoSums([a, b]);
    const ba = mergeGoSums([b, a]);
    expect([...ab.entries]).toEqual([...ba.entries]);
    expect(ab.conflicts.map((c) => [c.key, c.field])).toEqual(ba.conflicts.map((c) => [c.key, c.field]));
    expect(ab.conflicts).toHaveLength(1);
  });
});

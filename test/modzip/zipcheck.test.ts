import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  MAX_GO_MOD,
  checkFilePath,
  checkZipEntries,
  compareUtf8,
  digestModuleZip,
  hashGoMod,
  hashHash1,
  zipProblemsError,
} from "../../generator/modzip/index.js";
import type { ZipEntryHeader } from "../../generator/modzip/index.js";
import { makeTempDir, removeTree } from "./helpers.js";

const MOD = { path: "example.com/m", version: "v1.2.3" };
const P = "example.com/m@v1.2.3/";

function header(name: string, extra: Partial<ZipEntryHeader> = {}): ZipEntryHeader {
  return {
    name,
    validUtf8: true,
    uncompressedSize: 1,
    compressionMethod: 8,
    encrypted: false,
    creator: 3,
    externalAttributes: (0o100644 << 16) >>> 0,
    ...extra,
  };
}

describe("dirhash", () => {
  it("compares by UTF-8 bytes, not UTF-16 code units", () => {
    expect("\u{10400}" < "\uFF5A").toBe(true);
    expect(compareUtf8("\u{10400}", "\uFF5A")).toBeGreaterThan(0);
  });

  it("h1 does not depend on input order", () => {
    const files = ["b", "a/c", "a-b", "\uFF5A", "\u{10400}"].map((name) => ({
      name,
      sha256: createHash("sha256").update(name).digest(),
    }));
    expect(hashHash1([...files].reverse())).toBe(hashHash1(files));
    expect(hashHash1(files)).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
  });

  it("h1 of go.mod is the single-line hash named go.mod", () => {
    // Go's line: hex(sha256("module x\n")) + "  go.mod\n".
    const line = `${createHash("sha256").update("module x\n").digest("hex")}  go.mod\n`;
    expect(hashGoMod(Buffer.from("module x\n"))).toBe("h1:" + createHash("sha256").update(line).digest("base64"));
  });

  it("refuses names with newlines, as Go's Hash1 does", () => {
    expect(() => hashHash1([{ name: "a\nb", sha256: new Uint8Array(32) }])).toThrow(expect.objectContaining({ code: "GOSET_INTERNAL" }));
  });
});

describe("checkFilePath (module.CheckFilePath)", () => {
  it.each([
    ".hidden", "-dash.go", "a b.txt", "é.go", "日本.go", "x~y", "a+b=c,d", "[x]{y}", "@at#$%&()!^_",
    "CONSOLE.go", "con1.go", "lpt0.txt", "a/b/c.go", "\u{10400}.txt",
  ])("accepts %j", (p) => {
    expect(checkFilePath(p)).toBeUndefined();
  });

  it.each([
    ["", /empty string/],
    ["a//b", /double slash/],
    ["a/", /trailing slash/],
    ["/abs", /empty path element/],
    ["a/./b", /invalid path element/],
    ["../x", /invalid path element/],
    ["...", /invalid path element/],
    ["x.", /trailing dot/],
    ["CON", /disallowed/],
    ["con.txt", /disallowed/],
    ["Com1.go", /disallowed/],
    ["aux.tar.gz", /disallowed/],
    ["a\\b", /invalid char/],
    ["a:b", /invalid char/],
    ["a*b", /invalid char/],
    ["a?b", /invalid char/],
    ["a<b>", /invalid char/],
    ["a|b", /invalid char/],
    ['a"b', /invalid char/],
    ["a'b", /invalid char/],
    ["a`b", /invalid char/],
    ["a;b", /invalid char/],
    ["a\tb", /invalid char/],
    ["a\u0300", /invalid char/],
    ["a\u00A0b", /invalid char/],
  ])("rejects %j", (p, reason) => {
    expect(checkFilePath(p)).toMatch(reason);
  });
});

describe("checkZipEntries", () => {
  it("lays files out in NAR order and keeps directory entries for h1 only", () => {
    const entries = [P, `${P}a-b`, `${P}a/`, `${P}a/c`, `${P}a.b`, `${P}empty/`, `${P}go.mod`].map((n) =>
      header(n, n.endsWith("/") ? { uncompressedSize: 0 } : {}),
    );
    const layout = checkZipEntries(MOD, entries);
    expect(layout.problems).toEqual([]);
    expect([...layout.files].map((i) => entries[i]?.name.slice(P.length))).toEqual(["a/c", "a-b", "a.b", "go.mod"]);
    expect(layout.emptyEntries.map((i) => entries[i]?.name)).toEqual([P, `${P}a/`, `${P}empty/`]);
  });

  it.each<[string, ZipEntryHeader[], RegExp]>([
    ["directory entry with content", [header(`${P}d/`, { uncompressedSize: 3 })], /directory entry has content/],
    ["invalid UTF-8", [header(`${P}\uFFFD.go`, { validUtf8: false })], /invalid UTF-8/],
    ["duplicate file", [header(`${P}x`), header(`${P}x`)], /multiple entries/],
    ["dir then file of that name", [header(`${P}x/`, { uncompressedSize: 0 }), header(`${P}x`)], /both a file and a directory/],
    ["FIFO", [header(`${P}x`, { externalAttributes: (0o010644 << 16) >>> 0 })], /not a regular file/],
    ["unknown compression", [header(`${P}x`, { compressionMethod: 12 })], /compression method 12/],
    ["encrypted", [header(`${P}x`, { encrypted: true })], /encrypted/],
    ["version-less prefix", [header("example.com/m/x")], /prefix/],
  ])("%s is a problem", (_, entries, reason) => {
    const { problems } = checkZipEntries(MOD, entries);
    expect(problems.map((p) => p.reason).join("\n")).toMatch(reason);
  });

  it("symlink modes count only for Unix creators; MS-DOS attributes are ignored", () => {
    const link = (creator: number): ZipEntryHeader => header(`${P}x`, { creator, externalAttributes: (0o120777 << 16) >>> 0 });
    expect(checkZipEntries(MOD, [link(3)]).problems).toHaveLength(1);
    expect(checkZipEntries(MOD, [link(19)]).problems).toHaveLength(1);
    expect(checkZipEntries(MOD, [link(0)]).problems).toEqual([]);
  });

  it("reports every problem as data; the error leads with size problems", () => {
    const { problems } = checkZipEntries(MOD, [
      header(`${P}a:b`),
      header(`${P}go.mod`, { uncompressedSize: MAX_GO_MOD + 1 }),
      header(`${P}README`),
      header(`${P}readme`),
    ]);
    expect(problems.map((p) => [p.entry, p.tooLarge])).toEqual([
      [`${P}a:b`, false],
      [`${P}go.mod`, true],
      [`${P}readme`, false],
    ]);
    const err = zipProblemsError(MOD, problems);
    expect(err.code).toBe("GOSET_ZIP_TOO_LARGE");
    expect(err.message).toContain(`"${P}go.mod"`);
    expect(err.message).toContain("2 more");
    expect(err.hint).toMatch(/16 MiB/);
  });

  it("a total over 500 MiB is one size problem, on the entry that crosses the limit", () => {
    const { problems } = checkZipEntries(MOD, [
      header(`${P}a`, { uncompressedSize: 300 << 20 }),
      header(`${P}b`, { uncompressedSize: 200 << 20 }),
      header(`${P}c`, { uncompressedSize: 1 }),
      header(`${P}d`, { uncompressedSize: 1 }),
    ]);
    expect(problems).toEqual([{ entry: `${P}c`, reason: expect.stringMatching(/total uncompressed size/), tooLarge: true }]);
  });
});

describe("digestModuleZip before reading", () => {
  it("refuses a zip file over 500 MiB without reading it", async () => {
    const tmp = await makeTempDir("huge");
    try {
      const file = join(tmp, "huge.zip");
      const fh = await open(file, "w");
      await fh.truncate((500 << 20) + 1); // sparse: no disk space, no reading
      await fh.close();
      await expect(digestModuleZip(file, MOD)).rejects.toMatchObject({
        code: "GOSET_ZIP_TOO_LARGE",
        message: expect.stringContaining("example.com/m@v1.2.3"),
      });
    } finally {
      await removeTree(tmp);
    }
  });

  it("a missing file is not reported as a corrupt zip", async () => {
    await expect(digestModuleZip("/nonexistent/x.zip", MOD)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

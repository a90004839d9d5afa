import { createHash } from "node:crypto";
import { lstat, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGosetError } from "../../generator/errors.js";
import { checkZipEntries, digestModuleZip, hashHash1, narHashOfDirectory } from "../../generator/modzip/index.js";
import type { FileDigest } from "../../generator/modzip/index.js";
import type { GoDownload, ZipItem } from "./helpers.js";
import { addToFileProxy, centralHeaderOffset, goModDownload, makeTempDir, nixHashPath, patchBytes, removeTree, writeZip } from "./helpers.js";

const V = "v1.0.0";
const MiB = 1 << 20;

interface ZipCase {
  readonly kind: string;
  /** Entries under `path@v1.0.0/` unless the name starts with "!". */
  readonly items: readonly ZipItem[];
  readonly patch?: (zip: Buffer, prefix: string) => Buffer;
  readonly code: "GOSET_ZIP_INVALID" | "GOSET_ZIP_TOO_LARGE";
  /** The full entry name the error must name; undefined when no entry is at fault. */
  readonly entry?: string;
  readonly reason: RegExp;
  /** What go mod download says about the same zip; undefined where go accepts it. */
  readonly goError?: RegExp;
}

function withGoMod(path: string, items: readonly ZipItem[]): readonly ZipItem[] {
  return items.some((i) => i.name.toLowerCase() === "go.mod") ? items : [{ name: "go.mod", content: `module ${path}\n` }, ...items];
}

function flipBytesInData(zip: Buffer, entry: string): Buffer {
  const local = zip.readUInt32LE(centralHeaderOffset(zip, entry) + 42);
  const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const out = Buffer.from(zip);
  for (let i = dataStart + 20; i < dataStart + 24; i++) out[i] = (out[i] ?? 0) ^ 0xff;
  return out;
}

function setDeclaredSize(zip: Buffer, entry: string, size: number): Buffer {
  const out = Buffer.from(zip);
  out.writeUInt32LE(size, centralHeaderOffset(out, entry) + 24);
  return out;
}

const text = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i} of some module source\n`).join("");

const BAD: readonly ZipCase[] = [
  {
    kind: "outside-prefix",
    items: [{ name: "!example.com/other@v1.0.0/x.go", content: "package x\n" }],
    code: "GOSET_ZIP_INVALID",
    entry: "example.com/other@v1.0.0/x.go",
    reason: /does not have prefix/,
    goError: /has unexpected file example\.com\/other@v1\.0\.0\/x\.go/,
  },
  {
    kind: "dotdot",
    items: [{ name: "QQ/evil.go", content: "package evil\n", compress: false }],
    patch: (zip) => patchBytes(zip, "/QQ/evil.go", "/../evil.go"),
    code: "GOSET_ZIP_INVALID",
    entry: "@/../evil.go",
    reason: /invalid path element/,
    goError: /invalid path element "\.\."/,
  },
  {
    kind: "backslash",
    items: [{ name: "aQb.go", content: "package a\n", compress: false }],
    patch: (zip) => patchBytes(zip, "/aQb.go", "/a\\b.go"),
    code: "GOSET_ZIP_INVALID",
    entry: "@/a\\b.go",
    reason: /invalid char/,
    goError: /invalid char/,
  },
  {
    kind: "case-collision",
    items: [{ name: "README", content: "a" }, { name: "readme", content: "b" }],
    code: "GOSET_ZIP_INVALID",
    entry: "@/readme",
    reason: /case-insensitive file name collision/,
    goError: /case-insensitive file name collision: "README" and "readme"/,
  },
  {
    kind: "kelvin-collision",
    items: [{ name: "key.go", content: "package k\n" }, { name: "\u212Aey.go", content: "package k\n" }],
    code: "GOSET_ZIP_INVALID",
    entry: "@/\u212Aey.go",
    reason: /case-insensitive file name collision/,
    goError: /case-insensitive file name collision/,
  },
  {
    kind: "file-and-dir",
    items: [{ name: "a", content: "file" }, { name: "a/b.go", content: "package a\n" }],
    code: "GOSET_ZIP_INVALID",
    entry: "@/a/b.go",
    reason: /both a file and a directory/,
    goError: /entry "a" is both a file and a directory/,
  },
  {
    kind: "nested-gomod",
    items: [{ name: "sub/go.mod", content: "module x/sub\n" }],
    code: "GOSET_ZIP_INVALID",
    entry: "@/sub/go.mod",
    reason: /not in module root/,
    goError: /go\.mod file not in module root directory/,
  },
  {
    kind: "gomod-case",
    items: [{ name: "GO.MOD", content: "module x\n" }],
    code: "GOSET_ZIP_INVALID",
    entry: "@/GO.MOD",
    reason: /lowercase/,
    goError: /go\.mod files must have lowercase names/,
  },
  {
    kind: "symlink",
    items: [{ name: "link", content: "go.mod", mode: 0o120777 }],
    code: "GOSET_ZIP_INVALID",
    entry: "@/link",
    reason: /symbolic link/,
  },
  {
    kind: "truncated",
    items: [{ name: "main.go", content: text(50) }],
    patch: (zip) => zip.subarray(0, zip.length - 30),
    code: "GOSET_ZIP_INVALID",
    reason: /central directory/,
    goError: /not a valid zip file/,
  },
  {
    kind: "corrupt-stored",
    items: [{ name: "main.go", content: text(50), compress: false }],
    patch: (zip, prefix) => flipBytesInData(zip, `${prefix}main.go`),
    code: "GOSET_ZIP_INVALID",
    entry: "@/main.go",
    reason: /CRC-32 mismatch/,
    goError: /checksum error/,
  },
  {
    kind: "corrupt-deflated",
    items: [{ name: "main.go", content: text(2000) }],
    patch: (zip, prefix) => flipBytesInData(zip, `${prefix}main.go`),
    code: "GOSET_ZIP_INVALID",
    entry: "@/main.go",
    reason: /is corrupt: entry/,
    goError: /corrupt input/,
  },
  {
    kind: "longer-than-declared",
    items: [{ name: "main.go", content: text(100) }],
    patch: (zip, prefix) => setDeclaredSize(zip, `${prefix}main.go`, 100),
    code: "GOSET_ZIP_INVALID",
    entry: "@/main.go",
    reason: /too many bytes|more bytes than the declared/,
    goError: /not a valid zip file/,
  },
  {
    kind: "oversize-gomod",
    items: [{ name: "go.mod", content: Buffer.alloc(16 * MiB + 1, 0x20) }],
    code: "GOSET_ZIP_TOO_LARGE",
    entry: "@/go.mod",
    reason: /go.mod file too large/,
    goError: /go\.mod file too large/,
  },
  {
    kind: "oversize-declared-total",
    items: [{ name: "big.txt", content: text(100) }],
    patch: (zip, prefix) => setDeclaredSize(zip, `${prefix}big.txt`, 501 * MiB),
    code: "GOSET_ZIP_TOO_LARGE",
    entry: "@/big.txt",
    reason: /total uncompressed size/,
    goError: /unexpected EOF/,
  },
];

const GOOD_PATH = "example.com/GoodMod";
const GOOD_ITEMS: readonly ZipItem[] = [
  { name: "go.mod", content: `module ${GOOD_PATH}\n\ngo 1.21\n` },
  { name: "LICENSE", content: "MIT\n" },
  { name: "a/", dir: true },
  { name: "a/c.go", content: "package a\n" },
  { name: "a-b.go", content: "package x\n" },
  { name: "a.b", content: "" },
  { name: "\uFF5A.txt", content: "fullwidth z sorts before U+10400 in UTF-8, after it in UTF-16\n" },
  { name: "\u{10400}.txt", content: "deseret\n" },
  { name: "empty/", dir: true },
  { name: "sub/dir/deep.txt", content: text(300), compress: false },
  { name: "x.go", content: text(500) },
];

const pathOf = (kind: string): string => `example.com/bad/${kind}`;

// File names judged in one zip: Go lists every invalid entry of a zip in its error.
const NAMES_PATH = "example.com/names";
const NAMES = [
  ".hidden", "-dash.go", "a b.txt", "\u00e9.go", "\u65e5\u672c.go", "x~y", "a+b=c,d", "[x]{y}", "@at#$%&()!^_",
  "CONSOLE.go", "con1.go", "lpt0.txt", "a/b/c.go", "\u{10400}.txt",
  "a//b", "a/./b", "./x", "...", "x.", "CON", "con.txt", "Com1.go", "aux.tar.gz", "a:b", "a*b", "a?b", "a<b>", "a|b",
  'a"b', "a'b", "a`b", "a;b", "a\tb", "a\u0300", "a\u00a0b",
];

describe("module zips built with yazl, judged by digestModuleZip and by the real go", () => {
  let tmp: string;
  let proxy: string;
  let go: Map<string, GoDownload>;
  const zipFiles = new Map<string, string>();

  async function build(path: string, items: readonly ZipItem[], patch?: (zip: Buffer, prefix: string) => Buffer): Promise<void> {
    const prefix = `${path}@${V}/`;
    const raw = join(tmp, `${path.replaceAll("/", "_")}.raw.zip`);
    await writeZip(raw, items.map((i) => ({ ...i, name: i.name.startsWith("!") ? i.name.slice(1) : prefix + i.name })));
    const zip = patch === undefined ? await readFile(raw) : patch(await readFile(raw), prefix);
    const file = join(tmp, `${path.replaceAll("/", "_")}.zip`);
    await writeFile(file, zip);
    zipFiles.set(path, file);
    await addToFileProxy(proxy, path, V, zip);
  }

  beforeAll(async () => {
    tmp = await makeTempDir("zips");
    proxy = join(tmp, "proxy");
    for (const c of BAD) await build(pathOf(c.kind), withGoMod(pathOf(c.kind), c.items), c.patch);
    await build(GOOD_PATH, GOOD_ITEMS);
    await build(NAMES_PATH, withGoMod(NAMES_PATH, NAMES.map((name) => ({ name, content: "x" }))));
    go = await goModDownload(
      [...BAD.map((c) => `${pathOf(c.kind)}@${V}`), `${GOOD_PATH}@${V}`, `${NAMES_PATH}@${V}`],
      { GOPROXY: `file://${proxy}`, GOSUMDB: "off", GOFLAGS: "-mod=mod", GOMODCACHE: join(tmp, "modcache") },
      tmp,
    );
  });

  afterAll(async () => {
    if (tmp !== undefined) await removeTree(tmp);
  });

  it.each(BAD)("$kind: rejected with $code naming module@version and entry", async (c) => {
    const path = pathOf(c.kind);
    const file = zipFiles.get(path) ?? "";
    const err = await digestModuleZip(file, { path, version: V }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGosetError(err)).toBe(true);
    if (!isGosetError(err)) return;
    expect(err.code).toBe(c.code);
    expect(err.message).toContain(`${path}@${V}`);
    expect(err.message).toMatch(c.reason);
    if (c.entry !== undefined) expect(err.message).toContain(JSON.stringify(c.entry.replace(/^@/, `${path}@${V}`)));
    // The module, never the (temporary) file the zip was read from.
    else expect(err.message).not.toContain(file);
    expect(err.hint).toBeTruthy();
  });

  it.each(BAD.filter((c) => c.goError !== undefined))("$kind: go mod download rejects it too", (c) => {
    const d = go.get(`${pathOf(c.kind)}@${V}`);
    expect(d).toBeDefined();
    expect(d?.Error).toMatch(c.goError ?? "");
  });

  it("file names: checkZipEntries rejects exactly the entries go rejects", () => {
    const prefix = `${NAMES_PATH}@${V}/`;
    const headers = NAMES.map((name) => ({
      name: prefix + name,
      validUtf8: true,
      uncompressedSize: 1,
      compressionMethod: 8,
      encrypted: false,
      creator: 3,
      externalAttributes: (0o100644 << 16) >>> 0,
    }));
    const ours = new Set(checkZipEntries({ path: NAMES_PATH, version: V }, headers).problems.map((p) => p.entry.slice(prefix.length)));
    const goError = go.get(`${NAMES_PATH}@${V}`)?.Error ?? "";
    const theirs = new Set(NAMES.filter((name) => goError.includes(`${prefix}${name}: `)));
    expect(theirs.size).toBeGreaterThan(10);
    expect([...ours].sort()).toEqual([...theirs].sort());
  });

  it("symlink: go extracts the entry as a regular file holding the target; goset is stricter on purpose", async () => {
    const d = go.get(`${pathOf("symlink")}@${V}`);
    expect(d?.Error).toBeUndefined();
    const extracted = join(d?.Dir ?? "", "link");
    expect((await lstat(extracted)).isFile()).toBe(true);
    expect(await readFile(extracted, "utf8")).toBe("go.mod");
  });

  it("a good zip: same h1 as go, NAR hash of go's extraction as nix computes it", async () => {
    const d = go.get(`${GOOD_PATH}@${V}`);
    expect(d?.Error).toBeUndefined();
    const digest = await digestModuleZip(zipFiles.get(GOOD_PATH) ?? "", { path: GOOD_PATH, version: V });
    expect(digest.sum).toBe(d?.Sum);
    const nixHash = await nixHashPath(d?.Dir ?? "");
    expect(digest.hash).toBe(nixHash);
    expect(await narHashOfDirectory(d?.Dir ?? "")).toBe(nixHash);
    expect(digest.files).toBe(GOOD_ITEMS.filter((i) => i.dir !== true).length);
    expect(digest.goMod?.toString()).toBe(`module ${GOOD_PATH}\n\ngo 1.21\n`);
    // Directory entries are hashed into h1 but not extracted: "empty/" leaves no directory behind.
    await expect(lstat(join(d?.Dir ?? "", "empty"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("directory entries count in h1 (hashed as empty files), as go counts them", () => {
    const prefix = `${GOOD_PATH}@${V}/`;
    const digests = (items: readonly ZipItem[]): FileDigest[] =>
      items.map((i) => ({ name: prefix + i.name, sha256: createHash("sha256").update(i.content ?? "").digest() }));
    const withDirs = hashHash1(digests(GOOD_ITEMS));
    const withoutDirs = hashHash1(digests(GOOD_ITEMS.filter((i) => i.dir !== true)));
    expect(withoutDirs).not.toBe(withDirs);
    expect(go.get(`${GOOD_PATH}@${V}`)?.Sum).toBe(withDirs);
  });
});

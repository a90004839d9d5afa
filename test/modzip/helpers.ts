/** Shared test plumbing: the real go and nix, temp dirs, yazl-built zips, a file:// proxy. */
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile, lstat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import yazl from "yazl";
import { escapePath, escapeVersion } from "../../generator/gomod/escape.js";
import { parseJsonStream } from "../fixture/go.js";

const run = promisify(execFile);

export const GO = "/usr/local/go/bin/go";
export const NIX = "/usr/bin/nix";

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `goset-modzip-${label}-`));
}

/** Removes a tree, including module caches that go extracted read-only. */
export async function removeTree(dir: string): Promise<void> {
  const makeWritable = async (p: string): Promise<void> => {
    const info = await lstat(p);
    if (!info.isDirectory()) return;
    await chmod(p, 0o755);
    for (const name of await readdir(p)) await makeWritable(join(p, name));
  };
  await makeWritable(dir).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

/** One object per module from `go mod download -json` (a stream of concatenated objects). */
export interface GoDownload {
  Path: string;
  Version: string;
  Zip?: string;
  Dir?: string;
  GoMod?: string;
  Sum?: string;
  GoModSum?: string;
  Error?: string;
}

/**
 * Runs `go mod download -json` in a fresh cwd; failures show up as Error fields.
 * GOENV=off: the user's go env file is shared machine state and must not steer tests.
 */
export async function goModDownload(
  modules: readonly string[],
  env: Record<string, string>,
  cwd: string,
): Promise<Map<string, GoDownload>> {
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("GO")) baseEnv[k] = v;
  }
  const result = await run(GO, ["mod", "download", "-json", ...modules], {
    cwd,
    env: { ...baseEnv, GOENV: "off", GOTOOLCHAIN: "local", GOWORK: "off", ...env },
    maxBuffer: 64 << 20,
  }).catch((e: { stdout?: string; stderr?: string }) => {
    if (typeof e.stdout === "string" && e.stdout.includes("{")) return { stdout: e.stdout };
    throw e;
  });
  return new Map(parseJsonStream<GoDownload>(result.stdout).map((d) => [`${d.Path}@${d.Version}`, d]));
}

export async function nixHashPath(path: string): Promise<string> {
  const { stdout } = await run(NIX, ["--extra-experimental-features", "nix-command", "hash", "path", "--sri", path]);
  return stdout.trim();
}

export interface ZipItem {
  readonly name: string;
  readonly content?: string | Buffer;
  /** A directory entry (name gets a trailing slash). */
  readonly dir?: boolean;
  readonly mode?: number;
  readonly compress?: boolean;
  readonly stream?: { readonly source: Readable; readonly size: number };
}

/** Builds a zip with yazl, streaming it to `file`. */
export async function writeZip(file: string, items: readonly ZipItem[]): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2020, 0, 1));
  for (const item of items) {
    const opts = { mtime, ...(item.mode === undefined ? {} : { mode: item.mode }), ...(item.compress === undefined ? {} : { compress: item.compress }) };
    if (item.dir === true) zip.addEmptyDirectory(item.name, { mtime });
    else if (item.stream !== undefined) zip.addReadStream(item.stream.source, item.name, { ...opts, size: item.stream.size });
    else zip.addBuffer(Buffer.from(item.content ?? ""), item.name, opts);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

/** Replaces every occurrence of `from` by the same-length `to` (yazl refuses some names Go must see). */
export function patchBytes(buf: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error("patchBytes needs equal lengths");
  const out = Buffer.from(buf);
  let found = 0;
  for (let i = out.indexOf(a); i >= 0; i = out.indexOf(a, i + 1)) {
    b.copy(out, i);
    found++;
  }
  if (found === 0) throw new Error(`patchBytes: ${from} not found`);
  return out;
}

/** Offset of the central-directory header of the entry named `name`. */
export function centralHeaderOffset(buf: Buffer, name: string): number {
  const nameBytes = Buffer.from(name);
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let i = buf.indexOf(signature); i >= 0; i = buf.indexOf(signature, i + 1)) {
    const n = buf.readUInt16LE(i + 28);
    if (buf.subarray(i + 46, i + 46 + n).equals(nameBytes)) return i;
  }
  throw new Error(`no central header for ${name}`);
}

/** Lays out `<root>/<escpath>/@v/<escver>.{info,mod,zip}`, a tree go reads through GOPROXY=file://. */
export async function addToFileProxy(root: string, path: string, version: string, zip: Buffer, goMod?: string): Promise<void> {
  const dir = join(root, escapePath(path), "@v");
  await mkdir(dir, { recursive: true });
  const v = escapeVersion(version);
  await writeFile(join(dir, `${v}.info`), JSON.stringify({ Version: version, Time: "2020-01-01T00:00:00Z" }));
  await writeFile(join(dir, `${v}.mod`), goMod ?? `module ${path}\n`);
  await writeFile(join(dir, `${v}.zip`), zip);
}

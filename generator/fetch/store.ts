/**
 * Where module content comes from: a content cache keyed by module@version
 * (go.mod bytes, zip digests and package indexes never change for a
 * version), then the proxy. Every zip is fetched at most once per run and is
 * deleted once hashed.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import pLimit from "p-limit";
import { GosetError } from "../errors.js";
import { escapePath, escapeVersion } from "../gomod/escape.js";
import { digestModuleZip, hashGoMod } from "../modzip/index.js";
import { PACKAGE_INDEX_VERSION, parsePackageIndex, serializePackageIndex } from "../packages/packageindex.js";
import type { PackageIndex } from "../packages/packageindex.js";
import type { ModuleProxy } from "../proxy/client.js";
import { readZipTexts } from "./zipfiles.js";
import type { ModuleVersion } from "../types.js";
import { moduleKey } from "../types.js";

export interface ZipDigest {
  readonly hash: string;
  readonly sum: string;
  /** The module's packages, for the set's platforms. */
  readonly packages: PackageIndex;
}

export interface LeafZipFiles {
  readonly goMod?: string;
  readonly goSum?: string;
  readonly digest: ZipDigest;
}

export interface StoreStats {
  goModFetches: number;
  zipDownloads: number;
  zipBytes: number;
}

export interface ModuleStore {
  /** The go.mod bytes of a module version, as the proxy's `.mod` serves them. */
  goMod(m: ModuleVersion): Promise<Buffer>;
  goModSum(m: ModuleVersion): Promise<string>;
  /** The NAR hash and h1 of the module zip, and its package index. */
  zipDigest(m: ModuleVersion): Promise<ZipDigest>;
  /** Downloads the zip to a temporary file, hands it to `use`, then deletes it. */
  withZip<T>(m: ModuleVersion, use: (zipFile: string) => Promise<T>): Promise<T>;
  /** The root go.mod and go.sum inside a leaf module's zip, with the zip's digest. */
  leafFiles(m: ModuleVersion): Promise<LeafZipFiles>;
  /** Drops everything cached of a module version (content that failed verification must not stay). */
  forget(m: ModuleVersion): Promise<void>;
  readonly stats: StoreStats;
}

export interface StoreOptions {
  readonly cacheDir: string;
  readonly proxy: ModuleProxy;
  readonly jobs: number;
  readonly onZip?: (m: ModuleVersion) => void;
}

const LAYOUT = "v1";

export function createModuleStore(opts: StoreOptions): ModuleStore {
  const root = join(opts.cacheDir, LAYOUT);
  const netLimit = pLimit(Math.max(8, opts.jobs * 4));
  // Downloads wait on the network; reading a zip is CPU work on this one
  // thread that holds the zip's central directory in memory, so a second read
  // at once would only interleave with the first and double that memory:
  // `jobs` downloads, one read, and no more than twice `jobs` zips on disk.
  const zipLimit = pLimit(opts.jobs * 2);
  const downloadLimit = pLimit(opts.jobs);
  const readLimit = pLimit(1);
  const goMods = new Map<string, Promise<Buffer>>();
  const digests = new Map<string, Promise<ZipDigest>>();
  const stats: StoreStats = { goModFetches: 0, zipDownloads: 0, zipBytes: 0 };
  const entry = (m: ModuleVersion, ext: string) => join(root, escapePath(m.path), "@v", `${escapeVersion(m.version)}.${ext}`);

  const goMod = (m: ModuleVersion): Promise<Buffer> =>
    memo(goMods, moduleKey(m), async () => {
      const file = entry(m, "mod");
      const cached = await readFile(file).catch(() => undefined);
      if (cached !== undefined) return cached;
      const bytes = await netLimit(() => opts.proxy.goMod(m.path, m.version));
      stats.goModFetches++;
      await writeAtomically(file, bytes);
      return bytes;
    });

  const withZip = async <T>(m: ModuleVersion, use: (zipFile: string) => Promise<T>): Promise<T> =>
    zipLimit(async () => {
      const tmp = join(root, "tmp", `${randomBytes(8).toString("hex")}.zip`);
      try {
        await downloadLimit(async () => {
          await mkdir(dirname(tmp), { recursive: true });
          opts.onZip?.(m);
          const { bytes } = await opts.proxy.downloadZip(m.path, m.version, tmp);
          stats.zipDownloads++;
          stats.zipBytes += bytes;
        });
        return await readLimit(() => use(tmp));
      } finally {
        await rm(tmp, { force: true });
      }
    });

  const zipDigest = (m: ModuleVersion): Promise<ZipDigest> =>
    memo(digests, moduleKey(m), async () => {
      const file = entry(m, "digest.json");
      const cached = await readFile(file, "utf8").then(parseDigest, () => undefined);
      if (cached !== undefined) return cached;
      const digest = await withZip(m, async (zip) => toZipDigest(await digestModuleZip(zip, m)));
      await writeAtomically(file, renderDigest(digest));
      return digest;
    });

  const leafFiles = async (m: ModuleVersion): Promise<LeafZipFiles> => {
    const file = entry(m, "leaf.json");
    const cached = await readFile(file, "utf8").then(parseLeafFiles, () => undefined);
    if (cached !== undefined) return cached;
    const prefix = `${m.path}@${m.version}/`;
    const files = await withZip(m, async (zip) => {
      const d = await digestModuleZip(zip, m);
      const texts = await readZipTexts(zip, (name) => name === prefix + "go.mod" || name === prefix + "go.sum");
      const goMod = texts.get(prefix + "go.mod");
      const goSum = texts.get(prefix + "go.sum");
      return { ...(goMod === undefined ? {} : { goMod }), ...(goSum === undefined ? {} : { goSum }), digest: toZipDigest(d) };
    });
    await writeAtomically(file, JSON.stringify({ ...files, digest: digestRecord(files.digest) }) + "\n");
    // The same digest serves the module as a set member: cache it as one too.
    await writeAtomically(entry(m, "digest.json"), renderDigest(files.digest));
    digests.set(moduleKey(m), Promise.resolve(files.digest));
    return files;
  };

  const forget = async (m: ModuleVersion): Promise<void> => {
    goMods.delete(moduleKey(m));
    digests.delete(moduleKey(m));
    await Promise.all(["mod", "digest.json", "leaf.json"].map((ext) => rm(entry(m, ext), { force: true })));
  };

  return {
    goMod,
    leafFiles,
    forget,
    goModSum: async (m) => hashGoMod(await goMod(m)),
    zipDigest,
    withZip,
    stats,
  };
}

function toZipDigest(d: { hash: string; sum: string; packages: PackageIndex }): ZipDigest {
  return { hash: d.hash, sum: d.sum, packages: d.packages };
}

/** What the cache file holds for a digest (readDigest reads it back). */
function digestRecord(d: ZipDigest): Record<string, unknown> {
  return { hash: d.hash, sum: d.sum, packagesVersion: PACKAGE_INDEX_VERSION, packages: serializePackageIndex(d.packages) };
}

function renderDigest(d: ZipDigest): string {
  return JSON.stringify(digestRecord(d)) + "\n";
}

/** A cached digest, or undefined when unreadable or from an older package index version. */
function readDigest(v: unknown): ZipDigest | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const { hash, sum, packagesVersion, packages } = v as Record<string, unknown>;
  if (typeof hash !== "string" || typeof sum !== "string" || packagesVersion !== PACKAGE_INDEX_VERSION) return undefined;
  const index = parsePackageIndex(packages);
  return index === undefined ? undefined : { hash, sum, packages: index };
}

function parseDigest(text: string): ZipDigest | undefined {
  try {
    return readDigest(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function parseLeafFiles(text: string): LeafZipFiles | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const digest = readDigest(v["digest"]);
    if (digest === undefined) return undefined;
    const { goMod, goSum } = v;
    return { ...(typeof goMod === "string" ? { goMod } : {}), ...(typeof goSum === "string" ? { goSum } : {}), digest };
  } catch {
    return undefined;
  }
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (p === undefined) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/**
 * Content that fails verification leaves the content cache at once: a rerun
 * (through another proxy, or after the proxy is fixed) fetches it again.
 */
export async function forgetIfRejected<T>(store: ModuleStore, m: ModuleVersion, verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (e) {
    if (!(e instanceof GosetError) || (e.code !== "GOSET_CHECKSUM_MISMATCH" && e.code !== "GOSET_SUMDB")) throw e;
    await store.forget(m);
    throw new GosetError(e.code, e.message, { hint: `${e.hint ?? ""} The cached copy of ${moduleKey(m)} was removed from goset's content cache, so a rerun fetches it again.`.trim(), cause: e });
  }
}


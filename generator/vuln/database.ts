/**
 * Where `goset audit` reads the Go vulnerability database from: a directory
 * of OSV JSON files (GO-*.json, directly or under data/osv or ID), a URL in
 * vuln.go.dev's layout (index/modules.json, then ID/<id>.json for the
 * modules asked about), or the module golang.org/x/vulndb through GOPROXY,
 * verified against the checksum database like any module.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { GosetError } from "../errors.js";
import { readZipTexts } from "../fetch/zipfiles.js";
import type { ModulePath } from "../types.js";
import type { OsvEntry } from "./osv.js";
import { parseOsv } from "./osv.js";
import { compareStrings } from "../order.js";

const VULNDB_MODULE = "golang.org/x/vulndb";

export interface VulnDatabase {
  /** What was read: module@version, the URL and its modification time, or the directory. */
  readonly identity: string;
  readonly entries: readonly OsvEntry[];
}

/** The module's newest version, its zip (verified) handed to `read`. */
export type ModuleZipReader = <T>(path: ModulePath, read: (zipFile: string) => Promise<T>) => Promise<{ version: string; verified: string; value: T }>;

/** Entries of the database `source` names for `modules` (all entries for a directory or the module). */
export async function loadDatabase(source: string | undefined, modules: ReadonlySet<ModulePath>, fromProxy: ModuleZipReader): Promise<VulnDatabase> {
  if (source === undefined) return fromModule(fromProxy);
  if (/^https?:\/\//.test(source)) return fromUrl(source.replace(/\/+$/, ""), modules);
  return fromDirectory(source);
}

async function fromModule(fromProxy: ModuleZipReader): Promise<VulnDatabase> {
  const { version, verified, value } = await fromProxy(VULNDB_MODULE, (zip) => readZipTexts(zip, (name) => /\/data\/osv\/[^/]+\.json$/.test(name)));
  const entries = [...value].sort(([a], [b]) => compareStrings(a, b)).map(([name, text]) => parseOsv(text, `${VULNDB_MODULE}@${version}: ${name}`));
  if (entries.length === 0) throw new GosetError("GOSET_VULNDB_INVALID", `${VULNDB_MODULE}@${version} holds no data/osv/*.json`, { hint: "pass --vulndb DIR or URL" });
  return { identity: `${VULNDB_MODULE}@${version} (verified: ${verified}, ${entries.length} entries)`, entries };
}

async function fromDirectory(dir: string): Promise<VulnDatabase> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new GosetError("GOSET_VULNDB_INVALID", `--vulndb ${dir}: not a directory or an http(s) URL`, { hint: "pass a directory of OSV JSON files, a vuln.go.dev-style URL, or nothing" });
  }
  for (const sub of ["data/osv", "ID"]) {
    if ((await stat(join(dir, sub)).catch(() => undefined))?.isDirectory()) return fromDirectory(join(dir, sub));
  }
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  const entries = await Promise.all(names.map(async (n) => parseOsv(await readFile(join(dir, n), "utf8"), join(dir, n))));
  const newest = entries.map((e) => e.modified).sort().pop() ?? "";
  return { identity: `${dir} (${entries.length} entries, newest modified ${newest || "unknown"})`, entries };
}

async function fromUrl(base: string, modules: ReadonlySet<ModulePath>): Promise<VulnDatabase> {
  const index = await fetchJson(`${base}/index/modules.json`);
  if (!Array.isArray(index)) throw new GosetError("GOSET_VULNDB_INVALID", `${base}/index/modules.json is not a list of modules`, { hint: "the URL must serve vuln.go.dev's layout" });
  const ids = new Set<string>();
  for (const m of index) {
    if (typeof m !== "object" || m === null || !modules.has((m as { path?: string }).path ?? "")) continue;
    for (const v of (m as { vulns?: { id?: string }[] }).vulns ?? []) if (typeof v.id === "string") ids.add(v.id);
  }
  const db = (await fetchJson(`${base}/index/db.json`).catch(() => undefined)) as { modified?: string } | undefined;
  const entries = await Promise.all([...ids].sort().map(async (id) => parseOsv(JSON.stringify(await fetchJson(`${base}/ID/${id}.json`)), `${base}/ID/${id}.json`)));
  return { identity: `${base} (modified ${db?.modified ?? "unknown"}, ${entries.length} entries for the set's modules)`, entries };
}

async function fetchJson(url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new GosetError("GOSET_VULNDB_FETCH", `${url}: ${(e as Error).message}`, { hint: "check the --vulndb URL and the network", cause: e });
  }
  if (!res.ok) throw new GosetError("GOSET_VULNDB_FETCH", `${url}: HTTP ${res.status}`, { hint: "check the --vulndb URL" });
  return res.json();
}

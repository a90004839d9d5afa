/**
 * `goset audit`: the set's lock matched against the Go vulnerability
 * database. The I/O is here: reading the lock, fetching the database (the
 * module through GOPROXY, verified against the checksum database like any
 * module), asking `go` for the toolchain's version. vuln/ is pure.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { GosetError } from "./errors.js";
import { readGoSettings } from "./env/goenv.js";
import { createModuleStore } from "./fetch/store.js";
import { digestModuleZip } from "./modzip/index.js";
import type { LockedSet } from "./model.js";
import { createModuleProxy } from "./proxy/client.js";
import { createHttpSetup } from "./proxy/agent.js";
import { readCaCertificates } from "./proxy/ca.js";
import { LOCK_FILE, parseLock } from "./render/lock.js";
import { createSumdbVerifier } from "./sumdb/verifier.js";
import { compare } from "./gomod/semver.js";
import type { Finding } from "./vuln/audit.js";
import { auditSet, diffFindings } from "./vuln/audit.js";
import type { VulnDatabase } from "./vuln/database.js";
import { loadDatabase } from "./vuln/database.js";
import type { Platform } from "./vuln/osv.js";
import { STDLIB, TOOLCHAIN } from "./vuln/osv.js";
import { compareStrings } from "./order.js";

export interface AuditOptions {
  readonly setDir: string;
  /** A directory, a URL, or undefined: golang.org/x/vulndb through GOPROXY. */
  readonly vulndb?: string;
  /** The set's Go release ("go1.26.8"); default: `go env GOVERSION`. */
  readonly goVersion?: string;
  /** What the set builds for; default: `go env GOOS GOARCH`. */
  readonly platform?: Platform;
  readonly env?: NodeJS.ProcessEnv;
}

export interface AuditResult {
  readonly database: string;
  readonly goVersion: string;
  readonly platform: Platform;
  readonly findings: readonly Finding[];
}

export async function auditSetDir(options: AuditOptions): Promise<AuditResult> {
  const set = await readLockedSet(resolve(options.setDir));
  const { database, goVersion, platform } = await openDatabase(options, [set]);
  return { database: database.identity, goVersion, platform, findings: auditSet(set, database.entries, goVersion, platform) };
}

/** The database (for the modules of `sets`), the Go release and the platform an audit matches against. */
async function openDatabase(options: Omit<AuditOptions, "setDir">, sets: readonly LockedSet[]): Promise<{ database: VulnDatabase; goVersion: string; platform: Platform }> {
  const env = options.env ?? process.env;
  const goEnv = options.goVersion !== undefined && options.platform !== undefined ? undefined : await goEnvOf(env);
  const goVersion = options.goVersion ?? goEnv?.[0] ?? "";
  const platform = options.platform ?? { goos: goEnv?.[1] ?? "linux", goarch: goEnv?.[2] ?? "amd64" };
  const modules = new Set<string>([STDLIB, TOOLCHAIN]);
  for (const set of sets) {
    for (const p of set.modules.keys()) modules.add(p);
    for (const m of set.held.values()) modules.add(m.path);
    for (const l of set.leaves.values()) if (l.source.kind === "module") modules.add(l.source.module);
  }
  const database = await loadDatabase(options.vulndb, modules, (path, read) => readThroughProxy(path, read, env));
  return { database, goVersion, platform };
}

export interface AuditChange {
  readonly database: string;
  readonly fixed: readonly Finding[];
  readonly introduced: readonly Finding[];
  /** Findings of `after`. */
  readonly now: number;
}

/** The findings a change from `before` (none: a new set) to `after` fixes and introduces, against one database. */
export async function auditChange(before: LockedSet | undefined, after: LockedSet, options: Omit<AuditOptions, "setDir">): Promise<AuditChange> {
  const { database, goVersion, platform } = await openDatabase(options, before === undefined ? [after] : [before, after]);
  const was = before === undefined ? [] : auditSet(before, database.entries, goVersion, platform);
  const now = auditSet(after, database.entries, goVersion, platform);
  return { database: database.identity, ...diffFindings(was, now), now: now.length };
}

export async function readLockedSet(setDir: string): Promise<LockedSet> {
  const file = join(setDir, LOCK_FILE);
  const text = await readFile(file, "utf8").catch((cause: unknown) => {
    throw new GosetError("GOSET_LEAVES_NOT_FOUND", `cannot read ${file}`, { hint: "generate the set first (goset update), or pass --set DIR", cause });
  });
  const set = parseLock(text);
  if (set === undefined) throw new GosetError("GOSET_STALE", `${file} is not a lock this goset reads`, { hint: "regenerate the set with goset update" });
  return set;
}

/** The newest version of a module, its zip verified against the checksum database, handed to `read`. */
async function readThroughProxy<T>(path: string, read: (zipFile: string) => Promise<T>, env: NodeJS.ProcessEnv): Promise<{ version: string; verified: string; value: T }> {
  const { settings, proxy, sumdb, close } = await openProxy(env);
  try {
    const { Version: version } = await proxy.latest(path);
    const m = { path, version };
    const store = createModuleStore({ cacheDir: settings.cacheDir, proxy, jobs: 1 });
    const goModSum = await store.goModSum(m);
    const { sum, value } = await store.withZip(m, async (zip) => ({ sum: (await digestModuleZip(zip, m)).sum, value: await read(zip) }));
    const verified = await sumdb.verify(m, { sum, goModSum });
    return { version, verified, value };
  } catch (e) {
    if (e instanceof GosetError) throw e;
    throw new GosetError("GOSET_VULNDB_FETCH", `${path}: ${(e as Error).message}`, { hint: "check GOPROXY, or pass --vulndb DIR or URL", cause: e });
  } finally {
    await close();
  }
}

/** The module proxy client of `env`'s Go settings, with its CA settings for other clients. */
/** The proxy and checksum-database clients over one HTTP set-up; `close` closes all three. */
async function openProxy(env: NodeJS.ProcessEnv) {
  const settings = await readGoSettings(env);
  const http = createHttpSetup(settings.netrcPath, { caCertificates: readCaCertificates(env) });
  const proxy = createModuleProxy(settings, { env, http });
  const sumdb = createSumdbVerifier(settings, { http });
  const close = async () => {
    await Promise.all([proxy.close(), sumdb.close()]);
    await http.close();
  };
  return { settings, proxy, sumdb, close };
}

/** `go env GOVERSION GOOS GOARCH`. */
function goEnvOf(env: NodeJS.ProcessEnv): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    execFile("go", ["env", "GOVERSION", "GOOS", "GOARCH"], { env }, (error, stdout) => {
      if (error !== null) reject(new GosetError("GOSET_USAGE", `cannot run go env: ${error.message}`, { hint: "put the set's go on PATH, or pass --go go1.X.Y" }));
      else resolvePromise(stdout.trim().split("\n"));
    });
  });
}

export interface AuditFix {
  /** Pins written into leaves.yaml: each module raised to the lowest version fixing all its findings. */
  readonly pins: readonly { readonly path: string; readonly from: string; readonly to: string; readonly fixes: readonly string[] }[];
  /** Modules whose fixed version the proxy does not serve (or with no fix): left as they are. */
  readonly unfixable: readonly { readonly path: string; readonly version: string; readonly why: string }[];
}

/**
 * The pins that fix the set's findings: per module (held versions, the
 * standard library, the toolchain and the leaves' own modules aside), the
 * highest of its findings' lowest fixed versions, when the proxy serves it.
 */
export async function planFixes(findings: readonly Finding[], env: NodeJS.ProcessEnv = process.env): Promise<AuditFix> {
  const byModule = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.held || f.module === STDLIB || f.module === TOOLCHAIN || f.leaves.length === 0) continue;
    byModule.set(f.module, [...(byModule.get(f.module) ?? []), f]);
  }
  const { proxy, close } = await openProxy(env);
  const pins: AuditFix["pins"][number][] = [];
  const unfixable: AuditFix["unfixable"][number][] = [];
  try {
    for (const [path, list] of [...byModule].sort(([a], [b]) => compareStrings(a, b))) {
      const version = list[0]?.version ?? "";
      if (list.some((f) => f.fixed === undefined)) {
        unfixable.push({ path, version, why: `no fixed version for ${list.filter((f) => f.fixed === undefined).map((f) => f.id).join(", ")}` });
        continue;
      }
      const to = list.map((f) => f.fixed as string).sort(compare).pop() as string;
      const served = await proxy.listVersions(path).catch(() => [] as string[]);
      if (!served.includes(to)) {
        unfixable.push({ path, version, why: `${to} is not served by the proxy` });
        continue;
      }
      pins.push({ path, from: version, to, fixes: list.map((f) => f.id) });
    }
  } finally {
    await close();
  }
  return { pins, unfixable };
}

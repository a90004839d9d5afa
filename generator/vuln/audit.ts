/**
 * The known vulnerabilities a set ships: every member, held version and
 * module leaf matched against the database's entries by version, then by
 * package: an entry whose affected packages the set compiles is
 * "reachable", else "present". Pure: the lock and the entries in, findings out.
 */
import { compare } from "../gomod/semver.js";
import type { LockedModule, LockedSet } from "../model.js";
import { leafClosure } from "../render/report.js";
import type { ModulePath, Version } from "../types.js";
import type { AffectedPackage, OsvEntry, Platform } from "./osv.js";
import { affectsVersion, fixedVersion, onPlatform, STDLIB, TOOLCHAIN } from "./osv.js";
import { compareStrings } from "../order.js";

export interface Finding {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly module: ModulePath;
  readonly version: Version;
  /** The lowest fixed version above `version`, if the entry names one. */
  readonly fixed?: Version;
  readonly packages: readonly AffectedPackage[];
  /** Some affected package (or, when the entry names none, some package of the module) is compiled by the set. */
  readonly reachable: boolean;
  /** The leaves that build against this module version. */
  readonly leaves: readonly string[];
  /** A leaf's held version (leaves.yaml `hold`), not the set's. */
  readonly held?: boolean;
}

/** One module version the set ships, with the packages it compiles and the leaves above it. */
interface Shipped {
  readonly module: ModulePath;
  readonly version: Version;
  /** Full import paths; undefined: every package counts (a leaf's own module). */
  readonly compiled: ReadonlySet<string> | undefined;
  readonly leaves: readonly string[];
  readonly held?: boolean;
}

/**
 * `goVersion` is the set's Go release ("go1.26.8"), the standard library's
 * version; `platform` what the set builds for: entries limited to other
 * platforms do not count.
 */
export function auditSet(set: LockedSet, entries: readonly OsvEntry[], goVersion: string, platform: Platform): Finding[] {
  const byModule = new Map<ModulePath, OsvEntry[]>();
  for (const e of entries) {
    if (e.withdrawn !== undefined) continue;
    for (const m of new Set(e.affected.map((a) => a.module))) byModule.set(m, [...(byModule.get(m) ?? []), e]);
  }
  const findings: Finding[] = [];
  for (const s of shippedModules(set, goVersion)) {
    for (const e of byModule.get(s.module) ?? []) {
      const hits = e.affected.flatMap((a) => {
        const here = a.module === s.module && affectsVersion(a, s.version) ? onPlatform(a, platform) : undefined;
        return here === undefined ? [] : [here];
      });
      if (hits.length === 0) continue;
      const packages = hits.flatMap((a) => a.packages);
      const fixed = hits.map((a) => fixedVersion(a, s.version)).filter((v): v is Version => v !== undefined).sort(compare)[0];
      const reachable = s.compiled === undefined || (packages.length === 0 ? s.compiled.size > 0 : packages.some((p) => s.compiled?.has(p.path)));
      findings.push({
        id: e.id,
        aliases: e.aliases,
        summary: e.summary,
        module: s.module,
        version: s.version,
        ...(fixed === undefined ? {} : { fixed }),
        packages,
        reachable: s.module === STDLIB || s.module === TOOLCHAIN ? false : reachable,
        leaves: s.leaves,
        ...(s.held ? { held: true } : {}),
      });
    }
  }
  return findings.sort(compareFindings);
}

function shippedModules(set: LockedSet, goVersion: string): Shipped[] {
  const leavesOf = new Map<ModulePath, string[]>();
  for (const leaf of set.leaves.values()) {
    for (const p of leafClosure(set, leaf)) {
      if (leaf.holds.has(p)) continue;
      leavesOf.set(p, [...(leavesOf.get(p) ?? []), leaf.name]);
    }
  }
  const compiled = (m: LockedModule) => new Set((m.packages ?? []).map((dir) => (dir === "." ? m.path : `${m.path}/${dir}`)));
  const shipped: Shipped[] = [...set.modules.values()].map((m) => ({ module: m.path, version: m.version, compiled: compiled(m), leaves: (leavesOf.get(m.path) ?? []).sort() }));
  for (const [key, m] of set.held) {
    const holders = [...set.leaves.values()].filter((l) => `${m.path}@${l.holds.get(m.path)?.version ?? ""}` === key).map((l) => l.name);
    shipped.push({ module: m.path, version: m.version, compiled: compiled(m), leaves: holders.sort(), held: true });
  }
  for (const leaf of set.leaves.values()) {
    if (leaf.source.kind === "module") shipped.push({ module: leaf.source.module, version: leaf.source.version, compiled: undefined, leaves: [leaf.name] });
  }
  const std = goVersion.replace(/^go/, "v");
  shipped.push({ module: STDLIB, version: std, compiled: new Set(), leaves: [...set.leaves.keys()].sort() });
  shipped.push({ module: TOOLCHAIN, version: std, compiled: new Set(), leaves: [] });
  return shipped;
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.reachable !== b.reachable) return a.reachable ? -1 : 1;
  if (a.module !== b.module) return compareStrings(a.module, b.module);
  if (a.version !== b.version) return compare(a.version, b.version);
  return compareStrings(a.id, b.id);
}

/** Whether `--fail-on` is met: any finding (module), or a reachable one (package). */
export function failsOn(findings: readonly Finding[], level: "none" | "module" | "package"): boolean {
  if (level === "none") return false;
  return level === "module" ? findings.length > 0 : findings.some((f) => f.reachable);
}

/** Findings of `before` gone from `after` (fixed) and new in it (introduced), by id and module. */
export function diffFindings(before: readonly Finding[], after: readonly Finding[]): { fixed: Finding[]; introduced: Finding[] } {
  const key = (f: Finding) => `${f.id} ${f.module}`;
  const afterKeys = new Set(after.map(key));
  const beforeKeys = new Set(before.map(key));
  return { fixed: before.filter((f) => !afterKeys.has(key(f))), introduced: after.filter((f) => !beforeKeys.has(key(f))) };
}

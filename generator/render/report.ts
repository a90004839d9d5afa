/**
 * The change report of a regeneration, in Markdown fit for a pull-request
 * body: what moved between the previous lock and the new one, and how many
 * derivations each change rebuilds.
 */
import { compare } from "../gomod/semver.js";
import type { LockedLeaf, LockedModule, LockedSet } from "../model.js";
import type { ModulePath } from "../types.js";
import { compareStrings } from "../order.js";

export interface ModuleChange {
  readonly path: ModulePath;
  readonly from?: string;
  readonly to?: string;
  /** Derivations that rebuild because of this change alone: module or cycle derivations, and leaves. */
  readonly rebuilds: { readonly modules: number; readonly leaves: number };
}

/** A module at the same version whose package list changed. */
export interface PackageListChange extends ModuleChange {
  readonly packagesFrom?: number;
  readonly packagesTo?: number;
}

export interface ChangeReport {
  readonly bumped: readonly ModuleChange[];
  readonly added: readonly ModuleChange[];
  readonly removed: readonly ModuleChange[];
  /** Same version, but the set now compiles other packages of it (a dependent's imports changed). */
  readonly repackaged: readonly PackageListChange[];
  readonly leavesChanged: readonly { readonly name: string; readonly from?: string; readonly to?: string }[];
  readonly cyclesAdded: readonly (readonly ModulePath[])[];
  readonly cyclesRemoved: readonly (readonly ModulePath[])[];
  readonly raised: readonly { readonly leaf: string; readonly path: ModulePath; readonly from: string; readonly to: string }[];
  /** Every hold of the new set (added or kept) and those the previous set had and this one dropped. */
  readonly holds: readonly HoldChange[];
  /** Every derivation the regeneration rebuilds, all changes together. */
  readonly totalRebuilds: { readonly modules: number; readonly leaves: number };
}

export interface HoldChange {
  readonly leaf: string;
  readonly path: ModulePath;
  readonly version: string;
  readonly setVersion?: string;
  readonly reason?: string;
  readonly status: "added" | "kept" | "dropped";
}

/** Holds of `after` (added or kept) and of `before` that `after` no longer has (dropped). */
function diffHolds(before: LockedSet | undefined, after: LockedSet): HoldChange[] {
  const out: HoldChange[] = [];
  for (const l of after.leaves.values()) {
    for (const [path, h] of l.holds) {
      const old = before?.leaves.get(l.name)?.holds.get(path);
      const setVersion = after.modules.get(path)?.version;
      out.push({ leaf: l.name, path, version: h.version, ...(setVersion === undefined ? {} : { setVersion }), ...(h.reason === undefined ? {} : { reason: h.reason }), status: old?.version === h.version ? "kept" : "added" });
    }
  }
  for (const l of before?.leaves.values() ?? []) {
    for (const [path, h] of l.holds) {
      if (after.leaves.get(l.name)?.holds.has(path)) continue;
      out.push({ leaf: l.name, path, version: h.version, ...(h.reason === undefined ? {} : { reason: h.reason }), status: "dropped" });
    }
  }
  return out.sort((a, b) => compareStrings(a.leaf, b.leaf) || compareStrings(a.path, b.path));
}

/**
 * The modules of `set` that rebuild when `changed` do (themselves, the members
 * that import them, transitively, whole cycles), and the leaves above them.
 */
export function rebuildClosure(set: LockedSet, changed: Iterable<ModulePath>): { modules: Set<ModulePath>; leaves: string[] } {
  const cycleMembers = membersByCycle(set);
  const dirty = new Set<ModulePath>([...changed].filter((p) => set.modules.has(p)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of set.modules.values()) {
      if (dirty.has(m.path)) continue;
      const cycleDirty = m.cycle !== undefined && (cycleMembers.get(m.cycle) ?? []).some((p) => dirty.has(p));
      if (cycleDirty || (m.imports ?? []).some((r) => dirty.has(r))) {
        dirty.add(m.path);
        grew = true;
      }
    }
  }
  const leaves = [...set.leaves.values()].filter((l) => l.imports.some((r) => dirty.has(r))).map((l) => l.name);
  return { modules: dirty, leaves };
}

/** The set members a leaf builds against: what it imports, what those import, transitively, whole cycles. */
export function leafClosure(set: LockedSet, leaf: LockedLeaf): Set<ModulePath> {
  const cycleMembers = membersByCycle(set);
  const out = new Set<ModulePath>();
  const queue = [...leaf.imports];
  for (let p = queue.pop(); p !== undefined; p = queue.pop()) {
    const m = set.modules.get(p);
    if (m === undefined || out.has(p)) continue;
    out.add(p);
    queue.push(...(m.imports ?? []), ...(m.cycle === undefined ? [] : (cycleMembers.get(m.cycle) ?? [])));
  }
  return out;
}

function membersByCycle(set: LockedSet): Map<string, readonly ModulePath[]> {
  return new Map(set.cycles.map((c) => [c.id, c.members]));
}

/** Derivations (a cycle counts once) that depend on any of `changed` in `set`, and the leaves above them. */
function rebuildsOf(set: LockedSet, changed: Iterable<ModulePath>): { modules: number; leaves: number } {
  const { modules, leaves } = rebuildClosure(set, changed);
  return { modules: new Set([...modules].map((p) => set.modules.get(p)?.cycle ?? p)).size, leaves: leaves.length };
}

function count<K extends string>(key: K, packages: readonly string[] | undefined): Partial<Record<K, number>> {
  return packages === undefined ? {} : ({ [key]: packages.length } as Partial<Record<K, number>>);
}

/** Absent means every package of the module. */
function packagesKey(packages: readonly string[] | undefined): string {
  return packages === undefined ? "..." : packages.join("\n");
}

export function diffSets(before: LockedSet | undefined, after: LockedSet): ChangeReport {
  const old = before?.modules ?? new Map<ModulePath, LockedModule>();
  const bumped: ModuleChange[] = [];
  const added: ModuleChange[] = [];
  const removed: ModuleChange[] = [];
  const repackaged: PackageListChange[] = [];
  for (const m of after.modules.values()) {
    const prev = old.get(m.path);
    if (prev === undefined) added.push({ path: m.path, to: m.version, rebuilds: rebuildsOf(after, [m.path]) });
    else if (prev.version !== m.version || prev.hash !== m.hash) bumped.push({ path: m.path, from: prev.version, to: m.version, rebuilds: rebuildsOf(after, [m.path]) });
    else if (packagesKey(prev.packages) !== packagesKey(m.packages)) {
      repackaged.push({ path: m.path, to: m.version, rebuilds: rebuildsOf(after, [m.path]), ...count("packagesFrom", prev.packages), ...count("packagesTo", m.packages) });
    }
  }
  for (const m of old.values()) if (!after.modules.has(m.path)) removed.push({ path: m.path, from: m.version, rebuilds: { modules: 0, leaves: 0 } });

  const key = (members: readonly string[]) => members.join("\n");
  const oldCycles = new Set((before?.cycles ?? []).map((c) => key(c.members)));
  const newCycles = new Set(after.cycles.map((c) => key(c.members)));
  const leavesChanged: { name: string; from?: string; to?: string }[] = [];
  const version = (s: LockedSet | undefined, name: string) => {
    const src = s?.leaves.get(name)?.source;
    return src === undefined ? undefined : src.kind === "module" ? src.version : `path ${src.path}`;
  };
  for (const name of new Set([...(before?.leaves.keys() ?? []), ...after.leaves.keys()])) {
    const from = version(before, name);
    const to = version(after, name);
    if (from !== to) leavesChanged.push({ name, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  }
  // Only raises this regeneration made: a raise already in the previous lock is old news.
  const raised = [...after.leaves.values()].flatMap((l) =>
    [...l.upgraded]
      .filter(([path, u]) => {
        const old = before?.leaves.get(l.name)?.upgraded.get(path);
        return old === undefined || old.from !== u.from || old.to !== u.to;
      })
      .map(([path, u]) => ({ leaf: l.name, path, from: u.from, to: u.to })),
  );
  const changedPaths = [...bumped, ...added, ...repackaged].map((c) => c.path);
  const byVersionOrder = (a: ModuleChange, b: ModuleChange) => compareStrings(a.path, b.path) || compare(a.to ?? "", b.to ?? "");
  return {
    bumped: bumped.sort(byVersionOrder),
    added: added.sort(byVersionOrder),
    removed: removed.sort(byVersionOrder),
    repackaged: repackaged.sort(byVersionOrder),
    leavesChanged: leavesChanged.sort((a, b) => compareStrings(a.name, b.name)),
    cyclesAdded: after.cycles.filter((c) => !oldCycles.has(key(c.members))).map((c) => c.members),
    cyclesRemoved: (before?.cycles ?? []).filter((c) => !newCycles.has(key(c.members))).map((c) => c.members),
    raised,
    holds: diffHolds(before, after),
    totalRebuilds: rebuildsOf(after, changedPaths),
  };
}

export function renderReport(r: ChangeReport, after: LockedSet): string {
  const out: string[] = ["## update-set: package set changes", ""];
  out.push(`${after.leaves.size} leaves, ${after.modules.size} modules, ${after.cycles.length} cycles. This change rebuilds ${r.totalRebuilds.modules} module derivations and ${r.totalRebuilds.leaves} leaves.`, "");
  const rebuilds = (c: ModuleChange) => `${c.rebuilds.modules} modules, ${c.rebuilds.leaves} leaves`;
  const table = <C extends ModuleChange>(title: string, rows: readonly C[], cells: (c: C) => string[], head: string[]) => {
    if (rows.length === 0) return;
    out.push(`### ${title} (${rows.length})`, "", `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
    for (const c of rows) out.push(`| ${cells(c).join(" | ")} |`);
    out.push("");
  };
  if (r.leavesChanged.length > 0) {
    out.push(`### Leaves (${r.leavesChanged.length})`, "", "| leaf | from | to |", "|---|---|---|");
    for (const l of r.leavesChanged) out.push(`| ${l.name} | ${l.from ?? "(new)"} | ${l.to ?? "(removed)"} |`);
    out.push("");
  }
  table("Modules bumped", r.bumped, (c) => [`\`${c.path}\``, c.from ?? "", c.to ?? "", rebuilds(c)], ["module", "from", "to", "rebuilds"]);
  table("Modules added", r.added, (c) => [`\`${c.path}\``, c.to ?? "", rebuilds(c)], ["module", "version", "rebuilds"]);
  table("Modules removed", r.removed, (c) => [`\`${c.path}\``, c.from ?? ""], ["module", "version"]);
  table("Package lists changed (same version, other packages compiled)", r.repackaged, (c) => [`\`${c.path}\``, c.to ?? "", `${c.packagesFrom ?? "all"} -> ${c.packagesTo ?? "all"}`, rebuilds(c)], ["module", "version", "packages", "rebuilds"]);
  if (r.cyclesAdded.length + r.cyclesRemoved.length > 0) {
    out.push("### Cycles", "");
    for (const c of r.cyclesAdded) out.push(`- added: ${c.map((p) => `\`${p}\``).join(", ")}`);
    for (const c of r.cyclesRemoved) out.push(`- removed: ${c.map((p) => `\`${p}\``).join(", ")}`);
    out.push("");
  }
  if (r.raised.length > 0) {
    out.push(`### Versions the set newly raised for leaves (${r.raised.length})`, "", "| leaf | module | leaf's own | set |", "|---|---|---|---|");
    for (const u of r.raised) out.push(`| ${u.leaf} | \`${u.path}\` | ${u.from} | ${u.to} |`);
    out.push("");
  }
  if (r.holds.length > 0) {
    out.push(`### Holds (${r.holds.length})`, "", "| leaf | module | held at | set | status | reason |", "|---|---|---|---|---|---|");
    for (const h of r.holds) out.push(`| ${h.leaf} | \`${h.path}\` | ${h.version} | ${h.setVersion ?? ""} | ${h.status} | ${(h.reason ?? "").replace(/\|/g, "\\|")} |`);
    out.push("");
  }
  if (r.bumped.length + r.added.length + r.removed.length + r.repackaged.length + r.leavesChanged.length + r.holds.filter((h) => h.status !== "kept").length === 0) out.push("No module or leaf changed.", "");
  return out.join("\n");
}

/** The leaves a --keep-going run did not regenerate, as a report section ("" when none). */
export function renderFailedLeaves(failed: readonly { readonly name: string; readonly code: string; readonly message: string; readonly kept: boolean }[]): string {
  if (failed.length === 0) return "";
  const out = [`### Leaves not regenerated (${failed.length})`, "", "| leaf | error | state |", "|---|---|---|"];
  for (const f of failed) out.push(`| ${f.name} | ${f.code}: ${f.message.replace(/\|/g, "\\|").replace(/\n/g, " ")} | ${f.kept ? "previous state kept" : "left out (new leaf)"} |`);
  return out.join("\n") + "\n";
}

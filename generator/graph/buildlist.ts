/**
 * The build list Go selects for one main module (`go list -m all`): minimal
 * version selection over the requirement graph, with graph pruning for
 * modules at go >= 1.17. The go.mod loader is injected, so this stays pure.
 */
import { compare, goVersionAtLeast } from "../gomod/semver.js";
import type { GoModFile, ModulePath, ModuleVersion, Requirement, Version } from "../types.js";
import { moduleKey } from "../types.js";
import { compareStrings, sortByKey } from "../order.js";

/** Loads the go.mod that stands for a module version in this main module's graph (replacements applied). */
export type GoModLoader = (m: ModuleVersion) => Promise<GoModFile>;

export interface BuildList {
  /** Selected version of every module path in the graph, except the main module. */
  readonly selected: ReadonlyMap<ModulePath, Version>;
  /** Every module version whose go.mod was read. */
  readonly goModsRead: readonly ModuleVersion[];
}

type Pruning = "pruned" | "unpruned";

function pruningOf(goMod: GoModFile): Pruning {
  return goVersionAtLeast(goMod.go, "1.17") ? "pruned" : "unpruned";
}

/** Requirements of a go.mod with the main module's excludes applied (excluded versions are ignored since Go 1.16). */
function effectiveRequires(goMod: GoModFile, excluded: ReadonlySet<string>): Requirement[] {
  return goMod.requires.filter((r) => !excluded.has(moduleKey(r)));
}

export async function selectBuildList(main: GoModFile, load: GoModLoader, extraRoots: readonly ModuleVersion[] = []): Promise<BuildList> {
  const excluded = new Set(main.excludes.map(moduleKey));
  const selected = new Map<ModulePath, Version>();
  const read = new Map<string, ModuleVersion>();
  const started = { pruned: new Set<string>(), unpruned: new Set<string>() };
  const pending: Promise<void>[] = [];

  const addNode = (m: ModuleVersion): void => {
    if (m.path === main.module.path) return;
    const current = selected.get(m.path);
    if (current === undefined || compare(m.version, current) > 0) selected.set(m.path, m.version);
  };

  const enqueue = (m: ModuleVersion, pruning: Pruning): void => {
    if (m.version === "none" || m.path === main.module.path) return;
    const key = moduleKey(m);
    if (started[pruning].has(key)) return;
    started[pruning].add(key);
    const job = (async () => {
        const goMod = await load(m);
        read.set(key, { path: m.path, version: m.version });
        const requires = effectiveRequires(goMod, excluded);
        for (const r of requires) addNode(r);
        const own = pruningOf(goMod);
        // Below a pruned module only its own requirements count; below an
        // unpruned one (go < 1.17) the whole closure is read.
        if (pruning === "pruned" && own === "pruned") return;
        const next: Pruning = pruning === "unpruned" ? "unpruned" : own;
        for (const r of requires) enqueue(r, next);
      })();
    job.catch(() => undefined); // awaited below; this only keeps a later failure from going unhandled
    pending.push(job);
  };

  const rootPruning = pruningOf(main);
  const roots: ModuleVersion[] = [...effectiveRequires(main, excluded), ...extraRoots];
  for (const r of roots) addNode(r);
  for (const r of roots) enqueue(r, rootPruning);
  for (let done = 0; done < pending.length; ) {
    const batch = pending.slice(done);
    done = pending.length;
    await Promise.all(batch);
  }

  const goModsRead = [...read.values()].sort((a, b) => compareStrings(moduleKey(a), moduleKey(b)));
  return { selected: sortByKey(selected), goModsRead };
}

/**
 * Which build-list modules the set must download and build: those that
 * provide packages to some leaf. `go mod tidy` records a zip hash in go.sum
 * exactly for modules whose packages (or their tests' imports) the main
 * module loads; a module with only a `/go.mod` line is a node of the graph
 * whose go.mod took part in version selection, and nothing more.
 */
import { compare } from "../gomod/semver.js";
import type { GoSumEntry, ModulePath, ModuleVersion } from "../types.js";
import { parseModuleKey } from "../types.js";
import { compareStrings } from "../order.js";

export interface LeafGraph {
  /** Module paths in the leaf's build list. */
  readonly paths: Iterable<ModulePath>;
  readonly goSum: ReadonlyMap<string, GoSumEntry>;
}

export function modulesProvidingPackages(leaves: readonly LeafGraph[]): Set<ModulePath> {
  const needed = new Set<ModulePath>();
  for (const leaf of leaves) {
    const withZip = new Set<ModulePath>();
    for (const [key, entry] of leaf.goSum) if (entry.sum !== undefined) withZip.add(parseModuleKey(key).path);
    // A leaf without any zip line cannot tell: everything in its graph counts.
    for (const path of leaf.paths) if (withZip.size === 0 || withZip.has(path)) needed.add(path);
  }
  return needed;
}

/**
 * The module versions the set will most likely hold as members, known before
 * any selection: per path, the highest version whose zip some leaf's go.sum
 * records. The set raises a version beyond it only where a pin or another
 * leaf's go.mod-only requirement does, so fetching these early is rarely wasted.
 */
export function likelyMembers(goSums: readonly ReadonlyMap<string, GoSumEntry>[]): ModuleVersion[] {
  const highest = new Map<ModulePath, string>();
  for (const goSum of goSums) {
    for (const [key, entry] of goSum) {
      if (entry.sum === undefined) continue;
      const { path, version } = parseModuleKey(key);
      const seen = highest.get(path);
      if (seen === undefined || compare(version, seen) > 0) highest.set(path, version);
    }
  }
  return [...highest].sort(([a], [b]) => compareStrings(a, b)).map(([path, version]) => ({ path, version }));
}

/**
 * Which build-list modules the set must download and build: those that
 * provide packages to some leaf. `go mod tidy` records a zip hash in go.sum
 * exactly for modules whose packages (or their tests' imports) the main
 * module loads; a module with only a `/go.mod` line is a node of the graph
 * whose go.mod took part in version selection, and nothing more.
 */
import type { GoSumEntry, ModulePath } from "../types.js";

export interface LeafGraph {
  /** Module paths in the leaf's build list. */
  readonly paths: Iterable<ModulePath>;
  readonly goSum: ReadonlyMap<string, GoSumEntry>;
}

export function modulesProvidingPackages(leaves: readonly LeafGraph[]): Set<ModulePath> {
  const needed = new Set<ModulePath>();
  for (const leaf of leaves) {
    const withZip = new Set<ModulePath>();
    for (const [key, entry] of leaf.goSum) if (entry.sum !== undefined) withZip.add(key.slice(0, key.lastIndexOf("@")));
    // A leaf without any zip line cannot tell: everything in its graph counts.
    for (const path of leaf.paths) if (withZip.size === 0 || withZip.has(path)) needed.add(path);
  }
  return needed;
}

/**
 * One version per module path for the whole set: the highest any leaf
 * selects (pins having been applied to each leaf's own selection). A module
 * a leaf replaces stays that leaf's own entry and does not count here.
 */
import { compare } from "../gomod/semver.js";
import type { ModulePath, Version } from "../types.js";
import { compareStrings, sortByKey } from "../order.js";

export interface LeafSelection {
  readonly name: string;
  /** The leaf's own build list, as `go list -m all` would print it. */
  readonly own: ReadonlyMap<ModulePath, Version>;
  /** The build list with the set's pins applied as extra roots (equal to `own` without pins). */
  readonly pinned: ReadonlyMap<ModulePath, Version>;
  /** Module paths this leaf replaces. */
  readonly replaced: ReadonlySet<ModulePath>;
}

export interface Upgrade {
  readonly from: Version;
  readonly to: Version;
}

export interface SetSelection {
  readonly versions: ReadonlyMap<ModulePath, Version>;
  /** For each leaf, where the set raised its own selection. */
  readonly upgraded: ReadonlyMap<string, ReadonlyMap<ModulePath, Upgrade>>;
  /** For each leaf, the set members in its build list. */
  readonly members: ReadonlyMap<string, readonly ModulePath[]>;
}

export function selectSetVersions(leaves: readonly LeafSelection[]): SetSelection {
  const versions = new Map<ModulePath, Version>();
  for (const leaf of leaves) {
    for (const [path, version] of leaf.pinned) {
      if (leaf.replaced.has(path)) continue;
      const current = versions.get(path);
      if (current === undefined || compare(version, current) > 0) versions.set(path, version);
    }
  }
  const upgraded = new Map<string, Map<ModulePath, Upgrade>>();
  const members = new Map<string, ModulePath[]>();
  for (const leaf of leaves) {
    const raised = new Map<ModulePath, Upgrade>();
    const paths: ModulePath[] = [];
    for (const path of leaf.pinned.keys()) {
      if (leaf.replaced.has(path)) continue;
      paths.push(path);
    }
    for (const [path, from] of leaf.own) {
      const to = versions.get(path);
      if (!leaf.replaced.has(path) && to !== undefined && compare(to, from) > 0) raised.set(path, { from, to });
    }
    upgraded.set(leaf.name, sortByKey(raised));
    members.set(leaf.name, paths.sort(compareStrings));
  }
  return { versions: sortByKey(versions), upgraded, members };
}

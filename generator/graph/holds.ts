/**
 * Holds: a leaf keeps a module at its own version while the set moves on.
 * A held module takes part in the leaf's selection as `go get path@version`
 * would put it there (its go.mod's requirements count), but it never raises
 * the set; the set builds the held version once for every leaf holding it,
 * and the members that import it again against it (ARCHITECTURE.md).
 */
import type { Hold } from "../leaves/leavesfile.js";
import type { PackageIndex } from "../packages/packageindex.js";
import type { ModulePath, Version } from "../types.js";
import { moduleKey } from "../types.js";
import type { LeafSelection } from "./setselect.js";
import type { LeafPackages } from "./packages.js";
import { memberImports, packagesBuiltBySet } from "./packages.js";
import { compareStrings } from "../order.js";

/** A leaf's selection together with the holds it asked for. */
export interface HeldSelection extends LeafSelection {
  /** Holds in effect: each held path at its held version in `own` and `pinned`. */
  readonly holds: ReadonlyMap<ModulePath, Hold>;
  /** Held paths no other leaf's build list has: their held version is the set's, as a pin's would be. */
  readonly alone?: ReadonlySet<ModulePath>;
}

/**
 * Forces each hold's version into a leaf's build lists. A hold naming a module
 * outside the leaf's build list is dropped with a warning.
 */
export function applyHolds(sel: LeafSelection, holds: ReadonlyMap<ModulePath, Hold>, warn: (m: string) => void): HeldSelection {
  const kept = new Map<ModulePath, Hold>();
  for (const [path, hold] of holds) {
    if (!sel.pinned.has(path)) warn(`leaf ${sel.name}: hold of ${path} names a module outside its build list; ignored`);
    else kept.set(path, hold);
  }
  const force = (m: ReadonlyMap<ModulePath, Version>) => new Map([...m].map(([p, v]) => [p, kept.get(p)?.version ?? v] as const));
  return { ...sel, own: force(sel.own), pinned: force(sel.pinned), holds: kept };
}

/**
 * The selections the set's versions are chosen from: a leaf's held modules do
 * not count for it. A held module no other leaf's build list has would then
 * have no set version: its held version stays in the leaf's selection and so
 * becomes the set's (the hold acts as a pin), with a warning saying so.
 */
export function withoutHolds(sels: readonly HeldSelection[], warn: (m: string) => void): HeldSelection[] {
  return sels.map((sel) => {
    const alone = new Set<ModulePath>();
    for (const [path, hold] of sel.holds) {
      const shared = sels.some((other) => other !== sel && !other.holds.has(path) && other.pinned.has(path) && !other.replaced.has(path));
      if (!shared) {
        alone.add(path);
        warn(`leaf ${sel.name}: hold of ${path} at ${hold.version}: no other leaf's build list has ${path}, so the set takes ${hold.version} (the hold acts as a pin)`);
      }
    }
    const drop = (m: ReadonlyMap<ModulePath, Version>) => new Map([...m].filter(([p]) => !sel.holds.has(p) || alone.has(p)));
    return { ...sel, own: drop(sel.own), pinned: drop(sel.pinned), alone };
  });
}

/**
 * The holds a leaf keeps: a hold at the set's own version is dropped with a
 * warning, unless it is what made that version the set's (`alone`).
 */
export function holdsAgainst(sel: HeldSelection, setVersions: ReadonlyMap<ModulePath, Version>, warn: (m: string) => void): Map<ModulePath, Hold> {
  const out = new Map<ModulePath, Hold>();
  for (const [path, hold] of sel.holds) {
    if (setVersions.get(path) === hold.version && !sel.alone?.has(path)) warn(`leaf ${sel.name}: hold of ${path} at ${hold.version} equals the set's version; ignored`);
    else out.set(path, hold);
  }
  return out;
}

/** The holds that need a build of their own: those at another version than the set's. */
export function variantHolds(holds: ReadonlyMap<ModulePath, Hold>, setVersions: ReadonlyMap<ModulePath, Version>): Map<ModulePath, Hold> {
  return new Map([...holds].filter(([path, h]) => setVersions.get(path) !== h.version));
}

export interface HeldBuild {
  /** Package directories of the held version the holding leaves build. */
  readonly packages: string[];
  /** Set members those packages import. */
  readonly imports: ModulePath[];
}

/**
 * For every held module version ("path@version"), the packages its holding
 * leaves build and the members they import: each leaf's import closure
 * followed through the held versions instead of the set's.
 */
export function heldBuilds(
  leaves: readonly { readonly packages: LeafPackages; readonly holds: ReadonlyMap<ModulePath, Hold> }[],
  members: ReadonlyMap<ModulePath, PackageIndex>,
  heldIndexes: ReadonlyMap<string, PackageIndex>,
): Map<string, HeldBuild> {
  const dirs = new Map<string, Set<string>>();
  const views = new Map<string, Map<ModulePath, PackageIndex>>();
  for (const leaf of leaves) {
    if (leaf.holds.size === 0) continue;
    const view = new Map(members);
    for (const [path, hold] of leaf.holds) {
      const index = heldIndexes.get(moduleKey({ path, version: hold.version }));
      if (index !== undefined) view.set(path, index);
    }
    const built = packagesBuiltBySet([leaf.packages], view);
    for (const [path, hold] of leaf.holds) {
      const key = moduleKey({ path, version: hold.version });
      const set = dirs.get(key) ?? new Set<string>();
      for (const d of built.get(path) ?? []) set.add(d);
      dirs.set(key, set);
      views.set(key, view);
    }
  }
  const out = new Map<string, HeldBuild>();
  for (const [key, set] of [...dirs].sort(([a], [b]) => compareStrings(a, b))) {
    const path = key.slice(0, key.lastIndexOf("@"));
    const packages = [...set].sort();
    const view = views.get(key) ?? members;
    out.set(key, { packages, imports: memberImports(new Map([[path, packages]]), view).get(path) ?? [] });
  }
  return out;
}

/**
 * A held module whose build would need itself: it sits in one of the set's
 * cycles, or a member it imports imports it back. Such a hold cannot be one
 * derivation of its own; returns the first offending path, if any.
 */
export function heldCycle(path: ModulePath, heldImports: readonly ModulePath[], imports: ReadonlyMap<ModulePath, readonly ModulePath[]>, inCycle: ReadonlySet<ModulePath>): ModulePath | undefined {
  if (inCycle.has(path)) return path;
  const seen = new Set<ModulePath>();
  const queue = [...heldImports];
  for (let p = queue.pop(); p !== undefined; p = queue.pop()) {
    if (p === path) return p;
    if (seen.has(p)) continue;
    seen.add(p);
    queue.push(...(imports.get(p) ?? []));
  }
  return undefined;
}

/**
 * The generated set as data: what set.lock.yaml records and what the Nix
 * files are rendered from. Everything here is plain, sorted and final.
 */
import type { Cycle } from "./graph/cycles.js";
import type { Upgrade } from "./graph/setselect.js";
import type { LeafPackage } from "./leaves/leavesfile.js";
import type { ModulePath, Version } from "./types.js";

export type Verification = "go.sum" | "sumdb" | "none";

/** A module version with the hashes update-set verified and computed. */
export interface LockedModule {
  readonly path: ModulePath;
  readonly version: Version;
  /** SRI SHA-256 of the NAR of the extracted module tree. */
  readonly hash: string;
  /** go.sum `h1:` of the zip. */
  readonly sum: string;
  /** go.sum `h1:` of the go.mod. */
  readonly goModSum: string;
  readonly verified: Verification;
  /** The go directive of the module's go.mod, when it has one. */
  readonly go?: string;
  /** Sorted set members this module's go.mod requires. */
  readonly requires: readonly ModulePath[];
  /**
   * Sorted set members whose packages the packages in `packages` import: the
   * derivations this module's derivation builds against. Absent for a leaf's
   * replacement, built with the leaf.
   */
  readonly imports?: readonly ModulePath[];
  /**
   * Sorted package directories ("." for the root) the set compiles: those
   * some leaf imports. Absent for a leaf's replacement, built with the leaf.
   */
  readonly packages?: readonly string[];
  readonly cycle?: string;
}

/** A build-list module no leaf takes packages from: only its go.mod took part in selection. */
export interface GoModOnlyModule {
  readonly version: Version;
  readonly goModSum: string;
  readonly verified: Verification;
}

export type LockedReplacement =
  | ({ readonly kind: "module" } & LockedModule)
  | { readonly kind: "dir"; readonly dir: string };

export type LockedLeafSource =
  | { readonly kind: "module"; readonly module: ModulePath; readonly version: Version; readonly hash: string; readonly sum: string; readonly goModSum: string; readonly verified: Verification }
  | { readonly kind: "path"; readonly path: string };

export interface LockedLeaf {
  readonly name: string;
  readonly source: LockedLeafSource;
  /** The path in the leaf's own go.mod module line. */
  readonly modulePath: ModulePath;
  readonly go?: string;
  readonly subPackages: readonly string[];
  /**
   * Sorted module paths of the leaf's build list (replaced ones aside),
   * go.mod-only ones included (set.lock.yaml's `requires` of a leaf).
   */
  readonly buildList: readonly ModulePath[];
  /**
   * Sorted set members the leaf builds against directly: those its own
   * packages import. update-set does not follow imports through a leaf's
   * replacements, so a leaf with replacements builds against every set member
   * of its build list.
   */
  readonly imports: readonly ModulePath[];
  readonly upgraded: ReadonlyMap<ModulePath, Upgrade>;
  /** Modules this leaf replaces, each its own entry outside the shared set. */
  readonly replaces: ReadonlyMap<ModulePath, LockedReplacement>;
  /**
   * Modules this leaf holds at another version than the set's (leaves.yaml
   * `hold`): it builds against `held` entries of the set for them, and
   * against variants of the members that import them.
   */
  readonly holds: ReadonlyMap<ModulePath, LockedHold>;
  /** leaves.yaml's ldflags, tags, env, doCheck and meta of the leaf, as written there. */
  readonly package: LeafPackage;
}

export interface LockedHold {
  readonly version: Version;
  readonly reason?: string;
}

export interface LockedSet {
  /** Digest of the inputs (leaves and pins) the set was generated from. */
  readonly inputs: string;
  readonly modules: ReadonlyMap<ModulePath, LockedModule>;
  /** Build-list modules whose packages no leaf uses: selected, never downloaded or built. */
  readonly goModOnly: ReadonlyMap<ModulePath, GoModOnlyModule>;
  readonly cycles: readonly Cycle[];
  readonly leaves: ReadonlyMap<string, LockedLeaf>;
  /** Held module versions (some leaf's hold), by "path@version", each built once for every leaf holding it. */
  readonly held: ReadonlyMap<string, LockedModule>;
}

/** The nouns of the Go modules reference, shared by every stage. */

/** A module path such as `github.com/spf13/cobra` (never case-escaped). */
export type ModulePath = string;
/** A canonical semantic version with the `v` prefix, e.g. `v1.8.1`. */
export type Version = string;

export interface ModuleVersion {
  readonly path: ModulePath;
  readonly version: Version;
}

export interface Requirement {
  readonly path: ModulePath;
  readonly version: Version;
  readonly indirect: boolean;
}

/** The right-hand side of a replace: another module version, or a directory. */
export type ReplacementTarget =
  | { readonly kind: "module"; readonly path: ModulePath; readonly version: Version }
  | { readonly kind: "dir"; readonly dir: string };

export interface Replacement {
  readonly old: { readonly path: ModulePath; readonly version?: Version };
  readonly new: ReplacementTarget;
}

export interface Retraction {
  readonly low: Version;
  readonly high: Version;
  readonly rationale: string;
}

export interface GoModFile {
  readonly module: { readonly path: ModulePath; readonly deprecated?: string };
  /** The `go` directive, or undefined when missing (Go then assumes 1.16). */
  readonly go?: string;
  readonly toolchain?: string;
  readonly requires: readonly Requirement[];
  readonly excludes: readonly ModuleVersion[];
  readonly replaces: readonly Replacement[];
  readonly retracts: readonly Retraction[];
  readonly godebug: readonly { readonly key: string; readonly value: string }[];
  readonly tools: readonly string[];
}

/** The hashes go.sum records for one module version. */
export interface GoSumEntry {
  /** `h1:` of the module zip, when go.sum has it. */
  readonly sum?: string;
  /** `h1:` of the go.mod file. */
  readonly goModSum?: string;
}

export function moduleKey(m: ModuleVersion): string {
  return `${m.path}@${m.version}`;
}

/** The module version a moduleKey (or a go.sum key, "path@version") names. */
export function parseModuleKey(key: string): ModuleVersion {
  const at = key.lastIndexOf("@");
  return { path: key.slice(0, at), version: key.slice(at + 1) };
}

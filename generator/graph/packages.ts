/**
 * Which packages of each set member the set compiles: the import closure of
 * every leaf's main packages, followed across modules, on the set's
 * platforms. A package outside these lists still builds where it is needed
 * (go compiles it in the dependent's derivation); listing it here only moves
 * the work to the module that owns it.
 */
import type { PackageIndex } from "../packages/packageindex.js";
import { withTags } from "../packages/packageindex.js";
import type { ModulePath } from "../types.js";

export interface LeafPackages {
  readonly modulePath: ModulePath;
  readonly packages: PackageIndex;
  /** Package directories to build, as in leaves.yaml's subPackages ("." , "cmd/x", "./cmd/x", "cmd/..."). */
  readonly subPackages: readonly string[];
  /** Modules the leaf replaces: their packages come from elsewhere, not from the set member. */
  readonly replaced: ReadonlySet<ModulePath>;
  /** The leaf's build tags (leaves.yaml `tags`): they may select more files, so more imports. */
  readonly tags?: readonly string[];
}

/** Set member path -> sorted package directories ("." for the root) some leaf builds. */
export function packagesBuiltBySet(leaves: readonly LeafPackages[], members: ReadonlyMap<ModulePath, PackageIndex>): Map<ModulePath, string[]> {
  const built = new Map<ModulePath, Set<string>>([...members.keys()].map((p) => [p, new Set<string>()]));
  for (const leaf of leaves) {
    for (const { module, dir } of reachedPackages(leaf, leafView(leaf, members))) built.get(module)?.add(dir);
  }
  return new Map([...built].map(([p, dirs]) => [p, [...dirs].sort()]));
}

/** The packages of other modules that the leaf's main packages reach, through imports, each once. */
function* reachedPackages(leaf: LeafPackages, lookup: IndexLookup): Generator<{ module: ModulePath; dir: string }> {
  const seen = new Set<string>();
  const queue: string[] = rootDirs(leaf).map((dir) => joinImport(leaf.modulePath, dir));
  for (let importPath = queue.pop(); importPath !== undefined; importPath = queue.pop()) {
    if (seen.has(importPath)) continue;
    seen.add(importPath);
    const found = resolveImport(importPath, lookup);
    if (found === undefined) continue;
    if (found.module !== leaf.modulePath) yield { module: found.module, dir: found.dir };
    for (const i of found.imports) if (!seen.has(i)) queue.push(i);
  }
}

/** The leaf's subPackages (patterns with "..." aside) that name no package directory of its module, or a package that is not `main`. */
export function badSubPackages(leaf: LeafPackages): { missing: string[]; notMain: string[] } {
  const missing: string[] = [];
  const notMain: string[] = [];
  for (const pattern of leaf.subPackages) {
    const p = patternDir(pattern);
    if (p.endsWith("...")) continue;
    if (!leaf.packages.has(p) && !(leaf.packages.tagged?.has(p) ?? false)) missing.push(pattern);
    else if (!(leaf.packages.commands?.has(p) ?? false)) notMain.push(pattern);
  }
  return { missing, notMain };
}

/** A subPackages entry as a directory of the module: "./cmd/x" -> "cmd/x", "./" -> ".". */
function patternDir(pattern: string): string {
  return pattern.replace(/^\.\//, "") || ".";
}

function rootDirs(leaf: LeafPackages): string[] {
  const dirs = [...leaf.packages.keys()];
  return leaf.subPackages.flatMap((pattern) => {
    const p = patternDir(pattern);
    if (p === "..." || p === "./...") return dirs;
    if (p.endsWith("/...")) {
      const base = p.slice(0, -4);
      return dirs.filter((d) => d === base || d.startsWith(base + "/"));
    }
    return [p];
  });
}

function joinImport(modulePath: ModulePath, dir: string): string {
  return dir === "." ? modulePath : `${modulePath}/${dir}`;
}

/**
 * Set member path -> sorted set members whose packages its listed packages
 * import: the edges of the set's derivation graph. A member derivation builds
 * against set members only, so leaves' replacements play no part here.
 */
export function memberImports(built: ReadonlyMap<ModulePath, readonly string[]>, members: ReadonlyMap<ModulePath, PackageIndex>): Map<ModulePath, ModulePath[]> {
  const lookup = (module: ModulePath) => members.get(module);
  return new Map([...built].map(([path, dirs]) => {
    const index = members.get(path);
    const imports = dirs.flatMap((dir) => index?.get(dir) ?? []);
    return [path, importedModules(imports, lookup, path)];
  }));
}

/**
 * Sorted set members the leaf builds against: those its own packages (the
 * ones its main packages reach) import. A leaf with build tags builds
 * against every member its packages reach: its tags may select files of a
 * member that import modules the member's own derivation never saw.
 */
export function leafImports(leaf: LeafPackages, members: ReadonlyMap<ModulePath, PackageIndex>): ModulePath[] {
  const lookup = leafView(leaf, members);
  if ((leaf.tags ?? []).length > 0) return reachedMembers(leaf, lookup);
  const ownIndex = lookup(leaf.modulePath);
  const own = new Set<string>();
  const imports: string[] = [];
  const queue = rootDirs(leaf);
  for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
    if (own.has(dir)) continue;
    own.add(dir);
    for (const i of ownIndex?.get(dir) ?? []) {
      const found = resolveImport(i, lookup);
      if (found?.module === leaf.modulePath) queue.push(found.dir);
      else imports.push(i);
    }
  }
  return importedModules(imports, lookup, leaf.modulePath);
}

/** Every set member whose packages the leaf's main packages reach. */
function reachedMembers(leaf: LeafPackages, lookup: IndexLookup): ModulePath[] {
  return [...new Set([...reachedPackages(leaf, lookup)].map((p) => p.module))].sort();
}

type IndexLookup = (module: ModulePath) => PackageIndex | undefined;

/** The package indexes a leaf's imports resolve against: its own, and the set members it does not replace. */
function leafView(leaf: LeafPackages, members: ReadonlyMap<ModulePath, PackageIndex>): IndexLookup {
  const tags = leaf.tags ?? [];
  const base: IndexLookup = (module) => (module === leaf.modulePath ? leaf.packages : leaf.replaced.has(module) ? undefined : members.get(module));
  if (tags.length === 0) return base;
  const views = new Map<ModulePath, PackageIndex | undefined>();
  return (module) => {
    if (!views.has(module)) {
      const index = base(module);
      views.set(module, index === undefined ? undefined : withTags(index, tags));
    }
    return views.get(module);
  };
}

function importedModules(imports: readonly string[], lookup: IndexLookup, self: ModulePath): ModulePath[] {
  const modules = new Set<ModulePath>();
  for (const i of new Set(imports)) {
    const found = resolveImport(i, lookup);
    if (found !== undefined && found.module !== self) modules.add(found.module);
  }
  return [...modules].sort();
}

/** The module providing an import path: the longest module path prefix whose tree has that package. */
function resolveImport(importPath: string, lookup: IndexLookup): { module: ModulePath; dir: string; imports: readonly string[] } | undefined {
  const parts = importPath.split("/");
  for (let n = parts.length; n > 0; n--) {
    const module = parts.slice(0, n).join("/");
    const index = lookup(module);
    if (index === undefined) continue;
    const dir = n === parts.length ? "." : parts.slice(n).join("/");
    const imports = index.get(dir);
    if (imports !== undefined) return { module, dir, imports };
  }
  return undefined;
}

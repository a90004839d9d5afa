/**
 * Which packages of each set member the set compiles: the import closure of
 * every leaf's main packages, followed across modules, on the set's
 * platforms. A package outside these lists still builds where it is needed
 * (go compiles it in the dependent's derivation); listing it here only moves
 * the work to the module that owns it.
 */
import type { PackageIndex } from "../packages/packageindex.js";
import type { ModulePath } from "../types.js";

export interface LeafPackages {
  readonly modulePath: ModulePath;
  readonly packages: PackageIndex;
  /** Package directories to build, as in leaves.yaml's subPackages ("." , "cmd/x", "./cmd/x", "cmd/..."). */
  readonly subPackages: readonly string[];
  /** Modules the leaf replaces: their packages come from elsewhere, not from the set member. */
  readonly replaced: ReadonlySet<ModulePath>;
}

/** Set member path -> sorted package directories ("." for the root) some leaf builds. */
export function packagesBuiltBySet(leaves: readonly LeafPackages[], members: ReadonlyMap<ModulePath, PackageIndex>): Map<ModulePath, string[]> {
  const built = new Map<ModulePath, Set<string>>([...members.keys()].map((p) => [p, new Set<string>()]));
  for (const leaf of leaves) {
    const seen = new Set<string>();
    const queue: string[] = rootDirs(leaf).map((dir) => joinImport(leaf.modulePath, dir));
    for (let importPath = queue.pop(); importPath !== undefined; importPath = queue.pop()) {
      if (seen.has(importPath)) continue;
      seen.add(importPath);
      const found = resolveImport(importPath, leaf, members);
      if (found === undefined) continue;
      if (found.module !== leaf.modulePath) built.get(found.module)?.add(found.dir);
      for (const i of found.imports) if (!seen.has(i)) queue.push(i);
    }
  }
  return new Map([...built].map(([p, dirs]) => [p, [...dirs].sort()]));
}

function rootDirs(leaf: LeafPackages): string[] {
  const dirs = [...leaf.packages.keys()];
  return leaf.subPackages.flatMap((pattern) => {
    const p = pattern.replace(/^\.\//, "") || ".";
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

/** The module providing an import path: the longest module path prefix whose tree has that package. */
function resolveImport(importPath: string, leaf: LeafPackages, members: ReadonlyMap<ModulePath, PackageIndex>): { module: ModulePath; dir: string; imports: readonly string[] } | undefined {
  const parts = importPath.split("/");
  for (let n = parts.length; n > 0; n--) {
    const module = parts.slice(0, n).join("/");
    const index = module === leaf.modulePath ? leaf.packages : leaf.replaced.has(module) ? undefined : members.get(module);
    if (index === undefined) continue;
    const dir = n === parts.length ? "." : parts.slice(n).join("/");
    const imports = index.get(dir);
    if (imports !== undefined) return { module, dir, imports };
  }
  return undefined;
}

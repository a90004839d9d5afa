/**
 * A leaf as the selection needs it: its main go.mod and go.sum, where its
 * source comes from, and a go.mod loader that applies the leaf's own
 * replacements and checks every go.mod it reads against the leaf's go.sum.
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { GosetError } from "../errors.js";
import type { ModuleStore } from "../fetch/store.js";
import { forgetIfRejected } from "../fetch/store.js";
import { parseGoMod } from "../gomod/gomodfile.js";
import { parseGoSum } from "../gomod/gosum.js";
import type { GoModLoader } from "../graph/buildlist.js";
import type { LockedLeafSource } from "../model.js";
import { indexDirectory } from "../packages/packageindex.js";
import type { PackageIndex } from "../packages/packageindex.js";
import { hashGoMod } from "../modzip/index.js";
import type { GoModFile, GoSumEntry, ModuleVersion, Replacement, ReplacementTarget } from "../types.js";
import { moduleKey } from "../types.js";
import type { LeafSpec } from "./leavesfile.js";
import { refuseLinksOutside } from "./localtree.js";

export interface LoadedLeaf {
  readonly spec: LeafSpec;
  readonly goMod: GoModFile;
  readonly goSum: ReadonlyMap<string, GoSumEntry>;
  readonly source: LockedLeafSource;
  /** For path leaves: the absolute directory. */
  readonly dir?: string;
  /** The leaf module's own packages. */
  readonly packages: PackageIndex;
}

export async function loadLeaf(spec: LeafSpec, setDir: string, store: ModuleStore): Promise<LoadedLeaf> {
  if (spec.source.kind === "path") {
    const dir = resolve(setDir, spec.source.path);
    const goModFile = join(dir, "go.mod");
    const goModText = await readFile(goModFile, "utf8").catch((cause: unknown) => {
      throw new GosetError("GOSET_LOCAL_PATH", `leaf "${spec.name}": cannot read ${goModFile}`, {
        hint: "a path leaf names a directory (relative to the set directory) holding go.mod and go.sum",
        cause,
      });
    });
    const goSumFile = join(dir, "go.sum");
    const goSumText = await readFile(goSumFile, "utf8").catch(() => "");
    const goMod = parseGoMod(goModText, goModFile, { strict: true });
    checkLocalReplacements(spec, goMod, "path");
    await refuseLinksOutside(spec.name, dir);
    return { spec, goMod, goSum: parseGoSum(goSumText, goSumFile), source: { kind: "path", path: spec.source.path }, dir, packages: await indexDirectory(dir) };
  }
  const m: ModuleVersion = { path: spec.source.module, version: spec.source.version };
  const files = await store.leafFiles(m);
  const label = `${moduleKey(m)}/go.mod`;
  const goMod = parseGoMod(files.goMod ?? `module ${m.path}\n`, label, { strict: true });
  if (goMod.module.path !== m.path) {
    throw new GosetError("GOSET_SELECTION", `leaf "${spec.name}": ${label} declares module ${goMod.module.path}`, {
      hint: "the module line of the leaf's go.mod must match the module path in leaves.yaml",
    });
  }
  checkLocalReplacements(spec, goMod, "module");
  return {
    spec,
    goMod,
    goSum: parseGoSum(files.goSum ?? "", `${moduleKey(m)}/go.sum`),
    source: { kind: "module", module: m.path, version: m.version, hash: files.digest.hash, sum: files.digest.sum, goModSum: await store.goModSum(m), verified: "none" },
    packages: files.digest.packages,
  };
}

function checkLocalReplacements(spec: LeafSpec, goMod: GoModFile, kind: "path" | "module"): void {
  for (const r of goMod.replaces) {
    if (r.new.kind !== "dir") continue;
    const dir = r.new.dir;
    if (kind === "module") {
      throw new GosetError("GOSET_LOCAL_PATH", `leaf "${spec.name}": go.mod replaces ${r.old.path} with the directory ${dir}, which a module zip never contains`, {
        hint: "use a path leaf (a local checkout) for applications whose go.mod replaces modules with directories",
      });
    }
    const rel = relative(".", dir);
    if (isAbsolute(dir) || rel.startsWith("..")) {
      throw new GosetError("GOSET_LOCAL_PATH", `leaf "${spec.name}": go.mod replaces ${r.old.path} with ${dir}, outside the leaf's directory`, {
        hint: "a directory replacement must lie inside the leaf's directory so the Nix build can see it",
      });
    }
  }
}

/** The replacement that applies to a module version: a version-specific one wins over a path-wide one. */
export function findReplacement(replaces: readonly Replacement[], m: ModuleVersion): ReplacementTarget | undefined {
  let wildcard: ReplacementTarget | undefined;
  for (const r of replaces) {
    if (r.old.path !== m.path) continue;
    if (r.old.version === m.version) return r.new;
    if (r.old.version === undefined) wildcard = r.new;
  }
  return wildcard;
}

function checkGoModSum(leaf: LoadedLeaf, m: ModuleVersion, bytes: Uint8Array): void {
  const expected = leaf.goSum.get(moduleKey(m))?.goModSum;
  if (expected === undefined) return;
  const actual = hashGoMod(bytes);
  if (actual !== expected) {
    throw new GosetError("GOSET_CHECKSUM_MISMATCH", `SECURITY ERROR: ${moduleKey(m)}/go.mod has ${actual}, but leaf "${leaf.spec.name}"'s go.sum records ${expected}`, {
      hint: "the proxy served different content than the leaf was built with; do not use this proxy until this is explained",
    });
  }
}

export function leafGoModLoader(leaf: LoadedLeaf, store: ModuleStore): GoModLoader {
  return async (m) => {
    const target = findReplacement(leaf.goMod.replaces, m);
    if (target?.kind === "dir") {
      const file = join(leaf.dir ?? "", target.dir, "go.mod");
      await stat(file).catch((cause: unknown) => {
        throw new GosetError("GOSET_LOCAL_PATH", `leaf "${leaf.spec.name}": replacement directory ${target.dir} has no go.mod`, { hint: "create it or fix the replace directive", cause });
      });
      return parseGoMod(await readFile(file, "utf8"), file, { strict: false });
    }
    const actual = target ?? { path: m.path, version: m.version };
    const bytes = await store.goMod(actual);
    await forgetIfRejected(store, actual, async () => checkGoModSum(leaf, actual, bytes));
    const goMod = parseGoMod(bytes.toString("utf8"), `${moduleKey(actual)}/go.mod`, { strict: false });
    if (goMod.module.path !== m.path && goMod.module.path !== actual.path) {
      throw new GosetError("GOSET_SELECTION", `${moduleKey(actual)}/go.mod declares its path as ${goMod.module.path} but was required as ${m.path}`, {
        hint: target ? `check the replace directive for ${m.path} in leaf "${leaf.spec.name}"` : "the module's go.mod names another path; require it by the path it declares",
      });
    }
    return goMod;
  };
}

/**
 * Section 4, bump: a widely used module raised by a pin (the set regenerated
 * in section 2). What Nix rebuilds (the leaf and module derivations whose
 * .drv path differs between the salted set before and after the bump)
 * against what set.lock.yaml says must change: the changed modules and the
 * members importing them, transitively, a cycle counting once, and the
 * leaves above them; then the time to build the leaf again.
 */
import type { LockedModule, LockedSet } from "../../generator/model.js";
import { rebuildClosure } from "../../generator/render/report.js";
import type { BenchContext } from "./context.js";
import type { Generation } from "./generation.js";
import { drvPathsExpr, evalJson, fetchSources, leafExpr, nixBuild, storeName } from "./nix.js";
import type { SetOutPaths } from "./nix.js";
import type { Regeneration } from "./regeneration.js";
import { logProgress } from "./run.js";
import { formatRatio, formatSeconds, verdict } from "./table.js";
import type { Row } from "./table.js";

export interface ExpectedRebuilds {
  /** Modules whose own entry changed (version, hash, imports, packages, cycle). */
  readonly changed: readonly string[];
  /** The changed modules and every module importing one of them, transitively. */
  readonly modules: readonly string[];
  /** Leaves whose members include one of `modules`. */
  readonly leaves: readonly string[];
}

function entryKey(m: LockedModule | undefined): string {
  return m === undefined ? "" : JSON.stringify([m.version, m.hash, m.imports ?? null, m.packages ?? null, m.cycle ?? ""]);
}

/** What a change from `before` to `after` rebuilds, from the locks alone (the closure the change report counts). */
export function expectedRebuilds(before: LockedSet, after: LockedSet): ExpectedRebuilds {
  const changed = [...after.modules.keys()].filter((p) => entryKey(before.modules.get(p)) !== entryKey(after.modules.get(p)));
  const { modules, leaves } = rebuildClosure(after, changed);
  return { changed, modules: [...modules].sort(), leaves: leaves.sort() };
}

export interface BumpInput {
  readonly ctx: BenchContext;
  readonly gen: Generation;
  readonly regen: Regeneration;
  readonly salt: string;
  readonly coldSeconds: number;
}

export async function measureBump({ ctx, gen, regen, salt, coldSeconds }: BumpInput): Promise<{ rows: Row[]; notes: string[] }> {
  if (!regen.pinned) {
    const row: Row = { measure: `bump of ${ctx.bumpModule}`, goset: "n/a", reference: "no newer version to pin (section 2)", ratio: "n/a", target: "exactly the expected closure", result: "n/a" };
    return { rows: [row], notes: [] };
  }
  const { pin, setDir, lock } = regen.pinned;
  await fetchSources(setDir);
  logProgress(`evaluating the set before and after the bump of ${pin.module}`);
  const [before, afterDrvs] = await Promise.all([evalJson<SetOutPaths>(drvPathsExpr(gen.setDir, salt)), evalJson<SetOutPaths>(drvPathsExpr(setDir, salt))]);
  const all = (d: SetOutPaths) => new Set([...Object.values(d.leaves), ...Object.values(d.modules)]);
  const old = all(before);
  const rebuilt = new Set([...all(afterDrvs)].filter((d) => !old.has(d)));
  const expected = expectedRebuilds(gen.lock, lock);
  const expectedDrvs = new Set([...expected.modules.map((p) => afterDrvs.modules[p]), ...expected.leaves.map((l) => afterDrvs.leaves[l])].filter((d) => d !== undefined));
  const unexpected = [...rebuilt].filter((d) => !expectedDrvs.has(d)).map(storeName);
  const missing = [...expectedDrvs].filter((d) => !rebuilt.has(d)).map(storeName);
  const moduleDrvs = new Set(expected.modules.map((p) => afterDrvs.modules[p])).size;

  logProgress(`nix-build ${ctx.buildLeaf} after the bump`);
  const after = await nixBuild(leafExpr(setDir, salt, ctx.buildLeaf));
  return {
    rows: [
      {
        measure: `derivations rebuilt after bumping ${pin.module} ${pin.from} → ${pin.to} (leaf and module .drv paths that changed)`,
        goset: String(rebuilt.size),
        reference: `expected from set.lock.yaml: ${moduleDrvs} module derivations (${expected.modules.length} modules: ${expected.changed.join(", ")} and the modules importing it, transitively) + ${expected.leaves.length} leaves = ${expectedDrvs.size}`,
        ratio: formatRatio(rebuilt.size, expectedDrvs.size),
        target: "exactly the expected closure",
        result: verdict(unexpected.length === 0 && missing.length === 0),
      },
      {
        measure: `${ctx.buildLeaf} build after the bump (${after.built.length} derivations)`,
        goset: formatSeconds(after.seconds),
        reference: `cold build through the set: ${formatSeconds(coldSeconds)}`,
        ratio: formatRatio(after.seconds, coldSeconds),
        target: "—",
        result: "",
      },
    ],
    notes: [
      `Bump: the pinned set of section 2, same salt; its new sources fetched first (not timed). Rebuilt: ${[...rebuilt].map(storeName).sort().join(", ") || "none"}.` +
        (unexpected.length > 0 ? ` Not expected: ${unexpected.join(", ")}.` : "") +
        (missing.length > 0 ? ` Expected but not rebuilt: ${missing.join(", ")}.` : ""),
    ],
  };
}

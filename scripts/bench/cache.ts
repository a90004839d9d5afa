/**
 * Section 5: cache effectiveness, read from the Nix build logs of a few
 * leaves of the salted set of section 4 (its leaf and up to two more) and
 * of the module derivations under them: the packages each leaf compiled
 * (go build -v and go list -v -export print only what they compile) and gocacheprog's hit counts,
 * per leaf and summed over those module derivations.
 */
import { leafClosure } from "../../generator/render/report.js";
import type { BenchContext } from "./context.js";
import type { Generation } from "./generation.js";
import { addStats, cacheStats, compiledPackages, evalJson, leavesExpr, nixBuild, outPathsExpr, readBuildLog } from "./nix.js";
import type { CacheStats, SetOutPaths } from "./nix.js";
import { logProgress } from "./run.js";
import { formatPercent, verdict } from "./table.js";
import type { Row, Section } from "./table.js";

function describeStats(s: CacheStats): string {
  return `${formatPercent(s.hits, s.gets)} (hits ${s.hits} / gets ${s.gets}; misses ${s.misses}, puts ${s.puts})`;
}

function isInModule(pkg: string, module: string): boolean {
  return pkg === module || pkg.startsWith(`${module}/`);
}

export async function benchCache(ctx: BenchContext, gen: Generation, salt: string): Promise<Section> {
  // The built leaf, then small ones when the set has them.
  const sample = [...new Set([ctx.buildLeaf, "shfmt", "yq", ...gen.lock.leaves.keys()])].filter((n) => gen.lock.leaves.has(n)).slice(0, 3);
  logProgress(`nix-build ${sample.join(", ")} through the salted set`);
  await nixBuild(leavesExpr(gen.setDir, salt, sample));
  logProgress("reading the build logs");
  const outs = await evalJson<SetOutPaths>(outPathsExpr(gen.setDir, salt));
  const rows: Row[] = [];
  for (const name of sample) {
    const out = outs.leaves[name] ?? "";
    const log = await readBuildLog(out);
    const own = gen.lock.leaves.get(name)?.modulePath ?? name;
    const compiled = compiledPackages(log);
    const foreign = compiled.filter((p) => !isInModule(p, own));
    rows.push({
      measure: `${name}: packages the leaf build compiled`,
      goset: `${compiled.length}, ${foreign.length === 0 ? `all in ${own}` : `${foreign.length} outside ${own}: ${foreign.join(", ")}`}`,
      reference: "—",
      ratio: "",
      target: "the leaf's own packages only",
      result: verdict(compiled.length > 0 && foreign.length === 0),
    });
    rows.push({ measure: `${name}: gocacheprog hit rate`, goset: describeStats(cacheStats(log)), reference: "—", ratio: "", target: "—", result: "" });
  }
  const under = new Set(sample.flatMap((n) => {
    const leaf = gen.lock.leaves.get(n);
    return leaf === undefined ? [] : [...leafClosure(gen.lock, leaf)];
  }));
  const moduleOuts = [...new Set(Object.entries(outs.modules).filter(([p]) => under.has(p)).map(([, out]) => out))];
  let total: CacheStats = { gets: 0, hits: 0, misses: 0, puts: 0 };
  let compiled = 0;
  for (const out of moduleOuts) {
    const log = await readBuildLog(out);
    total = addStats(total, cacheStats(log));
    compiled += compiledPackages(log).length;
  }
  rows.push({
    measure: `the ${moduleOuts.length} module derivations under ${sample.join(", ")}: gocacheprog hit rate, summed (${compiled} packages compiled)`,
    goset: describeStats(total),
    reference: "—",
    ratio: "",
    target: "—",
    result: "",
  });
  return {
    title: `5. Cache effectiveness (build logs of ${sample.join(", ")} and their module derivations, salted set of section 4)`,
    rows,
    notes: [
      "Packages compiled: the package lines `go build -v` (leaves) and `go list -v -export` (modules) print in `nix-store --read-log` (go prints only packages it compiles, never cache hits).",
      "Hit rate: the sum of the `gocacheprog: gets=N hits=H misses=M puts=P` lines of each log.",
    ],
  };
}

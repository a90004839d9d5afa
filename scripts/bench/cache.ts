/**
 * Section 5: cache effectiveness, read from the Nix build logs of the
 * salted set built in section 4: the packages each leaf compiled (go build
 * -v prints only what it compiles) and gocacheprog's hit counts, per leaf
 * and summed over every module derivation.
 */
import type { BenchContext } from "./context.js";
import type { Generation } from "./generation.js";
import { addStats, cacheStats, compiledPackages, evalJson, nixBuild, outPathsExpr, readBuildLog, wholeSetExpr } from "./nix.js";
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
  // Already built by section 4; this only makes the section stand alone.
  await nixBuild(wholeSetExpr(gen.setDir, salt));
  logProgress("reading the build logs");
  const outs = await evalJson<SetOutPaths>(outPathsExpr(gen.setDir, salt));
  const rows: Row[] = [];
  for (const [name, out] of Object.entries(outs.leaves)) {
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
  const moduleOuts = [...new Set(Object.values(outs.modules))];
  let total: CacheStats = { gets: 0, hits: 0, misses: 0, puts: 0 };
  let compiled = 0;
  for (const out of moduleOuts) {
    const log = await readBuildLog(out);
    total = addStats(total, cacheStats(log));
    compiled += compiledPackages(log).length;
  }
  rows.push({
    measure: `all ${moduleOuts.length} module derivations: gocacheprog hit rate, summed (${compiled} packages compiled)`,
    goset: describeStats(total),
    reference: "—",
    ratio: "",
    target: "—",
    result: "",
  });
  return {
    title: "5. Cache effectiveness (build logs of the salted set of section 4)",
    rows,
    notes: [
      "Packages compiled: the lines of `go build -v` output in `nix-store --read-log` (go prints only packages it compiles, never cache hits).",
      "Hit rate: the sum of the `gocacheprog: gets=N hits=H misses=M puts=P` lines of each log.",
    ],
  };
}

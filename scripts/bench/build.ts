/**
 * Section 4: one real leaf built through the set with Nix, against a plain
 * `go build -trimpath` of the same leaf.
 *
 * - cold: goStdlib, every module derivation the leaf needs and the leaf,
 *   forced to rebuild by a fresh salt in goEnv (sources stay fetched, as
 *   go's module cache stays warm); go: empty GOCACHE, warm GOMODCACHE;
 * - leaf-only: one line appended to a file of the leaf's main package
 *   (postPatch); go: the same change, fully warm GOCACHE;
 * - a bump of one widely used module (bump.ts).
 */
import { randomBytes } from "node:crypto";
import { appendFile, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { BenchContext } from "./context.js";
import type { Generation } from "./generation.js";
import { measureBump } from "./bump.js";
import { copyLeafSource, packagePatterns } from "./leafsource.js";
import { compiledPackages, derivationOutputs, fetchSources, leafExpr, nixBuild, readBuildLog, storeName } from "./nix.js";
import type { Regeneration } from "./regeneration.js";
import { goEnvironment, logProgress, runCommand, timed } from "./run.js";
import { formatRatio, formatSeconds, verdict } from "./table.js";
import type { Section } from "./table.js";

export interface Build {
  readonly section: Section;
  /** The salt of every Go derivation built here; section 5 reads their logs. */
  readonly salt: string;
}

/** Packages compiled by each derivation built, from their logs, by derivation name. */
async function countCompiled(drvs: readonly string[]): Promise<string> {
  const counts: string[] = [];
  let total = 0;
  for (const out of await derivationOutputs(drvs)) {
    const n = compiledPackages(await readBuildLog(out)).length;
    total += n;
    counts.push(`${storeName(out)} ${n}`);
  }
  return `${total} (${counts.sort().join(", ")})`;
}

/** The first non-test file declaring `package main` in the leaf's first sub-package, relative to the module root. */
async function mainPackageFile(src: string, subPackage: string): Promise<string> {
  const dir = join(src, subPackage);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go")).sort();
  for (const f of files) {
    if (/^package main\b/m.test(await readFile(join(dir, f), "utf8"))) return subPackage === "." ? f : join(subPackage.replace(/^\.\//, ""), f);
  }
  throw new Error(`no file of package main in ${dir}`);
}

export async function benchBuild(ctx: BenchContext, gen: Generation, regen: Regeneration): Promise<Build> {
  const spec = ctx.leaves.leaves.find((l) => l.name === ctx.buildLeaf)!;
  const salt = randomBytes(6).toString("hex");
  const work = join(ctx.work, "build");
  await fetchSources(gen.setDir);

  // Plain go: the leaf's source in a writable directory, its modules downloaded first.
  const goEnv = goEnvironment({ GOMODCACHE: join(work, "modcache"), GOCACHE: join(work, "gocache"), GOFLAGS: "-mod=mod" });
  const src = await copyLeafSource(spec, ctx.leavesDir, join(work, "modcache"), join(work, "src"));
  await runCommand("go", ["mod", "download"], { cwd: src, env: goEnv });
  const goBuild = async () => {
    // Without the binary go must link again, as after any change.
    await rm(join(work, "bin"), { recursive: true, force: true });
    const run = await runCommand("go", ["build", "-v", "-trimpath", "-o", join(work, "bin") + "/", ...packagePatterns(spec.subPackages)], { cwd: src, env: goEnv });
    return compiledPackages(run.stderr).length;
  };
  const changed = await mainPackageFile(src, spec.subPackages[0] ?? ".");
  const change = `echo '// bench' >> '${changed}'`;

  logProgress(`nix-build ${spec.name} through the set, every Go derivation new (salt ${salt})`);
  const cold = await nixBuild(leafExpr(gen.setDir, salt, spec.name));
  logProgress(`go build ${spec.name}, empty GOCACHE`);
  const [goColdSeconds, goColdCompiled] = await timed(goBuild);
  const coldCompiled = await countCompiled(cold.built);
  logProgress(`nix-build ${spec.name}, leaf only, after: ${change}`);
  const leafOnly = await nixBuild(leafExpr(gen.setDir, salt, spec.name, change));
  const leafLog = await readBuildLog(leafOnly.outputs[0]!);
  await appendFile(join(src, changed), "// bench\n");
  logProgress(`go build ${spec.name}, warm GOCACHE, after the same change`);
  const [goWarmSeconds, goWarmCompiled] = await timed(goBuild);

  // The standard library apart: goStdlib is built once per Go toolchain, as go's own std cache is.
  const modulesSalt = randomBytes(6).toString("hex");
  logProgress(`nix-build ${spec.name}, goStdlib kept, every module derivation and the leaf new (salt ${modulesSalt})`);
  const noStd = await nixBuild(leafExpr(gen.setDir, modulesSalt, spec.name, undefined, salt));
  await runCommand("go", ["clean", "-cache"], { cwd: src, env: goEnv });
  await runCommand("go", ["build", "-trimpath", "std"], { cwd: src, env: goEnv });
  logProgress(`go build ${spec.name}, GOCACHE holding the standard library only`);
  const [goNoStdSeconds] = await timed(goBuild);

  const bumpRows = await measureBump({ ctx, gen, regen, salt, coldSeconds: cold.seconds });

  return {
    salt,
    section: {
      title: `4. Building ${spec.name} with Nix through the set, against plain go`,
      rows: [
        {
          measure: `cold build through the set (${cold.built.length} derivations: goStdlib, modules, leaf)`,
          goset: formatSeconds(cold.seconds),
          reference: `go build -trimpath, empty GOCACHE, warm GOMODCACHE: ${formatSeconds(goColdSeconds)}`,
          ratio: formatRatio(cold.seconds, goColdSeconds),
          target: "≤ 1.5x go build",
          result: verdict(cold.seconds <= 1.5 * goColdSeconds),
        },
        {
          measure: `cold build through the set with goStdlib already built (${noStd.built.length} derivations: modules, leaf)`,
          goset: formatSeconds(noStd.seconds),
          reference: `go build -trimpath, GOCACHE holding only the standard library (\`go build std\`): ${formatSeconds(goNoStdSeconds)}`,
          ratio: formatRatio(noStd.seconds, goNoStdSeconds),
          target: "≤ 1.5x go build",
          result: verdict(noStd.seconds <= 1.5 * goNoStdSeconds),
        },
        {
          measure: `leaf-only rebuild after a one-file change (${changed}; ${leafOnly.built.length} derivation, ${compiledPackages(leafLog).length} packages compiled)`,
          goset: formatSeconds(leafOnly.seconds),
          reference: `go build -trimpath, fully warm GOCACHE, same change: ${formatSeconds(goWarmSeconds)}`,
          ratio: formatRatio(leafOnly.seconds, goWarmSeconds),
          target: "≤ 1.2x go build",
          result: verdict(leafOnly.seconds <= 1.2 * goWarmSeconds),
        },
        ...bumpRows.rows,
      ],
      notes: [
        `Packages compiled (\`go build -v\` and \`go list -v -export\` lines): cold through the set ${coldCompiled}; plain go cold ${goColdCompiled}, after the change ${goWarmCompiled}.`,
        "Sources (every module and leaf `src`) and goset's build tools are fetched/built first and not timed; plain go's GOMODCACHE is filled first likewise.",
        `Cold: every Go derivation (goStdlib, modules, leaf) is made new by a salt in goEnv (\`goPackages.overrideScope\`), NIX_CONFIG from scripts/nix.conf (sandbox on, no substituters, max-jobs = auto), single-user; go: \`go build -trimpath -o bin/ ${packagePatterns(spec.subPackages).join(" ")}\` with GOFLAGS=-mod=mod.`,
        `Leaf-only: \`overrideAttrs (o: { postPatch = (o.postPatch or "") + "${change}"; })\`; go: the same line appended, the binary deleted, so go compiles that package and links again.`,
        ...bumpRows.notes,
      ],
    },
  };
}

/**
 * `npm run bench:set`: the full cold build of a whole set with Nix against
 * the sum of plain `go build -trimpath` builds of its leaves.
 *
 *   npm run bench:set -- [--set DIR]   (default: the bundled set/)
 *
 * Nix: goStdlib, every module and cycle derivation and every leaf, each made
 * new by a fresh salt in goEnv, in one nix-build (max-jobs = auto). Go: each
 * leaf with its own empty GOCACHE and a warm GOMODCACHE (`go mod download`
 * first, not timed), as buildGoModule builds every leaf from scratch.
 * Sources (fetchGoModule outputs) are fetched first and not timed.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseLeavesFile } from "../../generator/leaves/leavesfile.js";
import { copyLeafSource, packagePatterns } from "./leafsource.js";
import { fetchSources, nixBuild, wholeSetExpr } from "./nix.js";
import { goEnvironment, logProgress, makeTempDir, REPO, removeTree, runCommand } from "./run.js";
import { formatRatio, formatSeconds, renderSection } from "./table.js";
import type { Row } from "./table.js";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { set: { type: "string", default: join(REPO, "set") } } });
  const setDir = resolve(values.set);
  const leavesYaml = join(setDir, "leaves.yaml");
  const leaves = parseLeavesFile(await readFile(leavesYaml, "utf8"), leavesYaml).leaves;
  const work = await makeTempDir("goset-bench-set-");
  try {
    await fetchSources(setDir);
    const salt = randomBytes(6).toString("hex");
    logProgress(`nix-build every leaf and module of ${setDir}, every Go derivation new (salt ${salt})`);
    const nix = await nixBuild(wholeSetExpr(setDir, salt));
    logProgress(`nix-build: ${nix.built.length} derivations in ${formatSeconds(nix.seconds)}`);

    const rows: Row[] = [];
    let goTotal = 0;
    for (const leaf of leaves) {
      const dir = join(work, leaf.name);
      const env = goEnvironment({ GOMODCACHE: join(work, "modcache"), GOCACHE: join(dir, "gocache"), GOFLAGS: "-mod=mod" });
      const src = await copyLeafSource(leaf, setDir, join(work, "modcache"), join(dir, "src"));
      await runCommand("go", ["mod", "download"], { cwd: src, env });
      logProgress(`go build ${leaf.name}, empty GOCACHE`);
      const run = await runCommand("go", ["build", "-trimpath", "-o", join(dir, "bin") + "/", ...packagePatterns(leaf.subPackages)], { cwd: src, env });
      logProgress(`go build ${leaf.name}: ${formatSeconds(run.seconds)}`);
      goTotal += run.seconds;
      rows.push({ measure: `go build ${leaf.name}`, goset: "", reference: formatSeconds(run.seconds), ratio: "", target: "", result: "" });
      await removeTree(join(dir, "gocache"));
    }
    rows.unshift({
      measure: `full cold build of the set (${nix.built.length} derivations: goStdlib, modules and cycles, ${leaves.length} leaves)`,
      goset: formatSeconds(nix.seconds),
      reference: `sum of ${leaves.length} plain go builds: ${formatSeconds(goTotal)}`,
      ratio: formatRatio(nix.seconds, goTotal),
      target: "",
      result: "",
    });
    process.stdout.write(
      renderSection({
        title: `Full cold build of ${setDir}`,
        rows,
        notes: ["Nix: one nix-build of every leaf and module, NIX_CONFIG from scripts/nix.conf (sandbox on, no substituters, max-jobs = auto). Go: `go build -trimpath` per leaf, GOFLAGS=-mod=mod, its own empty GOCACHE."],
      }) + "\n",
    );
  } finally {
    await removeTree(work);
  }
}

await main();

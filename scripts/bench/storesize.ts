/**
 * `npm run bench:store`: the Nix store the set takes against per-application
 * vendor trees. For the set: the NAR size of every member's fetched source
 * (each module once, shared by every leaf) and of every member's compiled
 * output (its build cache). For buildGoModule: each leaf's `go mod vendor`
 * tree (the fixed-output `goModules` each application carries), summed.
 * The set's derivations must be built (or built now) for their sizes.
 *
 *   npm run bench:store -- [--set DIR]
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseLeavesFile } from "../../generator/leaves/leavesfile.js";
import { parseLock } from "../../generator/render/lock.js";
import { copyLeafSource } from "./leafsource.js";
import { nixBuild } from "./nix.js";
import { goEnvironment, logProgress, makeTempDir, readGoEnv, REPO, removeTree, runCommand } from "./run.js";

/** Sum of the NAR sizes of store paths (`nix path-info -s`, the paths themselves, not their closures). */
async function narSizes(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < paths.length; i += 500) {
    const res = await runCommand("nix", ["--extra-experimental-features", "nix-command", "path-info", "-s", ...paths.slice(i, i + 500)]);
    for (const line of res.stdout.trim().split("\n")) total += Number(line.trim().split(/\s+/).pop());
  }
  return total;
}

/** Output paths of `attrs` of the set, built if needed (one nix-build, with the benchmarks' Nix settings). */
async function buildOutputs(setDir: string, attrs: readonly string[]): Promise<string[]> {
  return [...(await nixBuild(`let g = import ${REPO} { set = ${setDir}; }; in [ ${attrs.map((a) => `(${a})`).join(" ")} ]`)).outputs];
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { set: { type: "string", default: join(REPO, "set") } } });
  const setDir = resolve(values.set);
  const lock = parseLock(await readFile(join(setDir, "set.lock.yaml"), "utf8"));
  if (lock === undefined) throw new Error(`cannot read ${setDir}/set.lock.yaml`);
  const leavesYaml = join(setDir, "leaves.yaml");
  const leaves = parseLeavesFile(await readFile(leavesYaml, "utf8"), leavesYaml).leaves;

  const members = [...lock.modules.keys()];
  const quoted = members.map((p) => `g.goPackages.${JSON.stringify(p)}`);
  logProgress(`store: sources and build outputs of ${members.length} members`);
  const sources = [...new Set(await buildOutputs(setDir, quoted.map((q) => `${q}.src`)))];
  const outputs = [...new Set(await buildOutputs(setDir, quoted))];
  const sourceBytes = await narSizes(sources);
  const outputBytes = await narSizes(outputs);

  const work = await makeTempDir("goset-bench-store-");
  const modCache = await readGoEnv("GOMODCACHE");
  let vendorBytes = 0;
  const perLeaf: string[] = [];
  try {
    for (const leaf of leaves) {
      const dir = join(work, leaf.name);
      await copyLeafSource(leaf, setDir, modCache, dir);
      logProgress(`store: go mod vendor in ${leaf.name}`);
      await runCommand("go", ["mod", "vendor"], { cwd: dir, env: goEnvironment({ GOWORK: "off", GOFLAGS: "-mod=mod", GOMODCACHE: modCache }) });
      const du = await runCommand("du", ["-sb", join(dir, "vendor")]);
      const bytes = Number(du.stdout.split(/\s+/)[0]);
      vendorBytes += bytes;
      perLeaf.push(`${leaf.name} ${megabytes(bytes)}`);
    }
  } finally {
    await removeTree(work);
  }
  process.stdout.write(
    [
      "| what | size |",
      "|---|---|",
      `| the set's module sources (${sources.length} fetched modules, each once) | ${megabytes(sourceBytes)} |`,
      `| the set's compiled module outputs (${outputs.length} derivations: build caches) | ${megabytes(outputBytes)} |`,
      `| per-application vendor trees (\`go mod vendor\` of each of ${leaves.length} leaves, summed) | ${megabytes(vendorBytes)} |`,
      "",
      `Vendor trees per leaf: ${perLeaf.join(", ")}.`,
      "",
    ].join("\n"),
  );
}

await main();

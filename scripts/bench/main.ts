/**
 * `npm run bench`: update-set and the Nix builds against their references,
 * one Markdown table per section on stdout (progress on stderr).
 *
 *   npm run bench -- [--leaves FILE] [--leaf NAME] [--bump MODULE] [--no-nix] [--keep]
 *
 * --leaves   the leaf list (default set/leaves.yaml, read at run time)
 * --leaf     the leaf section 4 builds (default fzf, else the first leaf)
 * --bump     the widely used module raised by a pin (default golang.org/x/sys)
 * --no-nix   sections 1 to 3 only (generation)
 * --keep     keep the scratch directory
 */
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchBuild } from "./build.js";
import { benchCache } from "./cache.js";
import { createContext } from "./context.js";
import { benchGeneration } from "./generation.js";
import { benchRegeneration } from "./regeneration.js";
import { logProgress, makeTempDir, readGoEnv, REPO, removeTree, runCommand, snapshotCode } from "./run.js";
import { renderSection, renderTargets } from "./table.js";
import type { Section } from "./table.js";

async function describeMachine(): Promise<string> {
  const nix = await runCommand("nix", ["--version"], { allowFailure: true });
  const go = await runCommand("go", ["version"], { allowFailure: true });
  return `Machine: ${cpus().length} cores, ${go.stdout.trim()}, Node ${process.version}, ${nix.stdout.trim() || "no nix"}, GOPROXY=${await readGoEnv("GOPROXY")}; ${new Date().toISOString().slice(0, 10)}; ${describeLoad()} at the start.`;
}

function describeLoad(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      leaves: { type: "string", default: join(REPO, "set", "leaves.yaml") },
      leaf: { type: "string" },
      bump: { type: "string", default: "golang.org/x/sys" },
      "no-nix": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
    },
  });
  const t0 = process.hrtime.bigint();
  const work = await makeTempDir("goset-bench-");
  const sections: Section[] = [];
  const print = (s: Section) => {
    sections.push(s);
    process.stdout.write(renderSection(s) + "\n");
  };
  try {
    await snapshotCode(join(work, "code"));
    const ctx = await createContext({ work, leavesYaml: values.leaves, leaf: values.leaf, bump: values.bump });
    process.stdout.write(`${await describeMachine()} Leaves: ${ctx.leaves.leaves.map((l) => l.name).join(", ")}.\n\n`);
    const gen = await benchGeneration(ctx);
    print(gen.sections[0]!);
    const regen = await benchRegeneration(ctx, gen);
    print(regen.section);
    print(gen.sections[1]!);
    if (!values["no-nix"]) {
      const build = await benchBuild(ctx, gen, regen);
      print(build.section);
      print(await benchCache(ctx, gen, build.salt));
    }
    process.stdout.write(renderTargets(sections) + "\n");
  } finally {
    if (values.keep) logProgress(`scratch directory kept: ${work}`);
    else await removeTree(work);
    const minutes = Number(process.hrtime.bigint() - t0) / 6e10;
    process.stdout.write(`Total bench time: ${minutes.toFixed(1)} min; ${describeLoad()} at the end.\n`);
  }
}

await main();

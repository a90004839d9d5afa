/** What every section of the benchmark shares: its inputs and its scratch directory. */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseLeavesFile } from "../../generator/leaves/leavesfile.js";
import type { LeavesFile } from "../../generator/leaves/leavesfile.js";

export interface BenchContext {
  /** Scratch directory of this run, removed at the end. */
  readonly work: string;
  readonly leavesYaml: string;
  /** Path leaves are relative to this directory. */
  readonly leavesDir: string;
  readonly leavesText: string;
  readonly leaves: LeavesFile;
  /** The leaf the build section builds. */
  readonly buildLeaf: string;
  /** The widely used module the regeneration and bump measures raise. */
  readonly bumpModule: string;
}

export async function createContext(options: { work: string; leavesYaml: string; leaf?: string | undefined; bump: string }): Promise<BenchContext> {
  const leavesYaml = resolve(options.leavesYaml);
  const leavesText = await readFile(leavesYaml, "utf8");
  const leaves = parseLeavesFile(leavesText, leavesYaml);
  const names = leaves.leaves.map((l) => l.name);
  const buildLeaf = options.leaf ?? (names.includes("fzf") ? "fzf" : names[0]!);
  if (!names.includes(buildLeaf)) throw new Error(`--leaf ${buildLeaf}: not a leaf of ${leavesYaml} (${names.join(", ")})`);
  return { work: options.work, leavesYaml, leavesDir: dirname(leavesYaml), leavesText, leaves, buildLeaf, bumpModule: options.bump };
}

/**
 * `npm run bench:scale`: how update-set's cost grows with the set. Cold
 * regeneration (empty content cache, no previous lock) of nested subsets of
 * the bundled leaves: the first N leaves of leaves.yaml, for each N. One
 * Markdown table on stdout: leaves, members, zips fetched, wall time, CPU
 * time, peak RSS, and the growth per member from the previous row.
 *
 *   npm run bench:scale -- [--leaves FILE] [--sizes 8,16,35] [--keep]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isMap, parseDocument } from "yaml";
import type { YAMLMap } from "yaml";
import { logProgress, makeTempDir, REPO, removeTree, runCommand } from "./run.js";

interface ScaleRow {
  readonly leaves: number;
  readonly members: number;
  readonly zips: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly maxRssKiB: number;
}

/** leaves.yaml with only its first `n` leaves (pins kept, comments dropped). */
function firstLeaves(text: string, n: number): string {
  const doc = parseDocument(text);
  const leaves = doc.get("leaves", true);
  if (!isMap(leaves)) throw new Error("leaves.yaml has no `leaves` mapping");
  leaves.items.splice(n);
  return doc.toString();
}

/** One cold run of update-set under /usr/bin/time: wall, user+system CPU and peak RSS. */
async function coldRun(leavesYaml: string, scratch: string, n: number): Promise<ScaleRow> {
  const setDir = join(scratch, `set-${n}`);
  const cacheDir = join(scratch, `cache-${n}`);
  await mkdir(setDir, { recursive: true });
  await writeFile(join(setDir, "leaves.yaml"), leavesYaml);
  const timeFile = join(scratch, `time-${n}`);
  const res = await runCommand(
    "/usr/bin/time",
    ["-f", "%e %U %S %M", "-o", timeFile, join(REPO, "bin", "update-set.js"), "--set", setDir, "--json"],
    { env: { ...process.env, XDG_CACHE_HOME: cacheDir }, allowFailure: true },
  );
  const summary = JSON.parse(res.stdout) as { ok: boolean; modules: number; zipDownloads: number; error?: { message: string } };
  if (!summary.ok) throw new Error(`update-set on ${n} leaves failed: ${summary.error?.message ?? res.stderr.slice(-2000)}`);
  const [wall, user, sys, rss] = (await readFile(timeFile, "utf8")).trim().split("\n").pop()!.split(" ").map(Number);
  return { leaves: n, members: summary.modules, zips: summary.zipDownloads, wallSeconds: wall!, cpuSeconds: user! + sys!, maxRssKiB: rss! };
}

function renderTable(rows: readonly ScaleRow[]): string {
  const lines = [
    "| leaves | members | zips fetched | wall | CPU (user+sys) | peak RSS | RSS per added member | wall per added member |",
    "|---|---|---|---|---|---|---|---|",
  ];
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    const added = prev === undefined ? r.members : r.members - prev.members;
    const rssGrowth = prev === undefined ? "" : `${(((r.maxRssKiB - prev.maxRssKiB) / added)).toFixed(0)} KiB`;
    const wallGrowth = prev === undefined ? "" : `${(((r.wallSeconds - prev.wallSeconds) * 1000) / added).toFixed(0)} ms`;
    lines.push(
      `| ${r.leaves} | ${r.members} | ${r.zips} | ${r.wallSeconds.toFixed(1)} s | ${r.cpuSeconds.toFixed(1)} s | ${(r.maxRssKiB / 1024).toFixed(0)} MB | ${rssGrowth} | ${wallGrowth} |`,
    );
  });
  return lines.join("\n") + "\n";
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      leaves: { type: "string", default: join(REPO, "set", "leaves.yaml") },
      sizes: { type: "string" },
      keep: { type: "boolean", default: false },
    },
  });
  const text = await readFile(values.leaves, "utf8");
  const total = (parseDocument(text).get("leaves") as YAMLMap).items.length;
  const sizes = (values.sizes ?? `8,16,${total}`).split(",").map(Number).filter((n) => n > 0 && n <= total);
  const scratch = await makeTempDir("goset-bench-scale-");
  try {
    const rows: ScaleRow[] = [];
    for (const n of sizes) {
      logProgress(`bench:scale: cold regeneration of the first ${n} of ${total} leaves`);
      rows.push(await coldRun(firstLeaves(text, n), scratch, n));
    }
    process.stdout.write(renderTable(rows));
  } finally {
    if (values.keep) logProgress(`bench:scale: kept ${scratch}`);
    else await removeTree(scratch);
  }
}

await main();

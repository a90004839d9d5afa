/**
 * `goset impact MODULE@VERSION`: what regenerating with that pin would
 * change, without building and without touching the set: the set is
 * regenerated in a scratch copy with the pin added to leaves.yaml, and the
 * two locks are compared as the change report compares them (so the numbers
 * are the report's after the pin is applied), plus the audit findings the
 * change fixes or introduces when a database is given.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readLockedSet } from "./audit.js";
import { setPin } from "./leaves/latest.js";
import type { LockedSet } from "./model.js";
import type { ChangeReport } from "./render/report.js";
import { diffSets, renderReport } from "./render/report.js";
import type { ModulePath, Version } from "./types.js";
import { withScratchSet } from "./write/scratch.js";

export interface ImpactResult {
  readonly pin: { readonly path: ModulePath; readonly version: Version };
  readonly report: ChangeReport;
  /** The change report in Markdown, as `goset update --report` writes it. */
  readonly markdown: string;
  readonly before: LockedSet;
  readonly after: LockedSet;
}

export async function impactOfPin(setDir: string, path: ModulePath, version: Version, regenerate: (dir: string) => Promise<void>): Promise<ImpactResult> {
  const dir = resolve(setDir);
  const before = await readLockedSet(dir);
  const after = await withScratchSet(dir, "impact", async (scratch) => {
    const leavesFile = join(scratch, "leaves.yaml");
    await writeFile(leavesFile, setPin(await readFile(leavesFile, "utf8"), path, version));
    await regenerate(scratch);
    return readLockedSet(scratch);
  });
  const report = diffSets(before, after);
  return { pin: { path, version }, report, markdown: renderReport(report, after), before, after };
}

/**
 * Sections 1 and 3: cold generation of the set by update-set, against
 * `go mod download` of the same modules (the floor: what must be fetched,
 * extracted and hashed) and against gomod2nix; update-set's peak memory.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { parseLock } from "../../generator/render/lock.js";
import type { LockedSet } from "../../generator/model.js";
import type { BenchContext } from "./context.js";
import { benchGomod2nix, GOMOD2NIX_VERSION } from "./gomod2nix.js";
import type { Gomod2nixFigures } from "./gomod2nix.js";
import { codeDir, goEnvironment, logProgress, measureCommand, parseJsonStream } from "./run.js";
import { formatMegabytes, formatRatio, formatSeconds, verdict } from "./table.js";
import type { Row, Section } from "./table.js";

/** What `update-set --json` prints. */
export interface UpdateSummary {
  readonly ok: boolean;
  readonly upToDate: boolean;
  readonly modules: number;
  readonly leaves: number;
  readonly written?: readonly string[];
  readonly zipDownloads: number;
  readonly goModFetches: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface UpdateRun {
  readonly seconds: number;
  readonly maxRssKiB: number | undefined;
  readonly summary: UpdateSummary;
}

export interface Generation {
  readonly sections: readonly Section[];
  readonly setDir: string;
  /** XDG_CACHE_HOME of the cold run: the content cache later runs reuse. */
  readonly cacheDir: string;
  readonly lock: LockedSet;
  readonly cold: UpdateRun;
}

/**
 * Runs update-set --json on a set directory; `prefix` wraps the command
 * (unshare -n for no network). A failed run throws unless `allowFailure`.
 */
export async function runUpdateSet(
  setDir: string,
  cacheDir: string,
  options: { env?: NodeJS.ProcessEnv; prefix?: readonly string[]; allowFailure?: boolean } = {},
): Promise<UpdateRun> {
  const command = [...(options.prefix ?? []), join(codeDir(), "bin", "update-set.js"), "--set", setDir, "--json"];
  const run = await measureCommand(command[0]!, command.slice(1), {
    env: { ...process.env, XDG_CACHE_HOME: cacheDir, ...options.env },
    allowFailure: true,
  });
  let summary: UpdateSummary;
  try {
    summary = JSON.parse(run.stdout) as UpdateSummary;
  } catch {
    summary = { ok: false, upToDate: false, modules: 0, leaves: 0, zipDownloads: 0, goModFetches: 0, error: { code: `exit ${run.code}`, message: run.stderr.trim() } };
  }
  if ((run.code !== 0 || !summary.ok) && !options.allowFailure) throw new Error(`update-set --set ${setDir} failed: ${describeFailure(summary)}`);
  return { seconds: run.seconds, maxRssKiB: run.maxRssKiB, summary };
}

export function describeFailure(s: UpdateSummary): string {
  return s.error ? `${s.error.code}: ${s.error.message}` : "no error reported";
}

/** A set directory holding the bundled leaves.yaml (path leaves made absolute) and overrides.nix. */
async function prepareSetDir(ctx: BenchContext, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const pathLeaves = ctx.leaves.leaves.filter((l) => l.source.kind === "path");
  let text = ctx.leavesText;
  if (pathLeaves.length > 0) {
    const doc = parseDocument(text);
    for (const l of pathLeaves) if (l.source.kind === "path") doc.setIn(["leaves", l.name, "path"], resolve(ctx.leavesDir, l.source.path));
    text = doc.toString();
  }
  await writeFile(join(dir, "leaves.yaml"), text);
  await copyFile(join(ctx.leavesDir, "overrides.nix"), join(dir, "overrides.nix")).catch(() => undefined);
}

/** module@version of everything update-set downloaded a zip for: members, module leaves, module replacements. */
export function downloadedModules(lock: LockedSet): string[] {
  const list = [...lock.modules.values()].map((m) => `${m.path}@${m.version}`);
  for (const leaf of lock.leaves.values()) {
    if (leaf.source.kind === "module") list.push(`${leaf.source.module}@${leaf.source.version}`);
    for (const r of leaf.replaces.values()) if (r.kind === "module") list.push(`${r.path}@${r.version}`);
  }
  return [...new Set(list)].sort();
}

async function downloadFloor(modules: readonly string[], work: string) {
  await mkdir(join(work, "cwd"), { recursive: true });
  // No checksum database: the floor only fetches and extracts.
  const run = await measureCommand("go", ["mod", "download", "-json", ...modules], {
    cwd: join(work, "cwd"),
    env: goEnvironment({ GOMODCACHE: join(work, "modcache"), GOSUMDB: "off" }),
  });
  const failed = parseJsonStream<{ Path: string; Version: string; Error?: string }>(run.stdout).filter((d) => d.Error);
  if (failed.length > 0) throw new Error(`go mod download: ${failed.map((d) => `${d.Path}@${d.Version}: ${d.Error}`).join("; ")}`);
  return run;
}

function gomod2nixRow(cold: UpdateRun, g: Gomod2nixFigures, leaves: number): Row {
  const measure = `update-set, cold, against gomod2nix ${GOMOD2NIX_VERSION}`;
  if (!g.ok) return { measure, goset: formatSeconds(cold.seconds), reference: `n/a: ${g.reason}`, ratio: "n/a", target: "≤ 0.50x gomod2nix", result: "n/a" };
  const total = g.leaves.reduce((s, l) => s + l.seconds, 0);
  const parts = g.leaves.map((l) => `${l.leaf} ${formatSeconds(l.seconds)}`).join(" + ");
  return {
    measure,
    goset: formatSeconds(cold.seconds),
    reference: `gomod2nix generate, sum over ${leaves} leaves: ${formatSeconds(total)} (${parts})`,
    ratio: formatRatio(cold.seconds, total),
    target: "≤ 0.50x gomod2nix",
    result: verdict(cold.seconds <= total / 2),
  };
}

export async function benchGeneration(ctx: BenchContext): Promise<Generation> {
  const setDir = join(ctx.work, "set");
  const cacheDir = join(ctx.work, "xdg-cache");
  await prepareSetDir(ctx, setDir);
  logProgress("update-set, cold");
  const cold = await runUpdateSet(setDir, cacheDir);
  const lock = parseLock(await readFile(join(setDir, "set.lock.yaml"), "utf8"));
  if (!lock) throw new Error(`cannot read ${setDir}/set.lock.yaml`);

  const modules = downloadedModules(lock);
  logProgress(`go mod download of ${modules.length} modules, empty GOMODCACHE`);
  const floor = await downloadFloor(modules, join(ctx.work, "floor"));
  const g = await benchGomod2nix(ctx.leaves.leaves, ctx.leavesDir, join(ctx.work, "gomod2nix"));

  const s = cold.summary;
  const generation: Section = {
    title: "1. Cold generation of the bundled set",
    rows: [
      {
        measure: `update-set, cold (${s.leaves} leaves, ${s.modules} modules; ${s.zipDownloads} zips, ${s.goModFetches} go.mod files fetched)`,
        goset: formatSeconds(cold.seconds),
        reference: `go mod download of the same ${modules.length} modules, empty GOMODCACHE: ${formatSeconds(floor.seconds)}`,
        ratio: formatRatio(cold.seconds, floor.seconds),
        target: "≤ 1.00x go mod download",
        result: verdict(cold.seconds <= floor.seconds),
      },
      gomod2nixRow(cold, g, ctx.leaves.leaves.length),
    ],
    notes: [
      "update-set: `bin/update-set.js --set <tmp> --json` (run as an executable, so its shebang's Node flags apply), empty XDG_CACHE_HOME, no previous lock.",
      "go mod download: one `go mod download -json m@v…` of the lock's members, the module leaves and module replacements, outside any module, GOSUMDB=off (fetch and extract only, nothing verified).",
      g.ok
        ? `gomod2nix: ${g.installNote}; \`gomod2nix generate\` in a writable copy of each leaf's source (fetched beforehand, not timed), one GOMODCACHE empty before the first leaf and shared by the next ones; it runs \`go mod download --json\` there and hashes each module in-process: ${g.leaves.map((l) => `${l.leaf} ${l.modules} modules, ${l.zips} zips fetched`).join("; ")}.`
        : `gomod2nix: n/a (${g.reason}).`,
    ],
  };
  const memory: Section = {
    title: "3. Peak memory",
    rows: [
      {
        measure: "update-set, cold, max RSS",
        goset: formatMegabytes(cold.maxRssKiB),
        reference: `go mod download of the same modules: ${formatMegabytes(floor.maxRssKiB)}`,
        ratio: cold.maxRssKiB && floor.maxRssKiB ? formatRatio(cold.maxRssKiB, floor.maxRssKiB) : "n/a",
        target: "< 300 MB",
        result: cold.maxRssKiB === undefined ? "n/a" : verdict(cold.maxRssKiB * 1024 < 300e6),
      },
    ],
    notes: ["`/usr/bin/time -f %M` (maximum resident set size), the cold run of section 1; 1 MB = 10^6 bytes."],
  };
  return { sections: [generation, memory], setDir, cacheDir, lock, cold };
}

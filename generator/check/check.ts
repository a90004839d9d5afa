/**
 * `goset check`: build the set's leaves with Nix and smoke-check them; with
 * `fix`, find for each failing leaf the modules whose newer versions broke it
 * (bisection over trial regenerations in a scratch copy of the set) and hold
 * them in leaves.yaml, or keep the leaf at its previous release when no hold
 * helps; with `pruneHolds`, drop holds the leaves no longer need.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GosetError } from "../errors.js";
import { withScratchSet } from "../write/scratch.js";
import { dropHold, setHold, setLeafVersion } from "../leaves/latest.js";
import { parseLeavesFile } from "../leaves/leavesfile.js";
import type { LeafSpec } from "../leaves/leavesfile.js";
import type { LockedSet } from "../model.js";
import { LOCK_FILE, parseLock } from "../render/lock.js";
import { diffSets, rebuildClosure } from "../render/report.js";
import type { ModulePath, Version } from "../types.js";
import { bisectHolds } from "./bisect.js";
import { buildLeaf, smokeCheck } from "./build.js";
import type { LeafBuild, SmokeResult } from "./build.js";
import { compareStrings } from "../order.js";

export type LeafStatus = "ok" | "held" | "failed" | "kept-back";

export interface HoldFound {
  readonly path: ModulePath;
  /** The version the set has, which broke the leaf. */
  readonly from: Version;
  /** The version held. */
  readonly version: Version;
  readonly reason: string;
}

export interface LeafCheck {
  readonly name: string;
  readonly status: LeafStatus;
  readonly smoke?: string;
  /** What the smoke check printed: the line with the expected text, else the first. */
  readonly smokeOutput?: string;
  readonly failedDrv?: string;
  readonly logTail?: string;
  /** Why it failed (Go's first errors, or the smoke check's output). */
  readonly reason?: string;
  readonly holdsAdded: readonly HoldFound[];
  readonly holdsPruned: readonly ModulePath[];
  readonly holdsKept: readonly ModulePath[];
  /** Builds the bisection ran for this leaf. */
  readonly bisectBuilds?: number;
  readonly keptBack?: { readonly from: Version; readonly to: Version };
}

export interface CheckOptions {
  readonly setDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly fix: boolean;
  readonly pruneHolds: boolean;
  /** Only the leaves the last regeneration changed (against `previousLock`). */
  readonly changed: boolean;
  /** Only these leaves (by name); with `changed`, those of them that changed. */
  readonly only?: readonly string[];
  /** The lock of the last state where the leaves built (for --changed, --fix). */
  readonly previousLock?: string;
  readonly maxJobs?: number;
  /** Regenerates a set directory (update-set). */
  readonly update: (setDir: string) => Promise<void>;
  readonly onProgress?: (message: string) => void;
}

export interface CheckResult {
  readonly leaves: readonly LeafCheck[];
  /** Whether leaves.yaml was changed (holds added or pruned, leaves kept back) and the set regenerated. */
  readonly regenerated: boolean;
}

interface Trial {
  readonly build: LeafBuild;
  readonly smoke?: SmokeResult;
  readonly ok: boolean;
}

export async function checkSet(options: CheckOptions): Promise<CheckResult> {
  const progress = options.onProgress ?? (() => undefined);
  const leavesPath = join(options.setDir, "leaves.yaml");
  const originalText = await readFile(leavesPath, "utf8");
  const specs = new Map(parseLeavesFile(originalText, leavesPath).leaves.map((l) => [l.name, l]));
  const lock = await readLock(options.setDir);
  const previous = options.previousLock === undefined ? undefined : parseLock(options.previousLock);
  for (const name of options.only ?? []) {
    if (!lock.leaves.has(name)) throw new GosetError("GOSET_USAGE", `no leaf named "${name}" in ${options.setDir}`, { hint: `leaves: ${[...lock.leaves.keys()].join(", ")}` });
  }
  const names = (options.changed ? changedLeaves(previous, lock) : [...lock.leaves.keys()]).filter((n) => options.only === undefined || options.only.includes(n));

  const started = Date.now();
  const trials = new Map<string, Trial>();
  for (const [i, name] of names.entries()) {
    progress(`check: leaf ${i + 1} of ${names.length}: ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
    trials.set(name, await trialLeaf(options.setDir, name, specs.get(name), options));
  }

  let text = originalText;
  const fixes = new Map<string, Partial<LeafCheck>>();
  if (options.fix) {
    // A failure Nix reports before building anything is no version conflict.
    for (const name of names.filter((n) => !trials.get(n)?.ok && !trials.get(n)?.build.evaluation)) {
      progress(`check: bisecting ${name}`);
      const fix = await fixLeaf(name, text, lock, previous, trials.get(name), specs.get(name), options);
      text = fix.text;
      fixes.set(name, fix.check);
    }
  }
  if (options.pruneHolds) {
    for (const name of names.filter((n) => (specs.get(n)?.holds.size ?? 0) > 0 && trials.get(n)?.ok)) {
      progress(`check: pruning the holds of ${name}`);
      const pruned = await pruneLeafHolds(name, text, specs.get(name), options);
      text = pruned.text;
      fixes.set(name, { ...fixes.get(name), holdsPruned: pruned.pruned, holdsKept: pruned.kept });
    }
  }

  const regenerated = text !== originalText;
  if (regenerated) {
    progress("check: regenerating the set with the new holds");
    await writeFile(leavesPath, text);
    await options.update(options.setDir);
    const newSpecs = new Map(parseLeavesFile(text, leavesPath).leaves.map((l) => [l.name, l]));
    for (const name of fixes.keys()) trials.set(name, await trialLeaf(options.setDir, name, newSpecs.get(name), options));
  }
  return { leaves: names.map((name) => leafCheck(name, trials.get(name), fixes.get(name), specs.get(name))), regenerated };
}

async function readLock(setDir: string): Promise<LockedSet> {
  const text = await readFile(join(setDir, LOCK_FILE), "utf8").catch(() => undefined);
  const lock = text === undefined ? undefined : parseLock(text);
  if (lock === undefined) {
    throw new GosetError("GOSET_STALE", `${join(setDir, LOCK_FILE)} is missing or unreadable`, { hint: "run `goset update --set DIR` first" });
  }
  return lock;
}

/** Leaves whose derivation the change from `previous` to `lock` rebuilds, new leaves and leaves with changed holds included. */
function changedLeaves(previous: LockedSet | undefined, lock: LockedSet): string[] {
  if (previous === undefined) return [...lock.leaves.keys()];
  const diff = diffSets(previous, lock);
  const changed = new Set(rebuildClosure(lock, [...diff.bumped, ...diff.added, ...diff.repackaged].map((c) => c.path)).leaves);
  for (const l of diff.leavesChanged) if (lock.leaves.has(l.name)) changed.add(l.name);
  for (const h of diff.holds) if (h.status !== "kept" && lock.leaves.has(h.leaf)) changed.add(h.leaf);
  return [...lock.leaves.keys()].filter((n) => changed.has(n));
}

async function trialLeaf(setDir: string, name: string, spec: LeafSpec | undefined, options: CheckOptions): Promise<Trial> {
  const build = await buildLeaf(setDir, name, options.env, options.maxJobs, (drv) => options.onProgress?.(`  building ${drv}`));
  if (!build.ok || build.outPath === undefined) return { build, ok: false };
  const smoke = await smokeCheck(build.outPath, spec?.check, options.env, spec?.package.meta?.mainProgram);
  return { build, smoke, ok: smoke.ok };
}

function failureReason(trial: Trial | undefined): string {
  if (trial === undefined) return "not built";
  if (!trial.build.ok) return trial.build.errors.length > 0 ? trial.build.errors.slice(0, 2).join("; ") : (trial.build.logTail.split("\n").pop() ?? "build failed");
  return `smoke check \`${trial.smoke?.command ?? ""}\` failed: ${(trial.smoke?.output ?? "").split("\n")[0] ?? ""}`;
}

/** The modules to try holding for a failing leaf: those that moved since the leaf last built, or for a new leaf those the set raised. */
export function holdCandidates(name: string, lock: LockedSet, previous: LockedSet | undefined): { path: ModulePath; from: Version; version: Version }[] {
  const leaf = lock.leaves.get(name);
  if (leaf === undefined) return [];
  const before = previous?.leaves.has(name) ? previous : undefined;
  const out: { path: ModulePath; from: Version; version: Version }[] = [];
  for (const path of leaf.buildList) {
    const member = lock.modules.get(path);
    const now = member?.version;
    // A member of an import cycle cannot be held (GOSET_HOLD_CYCLE): as a candidate it would fail every trial holding it.
    if (now === undefined || member?.cycle !== undefined || leaf.holds.has(path)) continue;
    const then = before?.leaves.get(name)?.holds.get(path)?.version ?? before?.modules.get(path)?.version;
    const own = leaf.upgraded.get(path)?.from;
    const version = before !== undefined ? then : own;
    if (version !== undefined && version !== now) out.push({ path, from: now, version });
  }
  return out.sort((a, b) => compareStrings(a.path, b.path));
}


/** One trial: leaves.yaml `text` in the scratch set, regenerated, the leaf built and smoke-checked. */
async function trialText(scratch: string, name: string, text: string, options: CheckOptions): Promise<Trial> {
  await writeFile(join(scratch, "leaves.yaml"), text);
  await options.update(scratch);
  const spec = parseLeavesFile(text, join(scratch, "leaves.yaml")).leaves.find((l) => l.name === name);
  return trialLeaf(scratch, name, spec, options);
}

async function fixLeaf(
  name: string,
  text: string,
  lock: LockedSet,
  previous: LockedSet | undefined,
  failure: Trial | undefined,
  spec: LeafSpec | undefined,
  options: CheckOptions,
): Promise<{ text: string; check: Partial<LeafCheck> }> {
  const reason = failureReason(failure);
  const candidates = holdCandidates(name, lock, previous);
  const bisection = await withScratchSet(options.setDir, "check", (scratch) =>
    bisectHolds(
      candidates,
      async (held) => {
        const trialYaml = held.reduce((t, c) => setHold(t, name, c.path, c.version, "goset check: bisecting"), text);
        return (await trialText(scratch, name, trialYaml, options).catch(() => undefined))?.ok ?? false;
      },
      (c) => c.path,
    ),
  );
  if (bisection.holds !== null) {
    const holds = bisection.holds.map((c) => ({ ...c, reason: `${c.version} -> ${c.from} breaks it: ${reason}`.slice(0, 300) }));
    return {
      text: holds.reduce((t, h) => setHold(t, name, h.path, h.version, h.reason), text),
      check: { holdsAdded: holds, bisectBuilds: bisection.trials, reason },
    };
  }
  const was = previous?.leaves.get(name)?.source;
  const now = lock.leaves.get(name)?.source;
  if (spec?.source.kind === "module" && was?.kind === "module" && now?.kind === "module" && was.version !== now.version) {
    return { text: setLeafVersion(text, name, was.version), check: { keptBack: { from: now.version, to: was.version }, bisectBuilds: bisection.trials, reason } };
  }
  return { text, check: { bisectBuilds: bisection.trials, reason } };
}

async function pruneLeafHolds(name: string, text: string, spec: LeafSpec | undefined, options: CheckOptions): Promise<{ text: string; pruned: ModulePath[]; kept: ModulePath[] }> {
  const pruned: ModulePath[] = [];
  const kept: ModulePath[] = [];
  let current = text;
  await withScratchSet(options.setDir, "check", async (scratch) => {
    for (const path of spec?.holds.keys() ?? []) {
      const without = dropHold(current, name, path);
      const trial = await trialText(scratch, name, without, options).catch(() => undefined);
      if (trial?.ok) {
        current = without;
        pruned.push(path);
      } else kept.push(path);
    }
  });
  return { text: current, pruned, kept };
}

function leafCheck(name: string, trial: Trial | undefined, fix: Partial<LeafCheck> | undefined, spec: LeafSpec | undefined): LeafCheck {
  const ok = trial?.ok ?? false;
  const status: LeafStatus = !ok ? "failed" : fix?.keptBack !== undefined ? "kept-back" : (fix?.holdsAdded?.length ?? 0) > 0 || (spec?.holds.size ?? 0) > (fix?.holdsPruned?.length ?? 0) ? "held" : "ok";
  return {
    name,
    status,
    ...(trial?.smoke === undefined ? {} : { smoke: trial.smoke.command, smokeOutput: trial.smoke.line }),
    ...(ok || trial?.build.failedDrv === undefined ? {} : { failedDrv: trial.build.failedDrv }),
    ...(ok || trial === undefined ? {} : { logTail: trial.build.ok ? (trial.smoke?.output ?? "") : trial.build.logTail, reason: failureReason(trial) }),
    holdsAdded: fix?.holdsAdded ?? [],
    holdsPruned: fix?.holdsPruned ?? [],
    holdsKept: fix?.holdsKept ?? [...(spec?.holds.keys() ?? [])].filter((p) => !(fix?.holdsPruned ?? []).includes(p)),
    ...(fix?.bisectBuilds === undefined ? {} : { bisectBuilds: fix.bisectBuilds }),
    ...(fix?.keptBack === undefined ? {} : { keptBack: fix.keptBack }),
    ...(ok && fix?.reason !== undefined ? { reason: fix.reason } : {}),
  };
}

/** The check as Markdown, for a pull-request body. */
export function renderCheckReport(result: CheckResult): string {
  const out = ["## goset check", ""];
  const by = (s: LeafStatus) => result.leaves.filter((l) => l.status === s);
  out.push(`${result.leaves.length} leaves checked: ${by("ok").length} ok, ${by("held").length} passing with holds, ${by("kept-back").length} kept back, ${by("failed").length} failing.`, "");
  out.push("| leaf | status | smoke check | it printed | holds added | holds pruned | bisection builds |", "|---|---|---|---|---|---|---|");
  for (const l of result.leaves) {
    const added = l.holdsAdded.map((h) => `\`${h.path}\` ${h.from} -> ${h.version}`).join("<br>");
    out.push(`| ${l.name} | ${l.status} | ${l.smoke === undefined ? "" : `\`${l.smoke}\``} | ${escapeMd(l.smokeOutput ?? "")} | ${added} | ${l.holdsPruned.map((p) => `\`${p}\``).join("<br>")} | ${l.bisectBuilds ?? ""} |`);
  }
  out.push("");
  const broken = result.leaves.filter((l) => l.holdsAdded.length > 0 || l.keptBack !== undefined || l.status === "failed" || l.bisectBuilds !== undefined);
  if (broken.length > 0) {
    out.push("### What broke what", "");
    for (const l of broken) {
      for (const h of l.holdsAdded) out.push(`- **${l.name}**: \`${h.path}\` ${h.version} -> ${h.from} broke it; held at ${h.version}. ${escapeMd(l.reason ?? "")}`);
      if (l.status === "ok" && l.holdsAdded.length === 0 && l.bisectBuilds !== undefined) {
        out.push(`- **${l.name}**: failed (${escapeMd(l.reason ?? "")}); no hold of its own helped, and it passes with the holds added for the other leaves.`);
      }
      if (l.keptBack !== undefined) out.push(`- **${l.name}**: no hold helps; kept back from ${l.keptBack.from} to ${l.keptBack.to}. ${escapeMd(l.reason ?? "")}`);
      if (l.status === "failed") out.push(`- **${l.name}**: still failing${l.failedDrv === undefined ? "" : ` (\`${l.failedDrv}\`)`}: ${escapeMd(l.reason ?? "")}`);
    }
    out.push("");
  }
  return out.join("\n");
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

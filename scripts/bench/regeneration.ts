/**
 * Section 2: regeneration with the content cache present. Unchanged inputs
 * run with no network at all (a new network namespace) and GOPROXY=off;
 * one changed pin (a widely used module raised to the proxy's latest
 * release) runs with the network, in a copy of the set.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { compare } from "../../generator/gomod/semver.js";
import { parseLock } from "../../generator/render/lock.js";
import type { LockedSet } from "../../generator/model.js";
import type { BenchContext } from "./context.js";
import { describeFailure, runUpdateSet } from "./generation.js";
import type { Generation, UpdateRun } from "./generation.js";
import { findOfflinePrefix, goEnvironment, logProgress, parseJsonStream, runCommand } from "./run.js";
import { formatRatio, formatSeconds, verdict } from "./table.js";
import type { Row, Section } from "./table.js";

export interface Pin {
  readonly module: string;
  readonly from: string;
  readonly to: string;
}

export interface Regeneration {
  readonly section: Section;
  /** The set regenerated with the pin, and its lock (undefined when no newer version exists). */
  readonly pinned?: { readonly pin: Pin; readonly setDir: string; readonly lock: LockedSet };
}

async function latestVersion(module: string, work: string): Promise<string | undefined> {
  const run = await runCommand("go", ["list", "-m", "-json", `${module}@latest`], {
    cwd: work,
    env: goEnvironment({ GOMODCACHE: join(work, "list-modcache") }),
    allowFailure: true,
  });
  return parseJsonStream<{ Version?: string }>(run.stdout)[0]?.Version;
}

/** A copy of the set with `pins.<module>: <to>` added to its leaves.yaml, regenerated. */
async function regeneratePinned(gen: Generation, pin: Pin, dir: string) {
  await cp(gen.setDir, dir, { recursive: true });
  const file = join(dir, "leaves.yaml");
  const doc = parseDocument(await readFile(file, "utf8"));
  doc.setIn(["pins", pin.module], pin.to);
  await writeFile(file, doc.toString());
  const run = await runUpdateSet(dir, gen.cacheDir);
  const lock = parseLock(await readFile(join(dir, "set.lock.yaml"), "utf8"));
  if (!lock) throw new Error(`cannot read ${dir}/set.lock.yaml`);
  return { run, lock };
}

function warmRow(label: string, run: UpdateRun, cold: UpdateRun, target: string, met: boolean | undefined): Row {
  const s = run.summary;
  if (!s.ok) {
    return { measure: label, goset: `failed after ${formatSeconds(run.seconds)}: ${describeFailure(s)}`, reference: `update-set, cold: ${formatSeconds(cold.seconds)}`, ratio: "n/a", target, result: "missed" };
  }
  return {
    measure: `${label} (${s.zipDownloads} zips, ${s.goModFetches} go.mod fetches, ${s.upToDate ? "nothing written" : `${s.written?.length ?? "?"} files written`})`,
    goset: formatSeconds(run.seconds),
    reference: `update-set, cold: ${formatSeconds(cold.seconds)}`,
    ratio: formatRatio(run.seconds, cold.seconds),
    target,
    result: met === undefined ? "" : verdict(met),
  };
}

export async function benchRegeneration(ctx: BenchContext, gen: Generation): Promise<Regeneration> {
  const offline = findOfflinePrefix();
  logProgress(`update-set, warm, ${offline ? offline.join(" ") : "network still reachable"}, GOPROXY=off`);
  const warm = await runUpdateSet(gen.setDir, gen.cacheDir, { env: { GOPROXY: "off" }, allowFailure: true, ...(offline ? { prefix: offline } : {}) });
  const w = warm.summary;
  const quiet = w.ok && w.zipDownloads === 0 && w.goModFetches === 0 && w.upToDate;
  const rows: Row[] = [
    warmRow(
      `update-set, warm, unchanged inputs, ${offline ? "no network" : "network reachable (no namespace)"}, GOPROXY=off`,
      warm,
      gen.cold,
      "< 5 s, no network, 0 fetches, nothing written",
      warm.seconds < 5 && offline !== undefined && quiet,
    ),
  ];
  if (!w.ok) {
    // The same run with the network, to show what the figure would be and that it needs the network.
    logProgress("update-set, warm, network allowed, configured GOPROXY");
    const online = await runUpdateSet(gen.setDir, gen.cacheDir, { allowFailure: true });
    rows.push(warmRow("update-set, warm, unchanged inputs, network allowed, configured GOPROXY", online, gen.cold, "—", undefined));
  }

  const from = gen.lock.modules.get(ctx.bumpModule)?.version;
  const to = from === undefined ? undefined : await latestVersion(ctx.bumpModule, ctx.work);
  let pinned: Regeneration["pinned"];
  if (from === undefined || to === undefined || compare(to, from) <= 0) {
    const why = from === undefined ? `${ctx.bumpModule} is not a member of the set` : `the proxy serves no version of ${ctx.bumpModule} above ${from}`;
    rows.push({ measure: `update-set, one pin changed (${ctx.bumpModule})`, goset: "n/a", reference: why, ratio: "n/a", target: "—", result: "n/a" });
  } else {
    const pin = { module: ctx.bumpModule, from, to };
    logProgress(`update-set, pin ${pin.module} ${pin.from} -> ${pin.to}`);
    const dir = join(ctx.work, "set-pinned");
    const { run, lock } = await regeneratePinned(gen, pin, dir);
    const p = run.summary;
    rows.push({
      measure: `update-set, one pin added (${pin.module} ${pin.from} → ${pin.to}), network (${p.zipDownloads} zips, ${p.goModFetches} go.mod fetches, ${p.written?.length ?? 0} files written)`,
      goset: formatSeconds(run.seconds),
      reference: `update-set, cold: ${formatSeconds(gen.cold.seconds)}`,
      ratio: formatRatio(run.seconds, gen.cold.seconds),
      target: "—",
      result: "",
    });
    pinned = { pin, setDir: dir, lock };
  }
  return {
    section: {
      title: "2. Regeneration with the cache present",
      rows,
      notes: [
        `Unchanged inputs: the set and XDG_CACHE_HOME of section 1, run under \`${offline?.join(" ") ?? "(no network namespace available)"}\` (a network namespace with no interfaces up) and GOPROXY=off; the JSON summary's zipDownloads and goModFetches must be 0 and nothing written.`,
        "One pin: a copy of that set (its lock included) with the pin added to leaves.yaml, same content cache, the configured GOPROXY.",
      ],
    },
    ...(pinned ? { pinned } : {}),
  };
}

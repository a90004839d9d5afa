/**
 * gomod2nix, the reference generator: installed from the module proxy at a
 * pinned release, run as `gomod2nix generate` in each leaf's source tree
 * with one module cache that starts empty. What it does there (v1.7.0,
 * internal/generate/generate.go): `go mod download --json` in the leaf's
 * directory, then the NAR hash of each extracted module in-process (go-nix,
 * 10 jobs); it calls no Nix tool for `generate`.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LeafSpec } from "../../generator/leaves/leavesfile.js";
import { copyLeafSource } from "./leafsource.js";
import { goEnvironment, logProgress, readGoEnv, runCommand } from "./run.js";

export const GOMOD2NIX_MODULE = "github.com/nix-community/gomod2nix";
export const GOMOD2NIX_VERSION = "v1.7.0";

export interface Gomod2nixLeaf {
  readonly leaf: string;
  readonly seconds: number;
  /** Entries in the gomod2nix.toml it wrote. */
  readonly modules: number;
  /** Module zips its `go mod download` fetched into the shared cache. */
  readonly zips: number;
}

export type Gomod2nixFigures =
  | { readonly ok: true; readonly leaves: readonly Gomod2nixLeaf[]; readonly installNote: string }
  | { readonly ok: false; readonly reason: string };

/** Installs gomod2nix into `dir`/bin; the binary's path and how it was installed, or why it could not be. */
async function installGomod2nix(dir: string): Promise<{ bin: string; note: string } | { reason: string }> {
  const modCache = join(dir, "modcache");
  const target = `${GOMOD2NIX_MODULE}@${GOMOD2NIX_VERSION}`;
  const env = goEnvironment({ GOBIN: join(dir, "bin"), GOMODCACHE: modCache });
  const bin = join(dir, "bin", "gomod2nix");
  await mkdir(dir, { recursive: true });
  const first = await runCommand("go", ["install", target], { cwd: dir, env, allowFailure: true });
  if (first.code === 0) return { bin, note: `installed with \`go install ${target}\`` };
  // `go install path@version` also reads the module's @v/list (deprecation
  // check); a proxy refusing the list blocks it. The downloaded version,
  // served from the module cache as a file:// proxy, answers that.
  if (!/@v\/list/.test(first.stderr)) return { reason: `go install ${target} failed: ${lastLine(first.stderr)}` };
  const listError = (first.stderr.split("\n").find((l) => l.includes("@v/list")) ?? "").trim();
  await runCommand("go", ["mod", "download", target], { cwd: dir, env });
  const proxy = `file://${modCache}/cache/download,${await readGoEnv("GOPROXY")}`;
  const second = await runCommand("go", ["install", target], { cwd: dir, env: { ...env, GOPROXY: proxy }, allowFailure: true });
  if (second.code !== 0) return { reason: `go install ${target} failed: ${listError}; through a file:// proxy: ${lastLine(second.stderr)}` };
  return {
    bin,
    note: `\`go install ${target}\` failed (${listError}); installed from the same proxy with the module's own download served first as a file:// proxy (GOPROXY=file://…,<configured>)`,
  };
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "";
}

async function countZips(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith(".zip")).length;
}

/** Runs `gomod2nix generate` for every leaf, one cold module cache shared by all (in leaves.yaml order). */
export async function benchGomod2nix(leaves: readonly LeafSpec[], leavesDir: string, work: string): Promise<Gomod2nixFigures> {
  logProgress(`installing gomod2nix ${GOMOD2NIX_VERSION}`);
  const installed = await installGomod2nix(join(work, "install"));
  if ("reason" in installed) return { ok: false, reason: installed.reason };
  const sourceCache = join(work, "source-modcache");
  const modCache = join(work, "modcache");
  const results: Gomod2nixLeaf[] = [];
  for (const leaf of leaves) {
    const src = await copyLeafSource(leaf, leavesDir, sourceCache, join(work, "src", leaf.name));
    const zipsBefore = await countZips(join(modCache, "cache", "download"));
    logProgress(`gomod2nix generate (${leaf.name})`);
    const run = await runCommand(installed.bin, ["generate"], { cwd: src, env: goEnvironment({ GOMODCACHE: modCache }), allowFailure: true });
    if (run.code !== 0) return { ok: false, reason: `gomod2nix generate failed for ${leaf.name}: ${lastLine(run.stderr)}` };
    const toml = await readFile(join(src, "gomod2nix.toml"), "utf8");
    results.push({
      leaf: leaf.name,
      seconds: run.seconds,
      modules: toml.split("\n").filter((l) => /^\s*\[mod\./.test(l)).length,
      zips: (await countZips(join(modCache, "cache", "download"))) - zipsBefore,
    });
  }
  return { ok: true, leaves: results, installNote: installed.note };
}

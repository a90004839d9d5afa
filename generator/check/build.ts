/**
 * `goset check`'s contact with the outside: a leaf built with the real
 * nix-build through the library beside this package, and its binary run for
 * the smoke check. Both are the only I/O of the check besides update-set.
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { SmokeCheck } from "../leaves/leavesfile.js";

/** The Nix library: default.nix at the root of this package. */
const LIBRARY_DIR = libraryDir(import.meta.dirname);

/** The directory holding goset's Nix library: the first one up from here with nix/surface.nix (the source tree, or bin/'s bundle cache inside it). */
function libraryDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "nix", "surface.nix"))) return dir;
    if (dirname(dir) === dir) throw new Error(`internal: no goset library (nix/surface.nix) above ${from}`);
  }
}

export interface LeafBuild {
  readonly ok: boolean;
  readonly outPath?: string;
  /** The derivation whose builder failed, from nix-build's message. */
  readonly failedDrv?: string;
  /** Nix failed before building anything (an evaluation error). */
  readonly evaluation?: boolean;
  /** The end of nix-build's output, or of the failed derivation's log. */
  readonly logTail: string;
  /** Go's first error lines (file:line:col: message), or Nix's for an evaluation error. */
  readonly errors: readonly string[];
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end, handing each line of its stderr to `onLine` as it
 * comes; killed after `timeoutMs` when given. A command that cannot start or
 * is killed counts as exit 1.
 */
function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, options: { timeoutMs?: number; onLine?: (line: string) => void } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { env, stdio: ["ignore", "pipe", "pipe"], ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }) });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
      if (options.onLine === undefined) return;
      const lines = (pending + b.toString()).split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) options.onLine(l);
    });
    child.on("error", (e) => resolve({ code: 1, stdout, stderr: stderr + String(e) }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * nix-build of one leaf of the set; `onDerivation` hears each derivation Nix
 * starts building.
 */
export async function buildLeaf(setDir: string, leaf: string, env: NodeJS.ProcessEnv, maxJobs?: number, onDerivation: (drv: string) => void = () => undefined): Promise<LeafBuild> {
  const jobs = maxJobs === undefined ? [] : ["--max-jobs", String(maxJobs)];
  // `--arg` takes a Nix expression: only an absolute path is a path literal ("set" would be a variable).
  const res = await run("nix-build", [LIBRARY_DIR, "--arg", "set", resolve(setDir), "-A", `leaves.${leaf}`, "--no-out-link", ...jobs], env, {
    onLine: (line) => {
      const drv = /^building '([^']+\.drv)'/.exec(line)?.[1];
      if (drv !== undefined) onDerivation(drv);
    },
  });
  if (res.code === 0) return { ok: true, outPath: res.stdout.trim(), logTail: "", errors: [] };
  const failedDrv = /builder for '([^']+\.drv)' failed/.exec(res.stderr)?.[1];
  if (failedDrv === undefined) {
    // Nothing was built: Nix could not evaluate the leaf, which no hold can fix.
    return { ok: false, evaluation: true, logTail: tail(res.stderr, 40), errors: res.stderr.split("\n").filter((l) => l.startsWith("error:")).slice(0, 2) };
  }
  const log = (await run("nix-store", ["--read-log", failedDrv], env)).stdout || res.stderr;
  return { ok: false, failedDrv, logTail: tail(log, 40), errors: goErrors(log) };
}

/** The last `n` lines of a log. */
function tail(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

/**
 * Compiler and linker error lines of a Go build log: "path/file.go:12:3: message",
 * a dependency's path without the build's module cache directory before it.
 */
export function goErrors(log: string): string[] {
  return log
    .split("\n")
    .map((l) => l.trim().replace(/^(\.\.\/)*gomodcache\//, ""))
    .filter((l) => /^\S+\.go:\d+(:\d+)?: /.test(l))
    .slice(0, 3);
}

export interface SmokeResult {
  readonly ok: boolean;
  readonly command: string;
  /** The output's last lines. */
  readonly output: string;
  /** The output line holding the expected text, else its first non-empty line. */
  readonly line: string;
}

/**
 * Runs the leaf's main program (meta.mainProgram, else its first binary by
 * name) with the declared arguments, else `--version`, then `--help`; passes
 * on exit 0 with the expected text anywhere in the output.
 */
export async function smokeCheck(outPath: string, check: SmokeCheck | undefined, env: NodeJS.ProcessEnv, mainProgram?: string): Promise<SmokeResult> {
  const bins = (await readdir(join(outPath, "bin")).catch(() => [] as string[])).sort();
  const bin = mainProgram !== undefined && bins.includes(mainProgram) ? mainProgram : bins[0];
  if (bin === undefined) return { ok: false, command: `${outPath}/bin/`, output: "no binary in bin/", line: "no binary in bin/" };
  const tries = check === undefined ? [["--version"], ["--help"]] : [check.args];
  let last: SmokeResult = { ok: false, command: bin, output: "", line: "" };
  for (const args of tries) {
    const res = await run(join(outPath, "bin", bin), args, env, { timeoutMs: 30_000 });
    const all = res.stdout + res.stderr;
    const lines = all.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    const line = (lines.find((l) => check?.expect !== undefined && l.includes(check.expect)) ?? lines[0] ?? "").slice(0, 120);
    last = { ok: res.code === 0 && (check?.expect === undefined || all.includes(check.expect)), command: [bin, ...args].join(" "), output: tail(all, 20), line };
    if (last.ok) return last;
  }
  return last;
}

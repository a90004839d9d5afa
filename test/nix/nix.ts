/** Running the real Nix from tests: nix-build, nix-instantiate and build logs, with this machine's settings. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REPO = join(import.meta.dirname, "..", "..");

/** No binary cache is reachable here; `nix hash` and `nix log` need nix-command. */
export function nixEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NIX_CONFIG: "substituters =\nexperimental-features = nix-command",
    ...extra,
  };
}

export interface NixResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function nix(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<NixResult> {
  try {
    const { stdout, stderr } = await run(cmd, [...args], { env, maxBuffer: 256 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

export async function nixBuild(setDir: string, attr: string, env: NodeJS.ProcessEnv, extra: readonly string[] = []): Promise<NixResult> {
  return nix("nix-build", [REPO, "--arg", "set", setDir, "-A", attr, "--no-out-link", ...extra], env);
}

/** Evaluates a Nix expression with `goset` bound to the library on `setDir`, as JSON. */
export async function nixEval<T>(setDir: string, body: string, env: NodeJS.ProcessEnv): Promise<T> {
  const expr = `let goset = import ${REPO} { set = ${setDir}; }; index = import ${setDir}/default.nix; in ${body}`;
  const res = await nix("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], env);
  if (res.code !== 0) throw new Error(`nix-instantiate failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as T;
}

/** The build log of a derivation (or of the derivation behind an output path). */
export async function buildLog(path: string, env: NodeJS.ProcessEnv): Promise<string> {
  const res = await nix("nix-store", ["--read-log", path], env);
  if (res.code !== 0) throw new Error(`no log for ${path}: ${res.stderr}`);
  return res.stdout;
}

/**
 * Packages `go build -v` compiled, from a build log: go prints one import
 * path per line for each package it compiles and nothing for a cache hit.
 */
export function compiledPackages(log: string): string[] {
  return log
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~+-]+)*$/.test(l) && (l.includes("/") || l.includes(".")) && !l.startsWith("/"));
}

export interface CacheStats {
  gets: number;
  hits: number;
  misses: number;
  puts: number;
}

export function cacheprogLines(log: string): CacheStats[] {
  return [...log.matchAll(/gocacheprog: gets=(\d+) hits=(\d+) misses=(\d+) puts=(\d+)/g)].map((m) => ({
    gets: Number(m[1]),
    hits: Number(m[2]),
    misses: Number(m[3]),
    puts: Number(m[4]),
  }));
}

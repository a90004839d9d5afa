/**
 * Nix side of the benchmark: expressions over a set whose every Go build
 * carries a salt (goEnv overridden in the scope, so every Go derivation is
 * new while the fetched sources stay the same), nix-build, build logs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { codeDir, logProgress, runCommand } from "./run.js";

/** scripts/nix.conf, the settings of every build here: sandbox on, no substituters, max-jobs = auto. */
export const NIX_ENV: NodeJS.ProcessEnv = { ...process.env, NIX_CONFIG: readFileSync(join(import.meta.dirname, "..", "nix.conf"), "utf8") };

/**
 * `let` bindings shared by every expression: the set, its index, the salted
 * scope `g`. With `stdSalt`, goStdlib is the one of that salt instead (the
 * salt is no input of go's cache keys, so its entries serve any salt).
 */
function prelude(setDir: string, salt: string, stdSalt = salt): string {
  return `let
    goset = import ${codeDir()} { set = ${setDir}; };
    index = import ${setDir}/default.nix;
    names = builtins.attrNames;
    salted = s: goset.goPackages.overrideScope (final: prev: { goEnv = prev.goEnv // { GOSET_BENCH_SALT = s; }; });
    g = (salted "${salt}").overrideScope (final: prev: { goStdlib = (salted "${stdSalt}").goStdlib; });
    leaf = name: g.callPackage index.leaves.\${name} { };
    modules = map (p: g.\${p}) (names index.modules);
  in`;
}

/** The leaf through the salted scope; `patch` is shell appended to its postPatch; `stdSalt` as in prelude. */
export function leafExpr(setDir: string, salt: string, leaf: string, patch?: string, stdSalt?: string): string {
  const base = `(leaf "${leaf}")`;
  return `${prelude(setDir, salt, stdSalt)} ${patch === undefined ? base : `${base}.overrideAttrs (o: { postPatch = (o.postPatch or "") + ${JSON.stringify(patch + "\n")}; })`}`;
}

/** Every leaf and every module (or cycle) derivation of the salted set. */
export function wholeSetExpr(setDir: string, salt: string): string {
  return `${prelude(setDir, salt)} map leaf (names index.leaves) ++ modules`;
}

export interface SetOutPaths {
  readonly leaves: Readonly<Record<string, string>>;
  /** By module path; the members of a cycle share one. */
  readonly modules: Readonly<Record<string, string>>;
}

/**
 * The output paths of the salted set (evaluate with evalJson<SetOutPaths>).
 * Output paths, not drv paths: they name what was built even when a
 * fetcher's expression changed since (Nix hashes fixed-output inputs by
 * their output), and `nix-store --read-log` takes them.
 */
export function outPathsExpr(setDir: string, salt: string): string {
  const byName = (list: string, value: string) => `builtins.listToAttrs (map (n: { name = n; value = (${value}).outPath; }) ${list})`;
  return `${prelude(setDir, salt)} { leaves = ${byName("(names index.leaves)", "leaf n")}; modules = ${byName("(names index.modules)", "g.${n}")}; }`;
}

/** The derivation paths of the salted set, shaped like SetOutPaths: what changes between two evaluations is exactly what Nix rebuilds. */
export function drvPathsExpr(setDir: string, salt: string): string {
  const byName = (list: string, value: string) => `builtins.listToAttrs (map (n: { name = n; value = (${value}).drvPath; }) ${list})`;
  return `${prelude(setDir, salt)} { leaves = ${byName("(names index.leaves)", "leaf n")}; modules = ${byName("(names index.modules)", "g.${n}")}; }`;
}

/** The leaves named, through the salted scope. */
export function leavesExpr(setDir: string, salt: string, leaves: readonly string[]): string {
  return `${prelude(setDir, salt)} map leaf ${JSON.stringify(leaves).replaceAll(",", " ")}`;
}

/** The output paths of derivations (one output each here). */
export async function derivationOutputs(drvs: readonly string[]): Promise<string[]> {
  if (drvs.length === 0) return [];
  return (await runCommand("nix-store", ["-q", "--outputs", ...drvs], { env: NIX_ENV })).stdout.split("\n").filter((l) => l !== "");
}

/** What builds must not wait for and what no Go build salt changes: every module and leaf source, the build tools. */
export function sourcesExpr(setDir: string): string {
  return `${prelude(setDir, "")} [ goset.gosetTools ] ++ map (p: goset.goPackages.\${p}.src) (names index.modules) ++ map (n: goset.leaves.\${n}.src) (names index.leaves)`;
}

export interface NixBuild {
  readonly seconds: number;
  readonly outputs: readonly string[];
  /** Derivations Nix said it would build (store paths of .drv files). */
  readonly built: readonly string[];
}

export async function nixBuild(expr: string, options: { dryRun?: boolean } = {}): Promise<NixBuild> {
  const args = ["-E", expr, "--no-out-link", ...(options.dryRun ? ["--dry-run"] : [])];
  const run = await runCommand("nix-build", args, { env: NIX_ENV });
  return { seconds: run.seconds, outputs: run.stdout.split("\n").filter((l) => l.startsWith("/nix/store/")), built: parseWillBuild(run.stderr) };
}

/** The .drv paths listed under Nix's "these N derivations will be built:" (or "this derivation will be built:"). */
export function parseWillBuild(stderr: string): string[] {
  const drvs: string[] = [];
  let inList = false;
  for (const line of stderr.split("\n")) {
    if (/^th(ese \d+ derivations|is derivation) will be built:/.test(line)) inList = true;
    else if (inList && /^\s+\/nix\/store\/\S+\.drv$/.test(line)) drvs.push(line.trim());
    else inList = false;
  }
  return drvs;
}

/** The name of a store path: its base name without the hash and `.drv`. */
export function storeName(path: string): string {
  return path.replace(/^\/nix\/store\/[a-z0-9]{32}-/, "").replace(/\.drv$/, "");
}

export async function evalJson<T>(expr: string): Promise<T> {
  const run = await runCommand("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { env: NIX_ENV });
  return JSON.parse(run.stdout) as T;
}

export async function readBuildLog(path: string): Promise<string> {
  return (await runCommand("nix-store", ["--read-log", path], { env: NIX_ENV })).stdout;
}

/** Fetches every source of a set (not timed: both sides of a build comparison start with sources on disk). */
export async function fetchSources(setDir: string): Promise<void> {
  logProgress(`fetching the sources of ${setDir} with Nix (not timed)`);
  await nixBuild(sourcesExpr(setDir));
}

/** Packages a `go build -v` or `go list -v -export` log compiled: go prints each compiled package's import path on a line, never cache hits. */
export function compiledPackages(log: string): string[] {
  return log.split("\n").filter((l) => /^[A-Za-z0-9._~+-]+(\/[A-Za-z0-9._~+-]+)*$/.test(l));
}

export interface CacheStats {
  readonly gets: number;
  readonly hits: number;
  readonly misses: number;
  readonly puts: number;
}

/** The sum of the `gocacheprog: gets=N hits=H misses=M puts=P` lines of a log. */
export function cacheStats(log: string): CacheStats {
  const total = { gets: 0, hits: 0, misses: 0, puts: 0 };
  for (const m of log.matchAll(/^gocacheprog: gets=(\d+) hits=(\d+) misses=(\d+) puts=(\d+)$/gm)) {
    total.gets += Number(m[1]);
    total.hits += Number(m[2]);
    total.misses += Number(m[3]);
    total.puts += Number(m[4]);
  }
  return total;
}

export function addStats(a: CacheStats, b: CacheStats): CacheStats {
  return { gets: a.gets + b.gets, hits: a.hits + b.hits, misses: a.misses + b.misses, puts: a.puts + b.puts };
}

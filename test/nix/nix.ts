/** Running the real Nix from tests: nix-build, nix-instantiate and build logs, with this machine's settings. */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REPO = join(import.meta.dirname, "..", "..");

/** scripts/nix.conf: the sandbox on, no binary cache, nix-command. */
const NIX_CONF = readFileSync(join(REPO, "scripts", "nix.conf"), "utf8");

/**
 * The environment of a Nix command here: scripts/nix.conf, with `sandboxPaths`
 * (host files a build must read, such as a test's CA or netrc) added to the sandbox.
 */
export function nixEnv(extra: NodeJS.ProcessEnv = {}, sandboxPaths: readonly string[] = []): NodeJS.ProcessEnv {
  const more = sandboxPaths.length > 0 ? `extra-sandbox-paths = ${sandboxPaths.join(" ")}\n` : "";
  return { ...process.env, NIX_CONFIG: NIX_CONF + more, ...extra };
}

/**
 * The package bases the library is tested on: its own host base, and real
 * nixpkgs files (lib, stdenv, callPackage from ../shared/third_party/nixpkgs-min)
 * with the host's Go and CA bundle (test/nix/nixpkgs-min.nix).
 */
export type Base = "host" | "nixpkgs";
export const BASES: readonly Base[] = ["host", "nixpkgs"];

/**
 * Where the real nixpkgs files are: GOSET_NIXPKGS_MIN, else
 * ../shared/third_party/nixpkgs-min beside the checkout, else the same under /work
 * (where a clone made elsewhere, as CI's, finds the workplace's copy).
 */
export function nixpkgsMinDir(): string {
  const candidates = [
    process.env["GOSET_NIXPKGS_MIN"],
    join(REPO, "..", "shared", "third_party", "nixpkgs-min"),
    "/work/shared/third_party/nixpkgs-min",
  ].filter((d): d is string => d !== undefined && d !== "");
  const dir = candidates.find((d) => existsSync(join(d, "lib", "default.nix")));
  if (dir === undefined) throw new Error(`no nixpkgs files in ${candidates.join(", ")}: set GOSET_NIXPKGS_MIN to a copy of nixpkgs-min`);
  return dir;
}

/** A Nix expression for the package base `base`, with `args` (a Nix attribute set body) for host-pkgs.nix. */
export function pkgsExpr(base: Base, args = ""): string {
  return base === "host"
    ? `(import ${REPO}/nix/host-pkgs.nix { ${args} })`
    : `(import ${REPO}/test/nix/nixpkgs-min.nix { nixpkgs = ${nixpkgsMinDir()}; ${args} })`;
}

/** The library on a set and a base, as a Nix expression. */
export function gosetExpr(setDir: string, base: Base = "host"): string {
  return `(import ${REPO} { set = ${setDir}; pkgs = ${pkgsExpr(base)}; })`;
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

/** nix-build of `attr` of the library on `setDir`, on `base` with `pkgsArgs` (a Nix attribute set body, see pkgsExpr). */
export async function nixBuild(setDir: string, attr: string, env: NodeJS.ProcessEnv, extra: readonly string[] = [], base: Base = "host", pkgsArgs = ""): Promise<NixResult> {
  return nix("nix-build", [REPO, "--arg", "set", setDir, "--arg", "pkgs", pkgsExpr(base, pkgsArgs), "-A", attr, "--no-out-link", ...extra], env);
}

/** Evaluates a Nix expression with `goset` bound to the library on `setDir`, as JSON. */
export async function nixEval<T>(setDir: string, body: string, env: NodeJS.ProcessEnv, base: Base = "host"): Promise<T> {
  const expr = `let goset = ${gosetExpr(setDir, base)}; index = import ${setDir}/default.nix; in ${body}`;
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

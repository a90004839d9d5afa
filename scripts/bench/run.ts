/**
 * Shared helpers of the benchmark: running commands, timing them, peak
 * memory through /usr/bin/time, temporary directories, progress on stderr.
 */
import { spawn, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "..", "..");

let codeRoot = REPO;

/**
 * Copies the code under test (update-set and the Nix library) into the
 * scratch directory, so that edits to the working tree during a run do not
 * change what is measured halfway through.
 */
export async function snapshotCode(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const entry of ["default.nix", "nix", "bin", "generator", "package.json"]) await cp(join(REPO, entry), join(dir, entry), { recursive: true });
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  codeRoot = dir;
}

/** The root of the code under test: the snapshot once taken, else the repository. */
export function codeDir(): string {
  return codeRoot;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Return a failed result instead of throwing. */
  readonly allowFailure?: boolean;
}

export function logProgress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

export function describeCommand(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
}

/** Runs a command to completion, collecting its output; throws on a non-zero exit unless allowed. */
export function runCommand(cmd: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", fail);
    child.on("close", (code, signal) => {
      const result = {
        code: code ?? 128,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      };
      if (result.code !== 0 && !options.allowFailure) {
        const tail = result.stderr.trim().split("\n").slice(-15).join("\n");
        fail(new Error(`${describeCommand(cmd, args)} exited with ${signal ?? result.code}:\n${tail}`));
      } else {
        done(result);
      }
    });
  });
}

export interface MeasuredResult extends CommandResult {
  /** Maximum resident set size in KiB, from /usr/bin/time -f %M (undefined without it). */
  readonly maxRssKiB: number | undefined;
}

/** runCommand under /usr/bin/time, for the peak memory of the command and its children. */
export async function measureCommand(cmd: string, args: readonly string[], options: CommandOptions = {}): Promise<MeasuredResult> {
  if (!hasTimeTool()) return { ...(await runCommand(cmd, args, options)), maxRssKiB: undefined };
  const dir = await makeTempDir("goset-bench-time-");
  try {
    const file = join(dir, "rss");
    const result = await runCommand("/usr/bin/time", ["-f", "%M", "-o", file, cmd, ...args], options);
    const kib = Number((await readFile(file, "utf8")).trim().split("\n").pop());
    return { ...result, maxRssKiB: Number.isFinite(kib) ? kib : undefined };
  } finally {
    await removeTree(dir);
  }
}

let timeTool: boolean | undefined;
function hasTimeTool(): boolean {
  timeTool ??= spawnSync("/usr/bin/time", ["-f", "%M", "true"], { stdio: "ignore" }).status === 0;
  return timeTool;
}

/**
 * The command prefix that cuts a command off the network (a new, empty
 * network namespace), or undefined when this machine cannot make one.
 */
export function findOfflinePrefix(): readonly string[] | undefined {
  for (const prefix of [["unshare", "-n"], ["unshare", "-r", "-n"]]) {
    if (spawnSync(prefix[0]!, [...prefix.slice(1), "true"], { stdio: "ignore" }).status === 0) return prefix;
  }
  return undefined;
}

export async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const v = await f();
  return [Number(process.hrtime.bigint() - t0) / 1e9, v];
}

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Removes a tree, including the read-only files go extracts into module caches. */
export async function removeTree(dir: string): Promise<void> {
  await runCommand("chmod", ["-R", "u+w", dir], { allowFailure: true });
  await rm(dir, { recursive: true, force: true });
}

/** The environment of every go command here: no toolchain downloads, no go.work a module zip may hold (mockery's does). */
export function goEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: "local", GOWORK: "off", ...extra };
}

export async function readGoEnv(name: string): Promise<string> {
  return (await runCommand("go", ["env", name], { env: goEnvironment() })).stdout.trim();
}

/** Go's `-json` outputs are JSON values one after another (one parser for tests and benchmarks). */
export { parseJsonStream } from "../../test/fixture/go.js";

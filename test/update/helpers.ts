/** Shared set-up for update-set's end-to-end tests: a set directory over the fixture proxy. */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse } from "yaml";
import type { Fixture } from "../fixture/index.js";
import { makeTempDir } from "../fixture/index.js";

export const REPO = join(import.meta.dirname, "..", "..");

/** Environment for update-set against a proxy: no Go env file, an own cache dir, no checksum database. */
export function updateEnv(proxyUrl: string, cacheHome: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    GOENV: "off",
    GOPROXY: proxyUrl,
    GOSUMDB: "off",
    GOPRIVATE: "",
    GONOPROXY: "",
    GONOSUMDB: "",
    XDG_CACHE_HOME: cacheHome,
    ...extra,
  };
}

/** A set directory listing the fixture's leaves: local leaves by path, app/hello as a module. */
export async function makeFixtureSet(fx: Fixture, order: "forward" | "reverse" = "forward", extraYaml = ""): Promise<string> {
  const dir = await makeTempDir("goset-set-");
  const entries = [
    ...Object.entries(fx.leaves).map(([name, leafDir]) => `  ${name}:\n    path: ${relative(dir, leafDir)}\n`),
    "  hello:\n    module: example.com/app/hello\n    version: v1.0.0\n",
  ];
  if (order === "reverse") entries.reverse();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "leaves.yaml"), `leaves:\n${entries.join("")}${extraYaml}`);
  return dir;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, "bin", "update-set.js"), ...args], { env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Lock {
  modules: Record<string, { version: string; hash: string; sum: string; goModSum: string; verified: string; go?: string; requires: string[]; imports?: string[]; packages?: string[]; cycle?: string }>;
  goModOnly: Record<string, { version: string; goModSum: string }>;
  cycles: Record<string, string[]>;
  leaves: Record<string, { requires: string[]; imports: string[]; upgraded: Record<string, { from: string; to: string }>; replaces?: Record<string, { path?: string; version?: string; dir?: string; sum?: string; hash?: string }>; modulePath: string }>;
}

export async function readLock(setDir: string): Promise<Lock> {
  return parse(await readFile(join(setDir, "set.lock.yaml"), "utf8")) as Lock;
}

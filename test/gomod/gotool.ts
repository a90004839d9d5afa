/** Runs the real `go` with a controlled environment, for tests that pin behaviour against it. */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const GO = "/usr/local/go/bin/go";

export interface GoResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The parent's environment without GO* variables, plus a fixed, offline-by-default Go setup. */
export function goEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("GO")) env[k] = v;
  }
  return {
    ...env,
    GOTOOLCHAIN: "local",
    GOWORK: "off",
    GOFLAGS: "-modcacherw",
    GOPROXY: "off",
    GOSUMDB: "off",
    ...overrides,
  };
}

export function runGo(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<GoResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(GO, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") {
        reject(error);
        return;
      }
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
    child.stdin?.end();
  });
}

export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A private network and mount namespace for tests that need a module path's
 * host name to reach a loopback server on port 80: `unshare --net --mount`
 * with its own /etc/hosts (bind-mounted) and loopback up. Commands enter it
 * with `nsenter`. Needs root (or CAP_SYS_ADMIN); `createNetns` resolves to
 * undefined where namespaces cannot be made.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Netns {
  /** Runs a command inside the namespace to its end. */
  run(cmd: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string }): Promise<RunResult>;
  /** Starts a long-running command inside; resolves once it printed a line matching `ready`. */
  start(cmd: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string; ready: RegExp }): Promise<ChildProcess>;
  close(): Promise<void>;
}

function nsenterArgs(pid: number, cwd: string, cmd: string, args: readonly string[]): string[] {
  return ["-t", String(pid), "-n", "-m", `--wd=${cwd}`, cmd, ...args];
}

// getcwd(2) can fail right after entering a mount namespace (seen under gVisor); go then trusts $PWD.
function withPwd(env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  return { ...env, PWD: cwd };
}

/** A namespace where each name in `hostNames` resolves to 127.0.0.1; `dir` receives its hosts file. */
export async function createNetns(dir: string, hostNames: readonly string[]): Promise<Netns | undefined> {
  const hosts = join(dir, "hosts");
  await writeFile(hosts, ["127.0.0.1 localhost", ...hostNames.map((h) => `127.0.0.1 ${h}`), ""].join("\n"));
  const script = `mount --bind '${hosts}' /etc/hosts && ip link set lo up && echo "netns $$" && exec sleep 86400`;
  const holder = spawn("unshare", ["--net", "--mount", "--fork", "sh", "-c", script], { stdio: ["ignore", "pipe", "pipe"] });
  const pid = await new Promise<number | undefined>((resolve) => {
    const lines = createInterface({ input: holder.stdout });
    lines.on("line", (line) => {
      const m = /^netns (\d+)$/.exec(line);
      if (m !== null) resolve(Number(m[1]));
    });
    holder.on("error", () => resolve(undefined));
    holder.on("exit", () => resolve(undefined));
  });
  if (pid === undefined) return undefined;
  const children: ChildProcess[] = [];

  return {
    run(cmd, args, options) {
      return new Promise((resolve) => {
        execFile("nsenter", nsenterArgs(pid, options.cwd, cmd, args), { env: withPwd(options.env, options.cwd), maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
          resolve({ code, stdout, stderr });
        });
      });
    },
    start(cmd, args, options) {
      const child = spawn("nsenter", nsenterArgs(pid, options.cwd, cmd, args), { env: withPwd(options.env, options.cwd), stdio: ["ignore", "pipe", "inherit"] });
      children.push(child);
      return new Promise((resolve, reject) => {
        const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
        lines.on("line", (line) => {
          if (options.ready.test(line)) resolve(child);
        });
        child.on("exit", (code) => reject(new Error(`${cmd} exited with ${code} before it was ready`)));
      });
    },
    async close() {
      for (const c of children) c.kill("SIGTERM");
      process.kill(pid, "SIGTERM");
      await new Promise<void>((resolve) => (holder.exitCode !== null ? resolve() : holder.once("exit", () => resolve())));
    },
  };
}

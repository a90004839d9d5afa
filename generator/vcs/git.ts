/**
 * Running the system `git` for direct module fetches: never prompting
 * (GIT_TERMINAL_PROMPT=0, ssh in batch mode), English messages to classify,
 * an idle limit on transfers, and the user's credentials as git finds them
 * (~/.netrc through curl, credential helpers) plus the $NETRC entry for the
 * repository's host through an extra credential helper that reads it from
 * the child's environment, so no secret appears on a command line.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import type { Credentials } from "../env/netrc.js";

export interface GitCommand {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Write stdout to this file instead of returning it. */
  readonly stdoutFile?: string;
}

export class GitFailure extends Error {
  override readonly name = "GitFailure";
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command}: ${summarizeStderr(stderr) || `exit status ${exitCode ?? "signal"}`}`);
  }

  /** git asked for credentials it did not get, or the server refused them. */
  get isAuth(): boolean {
    return AUTH_PATTERNS.some((re) => re.test(this.stderr));
  }
}

const AUTH_PATTERNS = [
  /could not read (Username|Password)/i,
  /terminal prompts disabled/i,
  /Authentication failed/i,
  /HTTP Basic: Access denied/i,
  /returned error: 40[13]\b/,
  /Permission denied \((publickey|password)/i,
];

const STDERR_KEEP = 8 * 1024;

/** The last few meaningful lines of git's stderr, on one line. */
export function summarizeStderr(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^(remote: )?(Counting|Compressing|Enumerating|Total|Receiving|Resolving)\b/.test(l));
  return lines.slice(-3).join("; ");
}

// Only answers `get`; git passes the operation as the helper's first argument.
const ENV_CREDENTIAL_HELPER =
  '!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" "$GOSET_GIT_USERNAME" "$GOSET_GIT_PASSWORD"; }; f';

const INHERITED_REPO_VARS = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE", "GIT_PREFIX"];

/** The environment every git child gets. */
export function gitEnvironment(base: NodeJS.ProcessEnv, idleTimeoutMs: number, credentials?: Credentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of INHERITED_REPO_VARS) delete env[name];
  env["GIT_TERMINAL_PROMPT"] = "0";
  env["GCM_INTERACTIVE"] = "never";
  env["LC_ALL"] = "C";
  if (!env["GIT_SSH"] && !env["GIT_SSH_COMMAND"]) env["GIT_SSH_COMMAND"] = "ssh -o ControlMaster=no -o BatchMode=yes";
  env["GIT_HTTP_LOW_SPEED_LIMIT"] = "1";
  env["GIT_HTTP_LOW_SPEED_TIME"] = String(Math.max(1, Math.ceil(idleTimeoutMs / 1000)));
  if (credentials !== undefined) {
    env["GOSET_GIT_USERNAME"] = credentials.user;
    env["GOSET_GIT_PASSWORD"] = credentials.password;
  }
  return env;
}

/** `-c` options placed before every git subcommand. */
export function gitConfigArgs(withCredentials: boolean): string[] {
  return withCredentials ? ["-c", `credential.helper=${ENV_CREDENTIAL_HELPER}`] : [];
}

/** The subcommand of a git command line (what messages name; options such as `-c` are skipped). */
export function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "-c") i++;
    else if (!a.startsWith("-")) return a;
  }
  return "";
}

/** Runs git; resolves with stdout (empty when written to a file), rejects with GitFailure. */
export function runGit(cmd: GitCommand): Promise<Buffer> {
  const label = `git ${subcommandOf(cmd.args)}`;
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...cmd.args], {
      cwd: cmd.cwd,
      env: cmd.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let stderr = "";
    const file = cmd.stdoutFile === undefined ? undefined : createWriteStream(cmd.stdoutFile);
    const written = file === undefined ? Promise.resolve() : finished(file);
    if (file !== undefined) child.stdout.pipe(file);
    else child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr = (stderr + c.toString("utf8")).slice(-STDERR_KEEP);
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      const why = e.code === "ENOENT" ? "git is not installed or not on PATH" : e.message;
      reject(new GitFailure(label, null, why));
    });
    child.on("close", (code) => {
      written.then(
        () => (code === 0 ? resolve(Buffer.concat(out)) : reject(new GitFailure(label, code, stderr))),
        reject,
      );
    });
  });
}

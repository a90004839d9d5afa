/**
 * The Go settings update-set honours, read where cmd/go reads them (without
 * running go): the process environment (empty counts as unset), then the
 * user's env file written by `go env -w`, then `$GOROOT/go.env`, then Go's
 * built-in defaults.
 */
import { readFile as fsReadFile, realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { GosetError } from "../errors.js";
import { netrcPathFor } from "./netrc.js";

export interface GoSettings {
  readonly goproxy: string;
  readonly gonoproxy: string;
  readonly gonosumdb: string;
  readonly goprivate: string;
  readonly gosumdb: string;
  readonly goinsecure: string;
  readonly goflags: string;
  /** `$NETRC`, else `~/.netrc` (the file need not exist). */
  readonly netrcPath: string;
  /** update-set's own cache: `$XDG_CACHE_HOME/goset`, else `~/.cache/goset`. */
  readonly cacheDir: string;
}

export type ReadTextFile = (path: string, encoding: "utf8") => Promise<string>;

const DEFAULT_GOPROXY = "https://proxy.golang.org,direct";
const DEFAULT_GOSUMDB = "sum.golang.org";

const defaultReadFile: ReadTextFile = (path, encoding) => fsReadFile(path, encoding);

/**
 * KEY=VALUE lines as `go env -w` writes them. Like cmd/go, lines without `=`
 * or not starting with an uppercase letter are skipped and values are taken
 * verbatim; a later line for the same key wins.
 */
export function parseGoEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    const first = line.charCodeAt(0);
    if (eq < 0 || !(first >= 65 && first <= 90)) continue;
    values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}

/** The user env file, or undefined when GOENV=off or no config directory is known. */
export function goEnvFilePath(env: NodeJS.ProcessEnv): string | undefined {
  const goenv = env["GOENV"];
  if (goenv !== undefined && goenv !== "") return goenv === "off" ? undefined : goenv;
  const xdg = env["XDG_CONFIG_HOME"];
  if (xdg !== undefined && xdg !== "") return isAbsolute(xdg) ? join(xdg, "go", "env") : undefined;
  const home = env["HOME"];
  return home === undefined || home === "" ? undefined : join(home, ".config", "go", "env");
}

async function readEnvFile(path: string | undefined, readFile: ReadTextFile): Promise<Map<string, string>> {
  if (path === undefined) return new Map();
  try {
    return parseGoEnvFile(await readFile(path, "utf8"));
  } catch {
    // cmd/go ignores an unreadable env file too.
    return new Map();
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** GOROOT as cmd/go finds it: the env file, the environment, else next to the `go` on PATH. */
async function findGoRoot(env: NodeJS.ProcessEnv, userFile: Map<string, string>): Promise<string | undefined> {
  const explicit = userFile.get("GOROOT") || env["GOROOT"];
  if (explicit) return resolve(explicit);
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    const exe = join(dir, "go");
    if (!(await isFile(exe))) continue;
    const real = await realpath(exe).catch(() => exe);
    for (const candidate of [exe, real].flatMap((e) => [resolve(e, "../.."), resolve(e, "../../..")])) {
      if (await isDirectory(join(candidate, "pkg", "tool"))) return candidate;
    }
    return undefined;
  }
  return undefined;
}

function cacheDirFor(env: NodeJS.ProcessEnv): string {
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== undefined && xdg !== "") {
    if (!isAbsolute(xdg)) {
      throw new GosetError("GOSET_ENV_INVALID", `XDG_CACHE_HOME=${xdg} is not an absolute path`, {
        hint: "Set XDG_CACHE_HOME to an absolute directory or unset it (update-set then uses ~/.cache/goset).",
      });
    }
    return join(xdg, "goset");
  }
  return join(env["HOME"] || homedir(), ".cache", "goset");
}

export async function readGoSettings(
  env: NodeJS.ProcessEnv = process.env,
  readFile: ReadTextFile = defaultReadFile,
): Promise<GoSettings> {
  const userFile = await readEnvFile(goEnvFilePath(env), readFile);
  const goroot = await findGoRoot(env, userFile);
  const gorootFile = await readEnvFile(goroot === undefined ? undefined : join(goroot, "go.env"), readFile);
  // A key present in the user file hides go.env's value even when empty, as in cmd/go.
  const lookup = (key: string): string | undefined =>
    env[key] || (userFile.has(key) ? userFile.get(key) : gorootFile.get(key));
  const goprivate = lookup("GOPRIVATE") ?? "";
  return {
    goproxy: lookup("GOPROXY") ?? DEFAULT_GOPROXY,
    gonoproxy: lookup("GONOPROXY") || goprivate,
    gonosumdb: lookup("GONOSUMDB") || goprivate,
    goprivate,
    gosumdb: lookup("GOSUMDB") ?? DEFAULT_GOSUMDB,
    goinsecure: lookup("GOINSECURE") ?? "",
    goflags: lookup("GOFLAGS") ?? "",
    netrcPath: netrcPathFor(env),
    cacheDir: cacheDirFor(env),
  };
}

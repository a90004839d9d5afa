/**
 * The netrc file that supplies basic-auth credentials for HTTPS proxies, as
 * cmd/go reads it: `$NETRC`, else `~/.netrc`; the first entry for a host wins;
 * the `default` entry is never used.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { GosetError } from "../errors.js";
import { processSecrets } from "../redact.js";

export interface NetrcEntry {
  /** The host (with `:port` when the file says so); "" for the `default` entry. */
  readonly machine: string;
  readonly isDefault: boolean;
  readonly login: string;
  readonly password: string;
  readonly account: string;
}

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** Where cmd/go looks for the netrc file. */
export function netrcPathFor(env: NodeJS.ProcessEnv): string {
  const explicit = env["NETRC"];
  if (explicit !== undefined && explicit !== "") return explicit;
  return join(env["HOME"] || homedir(), ".netrc");
}

/**
 * Parses netrc text. Tokens are whitespace-separated across lines; `macdef`
 * bodies (up to the next empty line) are skipped. Every password read is
 * registered as a secret so it is redacted from all output.
 */
export function parseNetrc(text: string): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  let current: { machine: string; isDefault: boolean; login: string; password: string; account: string } | undefined;
  const flush = (): void => {
    if (current !== undefined) entries.push({ ...current });
    current = undefined;
  };
  const lines = text.split("\n");
  for (let li = 0; li < lines.length; li++) {
    const words = (lines[li] as string).split(/\s+/).filter((w) => w !== "");
    for (let wi = 0; wi < words.length; wi++) {
      const word = words[wi] as string;
      // A keyword's value may sit on the following line.
      const takeValue = (): string => {
        for (;;) {
          const value = words[wi + 1];
          if (value !== undefined) {
            wi++;
            return value;
          }
          if (li + 1 >= lines.length) return "";
          li++;
          words.length = 0;
          words.push(...(lines[li] as string).split(/\s+/).filter((w) => w !== ""));
          wi = -1;
        }
      };
      switch (word) {
        case "machine":
          flush();
          current = { machine: takeValue(), isDefault: false, login: "", password: "", account: "" };
          break;
        case "default":
          flush();
          current = { machine: "", isDefault: true, login: "", password: "", account: "" };
          break;
        case "login":
        case "password":
        case "account": {
          const value = takeValue();
          if (current === undefined) break;
          current[word] = value;
          if (word === "password") processSecrets.register(value);
          break;
        }
        case "macdef":
          takeValue();
          // The macro body runs from the next line up to an empty line.
          while (li + 1 < lines.length && (lines[li + 1] as string).trim() !== "") li++;
          wi = words.length;
          break;
        default:
          break;
      }
    }
  }
  flush();
  return entries;
}

/** The first complete entry for `host` (`hostname` or `hostname:port`, as in the URL). */
export function credentialsFor(entries: readonly NetrcEntry[], host: string): Credentials | undefined {
  const entry = entries.find((e) => !e.isDefault && e.machine === host && e.login !== "" && e.password !== "");
  return entry === undefined ? undefined : { user: entry.login, password: entry.password };
}

/** Reads and parses the netrc file; a missing file means no entries. */
export async function readNetrc(path: string): Promise<NetrcEntry[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw new GosetError("GOSET_NETRC_INVALID", `${path}: cannot read netrc file: ${(e as Error).message}`, {
      hint: "Make the file readable, or point $NETRC at another file.",
      cause: e,
    });
  }
  return parseNetrc(text);
}

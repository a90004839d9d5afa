/**
 * GOSUMDB as cmd/go reads it: `off`, a known database name, a verifier key,
 * or either followed by the URL to reach the database at.
 */
import { GosetError } from "../errors.js";
import { takeUserinfo } from "../proxy/goproxy.js";
import { redactUrl } from "../redact.js";
import { NoteError, parseVerifierKey, type NoteVerifier } from "./note.js";

/** The verifier keys cmd/go knows by name (cmd/go/internal/modfetch/key.go). */
export const KNOWN_SUMDB_KEYS: Readonly<Record<string, string>> = {
  "sum.golang.org": "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
};

/** Names cmd/go rewrites before parsing: a mirror of sum.golang.org reachable in mainland China. */
const ALIASES: Readonly<Record<string, string>> = {
  "sum.golang.google.cn": "sum.golang.org https://sum.golang.google.cn",
};

export interface SumdbUrl {
  /** Without userinfo. */
  readonly url: string;
  readonly auth?: { readonly user: string; readonly password: string };
}

export type SumdbConfig =
  | { readonly kind: "off" }
  | {
      readonly kind: "db";
      /** The database name from the key, e.g. `sum.golang.org`: also its host[/path]. */
      readonly name: string;
      readonly verifier: NoteVerifier;
      /** An explicit URL, which bypasses GOPROXY and the default https://<name>. */
      readonly url?: SumdbUrl;
    };

const HINT =
  "GOSUMDB is `off`, a known database name (sum.golang.org), a verifier key <name>+<hash>+<key>, " +
  "optionally followed by a space and the URL of the database. Fix it in the environment or with `go env -w GOSUMDB=...`.";

function invalid(value: string, reason: string): GosetError {
  return new GosetError("GOSET_ENV_INVALID", `GOSUMDB=${redactUrl(value)}: ${reason}`, { hint: HINT });
}

/** host[:port][/path]: what https://<name> may be, without tricks (userinfo, query, dot segments). */
function isValidDatabaseName(name: string): boolean {
  const m = /^([A-Za-z0-9.-]+(?::[0-9]+)?)((?:\/[A-Za-z0-9._~-]+)*)$/.exec(name);
  if (m === null) return false;
  return !(m[2] ?? "").split("/").some((e) => e === "." || e === "..");
}

function parseUrl(value: string, raw: string): SumdbUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(value, `invalid URL ${redactUrl(raw)}`);
  }
  if (!["https:", "http:", "file:"].includes(url.protocol)) {
    throw invalid(value, `invalid URL scheme (must be https, http, file): ${redactUrl(raw)}`);
  }
  const { user, password } = takeUserinfo(url);
  return user === "" && password === "" ? { url: url.href } : { url: url.href, auth: { user, password } };
}

export function parseGoSumdb(value: string): SumdbConfig {
  if (value === "off") return { kind: "off" };
  const fields = (ALIASES[value] ?? value).split(/\s+/).filter((f) => f !== "");
  const [first, second, ...extra] = fields;
  if (first === undefined) throw invalid(value, "missing GOSUMDB");
  if (extra.length > 0) throw invalid(value, "too many fields");
  let verifier: NoteVerifier;
  try {
    verifier = parseVerifierKey(KNOWN_SUMDB_KEYS[first] ?? first);
  } catch (e) {
    if (e instanceof NoteError) throw invalid(value, `${e.message} (and not a known database name)`);
    throw e;
  }
  if (!isValidDatabaseName(verifier.name)) {
    throw invalid(value, `invalid database name ${JSON.stringify(verifier.name)} (must be host[/path])`);
  }
  return second === undefined
    ? { kind: "db", name: verifier.name, verifier }
    : { kind: "db", name: verifier.name, verifier, url: parseUrl(value, second) };
}

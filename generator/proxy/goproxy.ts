/**
 * GOPROXY as data: the list cmd/go walks for every module lookup.
 */
import { GosetError } from "../errors.js";
import { processSecrets, redactUrl } from "../redact.js";

export type FallThrough = "notFound" | "anyError";

export type ProxyEntry =
  | {
      readonly kind: "url";
      /** The proxy base URL without userinfo. */
      readonly url: string;
      readonly auth?: { readonly user: string; readonly password: string };
      /** When the next entry is tried: after 404/410 only (`,`) or after any error (`|`). */
      readonly fallThrough: FallThrough;
    }
  | { readonly kind: "direct" }
  | { readonly kind: "off" };

const HINT =
  "GOPROXY is a list of https://, http:// or file:// URLs separated by ',' (next on 404/410) " +
  "or '|' (next on any error), optionally ending in 'direct' or 'off', e.g. " +
  "GOPROXY=https://proxy.golang.org,direct. Fix it in the environment or with `go env -w GOPROXY=...`.";

function invalid(value: string, reason: string): GosetError {
  return new GosetError("GOSET_ENV_INVALID", `GOPROXY=${redactUrlsIn(value)}: ${reason}`, { hint: HINT });
}

function redactUrlsIn(value: string): string {
  return value
    .split(/([,|])/)
    .map((part) => redactUrl(part))
    .join("");
}

function parseProxyUrl(
  value: string,
  raw: string,
  fallThrough: FallThrough,
): Extract<ProxyEntry, { kind: "url" }> {
  // Like cmd/go: a bare host (with a dot, colon or slash but no scheme) means https.
  const isAbsPath = raw.startsWith("/");
  const spelled = /[.:/]/.test(raw) && !raw.includes(":/") && !isAbsPath ? `https://${raw}` : raw;
  let url: URL;
  try {
    url = new URL(spelled);
  } catch {
    throw invalid(value, `invalid proxy URL ${redactUrl(spelled)} (missing scheme?)`);
  }
  const { user, password } = takeUserinfo(url);
  switch (url.protocol) {
    case "http:":
    case "https:":
      break;
    case "file:":
      if (!/^file:\/\/(\/|$)|^file:\/(?!\/)/i.test(spelled) || url.search !== "" || url.hash !== "" || user !== "") {
        throw invalid(value, `invalid file:// proxy URL with non-path elements: ${redactUrl(spelled)}`);
      }
      break;
    default:
      throw invalid(value, `invalid proxy URL scheme (must be https, http, file): ${redactUrl(spelled)}`);
  }
  const auth = user !== "" || password !== "" ? { user, password } : undefined;
  return auth === undefined
    ? { kind: "url", url: url.href, fallThrough }
    : { kind: "url", url: url.href, auth, fallThrough };
}

/**
 * Parses a GOPROXY value. The separator after an entry says when the next one
 * is tried; `direct` and `off` end the list, and entries after them are ignored.
 */
export function parseGoProxy(value: string): ProxyEntry[] {
  const entries: ProxyEntry[] = [];
  const parts = value.split(/([,|])/);
  for (let i = 0; i < parts.length; i += 2) {
    const raw = (parts[i] as string).trim();
    const separator = parts[i + 1];
    if (raw === "") continue;
    if (raw === "off") {
      entries.push({ kind: "off" });
      break;
    }
    if (raw === "direct") {
      entries.push({ kind: "direct" });
      break;
    }
    entries.push(parseProxyUrl(value, raw, separator === "|" ? "anyError" : "notFound"));
  }
  if (entries.length === 0) throw invalid(value, "the list contains no entries");
  return entries;
}

/** How an entry is named in messages: its URL without credentials, or the keyword. */
export function describeProxyEntry(entry: ProxyEntry): string {
  return entry.kind === "url" ? entry.url : entry.kind;
}

/**
 * Moves the `user:password@` of a URL out of it, registering the secret for
 * redaction, so the URL can be shown and the credentials sent only as auth.
 */
export function takeUserinfo(url: URL): { user: string; password: string } {
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (password !== "") processSecrets.register(password);
  else if (user !== "") processSecrets.register(user);
  url.username = "";
  url.password = "";
  return { user, password };
}

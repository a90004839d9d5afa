/**
 * The module proxy client of update-set: every lookup walks the GOPROXY list
 * the way cmd/go does and reports the most telling failure, naming each
 * entry tried and what it said. GONOPROXY/GOPRIVATE modules, and lookups
 * that reach `direct`, go to version control (generator/vcs).
 */
import { GosetError, type ErrorCode } from "../errors.js";
import type { GoSettings } from "../env/goenv.js";
import type { Credentials } from "../env/netrc.js";
import { matchPrefixPatterns } from "../env/patterns.js";
import { canonicalModuleVersion } from "../gomod/semver.js";
import type { ModulePath, Version } from "../types.js";
import { createDirectSource, type DirectSource } from "../vcs/source.js";
import { createHttpSetup, type HttpSetup, type HttpSetupOptions } from "./agent.js";
import { readCaCertificates } from "./ca.js";
import { SourceFailure } from "./failure.js";
import { createFileFetcher } from "./file-fetcher.js";
import { parseGoProxy, type ProxyEntry } from "./goproxy.js";
import { createHttpFetcher } from "./http-fetcher.js";
import { createProtocolSource, createUnavailableSource, type ModuleSource, type RevInfo } from "./source.js";

export type { RevInfo } from "./source.js";

export interface ModuleProxy {
  /** Release versions from `@v/list`, sorted (an empty list is a valid answer). */
  listVersions(path: ModulePath): Promise<Version[]>;
  info(path: ModulePath, version: string): Promise<RevInfo>;
  /** `@latest`, else the highest version of `@v/list` on the same proxy. */
  latest(path: ModulePath): Promise<RevInfo>;
  goMod(path: ModulePath, version: Version): Promise<Buffer>;
  /** Streams the zip to `destFile` (through `destFile.part`, then renamed). */
  downloadZip(path: ModulePath, version: Version, destFile: string): Promise<{ bytes: number }>;
  close(): Promise<void>;
}

/**
 * The HTTP settings of a client that makes its own set-up (caCertificates
 * defaults to the file SSL_CERT_FILE names in `env`), or the run's shared one.
 */
export interface ModuleProxyOptions extends HttpSetupOptions {
  /** Environment for git (direct fetches) and SSL_CERT_FILE. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A set-up shared with the checksum-database client; its settings then replace the others, and its creator closes it. */
  readonly http?: HttpSetup;
}

interface WalkStep {
  readonly source: ModuleSource;
  readonly fallThrough: "notFound" | "anyError";
}

interface Attempt {
  readonly label: string;
  readonly failure: SourceFailure;
}

const ELEMENT_RE = /^[A-Za-z0-9._~-]+$/;
const REVISION_RE = /^[A-Za-z0-9._~+-]+$/;
const MARKERS: ReadonlySet<ErrorCode> = new Set(["GOSET_PROXY_OFF"]);

const HEADLINES: Partial<Record<ErrorCode, string>> = {
  GOSET_PROXY_NOT_FOUND: "not found on any proxy",
  GOSET_PROXY_AUTH: "the proxy refused access",
  GOSET_PROXY_TIMEOUT: "the proxy timed out",
  GOSET_PROXY_HTTP: "the proxy request failed",
  GOSET_PROXY_OFF: "module lookup disabled by GOPROXY=off",
  GOSET_VCS: "fetching it from version control (direct) failed",
  GOSET_VCS_AUTH: "version control (direct) refused access",
  GOSET_ZIP_TOO_LARGE: "the module zip is too large",
};

const HINTS: Partial<Record<ErrorCode, string>> = {
  GOSET_PROXY_NOT_FOUND:
    "Check the module path and version (case matters). A private module needs a proxy that serves it in GOPROXY.",
  GOSET_PROXY_AUTH:
    "Add a `machine <host> login <user> password <token>` entry to $NETRC or ~/.netrc (https only), " +
    "or put user:password@ in the https GOPROXY URL.",
  GOSET_PROXY_TIMEOUT: "Check the network and the proxy, or retry later.",
  GOSET_PROXY_HTTP: "Retry later, or list a fallback proxy after '|' in GOPROXY.",
  GOSET_PROXY_OFF:
    "Set GOPROXY to a proxy (e.g. https://proxy.golang.org) or a file:// module cache so update-set can fetch modules.",
  GOSET_ZIP_TOO_LARGE: "Module zips are limited to 500 MiB; such a module cannot be part of the set.",
};

function validatePath(path: ModulePath): void {
  const elements = path.split("/");
  if (!elements.every((e) => ELEMENT_RE.test(e) && e !== "." && e !== "..")) {
    throw new GosetError("GOSET_PATH_INVALID", `invalid module path ${JSON.stringify(path)}`, {
      hint: "Module paths are slash-separated elements of letters, digits and '-._~'.",
    });
  }
}

function validateRevision(path: ModulePath, version: string, canonical: boolean): void {
  const ok = REVISION_RE.test(version) && (!canonical || canonicalModuleVersion(version) === version);
  if (!ok) {
    throw new GosetError("GOSET_VERSION_INVALID", `${path}@${version}: not a canonical module version`, {
      hint: "Use a canonical semantic version with the v prefix, e.g. v1.2.3 or v0.0.0-20240101000000-abcdef123456.",
    });
  }
}

/**
 * Picks the error to report, as go does: the last failure other than "not
 * found" (direct's, when the walk reached it), else off, else not found.
 */
function reportWalkFailure(what: string, attempts: readonly Attempt[]): GosetError {
  const last = attempts.at(-1);
  const telling = attempts.filter((a) => !a.failure.notFound && !MARKERS.has(a.failure.code)).at(-1);
  const chosen = telling ?? (last !== undefined && MARKERS.has(last.failure.code) ? last : undefined);
  const code: ErrorCode = chosen?.failure.code ?? "GOSET_PROXY_NOT_FOUND";
  const said = attempts.filter((a) => !MARKERS.has(a.failure.code)).map((a) => `${a.label}: ${a.failure.message}`);
  const headline = HEADLINES[code] ?? chosen?.failure.message ?? "failed";
  const message = `${what}: ${headline}${said.length === 0 ? "" : ` (${said.join("; ")})`}`;
  const hint = [chosen?.failure.hint, HINTS[code]].filter((h) => h !== undefined).join(" ");
  return new GosetError(code, message, { hint, ...(chosen === undefined ? {} : { cause: chosen.failure }) });
}

async function walk<T>(what: string, steps: readonly WalkStep[], op: (s: ModuleSource) => Promise<T>): Promise<T> {
  const attempts: Attempt[] = [];
  for (const step of steps) {
    try {
      return await op(step.source);
    } catch (e) {
      if (!(e instanceof SourceFailure)) throw e;
      attempts.push({ label: step.source.label, failure: e });
      if (!e.notFound && step.fallThrough === "notFound") break;
    }
  }
  throw reportWalkFailure(what, attempts);
}

type ProxyAt = (url: string, auth?: Credentials) => ModuleSource;

function sourceFor(entry: ProxyEntry, direct: ModuleSource, proxyAt: ProxyAt): ModuleSource {
  if (entry.kind === "off") return createUnavailableSource("off");
  if (entry.kind === "direct") return direct;
  return proxyAt(entry.url, entry.auth);
}

/** Where GONOPROXY sends a module, said in the terms the user set. */
function directReason(settings: GoSettings): string {
  const via = settings.gonoproxy === settings.goprivate ? "GOPRIVATE" : "GONOPROXY";
  return `matches ${via}=${settings.gonoproxy}, so it is fetched directly from version control`;
}

export function createModuleProxy(settings: GoSettings, options: ModuleProxyOptions = {}): ModuleProxy {
  const env = options.env ?? process.env;
  const entries = parseGoProxy(settings.goproxy);
  const http = options.http ?? createHttpSetup(settings.netrcPath, { ...options, caCertificates: options.caCertificates ?? readCaCertificates(env) });
  const { agent, netrc, policy } = http;
  const proxyAt: ProxyAt = (url, auth) =>
    createProtocolSource(url.startsWith("file:") ? createFileFetcher(url) : createHttpFetcher(url, auth, agent, policy, netrc));
  const direct: DirectSource = createDirectSource({
    goinsecure: settings.goinsecure,
    netrc,
    dispatcher: agent,
    timeoutMs: policy.timeoutMs,
    env,
    proxySource: (url) => proxyAt(url),
  });
  const steps: WalkStep[] = entries.map((entry) => ({
    source: sourceFor(entry, direct, proxyAt),
    fallThrough: entry.kind === "url" ? entry.fallThrough : "notFound",
  }));

  const run = <T>(path: ModulePath, what: string, op: (s: ModuleSource) => Promise<T>): Promise<T> => {
    validatePath(path);
    if (!matchPrefixPatterns(settings.gonoproxy, path)) return walk(what, steps, op);
    return op(direct).catch((e: unknown) => {
      if (!(e instanceof SourceFailure)) throw e;
      const proxyHint =
        `If a proxy serves ${path}, set GONOPROXY=none (GOPRIVATE then still skips the checksum database) ` +
        "and list that proxy in GOPROXY.";
      throw new GosetError(e.code, `${what}: ${directReason(settings)}: ${e.message}`, {
        hint: [e.hint, proxyHint].filter((h) => h !== undefined).join(" "),
        cause: e,
      });
    });
  };

  let closed: Promise<void> | undefined;
  return {
    listVersions: async (path) => run(path, `${path} (@v/list)`, (s) => s.listVersions(path)),
    info: async (path, version) => {
      validateRevision(path, version, false);
      return run(path, `${path}@${version}`, (s) => s.info(path, version));
    },
    latest: async (path) => run(path, `${path}@latest`, (s) => s.latest(path)),
    goMod: async (path, version) => {
      validateRevision(path, version, true);
      return run(path, `${path}@${version} (go.mod)`, (s) => s.goMod(path, version));
    },
    downloadZip: async (path, version, destFile) => {
      validateRevision(path, version, true);
      return run(path, `${path}@${version} (zip)`, (s) => s.downloadZip(path, version, destFile));
    },
    close: () => (closed ??= Promise.all([options.http === undefined ? http.close() : undefined, direct.close()]).then(() => undefined)),
  };
}

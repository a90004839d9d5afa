/**
 * An http(s) GOPROXY entry over a shared undici dispatcher: basic auth from
 * netrc or the URL's userinfo (https only, as cmd/go), at most 10 redirects and never
 * from https to http, status codes mapped to SourceFailures, retries.
 */
import { STATUS_CODES } from "node:http";
import type { Readable } from "node:stream";
import { request, type Dispatcher } from "undici";
import { isGosetError } from "../errors.js";
import { processSecrets, redactUrl } from "../redact.js";
import { credentialsFor, type Credentials, type NetrcEntry } from "../env/netrc.js";
import { notFound, SourceFailure } from "./failure.js";
import type { ConsumeBody, ProxyFetcher } from "./fetcher.js";
import { parseRetryAfter, withRetries, type RetryPolicy } from "./retry.js";

const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);
const FINAL_CODES = new Set(["UND_ERR_NOT_SUPPORTED", "UND_ERR_CLOSED", "UND_ERR_DESTROYED"]);
const ERROR_BODY_BYTES = 1024;
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface HttpFetcherOptions extends RetryPolicy {
  /** Idle limit for connecting, for the response headers, and between body chunks. */
  readonly timeoutMs: number;
}

/** Where netrc credentials come from; read once, lazily. */
export interface NetrcSource {
  readonly path: string;
  readonly read: () => Promise<readonly NetrcEntry[]>;
}

interface HopAuth {
  readonly header: string | undefined;
  /** For the hint of a 401/403: where the credentials came from (never the secret). */
  readonly source: string;
}

function basicAuth(c: Credentials): string {
  const header = "Basic " + Buffer.from(`${c.user}:${c.password}`).toString("base64");
  processSecrets.register(header.slice("Basic ".length));
  return header;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text === undefined ? String(status) : `${status} ${text}`;
}

/**
 * The start of an error body, as one printable line (proxies explain 404s
 * there). A short body is read to its end so the connection stays reusable.
 */
async function readErrorSnippet(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size < ERROR_BODY_BYTES) chunks.push(buf);
      size += buf.length;
      if (size > MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // The status alone is enough.
  }
  const text = Buffer.concat(chunks)
    .subarray(0, ERROR_BODY_BYTES)
    .toString("utf8")
    .replace(/[^\x20-\x7e]+/g, " ")
    .trim();
  if (text === "") return "";
  return `: ${text.length > 200 ? text.slice(0, 200) + "..." : text}`;
}

function failureForStatus(status: number, retryAfter: string | undefined, snippet: string, auth: HopAuth): SourceFailure {
  const detail = statusLine(status) + snippet;
  if (status === 404 || status === 410) return notFound(detail);
  // A 403 to a request that carried no credentials is the proxy's policy
  // (a mirror that does not serve this version), not a login problem.
  if (status === 403 && auth.header === undefined && snippet !== "") {
    return new SourceFailure("GOSET_PROXY_HTTP", `the proxy refused this module version (${detail})`, {
      hint: "the proxy does not serve it (see its message); pick another version, or list a proxy that serves it in GOPROXY. If the proxy needs credentials, add them to $NETRC or ~/.netrc.",
    });
  }
  if (status === 401 || status === 403) {
    return new SourceFailure("GOSET_PROXY_AUTH", detail, { hint: `Credentials sent: ${auth.source}.` });
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(retryAfter) : undefined;
    return new SourceFailure(
      "GOSET_PROXY_HTTP",
      detail,
      retryAfterMs === undefined ? { retryable: true } : { retryable: true, retryAfterMs },
    );
  }
  return new SourceFailure("GOSET_PROXY_HTTP", `unexpected ${detail}`);
}

/** Maps what undici (or a body stream) threw; SourceFailure and GosetError pass through. */
function failureForError(e: unknown, timeoutMs: number): unknown {
  if (e instanceof SourceFailure || isGosetError(e) || !(e instanceof Error)) return e;
  const code = (e as NodeJS.ErrnoException).code ?? "";
  if (TIMEOUT_CODES.has(code)) {
    const what =
      code === "UND_ERR_CONNECT_TIMEOUT"
        ? "could not connect"
        : code === "UND_ERR_HEADERS_TIMEOUT"
          ? "no response"
          : "response body stalled";
    return new SourceFailure("GOSET_PROXY_TIMEOUT", `${what} within ${timeoutMs} ms`, { retryable: true });
  }
  // A closed dispatcher means the run is over (another lookup failed): retrying would only delay the exit.
  const retryable = !code.startsWith("UND_ERR_INVALID") && !FINAL_CODES.has(code);
  return new SourceFailure("GOSET_PROXY_HTTP", `${e.message}${code === "" ? "" : ` (${code})`}`, { retryable });
}

function joinUrl(base: string, rel: string): URL {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/+$/, "") + "/" + rel;
  return url;
}

export function createHttpFetcher(
  baseUrl: string,
  urlAuth: Credentials | undefined,
  dispatcher: Dispatcher,
  options: HttpFetcherOptions,
  netrc: NetrcSource,
): ProxyFetcher {
  const baseOrigin = new URL(baseUrl).origin;

  // Like cmd/go: netrc (https only) first, then the userinfo of the GOPROXY URL,
  // which is only ever sent to the proxy's own origin.
  async function authFor(url: URL): Promise<HopAuth> {
    const secure = url.protocol === "https:";
    if (secure) {
      const c = credentialsFor(await netrc.read(), url.host);
      if (c !== undefined) {
        return { header: basicAuth(c), source: `the netrc entry for ${url.host} in ${netrc.path} ($NETRC or ~/.netrc)` };
      }
    }
    if (urlAuth !== undefined && url.origin === baseOrigin) {
      return { header: basicAuth(urlAuth), source: "the user:password in the GOPROXY URL" };
    }
    return {
      header: undefined,
      source: secure
        ? `none (no entry for ${url.host} in ${netrc.path} and no user:password in the GOPROXY URL)`
        : `none (${url.host} is plain http: credentials are only sent over https)`,
    };
  }

  async function open(rel: string): Promise<{ body: Readable; contentLength: number | undefined }> {
    const start = joinUrl(baseUrl, rel);
    if (urlAuth !== undefined && start.protocol !== "https:") {
      // cmd/go's web.Get refuses this too, so a build's `go mod download` would fail the same way.
      throw new SourceFailure("GOSET_PROXY_AUTH", `refusing to pass credentials to insecure URL ${baseUrl}`, {
        hint: "Credentials in a GOPROXY URL are sent over https only: use an https URL for that proxy.",
      });
    }
    let url = start;
    for (let hops = 0; ; hops++) {
      const auth = await authFor(url);
      const headers: Record<string, string> = { "user-agent": "goset-update-set" };
      if (auth.header !== undefined) headers["authorization"] = auth.header;
      const res = await request(url, {
        dispatcher,
        method: "GET",
        headers,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      if (res.statusCode === 200) {
        const length = headerValue(res.headers["content-length"]);
        return { body: res.body, contentLength: length === undefined ? undefined : Number(length) };
      }
      const location = headerValue(res.headers["location"]);
      if (REDIRECT_STATUSES.has(res.statusCode) && location !== undefined) {
        await res.body.dump().catch(() => undefined);
        if (hops >= MAX_REDIRECTS) {
          throw new SourceFailure("GOSET_PROXY_HTTP", `stopped after ${MAX_REDIRECTS} redirects`);
        }
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new SourceFailure("GOSET_PROXY_HTTP", `${statusLine(res.statusCode)} with an invalid Location`);
        }
        if (next.protocol !== "https:" && next.protocol !== "http:") {
          throw new SourceFailure("GOSET_PROXY_HTTP", `redirected to unsupported URL ${redactUrl(next.href)}`);
        }
        if (start.protocol === "https:" && next.protocol !== "https:") {
          throw new SourceFailure(
            "GOSET_PROXY_HTTP",
            `redirected from secure URL ${redactUrl(url.href)} to insecure URL ${redactUrl(next.href)}`,
          );
        }
        url = next;
        continue;
      }
      const snippet = await readErrorSnippet(res.body);
      const failure = failureForStatus(res.statusCode, headerValue(res.headers["retry-after"]), snippet, auth);
      if (url === start) throw failure;
      throw new SourceFailure(failure.code, `${failure.message} (at ${redactUrl(url.href)})`, {
        retryable: failure.retryable,
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
        ...(failure.hint === undefined ? {} : { hint: failure.hint }),
      });
    }
  }

  return {
    label: baseUrl,
    fetch<T>(rel: string, consume: ConsumeBody<T>): Promise<T> {
      return withRetries(options, async () => {
        try {
          const { body, contentLength } = await open(rel);
          try {
            return await consume(body, contentLength);
          } finally {
            if (!body.readableEnded) body.destroy();
          }
        } catch (e) {
          throw failureForError(e, options.timeoutMs);
        }
      });
    },
  };
}

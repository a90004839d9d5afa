/**
 * Fetching a `?go-get=1` page as cmd/go's web.Get does: netrc credentials on
 * https only, redirects followed (never from https to http), the body kept
 * whatever the status (servers put go-import tags on 404 pages too).
 */
import { request, type Dispatcher } from "undici";
import { credentialsFor, type NetrcEntry } from "../env/netrc.js";
import { processSecrets, redactUrl } from "../redact.js";

export interface GoImportPage {
  readonly status: number;
  readonly body: string;
  /** Where the page was finally read from, without credentials. */
  readonly url: string;
}

export interface PageFetchOptions {
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly netrc: () => Promise<readonly NetrcEntry[]>;
}

const MAX_REDIRECTS = 10;
const MAX_PAGE_BYTES = 4 << 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function authorization(url: URL, options: PageFetchOptions): Promise<Record<string, string>> {
  if (url.protocol !== "https:") return {};
  const c = credentialsFor(await options.netrc(), url.host);
  if (c === undefined) return {};
  const token = Buffer.from(`${c.user}:${c.password}`).toString("base64");
  processSecrets.register(token);
  return { authorization: `Basic ${token}` };
}

async function readText(body: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_PAGE_BYTES) break;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** GETs `start`; rejects (with a plain Error) only when no HTTP answer arrived. */
export async function fetchGoImportPage(start: URL, options: PageFetchOptions): Promise<GoImportPage> {
  let url = start;
  for (let hops = 0; ; hops++) {
    const res = await request(url, {
      dispatcher: options.dispatcher,
      method: "GET",
      headers: { "user-agent": "goset-update-set", ...(await authorization(url, options)) },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const location = res.headers["location"];
    if (REDIRECTS.has(res.statusCode) && typeof location === "string") {
      await res.body.dump().catch(() => undefined);
      const next = new URL(location, url);
      if (hops >= MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
      if (start.protocol === "https:" && next.protocol !== "https:") {
        throw new Error(`redirected from secure URL ${redactUrl(url.href)} to insecure URL ${redactUrl(next.href)}`);
      }
      url = next;
      continue;
    }
    return { status: res.statusCode, body: await readText(res.body), url: redactUrl(url.href) };
  }
}

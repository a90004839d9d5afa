/**
 * The one HTTP set-up of the module proxy and checksum-database clients: an
 * undici Agent with a connect timeout, a bounded number of connections per
 * origin, and the TLS roots (Node's, plus `$SSL_CERT_FILE`'s when set); the
 * netrc credentials; the retry policy.
 *
 * The roots are parsed once into a SecureContext shared by every connection:
 * handing `ca` to each connection instead makes Node parse the whole bundle
 * again per TLS socket, about a megabyte of native memory each.
 */
import { createSecureContext, rootCertificates } from "node:tls";
import type { SecureContext } from "node:tls";
import { Agent } from "undici";
import { readNetrc, type NetrcEntry } from "../env/netrc.js";
import type { HttpFetcherOptions, NetrcSource } from "./http-fetcher.js";

/** Connections kept per origin; further requests wait for one. */
const CONNECTIONS_PER_ORIGIN = 16;
const KEEP_ALIVE_MS = 10_000;

const contexts = new Map<string, SecureContext>();

function secureContextWith(extraCa: string): SecureContext {
  let context = contexts.get(extraCa);
  if (context === undefined) {
    context = createSecureContext({ ca: [...rootCertificates, extraCa] });
    contexts.set(extraCa, context);
  }
  return context;
}

function createHttpAgent(timeoutMs: number, extraCa: string | undefined): Agent {
  const connect = extraCa === undefined ? { timeout: timeoutMs } : { timeout: timeoutMs, secureContext: secureContextWith(extraCa) };
  return new Agent({ connect, keepAliveTimeout: KEEP_ALIVE_MS, connections: CONNECTIONS_PER_ORIGIN });
}

/** A run's HTTP settings: idle timeout, retries and backoff, trusted roots. */
export interface HttpSetupOptions {
  /** Idle timeout per request (connect, headers, between body chunks). Default 60 s. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 429 and 5xx. Default 4. */
  readonly retries?: number;
  /** Base of the exponential backoff. Default 500 ms. */
  readonly backoffMs?: number;
  /** Extra PEM certificates trusted besides Node's roots (e.g. a corporate CA). */
  readonly caCertificates?: string | undefined;
}

/**
 * What the module proxy and checksum-database clients of one run share: one
 * Agent (its connections, its TLS roots), the netrc file read once, one
 * retry policy. Whoever creates it closes it.
 */
export interface HttpSetup {
  readonly agent: Agent;
  readonly netrc: NetrcSource;
  readonly policy: HttpFetcherOptions;
  close(): Promise<void>;
}

export function createHttpSetup(netrcPath: string, options: HttpSetupOptions = {}): HttpSetup {
  const policy: HttpFetcherOptions = { timeoutMs: options.timeoutMs ?? 60_000, retries: options.retries ?? 4, backoffMs: options.backoffMs ?? 500 };
  const agent = createHttpAgent(policy.timeoutMs, options.caCertificates);
  let entries: Promise<readonly NetrcEntry[]> | undefined;
  let closed: Promise<void> | undefined;
  return {
    agent,
    netrc: { path: netrcPath, read: () => (entries ??= readNetrc(netrcPath)) },
    policy,
    close: () => (closed ??= agent.close()),
  };
}

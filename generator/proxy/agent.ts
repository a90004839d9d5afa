/**
 * The one HTTP set-up of the module proxy and checksum-database clients: an
 * undici Agent with a connect timeout, a bounded number of connections per
 * origin, and the TLS roots (Node's, plus `$SSL_CERT_FILE`'s when set).
 *
 * The roots are parsed once into a SecureContext shared by every connection:
 * handing `ca` to each connection instead makes Node parse the whole bundle
 * again per TLS socket, about a megabyte of native memory each.
 */
import { createSecureContext, rootCertificates } from "node:tls";
import type { SecureContext } from "node:tls";
import { Agent } from "undici";

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

export function createHttpAgent(timeoutMs: number, extraCa: string | undefined): Agent {
  const connect = extraCa === undefined ? { timeout: timeoutMs } : { timeout: timeoutMs, secureContext: secureContextWith(extraCa) };
  return new Agent({ connect, keepAliveTimeout: KEEP_ALIVE_MS, connections: CONNECTIONS_PER_ORIGIN });
}

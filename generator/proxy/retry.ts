/**
 * Retrying one request against one proxy: exponential backoff with jitter,
 * or the server's Retry-After (capped) on 429/503.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SourceFailure } from "./failure.js";

export const MAX_DELAY_MS = 30_000;

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number;
  readonly backoffMs: number;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^[A-Za-z]{3}, /.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The pause before retry number `attempt` (0-based). */
export function retryDelayMs(
  attempt: number,
  backoffMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_DELAY_MS);
  const ceiling = Math.min(backoffMs * 2 ** attempt, MAX_DELAY_MS);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Runs `attempt` until it succeeds, fails for good, or the retries are spent. */
export async function withRetries<T>(policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof SourceFailure) || !e.retryable) throw e;
      if (n >= policy.retries) {
        const suffix = n === 0 ? "" : ` (after ${n + 1} attempts)`;
        throw new SourceFailure(e.code, e.message + suffix, e.hint === undefined ? {} : { hint: e.hint });
      }
      await sleep(retryDelayMs(n, policy.backoffMs, e.retryAfterMs));
    }
  }
}

import { describe, expect, it } from "vitest";
import { SourceFailure } from "../../generator/proxy/failure.js";
import { MAX_DELAY_MS, parseRetryAfter, retryDelayMs, withRetries } from "../../generator/proxy/retry.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it.each<[string | undefined, number | undefined]>([
    ["3", 3000],
    [" 10 ", 10_000],
    ["0", 0],
    ["Wed, 01 Jan 2025 00:00:07 GMT", 7000],
    ["Tue, 31 Dec 2024 23:00:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    [undefined, undefined],
  ])("%j -> %s", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("retryDelayMs", () => {
  it.each([
    [0, 100, undefined, 0, 50],
    [0, 100, undefined, 1, 100],
    [3, 100, undefined, 1, 800],
    [3, 100, undefined, 0, 400],
    [30, 100, undefined, 1, MAX_DELAY_MS],
    [0, 100, 2000, 0.5, 2000],
    [0, 100, 10 * 60_000, 0.5, MAX_DELAY_MS],
  ])("attempt %i, backoff %i, Retry-After %s, random %s -> %i", (attempt, backoff, retryAfter, random, expected) => {
    expect(retryDelayMs(attempt, backoff, retryAfter, () => random)).toBe(expected);
  });
});

describe("withRetries", () => {
  it("retries only retryable failures, and says how many attempts were made", async () => {
    let calls = 0;
    await expect(
      withRetries({ retries: 2, backoffMs: 1 }, async () => {
        calls++;
        throw new SourceFailure("GOSET_PROXY_HTTP", "502 Bad Gateway", { retryable: true });
      }),
    ).rejects.toThrow("502 Bad Gateway (after 3 attempts)");
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      withRetries({ retries: 2, backoffMs: 1 }, async () => {
        calls++;
        throw new SourceFailure("GOSET_PROXY_NOT_FOUND", "404 Not Found");
      }),
    ).rejects.toThrow(/^404 Not Found$/);
    expect(calls).toBe(1);
  });
});

/**
 * What one GOPROXY entry said about one request. The walk over the list
 * collects these and turns the most telling one into a GosetError.
 */
import type { ErrorCode } from "../errors.js";
import { processSecrets } from "../redact.js";

export interface SourceFailureOptions {
  /** Worth another attempt at the same entry (network errors, timeouts, 429, 5xx). */
  readonly retryable?: boolean;
  /** From Retry-After, when the server asked for a delay. */
  readonly retryAfterMs?: number;
  /** Extra advice for the final error's hint (e.g. where credentials came from). */
  readonly hint?: string;
}

export class SourceFailure extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly hint: string | undefined;

  /** `detail` says what the entry answered, e.g. "404 Not Found"; it is redacted like GosetError's message. */
  constructor(code: ErrorCode, detail: string, options: SourceFailureOptions = {}) {
    super(processSecrets.redact(detail));
    this.name = "SourceFailure";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.hint = options.hint === undefined ? undefined : processSecrets.redact(options.hint);
  }

  /** 404/410 or a missing file: the next entry may have it. */
  get notFound(): boolean {
    return this.code === "GOSET_PROXY_NOT_FOUND";
  }
}

export function notFound(detail: string): SourceFailure {
  return new SourceFailure("GOSET_PROXY_NOT_FOUND", detail);
}

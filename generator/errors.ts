/**
 * One error class for everything update-set reports: a stable code for
 * machines, a message naming the module@version or file:line, and a hint
 * saying what to do. Credentials are redacted when the error is built.
 */
import { processSecrets } from "./redact.js";

export type ErrorCode =
  // input
  | "GOSET_LEAVES_INVALID"
  | "GOSET_LEAVES_NOT_FOUND"
  | "GOSET_GOMOD_PARSE"
  | "GOSET_GOSUM_PARSE"
  | "GOSET_VERSION_INVALID"
  | "GOSET_PATH_INVALID"
  | "GOSET_LOCAL_PATH"
  | "GOSET_ENV_INVALID"
  | "GOSET_NETRC_INVALID"
  // proxy
  | "GOSET_PROXY_OFF"
  | "GOSET_PROXY_NOT_FOUND"
  | "GOSET_PROXY_HTTP"
  | "GOSET_PROXY_TIMEOUT"
  | "GOSET_PROXY_AUTH"
  // version control (GONOPROXY/GOPRIVATE modules, `direct` in GOPROXY)
  | "GOSET_VCS"
  | "GOSET_VCS_AUTH"
  // zips and verification
  | "GOSET_ZIP_INVALID"
  | "GOSET_ZIP_TOO_LARGE"
  | "GOSET_CHECKSUM_MISMATCH"
  | "GOSET_SUMDB"
  | "GOSET_UNVERIFIED"
  // selection and writing
  | "GOSET_SELECTION"
  | "GOSET_HOLD_CYCLE"
  | "GOSET_LOCKED"
  | "GOSET_WRITE"
  | "GOSET_STALE"
  | "GOSET_USAGE"
  // goset audit
  | "GOSET_VULNDB_INVALID"
  | "GOSET_VULNDB_FETCH"
  | "GOSET_INTERNAL";

export interface GosetErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class GosetError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: GosetErrorOptions = {}) {
    super(processSecrets.redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GosetError";
    this.code = code;
    this.hint = options.hint === undefined ? undefined : processSecrets.redact(options.hint);
  }
}

export function isGosetError(e: unknown): e is GosetError {
  return e instanceof GosetError;
}

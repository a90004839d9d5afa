/**
 * The module proxy protocol over one GOPROXY entry (`@v/list`, `.info`,
 * `.mod`, `.zip`, `@latest`), and the source for `off`. The version-control
 * source for `direct` (generator/vcs) implements the same interface.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GosetError, type ErrorCode } from "../errors.js";
import { escapePath, escapeVersion } from "../gomod/escape.js";
import { compare, isPseudoVersion, isValid, prerelease, sortVersions } from "../gomod/semver.js";
import type { ModulePath, Version } from "../types.js";
import { notFound, SourceFailure } from "./failure.js";
import type { ProxyFetcher } from "./fetcher.js";

/** `.info` and `@latest` answers. */
export interface RevInfo {
  readonly Version: string;
  readonly Time?: string;
}

export interface ModuleSource {
  /** As messages name it: the proxy URL without credentials, or `direct` / `off`. */
  readonly label: string;
  listVersions(path: ModulePath): Promise<Version[]>;
  info(path: ModulePath, version: string): Promise<RevInfo>;
  latest(path: ModulePath): Promise<RevInfo>;
  goMod(path: ModulePath, version: Version): Promise<Buffer>;
  downloadZip(path: ModulePath, version: Version, destFile: string): Promise<{ bytes: number }>;
}

/** go.mod's limit in cmd/go; `.info` and `@v/list` are far smaller in practice. */
const MAX_SMALL_BYTES = 16 << 20;
/** The module zip limit of x/mod/zip. */
const MAX_ZIP_BYTES = 500 << 20;

/** Reads a whole response body, refusing one larger than `limit` bytes. */
export async function readAll(body: Readable, contentLength: number | undefined, limit: number): Promise<Buffer> {
  if (contentLength !== undefined && contentLength > limit) {
    throw new SourceFailure("GOSET_PROXY_HTTP", `response of ${contentLength} bytes exceeds the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new SourceFailure("GOSET_PROXY_HTTP", `response exceeds the ${limit}-byte limit`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(code: ErrorCode, limit: number, what: string): SourceFailure {
  return new SourceFailure(code, `${what} exceeds the ${limit}-byte limit`);
}

function writeFailure(file: string, e: unknown): GosetError {
  return new GosetError("GOSET_WRITE", `${file}: ${(e as Error).message}`, {
    hint: "Check that the destination directory is writable and the disk is not full.",
    cause: e,
  });
}

/** Streams a body to `destFile` via `destFile.part`; a short body leaves nothing behind. */
async function writeBodyToFile(
  body: Readable,
  contentLength: number | undefined,
  destFile: string,
  limit: number,
): Promise<number> {
  if (contentLength !== undefined && contentLength > limit) {
    throw tooLarge("GOSET_ZIP_TOO_LARGE", limit, `zip of ${contentLength} bytes`);
  }
  const part = destFile + ".part";
  await mkdir(dirname(destFile), { recursive: true }).catch((e: unknown) => {
    throw writeFailure(dirname(destFile), e);
  });
  let bytes = 0;
  const out = createWriteStream(part);
  let writeError: unknown;
  out.on("error", (e) => {
    writeError = e;
  });
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) callback(tooLarge("GOSET_ZIP_TOO_LARGE", limit, "zip"));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, out);
    if (contentLength !== undefined && bytes !== contentLength) {
      throw new SourceFailure("GOSET_PROXY_HTTP", `truncated body: got ${bytes} of ${contentLength} bytes`, {
        retryable: true,
      });
    }
    await rename(part, destFile).catch((e: unknown) => {
      throw writeFailure(destFile, e);
    });
    return bytes;
  } catch (e) {
    await rm(part, { force: true });
    // pipeline also hands a body error to the file stream: only a failure that began there is ours.
    const local = e === writeError && body.errored === null && !(e instanceof SourceFailure);
    throw local ? writeFailure(part, e) : e;
  }
}

function parseRevInfo(data: Buffer, what: string): RevInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    throw new SourceFailure("GOSET_PROXY_HTTP", `invalid JSON in ${what}`);
  }
  const { Version: version, Time: time } = (parsed ?? {}) as { Version?: unknown; Time?: unknown };
  if (typeof version !== "string" || version === "") {
    throw new SourceFailure("GOSET_PROXY_HTTP", `${what} has no Version`);
  }
  return typeof time === "string" ? { Version: version, Time: time } : { Version: version };
}

/** The release versions of an `@v/list` body, sorted; pseudo-versions and junk dropped. */
function parseVersionList(text: string): Version[] {
  const versions = new Set<string>();
  for (const line of text.split("\n")) {
    const first = line.trim().split(/\s+/)[0] ?? "";
    if (isValid(first) && !isPseudoVersion(first)) versions.add(first);
  }
  return sortVersions(versions);
}

/** The highest release, else the highest prerelease, else the highest pseudo-version listed. */
function pickLatest(text: string): Version | undefined {
  const all = text
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[0] ?? "")
    .filter((v) => isValid(v));
  const rank = (v: string): number => (isPseudoVersion(v) ? 0 : prerelease(v) !== "" ? 1 : 2);
  let best: string | undefined;
  for (const v of all) {
    if (best === undefined || rank(v) > rank(best) || (rank(v) === rank(best) && compare(v, best) > 0)) best = v;
  }
  return best;
}

export function createProtocolSource(fetcher: ProxyFetcher): ModuleSource {
  const small = (rel: string): Promise<Buffer> =>
    fetcher.fetch(rel, (body, length) => readAll(body, length, MAX_SMALL_BYTES));
  const info = async (path: ModulePath, version: string): Promise<RevInfo> =>
    parseRevInfo(await small(`${escapePath(path)}/@v/${escapeVersion(version)}.info`), `${path}@${version} .info`);
  return {
    label: fetcher.label,
    async listVersions(path) {
      return parseVersionList((await small(`${escapePath(path)}/@v/list`)).toString("utf8"));
    },
    info,
    async latest(path) {
      try {
        return parseRevInfo(await small(`${escapePath(path)}/@latest`), `${path} @latest`);
      } catch (e) {
        if (!(e instanceof SourceFailure && e.notFound)) throw e;
      }
      const best = pickLatest((await small(`${escapePath(path)}/@v/list`)).toString("utf8"));
      if (best === undefined) throw notFound("no @latest and no versions in @v/list");
      return info(path, best);
    },
    goMod(path, version) {
      return small(`${escapePath(path)}/@v/${escapeVersion(version)}.mod`);
    },
    async downloadZip(path, version, destFile) {
      const rel = `${escapePath(path)}/@v/${escapeVersion(version)}.zip`;
      const bytes = await fetcher.fetch(rel, (body, length) => writeBodyToFile(body, length, destFile, MAX_ZIP_BYTES));
      return { bytes };
    },
  };
}

/** `off`: every operation fails with the reason, for the walk to report. */
export function createUnavailableSource(kind: "off"): ModuleSource {
  const fail = (): Promise<never> => Promise.reject(new SourceFailure("GOSET_PROXY_OFF", "module lookup disabled by GOPROXY=off"));
  return { label: kind, listVersions: fail, info: fail, latest: fail, goMod: fail, downloadZip: fail };
}

/** A file:// GOPROXY entry: the proxy layout read from a directory (e.g. GOMODCACHE/cache/download). */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isGosetError } from "../errors.js";
import { notFound, SourceFailure } from "./failure.js";
import type { ConsumeBody, ProxyFetcher } from "./fetcher.js";

const MISSING = new Set(["ENOENT", "ENOTDIR"]);

export function createFileFetcher(baseUrl: string): ProxyFetcher {
  const root = fileURLToPath(baseUrl);
  return {
    label: baseUrl,
    async fetch<T>(rel: string, consume: ConsumeBody<T>): Promise<T> {
      const file = join(root, ...rel.split("/"));
      try {
        const info = await stat(file);
        if (!info.isFile()) throw notFound(`${file} is not a file`);
        return await consume(createReadStream(file), info.size);
      } catch (e) {
        if (e instanceof SourceFailure || isGosetError(e)) throw e;
        const err = e as NodeJS.ErrnoException;
        if (err.code !== undefined && MISSING.has(err.code)) throw notFound(`no file ${file}`);
        throw new SourceFailure("GOSET_PROXY_HTTP", `reading ${file}: ${err.message}`);
      }
    },
  };
}

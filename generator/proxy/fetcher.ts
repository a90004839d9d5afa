/**
 * One GOPROXY URL entry as a byte source: `fetch` opens `<base>/<rel>` and
 * hands the body to `consume`. HTTP entries retry the whole exchange on
 * transient failures; file:// entries read the same layout from disk.
 */
import type { Readable } from "node:stream";

export type ConsumeBody<T> = (body: Readable, contentLength: number | undefined) => Promise<T>;

export interface ProxyFetcher {
  /** The entry as messages name it, without credentials. */
  readonly label: string;
  /** Rejects with SourceFailure for anything the entry said, GosetError for local failures. */
  fetch<T>(rel: string, consume: ConsumeBody<T>): Promise<T>;
}

/**
 * A minimal zip writer for module zips built from a repository: entries are
 * written with their data already compressed (copied from `git archive`'s
 * zip) or deflated here, regular files only, no zip64 (a module zip is at
 * most 500 MiB). Only the content counts: go.sum hashes ignore zip bytes.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { crc32, deflateRawSync } from "node:zlib";

export interface ZipEntryData {
  readonly name: string;
  /** 0 (stored) or 8 (deflate). */
  readonly method: 0 | 8;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** The entry's bytes as stored in the zip (compressed when method is 8), or a function opening them. */
  readonly data: Buffer | (() => Promise<AsyncIterable<Buffer>>);
}

const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;
const FLAG_UTF8 = 0x0800;
const DOS_DATE_1980 = 0x21;
// Regular file, read-only: what `go mod download` extracts anyway.
const EXTERNAL_ATTRS = (0o100444 << 16) >>> 0;
const MADE_BY_UNIX = (3 << 8) | 20;

/** The entries do not fit a zip without zip64. */
export class ZipLimitError extends Error {
  override readonly name = "ZipLimitError";
}

/** Deflates an in-memory file into an entry. */
export function deflatedEntry(name: string, bytes: Buffer): ZipEntryData {
  const data = deflateRawSync(bytes);
  return { name, method: 8, crc32: crc32(bytes), compressedSize: data.length, uncompressedSize: bytes.length, data };
}

function localHeader(e: ZipEntryData, name: Buffer, flags: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(DOS_DATE_1980, 12);
  h.writeUInt32LE(e.crc32 >>> 0, 14);
  h.writeUInt32LE(e.compressedSize, 18);
  h.writeUInt32LE(e.uncompressedSize, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, name]);
}

function centralHeader(e: ZipEntryData, name: Buffer, flags: number, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(MADE_BY_UNIX, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(flags, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(0, 12);
  h.writeUInt16LE(DOS_DATE_1980, 14);
  h.writeUInt32LE(e.crc32 >>> 0, 16);
  h.writeUInt32LE(e.compressedSize, 20);
  h.writeUInt32LE(e.uncompressedSize, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(EXTERNAL_ATTRS, 38);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const h = Buffer.alloc(22);
  h.writeUInt32LE(0x06054b50, 0);
  h.writeUInt16LE(count, 8);
  h.writeUInt16LE(count, 10);
  h.writeUInt32LE(size, 12);
  h.writeUInt32LE(offset, 16);
  return h;
}

async function write(out: WriteStream, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

/** Writes the entries, in order, as a zip file. Rejects on more entries or bytes than a zip without zip64 holds. */
export async function writeZip(destFile: string, entries: Iterable<ZipEntryData>): Promise<void> {
  const out = createWriteStream(destFile);
  const failed = once(out, "error").then(([e]) => Promise.reject(e as Error));
  failed.catch(() => undefined);
  const central: Buffer[] = [];
  let offset = 0;
  const body = async (): Promise<void> => {
    for (const e of entries) {
      if (central.length >= MAX_ENTRIES) throw new ZipLimitError(`more than ${MAX_ENTRIES} files`);
      const name = Buffer.from(e.name, "utf8");
      const flags = /^[\x00-\x7f]*$/.test(e.name) ? 0 : FLAG_UTF8;
      const header = localHeader(e, name, flags);
      central.push(centralHeader(e, name, flags, offset));
      await write(out, header);
      let written = 0;
      for await (const chunk of Buffer.isBuffer(e.data) ? [e.data] : await e.data()) {
        written += chunk.length;
        await write(out, chunk);
      }
      if (written !== e.compressedSize) throw new Error(`entry ${e.name}: ${written} bytes, expected ${e.compressedSize}`);
      offset += header.length + written;
      if (offset > MAX_OFFSET) throw new ZipLimitError("zip larger than 4 GiB");
    }
    const directory = Buffer.concat(central);
    await write(out, directory);
    await write(out, endOfCentralDirectory(central.length, directory.length, offset));
    out.end();
    await once(out, "finish");
  };
  try {
    await Promise.race([body(), failed]);
  } catch (e) {
    out.destroy();
    throw e;
  }
}

/**
 * Checks a module zip and computes, in one pass over its entries, the go.sum
 * `h1:` of the zip and the NAR hash of the tree `go mod download` extracts.
 * Entries are read from the file in blocks and inflated one at a time (a large
 * entry as a stream), so memory stays bounded and small files, most of a
 * module, cost no round trip each.
 */
import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { setImmediate } from "node:timers/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createInflateRaw, inflateRawSync } from "node:zlib";
import { GosetError } from "../errors.js";
import { GO_HEADER_LIMIT, PackageIndexBuilder, isPackageSourceFile } from "../packages/packageindex.js";
import type { PackageIndex } from "../packages/packageindex.js";
import type { ModuleVersion } from "../types.js";
import { moduleKey } from "../types.js";
import { compareUtf8, hashHash1Of, sha256 } from "./dirhash.js";
import { NarTreeWriter } from "./nar.js";
import { INVALID_HINT, checkZipEntries, checkZipFileSize, zipProblemsError } from "./zipcheck.js";
import type { ZipEntryHeader } from "./zipcheck.js";

export interface ModuleZipDigest {
  /** `h1:` + base64: what go.sum records for the zip. */
  readonly sum: string;
  /** `sha256-` + base64: SRI SHA-256 of the NAR of the extracted tree. */
  readonly hash: string;
  /** The zip's root go.mod bytes, when it has one. */
  readonly goMod?: Buffer;
  /** The module's packages: directory -> non-standard imports. */
  readonly packages: PackageIndex;
  /** Regular files extracted. */
  readonly files: number;
  readonly unzippedBytes: number;
}

const EMPTY_SHA256 = sha256(new Uint8Array(0));
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossyUtf8 = new TextDecoder("utf-8");
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;

function decodeName(raw: Uint8Array): { name: string; validUtf8: boolean } {
  try {
    return { name: utf8.decode(raw), validUtf8: true };
  } catch {
    return { name: lossyUtf8.decode(raw), validUtf8: false };
  }
}

function corrupt(mod: ModuleVersion, what: string, cause: unknown): GosetError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new GosetError("GOSET_ZIP_INVALID", `module zip for ${moduleKey(mod)} is corrupt: ${what}: ${detail}`, {
    hint: INVALID_HINT,
    cause,
  });
}

/**
 * What reading an entry's data needs, for every entry of a zip, in typed
 * arrays: a zip may hold over a hundred thousand entries, and one object per
 * entry would live (and be garbage) as long as the zip is read.
 */
class EntryTable {
  readonly localHeaderOffset: Float64Array;
  readonly compressedSize: Float64Array;
  readonly uncompressedSize: Float64Array;
  readonly crc32: Uint32Array;
  readonly flags: Uint16Array;
  readonly method: Uint16Array;

  constructor(count: number) {
    this.localHeaderOffset = new Float64Array(count);
    this.compressedSize = new Float64Array(count);
    this.uncompressedSize = new Float64Array(count);
    this.crc32 = new Uint32Array(count);
    this.flags = new Uint16Array(count);
    this.method = new Uint16Array(count);
  }

  set(i: number, e: EntryData): void {
    this.localHeaderOffset[i] = e.localHeaderOffset;
    this.compressedSize[i] = e.compressedSize;
    this.uncompressedSize[i] = e.uncompressedSize;
    this.crc32[i] = e.crc32;
    this.flags[i] = e.flags;
    this.method[i] = e.method;
  }

  get(i: number): EntryData {
    return {
      localHeaderOffset: this.localHeaderOffset[i] ?? 0,
      compressedSize: this.compressedSize[i] ?? 0,
      uncompressedSize: this.uncompressedSize[i] ?? 0,
      crc32: this.crc32[i] ?? 0,
      flags: this.flags[i] ?? 0,
      method: this.method[i] ?? 0,
    };
  }
}

interface EntryData {
  readonly localHeaderOffset: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly flags: number;
  readonly method: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const ZIP64_EXTRA_ID = 0x0001;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

/**
 * The central directory, read in one piece: every entry's header (for the
 * checks) and its data's whereabouts. (A library reading entry by entry costs
 * two thread-pool round trips per entry: seconds for a module of 100,000
 * files.) The layout is the ZIP format's, Zip64 included.
 */
function readCentralDirectory(fd: number, size: number): { headers: ZipEntryHeader[]; table: EntryTable } {
  const tail = readAt(fd, size - Math.min(size, EOCD_SIZE + U16_MAX), Math.min(size, EOCD_SIZE + U16_MAX));
  let eocd = tail.length - EOCD_SIZE;
  while (eocd >= 0 && !(tail.readUInt32LE(eocd) === EOCD_SIGNATURE && eocd + EOCD_SIZE + tail.readUInt16LE(eocd + 20) <= tail.length)) eocd--;
  if (eocd < 0) throw new Error("end of central directory record signature not found");
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const locator = eocd - ZIP64_LOCATOR_SIZE;
    if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) throw new Error("zip64 end of central directory locator not found");
    const record = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), ZIP64_EOCD_SIZE);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new Error("invalid zip64 end of central directory record signature");
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size || count * CENTRAL_HEADER_SIZE > cdSize) throw new Error("central directory runs past the end of the file");
  const cd = readAt(fd, cdOffset, cdSize);
  const headers: ZipEntryHeader[] = [];
  const table = new EntryTable(count);
  for (let i = 0, p = 0; i < count; i++) {
    if (p + CENTRAL_HEADER_SIZE > cd.length || cd.readUInt32LE(p) !== CENTRAL_HEADER_SIGNATURE) throw new Error(`invalid central directory file header signature (entry ${i})`);
    const nameEnd = p + CENTRAL_HEADER_SIZE + cd.readUInt16LE(p + 28);
    const extraEnd = nameEnd + cd.readUInt16LE(p + 30);
    const end = extraEnd + cd.readUInt16LE(p + 32);
    if (end > cd.length) throw new Error(`central directory entry ${i} runs past the directory`);
    const zip64 = zip64Sizes(cd, nameEnd, extraEnd, { uncompressed: cd.readUInt32LE(p + 24), compressed: cd.readUInt32LE(p + 20), offset: cd.readUInt32LE(p + 42) });
    const entry: EntryData = {
      localHeaderOffset: zip64.offset,
      compressedSize: zip64.compressed,
      uncompressedSize: zip64.uncompressed,
      crc32: cd.readUInt32LE(p + 16),
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
    };
    table.set(i, entry);
    // A plain literal, not a spread of decodeName's result: a spread in a loop this hot
    // goes megamorphic and gives every header its own hidden class (~250 bytes each).
    const { name, validUtf8 } = decodeName(cd.subarray(p + CENTRAL_HEADER_SIZE, nameEnd));
    headers.push({
      name,
      validUtf8,
      uncompressedSize: entry.uncompressedSize,
      compressionMethod: entry.method,
      encrypted: (entry.flags & FLAG_ENCRYPTED) !== 0,
      creator: cd.readUInt16LE(p + 4) >>> 8,
      externalAttributes: cd.readUInt32LE(p + 38),
    });
    p = end;
  }
  return { headers, table };
}

interface Sizes {
  readonly uncompressed: number;
  readonly compressed: number;
  readonly offset: number;
}

/** The 64-bit sizes and offset of the Zip64 extra field, for those the 32-bit fields mark as out of range. */
function zip64Sizes(cd: Buffer, start: number, end: number, sizes: Sizes): Sizes {
  if (sizes.uncompressed !== U32_MAX && sizes.compressed !== U32_MAX && sizes.offset !== U32_MAX) return sizes;
  for (let q = start; q + 4 <= end; q += 4 + cd.readUInt16LE(q + 2)) {
    if (cd.readUInt16LE(q) !== ZIP64_EXTRA_ID) continue;
    let r = q + 4;
    const next = (value: number): number => {
      if (value !== U32_MAX) return value;
      if (r + 8 > q + 4 + cd.readUInt16LE(q + 2)) throw new Error("zip64 extra field too short");
      const v = Number(cd.readBigUInt64LE(r));
      r += 8;
      return v;
    };
    const uncompressed = next(sizes.uncompressed);
    const compressed = next(sizes.compressed);
    return { uncompressed, compressed, offset: next(sizes.offset) };
  }
  throw new Error("zip64 extra field missing");
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  readFully(fd, buffer, length, offset);
  return buffer;
}

/** Fills the first `length` bytes of `target` from `offset` of the file. */
function readFully(fd: number, target: Buffer, length: number, offset: number): void {
  for (let done = 0; done < length; ) {
    const n = readSync(fd, target, done, length - done, offset + done);
    if (n === 0) throw new Error("unexpected end of file");
    done += n;
  }
}

/** Entries up to this size (compressed and not) are read and inflated whole; larger ones stream. */
const WHOLE_ENTRY_LIMIT = 4 << 20;
const BLOCK_SIZE = 1 << 20;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;

/** What a read that does not continue the previous block fetches at least. */
const SMALL_READ = 16 << 10;
/** Entries read between two turns of the event loop. */
const YIELD_EVERY = 64;

/**
 * Positioned reads of a zip file through one reusable block. Entries mostly
 * lie in the order they are read, so a read that continues the block fetches
 * a whole new block that serves many small entries; one that jumps (a zip
 * whose order is not the tree's) fetches little. Reads are synchronous: the
 * zip was just written, so they come from the page cache in microseconds,
 * where a thread-pool round trip per entry would cost far more. A returned
 * buffer is valid until the next read.
 */
class BlockReader {
  private readonly block = Buffer.allocUnsafe(BLOCK_SIZE);
  private start = 0;
  private end = 0;

  constructor(private readonly fd: number, private readonly size: number) {}

  read(offset: number, length: number): Buffer {
    if (offset + length > this.size) throw new Error("entry data runs past the end of the file");
    if (offset >= this.start && offset + length <= this.end) return this.block.subarray(offset - this.start, offset - this.start + length);
    if (length > BLOCK_SIZE) return readAt(this.fd, offset, length);
    const wanted = Math.min(offset === this.end ? BLOCK_SIZE : Math.max(length, SMALL_READ), this.size - offset);
    readFully(this.fd, this.block, wanted, offset);
    this.start = offset;
    this.end = offset + wanted;
    return this.block.subarray(0, length);
  }
}

/** Where an entry's data starts: after its local header, whose name and extra field lengths may differ from the directory's. */
function dataStart(reader: BlockReader, e: EntryData): number {
  const header = reader.read(e.localHeaderOffset, LOCAL_HEADER_SIZE);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error("invalid local file header signature");
  return e.localHeaderOffset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** An entry's bytes, inflated; valid until the reader's next read. */
function readWholeEntry(reader: BlockReader, e: EntryData): Buffer {
  const compressed = reader.read(dataStart(reader, e), e.compressedSize);
  if (e.method === 0) return compressed;
  try {
    // One byte over the declared size tells "too long" apart from "exact".
    return inflateRawSync(compressed, { maxOutputLength: e.uncompressedSize + 1 });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new Error(`more bytes than the declared ${e.uncompressedSize}`, { cause: err });
    throw err;
  }
}

/** A large entry's bytes, a block at a time. */
async function streamEntry(reader: BlockReader, e: EntryData, consume: (chunk: Buffer) => void): Promise<void> {
  const start = dataStart(reader, e);
  function* compressed(): Generator<Buffer> {
    for (let done = 0; done < e.compressedSize; ) {
      const n = Math.min(BLOCK_SIZE, e.compressedSize - done);
      // A copy: the inflater may still hold a chunk when the reader's block is read again.
      yield Buffer.from(reader.read(start + done, n));
      done += n;
    }
  }
  if (e.method === 0) {
    for (const chunk of compressed()) consume(chunk);
    return;
  }
  await pipeline(Readable.from(compressed()), createInflateRaw(), async (inflated: AsyncIterable<Buffer>) => {
    for await (const chunk of inflated) consume(chunk);
  });
}

export async function digestModuleZip(zipFile: string, mod: ModuleVersion): Promise<ModuleZipDigest> {
  const { size } = await stat(zipFile);
  checkZipFileSize(mod, zipFile, size);
  const fd = openSync(zipFile, "r");
  try {
    let directory: { headers: ZipEntryHeader[]; table: EntryTable } | undefined;
    try {
      directory = readCentralDirectory(fd, size);
    } catch (e) {
      throw corrupt(mod, "cannot read the central directory", e);
    }
    const { table } = directory;
    const layout = checkZipEntries(mod, directory.headers);
    if (layout.problems.length > 0) throw zipProblemsError(mod, layout.problems);
    const names = directory.headers.map((h) => h.name);
    directory = undefined;

    const prefixLength = moduleKey(mod).length + 1;
    // The SHA-256 of every hashed entry (files, then empty entries), 32 bytes each, in one buffer.
    const hashed = new Int32Array(layout.files.length + layout.emptyEntries.length);
    const sums = Buffer.allocUnsafe(32 * hashed.length);
    let hashedCount = 0;
    const narHash = createHash("sha256");
    const nar = new NarTreeWriter((chunk) => narHash.update(chunk));
    let goMod: Buffer | undefined;
    let unzippedBytes = 0;
    const packages = new PackageIndexBuilder();
    const reader = new BlockReader(fd, size);

    let sinceYield = 0;
    for (const index of layout.files) {
      // Reading is synchronous: let downloads and other work run now and then.
      if (++sinceYield === YIELD_EVERY) {
        sinceYield = 0;
        await setImmediate();
      }
      const entry = table.get(index);
      const name = names[index] ?? "";
      const path = name.slice(prefixLength).split("/");
      const isGoMod = path.length === 1 && path[0] === "go.mod";
      const isGoSource = isPackageSourceFile(path);
      const fileHash = createHash("sha256");
      const kept: Buffer[] = [];
      let keptBytes = 0;
      let crc = 0;
      let read = 0;
      const consume = (chunk: Buffer) => {
        read += chunk.length;
        if (read > entry.uncompressedSize) throw new Error(`more bytes than the declared ${entry.uncompressedSize}`);
        fileHash.update(chunk);
        nar.writeContents(chunk);
        crc = crc32(chunk, crc);
        if (isGoMod || (isGoSource && keptBytes < GO_HEADER_LIMIT)) {
          kept.push(chunk);
          keptBytes += chunk.length;
        }
      };
      nar.beginFile(path, entry.uncompressedSize);
      try {
        if (entry.uncompressedSize <= WHOLE_ENTRY_LIMIT && entry.compressedSize <= WHOLE_ENTRY_LIMIT) consume(readWholeEntry(reader, entry));
        else await streamEntry(reader, entry, consume);
      } catch (e) {
        if (e instanceof GosetError) throw e;
        throw corrupt(mod, `entry ${JSON.stringify(name)}`, e);
      }
      if (read !== entry.uncompressedSize) {
        throw corrupt(mod, `entry ${JSON.stringify(name)}`, `${read} bytes, declared ${entry.uncompressedSize}`);
      }
      // Go's archive/zip skips the check when no CRC was recorded and there is no data descriptor.
      const checkCrc = entry.crc32 !== 0 || (entry.flags & FLAG_DATA_DESCRIPTOR) !== 0;
      if (checkCrc && crc >>> 0 !== entry.crc32 >>> 0) {
        throw corrupt(mod, `entry ${JSON.stringify(name)}`, "CRC-32 mismatch");
      }
      nar.endFile();
      fileHash.digest().copy(sums, 32 * hashedCount);
      hashed[hashedCount++] = index;
      unzippedBytes += read;
      // No read since consume: a whole entry's buffer (possibly the reader's block) is still valid here.
      if (isGoMod) goMod = Buffer.concat(kept);
      if (isGoSource) packages.addGoFile(path, kept);
    }
    for (const index of layout.emptyEntries) {
      const name = names[index] ?? "";
      try {
        dataStart(reader, table.get(index));
      } catch (e) {
        throw corrupt(mod, `entry ${JSON.stringify(name)}`, e);
      }
      sums.set(EMPTY_SHA256, 32 * hashedCount);
      hashed[hashedCount++] = index;
    }
    nar.end();

    return {
      sum: hashHash1Of(hashedCount, (i) => names[hashed[i] ?? 0] ?? "", (i) => sums.subarray(32 * i, 32 * i + 32)),
      hash: "sha256-" + narHash.digest("base64"),
      ...(goMod === undefined ? {} : { goMod }),
      packages: packages.build(),
      files: layout.files.length,
      unzippedBytes,
    };
  } finally {
    closeSync(fd);
  }
}

async function writeDirectory(nar: NarTreeWriter, dir: string, path: readonly string[]): Promise<void> {
  const names = (await readdir(dir)).sort(compareUtf8);
  for (const name of names) {
    const abs = join(dir, name);
    const child = [...path, name];
    const info = await lstat(abs);
    if (info.isDirectory()) {
      nar.directory(child);
      await writeDirectory(nar, abs, child);
    } else if (info.isSymbolicLink()) {
      nar.symlink(child, await readlink(abs));
    } else if (info.isFile()) {
      nar.beginFile(child, info.size, (info.mode & 0o100) !== 0);
      for await (const chunk of createReadStream(abs) as AsyncIterable<Buffer>) nar.writeContents(chunk);
      nar.endFile();
    } else {
      throw new GosetError("GOSET_LOCAL_PATH", `cannot hash ${abs}: not a file, directory or symbolic link`, {
        hint: "Remove sockets, pipes and device files from the directory; Nix cannot store them.",
      });
    }
  }
}

/** SRI SHA-256 of the NAR of a directory on disk, as `nix hash path --sri` prints it. */
export async function narHashOfDirectory(dir: string): Promise<string> {
  const info = await stat(dir);
  if (!info.isDirectory()) {
    throw new GosetError("GOSET_LOCAL_PATH", `${dir} is not a directory`, { hint: "Pass the module's root directory." });
  }
  const h = createHash("sha256");
  const nar = new NarTreeWriter((chunk) => h.update(chunk));
  await writeDirectory(nar, dir, []);
  nar.end();
  return "sha256-" + h.digest("base64");
}

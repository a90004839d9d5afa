/**
 * Checks a module zip and computes, in one pass over its entries, the go.sum
 * `h1:` of the zip and the NAR hash of the tree `go mod download` extracts.
 * Entries are read from the file in blocks and inflated one at a time (a large
 * entry as a stream), so memory stays bounded and small files, most of a
 * module, cost no round trip each.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, open, readdir, readlink, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { crc32, inflateRawSync } from "node:zlib";
import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";
import { GosetError } from "../errors.js";
import { GO_HEADER_LIMIT, PackageIndexBuilder, isPackageSourceFile } from "../packages/packageindex.js";
import type { PackageIndex } from "../packages/packageindex.js";
import type { ModuleVersion } from "../types.js";
import { moduleKey } from "../types.js";
import { compareUtf8, hashHash1, sha256 } from "./dirhash.js";
import type { FileDigest } from "./dirhash.js";
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

function toHeader(e: Entry): ZipEntryHeader {
  return {
    ...decodeName(e.fileNameRaw),
    uncompressedSize: e.uncompressedSize,
    compressionMethod: e.compressionMethod,
    encrypted: (e.generalPurposeBitFlag & FLAG_ENCRYPTED) !== 0,
    creator: e.versionMadeBy >>> 8,
    externalAttributes: e.externalFileAttributes,
  };
}

function corrupt(mod: ModuleVersion, zipFile: string, what: string, cause: unknown): GosetError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new GosetError("GOSET_ZIP_INVALID", `module zip for ${moduleKey(mod)} is corrupt: ${what}: ${detail} (${zipFile})`, {
    hint: INVALID_HINT,
    cause,
  });
}

const NO_BYTES = Buffer.alloc(0);

/** Drops an entry's names, extra fields and comments (its header is taken); openReadStream needs none of them. */
function slimEntry(e: Entry): void {
  const raw = e as unknown as Record<string, unknown>;
  for (const key of ["fileNameRaw", "extraFieldRaw", "fileCommentRaw", "fileName", "fileComment", "comment"]) if (key in raw) raw[key] = NO_BYTES;
  e.extraFields = [];
}

/** Entries up to this size (compressed and not) are read and inflated whole; larger ones stream. */
const WHOLE_ENTRY_LIMIT = 4 << 20;
const BLOCK_SIZE = 1 << 20;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;

/**
 * Positioned reads of a zip file through one reusable block: entries lie one
 * after another, so one read serves many small ones. A returned buffer is
 * valid until the next read.
 */
class BlockReader {
  private readonly block = Buffer.allocUnsafe(BLOCK_SIZE);
  private start = 0;
  private end = 0;

  constructor(private readonly file: FileHandle, private readonly size: number) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset + length > this.size) throw new Error("entry data runs past the end of the file");
    if (offset >= this.start && offset + length <= this.end) return this.block.subarray(offset - this.start, offset - this.start + length);
    const whole = length > BLOCK_SIZE;
    const target = whole ? Buffer.allocUnsafe(length) : this.block;
    const wanted = whole ? length : Math.min(BLOCK_SIZE, this.size - offset);
    for (let done = 0; done < wanted; ) {
      const { bytesRead } = await this.file.read(target, done, wanted - done, offset + done);
      if (bytesRead === 0) throw new Error("unexpected end of file");
      done += bytesRead;
    }
    if (whole) return target;
    this.start = offset;
    this.end = offset + wanted;
    return this.block.subarray(0, length);
  }
}

/** An entry's bytes, inflated; valid until the reader's next read. */
async function readWholeEntry(reader: BlockReader, e: Entry): Promise<Buffer> {
  const header = await reader.read(e.relativeOffsetOfLocalHeader, LOCAL_HEADER_SIZE);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error("invalid local file header signature");
  const dataStart = e.relativeOffsetOfLocalHeader + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
  const compressed = await reader.read(dataStart, e.compressedSize);
  if (e.compressionMethod === 0) return compressed;
  try {
    // One byte over the declared size tells "too long" apart from "exact".
    return inflateRawSync(compressed, { maxOutputLength: e.uncompressedSize + 1 });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new Error(`more bytes than the declared ${e.uncompressedSize}`);
    throw err;
  }
}

async function streamEntry(zip: ZipFile, e: Entry, consume: (chunk: Buffer) => void): Promise<void> {
  const stream = await zip.openReadStreamPromise(e);
  for await (const chunk of stream as AsyncIterable<Buffer>) consume(chunk);
}

async function readEntries(zip: ZipFile): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const e of zip.eachEntry()) entries.push(e);
  return entries;
}

export async function digestModuleZip(zipFile: string, mod: ModuleVersion): Promise<ModuleZipDigest> {
  const { size } = await stat(zipFile);
  checkZipFileSize(mod, zipFile, size);
  let zip: ZipFile;
  let entries: Entry[];
  try {
    zip = await yauzl.openPromise(zipFile, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (e) {
    throw corrupt(mod, zipFile, "cannot read the central directory", e);
  }
  const file = await open(zipFile, "r");
  try {
    try {
      entries = await readEntries(zip);
    } catch (e) {
      throw corrupt(mod, zipFile, "cannot read the central directory", e);
    }
    const headers = entries.map(toHeader);
    const layout = checkZipEntries(mod, headers);
    if (layout.problems.length > 0) throw zipProblemsError(mod, layout.problems);
    // Large modules have tens of thousands of entries: keep only what reading their data needs.
    for (const e of entries) slimEntry(e);

    const digests: FileDigest[] = [];
    const narHash = createHash("sha256");
    const nar = new NarTreeWriter((chunk) => narHash.update(chunk));
    let goMod: Buffer | undefined;
    let unzippedBytes = 0;
    const packages = new PackageIndexBuilder();
    const reader = new BlockReader(file, size);

    for (const { index, path } of layout.files) {
      const entry = entries[index] as Entry;
      const name = (headers[index] as ZipEntryHeader).name;
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
        if (entry.uncompressedSize <= WHOLE_ENTRY_LIMIT && entry.compressedSize <= WHOLE_ENTRY_LIMIT) consume(await readWholeEntry(reader, entry));
        else await streamEntry(zip, entry, consume);
      } catch (e) {
        if (e instanceof GosetError) throw e;
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, e);
      }
      if (read !== entry.uncompressedSize) {
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, `${read} bytes, declared ${entry.uncompressedSize}`);
      }
      // Go's archive/zip skips the check when no CRC was recorded and there is no data descriptor.
      const checkCrc = entry.crc32 !== 0 || (entry.generalPurposeBitFlag & FLAG_DATA_DESCRIPTOR) !== 0;
      if (checkCrc && crc >>> 0 !== entry.crc32 >>> 0) {
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, "CRC-32 mismatch");
      }
      nar.endFile();
      digests.push({ name, sha256: fileHash.digest() });
      unzippedBytes += read;
      // No read since consume: a whole entry's buffer (possibly the reader's block) is still valid here.
      if (isGoMod) goMod = Buffer.concat(kept);
      if (isGoSource) packages.addGoFile(path, kept);
    }
    for (const index of layout.emptyEntries) {
      const name = (headers[index] as ZipEntryHeader).name;
      try {
        await zip.readLocalFileHeaderPromise(entries[index] as Entry, { minimal: true });
      } catch (e) {
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, e);
      }
      digests.push({ name, sha256: EMPTY_SHA256 });
    }
    nar.end();

    return {
      sum: hashHash1(digests),
      hash: "sha256-" + narHash.digest("base64"),
      ...(goMod === undefined ? {} : { goMod }),
      packages: packages.build(),
      files: layout.files.length,
      unzippedBytes,
    };
  } finally {
    zip.close();
    await file.close();
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

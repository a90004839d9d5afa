/**
 * A streaming encoder for Nix archives (NAR) of directory trees, so a tree
 * can be hashed without ever existing on disk or in memory.
 */
import { GosetError } from "../errors.js";
import { compareUtf8 } from "./dirhash.js";

const ZEROS = new Uint8Array(8);
const encoder = new TextEncoder();

function u64(n: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

function padding(length: number): Uint8Array {
  return ZEROS.subarray(0, (8 - (length % 8)) % 8);
}

/** NAR `str(s)`: 8-byte little-endian length, the bytes, zero padding to 8. */
export function narString(s: string | Uint8Array): Uint8Array {
  const bytes = typeof s === "string" ? encoder.encode(s) : s;
  const out = new Uint8Array(8 + bytes.length + padding(bytes.length).length);
  out.set(u64(bytes.length), 0);
  out.set(bytes, 8);
  return out;
}

function tokens(...parts: string[]): Uint8Array {
  return Buffer.concat(parts.map((p) => narString(p)));
}

const HEADER = tokens("nix-archive-1", "(", "type", "directory");
const CLOSE_NODE = tokens(")");
const CLOSE_ENTRY_NODE = tokens(")", ")");

function entryHead(name: string): Uint8Array {
  return Buffer.concat([tokens("entry", "(", "name"), narString(name), tokens("node", "(", "type")]);
}

/** Order of NAR entries: component by component, each compared by its UTF-8 bytes. */
function compareNarPaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareUtf8(a[i] ?? "", b[i] ?? "");
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function internal(message: string): GosetError {
  return new GosetError("GOSET_INTERNAL", `NAR encoder: ${message}`);
}

/**
 * Writes the NAR of a directory tree whose nodes arrive in NAR order: every
 * path after the previous one under {@link compareNarPaths}. Paths are element
 * lists relative to the root directory; parent directories that were never
 * announced with {@link directory} are opened implicitly.
 */
export class NarTreeWriter {
  readonly #write: (chunk: Uint8Array) => void;
  readonly #open: string[] = [];
  #last: { path: readonly string[]; isDir: boolean } | undefined;
  #file: { declared: number; written: number } | undefined;
  #ended = false;

  constructor(write: (chunk: Uint8Array) => void) {
    this.#write = write;
    write(HEADER);
  }

  directory(path: readonly string[]): void {
    this.#enter(path, true);
    this.#write(tokens("directory"));
    this.#open.push(path[path.length - 1] ?? "");
  }

  beginFile(path: readonly string[], size: number, executable = false): void {
    this.#enter(path, false);
    this.#write(tokens("regular", ...(executable ? ["executable", ""] : []), "contents"));
    this.#write(u64(size));
    this.#file = { declared: size, written: 0 };
  }

  writeContents(chunk: Uint8Array): void {
    const f = this.#file;
    if (f === undefined) throw internal("contents outside a file");
    f.written += chunk.length;
    if (f.written > f.declared) throw internal(`file longer than its declared ${f.declared} bytes`);
    this.#write(chunk);
  }

  endFile(): void {
    const f = this.#file;
    if (f === undefined) throw internal("endFile without beginFile");
    if (f.written !== f.declared) {
      throw internal(`file has ${f.written} bytes, declared ${f.declared}`);
    }
    this.#write(padding(f.declared));
    this.#write(CLOSE_ENTRY_NODE);
    this.#file = undefined;
  }

  symlink(path: readonly string[], target: string): void {
    this.#enter(path, false);
    this.#write(Buffer.concat([tokens("symlink", "target"), narString(target)]));
    this.#write(CLOSE_ENTRY_NODE);
  }

  /** Closes every open directory and the root; nothing may follow. */
  end(): void {
    if (this.#file !== undefined) throw internal("end inside a file");
    if (this.#ended) throw internal("end called twice");
    for (; this.#open.length > 0; this.#open.pop()) this.#write(CLOSE_ENTRY_NODE);
    this.#write(CLOSE_NODE);
    this.#ended = true;
  }

  #enter(path: readonly string[], isDir: boolean): void {
    if (this.#ended || this.#file !== undefined) throw internal("node outside the tree");
    if (path.length === 0 || path.some((e) => e === "" || e === "." || e === ".." || e.includes("/"))) {
      throw internal(`bad path ${JSON.stringify(path)}`);
    }
    const last = this.#last;
    if (last !== undefined) {
      if (compareNarPaths(last.path, path) >= 0) {
        throw internal(`${path.join("/")} does not come after ${last.path.join("/")}`);
      }
      if (!last.isDir && path.length > last.path.length && compareNarPaths(last.path, path.slice(0, last.path.length)) === 0) {
        throw internal(`${path.join("/")} is inside the file ${last.path.join("/")}`);
      }
    }
    this.#last = { path, isDir };
    const parent = path.slice(0, -1);
    let keep = 0;
    while (keep < this.#open.length && keep < parent.length && this.#open[keep] === parent[keep]) keep++;
    while (this.#open.length > keep) {
      this.#open.pop();
      this.#write(CLOSE_ENTRY_NODE);
    }
    for (const name of parent.slice(keep)) {
      this.#write(entryHead(name));
      this.#write(tokens("directory"));
      this.#open.push(name);
    }
    this.#write(entryHead(path[path.length - 1] ?? ""));
  }
}

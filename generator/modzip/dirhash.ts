/**
 * go.sum's `h1:` hashes (golang.org/x/mod/sumdb/dirhash Hash1): SHA-256 over
 * one line per file, `hex(sha256(content))  name\n`, names in byte order.
 */
import { createHash } from "node:crypto";
import { GosetError } from "../errors.js";

export interface FileDigest {
  /** The name as hashed: for a module zip the full entry name, `path@version/...`. */
  readonly name: string;
  /** SHA-256 of the file's bytes. */
  readonly sha256: Uint8Array;
}

/**
 * Compares two strings by their UTF-8 bytes, as Go's string comparison does,
 * without encoding them: UTF-8 byte order is code point order, which differs
 * from UTF-16 code unit order only between surrogates and U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  return compareCodeUnits(a, b, -1);
}

/**
 * NAR order of two slash-separated paths: component by component, each by
 * its UTF-8 bytes; the same as comparing the strings with "/" below every
 * other character.
 */
export function compareNarNames(a: string, b: string): number {
  return compareCodeUnits(a, b, 0x2f);
}

function compareCodeUnits(a: string, b: string, lowest: number): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === lowest) return -1;
    if (y === lowest) return 1;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

export function hashHash1(files: readonly FileDigest[]): string {
  return hashHash1Of(files.length, (i) => files[i]?.name ?? "", (i) => files[i]?.sha256 ?? new Uint8Array(32));
}

/**
 * Hash1 over `count` files read through accessors, so that a zip of a
 * hundred thousand files needs no object per file: only an index is sorted.
 */
export function hashHash1Of(count: number, nameOf: (i: number) => string, sha256Of: (i: number) => Uint8Array): string {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => compareUtf8(nameOf(a), nameOf(b)));
  const h = createHash("sha256");
  for (const i of order) {
    const name = nameOf(i);
    if (name.includes("\n")) {
      throw new GosetError("GOSET_INTERNAL", `dirhash: file name ${JSON.stringify(name)} contains a newline`);
    }
    const sum = sha256Of(i);
    h.update(`${Buffer.from(sum.buffer, sum.byteOffset, sum.byteLength).toString("hex")}  ${name}\n`);
  }
  return "h1:" + h.digest("base64");
}

/** The `path version/go.mod h1:` hash of a go.mod file's bytes. */
export function hashGoMod(bytes: Uint8Array): string {
  return hashHash1([{ name: "go.mod", sha256: sha256(bytes) }]);
}

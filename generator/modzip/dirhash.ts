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

/** Compares two strings by their UTF-8 bytes, as Go's string comparison does. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

export function hashHash1(files: readonly FileDigest[]): string {
  const sorted = files
    .map((f) => ({ key: Buffer.from(f.name), f }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  const h = createHash("sha256");
  for (const { f } of sorted) {
    if (f.name.includes("\n")) {
      throw new GosetError("GOSET_INTERNAL", `dirhash: file name ${JSON.stringify(f.name)} contains a newline`);
    }
    h.update(`${Buffer.from(f.sha256).toString("hex")}  ${f.name}\n`);
  }
  return "h1:" + h.digest("base64");
}

/** The `path version/go.mod h1:` hash of a go.mod file's bytes. */
export function hashGoMod(bytes: Uint8Array): string {
  return hashHash1([{ name: "go.mod", sha256: sha256(bytes) }]);
}

/**
 * The module zip rules Go enforces before extracting a zip
 * (golang.org/x/mod/zip checkZip, module.CheckFilePath), as pure functions
 * over central-directory headers. Problems are returned as data.
 */
import { GosetError } from "../errors.js";
import { compareNarNames } from "./dirhash.js";
import type { ModuleVersion } from "../types.js";
import { moduleKey } from "../types.js";

export const MAX_ZIP_FILE = 500 << 20;
export const MAX_GO_MOD = 16 << 20;
export const MAX_LICENSE = 16 << 20;

export interface ZipEntryHeader {
  /** The entry name decoded as UTF-8 (with U+FFFD where the bytes are not UTF-8). */
  readonly name: string;
  readonly validUtf8: boolean;
  readonly uncompressedSize: number;
  readonly compressionMethod: number;
  readonly encrypted: boolean;
  /** High byte of "version made by": 3 is Unix, 19 is macOS; both carry a Unix mode. */
  readonly creator: number;
  readonly externalAttributes: number;
}

export interface ZipProblem {
  readonly entry: string;
  readonly reason: string;
  readonly tooLarge: boolean;
}

export interface ModuleZipLayout {
  /** Entries of the regular files `go mod download` extracts, in NAR order. */
  readonly files: Int32Array;
  /** Directory entries (and the bare `path@version/` entry): not extracted, hashed as empty. */
  readonly emptyEntries: readonly number[];
  readonly problems: readonly ZipProblem[];
}

let orbitMins: Map<number, number> | undefined;

/**
 * The smallest member of every non-trivial simple case-folding orbit, which is
 * where Go's strToFold walks unicode.SimpleFold to. Orbits are the connected
 * components of single-rune upper/lower mappings; the Turkic dotted and dotless
 * i only fold under Turkic rules, so Go keeps them apart from i and I.
 */
function buildOrbitMins(): Map<number, number> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    parent.set(x, root);
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  // Every cased letter lives below U+20000.
  for (let cp = 0; cp < 0x20000; cp++) {
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x130 || cp === 0x131) continue;
    const c = String.fromCodePoint(cp);
    for (const mapped of [c.toLowerCase(), c.toUpperCase()]) {
      const r = mapped.codePointAt(0);
      if (r !== undefined && r !== cp && r !== 0x130 && r !== 0x131 && String.fromCodePoint(r) === mapped) union(cp, r);
    }
  }
  const mins = new Map<number, number>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    if (root !== cp) mins.set(cp, root);
  }
  return mins;
}

function foldRune(cp: number): number {
  orbitMins ??= buildOrbitMins();
  const min = orbitMins.get(cp) ?? cp;
  return min >= 0x41 && min <= 0x5a ? min + 0x20 : min;
}

/** A key with foldName(s) === foldName(t) exactly when Go's strToFold(s) === strToFold(t). */
export function foldName(s: string): string {
  if (!/[^\x00-\x40\x5b-\x7f]/.test(s)) return s;
  let out = "";
  for (const ch of s) out += String.fromCodePoint(foldRune(ch.codePointAt(0) ?? 0));
  return out;
}

const ALLOWED_PUNCTUATION = "!#$%&()+,-.=@[]^_{}~ ";
const WINDOWS_RESERVED = new Set([
  "con", "prn", "aux", "nul",
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`com${i}`, `lpt${i}`]),
]);

function fileNameCharOK(ch: string): boolean {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) {
    return /[0-9A-Za-z]/.test(ch) || ALLOWED_PUNCTUATION.includes(ch);
  }
  return /^\p{L}$/u.test(ch);
}

function checkElem(elem: string): string | undefined {
  if (elem === "") return "empty path element";
  if (/^\.+$/.test(elem)) return `invalid path element ${JSON.stringify(elem)}`;
  if (elem.endsWith(".")) return "trailing dot in path element";
  for (const ch of elem) {
    if (!fileNameCharOK(ch)) return `invalid char ${JSON.stringify(ch)}`;
  }
  const short = elem.split(".")[0] ?? "";
  if (WINDOWS_RESERVED.has(foldName(short))) return `${JSON.stringify(short)} disallowed as path element component on Windows`;
  return undefined;
}

/** module.CheckFilePath: the reason `p` is not a valid file path in a module, or undefined. */
export function checkFilePath(p: string): string | undefined {
  if (p === "") return "empty string";
  if (p.includes("//")) return "double slash";
  if (p.endsWith("/")) return "trailing slash";
  for (const elem of p.split("/")) {
    const reason = checkElem(elem);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** What the collision check has seen, by case-folded path: files and directories, each with its path as written. */
interface Seen {
  readonly files: Map<string, string>;
  readonly dirs: Map<string, string>;
}

/** Go's collisionChecker: case-fold collisions and names that are both a file and a directory. */
function checkCollision(seen: Seen, p: string, isDir: boolean): string | undefined {
  for (let cur = p, dir = isDir; ; dir = true) {
    const key = foldName(cur);
    const file = seen.files.get(key);
    const other = file ?? seen.dirs.get(key);
    if (other === undefined) {
      (dir ? seen.dirs : seen.files).set(key, cur);
    } else if (other !== cur) {
      return `case-insensitive file name collision: ${JSON.stringify(other)} and ${JSON.stringify(cur)}`;
    } else if ((file === undefined) !== dir) {
      return `entry ${JSON.stringify(cur)} is both a file and a directory`;
    } else if (!dir) {
      return `multiple entries for file ${JSON.stringify(cur)}`;
    }
    const slash = cur.lastIndexOf("/");
    if (slash < 0) return undefined;
    cur = cur.slice(0, slash);
  }
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** Why a file entry's Unix mode is not a regular file's, or undefined. */
function irregularType(h: ZipEntryHeader): string | undefined {
  if (h.creator !== 3 && h.creator !== 19) return undefined;
  const type = (h.externalAttributes >>> 16) & S_IFMT;
  if (type === 0 || type === S_IFREG) return undefined;
  if (type === S_IFLNK) return "symbolic link";
  if (type === S_IFDIR) return "file entry with a directory mode";
  return `not a regular file (mode ${((h.externalAttributes >>> 16) >>> 0).toString(8)})`;
}

/**
 * Checks every central-directory entry of the zip of `mod` against the rules
 * Go applies before it unzips (plus: no symlinks or other irregular files, no
 * compression method or encryption Go cannot read) and lays out what
 * extraction produces.
 */
export function checkZipEntries(mod: ModuleVersion, entries: readonly ZipEntryHeader[]): ModuleZipLayout {
  const prefix = `${moduleKey(mod)}/`;
  const problems: ZipProblem[] = [];
  // Entry indexes and strings only: a zip may hold over a hundred thousand files.
  const files: number[] = [];
  const emptyEntries: number[] = [];
  const seen: Seen = { files: new Map(), dirs: new Map() };
  let total = 0;
  let totalReported = false;
  const invalid = (h: ZipEntryHeader, reason: string, tooLarge = false): void => {
    problems.push({ entry: h.name, reason, tooLarge });
  };

  entries.forEach((h, index) => {
    if (!h.name.startsWith(prefix)) return invalid(h, `path does not have prefix ${JSON.stringify(prefix)}`);
    let name = h.name.slice(prefix.length);
    const isDir = name === "" || name.endsWith("/");
    if (isDir && h.uncompressedSize !== 0) return invalid(h, "directory entry has content");
    if (name === "") return void emptyEntries.push(index);
    if (isDir) name = name.slice(0, -1);
    if (!h.validUtf8) return invalid(h, `malformed file path ${JSON.stringify(name)}: invalid UTF-8`);
    const pathProblem = checkFilePath(name);
    if (pathProblem !== undefined) return invalid(h, `malformed file path ${JSON.stringify(name)}: ${pathProblem}`);
    const collision = checkCollision(seen, name, isDir);
    if (collision !== undefined) return invalid(h, collision);
    if (isDir) return void emptyEntries.push(index);
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (foldName(base) === "go.mod") {
      if (base !== name) return invalid(h, "go.mod file not in module root directory");
      if (name !== "go.mod") return invalid(h, "go.mod files must have lowercase names");
    }
    const size = h.uncompressedSize;
    if (size >= 0 && MAX_ZIP_FILE - total >= size) {
      total += size;
    } else if (!totalReported) {
      totalReported = true;
      invalid(h, `total uncompressed size of module contents too large (max size is ${MAX_ZIP_FILE} bytes)`, true);
    }
    if (name === "go.mod" && size > MAX_GO_MOD) return invalid(h, `go.mod file too large (${size} bytes; max size is ${MAX_GO_MOD} bytes)`, true);
    if (name === "LICENSE" && size > MAX_LICENSE) return invalid(h, `LICENSE file too large (${size} bytes; max size is ${MAX_LICENSE} bytes)`, true);
    const irregular = irregularType(h);
    if (irregular !== undefined) return invalid(h, `${irregular}: module zips hold regular files only`);
    if (h.compressionMethod !== 0 && h.compressionMethod !== 8) return invalid(h, `unsupported compression method ${h.compressionMethod}`);
    if (h.encrypted) return invalid(h, "encrypted entry");
    files.push(index);
  });

  // Every name starts with the same prefix, so whole names sort as their paths in the module do.
  const order = Int32Array.from(files).sort((a, b) => compareNarNames(entries[a]?.name ?? "", entries[b]?.name ?? ""));
  return { files: order, emptyEntries, problems };
}

export function checkZipFileSize(mod: ModuleVersion, zipFile: string, size: number): void {
  if (size > MAX_ZIP_FILE) {
    throw new GosetError(
      "GOSET_ZIP_TOO_LARGE",
      `module zip for ${moduleKey(mod)} is too large (${size} bytes; limit is ${MAX_ZIP_FILE} bytes)`,
      { hint: TOO_LARGE_HINT },
    );
  }
}

export const INVALID_HINT =
  "The module proxy served a zip that breaks the module zip rules (golang.org/x/mod/zip) or the download is damaged. " +
  "Delete the cached zip and retry; if a fresh download fails the same way, report it to the proxy's operator.";
const TOO_LARGE_HINT =
  "Go refuses module zips over 500 MiB (zipped or unzipped) and go.mod or LICENSE files over 16 MiB, " +
  "so `go mod download` fails on this module version too; use another version or drop the module.";

/** One error for a zip's problems: size problems first, as Go reports them. */
export function zipProblemsError(mod: ModuleVersion, problems: readonly ZipProblem[]): GosetError {
  const first = problems.find((p) => p.tooLarge) ?? problems[0];
  if (first === undefined) return new GosetError("GOSET_INTERNAL", `no zip problems for ${moduleKey(mod)}`);
  const others = problems.filter((p) => p !== first);
  const named = others.slice(0, 3).map((p) => JSON.stringify(p.entry));
  if (others.length > named.length) named.push("...");
  const more = others.length > 0 ? ` (and ${others.length} more: ${named.join(", ")})` : "";
  return new GosetError(
    first.tooLarge ? "GOSET_ZIP_TOO_LARGE" : "GOSET_ZIP_INVALID",
    `module zip for ${moduleKey(mod)} is invalid: entry ${JSON.stringify(first.entry)}: ${first.reason}${more}`,
    { hint: first.tooLarge ? TOO_LARGE_HINT : INVALID_HINT },
  );
}

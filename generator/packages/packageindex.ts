/**
 * A module's packages as the set needs them: package directory -> the
 * non-standard import paths of its Go files that some set platform builds
 * (SET_PLATFORMS). Computed from the files of a module zip or a local
 * directory, one file at a time, without running go.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SET_PLATFORMS, fileMatches } from "./constraint.js";
import { goHeaderEnd, scanGoFileHeader } from "./gofile.js";

/** Package directory ("." for the module root, else slash-separated) -> sorted non-standard imports. */
export type PackageIndex = ReadonlyMap<string, readonly string[]>;

/** Bump when SET_PLATFORMS or the scanning rules change: cached indexes name it. */
export const PACKAGE_INDEX_VERSION = 1;

/** How much of a Go file is kept for scanning: the package clause and imports sit at the top. */
export const GO_HEADER_LIMIT = 1 << 20;

/** How much is decoded first; eight times more each time the header runs past what was decoded. */
const FIRST_LOOK = 4 << 10;

/**
 * Whether a file (path inside the module, split on "/") is a non-test Go
 * source file that go would consider for a package: no directory named
 * testdata or vendor, no name starting with "_" or ".".
 */
export function isPackageSourceFile(path: readonly string[]): boolean {
  const name = path[path.length - 1] ?? "";
  if (!name.endsWith(".go") || name.endsWith("_test.go") || name.startsWith("_") || name.startsWith(".")) return false;
  return path.slice(0, -1).every(isPackageDirectoryName);
}

/** Directories go never takes packages from: testdata, vendor, names starting with "_" or ".". */
function isPackageDirectoryName(name: string): boolean {
  return !name.startsWith("_") && !name.startsWith(".") && name !== "testdata" && name !== "vendor";
}

/** A standard-library import: its first element has no dot (cmd/go's rule). */
export function isStandardImport(importPath: string): boolean {
  const first = importPath.split("/", 1)[0] ?? "";
  return !first.includes(".");
}

/** Collects scanned files into an index. */
export class PackageIndexBuilder {
  private readonly dirs = new Map<string, Set<string>>();

  /**
   * `path` is the file's path inside the module; `chunks` its bytes, at least
   * the first GO_HEADER_LIMIT of them (more are ignored), as read.
   */
  addGoFile(path: readonly string[], chunks: readonly Buffer[]): void {
    const name = path[path.length - 1] ?? "";
    const kept = Math.min(GO_HEADER_LIMIT, chunks.reduce((n, c) => n + c.length, 0));
    const decode = (limit: number) => {
      const n = Math.min(limit, kept);
      const [only] = chunks;
      return chunks.length === 1 && only !== undefined ? only.toString("utf8", 0, n) : Buffer.concat(chunks, n).toString("utf8");
    };
    // Most Go files end their imports within the first few KiB: decode more only when the header runs on.
    let look = FIRST_LOOK;
    let text = decode(look);
    while (look < kept && goHeaderEnd(text) >= text.length) {
      look *= 8;
      text = decode(look);
    }
    const header = scanGoFileHeader(text);
    if (header === undefined) return;
    if (!SET_PLATFORMS.some((ctx) => fileMatches(ctx, name, header))) return;
    const dir = path.length === 1 ? "." : path.slice(0, -1).join("/");
    let imports = this.dirs.get(dir);
    if (imports === undefined) {
      imports = new Set();
      this.dirs.set(dir, imports);
    }
    for (const i of header.imports) if (!isStandardImport(i)) imports.add(i);
  }

  build(): PackageIndex {
    return new Map([...this.dirs].sort(([a], [b]) => compareStrings(a, b)).map(([dir, imports]) => [dir, [...imports].sort(compareStrings)]));
  }
}

/** The index of a module tree on disk (a path leaf). Nested modules (directories with a go.mod) are left out. */
export async function indexDirectory(root: string): Promise<PackageIndex> {
  const builder = new PackageIndexBuilder();
  const walk = async (dir: string, path: readonly string[]): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    if (path.length > 0 && entries.some((e) => e.name === "go.mod" && e.isFile())) return;
    for (const e of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      const child = [...path, e.name];
      if (e.isDirectory()) {
        if (isPackageDirectoryName(e.name)) await walk(join(dir, e.name), child);
      } else if (e.isFile() && isPackageSourceFile(child)) {
        builder.addGoFile(child, [await readFile(join(dir, e.name))]);
      }
    }
  };
  await walk(root, []);
  return builder.build();
}

export function serializePackageIndex(index: PackageIndex): Record<string, readonly string[]> {
  return Object.fromEntries(index);
}

export function parsePackageIndex(value: unknown): PackageIndex | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const out = new Map<string, readonly string[]>();
  for (const [dir, imports] of Object.entries(value)) {
    if (!Array.isArray(imports) || !imports.every((i) => typeof i === "string")) return undefined;
    out.set(dir, imports as string[]);
  }
  return out;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A module's packages as the set needs them: package directory -> the
 * non-standard import paths of its Go files that some set platform builds
 * (SET_PLATFORMS). Computed from the files of a module zip or a local
 * directory, one file at a time, without running go.
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { KNOWN_ARCH, KNOWN_OS, SET_PLATFORMS, fileMatches } from "./constraint.js";
import type { GoFileHeader } from "./gofile.js";
import { goHeaderEnd, scanGoFileHeader } from "./gofile.js";
import { compareStrings } from "../order.js";

/**
 * Package directory ("." for the module root, else slash-separated) ->
 * sorted non-standard imports of the files a set platform builds. `tagged`
 * keeps, for the directories whose files a leaf's build tags select or
 * deselect, every file with its constraint, for {@link withTags}. `commands`
 * lists the directories whose package is `main` (with or without tags).
 */
export type PackageIndex = ReadonlyMap<string, readonly string[]> & {
  readonly tagged?: ReadonlyMap<string, readonly TaggedFile[]>;
  readonly commands?: ReadonlySet<string>;
};

/** A Go file of a directory whose files build tags select or deselect, with its constraint. */
export interface TaggedFile {
  readonly name: string;
  readonly goBuild?: string;
  readonly plusBuild: readonly string[];
  readonly importsC: boolean;
  /** Its non-standard imports. */
  readonly imports: readonly string[];
}

/** Bump when SET_PLATFORMS or the scanning rules change: cached indexes name it. */
export const PACKAGE_INDEX_VERSION = 4;

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
  /** Every file seen, per directory, with its constraint: kept for the directories build tags change. */
  private readonly files = new Map<string, TaggedFile[]>();
  /** Directories with a file whose constraint names a tag a leaf may set (either way: `foo` or `!foo`). */
  private readonly tagDependent = new Set<string>();
  /** Directories with a `package main` file some build selects. */
  private readonly commands = new Set<string>();

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
    const dir = path.length === 1 ? "." : path.slice(0, -1).join("/");
    const byDefault = SET_PLATFORMS.some((ctx) => fileMatches(ctx, name, header));
    const free = freeTags(header);
    if (byDefault || someTagsSelect(name, header, free)) {
      const file: TaggedFile = { name, ...(header.goBuild === undefined ? {} : { goBuild: header.goBuild }), plusBuild: header.plusBuild, importsC: header.importsC, imports: header.imports.filter((i) => !isStandardImport(i)) };
      this.files.set(dir, [...(this.files.get(dir) ?? []), file]);
      if (free.length > 0) this.tagDependent.add(dir);
      if (header.packageName === "main") this.commands.add(dir);
    }
    if (!byDefault) return;
    let imports = this.dirs.get(dir);
    if (imports === undefined) {
      imports = new Set();
      this.dirs.set(dir, imports);
    }
    for (const i of header.imports) if (!isStandardImport(i)) imports.add(i);
  }

  build(): PackageIndex {
    const index = new Map([...this.dirs].sort(([a], [b]) => compareStrings(a, b)).map(([dir, imports]) => [dir, [...imports].sort(compareStrings)] as const));
    const commands = this.commands.size === 0 ? {} : { commands: new Set([...this.commands].sort(compareStrings)) };
    if (this.tagDependent.size === 0) return Object.assign(index, commands);
    const tagged = new Map([...this.tagDependent].sort(compareStrings).map((dir) => [dir, [...(this.files.get(dir) ?? [])].sort((x, y) => compareStrings(x.name, y.name))] as const));
    return Object.assign(index, { tagged }, commands);
  }
}

/** Tags no leaf sets on purpose: go's conventions for files that are never built. */
const NEVER_SET = new Set(["ignore", "tools"]);

/**
 * Whether some extra build tags make a set platform build the file: its
 * constraint's tags that are not platform, toolchain or release tags, tried
 * in every combination (up to 2^8).
 */
function someTagsSelect(name: string, header: GoFileHeader, free: readonly string[]): boolean {
  if (free.length === 0 || free.length > 8) return false;
  for (let bits = 1; bits < 1 << free.length; bits++) {
    const tags = free.filter((_, i) => (bits & (1 << i)) !== 0);
    if (SET_PLATFORMS.some((ctx) => fileMatches({ ...ctx, tags }, name, header))) return true;
  }
  return false;
}

/** The tags of a file's constraint a leaf may set. */
function freeTags(header: GoFileHeader): string[] {
  const text = [header.goBuild ?? "", ...header.plusBuild].join(" ");
  return [...new Set(text.match(/[A-Za-z0-9_.]+/g) ?? [])].filter((t) => isFreeTag(t));
}

function isFreeTag(tag: string): boolean {
  if (NEVER_SET.has(tag) || KNOWN_OS.has(tag) || KNOWN_ARCH.has(tag) || /^go1\.\d+$/.test(tag) || tag.startsWith("goexperiment.")) return false;
  return !["cgo", "gc", "gccgo", "unix", "boringcrypto", "purego_never"].includes(tag);
}

/**
 * The index as a build with extra `tags` sees it: each directory whose
 * files' constraints name such tags gets the imports of the files the tags
 * select on some set platform (and none when no file is left).
 */
export function withTags(index: PackageIndex, tags: readonly string[]): PackageIndex {
  if (tags.length === 0 || index.tagged === undefined) return index;
  const out = new Map(index);
  for (const [dir, files] of index.tagged) {
    const selected = files.filter((f) => SET_PLATFORMS.some((ctx) => fileMatches({ ...ctx, tags }, f.name, { packageName: "", plusBuild: f.plusBuild, importsC: f.importsC, imports: f.imports, ...(f.goBuild === undefined ? {} : { goBuild: f.goBuild }) })));
    if (selected.length === 0) out.delete(dir);
    else out.set(dir, [...new Set(selected.flatMap((f) => f.imports))].sort(compareStrings));
  }
  return out;
}

/**
 * The index of a module tree on disk (a path leaf). Nested modules (directories
 * with a go.mod) are left out. Symbolic links are followed, as go/build does
 * when it reads a directory, except a link back to a directory being walked.
 */
export async function indexDirectory(root: string): Promise<PackageIndex> {
  const builder = new PackageIndexBuilder();
  const walk = async (dir: string, path: readonly string[], above: ReadonlySet<string> = new Set()): Promise<void> => {
    const real = await realpath(dir);
    if (above.has(real)) return;
    const walking = new Set([...above, real]);
    const entries = await readdir(dir, { withFileTypes: true });
    if (path.length > 0 && entries.some((e) => e.name === "go.mod")) return;
    for (const e of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      const child = [...path, e.name];
      const abs = join(dir, e.name);
      const info = e.isSymbolicLink() ? await stat(abs).catch(() => undefined) : e;
      if (info?.isDirectory()) {
        if (isPackageDirectoryName(e.name)) await walk(abs, child, walking);
      } else if (info?.isFile() && isPackageSourceFile(child)) {
        builder.addGoFile(child, [await readFile(abs)]);
      }
    }
  };
  await walk(root, []);
  return builder.build();
}

/** `{ dirs: { dir: imports }, tagged?: { dir: files }, commands?: [dir] }`. */
export function serializePackageIndex(index: PackageIndex): Record<string, unknown> {
  return {
    dirs: Object.fromEntries(index),
    ...(index.tagged === undefined ? {} : { tagged: Object.fromEntries(index.tagged) }),
    ...(index.commands === undefined ? {} : { commands: [...index.commands] }),
  };
}

export function parsePackageIndex(value: unknown): PackageIndex | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { dirs, tagged, commands } = value as { dirs?: unknown; tagged?: unknown; commands?: unknown };
  if (typeof dirs !== "object" || dirs === null || Array.isArray(dirs)) return undefined;
  const out = new Map<string, readonly string[]>();
  for (const [dir, imports] of Object.entries(dirs)) {
    if (!Array.isArray(imports) || !imports.every((i) => typeof i === "string")) return undefined;
    out.set(dir, imports);
  }
  if (commands !== undefined && !(Array.isArray(commands) && commands.every((c) => typeof c === "string"))) return undefined;
  const withCommands = commands === undefined ? out : Object.assign(out, { commands: new Set(commands) });
  if (tagged === undefined) return withCommands;
  if (typeof tagged !== "object" || tagged === null) return undefined;
  return Object.assign(withCommands, { tagged: new Map(Object.entries(tagged as Record<string, TaggedFile[]>)) });
}


/**
 * Which files of a module directory go into its zip: golang.org/x/mod/zip's
 * Create rules (checkFiles) as a pure function. Files in nested modules and
 * vendored packages, symbolic links and `.hg_archival.txt` are omitted;
 * unclean or invalid names, case collisions and oversized files are invalid
 * and make the zip impossible, as they make `go mod download` fail.
 */
import { foldName, checkFilePath, MAX_GO_MOD, MAX_LICENSE, MAX_ZIP_FILE } from "../modzip/zipcheck.js";

export type FileKind = "file" | "symlink" | "other";

export interface CandidateFile {
  /** Slash-separated, relative to the module root. */
  readonly path: string;
  readonly kind: FileKind;
  readonly size: number;
  /** False when the name's bytes are not UTF-8. */
  readonly validUtf8?: boolean;
}

export interface FileProblem {
  readonly path: string;
  readonly reason: string;
}

export interface FileSelection<F extends CandidateFile> {
  /** The files of the zip, in the order given. */
  readonly valid: readonly F[];
  readonly omitted: readonly FileProblem[];
  readonly invalid: readonly FileProblem[];
}

/** Go's path.Clean for slash-separated relative or absolute paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const elem of p.split("/")) {
    if (elem === "" || elem === ".") continue;
    if (elem === ".." && out.length > 0 && out.at(-1) !== "..") out.pop();
    else if (elem === ".." && rooted) continue;
    else out.push(elem);
  }
  const joined = out.join("/");
  return rooted ? `/${joined}` : joined === "" ? "." : joined;
}

/** The language version of a go line ("1.24.1", "1.24rc1" -> [1, 24]); undefined when absent or malformed. */
function languageVersion(goLine: string | undefined): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(goLine ?? "");
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

function atLeastGo124(goLine: string | undefined): boolean {
  const v = languageVersion(goLine);
  return v !== undefined && (v[0] > 1 || (v[0] === 1 && v[1] >= 24));
}

/** x/mod/zip isVendoredPackage: what `go mod vendor` owns, by the module's go version. */
export function isVendoredPackage(name: string, goLine: string | undefined): boolean {
  const go124 = atLeastGo124(goLine);
  if (go124 && name === "vendor/modules.txt") return true;
  let i: number;
  if (name.startsWith("vendor/")) {
    i = "vendor/".length;
  } else {
    const j = name.indexOf("/vendor/");
    if (j < 0) return false;
    // Before go 1.24 the offset ignored where "/vendor/" was found (golang.org/issue/37397).
    i = go124 ? j + "/vendor/".length : "/vendor/".length;
  }
  return name.slice(i).includes("/");
}

function parentDirs(p: string): string[] {
  const dirs: string[] = [];
  for (let slash = p.lastIndexOf("/"); slash > 0; slash = p.lastIndexOf("/", slash - 1)) dirs.push(p.slice(0, slash + 1));
  return dirs;
}

/** Go's collisionChecker over a file and its parent directories. */
function checkCollision(seen: Map<string, { path: string; isDir: boolean }>, p: string): string | undefined {
  let cur = p;
  let isDir = false;
  for (;;) {
    const other = seen.get(foldName(cur));
    if (other === undefined) seen.set(foldName(cur), { path: cur, isDir });
    else if (other.path !== cur) return `case-insensitive file name collision: "${other.path}" and "${cur}"`;
    else if (other.isDir !== isDir) return `entry "${cur}" is both a file and a directory`;
    else if (!isDir) return `multiple entries for file "${cur}"`;
    const slash = cur.lastIndexOf("/");
    if (slash < 0) return undefined;
    cur = cur.slice(0, slash);
    isDir = true;
  }
}

/**
 * Splits `files` into what the module zip holds, what is left out and what
 * is invalid. `goLine` is the `go` line of the module's root go.mod.
 */
export function selectModuleFiles<F extends CandidateFile>(files: readonly F[], goLine: string | undefined): FileSelection<F> {
  const valid: F[] = [];
  const omitted: FileProblem[] = [];
  const invalid: FileProblem[] = [];
  const reported = new Set<string>();
  const report = (list: FileProblem[], path: string, reason: string): void => {
    if (reported.has(path)) return;
    reported.add(path);
    list.push({ path, reason });
  };

  const moduleDirs = new Set<string>();
  for (const f of files) {
    const slash = f.path.lastIndexOf("/");
    if (f.kind === "file" && foldName(f.path.slice(slash + 1)) === "go.mod") moduleDirs.add(f.path.slice(0, slash + 1));
  }
  const inNestedModule = (p: string): boolean => parentDirs(p).some((d) => moduleDirs.has(d));

  const seen = new Map<string, { path: string; isDir: boolean }>();
  let budget = MAX_ZIP_FILE;
  for (const f of files) {
    const p = f.path;
    if (p !== cleanPath(p)) report(invalid, p, "file path is not clean");
    else if (p.startsWith("/")) report(invalid, p, "file path is not relative");
    else if (isVendoredPackage(p, goLine)) report(omitted, p, "file is in vendor directory");
    else if (inNestedModule(p)) report(omitted, p, "file is in another module");
    else if (p === ".hg_archival.txt") report(omitted, p, "file is inserted by 'hg archive' and is always omitted");
    else {
      const badPath = f.validUtf8 === false ? "invalid UTF-8" : checkFilePath(p);
      if (badPath !== undefined) report(invalid, p, `malformed file path "${p}": ${badPath}`);
      else if (p.toLowerCase() === "go.mod" && p !== "go.mod") report(invalid, p, "go.mod files must have lowercase names");
      else {
        const collision = checkCollision(seen, p);
        if (collision !== undefined) report(invalid, p, collision);
        else if (f.kind === "symlink") report(omitted, p, "file is a symbolic link");
        else if (f.kind !== "file") report(omitted, p, "not a regular file");
        else if (f.size > budget) report(invalid, p, `module source tree too large (max size is ${MAX_ZIP_FILE} bytes)`);
        else if (p === "go.mod" && f.size > MAX_GO_MOD) report(invalid, p, `go.mod file too large (max size is ${MAX_GO_MOD} bytes)`);
        else if (p === "LICENSE" && f.size > MAX_LICENSE) report(invalid, p, `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`);
        else {
          budget -= f.size;
          valid.push(f);
        }
      }
    }
  }
  return { valid, omitted, invalid };
}

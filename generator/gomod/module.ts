/**
 * Module path and version rules of golang.org/x/mod/module: which strings are
 * module paths, how `/vN` and `gopkg.in/x.vN` suffixes name major versions,
 * and which versions a path may carry.
 */
import { GosetError } from "../errors.js";
import type { ModulePath, ModuleVersion } from "../types.js";
import { build, canonicalModuleVersion, isValid, major } from "./semver.js";

const WINDOWS_RESERVED = new Set([
  "CON", "PRN", "AUX", "NUL",
  "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
  "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
]);

const MODULE_PATH_CHAR = /^[-._~0-9A-Za-z]$/;
const FIRST_ELEMENT_CHAR = /^[-.0-9a-z]$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describeElementProblem(elem: string): string | undefined {
  if (elem === "") return "empty path element";
  if (/^\.+$/.test(elem)) return `invalid path element "${elem}"`;
  if (elem.startsWith(".")) return "leading dot in path element";
  if (elem.endsWith(".")) return "trailing dot in path element";
  for (const c of elem) {
    if (!MODULE_PATH_CHAR.test(c)) return `invalid char ${JSON.stringify(c)}`;
  }
  const short = elem.split(".")[0] ?? "";
  if (WINDOWS_RESERVED.has(short.toUpperCase())) {
    return `"${short}" disallowed as path element component on Windows`;
  }
  // Windows short names look like "PROGRA~1".
  const tilde = short.lastIndexOf("~");
  if (tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1))) {
    return "trailing tilde and digits in path element";
  }
  return undefined;
}

/** Why path is not a valid module path, or undefined when it is (x/mod module.CheckPath). */
export function describeModulePathProblem(path: string): string | undefined {
  if (LONE_SURROGATE.test(path)) return "invalid UTF-8";
  if (path === "") return "empty string";
  if (path.startsWith("-")) return "leading dash";
  if (path.includes("//")) return "double slash";
  if (path.endsWith("/")) return "trailing slash";
  for (const elem of path.split("/")) {
    const problem = describeElementProblem(elem);
    if (problem !== undefined) return problem;
  }
  const first = path.split("/")[0] ?? "";
  if (first === "") return "leading slash";
  if (!first.includes(".")) return "missing dot in first path element";
  for (const c of first) {
    if (!FIRST_ELEMENT_CHAR.test(c)) return `invalid char ${JSON.stringify(c)} in first path element`;
  }
  if (!splitPathVersion(path).ok) return "invalid version";
  return undefined;
}

export function isModulePath(path: string): boolean {
  return describeModulePathProblem(path) === undefined;
}

/** Throws GOSET_PATH_INVALID unless path is a valid module path. */
export function checkModulePath(path: string): void {
  const problem = describeModulePathProblem(path);
  if (problem === undefined) return;
  throw new GosetError("GOSET_PATH_INVALID", `malformed module path ${JSON.stringify(path)}: ${problem}`, {
    hint:
      "Module paths start with a lowercase domain-like element containing a dot, use only " +
      "letters, digits and -._~ in each element, and end in /vN only for N >= 2.",
  });
}

export interface PathVersionSplit {
  /** The path without its major-version suffix. */
  readonly prefix: ModulePath;
  /** "/v2", ".v1" (gopkg.in), or "" for no suffix. */
  readonly pathMajor: string;
  /** False for malformed suffixes such as "/v1", "/v0", "/v2.1" or a gopkg.in path without ".vN". */
  readonly ok: boolean;
}

/** Splits the major-version suffix off a module path (x/mod module.SplitPathVersion). */
export function splitPathVersion(path: ModulePath): PathVersionSplit {
  if (path.startsWith("gopkg.in/")) return splitGopkgIn(path);
  const m = /\/v([0-9.]+)$/.exec(path);
  if (m === null) return { prefix: path, pathMajor: "", ok: true };
  const digits = m[1] ?? "";
  if (digits.includes(".") || digits.startsWith("0") || digits === "1") {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix: path.slice(0, m.index), pathMajor: `/v${digits}`, ok: true };
}

function splitGopkgIn(path: ModulePath): PathVersionSplit {
  const m = /\.v([0-9]*)(-unstable)?$/.exec(path);
  if (m === null) return { prefix: path, pathMajor: "", ok: false };
  const pathMajor = path.slice(m.index);
  // Mirrors x/mod: ".v" needs a following character, and a leading 0 is only allowed as ".v0" exactly.
  if (pathMajor.length <= 2 || (pathMajor[2] === "0" && pathMajor !== ".v0")) {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix: path.slice(0, m.index), pathMajor, ok: true };
}

/**
 * Why version may not be used with a path ending in pathMajor, or undefined
 * when it may (x/mod module.CheckPathMajor). Without a suffix only v0, v1 and
 * `+incompatible` versions are allowed; with `/vN` or `.vN` only major N.
 */
export function describePathMajorMismatch(version: string, pathMajor: string): string | undefined {
  const suffix = pathMajor.startsWith(".v") ? pathMajor.replace(/-unstable$/, "") : pathMajor;
  // gopkg.in/x.v1 has long accepted v0 pseudo-versions.
  if (version.startsWith("v0.0.0-") && suffix === ".v1") return undefined;
  const m = major(version);
  if (suffix === "") {
    if (m === "v0" || m === "v1" || build(version) === "+incompatible") return undefined;
    return `version "${version}" invalid: should be v0 or v1, not ${m}`;
  }
  const want = suffix.slice(1);
  if (m === want) return undefined;
  return `version "${version}" invalid: should be ${want}, not ${m}`;
}

/** Throws GOSET_VERSION_INVALID unless version fits pathMajor. */
export function checkPathMajor(version: string, pathMajor: string): void {
  const problem = describePathMajorMismatch(version, pathMajor);
  if (problem === undefined) return;
  throw new GosetError("GOSET_VERSION_INVALID", problem, {
    hint:
      "Major versions >= 2 live at a path ending in /vN (gopkg.in/x.vN); a path without " +
      "that suffix accepts only v0, v1 and vN.x.y+incompatible.",
  });
}

/**
 * Throws unless m is a module path with a canonical version that its path
 * allows: GOSET_PATH_INVALID for the path, GOSET_VERSION_INVALID for the version.
 */
export function checkModuleVersion(m: ModuleVersion): void {
  checkModulePath(m.path);
  if (!isValid(m.version) || canonicalModuleVersion(m.version) !== m.version) {
    const canon = canonicalModuleVersion(m.version);
    throw new GosetError("GOSET_VERSION_INVALID", `${m.path}@${m.version}: not a canonical semantic version`, {
      hint:
        canon === ""
          ? "Versions look like v1.2.3, v1.2.3-pre or v2.0.0+incompatible, with the leading v."
          : `Write it as ${canon}.`,
    });
  }
  const problem = describePathMajorMismatch(m.version, splitPathVersion(m.path).pathMajor);
  if (problem !== undefined) {
    throw new GosetError("GOSET_VERSION_INVALID", `${m.path}@${m.version}: ${problem}`, {
      hint: "Use a version whose major matches the path's /vN suffix (v0 or v1, or +incompatible, without one).",
    });
  }
}

/**
 * Go's flavour of semantic versions (golang.org/x/mod/semver): a required `v`
 * prefix, `vMAJOR` and `vMAJOR.MINOR` as shorthands, and build metadata that
 * never takes part in ordering. Also the ordering of `go` directive versions
 * ("1.21rc1"), which is not semver at all.
 */
import { compareStrings } from "../order.js";

interface ParsedSemver {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** What canonical() appends to a shorthand: "", ".0" or ".0.0". */
  readonly shortFill: string;
  /** Including the leading "-", or "". */
  readonly prerelease: string;
  /** Including the leading "+", or "". */
  readonly build: string;
}

const NUMBER = "(0|[1-9][0-9]*)";
const IDENT = "[0-9A-Za-z-]+";
const SEMVER_RE = new RegExp(
  `^v${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(-${IDENT}(?:\\.${IDENT})*)?(\\+${IDENT}(?:\\.${IDENT})*)?)?)?$`,
);
const NUMERIC_RE = /^[0-9]+$/;

function parseSemver(v: string): ParsedSemver | undefined {
  const m = SEMVER_RE.exec(v);
  if (m === null) return undefined;
  const [, major = "", minor, patch, prerelease = "", build = ""] = m;
  // Numeric prerelease identifiers must not have leading zeros; build ones may.
  if (prerelease !== "" && prerelease.slice(1).split(".").some(hasLeadingZero)) return undefined;
  if (minor === undefined) {
    return { major, minor: "0", patch: "0", shortFill: ".0.0", prerelease, build };
  }
  if (patch === undefined) {
    return { major, minor, patch: "0", shortFill: ".0", prerelease, build };
  }
  return { major, minor, patch, shortFill: "", prerelease, build };
}

function hasLeadingZero(ident: string): boolean {
  return ident.length > 1 && ident.startsWith("0") && NUMERIC_RE.test(ident);
}

/** Compares two decimal strings without leading zeros. */
function compareDecimal(x: string, y: string): -1 | 0 | 1 {
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

function compareIdentifiers(x: string, y: string): -1 | 0 | 1 {
  const xNum = NUMERIC_RE.test(x);
  const yNum = NUMERIC_RE.test(y);
  if (xNum && yNum) return compareDecimal(x, y);
  if (xNum !== yNum) return xNum ? -1 : 1;
  return compareStrings(x, y);
}

function comparePrerelease(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x === "") return 1;
  if (y === "") return -1;
  const xs = x.slice(1).split(".");
  const ys = y.slice(1).split(".");
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const c = compareIdentifiers(xs[i] ?? "", ys[i] ?? "");
    if (c !== 0) return c;
  }
  return xs.length === ys.length ? 0 : xs.length < ys.length ? -1 : 1;
}

export function isValid(v: string): boolean {
  return parseSemver(v) !== undefined;
}

/**
 * The canonical form: shorthands filled in, build metadata dropped (also
 * `+incompatible`; see canonicalModuleVersion for the form go.mod uses).
 * "" for an invalid version.
 */
export function canonical(v: string): string {
  const p = parseSemver(v);
  if (p === undefined) return "";
  if (p.build !== "") return v.slice(0, v.length - p.build.length);
  return v + p.shortFill;
}

/** Like canonical, but keeps `+incompatible` (x/mod module.CanonicalVersion). */
export function canonicalModuleVersion(v: string): string {
  const c = canonical(v);
  return c !== "" && build(v) === "+incompatible" ? c + "+incompatible" : c;
}

/** "v2" for "v2.1.0"; "" for an invalid version. */
export function major(v: string): string {
  const p = parseSemver(v);
  return p === undefined ? "" : `v${p.major}`;
}

/** "v2.1" for "v2.1.0"; "v2.0" for "v2"; "" for an invalid version. */
export function majorMinor(v: string): string {
  const p = parseSemver(v);
  return p === undefined ? "" : `v${p.major}.${p.minor}`;
}

/** "-pre" for "v1.0.0-pre+meta"; "" when absent or invalid. */
export function prerelease(v: string): string {
  return parseSemver(v)?.prerelease ?? "";
}

/** "+meta" for "v1.0.0-pre+meta"; "" when absent or invalid. */
export function build(v: string): string {
  return parseSemver(v)?.build ?? "";
}

/**
 * Semver precedence: -1, 0 or 1. Build metadata is ignored. Invalid versions
 * sort below every valid one and compare equal to each other.
 */
export function compare(v: string, w: string): -1 | 0 | 1 {
  const pv = parseSemver(v);
  const pw = parseSemver(w);
  if (pv === undefined) return pw === undefined ? 0 : -1;
  if (pw === undefined) return 1;
  return (
    compareDecimal(pv.major, pw.major) ||
    compareDecimal(pv.minor, pw.minor) ||
    compareDecimal(pv.patch, pw.patch) ||
    comparePrerelease(pv.prerelease, pw.prerelease)
  );
}

/** The greater of two versions, both canonicalized (x/mod semver.Max). */
export function max(v: string, w: string): string {
  const cv = canonical(v);
  const cw = canonical(w);
  return compare(cv, cw) > 0 ? cv : cw;
}

/** A sorted copy: by compare, ties broken by plain string order (x/mod semver.Sort). */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort((a, b) => compare(a, b) || compareStrings(a, b));
}

const PSEUDO_RE =
  /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/**
 * Whether v is a pseudo-version: `vX.0.0-yyyymmddhhmmss-rev`,
 * `vX.Y.Z-pre.0.yyyymmddhhmmss-rev` or `vX.Y.(Z+1)-0.yyyymmddhhmmss-rev`
 * (optionally with build metadata such as `+incompatible`).
 */
export function isPseudoVersion(v: string): boolean {
  return v.split("-").length > 2 && isValid(v) && PSEUDO_RE.test(v);
}

// ---- `go` directive versions (go/version, internal/gover) ----

interface GoVersionParts {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** "", "alpha", "beta", "rc": "" sorts first, as in Go. */
  readonly kind: string;
  readonly pre: string;
}

const GO_VERSION_RE = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)|([a-z]+)(0|[1-9][0-9]*)?)?)?$/;

function parseGoVersion(x: string): GoVersionParts | undefined {
  // "go1.22.1-custom" names a toolchain: go/version ignores the suffix.
  const bare = x.startsWith("go") ? (x.slice(2).split("-")[0] ?? "") : x;
  const m = GO_VERSION_RE.exec(bare);
  if (m === null) return undefined;
  const [, majorPart = "", minor, patch, kind = "", pre = ""] = m;
  if (minor === undefined) return { major: majorPart, minor: "0", patch: "0", kind: "", pre: "" };
  if (patch !== undefined) return { major: majorPart, minor, patch, kind: "", pre: "" };
  // Before Go 1.21 "1.N" meant the release "1.N.0"; since then it names the
  // language version, which sorts before 1.N's prereleases and releases.
  const impliedPatch = kind === "" && compareDecimal(minor, "21") < 0 ? "0" : "";
  return { major: majorPart, minor, patch: impliedPatch, kind, pre };
}

/** Whether x is a Go release or language version ("1.21", "1.21.3", "1.22rc1"; "go" prefix allowed). */
export function isValidGoVersion(x: string): boolean {
  return parseGoVersion(x) !== undefined;
}

/**
 * Orders Go versions as go/version.Compare does ("1.16" < "1.17" <
 * "1.21rc1" < "1.21.0" < "1.21.1"); a leading "go" is optional. Invalid
 * versions sort below valid ones and equal each other.
 */
export function compareGoVersion(a: string, b: string): -1 | 0 | 1 {
  const pa = parseGoVersion(a);
  const pb = parseGoVersion(b);
  if (pa === undefined) return pb === undefined ? 0 : -1;
  if (pb === undefined) return 1;
  return (
    compareDecimal(pa.major, pb.major) ||
    compareDecimal(pa.minor, pb.minor) ||
    compareOptionalDecimal(pa.patch, pb.patch) ||
    compareStrings(pa.kind, pb.kind) ||
    compareOptionalDecimal(pa.pre, pb.pre)
  );
}

/** "" (absent) sorts before every number. */
function compareOptionalDecimal(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x === "") return -1;
  if (y === "") return 1;
  return compareDecimal(x, y);
}

/** The `go` line of a go.mod, or Go's default "1.16" when there is none. */
const DEFAULT_GO_VERSION = "1.16";

export function goVersionAtLeast(goLine: string | undefined, min: string): boolean {
  return compareGoVersion(goLine ?? DEFAULT_GO_VERSION, min) >= 0;
}

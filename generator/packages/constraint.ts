/**
 * Which Go files a build context compiles, by go/build's rules (Go 1.26):
 * file names, //go:build expressions, legacy // +build lines and cgo.
 */
import type { GoFileHeader } from "./gofile.js";
import { isGoSpace, trimGoSpace } from "./gofile.js";

export interface BuildContext {
  readonly goos: string;
  readonly goarch: string;
  readonly cgo: boolean;
  /** 26 → release tags go1.1..go1.26 */
  readonly goVersionMinor: number;
  /** extra -tags */
  readonly tags: readonly string[];
}

const platform = (goos: string, goarch: string): BuildContext => ({ goos, goarch, cgo: true, goVersionMinor: 26, tags: [] });

/** The platforms a set is built for. */
export const SET_PLATFORMS: readonly BuildContext[] = [
  platform("linux", "amd64"),
  platform("linux", "arm64"),
  platform("darwin", "amd64"),
  platform("darwin", "arm64"),
];

/** internal/syslist.KnownOS: file name suffixes that name an OS. */
export const KNOWN_OS: ReadonlySet<string> = new Set([
  "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd",
  "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
]);

/** internal/syslist.UnixOS: the GOOS values the "unix" tag matches. */
const UNIX_OS: ReadonlySet<string> = new Set([
  "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd", "openbsd", "solaris",
]);

/** internal/syslist.KnownArch: file name suffixes that name an architecture. */
export const KNOWN_ARCH: ReadonlySet<string> = new Set([
  "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le",
  "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
]);

/**
 * go/build's ToolTags with an empty GOEXPERIMENT and the default GO386,
 * GOAMD64, GOARM, GOARM64, GOMIPS*, GOPPC64, GORISCV64 levels. The
 * goexperiment.* tags are Go 1.26's per-platform baseline experiments
 * (internal/buildcfg); for another Go version none are assumed.
 */
export function toolTags(ctx: BuildContext): readonly string[] {
  const tags: string[] = [];
  if (ctx.goVersionMinor === 26) {
    if (["amd64", "arm64", "loong64", "ppc64le", "ppc64", "riscv64", "s390x"].includes(ctx.goarch)) {
      tags.push("goexperiment.regabiwrappers", "goexperiment.regabiargs");
    }
    if (!["darwin", "ios", "aix"].includes(ctx.goos)) tags.push("goexperiment.dwarf5");
    tags.push("goexperiment.greenteagc", "goexperiment.randomizedheapbase64");
  }
  switch (ctx.goarch) {
    case "386":
      tags.push("386.sse2");
      break;
    case "amd64":
      tags.push("amd64.v1");
      break;
    case "arm":
      tags.push("arm.5", "arm.6", "arm.7");
      break;
    case "arm64":
      tags.push("arm64.v8.0");
      break;
    case "mips":
    case "mipsle":
    case "mips64":
    case "mips64le":
      tags.push(`${ctx.goarch}.hardfloat`);
      break;
    case "ppc64":
    case "ppc64le":
      tags.push(`${ctx.goarch}.power8`);
      break;
    case "riscv64":
      tags.push("riscv64.rva20u64");
      break;
    case "wasm":
      tags.push("wasm.satconv", "wasm.signext");
      break;
  }
  return tags;
}

/** go1.1 .. go1.N */
export function releaseTags(ctx: BuildContext): readonly string[] {
  return Array.from({ length: Math.max(0, ctx.goVersionMinor) }, (_, i) => `go1.${i + 1}`);
}

const contextTags = new WeakMap<BuildContext, ReadonlySet<string>>();

/** The tags true for ctx beyond the special cases of matchTag: -tags, tool tags, release tags. */
function listedTags(ctx: BuildContext): ReadonlySet<string> {
  let tags = contextTags.get(ctx);
  if (tags === undefined) {
    tags = new Set([...ctx.tags, ...toolTags(ctx), ...releaseTags(ctx)]);
    contextTags.set(ctx, tags);
  }
  return tags;
}

/** go/build's matchTag for the gc compiler. */
export function matchTag(ctx: BuildContext, name: string): boolean {
  if (ctx.cgo && name === "cgo") return true;
  if (name === ctx.goos || name === ctx.goarch || name === "gc") return true;
  if (ctx.goos === "android" && name === "linux") return true;
  if (ctx.goos === "illumos" && name === "solaris") return true;
  if (ctx.goos === "ios" && name === "darwin") return true;
  if (name === "unix" && UNIX_OS.has(ctx.goos)) return true;
  if (name === "boringcrypto") name = "goexperiment.boringcrypto";
  return listedTags(ctx).has(name);
}

/**
 * Whether go would build this (non-test) file in a package for ctx: file name
 * rules (leading "_" or ".", _test.go, _GOOS/_GOARCH/_GOOS_GOARCH suffixes),
 * the //go:build expression (or +build lines when there is none), package
 * "documentation", and cgo files when cgo is off.
 */
export function fileMatches(ctx: BuildContext, fileName: string, header: GoFileHeader): boolean {
  if (!fileNameMatches(ctx, fileName)) return false;
  if (header.invalid !== undefined) return false;
  if (!constraintsMatch(ctx, header)) return false;
  if (header.packageName === "documentation") return false;
  return ctx.cgo || !header.importsC;
}

/** The file name rules alone: a non-test .go file whose _GOOS/_GOARCH suffixes (if any) match ctx. */
export function fileNameMatches(ctx: BuildContext, fileName: string): boolean {
  const name = fileName.slice(fileName.lastIndexOf("/") + 1);
  if (name.startsWith("_") || name.startsWith(".")) return false;
  if (!name.endsWith(".go") || name.endsWith("_test.go")) return false;
  return goodOSArchFile(ctx, name);
}

function goodOSArchFile(ctx: BuildContext, name: string): boolean {
  const dot = name.indexOf(".");
  const stem = dot < 0 ? name : name.slice(0, dot);
  const underscore = stem.indexOf("_");
  if (underscore < 0) return true;
  const l = stem.slice(underscore).split("_");
  if (l[l.length - 1] === "test") l.pop();
  const n = l.length;
  const last = l[n - 1] ?? "";
  const before = l[n - 2] ?? "";
  if (n >= 2 && KNOWN_OS.has(before) && KNOWN_ARCH.has(last)) return matchTag(ctx, last) && matchTag(ctx, before);
  if (n >= 1 && (KNOWN_OS.has(last) || KNOWN_ARCH.has(last))) return matchTag(ctx, last);
  return true;
}

/** The //go:build expression when there is one, else every +build line. */
function constraintsMatch(ctx: BuildContext, header: Pick<GoFileHeader, "goBuild" | "plusBuild">): boolean {
  const isTrue = (tag: string): boolean => matchTag(ctx, tag);
  if (header.goBuild !== undefined) {
    const expr = parseGoBuildExpr(header.goBuild);
    return expr !== undefined && evalBuildExpr(expr, isTrue);
  }
  for (const line of header.plusBuild) {
    const expr = parsePlusBuildExpr(line);
    // A line too complex to parse is skipped, as go/build does.
    if (expr !== undefined && !evalBuildExpr(expr, isTrue)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Expressions (go/build/constraint)

export type BuildExpr =
  | { readonly op: "tag"; readonly tag: string }
  | { readonly op: "not"; readonly x: BuildExpr }
  | { readonly op: "and" | "or"; readonly x: BuildExpr; readonly y: BuildExpr };

export function evalBuildExpr(expr: BuildExpr, isTrue: (tag: string) => boolean): boolean {
  switch (expr.op) {
    case "tag":
      return isTrue(expr.tag);
    case "not":
      return !evalBuildExpr(expr.x, isTrue);
    case "and":
      return evalBuildExpr(expr.x, isTrue) && evalBuildExpr(expr.y, isTrue);
    case "or":
      return evalBuildExpr(expr.x, isTrue) || evalBuildExpr(expr.y, isTrue);
  }
}

/** Renders an expression as constraint.Expr.String does: mixed && and || always parenthesized. */
export function formatBuildExpr(expr: BuildExpr): string {
  switch (expr.op) {
    case "tag":
      return expr.tag;
    case "not": {
      const s = formatBuildExpr(expr.x);
      return expr.x.op === "and" || expr.x.op === "or" ? `!(${s})` : `!${s}`;
    }
    case "and":
    case "or": {
      const other = expr.op === "and" ? "or" : "and";
      const arg = (x: BuildExpr): string => (x.op === other ? `(${formatBuildExpr(x)})` : formatBuildExpr(x));
      return `${arg(expr.x)} ${expr.op === "and" ? "&&" : "||"} ${arg(expr.y)}`;
    }
  }
}

const MAX_GO_BUILD_SIZE = 1000;
const MAX_PLUS_BUILD_SIZE = 100;
const TAG_CHAR = /^[\p{L}\p{Nd}_.]$/u;

class ExprSyntaxError extends Error {}

/** Parses the text after "//go:build"; undefined when go rejects it (the file is then not built). */
export function parseGoBuildExpr(text: string): BuildExpr | undefined {
  let i = 0;
  let tok = "";
  let isTag = false;
  let size = 0;

  const lex = (): void => {
    isTag = false;
    while (text[i] === " " || text[i] === "\t") i++;
    if (i >= text.length) {
      tok = "";
      return;
    }
    const c = text[i] as string;
    if (c === "(" || c === ")" || c === "!") {
      tok = c;
      i++;
      return;
    }
    if (c === "&" || c === "|") {
      if (text[i + 1] !== c) throw new ExprSyntaxError(`invalid syntax at ${c}`);
      tok = c + c;
      i += 2;
      return;
    }
    let end = i;
    for (const ch of text.slice(i)) {
      if (!TAG_CHAR.test(ch)) break;
      end += ch.length;
    }
    if (end === i) throw new ExprSyntaxError(`invalid syntax at ${String.fromCodePoint(text.codePointAt(i) as number)}`);
    tok = text.slice(i, end);
    i = end;
    isTag = true;
  };

  const current = (): string => tok;
  const or = (): BuildExpr => {
    let x = and();
    while (tok === "||") x = { op: "or", x, y: and() };
    return x;
  };
  const and = (): BuildExpr => {
    let x = not();
    while (tok === "&&") x = { op: "and", x, y: not() };
    return x;
  };
  const not = (): BuildExpr => {
    if (++size > MAX_GO_BUILD_SIZE) throw new ExprSyntaxError("build expression too large");
    lex();
    if (tok === "!") {
      lex();
      if (tok === "!") throw new ExprSyntaxError("double negation not allowed");
      return { op: "not", x: atom() };
    }
    return atom();
  };
  const atom = (): BuildExpr => {
    if (tok === "(") {
      const x = or();
      // or() has moved `tok` on; current() keeps TypeScript from narrowing it to "(".
      if (current() !== ")") throw new ExprSyntaxError("missing close paren");
      lex();
      return x;
    }
    if (!isTag) throw new ExprSyntaxError(tok === "" ? "unexpected end of expression" : `unexpected token ${tok}`);
    const tag = tok;
    lex();
    return { op: "tag", tag };
  };

  try {
    const x = or();
    if (tok !== "") throw new ExprSyntaxError(`unexpected token ${tok}`);
    return x;
  } catch (e) {
    if (e instanceof ExprSyntaxError) return undefined;
    throw e;
  }
}

/**
 * Parses the text after "+build": space-separated options OR'ed, each a
 * comma-separated AND of tags or !tags. As in go/build/constraint, a malformed
 * term stands for the tag "ignore"; undefined when the line is too complex
 * (go then skips the line).
 */
export function parsePlusBuildExpr(text: string): BuildExpr | undefined {
  let size = 0;
  let x: BuildExpr | undefined;
  for (const clause of splitGoFields(text)) {
    let y: BuildExpr | undefined;
    for (let lit of clause.split(",")) {
      let z: BuildExpr;
      if (lit.startsWith("!!") || lit === "!") {
        z = { op: "tag", tag: "ignore" };
      } else {
        const negated = lit.startsWith("!");
        if (negated) lit = lit.slice(1);
        z = { op: "tag", tag: isValidTag(lit) ? lit : "ignore" };
        if (negated) z = { op: "not", x: z };
      }
      if (y === undefined) {
        y = z;
      } else {
        if (++size > MAX_PLUS_BUILD_SIZE) return undefined;
        y = { op: "and", x: y, y: z };
      }
    }
    if (y === undefined) continue;
    if (x === undefined) {
      x = y;
    } else {
      if (++size > MAX_PLUS_BUILD_SIZE) return undefined;
      x = { op: "or", x, y };
    }
  }
  return x ?? { op: "tag", tag: "ignore" };
}

function isValidTag(word: string): boolean {
  if (word === "") return false;
  for (const c of word) if (!TAG_CHAR.test(c)) return false;
  return true;
}

/** strings.Fields: runs of non-space characters, by Go's unicode.IsSpace. */
function splitGoFields(text: string): string[] {
  const fields: string[] = [];
  let current = "";
  for (const c of trimGoSpace(text)) {
    if (isGoSpace(c)) {
      if (current !== "") fields.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  if (current !== "") fields.push(current);
  return fields;
}

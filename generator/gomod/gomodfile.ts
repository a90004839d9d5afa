/**
 * go.mod parsing with the grammar of go.dev/ref/mod#go-mod-file-grammar:
 * a lexer, a syntax pass (lines, `verb ( ... )` blocks, comments), then an
 * interpretation pass that follows golang.org/x/mod/modfile's Parse (strict,
 * for main modules) and ParseLax (for dependencies).
 */
import { GosetError } from "../errors.js";
import type {
  GoModFile,
  ModuleVersion,
  Replacement,
  Requirement,
  Retraction,
} from "../types.js";
import { describePathMajorMismatch, splitPathVersion } from "./module.js";
import { canonicalModuleVersion } from "./semver.js";
import { unquoteBytes } from "./strconv.js";

export interface ParseGoModOptions {
  /**
   * true (default) for a main module: unknown directives and blocks are
   * errors. false for a dependency, read like cmd/go reads one: only
   * `module`, `go`, `require`, `retract` and `ignore` are interpreted, every
   * other directive (replace, exclude, toolchain, godebug, tool, unknown
   * ones) is skipped unchecked, a sloppy `go` version is trimmed, and bad
   * retractions are dropped.
   */
  readonly strict?: boolean;
}

// ---- lexer ----

type TokenKind =
  | "eof"
  | "eol-comment"
  | "comment"
  | "ident"
  | "string"
  | "\n"
  | "("
  | ")"
  | "["
  | "]"
  | "{"
  | "}"
  | ",";

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

const PUNCTUATION = new Set(["\n", "(", ")", "[", "]", "{", "}", ","]);
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isIdentChar(c: string): boolean {
  return !PUNCTUATION.has(c) && c !== " " && PRINTABLE.test(c);
}

function isEndOfLine(kind: TokenKind): boolean {
  return kind === "eof" || kind === "eol-comment" || kind === "\n";
}

class Lexer {
  private offset = 0;
  private line = 1;
  private col = 1;

  constructor(
    private readonly text: string,
    private readonly fail: (line: number, message: string) => never,
  ) {}

  private peekChar(): string {
    const cp = this.text.codePointAt(this.offset);
    return cp === undefined ? "" : String.fromCodePoint(cp);
  }

  private readChar(): string {
    const c = this.peekChar();
    this.offset += c.length;
    if (c === "\n") {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return c;
  }

  private startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.offset);
  }

  next(): Token {
    while (this.offset < this.text.length) {
      const c = this.peekChar();
      if (c === " " || c === "\t" || c === "\r") {
        this.readChar();
        continue;
      }
      if (this.startsWith("//")) return this.readComment();
      if (this.startsWith("/*")) this.fail(this.line, "mod files must use // comments (not /* */ comments)");
      break;
    }
    const start = { line: this.line, col: this.col, offset: this.offset };
    const token = (kind: TokenKind): Token => ({
      kind,
      text: this.text.slice(start.offset, this.offset),
      line: start.line,
      col: start.col,
    });
    if (this.offset >= this.text.length) return token("eof");

    const c = this.peekChar();
    if (PUNCTUATION.has(c)) {
      this.readChar();
      return token(c as TokenKind);
    }
    if (c === '"' || c === "`") {
      this.readChar();
      for (;;) {
        if (this.offset >= this.text.length) this.fail(start.line, "unexpected EOF in string");
        if (this.peekChar() === "\n") this.fail(this.line, "unexpected newline in string");
        const d = this.readChar();
        if (d === c) break;
        if (d === "\\" && c === '"') {
          if (this.offset >= this.text.length) this.fail(start.line, "unexpected EOF in string");
          this.readChar();
        }
      }
      return token("string");
    }
    if (!isIdentChar(c)) this.fail(this.line, `unexpected input character ${JSON.stringify(c)}`);
    while (this.offset < this.text.length && isIdentChar(this.peekChar())) {
      if (this.startsWith("//")) break;
      if (this.startsWith("/*")) this.fail(this.line, "mod files must use // comments (not /* */ comments)");
      this.readChar();
    }
    return token("ident");
  }

  /** A comment runs to the end of its line and takes the newline with it. */
  private readComment(): Token {
    const lineStart = this.text.lastIndexOf("\n", this.offset - 1) + 1;
    const afterCode = this.text.slice(lineStart, this.offset).trim() !== "";
    const start = { line: this.line, col: this.col, offset: this.offset };
    while (this.offset < this.text.length && this.readChar() !== "\n") {
      // consume
    }
    let text = this.text.slice(start.offset, this.offset);
    text = text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
    return { kind: afterCode ? "eol-comment" : "comment", text, line: start.line, col: start.col };
  }

  get currentLine(): number {
    return this.line;
  }
}

// ---- syntax ----

/** A comment's text including "//"; "" marks a blank line between comments. */
type CommentText = string;

interface SyntaxLine {
  readonly kind: "line";
  readonly tokens: readonly string[];
  readonly line: number;
  before: readonly CommentText[];
  readonly suffix: readonly CommentText[];
}

interface SyntaxBlock {
  readonly kind: "block";
  readonly tokens: readonly string[];
  readonly line: number;
  before: readonly CommentText[];
  readonly lines: readonly SyntaxLine[];
}

type Statement = SyntaxLine | SyntaxBlock;

class SyntaxParser {
  private readonly lexer: Lexer;
  private token: Token;

  constructor(
    text: string,
    private readonly file: string,
    private readonly fail: (line: number, message: string) => never,
  ) {
    this.lexer = new Lexer(text, fail);
    this.token = this.lexer.next();
  }

  private lex(): Token {
    const t = this.token;
    this.token = this.lexer.next();
    return t;
  }

  parseFile(): Statement[] {
    const statements: Statement[] = [];
    // Comments directly above a statement (no blank line between) belong to it.
    let pending: CommentText[] | undefined;
    for (;;) {
      switch (this.token.kind) {
        case "eof":
          return statements;
        case "\n":
          this.lex();
          pending = undefined;
          break;
        case "comment":
        case "eol-comment":
          (pending ??= []).push(this.lex().text);
          break;
        default: {
          const statement = this.parseStatement();
          if (pending !== undefined) statement.before = pending;
          pending = undefined;
          statements.push(statement);
        }
      }
    }
  }

  private parseStatement(): Statement {
    const first = this.lex();
    const tokens = [first.text];
    for (;;) {
      const t = this.lex();
      if (isEndOfLine(t.kind)) {
        return { kind: "line", tokens, line: first.line, before: [], suffix: suffixOf(t) };
      }
      if (t.kind !== "(") {
        tokens.push(t.text);
        continue;
      }
      if (isEndOfLine(this.token.kind)) return this.parseBlock(tokens, first);
      if (this.token.kind === ")") {
        const rparen = this.lex();
        if (isEndOfLine(this.token.kind)) {
          this.lex();
          return { kind: "block", tokens, line: first.line, before: [], lines: [] };
        }
        tokens.push(t.text, rparen.text);
      } else {
        tokens.push(t.text);
      }
    }
  }

  private parseBlock(tokens: readonly string[], first: Token): SyntaxBlock {
    const lines: SyntaxLine[] = [];
    let comments: CommentText[] = [];
    for (;;) {
      switch (this.token.kind) {
        case "eol-comment":
          this.lex();
          break;
        case "\n":
          this.lex();
          if ((comments.length === 0 && lines.length > 0) || (comments.length > 0 && comments.at(-1) !== "")) {
            comments.push("");
          }
          break;
        case "comment":
          comments.push(this.lex().text);
          break;
        case "eof":
          return this.fail(
            this.lexer.currentLine,
            `syntax error (unterminated block started at ${this.file}:${first.line}:${first.col})`,
          );
        case ")":
          this.lex();
          if (!isEndOfLine(this.token.kind)) {
            this.fail(this.lexer.currentLine, "syntax error (expected newline after closing paren)");
          }
          this.lex();
          return { kind: "block", tokens, line: first.line, before: [], lines };
        default: {
          const line = this.parseLine();
          line.before = comments;
          comments = [];
          lines.push(line);
        }
      }
    }
  }

  private parseLine(): SyntaxLine {
    const first = this.lex();
    const tokens = [first.text];
    for (;;) {
      const t = this.lex();
      if (isEndOfLine(t.kind)) return { kind: "line", tokens, line: first.line, before: [], suffix: suffixOf(t) };
      tokens.push(t.text);
    }
  }
}

function suffixOf(t: Token): CommentText[] {
  return t.kind === "eol-comment" ? [t.text] : [];
}

// ---- strings ----

/** Go's strconv.Unquote for an interpreted string literal; undefined when invalid. */
function unquoteInterpreted(literal: string): string | undefined {
  const bytes = unquoteBytes(literal);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");
}

/** The value of a directive argument: unquoted if quoted; no other quotes allowed. */
function parseArgument(token: string): { value: string } | { problem: string } {
  if (token.startsWith('"')) {
    const value = unquoteInterpreted(token);
    return value === undefined ? { problem: "invalid quoted string: invalid syntax" } : { value };
  }
  if (/["'`]/.test(token)) return { problem: "invalid quoted string: unquoted string cannot contain quote" };
  return { value: token };
}

function mustQuote(s: string): boolean {
  if (s === "" || s.includes("//") || s.includes("/*")) return true;
  for (const c of s) {
    if (c === " " || c === '"' || c === "'" || c === "`") return true;
    if ("()[]{},".includes(c) && s.length > 1) return true;
    if (!PRINTABLE.test(c)) return true;
  }
  return false;
}

/** s as a go.mod token: bare when possible, else a quoted string (modfile.AutoQuote). */
export function autoQuote(s: string): string {
  return mustQuote(s) ? JSON.stringify(s) : s;
}

/** The go.mod the proxy serves for a module version without one. */
export function synthesizeGoMod(path: string): string {
  return `module ${autoQuote(path)}\n`;
}

// ---- interpretation ----

const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const LAX_GO_VERSION_RE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/;
const TOOLCHAIN_RE = /^default$|^go1($|\.)/;
const DEPRECATED_RE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;
const BLOCK_VERBS = new Set(["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"]);
const LAX_VERBS = new Set(["go", "module", "retract", "require", "ignore"]);

/** Whether a replacement target names a directory rather than a module (modfile.IsDirectoryPath). */
export function isDirectoryPath(s: string): boolean {
  return (
    s === "." || s.startsWith("./") || s.startsWith(".\\") ||
    s === ".." || s.startsWith("../") || s.startsWith("..\\") ||
    s.startsWith("/") || s.startsWith("\\") ||
    /^[A-Za-z]:/.test(s)
  );
}

/** A problem found while interpreting one line; `line` is reported. */
class LineProblem extends Error {}

interface MutableGoMod {
  module?: { path: string; deprecated: string; line: number };
  go?: string;
  toolchain?: string;
  requires: Requirement[];
  excludes: ModuleVersion[];
  replaces: Replacement[];
  retracts: Retraction[];
  godebug: { key: string; value: string }[];
  tools: string[];
}

function directiveComment(block: SyntaxBlock | undefined, line: SyntaxLine): string {
  let comments = [...line.before, ...line.suffix];
  if (block !== undefined && comments.length === 0) comments = [...block.before];
  return comments
    .filter((c) => c.startsWith("//"))
    .map((c) => c.slice(2).trim())
    .join("\n");
}

function isIndirect(line: SyntaxLine): boolean {
  const first = line.suffix[0];
  if (first === undefined) return false;
  const fields = first.slice(2).split(/\s+/).filter((f) => f !== "");
  return (fields.length === 1 && fields[0] === "indirect") || (fields.length > 1 && fields[0] === "indirect;");
}

function argument(token: string): string {
  const parsed = parseArgument(token);
  if ("problem" in parsed) throw new LineProblem(parsed.problem);
  return parsed.value;
}

function moduleVersionArgument(verb: string, path: string, token: string): string {
  const parsed = parseArgument(token);
  if ("problem" in parsed) throw new LineProblem(`${verb} ${path}: version ${token} invalid: ${parsed.problem}`);
  const version = canonicalModuleVersion(parsed.value);
  if (version === "") {
    throw new LineProblem(`${verb} ${path}: version "${parsed.value}" invalid: must be of the form v1.2.3`);
  }
  return version;
}

function pathMajorOf(path: string): string {
  const split = splitPathVersion(path);
  if (!split.ok) throw new LineProblem(`invalid module path ${JSON.stringify(path)}`);
  return split.pathMajor;
}

function checkVersionForPath(verb: string, path: string, version: string, pathMajor: string): void {
  const mismatch = describePathMajorMismatch(version, pathMajor);
  if (mismatch !== undefined) throw new LineProblem(`${verb} ${path}: ${mismatch}`);
}

/** A retract argument: `v1.2.3` or `[v1.0.0, v1.1.0]`; versions are kept as written, as modfile does. */
function parseVersionInterval(args: readonly string[]): { low: string; high: string; rest: readonly string[] } {
  const at = (i: number): string | undefined => args[i];
  const version = (i: number, after: string): string => {
    const token = at(i);
    if (token === undefined) throw new LineProblem(`expected version after '${after}'`);
    const parsed = parseArgument(token);
    if ("problem" in parsed) throw new LineProblem(`retract: version ${token} invalid: ${parsed.problem}`);
    return parsed.value;
  };
  const first = at(0);
  if (first === undefined || first === "(") throw new LineProblem("expected '[' or version");
  if (first !== "[") {
    const v = version(0, "retract");
    return { low: v, high: v, rest: args.slice(1) };
  }
  const low = version(1, "[");
  if (at(2) !== ",") throw new LineProblem("expected ',' after version");
  const high = version(3, ",");
  if (at(4) !== "]") throw new LineProblem("expected ']' after version");
  return { low, high, rest: args.slice(5) };
}

function parseReplace(args: readonly string[]): Replacement {
  const arrow = args.length >= 2 && args[1] === "=>" ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== "=>") {
    throw new LineProblem(
      "usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory",
    );
  }
  const oldPath = argument(args[0] ?? "");
  const pathMajor = pathMajorOf(oldPath);
  let oldVersion: string | undefined;
  if (arrow === 2) {
    oldVersion = moduleVersionArgument("replace", oldPath, args[1] ?? "");
    checkVersionForPath("replace", oldPath, oldVersion, pathMajor);
  }
  const target = argument(args[arrow + 1] ?? "");
  const old = oldVersion === undefined ? { path: oldPath } : { path: oldPath, version: oldVersion };
  const newVersionToken = args[arrow + 2];
  if (newVersionToken === undefined) {
    if (!isDirectoryPath(target)) {
      throw new LineProblem(
        target.includes("@")
          ? "replacement module must match format 'path version', not 'path@version'"
          : "replacement module without version must be directory path (rooted or starting with . or ..)",
      );
    }
    if (target.includes("\\")) {
      throw new LineProblem("replacement directory appears to be Windows path (on a non-windows system)");
    }
    return { old, new: { kind: "dir", dir: target } };
  }
  const newVersion = moduleVersionArgument("replace", target, newVersionToken);
  if (isDirectoryPath(target)) {
    throw new LineProblem(`replacement module directory path ${JSON.stringify(target)} cannot have version`);
  }
  return { old, new: { kind: "module", path: target, version: newVersion } };
}

function interpretLine(
  f: MutableGoMod,
  block: SyntaxBlock | undefined,
  line: SyntaxLine,
  verb: string,
  args: readonly string[],
  strict: boolean,
): void {
  if (!strict && !LAX_VERBS.has(verb)) return;
  switch (verb) {
    case "go": {
      if (f.go !== undefined) throw new LineProblem("repeated go statement");
      let version = args[0];
      if (args.length !== 1 || version === undefined) throw new LineProblem("go directive expects exactly one argument");
      if (!GO_VERSION_RE.test(version)) {
        const trimmed = strict ? undefined : LAX_GO_VERSION_RE.exec(version)?.[1];
        if (trimmed === undefined) {
          throw new LineProblem(`invalid go version '${version}': must match format 1.23.0`);
        }
        version = trimmed;
      }
      f.go = version;
      return;
    }
    case "toolchain": {
      if (f.toolchain !== undefined) throw new LineProblem("repeated toolchain statement");
      const name = args[0];
      if (args.length !== 1 || name === undefined) throw new LineProblem("toolchain directive expects exactly one argument");
      if (!TOOLCHAIN_RE.test(name)) {
        throw new LineProblem(`invalid toolchain version '${name}': must match format go1.23.0 or default`);
      }
      f.toolchain = name;
      return;
    }
    case "module": {
      if (f.module !== undefined) throw new LineProblem("repeated module statement");
      if (args.length !== 1) throw new LineProblem("usage: module module/path");
      const deprecated = DEPRECATED_RE.exec(directiveComment(block, line))?.[1] ?? "";
      f.module = { path: argument(args[0] ?? ""), deprecated, line: line.line };
      return;
    }
    case "godebug": {
      const arg = args[0];
      const eq = arg?.indexOf("=") ?? -1;
      if (args.length !== 1 || arg === undefined || /["`',]/.test(arg) || eq < 0) {
        throw new LineProblem("usage: godebug key=value");
      }
      f.godebug.push({ key: arg.slice(0, eq), value: arg.slice(eq + 1) });
      return;
    }
    case "require":
    case "exclude": {
      if (args.length !== 2) throw new LineProblem(`usage: ${verb} module/path v1.2.3`);
      const path = argument(args[0] ?? "");
      const version = moduleVersionArgument(verb, path, args[1] ?? "");
      checkVersionForPath(verb, path, version, pathMajorOf(path));
      if (verb === "require") f.requires.push({ path, version, indirect: isIndirect(line) });
      else f.excludes.push({ path, version });
      return;
    }
    case "replace":
      f.replaces.push(parseReplace(args));
      return;
    case "retract": {
      const rationale = directiveComment(block, line);
      let interval: ReturnType<typeof parseVersionInterval>;
      try {
        interval = parseVersionInterval(args);
      } catch (e) {
        if (strict) throw e;
        return;
      }
      if (strict && interval.rest.length > 0) {
        throw new LineProblem(`unexpected token after version: ${JSON.stringify(interval.rest[0])}`);
      }
      f.retracts.push({ low: interval.low, high: interval.high, rationale });
      return;
    }
    case "tool":
      if (args.length !== 1) throw new LineProblem("tool directive expects exactly one argument");
      f.tools.push(argument(args[0] ?? ""));
      return;
    case "ignore":
      // Checked like Go does, but not kept: it only matters to package patterns.
      if (args.length !== 1) throw new LineProblem("ignore directive expects exactly one argument");
      argument(args[0] ?? "");
      return;
    default:
      throw new LineProblem(`unknown directive: ${verb}`);
  }
}

/**
 * Parses go.mod text. Throws GOSET_GOMOD_PARSE with "<file>:<line>: <what>"
 * for the first problem, and when the module directive is missing.
 * Retraction bounds are kept as written (Go does not canonicalize them).
 */
export function parseGoMod(text: string, file: string, opts: ParseGoModOptions = {}): GoModFile {
  const strict = opts.strict ?? true;
  const hint = strict
    ? `Fix ${file} so that \`go mod edit -json\` accepts it.`
    : `The go.mod of this dependency is malformed; pin another version of it or replace it.`;
  const fail = (line: number, message: string): never => {
    throw new GosetError("GOSET_GOMOD_PARSE", `${file}:${line}: ${message}`, { hint });
  };

  const statements = new SyntaxParser(text, file, fail).parseFile();
  const f: MutableGoMod = {
    requires: [],
    excludes: [],
    replaces: [],
    retracts: [],
    godebug: [],
    tools: [],
  };
  const interpret = (block: SyntaxBlock | undefined, line: SyntaxLine, verb: string, args: readonly string[]): void => {
    try {
      interpretLine(f, block, line, verb, args, strict);
    } catch (e) {
      if (e instanceof LineProblem) fail(line.line, e.message);
      throw e;
    }
  };

  for (const statement of statements) {
    if (statement.kind === "line") {
      interpret(undefined, statement, statement.tokens[0] ?? "", statement.tokens.slice(1));
      continue;
    }
    const verb = statement.tokens[0] ?? "";
    if (statement.tokens.length > 1 || !BLOCK_VERBS.has(verb)) {
      if (strict) fail(statement.line, `unknown block type: ${statement.tokens.join(" ")}`);
      continue;
    }
    for (const line of statement.lines) interpret(statement, line, verb, line.tokens);
  }

  if (f.module === undefined) {
    throw new GosetError("GOSET_GOMOD_PARSE", `${file}: missing module declaration`, {
      hint: `Add a line \`module <path>\` to ${file}.`,
    });
  }
  if (f.module.path === "") fail(f.module.line, "empty module path");

  return {
    module: f.module.deprecated === "" ? { path: f.module.path } : { path: f.module.path, deprecated: f.module.deprecated },
    ...(f.go === undefined ? {} : { go: f.go }),
    ...(f.toolchain === undefined ? {} : { toolchain: f.toolchain }),
    requires: f.requires,
    excludes: f.excludes,
    replaces: f.replaces,
    retracts: f.retracts,
    godebug: f.godebug,
    tools: f.tools,
  };
}

/**
 * The header of a Go source file as go/build reads it: the build constraint
 * lines of the leading comment block, the package clause and the import
 * declarations. Nothing after the imports is looked at, so a truncated prefix
 * of a file is enough.
 */
import { unquoteBytes } from "../gomod/strconv.js";

export interface GoFileHeader {
  readonly packageName: string;
  /** The `//go:build` expression (text after "//go:build", trimmed), when the header has one. */
  readonly goBuild?: string;
  /** Legacy `// +build` lines (the text after "+build"), in order; only meaningful when goBuild is absent. */
  readonly plusBuild: readonly string[];
  /** Import paths in source order, duplicates removed, "C" excluded. */
  readonly imports: readonly string[];
  readonly importsC: boolean;
  /**
   * Why go/build rejects the whole file (several //go:build lines, a NUL byte
   * in the header): go lists it under InvalidGoFiles and never compiles it.
   */
  readonly invalid?: string;
  /**
   * Why the package clause or imports do not parse. go/build still lists the
   * file (and fails the package) but takes no imports from it: `imports` is
   * empty and `importsC` false, as in go.
   */
  readonly importError?: string;
}

/**
 * Scans the start of a Go source file (package clause and import declarations
 * only). Returns undefined when there is no package clause (not a Go file go
 * would read). `text` may be a truncated prefix of the file (e.g. the first
 * 1 MiB); it must not throw on anything.
 */
export function scanGoFileHeader(text: string): GoFileHeader | undefined {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const extent = readExtent(text);
  const clauses = parseImportSection(text.slice(0, extent.end));
  if (clauses === undefined) return undefined;
  const constraints = readConstraints(text);
  const invalid = extent.nul ? "unexpected NUL in input" : constraints.invalid;

  const imports: string[] = [];
  let importsC = false;
  if (clauses.error === undefined) {
    for (const path of clauses.imports) {
      if (path === "C") importsC = true;
      else if (!imports.includes(path)) imports.push(path);
    }
  }
  return {
    packageName: clauses.packageName,
    ...(constraints.goBuild === undefined ? {} : { goBuild: constraints.goBuild }),
    plusBuild: constraints.plusBuild,
    imports,
    importsC,
    ...(invalid === undefined ? {} : { invalid }),
    ...(clauses.error === undefined ? {} : { importError: clauses.error }),
  };
}

/**
 * Where go's reader stops in `text`: just before the first declaration after
 * the imports. The length of `text` when the text ends first, so a truncated
 * prefix may hide more of the header.
 */
export function goHeaderEnd(text: string): number {
  return readExtent(text.startsWith("\uFEFF") ? text.slice(1) : text).end + (text.startsWith("\uFEFF") ? 1 : 0);
}

// ---------------------------------------------------------------------------
// How much of the file go/build reads (its importReader). It follows the
// package clause and imports by a loose grammar and keeps them plus the
// comments around them; go/parser then sees only that prefix, so whatever
// follows the imports (even `import "C" "x"`) is never parsed. When the loose
// grammar fails, go parses the whole file instead. A NUL byte anywhere the
// reader looks makes go reject the file.

interface Extent {
  /** The prefix go/parser sees. */
  readonly end: number;
  readonly nul: boolean;
}

class ReaderSyntaxError extends Error {}

function readExtent(text: string): Extent {
  let i = 0;
  let seen = -1; // the furthest offset looked at
  const look = (k: number): string => {
    if (k > seen) seen = k;
    return text[k] ?? "";
  };
  const fail = (): never => {
    throw new ReaderSyntaxError();
  };
  const isIdentChar = (c: string): boolean => c !== "" && (/[A-Za-z0-9_]/.test(c) || c >= "\x80");

  /** Skips blanks, semicolons and comments; returns the next character ("" at the end) without taking it. */
  const skip = (): string => {
    for (;;) {
      const c = look(i);
      if (c === " " || c === "\f" || c === "\t" || c === "\r" || c === "\n" || c === ";") {
        i++;
      } else if (c === "/") {
        const d = look(i + 1);
        const close = d === "/" ? text.indexOf("\n", i + 2) : d === "*" ? text.indexOf("*/", i + 2) : fail();
        if (close < 0) {
          look(text.length);
          if (d === "*") fail();
          i = text.length;
        } else {
          i = d === "/" ? close + 1 : close + 2;
          look(i - 1);
        }
      } else {
        return c;
      }
    }
  };
  const keyword = (word: string): void => {
    skip();
    for (const c of word) {
      if (look(i) !== c) fail();
      i++;
    }
    if (isIdentChar(look(i))) fail();
  };
  const identifier = (): void => {
    if (!isIdentChar(skip())) fail();
    while (isIdentChar(look(i))) i++;
  };
  const quoted = (): void => {
    const q = skip();
    i++;
    if (q === "`") {
      const close = text.indexOf("`", i);
      if (close < 0) {
        look(text.length);
        fail();
      }
      look(close);
      i = close + 1;
    } else if (q === '"') {
      for (;;) {
        const c = look(i++);
        if (c === '"') break;
        if (c === "" || c === "\n") fail();
        if (c === "\\") look(i++);
      }
    } else {
      fail();
    }
  };
  const importSpec = (): void => {
    const c = skip();
    if (c === ".") i++;
    else if (isIdentChar(c)) identifier();
    quoted();
  };

  let end: number;
  try {
    keyword("package");
    identifier();
    while (skip() === "i") {
      keyword("import");
      if (skip() === "(") {
        i++;
        while (skip() !== ")") importSpec();
        i++;
      } else {
        importSpec();
      }
    }
    end = i;
  } catch (e) {
    if (!(e instanceof ReaderSyntaxError)) throw e;
    end = text.length;
  }
  const nul = text.indexOf("\0");
  return { end, nul: nul >= 0 && nul <= seen };
}

// ---------------------------------------------------------------------------
// Build constraint lines (go/build's parseFileHeader and shouldBuild)

interface Constraints {
  readonly goBuild?: string;
  readonly plusBuild: readonly string[];
  readonly invalid?: string;
}

function readConstraints(text: string): Constraints {
  // `end` is the offset after the last blank line of the leading run of
  // blank and // lines: +build lines count only before it.
  let end = 0;
  let ended = false;
  let inSlashStar = false;
  const goBuildLines: string[] = [];

  let p = 0;
  lines: while (p < text.length) {
    const nl = text.indexOf("\n", p);
    let line = trimGoSpace(nl < 0 ? text.slice(p) : text.slice(p, nl));
    p = nl < 0 ? text.length : nl + 1;
    if (line === "" && !ended) {
      end = p;
      continue;
    }
    if (!line.startsWith("//")) ended = true;
    if (!inSlashStar && isGoBuildLine(line)) goBuildLines.push(line);

    while (line.length > 0) {
      if (inSlashStar) {
        const close = line.indexOf("*/");
        if (close < 0) continue lines;
        inSlashStar = false;
        line = trimGoSpace(line.slice(close + 2));
        continue;
      }
      if (line.startsWith("//")) continue lines;
      if (line.startsWith("/*")) {
        inSlashStar = true;
        line = trimGoSpace(line.slice(2));
        continue;
      }
      break lines;
    }
  }

  const plusBuild: string[] = [];
  for (const raw of text.slice(0, end).split("\n")) {
    const line = trimGoSpace(raw);
    if (!line.startsWith("//")) continue;
    const rest = trimGoSpace(line.slice(2));
    if (!rest.startsWith("+build")) continue;
    const expr = rest.slice("+build".length);
    const trimmed = trimGoSpace(expr);
    if (expr !== "" && trimmed.length === expr.length) continue; // "+buildx"
    plusBuild.push(trimmed);
  }

  const first = goBuildLines[0];
  return {
    ...(first === undefined ? {} : { goBuild: trimGoSpace(first.slice("//go:build".length)) }),
    plusBuild,
    ...(goBuildLines.length > 1 ? { invalid: "multiple //go:build comments" } : {}),
  };
}

function isGoBuildLine(trimmedLine: string): boolean {
  if (!trimmedLine.startsWith("//go:build")) return false;
  const rest = trimmedLine.slice("//go:build".length);
  return rest === "" || trimGoSpace(rest).length < rest.length;
}

/** Go's unicode.IsSpace, which differs from JavaScript's \s (U+0085 is a space, U+FEFF is not). */
export function isGoSpace(c: string): boolean {
  switch (c) {
    case " ":
    case "\t":
    case "\n":
    case "\v":
    case "\f":
    case "\r":
    case "\u0085":
    case "\u00A0":
    case "\u1680":
    case "\u2028":
    case "\u2029":
    case "\u202F":
    case "\u205F":
    case "\u3000":
      return true;
    default:
      return c >= "\u2000" && c <= "\u200A";
  }
}

export function trimGoSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s[start] as string)) start++;
  while (end > start && isGoSpace(s[end - 1] as string)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

// ---------------------------------------------------------------------------
// Package clause and imports (go/parser in ImportsOnly mode)

interface ImportSection {
  readonly packageName: string;
  /** Import paths as written, "C" included. */
  readonly imports: readonly string[];
  readonly error?: string;
}

function parseImportSection(text: string): ImportSection | undefined {
  const sc = new Scanner(text);
  let tok = sc.next();
  if (tok.kind !== "keyword" || tok.text !== "package") return undefined;
  tok = sc.next();
  if (tok.kind !== "ident") return undefined;
  const packageName = tok.text;
  tok = sc.next();
  if (tok.kind === "semicolon") tok = sc.next();
  else if (tok.kind !== "rparen" && tok.kind !== "rbrace") return undefined;

  const imports: string[] = [];
  const fail = (message: string): ImportSection => ({ packageName, imports: [], error: sc.error ?? message });

  while (tok.kind === "keyword" && tok.text === "import") {
    tok = sc.next();
    if (tok.kind === "lparen") {
      tok = sc.next();
      while (tok.kind !== "rparen" && tok.kind !== "eof") {
        const spec = parseImportSpec(sc, tok);
        if (typeof spec === "string") return fail(spec);
        imports.push(spec.path);
        tok = spec.next;
      }
      if (tok.kind !== "rparen") return fail("missing ')'");
      tok = sc.next();
      if (tok.kind === "semicolon") tok = sc.next();
      else if (tok.kind !== "rparen" && tok.kind !== "rbrace") return fail("expected ';'");
    } else {
      const spec = parseImportSpec(sc, tok);
      if (typeof spec === "string") return fail(spec);
      imports.push(spec.path);
      tok = spec.next;
    }
  }
  // `tok` is the end of the prefix, or (when go parses the whole file) the
  // first declaration after the imports. A scanner error there (an
  // unterminated comment in a truncated prefix) is not held against the file.
  return { packageName, imports };
}

/** Parses one ImportSpec starting at `tok`; returns the path and the token after its semicolon, or an error. */
function parseImportSpec(sc: Scanner, tok: Token): { path: string; next: Token } | string {
  if (tok.kind === "ident" || tok.kind === "period") tok = sc.next();
  if (tok.kind !== "string") return tok.kind === "literal" ? "import path must be a string" : "missing import path";
  if (tok.value === undefined || !isValidImportPath(tok.value)) return `invalid import path: ${tok.text}`;
  const path = tok.value;
  tok = sc.next();
  if (tok.kind === "semicolon") return { path, next: sc.next() };
  if (tok.kind === "rparen" || tok.kind === "rbrace") return { path, next: tok };
  return "expected ';'";
}

const ILLEGAL_IMPORT_CHARS = new Set("!\"#$%&'()*,:;<=>?[\\]^{|}`\uFFFD");
const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;

/** go/build's isValidImport: graphic, no spaces, none of a few punctuation characters. */
function isValidImportPath(path: string): boolean {
  if (path === "") return false;
  for (const c of path) {
    if (!GRAPHIC.test(c) || isGoSpace(c) || ILLEGAL_IMPORT_CHARS.has(c)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// A go/scanner subset: enough tokens to read a package clause and imports,
// with automatic semicolons.

type TokenKind =
  | "ident"
  | "keyword"
  | "string"
  | "literal"
  | "semicolon"
  | "lparen"
  | "rparen"
  | "rbrace"
  | "period"
  | "other"
  | "error"
  | "eof";

interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly text: string;
  /** A string literal's value, undefined when it is not valid UTF-8. */
  readonly value?: string;
}

const KEYWORDS = new Set([
  "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go", "goto",
  "if", "import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type", "var",
]);
const SEMI_KEYWORDS = new Set(["break", "continue", "fallthrough", "return"]);
const LETTER = /^[\p{L}_]$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}_]$/u;
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

class Scanner {
  offset = 0;
  error: string | undefined;
  private insertSemi = false;

  constructor(private readonly src: string) {
    // go/scanner skips a byte order mark at the start of what it is given.
    if (src.startsWith("\uFEFF")) this.offset = 1;
  }

  next(): Token {
    const s = this.src;
    for (;;) {
      const c = s[this.offset];
      if (c === " " || c === "\t" || c === "\r" || (c === "\n" && !this.insertSemi)) {
        this.offset++;
        continue;
      }
      if (c === "/" && (s[this.offset + 1] === "/" || s[this.offset + 1] === "*")) {
        const start = this.offset;
        if (s[this.offset + 1] === "/") {
          if (this.insertSemi) return this.semicolon(start);
          const nl = s.indexOf("\n", start);
          this.offset = nl < 0 ? s.length : nl;
          continue;
        }
        const close = s.indexOf("*/", start + 2);
        if (close < 0) {
          this.offset = s.length;
          return this.fail(start, "comment not terminated");
        }
        if (this.insertSemi && s.slice(start, close).includes("\n")) return this.semicolon(start);
        this.offset = close + 2;
        continue;
      }
      break;
    }

    const start = this.offset;
    if (start >= s.length) {
      if (this.insertSemi) return this.semicolon(start);
      return { kind: "eof", start, text: "" };
    }
    const cp = s.codePointAt(start) as number;
    const c = String.fromCodePoint(cp);
    if (c === "\n") {
      this.offset++;
      return this.semicolon(start);
    }
    this.insertSemi = false;
    if (LETTER.test(c)) {
      let end = start + c.length;
      for (;;) {
        const d = s.codePointAt(end);
        if (d === undefined) break;
        const ch = String.fromCodePoint(d);
        if (!LETTER_OR_DIGIT.test(ch)) break;
        end += ch.length;
      }
      this.offset = end;
      const text = s.slice(start, end);
      if (KEYWORDS.has(text)) {
        this.insertSemi = SEMI_KEYWORDS.has(text);
        return { kind: "keyword", start, text };
      }
      this.insertSemi = true;
      return { kind: "ident", start, text };
    }
    if ((c >= "0" && c <= "9") || (c === "." && /[0-9]/.test(s[start + 1] ?? ""))) {
      // Any number is an error where a package clause or import is parsed.
      let end = start + 1;
      while (end < s.length && /[0-9A-Za-z_.]/.test(s[end] as string)) end++;
      this.offset = end;
      this.insertSemi = true;
      return { kind: "literal", start, text: s.slice(start, end) };
    }
    switch (c) {
      case '"':
        return this.interpretedString(start);
      case "`":
        return this.rawString(start);
      case "'": {
        const close = s.indexOf("'", start + 1);
        const nl = s.indexOf("\n", start + 1);
        if (close < 0 || (nl >= 0 && nl < close)) {
          this.offset = nl < 0 ? s.length : nl;
          return this.fail(start, "rune literal not terminated");
        }
        this.offset = close + 1;
        this.insertSemi = true;
        return { kind: "literal", start, text: s.slice(start, this.offset) };
      }
      case ";":
        this.offset++;
        return { kind: "semicolon", start, text: ";" };
      case "(":
        this.offset++;
        return { kind: "lparen", start, text: c };
      case ")":
        this.offset++;
        this.insertSemi = true;
        return { kind: "rparen", start, text: c };
      case "}":
        this.offset++;
        this.insertSemi = true;
        return { kind: "rbrace", start, text: c };
      case "]":
        this.offset++;
        this.insertSemi = true;
        return { kind: "other", start, text: c };
      case ".":
        if (s.startsWith("...", start)) {
          this.offset += 3;
          return { kind: "other", start, text: "..." };
        }
        this.offset++;
        return { kind: "period", start, text: c };
      case "\0":
        this.offset++;
        return this.fail(start, "illegal character NUL");
      case "\uFEFF":
        this.offset++;
        return this.fail(start, "illegal byte order mark");
    }
    this.offset += c.length;
    if (cp < 0x80 && "+-*/%&|^<>=!~,:[{".includes(c)) {
      if ((c === "+" || c === "-") && s[this.offset] === c) {
        this.offset++;
        this.insertSemi = true;
      }
      return { kind: "other", start, text: s.slice(start, this.offset) };
    }
    return this.fail(start, `invalid character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
  }

  private semicolon(start: number): Token {
    this.insertSemi = false;
    return { kind: "semicolon", start, text: "\n" };
  }

  private fail(start: number, message: string): Token {
    this.error ??= message;
    this.insertSemi = false;
    return { kind: "error", start, text: this.src.slice(start, this.offset) };
  }

  private rawString(start: number): Token {
    const close = this.src.indexOf("`", start + 1);
    if (close < 0) {
      this.offset = this.src.length;
      return this.fail(start, "raw string literal not terminated");
    }
    this.offset = close + 1;
    this.insertSemi = true;
    const value = this.src.slice(start + 1, close).replaceAll("\r", "");
    return { kind: "string", start, text: this.src.slice(start, this.offset), ...validUtf16(value) };
  }

  private interpretedString(start: number): Token {
    const s = this.src;
    let i = start + 1;
    for (; s[i] !== '"'; i++) {
      if (i >= s.length || s[i] === "\n") {
        this.offset = i;
        return this.fail(start, "string literal not terminated");
      }
      if (s[i] === "\\" && s[i + 1] !== "\n" && i + 1 < s.length) i++;
    }
    this.offset = i + 1;
    this.insertSemi = true;
    const text = s.slice(start, this.offset);
    const bytes = unquoteBytes(text);
    if (bytes === undefined) return this.fail(start, "invalid escape sequence in string literal");
    let value: string | undefined;
    try {
      value = utf8Decoder.decode(bytes);
    } catch {
      value = undefined;
    }
    return { kind: "string", start, text, ...(value === undefined ? {} : { value }) };
  }
}


/** Lone surrogates cannot come from UTF-8 text: treat them as invalid. */
function validUtf16(value: string): { value?: string } {
  return /[\uD800-\uDFFF]/u.test(value) ? {} : { value };
}

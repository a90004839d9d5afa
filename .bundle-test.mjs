// generator/cli/main.ts
import { availableParallelism as availableParallelism2 } from "node:os";
import { parseArgs } from "node:util";

// generator/redact.ts
var secrets = /* @__PURE__ */ new Set();
function registerSecret(secret) {
  if (secret.length >= 3) secrets.add(secret);
}
function redactUrl(url) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1***@");
}
function redact(text) {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1***@");
  for (const s of secrets) out = out.split(s).join("***");
  return out;
}

// generator/errors.ts
var GosetError = class extends Error {
  code;
  hint;
  constructor(code, message, options = {}) {
    super(redact(message), options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "GosetError";
    this.code = code;
    this.hint = options.hint === void 0 ? void 0 : redact(options.hint);
  }
};
function isGosetError(e) {
  return e instanceof GosetError;
}

// generator/update.ts
import { createHash as createHash6 } from "node:crypto";
import { readFile as readFile7, writeFile as writeFile5 } from "node:fs/promises";
import { join as join11, resolve as resolve3 } from "node:path";

// generator/env/goenv.ts
import { readFile as fsReadFile, realpath, stat } from "node:fs/promises";
import { homedir as homedir2 } from "node:os";
import { delimiter, isAbsolute, join as join2, resolve } from "node:path";

// generator/env/netrc.ts
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
function netrcPathFor(env) {
  const explicit = env["NETRC"];
  if (explicit !== void 0 && explicit !== "") return explicit;
  return join(env["HOME"] || homedir(), ".netrc");
}
function parseNetrc(text) {
  const entries2 = [];
  let current;
  const flush = () => {
    if (current !== void 0) entries2.push({ ...current });
    current = void 0;
  };
  const lines = text.split("\n");
  for (let li = 0; li < lines.length; li++) {
    const words = lines[li].split(/\s+/).filter((w) => w !== "");
    for (let wi = 0; wi < words.length; wi++) {
      const word = words[wi];
      const takeValue = () => {
        for (; ; ) {
          const value2 = words[wi + 1];
          if (value2 !== void 0) {
            wi++;
            return value2;
          }
          if (li + 1 >= lines.length) return "";
          li++;
          words.length = 0;
          words.push(...lines[li].split(/\s+/).filter((w) => w !== ""));
          wi = -1;
        }
      };
      switch (word) {
        case "machine":
          flush();
          current = { machine: takeValue(), isDefault: false, login: "", password: "", account: "" };
          break;
        case "default":
          flush();
          current = { machine: "", isDefault: true, login: "", password: "", account: "" };
          break;
        case "login":
        case "password":
        case "account": {
          const value2 = takeValue();
          if (current === void 0) break;
          current[word] = value2;
          if (word === "password") registerSecret(value2);
          break;
        }
        case "macdef":
          takeValue();
          while (li + 1 < lines.length && lines[li + 1].trim() !== "") li++;
          wi = words.length;
          break;
        default:
          break;
      }
    }
  }
  flush();
  return entries2;
}
function credentialsFor(entries2, host) {
  const entry = entries2.find((e) => !e.isDefault && e.machine === host && e.login !== "" && e.password !== "");
  return entry === void 0 ? void 0 : { user: entry.login, password: entry.password };
}
async function readNetrc(path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw new GosetError("GOSET_NETRC_INVALID", `${path}: cannot read netrc file: ${e.message}`, {
      hint: "Make the file readable, or point $NETRC at another file.",
      cause: e
    });
  }
  return parseNetrc(text);
}

// generator/env/goenv.ts
var DEFAULT_GOPROXY = "https://proxy.golang.org,direct";
var DEFAULT_GOSUMDB = "sum.golang.org";
var defaultReadFile = (path, encoding) => fsReadFile(path, encoding);
function parseGoEnvFile(text) {
  const values = /* @__PURE__ */ new Map();
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    const first = line.charCodeAt(0);
    if (eq < 0 || !(first >= 65 && first <= 90)) continue;
    values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}
function goEnvFilePath(env) {
  const goenv = env["GOENV"];
  if (goenv !== void 0 && goenv !== "") return goenv === "off" ? void 0 : goenv;
  const xdg = env["XDG_CONFIG_HOME"];
  if (xdg !== void 0 && xdg !== "") return isAbsolute(xdg) ? join2(xdg, "go", "env") : void 0;
  const home = env["HOME"];
  return home === void 0 || home === "" ? void 0 : join2(home, ".config", "go", "env");
}
async function readEnvFile(path, readFile8) {
  if (path === void 0) return /* @__PURE__ */ new Map();
  try {
    return parseGoEnvFile(await readFile8(path, "utf8"));
  } catch {
    return /* @__PURE__ */ new Map();
  }
}
async function isDirectory(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
async function findGoRoot(env, userFile) {
  const explicit = userFile.get("GOROOT") || env["GOROOT"];
  if (explicit) return resolve(explicit);
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    const exe = join2(dir, "go");
    if (!await isFile(exe)) continue;
    const real = await realpath(exe).catch(() => exe);
    for (const candidate of [exe, real].flatMap((e) => [resolve(e, "../.."), resolve(e, "../../..")])) {
      if (await isDirectory(join2(candidate, "pkg", "tool"))) return candidate;
    }
    return void 0;
  }
  return void 0;
}
function cacheDirFor(env) {
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== void 0 && xdg !== "") {
    if (!isAbsolute(xdg)) {
      throw new GosetError("GOSET_ENV_INVALID", `XDG_CACHE_HOME=${xdg} is not an absolute path`, {
        hint: "Set XDG_CACHE_HOME to an absolute directory or unset it (update-set then uses ~/.cache/goset)."
      });
    }
    return join2(xdg, "goset");
  }
  return join2(env["HOME"] || homedir2(), ".cache", "goset");
}
async function readGoSettings(env = process.env, readFile8 = defaultReadFile) {
  const userFile = await readEnvFile(goEnvFilePath(env), readFile8);
  const goroot = await findGoRoot(env, userFile);
  const gorootFile = await readEnvFile(goroot === void 0 ? void 0 : join2(goroot, "go.env"), readFile8);
  const lookup = (key) => env[key] || (userFile.has(key) ? userFile.get(key) : gorootFile.get(key));
  const goprivate = lookup("GOPRIVATE") ?? "";
  return {
    goproxy: lookup("GOPROXY") ?? DEFAULT_GOPROXY,
    gonoproxy: lookup("GONOPROXY") || goprivate,
    gonosumdb: lookup("GONOSUMDB") || goprivate,
    goprivate,
    gosumdb: lookup("GOSUMDB") ?? DEFAULT_GOSUMDB,
    goinsecure: lookup("GOINSECURE") ?? "",
    goflags: lookup("GOFLAGS") ?? "",
    netrcPath: netrcPathFor(env),
    cacheDir: cacheDirFor(env)
  };
}

// generator/fetch/store.ts
import { randomBytes } from "node:crypto";
import { mkdir, readFile as readFile3, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, join as join4 } from "node:path";
import pLimit from "p-limit";

// generator/gomod/escape.ts
function escapeCase(s) {
  return s.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase());
}
var escapePath = escapeCase;
var escapeVersion = escapeCase;

// generator/modzip/digest.ts
import { createHash as createHash2 } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { lstat, readdir as readdir2, readlink, stat as stat2 } from "node:fs/promises";
import { setImmediate } from "node:timers/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createInflateRaw, inflateRawSync } from "node:zlib";

// generator/packages/packageindex.ts
import { readdir, readFile as readFile2 } from "node:fs/promises";
import { join as join3 } from "node:path";

// generator/gomod/strconv.ts
var SIMPLE_ESCAPES = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
  '"': 34
};
var encoder = new TextEncoder();
function unquoteBytes(literal) {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return void 0;
  const body = literal.slice(1, -1);
  const bytes = [];
  const pushText = (s) => {
    for (const b of encoder.encode(s)) bytes.push(b);
  };
  for (let i = 0; i < body.length; ) {
    const c = body[i] ?? "";
    if (c === '"' || c === "\n") return void 0;
    if (c !== "\\") {
      const s = String.fromCodePoint(body.codePointAt(i) ?? 0);
      pushText(s);
      i += s.length;
      continue;
    }
    const e = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== void 0) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    if (e === "x" || e === "u" || e === "U") {
      const width = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) return void 0;
      const value3 = parseInt(hex, 16);
      if (e === "x") {
        bytes.push(value3);
      } else {
        if (value3 > 1114111 || value3 >= 55296 && value3 <= 57343) return void 0;
        pushText(String.fromCodePoint(value3));
      }
      i += 2 + width;
      continue;
    }
    const octal = body.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(octal)) return void 0;
    const value2 = parseInt(octal, 8);
    if (value2 > 255) return void 0;
    bytes.push(value2);
    i += 4;
  }
  return new Uint8Array(bytes);
}

// generator/packages/gofile.ts
function scanGoFileHeader(text) {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const extent = readExtent(text);
  const clauses = parseImportSection(text.slice(0, extent.end));
  if (clauses === void 0) return void 0;
  const constraints = readConstraints(text);
  const invalid3 = extent.nul ? "unexpected NUL in input" : constraints.invalid;
  const imports = [];
  let importsC = false;
  if (clauses.error === void 0) {
    for (const path of clauses.imports) {
      if (path === "C") importsC = true;
      else if (!imports.includes(path)) imports.push(path);
    }
  }
  return {
    packageName: clauses.packageName,
    ...constraints.goBuild === void 0 ? {} : { goBuild: constraints.goBuild },
    plusBuild: constraints.plusBuild,
    imports,
    importsC,
    ...invalid3 === void 0 ? {} : { invalid: invalid3 },
    ...clauses.error === void 0 ? {} : { importError: clauses.error }
  };
}
function goHeaderEnd(text) {
  return readExtent(text.startsWith("\uFEFF") ? text.slice(1) : text).end + (text.startsWith("\uFEFF") ? 1 : 0);
}
var ReaderSyntaxError = class extends Error {
};
function readExtent(text) {
  let i = 0;
  let seen = -1;
  const look = (k) => {
    if (k > seen) seen = k;
    return text[k] ?? "";
  };
  const fail = () => {
    throw new ReaderSyntaxError();
  };
  const isIdentChar2 = (c) => c !== "" && (/[A-Za-z0-9_]/.test(c) || c >= "\x80");
  const skip = () => {
    for (; ; ) {
      const c = look(i);
      if (c === " " || c === "\f" || c === "	" || c === "\r" || c === "\n" || c === ";") {
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
  const keyword = (word) => {
    skip();
    for (const c of word) {
      if (look(i) !== c) fail();
      i++;
    }
    if (isIdentChar2(look(i))) fail();
  };
  const identifier = () => {
    if (!isIdentChar2(skip())) fail();
    while (isIdentChar2(look(i))) i++;
  };
  const quoted = () => {
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
      for (; ; ) {
        const c = look(i++);
        if (c === '"') break;
        if (c === "" || c === "\n") fail();
        if (c === "\\") look(i++);
      }
    } else {
      fail();
    }
  };
  const importSpec = () => {
    const c = skip();
    if (c === ".") i++;
    else if (isIdentChar2(c)) identifier();
    quoted();
  };
  let end;
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
function readConstraints(text) {
  let end = 0;
  let ended = false;
  let inSlashStar = false;
  const goBuildLines = [];
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
  const plusBuild = [];
  for (const raw2 of text.slice(0, end).split("\n")) {
    const line = trimGoSpace(raw2);
    if (!line.startsWith("//")) continue;
    const rest = trimGoSpace(line.slice(2));
    if (!rest.startsWith("+build")) continue;
    const expr = rest.slice("+build".length);
    const trimmed = trimGoSpace(expr);
    if (expr !== "" && trimmed.length === expr.length) continue;
    plusBuild.push(trimmed);
  }
  const first = goBuildLines[0];
  return {
    ...first === void 0 ? {} : { goBuild: trimGoSpace(first.slice("//go:build".length)) },
    plusBuild,
    ...goBuildLines.length > 1 ? { invalid: "multiple //go:build comments" } : {}
  };
}
function isGoBuildLine(trimmedLine) {
  if (!trimmedLine.startsWith("//go:build")) return false;
  const rest = trimmedLine.slice("//go:build".length);
  return rest === "" || trimGoSpace(rest).length < rest.length;
}
function isGoSpace(c) {
  switch (c) {
    case " ":
    case "	":
    case "\n":
    case "\v":
    case "\f":
    case "\r":
    case "\x85":
    case "\xA0":
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
function trimGoSpace(s) {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s[start])) start++;
  while (end > start && isGoSpace(s[end - 1])) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}
function parseImportSection(text) {
  const sc = new Scanner(text);
  let tok = sc.next();
  if (tok.kind !== "keyword" || tok.text !== "package") return void 0;
  tok = sc.next();
  if (tok.kind !== "ident") return void 0;
  const packageName = tok.text;
  tok = sc.next();
  if (tok.kind === "semicolon") tok = sc.next();
  else if (tok.kind !== "rparen" && tok.kind !== "rbrace") return void 0;
  const imports = [];
  const fail = (message) => ({ packageName, imports: [], error: sc.error ?? message });
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
  return { packageName, imports };
}
function parseImportSpec(sc, tok) {
  if (tok.kind === "ident" || tok.kind === "period") tok = sc.next();
  if (tok.kind !== "string") return tok.kind === "literal" ? "import path must be a string" : "missing import path";
  if (tok.value === void 0 || !isValidImportPath(tok.value)) return `invalid import path: ${tok.text}`;
  const path = tok.value;
  tok = sc.next();
  if (tok.kind === "semicolon") return { path, next: sc.next() };
  if (tok.kind === "rparen" || tok.kind === "rbrace") return { path, next: tok };
  return "expected ';'";
}
var ILLEGAL_IMPORT_CHARS = new Set("!\"#$%&'()*,:;<=>?[\\]^{|}`\uFFFD");
var GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;
function isValidImportPath(path) {
  if (path === "") return false;
  for (const c of path) {
    if (!GRAPHIC.test(c) || isGoSpace(c) || ILLEGAL_IMPORT_CHARS.has(c)) return false;
  }
  return true;
}
var KEYWORDS = /* @__PURE__ */ new Set([
  "break",
  "case",
  "chan",
  "const",
  "continue",
  "default",
  "defer",
  "else",
  "fallthrough",
  "for",
  "func",
  "go",
  "goto",
  "if",
  "import",
  "interface",
  "map",
  "package",
  "range",
  "return",
  "select",
  "struct",
  "switch",
  "type",
  "var"
]);
var SEMI_KEYWORDS = /* @__PURE__ */ new Set(["break", "continue", "fallthrough", "return"]);
var LETTER = /^[\p{L}_]$/u;
var LETTER_OR_DIGIT = /^[\p{L}\p{Nd}_]$/u;
var utf8Decoder = new TextDecoder("utf-8", { fatal: true });
var Scanner = class {
  constructor(src) {
    this.src = src;
    if (src.startsWith("\uFEFF")) this.offset = 1;
  }
  src;
  offset = 0;
  error;
  insertSemi = false;
  next() {
    const s = this.src;
    for (; ; ) {
      const c2 = s[this.offset];
      if (c2 === " " || c2 === "	" || c2 === "\r" || c2 === "\n" && !this.insertSemi) {
        this.offset++;
        continue;
      }
      if (c2 === "/" && (s[this.offset + 1] === "/" || s[this.offset + 1] === "*")) {
        const start2 = this.offset;
        if (s[this.offset + 1] === "/") {
          if (this.insertSemi) return this.semicolon(start2);
          const nl = s.indexOf("\n", start2);
          this.offset = nl < 0 ? s.length : nl;
          continue;
        }
        const close = s.indexOf("*/", start2 + 2);
        if (close < 0) {
          this.offset = s.length;
          return this.fail(start2, "comment not terminated");
        }
        if (this.insertSemi && s.slice(start2, close).includes("\n")) return this.semicolon(start2);
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
    const cp = s.codePointAt(start);
    const c = String.fromCodePoint(cp);
    if (c === "\n") {
      this.offset++;
      return this.semicolon(start);
    }
    this.insertSemi = false;
    if (LETTER.test(c)) {
      let end = start + c.length;
      for (; ; ) {
        const d = s.codePointAt(end);
        if (d === void 0) break;
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
    if (c >= "0" && c <= "9" || c === "." && /[0-9]/.test(s[start + 1] ?? "")) {
      let end = start + 1;
      while (end < s.length && /[0-9A-Za-z_.]/.test(s[end])) end++;
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
        if (close < 0 || nl >= 0 && nl < close) {
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
    if (cp < 128 && "+-*/%&|^<>=!~,:[{".includes(c)) {
      if ((c === "+" || c === "-") && s[this.offset] === c) {
        this.offset++;
        this.insertSemi = true;
      }
      return { kind: "other", start, text: s.slice(start, this.offset) };
    }
    return this.fail(start, `invalid character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
  }
  semicolon(start) {
    this.insertSemi = false;
    return { kind: "semicolon", start, text: "\n" };
  }
  fail(start, message) {
    this.error ??= message;
    this.insertSemi = false;
    return { kind: "error", start, text: this.src.slice(start, this.offset) };
  }
  rawString(start) {
    const close = this.src.indexOf("`", start + 1);
    if (close < 0) {
      this.offset = this.src.length;
      return this.fail(start, "raw string literal not terminated");
    }
    this.offset = close + 1;
    this.insertSemi = true;
    const value2 = this.src.slice(start + 1, close).replaceAll("\r", "");
    return { kind: "string", start, text: this.src.slice(start, this.offset), ...validUtf16(value2) };
  }
  interpretedString(start) {
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
    if (bytes === void 0) return this.fail(start, "invalid escape sequence in string literal");
    let value2;
    try {
      value2 = utf8Decoder.decode(bytes);
    } catch {
      value2 = void 0;
    }
    return { kind: "string", start, text, ...value2 === void 0 ? {} : { value: value2 } };
  }
};
function validUtf16(value2) {
  return /[\uD800-\uDFFF]/u.test(value2) ? {} : { value: value2 };
}

// generator/packages/constraint.ts
var platform = (goos, goarch) => ({ goos, goarch, cgo: true, goVersionMinor: 26, tags: [] });
var SET_PLATFORMS = [
  platform("linux", "amd64"),
  platform("linux", "arm64"),
  platform("darwin", "amd64"),
  platform("darwin", "arm64")
];
var KNOWN_OS = /* @__PURE__ */ new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "hurd",
  "illumos",
  "ios",
  "js",
  "linux",
  "nacl",
  "netbsd",
  "openbsd",
  "plan9",
  "solaris",
  "wasip1",
  "windows",
  "zos"
]);
var UNIX_OS = /* @__PURE__ */ new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "hurd",
  "illumos",
  "ios",
  "linux",
  "netbsd",
  "openbsd",
  "solaris"
]);
var KNOWN_ARCH = /* @__PURE__ */ new Set([
  "386",
  "amd64",
  "amd64p32",
  "arm",
  "armbe",
  "arm64",
  "arm64be",
  "loong64",
  "mips",
  "mipsle",
  "mips64",
  "mips64le",
  "mips64p32",
  "mips64p32le",
  "ppc",
  "ppc64",
  "ppc64le",
  "riscv",
  "riscv64",
  "s390",
  "s390x",
  "sparc",
  "sparc64",
  "wasm"
]);
function toolTags(ctx) {
  const tags = [];
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
function releaseTags(ctx) {
  return Array.from({ length: Math.max(0, ctx.goVersionMinor) }, (_, i) => `go1.${i + 1}`);
}
var contextTags = /* @__PURE__ */ new WeakMap();
function listedTags(ctx) {
  let tags = contextTags.get(ctx);
  if (tags === void 0) {
    tags = /* @__PURE__ */ new Set([...ctx.tags, ...toolTags(ctx), ...releaseTags(ctx)]);
    contextTags.set(ctx, tags);
  }
  return tags;
}
function matchTag(ctx, name) {
  if (ctx.cgo && name === "cgo") return true;
  if (name === ctx.goos || name === ctx.goarch || name === "gc") return true;
  if (ctx.goos === "android" && name === "linux") return true;
  if (ctx.goos === "illumos" && name === "solaris") return true;
  if (ctx.goos === "ios" && name === "darwin") return true;
  if (name === "unix" && UNIX_OS.has(ctx.goos)) return true;
  if (name === "boringcrypto") name = "goexperiment.boringcrypto";
  return listedTags(ctx).has(name);
}
function fileMatches(ctx, fileName, header) {
  if (!fileNameMatches(ctx, fileName)) return false;
  if (header.invalid !== void 0) return false;
  if (!constraintsMatch(ctx, header)) return false;
  if (header.packageName === "documentation") return false;
  return ctx.cgo || !header.importsC;
}
function fileNameMatches(ctx, fileName) {
  const name = fileName.slice(fileName.lastIndexOf("/") + 1);
  if (name.startsWith("_") || name.startsWith(".")) return false;
  if (!name.endsWith(".go") || name.endsWith("_test.go")) return false;
  return goodOSArchFile(ctx, name);
}
function goodOSArchFile(ctx, name) {
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
function constraintsMatch(ctx, header) {
  const isTrue = (tag) => matchTag(ctx, tag);
  if (header.goBuild !== void 0) {
    const expr = parseGoBuildExpr(header.goBuild);
    return expr !== void 0 && evalBuildExpr(expr, isTrue);
  }
  for (const line of header.plusBuild) {
    const expr = parsePlusBuildExpr(line);
    if (expr !== void 0 && !evalBuildExpr(expr, isTrue)) return false;
  }
  return true;
}
function evalBuildExpr(expr, isTrue) {
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
var MAX_GO_BUILD_SIZE = 1e3;
var MAX_PLUS_BUILD_SIZE = 100;
var TAG_CHAR = /^[\p{L}\p{Nd}_.]$/u;
var ExprSyntaxError = class extends Error {
};
function parseGoBuildExpr(text) {
  let i = 0;
  let tok = "";
  let isTag = false;
  let size = 0;
  const lex = () => {
    isTag = false;
    while (text[i] === " " || text[i] === "	") i++;
    if (i >= text.length) {
      tok = "";
      return;
    }
    const c = text[i];
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
    if (end === i) throw new ExprSyntaxError(`invalid syntax at ${String.fromCodePoint(text.codePointAt(i))}`);
    tok = text.slice(i, end);
    i = end;
    isTag = true;
  };
  const current = () => tok;
  const or = () => {
    let x = and();
    while (tok === "||") x = { op: "or", x, y: and() };
    return x;
  };
  const and = () => {
    let x = not();
    while (tok === "&&") x = { op: "and", x, y: not() };
    return x;
  };
  const not = () => {
    if (++size > MAX_GO_BUILD_SIZE) throw new ExprSyntaxError("build expression too large");
    lex();
    if (tok === "!") {
      lex();
      if (tok === "!") throw new ExprSyntaxError("double negation not allowed");
      return { op: "not", x: atom() };
    }
    return atom();
  };
  const atom = () => {
    if (tok === "(") {
      const x = or();
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
    if (e instanceof ExprSyntaxError) return void 0;
    throw e;
  }
}
function parsePlusBuildExpr(text) {
  let size = 0;
  let x;
  for (const clause of splitGoFields(text)) {
    let y;
    for (let lit of clause.split(",")) {
      let z;
      if (lit.startsWith("!!") || lit === "!") {
        z = { op: "tag", tag: "ignore" };
      } else {
        const negated = lit.startsWith("!");
        if (negated) lit = lit.slice(1);
        z = { op: "tag", tag: isValidTag(lit) ? lit : "ignore" };
        if (negated) z = { op: "not", x: z };
      }
      if (y === void 0) {
        y = z;
      } else {
        if (++size > MAX_PLUS_BUILD_SIZE) return void 0;
        y = { op: "and", x: y, y: z };
      }
    }
    if (y === void 0) continue;
    if (x === void 0) {
      x = y;
    } else {
      if (++size > MAX_PLUS_BUILD_SIZE) return void 0;
      x = { op: "or", x, y };
    }
  }
  return x ?? { op: "tag", tag: "ignore" };
}
function isValidTag(word) {
  if (word === "") return false;
  for (const c of word) if (!TAG_CHAR.test(c)) return false;
  return true;
}
function splitGoFields(text) {
  const fields = [];
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

// generator/packages/packageindex.ts
var PACKAGE_INDEX_VERSION = 1;
var GO_HEADER_LIMIT = 1 << 20;
var FIRST_LOOK = 4 << 10;
function isPackageSourceFile(path) {
  const name = path[path.length - 1] ?? "";
  if (!name.endsWith(".go") || name.endsWith("_test.go") || name.startsWith("_") || name.startsWith(".")) return false;
  return path.slice(0, -1).every(isPackageDirectoryName);
}
function isPackageDirectoryName(name) {
  return !name.startsWith("_") && !name.startsWith(".") && name !== "testdata" && name !== "vendor";
}
function isStandardImport(importPath) {
  const first = importPath.split("/", 1)[0] ?? "";
  return !first.includes(".");
}
var PackageIndexBuilder = class {
  dirs = /* @__PURE__ */ new Map();
  /**
   * `path` is the file's path inside the module; `chunks` its bytes, at least
   * the first GO_HEADER_LIMIT of them (more are ignored), as read.
   */
  addGoFile(path, chunks) {
    const name = path[path.length - 1] ?? "";
    const kept = Math.min(GO_HEADER_LIMIT, chunks.reduce((n, c) => n + c.length, 0));
    const decode = (limit) => {
      const n = Math.min(limit, kept);
      const [only] = chunks;
      return chunks.length === 1 && only !== void 0 ? only.toString("utf8", 0, n) : Buffer.concat(chunks, n).toString("utf8");
    };
    let look = FIRST_LOOK;
    let text = decode(look);
    while (look < kept && goHeaderEnd(text) >= text.length) {
      look *= 8;
      text = decode(look);
    }
    const header = scanGoFileHeader(text);
    if (header === void 0) return;
    if (!SET_PLATFORMS.some((ctx) => fileMatches(ctx, name, header))) return;
    const dir = path.length === 1 ? "." : path.slice(0, -1).join("/");
    let imports = this.dirs.get(dir);
    if (imports === void 0) {
      imports = /* @__PURE__ */ new Set();
      this.dirs.set(dir, imports);
    }
    for (const i of header.imports) if (!isStandardImport(i)) imports.add(i);
  }
  build() {
    return new Map([...this.dirs].sort(([a], [b]) => compareStrings(a, b)).map(([dir, imports]) => [dir, [...imports].sort(compareStrings)]));
  }
};
async function indexDirectory(root) {
  const builder = new PackageIndexBuilder();
  const walk2 = async (dir, path) => {
    const entries2 = await readdir(dir, { withFileTypes: true });
    if (path.length > 0 && entries2.some((e) => e.name === "go.mod" && e.isFile())) return;
    for (const e of entries2.sort((a, b) => compareStrings(a.name, b.name))) {
      const child = [...path, e.name];
      if (e.isDirectory()) {
        if (isPackageDirectoryName(e.name)) await walk2(join3(dir, e.name), child);
      } else if (e.isFile() && isPackageSourceFile(child)) {
        builder.addGoFile(child, [await readFile2(join3(dir, e.name))]);
      }
    }
  };
  await walk2(root, []);
  return builder.build();
}
function serializePackageIndex(index) {
  return Object.fromEntries(index);
}
function parsePackageIndex(value2) {
  if (typeof value2 !== "object" || value2 === null || Array.isArray(value2)) return void 0;
  const out = /* @__PURE__ */ new Map();
  for (const [dir, imports] of Object.entries(value2)) {
    if (!Array.isArray(imports) || !imports.every((i) => typeof i === "string")) return void 0;
    out.set(dir, imports);
  }
  return out;
}
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// generator/types.ts
function moduleKey(m) {
  return `${m.path}@${m.version}`;
}
function parseModuleKey(key) {
  const at = key.lastIndexOf("@");
  return { path: key.slice(0, at), version: key.slice(at + 1) };
}

// generator/modzip/dirhash.ts
import { createHash } from "node:crypto";
function compareUtf8(a, b) {
  return compareCodeUnits(a, b, -1);
}
function compareNarNames(a, b) {
  return compareCodeUnits(a, b, 47);
}
function compareCodeUnits(a, b, lowest) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === lowest) return -1;
    if (y === lowest) return 1;
    if (x >= 55296 && y >= 55296) {
      x = x >= 57344 ? x - 2048 : x + 8192;
      y = y >= 57344 ? y - 2048 : y + 8192;
    }
    return x - y;
  }
  return a.length - b.length;
}
function sha256(bytes) {
  return createHash("sha256").update(bytes).digest();
}
function hashHash1(files) {
  return hashHash1Of(files.length, (i) => files[i]?.name ?? "", (i) => files[i]?.sha256 ?? new Uint8Array(32));
}
function hashHash1Of(count2, nameOf, sha256Of) {
  const order = new Int32Array(count2);
  for (let i = 0; i < count2; i++) order[i] = i;
  order.sort((a, b) => compareUtf8(nameOf(a), nameOf(b)));
  const h = createHash("sha256");
  for (const i of order) {
    const name = nameOf(i);
    if (name.includes("\n")) {
      throw new GosetError("GOSET_INTERNAL", `dirhash: file name ${JSON.stringify(name)} contains a newline`);
    }
    const sum = sha256Of(i);
    h.update(`${Buffer.from(sum.buffer, sum.byteOffset, sum.byteLength).toString("hex")}  ${name}
`);
  }
  return "h1:" + h.digest("base64");
}
function hashGoMod(bytes) {
  return hashHash1([{ name: "go.mod", sha256: sha256(bytes) }]);
}

// generator/modzip/nar.ts
var ZEROS = new Uint8Array(8);
var encoder2 = new TextEncoder();
function u64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
function padding(length) {
  return ZEROS.subarray(0, (8 - length % 8) % 8);
}
function narString(s) {
  const bytes = typeof s === "string" ? encoder2.encode(s) : s;
  const out = new Uint8Array(8 + bytes.length + padding(bytes.length).length);
  out.set(u64(bytes.length), 0);
  out.set(bytes, 8);
  return out;
}
function tokens(...parts) {
  return Buffer.concat(parts.map((p) => narString(p)));
}
var HEADER = tokens("nix-archive-1", "(", "type", "directory");
var CLOSE_NODE = tokens(")");
var CLOSE_ENTRY_NODE = tokens(")", ")");
function entryHead(name) {
  return Buffer.concat([tokens("entry", "(", "name"), narString(name), tokens("node", "(", "type")]);
}
function compareNarPaths(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = Buffer.compare(Buffer.from(a[i] ?? ""), Buffer.from(b[i] ?? ""));
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
function internal(message) {
  return new GosetError("GOSET_INTERNAL", `NAR encoder: ${message}`);
}
var NarTreeWriter = class {
  #write;
  #open = [];
  #last;
  #file;
  #ended = false;
  constructor(write2) {
    this.#write = write2;
    write2(HEADER);
  }
  directory(path) {
    this.#enter(path, true);
    this.#write(tokens("directory"));
    this.#open.push(path[path.length - 1] ?? "");
  }
  beginFile(path, size, executable = false) {
    this.#enter(path, false);
    this.#write(tokens("regular", ...executable ? ["executable", ""] : [], "contents"));
    this.#write(u64(size));
    this.#file = { declared: size, written: 0 };
  }
  writeContents(chunk) {
    const f = this.#file;
    if (f === void 0) throw internal("contents outside a file");
    f.written += chunk.length;
    if (f.written > f.declared) throw internal(`file longer than its declared ${f.declared} bytes`);
    this.#write(chunk);
  }
  endFile() {
    const f = this.#file;
    if (f === void 0) throw internal("endFile without beginFile");
    if (f.written !== f.declared) {
      throw internal(`file has ${f.written} bytes, declared ${f.declared}`);
    }
    this.#write(padding(f.declared));
    this.#write(CLOSE_ENTRY_NODE);
    this.#file = void 0;
  }
  symlink(path, target) {
    this.#enter(path, false);
    this.#write(Buffer.concat([tokens("symlink", "target"), narString(target)]));
    this.#write(CLOSE_ENTRY_NODE);
  }
  /** Closes every open directory and the root; nothing may follow. */
  end() {
    if (this.#file !== void 0) throw internal("end inside a file");
    if (this.#ended) throw internal("end called twice");
    for (; this.#open.length > 0; this.#open.pop()) this.#write(CLOSE_ENTRY_NODE);
    this.#write(CLOSE_NODE);
    this.#ended = true;
  }
  #enter(path, isDir) {
    if (this.#ended || this.#file !== void 0) throw internal("node outside the tree");
    if (path.length === 0 || path.some((e) => e === "" || e === "." || e === ".." || e.includes("/"))) {
      throw internal(`bad path ${JSON.stringify(path)}`);
    }
    const last = this.#last;
    if (last !== void 0) {
      if (compareNarPaths(last.path, path) >= 0) {
        throw internal(`${path.join("/")} does not come after ${last.path.join("/")}`);
      }
      if (!last.isDir && path.length > last.path.length && compareNarPaths(last.path, path.slice(0, last.path.length)) === 0) {
        throw internal(`${path.join("/")} is inside the file ${last.path.join("/")}`);
      }
    }
    this.#last = { path, isDir };
    const parent = path.slice(0, -1);
    let keep = 0;
    while (keep < this.#open.length && keep < parent.length && this.#open[keep] === parent[keep]) keep++;
    while (this.#open.length > keep) {
      this.#open.pop();
      this.#write(CLOSE_ENTRY_NODE);
    }
    for (const name of parent.slice(keep)) {
      this.#write(entryHead(name));
      this.#write(tokens("directory"));
      this.#open.push(name);
    }
    this.#write(entryHead(path[path.length - 1] ?? ""));
  }
};

// generator/modzip/zipcheck.ts
var MAX_ZIP_FILE = 500 << 20;
var MAX_GO_MOD = 16 << 20;
var MAX_LICENSE = 16 << 20;
var orbitMins;
function buildOrbitMins() {
  const parent = /* @__PURE__ */ new Map();
  const find = (x) => {
    let root = x;
    for (let p = parent.get(root); p !== void 0 && p !== root; p = parent.get(root)) root = p;
    parent.set(x, root);
    return root;
  };
  const union = (a, b) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  for (let cp = 0; cp < 131072; cp++) {
    if (cp >= 55296 && cp <= 57343 || cp === 304 || cp === 305) continue;
    const c = String.fromCodePoint(cp);
    for (const mapped of [c.toLowerCase(), c.toUpperCase()]) {
      const r = mapped.codePointAt(0);
      if (r !== void 0 && r !== cp && r !== 304 && r !== 305 && String.fromCodePoint(r) === mapped) union(cp, r);
    }
  }
  const mins = /* @__PURE__ */ new Map();
  for (const cp of parent.keys()) {
    const root = find(cp);
    if (root !== cp) mins.set(cp, root);
  }
  return mins;
}
function foldRune(cp) {
  orbitMins ??= buildOrbitMins();
  const min = orbitMins.get(cp) ?? cp;
  return min >= 65 && min <= 90 ? min + 32 : min;
}
function foldName(s) {
  if (!/[^\x00-\x40\x5b-\x7f]/.test(s)) return s;
  let out = "";
  for (const ch of s) out += String.fromCodePoint(foldRune(ch.codePointAt(0) ?? 0));
  return out;
}
var ALLOWED_PUNCTUATION = "!#$%&()+,-.=@[]^_{}~ ";
var WINDOWS_RESERVED = /* @__PURE__ */ new Set([
  "con",
  "prn",
  "aux",
  "nul",
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`com${i}`, `lpt${i}`])
]);
function fileNameCharOK(ch) {
  if (ch.length === 1 && ch.charCodeAt(0) < 128) {
    return /[0-9A-Za-z]/.test(ch) || ALLOWED_PUNCTUATION.includes(ch);
  }
  return /^\p{L}$/u.test(ch);
}
function checkElem(elem) {
  if (elem === "") return "empty path element";
  if (/^\.+$/.test(elem)) return `invalid path element ${JSON.stringify(elem)}`;
  if (elem.endsWith(".")) return "trailing dot in path element";
  for (const ch of elem) {
    if (!fileNameCharOK(ch)) return `invalid char ${JSON.stringify(ch)}`;
  }
  const short = elem.split(".")[0] ?? "";
  if (WINDOWS_RESERVED.has(foldName(short))) return `${JSON.stringify(short)} disallowed as path element component on Windows`;
  return void 0;
}
function checkFilePath(p) {
  if (p === "") return "empty string";
  if (p.includes("//")) return "double slash";
  if (p.endsWith("/")) return "trailing slash";
  for (const elem of p.split("/")) {
    const reason = checkElem(elem);
    if (reason !== void 0) return reason;
  }
  return void 0;
}
function checkCollision(seen, p, isDir) {
  for (let cur = p, dir = isDir; ; dir = true) {
    const key = foldName(cur);
    const file = seen.files.get(key);
    const other = file ?? seen.dirs.get(key);
    if (other === void 0) {
      (dir ? seen.dirs : seen.files).set(key, cur);
    } else if (other !== cur) {
      return `case-insensitive file name collision: ${JSON.stringify(other)} and ${JSON.stringify(cur)}`;
    } else if (file === void 0 !== dir) {
      return `entry ${JSON.stringify(cur)} is both a file and a directory`;
    } else if (!dir) {
      return `multiple entries for file ${JSON.stringify(cur)}`;
    }
    const slash = cur.lastIndexOf("/");
    if (slash < 0) return void 0;
    cur = cur.slice(0, slash);
  }
}
var S_IFMT = 61440;
var S_IFREG = 32768;
var S_IFDIR = 16384;
var S_IFLNK = 40960;
function irregularType(h) {
  if (h.creator !== 3 && h.creator !== 19) return void 0;
  const type = h.externalAttributes >>> 16 & S_IFMT;
  if (type === 0 || type === S_IFREG) return void 0;
  if (type === S_IFLNK) return "symbolic link";
  if (type === S_IFDIR) return "file entry with a directory mode";
  return `not a regular file (mode ${(h.externalAttributes >>> 16 >>> 0).toString(8)})`;
}
function checkZipEntries(mod, entries2) {
  const prefix = `${moduleKey(mod)}/`;
  const problems = [];
  const files = [];
  const emptyEntries = [];
  const seen = { files: /* @__PURE__ */ new Map(), dirs: /* @__PURE__ */ new Map() };
  let total = 0;
  let totalReported = false;
  const invalid3 = (h, reason, tooLarge2 = false) => {
    problems.push({ entry: h.name, reason, tooLarge: tooLarge2 });
  };
  entries2.forEach((h, index) => {
    if (!h.name.startsWith(prefix)) return invalid3(h, `path does not have prefix ${JSON.stringify(prefix)}`);
    let name = h.name.slice(prefix.length);
    const isDir = name === "" || name.endsWith("/");
    if (isDir && h.uncompressedSize !== 0) return invalid3(h, "directory entry has content");
    if (name === "") return void emptyEntries.push(index);
    if (isDir) name = name.slice(0, -1);
    if (!h.validUtf8) return invalid3(h, `malformed file path ${JSON.stringify(name)}: invalid UTF-8`);
    const pathProblem = checkFilePath(name);
    if (pathProblem !== void 0) return invalid3(h, `malformed file path ${JSON.stringify(name)}: ${pathProblem}`);
    const collision = checkCollision(seen, name, isDir);
    if (collision !== void 0) return invalid3(h, collision);
    if (isDir) return void emptyEntries.push(index);
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (foldName(base) === "go.mod") {
      if (base !== name) return invalid3(h, "go.mod file not in module root directory");
      if (name !== "go.mod") return invalid3(h, "go.mod files must have lowercase names");
    }
    const size = h.uncompressedSize;
    if (size >= 0 && MAX_ZIP_FILE - total >= size) {
      total += size;
    } else if (!totalReported) {
      totalReported = true;
      invalid3(h, `total uncompressed size of module contents too large (max size is ${MAX_ZIP_FILE} bytes)`, true);
    }
    if (name === "go.mod" && size > MAX_GO_MOD) return invalid3(h, `go.mod file too large (${size} bytes; max size is ${MAX_GO_MOD} bytes)`, true);
    if (name === "LICENSE" && size > MAX_LICENSE) return invalid3(h, `LICENSE file too large (${size} bytes; max size is ${MAX_LICENSE} bytes)`, true);
    const irregular = irregularType(h);
    if (irregular !== void 0) return invalid3(h, `${irregular}: module zips hold regular files only`);
    if (h.compressionMethod !== 0 && h.compressionMethod !== 8) return invalid3(h, `unsupported compression method ${h.compressionMethod}`);
    if (h.encrypted) return invalid3(h, "encrypted entry");
    files.push(index);
  });
  const order = Int32Array.from(files).sort((a, b) => compareNarNames(entries2[a]?.name ?? "", entries2[b]?.name ?? ""));
  return { files: order, emptyEntries, problems };
}
function checkZipFileSize(mod, zipFile, size) {
  if (size > MAX_ZIP_FILE) {
    throw new GosetError(
      "GOSET_ZIP_TOO_LARGE",
      `module zip for ${moduleKey(mod)} is too large (${size} bytes; limit is ${MAX_ZIP_FILE} bytes): ${zipFile}`,
      { hint: TOO_LARGE_HINT }
    );
  }
}
var INVALID_HINT = "The module proxy served a zip that breaks the module zip rules (golang.org/x/mod/zip) or the download is damaged. Delete the cached zip and retry; if a fresh download fails the same way, report it to the proxy's operator.";
var TOO_LARGE_HINT = "Go refuses module zips over 500 MiB (zipped or unzipped) and go.mod or LICENSE files over 16 MiB, so `go mod download` fails on this module version too; use another version or drop the module.";
function zipProblemsError(mod, problems) {
  const first = problems.find((p) => p.tooLarge) ?? problems[0];
  if (first === void 0) return new GosetError("GOSET_INTERNAL", `no zip problems for ${moduleKey(mod)}`);
  const others = problems.filter((p) => p !== first);
  const named = others.slice(0, 3).map((p) => JSON.stringify(p.entry));
  if (others.length > named.length) named.push("...");
  const more = others.length > 0 ? ` (and ${others.length} more: ${named.join(", ")})` : "";
  return new GosetError(
    first.tooLarge ? "GOSET_ZIP_TOO_LARGE" : "GOSET_ZIP_INVALID",
    `module zip for ${moduleKey(mod)} is invalid: entry ${JSON.stringify(first.entry)}: ${first.reason}${more}`,
    { hint: first.tooLarge ? TOO_LARGE_HINT : INVALID_HINT }
  );
}

// generator/modzip/digest.ts
var EMPTY_SHA256 = sha256(new Uint8Array(0));
var utf8 = new TextDecoder("utf-8", { fatal: true });
var lossyUtf8 = new TextDecoder("utf-8");
var FLAG_ENCRYPTED = 1;
var FLAG_DATA_DESCRIPTOR = 8;
function decodeName(raw2) {
  try {
    return { name: utf8.decode(raw2), validUtf8: true };
  } catch {
    return { name: lossyUtf8.decode(raw2), validUtf8: false };
  }
}
function corrupt(mod, zipFile, what, cause) {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new GosetError("GOSET_ZIP_INVALID", `module zip for ${moduleKey(mod)} is corrupt: ${what}: ${detail} (${zipFile})`, {
    hint: INVALID_HINT,
    cause
  });
}
var EntryTable = class {
  localHeaderOffset;
  compressedSize;
  uncompressedSize;
  crc32;
  flags;
  method;
  constructor(count2) {
    this.localHeaderOffset = new Float64Array(count2);
    this.compressedSize = new Float64Array(count2);
    this.uncompressedSize = new Float64Array(count2);
    this.crc32 = new Uint32Array(count2);
    this.flags = new Uint16Array(count2);
    this.method = new Uint16Array(count2);
  }
  set(i, e) {
    this.localHeaderOffset[i] = e.localHeaderOffset;
    this.compressedSize[i] = e.compressedSize;
    this.uncompressedSize[i] = e.uncompressedSize;
    this.crc32[i] = e.crc32;
    this.flags[i] = e.flags;
    this.method[i] = e.method;
  }
  get(i) {
    return {
      localHeaderOffset: this.localHeaderOffset[i] ?? 0,
      compressedSize: this.compressedSize[i] ?? 0,
      uncompressedSize: this.uncompressedSize[i] ?? 0,
      crc32: this.crc32[i] ?? 0,
      flags: this.flags[i] ?? 0,
      method: this.method[i] ?? 0
    };
  }
};
var EOCD_SIGNATURE = 101010256;
var EOCD_SIZE = 22;
var ZIP64_LOCATOR_SIGNATURE = 117853008;
var ZIP64_LOCATOR_SIZE = 20;
var ZIP64_EOCD_SIGNATURE = 101075792;
var ZIP64_EOCD_SIZE = 56;
var CENTRAL_HEADER_SIGNATURE = 33639248;
var CENTRAL_HEADER_SIZE = 46;
var ZIP64_EXTRA_ID = 1;
var U16_MAX = 65535;
var U32_MAX = 4294967295;
function readCentralDirectory(fd, size) {
  const tail = readAt(fd, size - Math.min(size, EOCD_SIZE + U16_MAX), Math.min(size, EOCD_SIZE + U16_MAX));
  let eocd = tail.length - EOCD_SIZE;
  while (eocd >= 0 && !(tail.readUInt32LE(eocd) === EOCD_SIGNATURE && eocd + EOCD_SIZE + tail.readUInt16LE(eocd + 20) <= tail.length)) eocd--;
  if (eocd < 0) throw new Error("end of central directory record signature not found");
  let count2 = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count2 === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const locator = eocd - ZIP64_LOCATOR_SIZE;
    if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) throw new Error("zip64 end of central directory locator not found");
    const record = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), ZIP64_EOCD_SIZE);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new Error("invalid zip64 end of central directory record signature");
    count2 = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size || count2 * CENTRAL_HEADER_SIZE > cdSize) throw new Error("central directory runs past the end of the file");
  const cd = readAt(fd, cdOffset, cdSize);
  const headers = [];
  const table = new EntryTable(count2);
  for (let i = 0, p = 0; i < count2; i++) {
    if (p + CENTRAL_HEADER_SIZE > cd.length || cd.readUInt32LE(p) !== CENTRAL_HEADER_SIGNATURE) throw new Error(`invalid central directory file header signature (entry ${i})`);
    const nameEnd = p + CENTRAL_HEADER_SIZE + cd.readUInt16LE(p + 28);
    const extraEnd = nameEnd + cd.readUInt16LE(p + 30);
    const end = extraEnd + cd.readUInt16LE(p + 32);
    if (end > cd.length) throw new Error(`central directory entry ${i} runs past the directory`);
    const zip64 = zip64Sizes(cd, nameEnd, extraEnd, { uncompressed: cd.readUInt32LE(p + 24), compressed: cd.readUInt32LE(p + 20), offset: cd.readUInt32LE(p + 42) });
    const entry = {
      localHeaderOffset: zip64.offset,
      compressedSize: zip64.compressed,
      uncompressedSize: zip64.uncompressed,
      crc32: cd.readUInt32LE(p + 16),
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10)
    };
    table.set(i, entry);
    const { name, validUtf8 } = decodeName(cd.subarray(p + CENTRAL_HEADER_SIZE, nameEnd));
    headers.push({
      name,
      validUtf8,
      uncompressedSize: entry.uncompressedSize,
      compressionMethod: entry.method,
      encrypted: (entry.flags & FLAG_ENCRYPTED) !== 0,
      creator: cd.readUInt16LE(p + 4) >>> 8,
      externalAttributes: cd.readUInt32LE(p + 38)
    });
    p = end;
  }
  return { headers, table };
}
function zip64Sizes(cd, start, end, sizes) {
  if (sizes.uncompressed !== U32_MAX && sizes.compressed !== U32_MAX && sizes.offset !== U32_MAX) return sizes;
  for (let q = start; q + 4 <= end; q += 4 + cd.readUInt16LE(q + 2)) {
    if (cd.readUInt16LE(q) !== ZIP64_EXTRA_ID) continue;
    let r = q + 4;
    const next = (value2) => {
      if (value2 !== U32_MAX) return value2;
      if (r + 8 > q + 4 + cd.readUInt16LE(q + 2)) throw new Error("zip64 extra field too short");
      const v = Number(cd.readBigUInt64LE(r));
      r += 8;
      return v;
    };
    const uncompressed = next(sizes.uncompressed);
    const compressed = next(sizes.compressed);
    return { uncompressed, compressed, offset: next(sizes.offset) };
  }
  throw new Error("zip64 extra field missing");
}
function readAt(fd, offset, length) {
  const buffer = Buffer.allocUnsafe(length);
  readFully(fd, buffer, length, offset);
  return buffer;
}
function readFully(fd, target, length, offset) {
  for (let done = 0; done < length; ) {
    const n = readSync(fd, target, done, length - done, offset + done);
    if (n === 0) throw new Error("unexpected end of file");
    done += n;
  }
}
var WHOLE_ENTRY_LIMIT = 4 << 20;
var BLOCK_SIZE = 1 << 20;
var LOCAL_HEADER_SIGNATURE = 67324752;
var LOCAL_HEADER_SIZE = 30;
var SMALL_READ = 16 << 10;
var YIELD_EVERY = 64;
var BlockReader = class {
  constructor(fd, size) {
    this.fd = fd;
    this.size = size;
  }
  fd;
  size;
  block = Buffer.allocUnsafe(BLOCK_SIZE);
  start = 0;
  end = 0;
  read(offset, length) {
    if (offset + length > this.size) throw new Error("entry data runs past the end of the file");
    if (offset >= this.start && offset + length <= this.end) return this.block.subarray(offset - this.start, offset - this.start + length);
    if (length > BLOCK_SIZE) return readAt(this.fd, offset, length);
    const wanted = Math.min(offset === this.end ? BLOCK_SIZE : Math.max(length, SMALL_READ), this.size - offset);
    readFully(this.fd, this.block, wanted, offset);
    this.start = offset;
    this.end = offset + wanted;
    return this.block.subarray(0, length);
  }
};
function dataStart(reader, e) {
  const header = reader.read(e.localHeaderOffset, LOCAL_HEADER_SIZE);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error("invalid local file header signature");
  return e.localHeaderOffset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
}
function readWholeEntry(reader, e) {
  const compressed = reader.read(dataStart(reader, e), e.compressedSize);
  if (e.method === 0) return compressed;
  try {
    return inflateRawSync(compressed, { maxOutputLength: e.uncompressedSize + 1 });
  } catch (err) {
    if (err.code === "ERR_BUFFER_TOO_LARGE") throw new Error(`more bytes than the declared ${e.uncompressedSize}`);
    throw err;
  }
}
async function streamEntry(reader, e, consume) {
  const start = dataStart(reader, e);
  function* compressed() {
    for (let done = 0; done < e.compressedSize; ) {
      const n = Math.min(BLOCK_SIZE, e.compressedSize - done);
      yield Buffer.from(reader.read(start + done, n));
      done += n;
    }
  }
  if (e.method === 0) {
    for (const chunk of compressed()) consume(chunk);
    return;
  }
  await pipeline(Readable.from(compressed()), createInflateRaw(), async (inflated) => {
    for await (const chunk of inflated) consume(chunk);
  });
}
async function digestModuleZip(zipFile, mod) {
  const { size } = await stat2(zipFile);
  checkZipFileSize(mod, zipFile, size);
  const fd = openSync(zipFile, "r");
  try {
    let directory;
    try {
      directory = readCentralDirectory(fd, size);
    } catch (e) {
      throw corrupt(mod, zipFile, "cannot read the central directory", e);
    }
    const { table } = directory;
    const layout = checkZipEntries(mod, directory.headers);
    if (layout.problems.length > 0) throw zipProblemsError(mod, layout.problems);
    const names = directory.headers.map((h) => h.name);
    directory = void 0;
    const prefixLength = moduleKey(mod).length + 1;
    const hashed = new Int32Array(layout.files.length + layout.emptyEntries.length);
    const sums = Buffer.allocUnsafe(32 * hashed.length);
    let hashedCount = 0;
    const narHash = createHash2("sha256");
    const nar = new NarTreeWriter((chunk) => narHash.update(chunk));
    let goMod;
    let unzippedBytes = 0;
    const packages = new PackageIndexBuilder();
    const reader = new BlockReader(fd, size);
    let sinceYield = 0;
    for (const index of layout.files) {
      if (++sinceYield === YIELD_EVERY) {
        sinceYield = 0;
        await setImmediate();
      }
      const entry = table.get(index);
      const name = names[index] ?? "";
      const path = name.slice(prefixLength).split("/");
      const isGoMod = path.length === 1 && path[0] === "go.mod";
      const isGoSource = isPackageSourceFile(path);
      const fileHash = createHash2("sha256");
      const kept = [];
      let keptBytes = 0;
      let crc = 0;
      let read = 0;
      const consume = (chunk) => {
        read += chunk.length;
        if (read > entry.uncompressedSize) throw new Error(`more bytes than the declared ${entry.uncompressedSize}`);
        fileHash.update(chunk);
        nar.writeContents(chunk);
        crc = crc32(chunk, crc);
        if (isGoMod || isGoSource && keptBytes < GO_HEADER_LIMIT) {
          kept.push(chunk);
          keptBytes += chunk.length;
        }
      };
      nar.beginFile(path, entry.uncompressedSize);
      try {
        if (entry.uncompressedSize <= WHOLE_ENTRY_LIMIT && entry.compressedSize <= WHOLE_ENTRY_LIMIT) consume(readWholeEntry(reader, entry));
        else await streamEntry(reader, entry, consume);
      } catch (e) {
        if (e instanceof GosetError) throw e;
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, e);
      }
      if (read !== entry.uncompressedSize) {
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, `${read} bytes, declared ${entry.uncompressedSize}`);
      }
      const checkCrc = entry.crc32 !== 0 || (entry.flags & FLAG_DATA_DESCRIPTOR) !== 0;
      if (checkCrc && crc >>> 0 !== entry.crc32 >>> 0) {
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, "CRC-32 mismatch");
      }
      nar.endFile();
      fileHash.digest().copy(sums, 32 * hashedCount);
      hashed[hashedCount++] = index;
      unzippedBytes += read;
      if (isGoMod) goMod = Buffer.concat(kept);
      if (isGoSource) packages.addGoFile(path, kept);
    }
    for (const index of layout.emptyEntries) {
      const name = names[index] ?? "";
      try {
        dataStart(reader, table.get(index));
      } catch (e) {
        throw corrupt(mod, zipFile, `entry ${JSON.stringify(name)}`, e);
      }
      sums.set(EMPTY_SHA256, 32 * hashedCount);
      hashed[hashedCount++] = index;
    }
    nar.end();
    return {
      sum: hashHash1Of(hashedCount, (i) => names[hashed[i] ?? 0] ?? "", (i) => sums.subarray(32 * i, 32 * i + 32)),
      hash: "sha256-" + narHash.digest("base64"),
      ...goMod === void 0 ? {} : { goMod },
      packages: packages.build(),
      files: layout.files.length,
      unzippedBytes
    };
  } finally {
    closeSync(fd);
  }
}

// generator/fetch/zipfiles.ts
import yauzl from "yauzl";
var MAX_TEXT = 16 << 20;
async function readZipTexts(zipFile, names) {
  const zip = await new Promise(
    (resolve4, reject) => yauzl.open(zipFile, { lazyEntries: true, autoClose: true }, (err, z) => err ? reject(err) : resolve4(z))
  );
  const found = /* @__PURE__ */ new Map();
  await new Promise((resolve4, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve4());
    zip.on("entry", (entry) => {
      if (!names(entry.fileName) || entry.uncompressedSize > MAX_TEXT) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks = [];
        stream.on("data", (c) => chunks.push(c));
        stream.on("error", reject);
        stream.on("end", () => {
          found.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return found;
}

// generator/fetch/store.ts
var LAYOUT = "v1";
function createModuleStore(opts) {
  const root = join4(opts.cacheDir, LAYOUT);
  const netLimit = pLimit(Math.max(8, opts.jobs * 4));
  const zipLimit = pLimit(opts.jobs * 2);
  const downloadLimit = pLimit(opts.jobs);
  const readLimit = pLimit(Math.max(1, Math.min(opts.jobs, availableParallelism())));
  const goMods = /* @__PURE__ */ new Map();
  const digests = /* @__PURE__ */ new Map();
  const stats = { goModFetches: 0, zipDownloads: 0, zipBytes: 0 };
  const entry = (m, ext) => join4(root, escapePath(m.path), "@v", `${escapeVersion(m.version)}.${ext}`);
  const goMod = (m) => memo(goMods, moduleKey(m), async () => {
    const file = entry(m, "mod");
    const cached = await readFile3(file).catch(() => void 0);
    if (cached !== void 0) return cached;
    const bytes = await netLimit(() => opts.proxy.goMod(m.path, m.version));
    stats.goModFetches++;
    await writeAtomically(file, bytes);
    return bytes;
  });
  const withZip = async (m, use) => zipLimit(async () => {
    const tmp = join4(root, "tmp", `${randomBytes(8).toString("hex")}.zip`);
    try {
      await downloadLimit(async () => {
        await mkdir(dirname(tmp), { recursive: true });
        opts.onZip?.(m);
        const { bytes } = await opts.proxy.downloadZip(m.path, m.version, tmp);
        stats.zipDownloads++;
        stats.zipBytes += bytes;
      });
      return await readLimit(() => use(tmp));
    } finally {
      await rm(tmp, { force: true });
    }
  });
  const zipDigest = (m) => memo(digests, moduleKey(m), async () => {
    const file = entry(m, "digest.json");
    const cached = await readFile3(file, "utf8").then(parseDigest, () => void 0);
    if (cached !== void 0) return cached;
    const digest = await withZip(m, async (zip) => toZipDigest(await digestModuleZip(zip, m)));
    await writeAtomically(file, renderDigest(digest));
    return digest;
  });
  const leafFiles = async (m) => {
    const file = entry(m, "leaf.json");
    const cached = await readFile3(file, "utf8").then(parseLeafFiles, () => void 0);
    if (cached !== void 0) return cached;
    const prefix = `${m.path}@${m.version}/`;
    const files = await withZip(m, async (zip) => {
      const d = await digestModuleZip(zip, m);
      const texts = await readZipTexts(zip, (name) => name === prefix + "go.mod" || name === prefix + "go.sum");
      const goMod2 = texts.get(prefix + "go.mod");
      const goSum = texts.get(prefix + "go.sum");
      return { ...goMod2 === void 0 ? {} : { goMod: goMod2 }, ...goSum === void 0 ? {} : { goSum }, digest: toZipDigest(d) };
    });
    await writeAtomically(file, JSON.stringify({ ...files, digest: digestRecord(files.digest) }) + "\n");
    digests.set(moduleKey(m), Promise.resolve(files.digest));
    return files;
  };
  return {
    goMod,
    leafFiles,
    goModSum: async (m) => hashGoMod(await goMod(m)),
    zipDigest,
    withZip,
    stats
  };
}
function toZipDigest(d) {
  return { hash: d.hash, sum: d.sum, packages: d.packages };
}
function digestRecord(d) {
  return { hash: d.hash, sum: d.sum, packagesVersion: PACKAGE_INDEX_VERSION, packages: serializePackageIndex(d.packages) };
}
function renderDigest(d) {
  return JSON.stringify(digestRecord(d)) + "\n";
}
function readDigest(v) {
  if (typeof v !== "object" || v === null) return void 0;
  const { hash, sum, packagesVersion, packages } = v;
  if (typeof hash !== "string" || typeof sum !== "string" || packagesVersion !== PACKAGE_INDEX_VERSION) return void 0;
  const index = parsePackageIndex(packages);
  return index === void 0 ? void 0 : { hash, sum, packages: index };
}
function parseDigest(text) {
  try {
    return readDigest(JSON.parse(text));
  } catch {
    return void 0;
  }
}
function parseLeafFiles(text) {
  try {
    const v = JSON.parse(text);
    const digest = readDigest(v["digest"]);
    if (digest === void 0) return void 0;
    const { goMod, goSum } = v;
    return { ...typeof goMod === "string" ? { goMod } : {}, ...typeof goSum === "string" ? { goSum } : {}, digest };
  } catch {
    return void 0;
  }
}
function memo(cache, key, make) {
  let p = cache.get(key);
  if (p === void 0) {
    p = make();
    cache.set(key, p);
  }
  return p;
}
async function writeAtomically(file, content) {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

// generator/gomod/semver.ts
var NUMBER = "(0|[1-9][0-9]*)";
var IDENT = "[0-9A-Za-z-]+";
var SEMVER_RE = new RegExp(
  `^v${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(-${IDENT}(?:\\.${IDENT})*)?(\\+${IDENT}(?:\\.${IDENT})*)?)?)?$`
);
var NUMERIC_RE = /^[0-9]+$/;
function parseSemver(v) {
  const m = SEMVER_RE.exec(v);
  if (m === null) return void 0;
  const [, major2 = "", minor, patch, prerelease2 = "", build2 = ""] = m;
  if (prerelease2 !== "" && prerelease2.slice(1).split(".").some(hasLeadingZero)) return void 0;
  if (minor === void 0) {
    return { major: major2, minor: "0", patch: "0", shortFill: ".0.0", prerelease: prerelease2, build: build2 };
  }
  if (patch === void 0) {
    return { major: major2, minor, patch: "0", shortFill: ".0", prerelease: prerelease2, build: build2 };
  }
  return { major: major2, minor, patch, shortFill: "", prerelease: prerelease2, build: build2 };
}
function hasLeadingZero(ident) {
  return ident.length > 1 && ident.startsWith("0") && NUMERIC_RE.test(ident);
}
function compareDecimal(x, y) {
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}
function compareIdentifiers(x, y) {
  const xNum = NUMERIC_RE.test(x);
  const yNum = NUMERIC_RE.test(y);
  if (xNum && yNum) return compareDecimal(x, y);
  if (xNum !== yNum) return xNum ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}
function comparePrerelease(x, y) {
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
function isValid(v) {
  return parseSemver(v) !== void 0;
}
function canonical(v) {
  const p = parseSemver(v);
  if (p === void 0) return "";
  if (p.build !== "") return v.slice(0, v.length - p.build.length);
  return v + p.shortFill;
}
function canonicalModuleVersion(v) {
  const c = canonical(v);
  return c !== "" && build(v) === "+incompatible" ? c + "+incompatible" : c;
}
function major(v) {
  const p = parseSemver(v);
  return p === void 0 ? "" : `v${p.major}`;
}
function prerelease(v) {
  return parseSemver(v)?.prerelease ?? "";
}
function build(v) {
  return parseSemver(v)?.build ?? "";
}
function compare(v, w) {
  const pv = parseSemver(v);
  const pw = parseSemver(w);
  if (pv === void 0) return pw === void 0 ? 0 : -1;
  if (pw === void 0) return 1;
  return compareDecimal(pv.major, pw.major) || compareDecimal(pv.minor, pw.minor) || compareDecimal(pv.patch, pw.patch) || comparePrerelease(pv.prerelease, pw.prerelease);
}
function sortVersions(versions) {
  return [...versions].sort((a, b) => compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}
var PSEUDO_RE = /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
function isPseudoVersion(v) {
  return v.split("-").length > 2 && isValid(v) && PSEUDO_RE.test(v);
}
var GO_VERSION_RE = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)|([a-z]+)(0|[1-9][0-9]*)?)?)?$/;
function parseGoVersion(x) {
  const bare = x.startsWith("go") ? x.slice(2).split("-")[0] ?? "" : x;
  const m = GO_VERSION_RE.exec(bare);
  if (m === null) return void 0;
  const [, majorPart = "", minor, patch, kind = "", pre = ""] = m;
  if (minor === void 0) return { major: majorPart, minor: "0", patch: "0", kind: "", pre: "" };
  if (patch !== void 0) return { major: majorPart, minor, patch, kind: "", pre: "" };
  const impliedPatch = kind === "" && compareDecimal(minor, "21") < 0 ? "0" : "";
  return { major: majorPart, minor, patch: impliedPatch, kind, pre };
}
function compareGoVersion(a, b) {
  const pa = parseGoVersion(a);
  const pb = parseGoVersion(b);
  if (pa === void 0) return pb === void 0 ? 0 : -1;
  if (pb === void 0) return 1;
  return compareDecimal(pa.major, pb.major) || compareDecimal(pa.minor, pb.minor) || compareOptionalDecimal(pa.patch, pb.patch) || (pa.kind === pb.kind ? 0 : pa.kind < pb.kind ? -1 : 1) || compareOptionalDecimal(pa.pre, pb.pre);
}
function compareOptionalDecimal(x, y) {
  if (x === y) return 0;
  if (x === "") return -1;
  if (y === "") return 1;
  return compareDecimal(x, y);
}
var DEFAULT_GO_VERSION = "1.16";
function goVersionAtLeast(goLine, min) {
  return compareGoVersion(goLine ?? DEFAULT_GO_VERSION, min) >= 0;
}

// generator/gomod/module.ts
function splitPathVersion(path) {
  if (path.startsWith("gopkg.in/")) return splitGopkgIn(path);
  const m = /\/v([0-9.]+)$/.exec(path);
  if (m === null) return { prefix: path, pathMajor: "", ok: true };
  const digits = m[1] ?? "";
  if (digits.includes(".") || digits.startsWith("0") || digits === "1") {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix: path.slice(0, m.index), pathMajor: `/v${digits}`, ok: true };
}
function splitGopkgIn(path) {
  const m = /\.v([0-9]*)(-unstable)?$/.exec(path);
  if (m === null) return { prefix: path, pathMajor: "", ok: false };
  const pathMajor = path.slice(m.index);
  if (pathMajor.length <= 2 || pathMajor[2] === "0" && pathMajor !== ".v0") {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix: path.slice(0, m.index), pathMajor, ok: true };
}
function describePathMajorMismatch(version, pathMajor) {
  const suffix = pathMajor.startsWith(".v") ? pathMajor.replace(/-unstable$/, "") : pathMajor;
  if (version.startsWith("v0.0.0-") && suffix === ".v1") return void 0;
  const m = major(version);
  if (suffix === "") {
    if (m === "v0" || m === "v1" || build(version) === "+incompatible") return void 0;
    return `version "${version}" invalid: should be v0 or v1, not ${m}`;
  }
  const want = suffix.slice(1);
  if (m === want) return void 0;
  return `version "${version}" invalid: should be ${want}, not ${m}`;
}

// generator/gomod/gomodfile.ts
var PUNCTUATION = /* @__PURE__ */ new Set(["\n", "(", ")", "[", "]", "{", "}", ","]);
var PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
function isIdentChar(c) {
  return !PUNCTUATION.has(c) && c !== " " && PRINTABLE.test(c);
}
function isEndOfLine(kind) {
  return kind === "eof" || kind === "eol-comment" || kind === "\n";
}
var Lexer = class {
  constructor(text, fail) {
    this.text = text;
    this.fail = fail;
  }
  text;
  fail;
  offset = 0;
  line = 1;
  col = 1;
  peekChar() {
    const cp = this.text.codePointAt(this.offset);
    return cp === void 0 ? "" : String.fromCodePoint(cp);
  }
  readChar() {
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
  startsWith(prefix) {
    return this.text.startsWith(prefix, this.offset);
  }
  next() {
    while (this.offset < this.text.length) {
      const c2 = this.peekChar();
      if (c2 === " " || c2 === "	" || c2 === "\r") {
        this.readChar();
        continue;
      }
      if (this.startsWith("//")) return this.readComment();
      if (this.startsWith("/*")) this.fail(this.line, "mod files must use // comments (not /* */ comments)");
      break;
    }
    const start = { line: this.line, col: this.col, offset: this.offset };
    const token = (kind) => ({
      kind,
      text: this.text.slice(start.offset, this.offset),
      line: start.line,
      col: start.col
    });
    if (this.offset >= this.text.length) return token("eof");
    const c = this.peekChar();
    if (PUNCTUATION.has(c)) {
      this.readChar();
      return token(c);
    }
    if (c === '"' || c === "`") {
      this.readChar();
      for (; ; ) {
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
  readComment() {
    const lineStart = this.text.lastIndexOf("\n", this.offset - 1) + 1;
    const afterCode = this.text.slice(lineStart, this.offset).trim() !== "";
    const start = { line: this.line, col: this.col, offset: this.offset };
    while (this.offset < this.text.length && this.readChar() !== "\n") {
    }
    let text = this.text.slice(start.offset, this.offset);
    text = text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
    return { kind: afterCode ? "eol-comment" : "comment", text, line: start.line, col: start.col };
  }
  get currentLine() {
    return this.line;
  }
};
var SyntaxParser = class {
  constructor(text, file, fail) {
    this.file = file;
    this.fail = fail;
    this.lexer = new Lexer(text, fail);
    this.token = this.lexer.next();
  }
  file;
  fail;
  lexer;
  token;
  lex() {
    const t = this.token;
    this.token = this.lexer.next();
    return t;
  }
  parseFile() {
    const statements = [];
    let pending;
    for (; ; ) {
      switch (this.token.kind) {
        case "eof":
          return statements;
        case "\n":
          this.lex();
          pending = void 0;
          break;
        case "comment":
        case "eol-comment":
          (pending ??= []).push(this.lex().text);
          break;
        default: {
          const statement = this.parseStatement();
          if (pending !== void 0) statement.before = pending;
          pending = void 0;
          statements.push(statement);
        }
      }
    }
  }
  parseStatement() {
    const first = this.lex();
    const tokens2 = [first.text];
    for (; ; ) {
      const t = this.lex();
      if (isEndOfLine(t.kind)) {
        return { kind: "line", tokens: tokens2, line: first.line, before: [], suffix: suffixOf(t) };
      }
      if (t.kind !== "(") {
        tokens2.push(t.text);
        continue;
      }
      if (isEndOfLine(this.token.kind)) return this.parseBlock(tokens2, first);
      if (this.token.kind === ")") {
        const rparen = this.lex();
        if (isEndOfLine(this.token.kind)) {
          this.lex();
          return { kind: "block", tokens: tokens2, line: first.line, before: [], lines: [] };
        }
        tokens2.push(t.text, rparen.text);
      } else {
        tokens2.push(t.text);
      }
    }
  }
  parseBlock(tokens2, first) {
    const lines = [];
    let comments = [];
    for (; ; ) {
      switch (this.token.kind) {
        case "eol-comment":
          this.lex();
          break;
        case "\n":
          this.lex();
          if (comments.length === 0 && lines.length > 0 || comments.length > 0 && comments.at(-1) !== "") {
            comments.push("");
          }
          break;
        case "comment":
          comments.push(this.lex().text);
          break;
        case "eof":
          this.fail(
            this.lexer.currentLine,
            `syntax error (unterminated block started at ${this.file}:${first.line}:${first.col})`
          );
        case ")":
          this.lex();
          if (!isEndOfLine(this.token.kind)) {
            this.fail(this.lexer.currentLine, "syntax error (expected newline after closing paren)");
          }
          this.lex();
          return { kind: "block", tokens: tokens2, line: first.line, before: [], lines };
        default: {
          const line = this.parseLine();
          line.before = comments;
          comments = [];
          lines.push(line);
        }
      }
    }
  }
  parseLine() {
    const first = this.lex();
    const tokens2 = [first.text];
    for (; ; ) {
      const t = this.lex();
      if (isEndOfLine(t.kind)) return { kind: "line", tokens: tokens2, line: first.line, before: [], suffix: suffixOf(t) };
      tokens2.push(t.text);
    }
  }
};
function suffixOf(t) {
  return t.kind === "eol-comment" ? [t.text] : [];
}
function unquoteInterpreted(literal) {
  const bytes = unquoteBytes(literal);
  return bytes === void 0 ? void 0 : Buffer.from(bytes).toString("utf8");
}
function parseArgument(token) {
  if (token.startsWith('"')) {
    const value2 = unquoteInterpreted(token);
    return value2 === void 0 ? { problem: "invalid quoted string: invalid syntax" } : { value: value2 };
  }
  if (/["'`]/.test(token)) return { problem: "invalid quoted string: unquoted string cannot contain quote" };
  return { value: token };
}
function mustQuote(s) {
  if (s === "" || s.includes("//") || s.includes("/*")) return true;
  for (const c of s) {
    if (c === " " || c === '"' || c === "'" || c === "`") return true;
    if ("()[]{},".includes(c) && s.length > 1) return true;
    if (!PRINTABLE.test(c)) return true;
  }
  return false;
}
function autoQuote(s) {
  return mustQuote(s) ? JSON.stringify(s) : s;
}
function synthesizeGoMod(path) {
  return `module ${autoQuote(path)}
`;
}
var GO_VERSION_RE2 = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
var LAX_GO_VERSION_RE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/;
var TOOLCHAIN_RE = /^default$|^go1($|\.)/;
var DEPRECATED_RE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;
var BLOCK_VERBS = /* @__PURE__ */ new Set(["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"]);
var LAX_VERBS = /* @__PURE__ */ new Set(["go", "module", "retract", "require", "ignore"]);
function isDirectoryPath(s) {
  return s === "." || s.startsWith("./") || s.startsWith(".\\") || s === ".." || s.startsWith("../") || s.startsWith("..\\") || s.startsWith("/") || s.startsWith("\\") || /^[A-Za-z]:/.test(s);
}
var LineProblem = class extends Error {
};
function directiveComment(block, line) {
  let comments = [...line.before, ...line.suffix];
  if (block !== void 0 && comments.length === 0) comments = [...block.before];
  return comments.filter((c) => c.startsWith("//")).map((c) => c.slice(2).trim()).join("\n");
}
function isIndirect(line) {
  const first = line.suffix[0];
  if (first === void 0) return false;
  const fields = first.slice(2).split(/\s+/).filter((f) => f !== "");
  return fields.length === 1 && fields[0] === "indirect" || fields.length > 1 && fields[0] === "indirect;";
}
function argument(token) {
  const parsed = parseArgument(token);
  if ("problem" in parsed) throw new LineProblem(parsed.problem);
  return parsed.value;
}
function moduleVersionArgument(verb, path, token) {
  const parsed = parseArgument(token);
  if ("problem" in parsed) throw new LineProblem(`${verb} ${path}: version ${token} invalid: ${parsed.problem}`);
  const version = canonicalModuleVersion(parsed.value);
  if (version === "") {
    throw new LineProblem(`${verb} ${path}: version "${parsed.value}" invalid: must be of the form v1.2.3`);
  }
  return version;
}
function pathMajorOf(path) {
  const split = splitPathVersion(path);
  if (!split.ok) throw new LineProblem(`invalid module path ${JSON.stringify(path)}`);
  return split.pathMajor;
}
function checkVersionForPath(verb, path, version, pathMajor) {
  const mismatch = describePathMajorMismatch(version, pathMajor);
  if (mismatch !== void 0) throw new LineProblem(`${verb} ${path}: ${mismatch}`);
}
function parseVersionInterval(args) {
  const at = (i) => args[i];
  const version = (i, after) => {
    const token = at(i);
    if (token === void 0) throw new LineProblem(`expected version after '${after}'`);
    const parsed = parseArgument(token);
    if ("problem" in parsed) throw new LineProblem(`retract: version ${token} invalid: ${parsed.problem}`);
    return parsed.value;
  };
  const first = at(0);
  if (first === void 0 || first === "(") throw new LineProblem("expected '[' or version");
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
function parseReplace(args) {
  const arrow = args.length >= 2 && args[1] === "=>" ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== "=>") {
    throw new LineProblem(
      "usage: replace module/path [v1.2.3] => other/module v1.4\n	 or replace module/path [v1.2.3] => ../local/directory"
    );
  }
  const oldPath = argument(args[0] ?? "");
  const pathMajor = pathMajorOf(oldPath);
  let oldVersion;
  if (arrow === 2) {
    oldVersion = moduleVersionArgument("replace", oldPath, args[1] ?? "");
    checkVersionForPath("replace", oldPath, oldVersion, pathMajor);
  }
  const target = argument(args[arrow + 1] ?? "");
  const old = oldVersion === void 0 ? { path: oldPath } : { path: oldPath, version: oldVersion };
  const newVersionToken = args[arrow + 2];
  if (newVersionToken === void 0) {
    if (!isDirectoryPath(target)) {
      throw new LineProblem(
        target.includes("@") ? "replacement module must match format 'path version', not 'path@version'" : "replacement module without version must be directory path (rooted or starting with . or ..)"
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
function interpretLine(f, block, line, verb, args, strict) {
  if (!strict && !LAX_VERBS.has(verb)) return;
  switch (verb) {
    case "go": {
      if (f.go !== void 0) throw new LineProblem("repeated go statement");
      let version = args[0];
      if (args.length !== 1 || version === void 0) throw new LineProblem("go directive expects exactly one argument");
      if (!GO_VERSION_RE2.test(version)) {
        const trimmed = strict ? void 0 : LAX_GO_VERSION_RE.exec(version)?.[1];
        if (trimmed === void 0) {
          throw new LineProblem(`invalid go version '${version}': must match format 1.23.0`);
        }
        version = trimmed;
      }
      f.go = version;
      return;
    }
    case "toolchain": {
      if (f.toolchain !== void 0) throw new LineProblem("repeated toolchain statement");
      const name = args[0];
      if (args.length !== 1 || name === void 0) throw new LineProblem("toolchain directive expects exactly one argument");
      if (!TOOLCHAIN_RE.test(name)) {
        throw new LineProblem(`invalid toolchain version '${name}': must match format go1.23.0 or default`);
      }
      f.toolchain = name;
      return;
    }
    case "module": {
      if (f.module !== void 0) throw new LineProblem("repeated module statement");
      if (args.length !== 1) throw new LineProblem("usage: module module/path");
      const deprecated = DEPRECATED_RE.exec(directiveComment(block, line))?.[1] ?? "";
      f.module = { path: argument(args[0] ?? ""), deprecated, line: line.line };
      return;
    }
    case "godebug": {
      const arg = args[0];
      const eq = arg?.indexOf("=") ?? -1;
      if (args.length !== 1 || arg === void 0 || /["`',]/.test(arg) || eq < 0) {
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
      let interval;
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
      if (args.length !== 1) throw new LineProblem("ignore directive expects exactly one argument");
      argument(args[0] ?? "");
      return;
    default:
      throw new LineProblem(`unknown directive: ${verb}`);
  }
}
function parseGoMod(text, file, opts = {}) {
  const strict = opts.strict ?? true;
  const hint = strict ? `Fix ${file} so that \`go mod edit -json\` accepts it.` : `The go.mod of this dependency is malformed; pin another version of it or replace it.`;
  const fail = (line, message) => {
    throw new GosetError("GOSET_GOMOD_PARSE", `${file}:${line}: ${message}`, { hint });
  };
  const statements = new SyntaxParser(text, file, fail).parseFile();
  const f = {
    requires: [],
    excludes: [],
    replaces: [],
    retracts: [],
    godebug: [],
    tools: []
  };
  const interpret = (block, line, verb, args) => {
    try {
      interpretLine(f, block, line, verb, args, strict);
    } catch (e) {
      if (e instanceof LineProblem) fail(line.line, e.message);
      throw e;
    }
  };
  for (const statement of statements) {
    if (statement.kind === "line") {
      interpret(void 0, statement, statement.tokens[0] ?? "", statement.tokens.slice(1));
      continue;
    }
    const verb = statement.tokens[0] ?? "";
    if (statement.tokens.length > 1 || !BLOCK_VERBS.has(verb)) {
      if (strict) fail(statement.line, `unknown block type: ${statement.tokens.join(" ")}`);
      continue;
    }
    for (const line of statement.lines) interpret(statement, line, verb, line.tokens);
  }
  if (f.module === void 0) {
    throw new GosetError("GOSET_GOMOD_PARSE", `${file}: missing module declaration`, {
      hint: `Add a line \`module <path>\` to ${file}.`
    });
  }
  if (f.module.path === "") fail(f.module.line, "empty module path");
  return {
    module: f.module.deprecated === "" ? { path: f.module.path } : { path: f.module.path, deprecated: f.module.deprecated },
    ...f.go === void 0 ? {} : { go: f.go },
    ...f.toolchain === void 0 ? {} : { toolchain: f.toolchain },
    requires: f.requires,
    excludes: f.excludes,
    replaces: f.replaces,
    retracts: f.retracts,
    godebug: f.godebug,
    tools: f.tools
  };
}

// generator/graph/buildlist.ts
function pruningOf(goMod) {
  return goVersionAtLeast(goMod.go, "1.17") ? "pruned" : "unpruned";
}
function effectiveRequires(goMod, excluded) {
  return goMod.requires.filter((r) => !excluded.has(moduleKey(r)));
}
async function selectBuildList(main2, load, extraRoots = []) {
  const excluded = new Set(main2.excludes.map(moduleKey));
  const selected = /* @__PURE__ */ new Map();
  const read = /* @__PURE__ */ new Map();
  const started = { pruned: /* @__PURE__ */ new Set(), unpruned: /* @__PURE__ */ new Set() };
  const pending = [];
  const addNode = (m) => {
    if (m.path === main2.module.path) return;
    const current = selected.get(m.path);
    if (current === void 0 || compare(m.version, current) > 0) selected.set(m.path, m.version);
  };
  const enqueue = (m, pruning) => {
    if (m.version === "none" || m.path === main2.module.path) return;
    const key = moduleKey(m);
    if (started[pruning].has(key)) return;
    started[pruning].add(key);
    const job = (async () => {
      const goMod = await load(m);
      read.set(key, { path: m.path, version: m.version });
      const requires = effectiveRequires(goMod, excluded);
      for (const r of requires) addNode(r);
      const own = pruningOf(goMod);
      if (pruning === "pruned" && own === "pruned") return;
      const next = pruning === "unpruned" ? "unpruned" : own;
      for (const r of requires) enqueue(r, next);
    })();
    job.catch(() => void 0);
    pending.push(job);
  };
  const rootPruning = pruningOf(main2);
  const roots = [...effectiveRequires(main2, excluded), ...extraRoots];
  for (const r of roots) addNode(r);
  for (const r of roots) enqueue(r, rootPruning);
  for (let done = 0; done < pending.length; ) {
    const batch = pending.slice(done);
    done = pending.length;
    await Promise.all(batch);
  }
  const goModsRead = [...read.values()].sort((a, b) => moduleKey(a) < moduleKey(b) ? -1 : 1);
  return { selected: sortedMap(selected), goModsRead };
}
function sortedMap(m) {
  return new Map([...m.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

// generator/graph/cycles.ts
import { createHash as createHash3 } from "node:crypto";
import { DirectedGraph } from "graphology";
import { stronglyConnectedComponents } from "graphology-components";

// generator/graph/setselect.ts
function selectSetVersions(leaves) {
  const versions = /* @__PURE__ */ new Map();
  for (const leaf of leaves) {
    for (const [path, version] of leaf.pinned) {
      if (leaf.replaced.has(path)) continue;
      const current = versions.get(path);
      if (current === void 0 || compare(version, current) > 0) versions.set(path, version);
    }
  }
  const upgraded = /* @__PURE__ */ new Map();
  const members = /* @__PURE__ */ new Map();
  for (const leaf of leaves) {
    const raised = /* @__PURE__ */ new Map();
    const paths = [];
    for (const [path, version] of leaf.pinned) {
      if (leaf.replaced.has(path)) continue;
      paths.push(path);
    }
    for (const [path, from] of leaf.own) {
      const to = versions.get(path);
      if (!leaf.replaced.has(path) && to !== void 0 && compare(to, from) > 0) raised.set(path, { from, to });
    }
    upgraded.set(leaf.name, sortByKey(raised));
    members.set(leaf.name, paths.sort(byString));
  }
  return { versions: sortByKey(versions), upgraded, members };
}
function byString(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function sortByKey(m) {
  return new Map([...m.entries()].sort(([a], [b]) => byString(a, b)));
}

// generator/graph/cycles.ts
function findCycles(edges) {
  const graph = new DirectedGraph();
  for (const path of edges.keys()) graph.mergeNode(path);
  for (const [from, tos] of edges) {
    for (const to of tos) if (to !== from && edges.has(to)) graph.mergeEdge(from, to);
  }
  return stronglyConnectedComponents(graph).filter((component) => component.length > 1).map((component) => {
    const members = [...component].sort(byString);
    return { id: cycleId(members), members };
  }).sort((a, b) => byString(a.id, b.id));
}
function cycleId(sortedMembers) {
  const digest = createHash3("sha256").update(sortedMembers.join("\n")).digest("hex").slice(0, 10);
  const first = sortedMembers[0] ?? "cycle";
  return `${safeName(first)}-cycle-${digest}`;
}
function safeName(path) {
  return path.replace(/[^A-Za-z0-9+._?=-]/g, "-").replace(/^\.+/, "");
}

// generator/graph/packages.ts
function packagesBuiltBySet(leaves, members) {
  const built = new Map([...members.keys()].map((p) => [p, /* @__PURE__ */ new Set()]));
  for (const leaf of leaves) {
    const lookup = leafView(leaf, members);
    const seen = /* @__PURE__ */ new Set();
    const queue = rootDirs(leaf).map((dir) => joinImport(leaf.modulePath, dir));
    for (let importPath = queue.pop(); importPath !== void 0; importPath = queue.pop()) {
      if (seen.has(importPath)) continue;
      seen.add(importPath);
      const found = resolveImport(importPath, lookup);
      if (found === void 0) continue;
      if (found.module !== leaf.modulePath) built.get(found.module)?.add(found.dir);
      for (const i of found.imports) if (!seen.has(i)) queue.push(i);
    }
  }
  return new Map([...built].map(([p, dirs]) => [p, [...dirs].sort()]));
}
function rootDirs(leaf) {
  const dirs = [...leaf.packages.keys()];
  return leaf.subPackages.flatMap((pattern) => {
    const p = pattern.replace(/^\.\//, "") || ".";
    if (p === "..." || p === "./...") return dirs;
    if (p.endsWith("/...")) {
      const base = p.slice(0, -4);
      return dirs.filter((d) => d === base || d.startsWith(base + "/"));
    }
    return [p];
  });
}
function joinImport(modulePath, dir) {
  return dir === "." ? modulePath : `${modulePath}/${dir}`;
}
function memberImports(built, members) {
  const lookup = (module) => members.get(module);
  return new Map([...built].map(([path, dirs]) => {
    const index = members.get(path);
    const imports = dirs.flatMap((dir) => index?.get(dir) ?? []);
    return [path, importedModules(imports, lookup, path)];
  }));
}
function leafImports(leaf, members) {
  const lookup = leafView(leaf, members);
  const own = /* @__PURE__ */ new Set();
  const imports = [];
  const queue = rootDirs(leaf);
  for (let dir = queue.pop(); dir !== void 0; dir = queue.pop()) {
    if (own.has(dir)) continue;
    own.add(dir);
    for (const i of leaf.packages.get(dir) ?? []) {
      const found = resolveImport(i, lookup);
      if (found?.module === leaf.modulePath) queue.push(found.dir);
      else imports.push(i);
    }
  }
  return importedModules(imports, lookup, leaf.modulePath);
}
function leafView(leaf, members) {
  return (module) => module === leaf.modulePath ? leaf.packages : leaf.replaced.has(module) ? void 0 : members.get(module);
}
function importedModules(imports, lookup, self) {
  const modules = /* @__PURE__ */ new Set();
  for (const i of new Set(imports)) {
    const found = resolveImport(i, lookup);
    if (found !== void 0 && found.module !== self) modules.add(found.module);
  }
  return [...modules].sort();
}
function resolveImport(importPath, lookup) {
  const parts = importPath.split("/");
  for (let n = parts.length; n > 0; n--) {
    const module = parts.slice(0, n).join("/");
    const index = lookup(module);
    if (index === void 0) continue;
    const dir = n === parts.length ? "." : parts.slice(n).join("/");
    const imports = index.get(dir);
    if (imports !== void 0) return { module, dir, imports };
  }
  return void 0;
}

// generator/graph/holds.ts
function applyHolds(sel, holds, warn) {
  const kept = /* @__PURE__ */ new Map();
  for (const [path, hold] of holds) {
    if (!sel.pinned.has(path)) warn(`leaf ${sel.name}: hold of ${path} names a module outside its build list; ignored`);
    else kept.set(path, hold);
  }
  const force = (m) => new Map([...m].map(([p, v]) => [p, kept.get(p)?.version ?? v]));
  return { ...sel, own: force(sel.own), pinned: force(sel.pinned), holds: kept };
}
function withoutHolds(sels, warn) {
  return sels.map((sel) => {
    const alone = /* @__PURE__ */ new Set();
    for (const [path, hold] of sel.holds) {
      const shared = sels.some((other) => other !== sel && !other.holds.has(path) && other.pinned.has(path) && !other.replaced.has(path));
      if (!shared) {
        alone.add(path);
        warn(`leaf ${sel.name}: hold of ${path} at ${hold.version}: no other leaf's build list has ${path}, so the set takes ${hold.version} (the hold acts as a pin)`);
      }
    }
    const drop = (m) => new Map([...m].filter(([p]) => !sel.holds.has(p) || alone.has(p)));
    return { ...sel, own: drop(sel.own), pinned: drop(sel.pinned), alone };
  });
}
function holdsAgainst(sel, setVersions, warn) {
  const out = /* @__PURE__ */ new Map();
  for (const [path, hold] of sel.holds) {
    if (setVersions.get(path) === hold.version && !sel.alone?.has(path)) warn(`leaf ${sel.name}: hold of ${path} at ${hold.version} equals the set's version; ignored`);
    else out.set(path, hold);
  }
  return out;
}
function variantHolds(holds, setVersions) {
  return new Map([...holds].filter(([path, h]) => setVersions.get(path) !== h.version));
}
function heldBuilds(leaves, members, heldIndexes) {
  const dirs = /* @__PURE__ */ new Map();
  const views = /* @__PURE__ */ new Map();
  for (const leaf of leaves) {
    if (leaf.holds.size === 0) continue;
    const view = new Map(members);
    for (const [path, hold] of leaf.holds) {
      const index = heldIndexes.get(moduleKey({ path, version: hold.version }));
      if (index !== void 0) view.set(path, index);
    }
    const built = packagesBuiltBySet([leaf.packages], view);
    for (const [path, hold] of leaf.holds) {
      const key = moduleKey({ path, version: hold.version });
      const set = dirs.get(key) ?? /* @__PURE__ */ new Set();
      for (const d of built.get(path) ?? []) set.add(d);
      dirs.set(key, set);
      views.set(key, view);
    }
  }
  const out = /* @__PURE__ */ new Map();
  for (const [key, set] of [...dirs].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const path = key.slice(0, key.lastIndexOf("@"));
    const packages = [...set].sort();
    const view = views.get(key) ?? members;
    out.set(key, { packages, imports: memberImports(/* @__PURE__ */ new Map([[path, packages]]), view).get(path) ?? [] });
  }
  return out;
}
function heldCycle(path, heldImports, imports, inCycle) {
  if (inCycle.has(path)) return path;
  const seen = /* @__PURE__ */ new Set();
  const queue = [...heldImports];
  for (let p = queue.pop(); p !== void 0; p = queue.pop()) {
    if (p === path) return p;
    if (seen.has(p)) continue;
    seen.add(p);
    queue.push(...imports.get(p) ?? []);
  }
  return void 0;
}

// generator/graph/needed.ts
function modulesProvidingPackages(leaves) {
  const needed = /* @__PURE__ */ new Set();
  for (const leaf of leaves) {
    const withZip = /* @__PURE__ */ new Set();
    for (const [key, entry] of leaf.goSum) if (entry.sum !== void 0) withZip.add(parseModuleKey(key).path);
    for (const path of leaf.paths) if (withZip.size === 0 || withZip.has(path)) needed.add(path);
  }
  return needed;
}
function likelyMembers(goSums) {
  const highest = /* @__PURE__ */ new Map();
  for (const goSum of goSums) {
    for (const [key, entry] of goSum) {
      if (entry.sum === void 0) continue;
      const { path, version } = parseModuleKey(key);
      const seen = highest.get(path);
      if (seen === void 0 || compare(version, seen) > 0) highest.set(path, version);
    }
  }
  return [...highest].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([path, version]) => ({ path, version }));
}

// generator/leaves/loadleaf.ts
import { readFile as readFile4, stat as stat3 } from "node:fs/promises";
import { isAbsolute as isAbsolute2, join as join5, relative, resolve as resolve2 } from "node:path";

// generator/gomod/gosum.ts
var EMPTY_GO_MOD_HASH = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";
var H1_RE = /^h1:[A-Za-z0-9+/]{43}=$/;
var OTHER_HASH_RE = /^h[0-9]+:\S+$/;
function parseError(file, line, what) {
  return new GosetError("GOSET_GOSUM_PARSE", `${file}:${line}: ${what}`, {
    hint: `Regenerate ${file} with \`go mod tidy\` (or remove the line) and rerun.`
  });
}
function parseGoSum(text, file) {
  const entries2 = /* @__PURE__ */ new Map();
  const lines = text.split("\n");
  for (const [i, raw2] of lines.entries()) {
    const lineNo = i + 1;
    const fields = raw2.split(/[ \t\r\v\f]+/).filter((f) => f !== "");
    if (fields.length === 0) continue;
    const [path = "", versionField = "", hash = ""] = fields;
    if (fields.length !== 3) throw parseError(file, lineNo, `wrong number of fields ${fields.length}`);
    if (hash === EMPTY_GO_MOD_HASH) continue;
    const isGoMod = versionField.endsWith("/go.mod");
    const version = isGoMod ? versionField.slice(0, -"/go.mod".length) : versionField;
    if (!isValid(version)) throw parseError(file, lineNo, `invalid version ${JSON.stringify(versionField)}`);
    if (!H1_RE.test(hash)) {
      if (OTHER_HASH_RE.test(hash) && !hash.startsWith("h1:")) continue;
      throw parseError(file, lineNo, `malformed hash ${JSON.stringify(hash)}`);
    }
    const key = `${path}@${version}`;
    const field2 = isGoMod ? "goModSum" : "sum";
    const entry = entries2.get(key) ?? {};
    const previous = entry[field2];
    if (previous !== void 0 && previous !== hash) {
      throw parseError(file, lineNo, `${path} ${versionField}: second hash ${hash} differs from ${previous}`);
    }
    entry[field2] = hash;
    entries2.set(key, entry);
  }
  return entries2;
}

// generator/leaves/loadleaf.ts
async function loadLeaf(spec, setDir, store) {
  if (spec.source.kind === "path") {
    const dir = resolve2(setDir, spec.source.path);
    const goModFile = join5(dir, "go.mod");
    const goModText = await readFile4(goModFile, "utf8").catch((cause) => {
      throw new GosetError("GOSET_LOCAL_PATH", `leaf "${spec.name}": cannot read ${goModFile}`, {
        hint: "a path leaf names a directory (relative to the set directory) holding go.mod and go.sum",
        cause
      });
    });
    const goSumFile = join5(dir, "go.sum");
    const goSumText = await readFile4(goSumFile, "utf8").catch(() => "");
    const goMod2 = parseGoMod(goModText, goModFile, { strict: true });
    checkLocalReplacements(spec, goMod2, "path");
    return { spec, goMod: goMod2, goSum: parseGoSum(goSumText, goSumFile), source: { kind: "path", path: spec.source.path }, dir, packages: await indexDirectory(dir) };
  }
  const m = { path: spec.source.module, version: spec.source.version };
  const files = await store.leafFiles(m);
  const label = `${moduleKey(m)}/go.mod`;
  const goMod = parseGoMod(files.goMod ?? `module ${m.path}
`, label, { strict: true });
  if (goMod.module.path !== m.path) {
    throw new GosetError("GOSET_SELECTION", `leaf "${spec.name}": ${label} declares module ${goMod.module.path}`, {
      hint: "the module line of the leaf's go.mod must match the module path in leaves.yaml"
    });
  }
  checkLocalReplacements(spec, goMod, "module");
  return {
    spec,
    goMod,
    goSum: parseGoSum(files.goSum ?? "", `${moduleKey(m)}/go.sum`),
    source: { kind: "module", module: m.path, version: m.version, hash: files.digest.hash, sum: files.digest.sum, goModSum: await store.goModSum(m), verified: "none" },
    packages: files.digest.packages
  };
}
function checkLocalReplacements(spec, goMod, kind) {
  for (const r of goMod.replaces) {
    if (r.new.kind !== "dir") continue;
    const dir = r.new.dir;
    if (kind === "module") {
      throw new GosetError("GOSET_LOCAL_PATH", `leaf "${spec.name}": go.mod replaces ${r.old.path} with the directory ${dir}, which a module zip never contains`, {
        hint: "use a path leaf (a local checkout) for applications whose go.mod replaces modules with directories"
      });
    }
    const rel = relative(".", dir);
    if (isAbsolute2(dir) || rel.startsWith("..")) {
      throw new GosetError("GOSET_LOCAL_PATH", `leaf "${spec.name}": go.mod replaces ${r.old.path} with ${dir}, outside the leaf's directory`, {
        hint: "a directory replacement must lie inside the leaf's directory so the Nix build can see it"
      });
    }
  }
}
function findReplacement(replaces, m) {
  let wildcard;
  for (const r of replaces) {
    if (r.old.path !== m.path) continue;
    if (r.old.version === m.version) return r.new;
    if (r.old.version === void 0) wildcard = r.new;
  }
  return wildcard;
}
function checkGoModSum(leaf, m, bytes) {
  const expected = leaf.goSum.get(moduleKey(m))?.goModSum;
  if (expected === void 0) return;
  const actual = hashGoMod(bytes);
  if (actual !== expected) {
    throw new GosetError("GOSET_CHECKSUM_MISMATCH", `SECURITY ERROR: ${moduleKey(m)}/go.mod has ${actual}, but leaf "${leaf.spec.name}"'s go.sum records ${expected}`, {
      hint: "the proxy served different content than the leaf was built with; do not use this proxy until this is explained"
    });
  }
}
function leafGoModLoader(leaf, store) {
  return async (m) => {
    const target = findReplacement(leaf.goMod.replaces, m);
    if (target?.kind === "dir") {
      const file = join5(leaf.dir ?? "", target.dir, "go.mod");
      await stat3(file).catch((cause) => {
        throw new GosetError("GOSET_LOCAL_PATH", `leaf "${leaf.spec.name}": replacement directory ${target.dir} has no go.mod`, { hint: "create it or fix the replace directive", cause });
      });
      return parseGoMod(await readFile4(file, "utf8"), file, { strict: false });
    }
    const actual = target ?? { path: m.path, version: m.version };
    const bytes = await store.goMod(actual);
    checkGoModSum(leaf, actual, bytes);
    const goMod = parseGoMod(bytes.toString("utf8"), `${moduleKey(actual)}/go.mod`, { strict: false });
    if (goMod.module.path !== m.path && goMod.module.path !== actual.path) {
      throw new GosetError("GOSET_SELECTION", `${moduleKey(actual)}/go.mod declares its path as ${goMod.module.path} but was required as ${m.path}`, {
        hint: target ? `check the replace directive for ${m.path} in leaf "${leaf.spec.name}"` : "the module's go.mod names another path; require it by the path it declares"
      });
    }
    return goMod;
  };
}

// generator/leaves/leavesfile.ts
import { LineCounter, parseDocument, isMap } from "yaml";

// nix/licenses.json
var licenses_default = {
  "0BSD": {
    free: true,
    nixpkgs: "bsd0"
  },
  "AGPL-3.0-only": {
    free: true,
    nixpkgs: "agpl3Only"
  },
  "AGPL-3.0-or-later": {
    free: true,
    nixpkgs: "agpl3Plus"
  },
  "Apache-2.0": {
    free: true,
    nixpkgs: "asl20"
  },
  "Artistic-2.0": {
    free: true,
    nixpkgs: "artistic2"
  },
  "BSD-2-Clause": {
    free: true,
    nixpkgs: "bsd2"
  },
  "BSD-2-Clause-Patent": {
    free: true,
    nixpkgs: "bsd2Patent"
  },
  "BSD-3-Clause": {
    free: true,
    nixpkgs: "bsd3"
  },
  "BUSL-1.1": {
    free: false,
    nixpkgs: "bsl11"
  },
  "BlueOak-1.0.0": {
    free: true,
    nixpkgs: "blueOak100"
  },
  "CC-BY-4.0": {
    free: true,
    nixpkgs: "cc-by-40"
  },
  "CC0-1.0": {
    free: true,
    nixpkgs: "cc0"
  },
  "EPL-2.0": {
    free: true,
    nixpkgs: "epl20"
  },
  "GPL-2.0-only": {
    free: true,
    nixpkgs: "gpl2Only"
  },
  "GPL-2.0-or-later": {
    free: true,
    nixpkgs: "gpl2Plus"
  },
  "GPL-3.0-only": {
    free: true,
    nixpkgs: "gpl3Only"
  },
  "GPL-3.0-or-later": {
    free: true,
    nixpkgs: "gpl3Plus"
  },
  ISC: {
    free: true,
    nixpkgs: "isc"
  },
  "LGPL-2.1-only": {
    free: true,
    nixpkgs: "lgpl21Only"
  },
  "LGPL-2.1-or-later": {
    free: true,
    nixpkgs: "lgpl21Plus"
  },
  "LGPL-3.0-only": {
    free: true,
    nixpkgs: "lgpl3Only"
  },
  "LGPL-3.0-or-later": {
    free: true,
    nixpkgs: "lgpl3Plus"
  },
  MIT: {
    free: true,
    nixpkgs: "mit"
  },
  "MIT-0": {
    free: true,
    nixpkgs: "mit0"
  },
  "MPL-2.0": {
    free: true,
    nixpkgs: "mpl20"
  },
  "Unicode-3.0": {
    free: true,
    nixpkgs: "unicode-30"
  },
  Unlicense: {
    free: true,
    nixpkgs: "unlicense"
  },
  WTFPL: {
    free: true,
    nixpkgs: "wtfpl"
  },
  Zlib: {
    free: true,
    nixpkgs: "zlib"
  }
};

// generator/leaves/licenses.ts
var licenses = licenses_default;
function nixpkgsLicense(spdxId) {
  return Object.hasOwn(licenses, spdxId) ? licenses[spdxId]?.nixpkgs : void 0;
}

// generator/leaves/leavesfile.ts
var NIX_ATTR = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
var LEAF_KEYS = /* @__PURE__ */ new Set(["module", "version", "path", "subPackages", "hold", "check", "ldflags", "tags", "env", "doCheck", "meta"]);
var META_KEYS = /* @__PURE__ */ new Set(["description", "homepage", "license", "mainProgram"]);
function parseLeavesFile(text, file) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (message, offset) => {
    const line = offset === void 0 ? 1 : lines.linePos(offset).line;
    throw new GosetError("GOSET_LEAVES_INVALID", `${file}:${line}: ${message}`, {
      hint: "leaves.yaml maps leaf names to { module, version } or { path }; see the README's 'leaves.yaml' section"
    });
  };
  const firstError = doc.errors[0];
  if (firstError) fail(firstError.message.split("\n")[0] ?? "invalid YAML", firstError.pos[0]);
  if (!isMap(doc.contents)) fail("expected a mapping with a `leaves` key");
  const root = doc.toJS();
  for (const key of Object.keys(root)) {
    if (key !== "leaves" && key !== "pins") fail(`unknown top-level key "${key}"`, offsetOf(doc, [key]));
  }
  const leavesNode = root["leaves"];
  if (!isRecord(leavesNode) || Object.keys(leavesNode).length === 0) {
    fail("`leaves` must be a non-empty mapping of leaf names", offsetOf(doc, ["leaves"]));
  }
  const leaves = [];
  for (const [name, value2] of Object.entries(leavesNode)) {
    const at = offsetOf(doc, ["leaves", name]);
    if (!NIX_ATTR.test(name)) fail(`leaf name "${name}" is not a plain Nix attribute name`, at);
    if (!isRecord(value2)) fail(`leaf "${name}" must be a mapping`, at);
    const leaf = value2;
    for (const key of Object.keys(leaf)) {
      if (!LEAF_KEYS.has(key)) fail(`leaf "${name}": unknown key "${key}"`, offsetOf(doc, ["leaves", name, key]));
    }
    leaves.push({
      name,
      source: readSource(name, leaf, (m) => fail(m, at)),
      subPackages: readSubPackages(name, leaf, (m) => fail(m, at)),
      holds: readHolds(name, leaf, (m, key) => fail(m, offsetOf(doc, ["leaves", name, "hold", ...key === void 0 ? [] : [key]]))),
      ...readCheck(name, leaf, (m) => fail(m, offsetOf(doc, ["leaves", name, "check"]))),
      package: readPackage(name, leaf, (m, key) => fail(m, offsetOf(doc, ["leaves", name, key])))
    });
  }
  const pins = /* @__PURE__ */ new Map();
  const pinsNode = root["pins"];
  if (pinsNode !== void 0 && pinsNode !== null) {
    if (!isRecord(pinsNode)) fail("`pins` must map module paths to versions", offsetOf(doc, ["pins"]));
    for (const [path, version] of Object.entries(pinsNode)) {
      if (typeof version !== "string" || !version.startsWith("v")) {
        fail(`pin "${path}" must be a version string such as v1.2.3`, offsetOf(doc, ["pins", path]));
      }
      pins.set(path, version);
    }
  }
  leaves.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { leaves, pins };
}
function readSource(name, leaf, fail) {
  const { module, version, path } = leaf;
  if (path !== void 0) {
    if (module !== void 0 || version !== void 0) fail(`leaf "${name}": give either path or module+version, not both`);
    if (typeof path !== "string" || path === "") fail(`leaf "${name}": path must be a non-empty string`);
    return { kind: "path", path };
  }
  if (typeof module !== "string" || module === "") fail(`leaf "${name}": module is required (or path)`);
  if (typeof version !== "string" || !version.startsWith("v")) fail(`leaf "${name}": version must be a string such as v1.2.3`);
  return { kind: "module", module, version };
}
function readSubPackages(name, leaf, fail) {
  const sub = leaf["subPackages"];
  if (sub === void 0) return ["."];
  if (!Array.isArray(sub) || sub.length === 0 || !sub.every((s) => typeof s === "string" && s !== "")) {
    fail(`leaf "${name}": subPackages must be a non-empty list of package directories`);
  }
  const list2 = sub;
  for (const s of list2) if (s.startsWith("/") || s.split("/").includes("..")) fail(`leaf "${name}": subPackage "${s}" leaves the module`);
  return list2;
}
function readHolds(name, leaf, fail) {
  const node = leaf["hold"];
  const holds = /* @__PURE__ */ new Map();
  if (node === void 0 || node === null) return holds;
  if (!isRecord(node)) fail(`leaf "${name}": hold must map module paths to versions`);
  for (const [path, value2] of Object.entries(node)) {
    const entry = typeof value2 === "string" ? { version: value2 } : value2;
    if (!isRecord(entry)) fail(`leaf "${name}": hold of ${path} must be a version or { version, reason }`, path);
    const { version, reason, ...rest } = entry;
    const unknown = Object.keys(rest)[0];
    if (unknown !== void 0) fail(`leaf "${name}": hold of ${path}: unknown key "${unknown}"`, path);
    if (typeof version !== "string" || !version.startsWith("v")) fail(`leaf "${name}": hold of ${path} needs a version such as v1.2.3`, path);
    if (reason !== void 0 && typeof reason !== "string") fail(`leaf "${name}": hold of ${path}: reason must be a string`, path);
    holds.set(path, { version, ...typeof reason === "string" && reason !== "" ? { reason } : {} });
  }
  return new Map([...holds].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function readCheck(name, leaf, fail) {
  const node = leaf["check"];
  if (node === void 0 || node === null) return {};
  if (!isRecord(node)) fail(`leaf "${name}": check must be { args: [...], expect: "..." }`);
  const { args, expect, ...rest } = node;
  const unknown = Object.keys(rest)[0];
  if (unknown !== void 0) fail(`leaf "${name}": check: unknown key "${unknown}"`);
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) fail(`leaf "${name}": check.args must be a list of strings`);
  if (expect !== void 0 && typeof expect !== "string") fail(`leaf "${name}": check.expect must be a string`);
  return { check: { args, ...typeof expect === "string" ? { expect } : {} } };
}
function readPackage(name, leaf, fail) {
  const { ldflags, tags, env, doCheck, meta } = leaf;
  const strings2 = (v, key) => {
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) fail(`leaf "${name}": ${key} must be a list of strings`, key);
    return v;
  };
  return {
    ...ldflags === void 0 ? {} : { ldflags: strings2(ldflags, "ldflags") },
    ...tags === void 0 ? {} : { tags: strings2(tags, "tags") },
    ...env === void 0 ? {} : { env: readEnv(name, env, (m) => fail(m, "env")) },
    ...doCheck === void 0 ? {} : { doCheck: typeof doCheck === "boolean" ? doCheck : fail(`leaf "${name}": doCheck must be true or false`, "doCheck") },
    ...meta === void 0 ? {} : { meta: readMeta(name, meta, (m) => fail(m, "meta")) }
  };
}
function readEnv(name, env, fail) {
  if (!isRecord(env)) fail(`leaf "${name}": env must map variable names to strings`);
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) fail(`leaf "${name}": env: "${k}" is not a variable name`);
    if (typeof v !== "string" && typeof v !== "number") fail(`leaf "${name}": env.${k} must be a string (quote it)`);
    out[k] = String(v);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function readMeta(name, meta, fail) {
  if (!isRecord(meta)) fail(`leaf "${name}": meta must be { description, homepage, license, mainProgram }`);
  const m = meta;
  for (const key of Object.keys(m)) if (!META_KEYS.has(key)) fail(`leaf "${name}": meta: unknown key "${key}" (known: ${[...META_KEYS].join(", ")})`);
  const text = (key) => {
    const v = m[key];
    if (v === void 0) return {};
    if (typeof v !== "string" || v === "") fail(`leaf "${name}": meta.${key} must be a non-empty string`);
    return { [key]: v };
  };
  const license = m["license"];
  const licenses2 = license === void 0 ? void 0 : typeof license === "string" ? [license] : license;
  if (licenses2 !== void 0 && (!Array.isArray(licenses2) || licenses2.length === 0 || !licenses2.every((l) => typeof l === "string"))) {
    fail(`leaf "${name}": meta.license must be an SPDX identifier or a list of them`);
  }
  for (const id of licenses2 ?? []) {
    if (nixpkgsLicense(id) === void 0) fail(`leaf "${name}": meta.license "${id}" is not an SPDX identifier goset maps to nixpkgs' lib.licenses (nix/licenses.json lists them)`);
  }
  return {
    ...text("description"),
    ...text("homepage"),
    ...licenses2 === void 0 ? {} : { license: licenses2 },
    ...text("mainProgram")
  };
}
function isRecord(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function offsetOf(doc, path) {
  const node = doc.getIn(path, true);
  if (node && typeof node === "object" && node.range) return node.range[0];
  const parent = doc.getIn(path.slice(0, -1), true);
  const item = parent?.items?.find((i) => i.key?.value === path[path.length - 1]);
  return item?.key?.range?.[0];
}

// generator/proxy/ca.ts
import { readFileSync } from "node:fs";
function readCaCertificates(env) {
  const file = env["SSL_CERT_FILE"];
  if (file === void 0 || file === "") return void 0;
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new GosetError("GOSET_ENV_INVALID", `SSL_CERT_FILE=${file}: cannot read it: ${e.message}`, {
      hint: "Point SSL_CERT_FILE at a readable PEM file of CA certificates, or unset it.",
      cause: e
    });
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new GosetError("GOSET_ENV_INVALID", `SSL_CERT_FILE=${file} holds no PEM certificate`, {
      hint: "Point SSL_CERT_FILE at a PEM file of CA certificates, or unset it."
    });
  }
  return text;
}

// generator/env/patterns.ts
function compilePattern(pattern) {
  const chars = [...pattern];
  const tokens2 = [];
  let i = 0;
  const readClassChar = () => {
    let c = chars[i];
    if (c === void 0 || c === "-" || c === "]") return void 0;
    if (c === "\\") {
      i++;
      c = chars[i];
      if (c === void 0) return void 0;
    }
    i++;
    return c.codePointAt(0);
  };
  while (i < chars.length) {
    const c = chars[i];
    if (c === "*") {
      tokens2.push({ kind: "star" });
      i++;
    } else if (c === "?") {
      tokens2.push({ kind: "any" });
      i++;
    } else if (c === "\\") {
      const next = chars[i + 1];
      if (next === void 0) return void 0;
      tokens2.push({ kind: "literal", char: next });
      i += 2;
    } else if (c === "[") {
      i++;
      let negated = false;
      if (chars[i] === "^") {
        negated = true;
        i++;
      }
      const ranges = [];
      for (; ; ) {
        if (chars[i] === "]" && ranges.length > 0) {
          i++;
          break;
        }
        const lo = readClassChar();
        if (lo === void 0 || i >= chars.length) return void 0;
        let hi = lo;
        if (chars[i] === "-") {
          i++;
          const h = readClassChar();
          if (h === void 0 || i >= chars.length) return void 0;
          hi = h;
        }
        ranges.push([lo, hi]);
      }
      tokens2.push({ kind: "class", negated, ranges });
    } else {
      tokens2.push({ kind: "literal", char: c });
      i++;
    }
  }
  return tokens2;
}
function matchTokens(tokens2, ti, name, ni) {
  for (; ti < tokens2.length; ti++) {
    const t = tokens2[ti];
    if (t.kind === "star") {
      for (let end = ni; end <= name.length; end++) {
        if (matchTokens(tokens2, ti + 1, name, end)) return true;
        if (end < name.length && name[end] === "/") return false;
      }
      return false;
    }
    const c = name[ni];
    if (c === void 0) return false;
    if (t.kind === "any") {
      if (c === "/") return false;
    } else if (t.kind === "literal") {
      if (c !== t.char) return false;
    } else {
      const code = c.codePointAt(0);
      const inClass = t.ranges.some(([lo, hi]) => lo <= code && code <= hi);
      if (inClass === t.negated) return false;
    }
    ni++;
  }
  return ni === name.length;
}
function pathMatch(pattern, name) {
  const tokens2 = compilePattern(pattern);
  if (tokens2 === void 0) return false;
  return matchTokens(tokens2, 0, [...name], 0);
}
function matchPrefixPatterns(globs, path) {
  for (const entry of globs.split(",")) {
    const glob = entry.endsWith("/") ? entry.slice(0, -1) : entry;
    if (glob === "") continue;
    const elements = glob.split("/").length;
    const pathElements = path.split("/");
    if (pathElements.length < elements) continue;
    if (pathMatch(glob, pathElements.slice(0, elements).join("/"))) return true;
  }
  return false;
}

// generator/proxy/failure.ts
var SourceFailure = class extends Error {
  code;
  retryable;
  retryAfterMs;
  hint;
  /** `detail` says what the entry answered, e.g. "404 Not Found"; it is redacted like GosetError's message. */
  constructor(code, detail, options = {}) {
    super(redact(detail));
    this.name = "SourceFailure";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.hint = options.hint === void 0 ? void 0 : redact(options.hint);
  }
  /** 404/410 or a missing file: the next entry may have it. */
  get notFound() {
    return this.code === "GOSET_PROXY_NOT_FOUND";
  }
};
function notFound(detail) {
  return new SourceFailure("GOSET_PROXY_NOT_FOUND", detail);
}

// generator/vcs/coderepo.ts
import { mkdir as mkdir3, rename as rename2, rm as rm3, stat as statFile } from "node:fs/promises";
import { dirname as dirname2 } from "node:path";
import yauzl2 from "yauzl";

// generator/vcs/gitrepo.ts
import { mkdir as mkdir2, mkdtemp, rm as rm2, stat as stat4, writeFile as writeFile2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join6 } from "node:path";

// generator/vcs/git.ts
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
var GitFailure = class extends Error {
  constructor(command, exitCode, stderr) {
    super(`${command}: ${summarizeStderr(stderr) || `exit status ${exitCode ?? "signal"}`}`);
    this.command = command;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
  command;
  exitCode;
  stderr;
  name = "GitFailure";
  /** git asked for credentials it did not get, or the server refused them. */
  get isAuth() {
    return AUTH_PATTERNS.some((re) => re.test(this.stderr));
  }
};
var AUTH_PATTERNS = [
  /could not read (Username|Password)/i,
  /terminal prompts disabled/i,
  /Authentication failed/i,
  /HTTP Basic: Access denied/i,
  /returned error: 40[13]\b/,
  /Permission denied \((publickey|password)/i
];
var STDERR_KEEP = 8 * 1024;
function summarizeStderr(stderr) {
  const lines = stderr.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l !== "" && !/^(remote: )?(Counting|Compressing|Enumerating|Total|Receiving|Resolving)\b/.test(l));
  return lines.slice(-3).join("; ");
}
var ENV_CREDENTIAL_HELPER = '!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" "$GOSET_GIT_USERNAME" "$GOSET_GIT_PASSWORD"; }; f';
var INHERITED_REPO_VARS = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE", "GIT_PREFIX"];
function gitEnvironment(base, idleTimeoutMs, credentials) {
  const env = { ...base };
  for (const name of INHERITED_REPO_VARS) delete env[name];
  env["GIT_TERMINAL_PROMPT"] = "0";
  env["GCM_INTERACTIVE"] = "never";
  env["LC_ALL"] = "C";
  if (!env["GIT_SSH"] && !env["GIT_SSH_COMMAND"]) env["GIT_SSH_COMMAND"] = "ssh -o ControlMaster=no -o BatchMode=yes";
  env["GIT_HTTP_LOW_SPEED_LIMIT"] = "1";
  env["GIT_HTTP_LOW_SPEED_TIME"] = String(Math.max(1, Math.ceil(idleTimeoutMs / 1e3)));
  if (credentials !== void 0) {
    env["GOSET_GIT_USERNAME"] = credentials.user;
    env["GOSET_GIT_PASSWORD"] = credentials.password;
  }
  return env;
}
function gitConfigArgs(withCredentials) {
  return withCredentials ? ["-c", `credential.helper=${ENV_CREDENTIAL_HELPER}`] : [];
}
function subcommandOf(args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-c") i++;
    else if (!a.startsWith("-")) return a;
  }
  return "";
}
function runGit(cmd) {
  const label = `git ${subcommandOf(cmd.args)}`;
  return new Promise((resolve4, reject) => {
    const child = spawn("git", [...cmd.args], {
      cwd: cmd.cwd,
      env: cmd.env,
      stdio: ["ignore", "pipe", "pipe"]
    });
    const out = [];
    let stderr = "";
    const file = cmd.stdoutFile === void 0 ? void 0 : createWriteStream(cmd.stdoutFile);
    const written = file === void 0 ? Promise.resolve() : finished(file);
    if (file !== void 0) child.stdout.pipe(file);
    else child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => {
      stderr = (stderr + c.toString("utf8")).slice(-STDERR_KEEP);
    });
    child.on("error", (e) => {
      const why = e.code === "ENOENT" ? "git is not installed or not on PATH" : e.message;
      reject(new GitFailure(label, null, why));
    });
    child.on("close", (code) => {
      written.then(
        () => code === 0 ? resolve4(Buffer.concat(out)) : reject(new GitFailure(label, code, stderr)),
        (e) => reject(e)
      );
    });
  });
}

// generator/vcs/gitrepo.ts
var UnknownRevision = class extends Error {
  name = "UnknownRevision";
};
var MIN_HASH_DIGITS = 12;
var GIT_ATTRIBUTES = "\n* -export-subst -export-ignore\n";
function parseLsRemote(text) {
  const refs = /* @__PURE__ */ new Map();
  const peeled = /* @__PURE__ */ new Map();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 2) continue;
    const [hash, ref] = f;
    if (ref.endsWith("^{}")) peeled.set(ref.slice(0, -3), hash);
    else if (ref === "HEAD" || ref.startsWith("refs/heads/") || ref.startsWith("refs/tags/")) refs.set(ref, hash);
  }
  for (const [ref, hash] of peeled) if (refs.has(ref)) refs.set(ref, hash);
  return refs;
}
function locateRevision(refs, rev) {
  for (const ref of [`refs/tags/${rev}`, `refs/heads/${rev}`]) {
    const hash = refs.get(ref);
    if (hash !== void 0) return { ref, hash, rev: ref.startsWith("refs/tags/") ? rev : hash };
  }
  const head = refs.get("HEAD");
  if (rev === "HEAD" && head !== void 0) return { ref: "HEAD", hash: head, rev: head };
  const hashLength = [...refs.values()][0]?.length ?? 40;
  if (rev.length < MIN_HASH_DIGITS || rev.length > hashLength || !/^[0-9a-f]+$/.test(rev)) {
    throw new UnknownRevision(`unknown revision ${rev}`);
  }
  let found;
  for (const [ref, hash] of refs) {
    if (!hash.startsWith(rev)) continue;
    if (found !== void 0 && found.hash !== hash) throw new UnknownRevision(`ambiguous revision ${rev}`);
    if (found === void 0 || ref < found.ref) found = { ref, hash };
  }
  if (found !== void 0) return { ...found, rev: found.hash };
  return rev.length === hashLength ? { hash: rev, rev } : { rev };
}
function parseLogLine(text) {
  const [hash, time] = text.trim().split(/\s+/);
  if (hash === void 0 || time === void 0 || !/^\d+$/.test(time)) return void 0;
  return { hash, time: Number(time) };
}
async function exists(path) {
  return stat4(path).then(
    () => true,
    () => false
  );
}
function openGitRepo(options) {
  let refs;
  let dir;
  let fetchedAll = false;
  let queue = Promise.resolve();
  const stats = /* @__PURE__ */ new Map();
  const serialized = (op) => {
    const next = queue.then(op, op);
    queue = next.catch(() => void 0);
    return next;
  };
  const git = async (args, stdoutFile) => {
    const gitDir = await repoDir();
    return runGit({
      args: [...options.config, ...args],
      cwd: gitDir,
      env: { ...options.env, GIT_DIR: gitDir },
      ...stdoutFile === void 0 ? {} : { stdoutFile }
    });
  };
  const loadRefs = () => refs ??= runGit({ args: [...options.config, "ls-remote", "-q", options.url], cwd: tmpdir(), env: options.env }).then(
    (out) => parseLsRemote(out.toString("utf8"))
  );
  function repoDir() {
    dir ??= (async () => {
      const d = await options.makeDir();
      const sha2562 = [...(await loadRefs()).values()].some((h) => h.length === 64);
      const format = sha2562 ? ["--object-format=sha256"] : [];
      await runGit({ args: ["init", "--bare", "-q", ...format, d], cwd: d, env: options.env });
      await runGit({ args: ["remote", "add", "origin", "--", options.url], cwd: d, env: { ...options.env, GIT_DIR: d } });
      await mkdir2(join6(d, "info"), { recursive: true });
      await writeFile2(join6(d, "info", "attributes"), GIT_ATTRIBUTES, { flag: "a" });
      return d;
    })();
    return dir;
  }
  const statLocal = async (rev) => {
    const out = await git(["-c", "log.showsignature=false", "log", "--no-decorate", "-n1", "--format=format:%H %ct", rev, "--"]).catch(
      (e) => {
        if (e instanceof GitFailure) return void 0;
        throw e;
      }
    );
    return out === void 0 ? void 0 : parseLogLine(out.toString("utf8"));
  };
  const fetchEverything = async () => {
    if (fetchedAll) return;
    await git(["fetch", "-f", "origin", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"]);
    if (await exists(join6(await repoDir(), "shallow"))) await git(["fetch", "--unshallow", "-f", "origin"]);
    fetchedAll = true;
  };
  async function statRemote(rev) {
    const where = locateRevision(await loadRefs(), rev);
    return serialized(async () => {
      const local = where.hash === void 0 ? void 0 : await statLocal(where.hash);
      if (local !== void 0) return local;
      if (where.ref !== void 0 && where.hash !== void 0) {
        const refspec = where.ref === "HEAD" ? `${where.hash}:refs/dummy` : `${where.ref}:${where.ref}`;
        const ok = await git(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", refspec]).then(
          () => true,
          (e) => {
            if (e instanceof GitFailure && !e.isAuth) return false;
            throw e;
          }
        );
        const fetched = ok ? await statLocal(where.hash) : void 0;
        if (fetched !== void 0) return fetched;
      }
      await fetchEverything();
      const last = await statLocal(where.hash ?? where.rev);
      if (last === void 0) throw new UnknownRevision(`unknown revision ${rev}`);
      return last;
    });
  }
  return {
    url: options.url,
    refs: loadRefs,
    stat(rev) {
      let info = stats.get(rev);
      if (info === void 0) {
        info = statRemote(rev);
        stats.set(rev, info);
      }
      return info;
    },
    async readFile(hash, file) {
      return serialized(
        () => git(["cat-file", "blob", `${hash}:${file}`]).catch((e) => {
          if (e instanceof GitFailure) return void 0;
          throw e;
        })
      );
    },
    async archive(hash, subdir, destFile) {
      const paths = subdir === "" ? [] : [subdir];
      await serialized(
        () => git(["-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=zip", "--prefix=prefix/", hash, ...paths], destFile)
      );
    }
  };
}
function createGitRepos() {
  const repos = /* @__PURE__ */ new Map();
  let root;
  let count2 = 0;
  const makeDir = async () => {
    root ??= mkdtemp(join6(tmpdir(), "goset-vcs-"));
    const d = join6(await root, `repo-${++count2}`);
    await mkdir2(d);
    return d;
  };
  return {
    open(url, env, config) {
      let repo = repos.get(url);
      if (repo === void 0) {
        repo = openGitRepo({ url, env, config, makeDir });
        repos.set(url, repo);
      }
      return repo;
    },
    async close() {
      const dir = await root?.catch(() => void 0);
      if (dir !== void 0) await rm2(dir, { recursive: true, force: true });
    }
  };
}

// generator/vcs/modfiles.ts
function cleanPath(p) {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out = [];
  for (const elem of p.split("/")) {
    if (elem === "" || elem === ".") continue;
    if (elem === ".." && out.length > 0 && out.at(-1) !== "..") out.pop();
    else if (elem === ".." && rooted) continue;
    else out.push(elem);
  }
  const joined = out.join("/");
  return rooted ? `/${joined}` : joined === "" ? "." : joined;
}
function languageVersion(goLine) {
  const m = /^(\d+)\.(\d+)/.exec(goLine ?? "");
  return m === null ? void 0 : [Number(m[1]), Number(m[2])];
}
function atLeastGo124(goLine) {
  const v = languageVersion(goLine);
  return v !== void 0 && (v[0] > 1 || v[0] === 1 && v[1] >= 24);
}
function isVendoredPackage(name, goLine) {
  const go124 = atLeastGo124(goLine);
  if (go124 && name === "vendor/modules.txt") return true;
  let i;
  if (name.startsWith("vendor/")) {
    i = "vendor/".length;
  } else {
    const j = name.indexOf("/vendor/");
    if (j < 0) return false;
    i = go124 ? j + "/vendor/".length : "/vendor/".length;
  }
  return name.slice(i).includes("/");
}
function parentDirs(p) {
  const dirs = [];
  for (let slash = p.lastIndexOf("/"); slash > 0; slash = p.lastIndexOf("/", slash - 1)) dirs.push(p.slice(0, slash + 1));
  return dirs;
}
function checkCollision2(seen, p) {
  let cur = p;
  let isDir = false;
  for (; ; ) {
    const other = seen.get(foldName(cur));
    if (other === void 0) seen.set(foldName(cur), { path: cur, isDir });
    else if (other.path !== cur) return `case-insensitive file name collision: "${other.path}" and "${cur}"`;
    else if (other.isDir !== isDir) return `entry "${cur}" is both a file and a directory`;
    else if (!isDir) return `multiple entries for file "${cur}"`;
    const slash = cur.lastIndexOf("/");
    if (slash < 0) return void 0;
    cur = cur.slice(0, slash);
    isDir = true;
  }
}
function selectModuleFiles(files, goLine) {
  const valid = [];
  const omitted = [];
  const invalid3 = [];
  const reported = /* @__PURE__ */ new Set();
  const report = (list2, path, reason) => {
    if (reported.has(path)) return;
    reported.add(path);
    list2.push({ path, reason });
  };
  const moduleDirs = /* @__PURE__ */ new Set();
  for (const f of files) {
    const slash = f.path.lastIndexOf("/");
    if (f.kind === "file" && foldName(f.path.slice(slash + 1)) === "go.mod") moduleDirs.add(f.path.slice(0, slash + 1));
  }
  const inNestedModule = (p) => parentDirs(p).some((d) => moduleDirs.has(d));
  const seen = /* @__PURE__ */ new Map();
  let budget = MAX_ZIP_FILE;
  for (const f of files) {
    const p = f.path;
    if (p !== cleanPath(p)) report(invalid3, p, "file path is not clean");
    else if (p.startsWith("/")) report(invalid3, p, "file path is not relative");
    else if (isVendoredPackage(p, goLine)) report(omitted, p, "file is in vendor directory");
    else if (inNestedModule(p)) report(omitted, p, "file is in another module");
    else if (p === ".hg_archival.txt") report(omitted, p, "file is inserted by 'hg archive' and is always omitted");
    else {
      const badPath = f.validUtf8 === false ? "invalid UTF-8" : checkFilePath(p);
      if (badPath !== void 0) report(invalid3, p, `malformed file path "${p}": ${badPath}`);
      else if (p.toLowerCase() === "go.mod" && p !== "go.mod") report(invalid3, p, "go.mod files must have lowercase names");
      else {
        const collision = checkCollision2(seen, p);
        if (collision !== void 0) report(invalid3, p, collision);
        else if (f.kind === "symlink") report(omitted, p, "file is a symbolic link");
        else if (f.kind !== "file") report(omitted, p, "not a regular file");
        else if (f.size > budget) report(invalid3, p, `module source tree too large (max size is ${MAX_ZIP_FILE} bytes)`);
        else if (p === "go.mod" && f.size > MAX_GO_MOD) report(invalid3, p, `go.mod file too large (max size is ${MAX_GO_MOD} bytes)`);
        else if (p === "LICENSE" && f.size > MAX_LICENSE) report(invalid3, p, `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`);
        else {
          budget -= f.size;
          valid.push(f);
        }
      }
    }
  }
  return { valid, omitted, invalid: invalid3 };
}

// generator/vcs/zipwriter.ts
import { createWriteStream as createWriteStream2 } from "node:fs";
import { once } from "node:events";
import { crc32 as crc322, deflateRawSync } from "node:zlib";
var MAX_ENTRIES = 65535;
var MAX_OFFSET = 4294967295;
var FLAG_UTF8 = 2048;
var DOS_DATE_1980 = 33;
var EXTERNAL_ATTRS = 33060 << 16 >>> 0;
var MADE_BY_UNIX = 3 << 8 | 20;
var ZipLimitError = class extends Error {
  name = "ZipLimitError";
};
function deflatedEntry(name, bytes) {
  const data = deflateRawSync(bytes);
  return { name, method: 8, crc32: crc322(bytes), compressedSize: data.length, uncompressedSize: bytes.length, data };
}
function localHeader(e, name, flags) {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(67324752, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(DOS_DATE_1980, 12);
  h.writeUInt32LE(e.crc32 >>> 0, 14);
  h.writeUInt32LE(e.compressedSize, 18);
  h.writeUInt32LE(e.uncompressedSize, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, name]);
}
function centralHeader(e, name, flags, offset) {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(33639248, 0);
  h.writeUInt16LE(MADE_BY_UNIX, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(flags, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(0, 12);
  h.writeUInt16LE(DOS_DATE_1980, 14);
  h.writeUInt32LE(e.crc32 >>> 0, 16);
  h.writeUInt32LE(e.compressedSize, 20);
  h.writeUInt32LE(e.uncompressedSize, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(EXTERNAL_ATTRS, 38);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, name]);
}
function endOfCentralDirectory(count2, size, offset) {
  const h = Buffer.alloc(22);
  h.writeUInt32LE(101010256, 0);
  h.writeUInt16LE(count2, 8);
  h.writeUInt16LE(count2, 10);
  h.writeUInt32LE(size, 12);
  h.writeUInt32LE(offset, 16);
  return h;
}
async function write(out, chunk) {
  if (!out.write(chunk)) await once(out, "drain");
}
async function writeZip(destFile, entries2) {
  const out = createWriteStream2(destFile);
  const failed = once(out, "error").then(([e]) => Promise.reject(e));
  failed.catch(() => void 0);
  const central = [];
  let offset = 0;
  const body = async () => {
    for (const e of entries2) {
      if (central.length >= MAX_ENTRIES) throw new ZipLimitError(`more than ${MAX_ENTRIES} files`);
      const name = Buffer.from(e.name, "utf8");
      const flags = /^[\x00-\x7f]*$/.test(e.name) ? 0 : FLAG_UTF8;
      const header = localHeader(e, name, flags);
      central.push(centralHeader(e, name, flags, offset));
      await write(out, header);
      let written = 0;
      for await (const chunk of Buffer.isBuffer(e.data) ? [e.data] : await e.data()) {
        written += chunk.length;
        await write(out, chunk);
      }
      if (written !== e.compressedSize) throw new Error(`entry ${e.name}: ${written} bytes, expected ${e.compressedSize}`);
      offset += header.length + written;
      if (offset > MAX_OFFSET) throw new ZipLimitError("zip larger than 4 GiB");
    }
    const directory = Buffer.concat(central);
    await write(out, directory);
    await write(out, endOfCentralDirectory(central.length, directory.length, offset));
    out.end();
    await once(out, "finish");
  };
  try {
    await Promise.race([body(), failed]);
  } catch (e) {
    out.destroy();
    throw e;
  }
}

// generator/vcs/coderepo.ts
var CodeRepoError = class extends Error {
  name = "CodeRepoError";
};
var INCOMPATIBLE = "+incompatible";
function writeFailure(file, e) {
  return new GosetError("GOSET_WRITE", `${file}: ${e.message}`, {
    hint: "Check that the destination directory is writable and the disk is not full.",
    cause: e
  });
}
function hasPathPrefix(path, prefix) {
  return path === prefix || path.startsWith(prefix) && (prefix.endsWith("/") || path[prefix.length] === "/");
}
function joinDir(...parts) {
  return parts.filter((p) => p !== "").join("/");
}
var trimIncompatible = (v) => v.endsWith(INCOMPATIBLE) ? v.slice(0, -INCOMPATIBLE.length) : v;
function moduleLayout(root, subdir, modPath) {
  if (!hasPathPrefix(modPath, root)) throw new CodeRepoError(`mismatched repo: found ${root} for ${modPath}`);
  const split = splitPathVersion(modPath);
  if (!split.ok) throw new CodeRepoError(`invalid module path "${modPath}"`);
  const pathPrefix = root === modPath ? modPath : split.prefix;
  let codeDir = "";
  if (root !== modPath) {
    if (!hasPathPrefix(pathPrefix, root)) throw new CodeRepoError(`repository rooted at ${root} cannot contain module ${modPath}`);
    codeDir = pathPrefix.slice(root.length).replace(/^\/+|\/+$/g, "");
  }
  return { modPath, root, codeDir: joinDir(codeDir, subdir), pathMajor: split.pathMajor, pathPrefix };
}
function modulePathOfGoMod(text) {
  for (const raw2 of text.split("\n")) {
    const line = raw2.split("//")[0]?.trim() ?? "";
    if (!line.startsWith("module")) continue;
    const rest = line.slice("module".length);
    const trimmed = rest.trim();
    if (trimmed.length === rest.length || trimmed === "") continue;
    if (trimmed.startsWith("`")) return trimmed.length > 1 && trimmed.endsWith("`") ? trimmed.slice(1, -1) : "";
    if (trimmed.startsWith('"')) {
      try {
        return JSON.parse(trimmed);
      } catch {
        return "";
      }
    }
    return trimmed;
  }
  return "";
}
function isMajor(mpath, pathMajor) {
  if (mpath === "") return false;
  const split = splitPathVersion(mpath);
  if (!split.ok) return false;
  if (pathMajor === "") {
    const m = split.pathMajor.replace(/^[./]/, "").replace(/-unstable$/, "");
    return m === "" || m === "v0" || m === "v1";
  }
  return split.pathMajor !== "" && pathMajor.slice(1) === split.pathMajor.slice(1);
}
function versionsFromTags(tags, layout) {
  const prefix = layout.codeDir === "" ? "" : `${layout.codeDir}/`;
  const list2 = [];
  const incompatible = [];
  for (const tag of tags) {
    if (!tag.startsWith(prefix)) continue;
    const v = tag.slice(prefix.length);
    if (v === "" || v !== canonical(v) || isPseudoVersion(v)) continue;
    if (describePathMajorMismatch(v, layout.pathMajor) !== void 0) {
      if (layout.codeDir === "" && layout.pathMajor === "" && major(v) > "v1") incompatible.push(v);
      continue;
    }
    list2.push(v);
  }
  return { list: sortVersions(list2), incompatible: sortVersions(incompatible) };
}
function revisionFor(version, codeDir) {
  if (isPseudoVersion(version)) return pseudoVersionRev(version);
  const base = build(version) === INCOMPATIBLE ? trimIncompatible(version) : version;
  return codeDir === "" ? base : `${codeDir}/${base}`;
}
function pseudoVersionRev(v) {
  const body = v.split("+")[0] ?? v;
  return body.slice(body.lastIndexOf("-") + 1);
}
function pseudoVersionTime(v) {
  const body = v.split("+")[0] ?? v;
  const rest = body.slice(0, body.lastIndexOf("-"));
  return rest.slice(-14);
}
function formatTime(seconds) {
  return new Date(seconds * 1e3).toISOString().replace(/\.000Z$/, "Z");
}
function compactTime(seconds) {
  return formatTime(seconds).replace(/[-:TZ]/g, "");
}
function entryKind(e) {
  const creator = e.versionMadeBy >>> 8;
  if (creator === 3 || creator === 19) {
    const type = e.externalFileAttributes >>> 16 & 61440;
    if (type === 40960) return "symlink";
    return type === 0 || type === 32768 ? "file" : "other";
  }
  if ((creator === 0 || creator === 11 || creator === 14) && (e.externalFileAttributes & 16) !== 0) return "other";
  return "file";
}
var utf82 = new TextDecoder("utf-8", { fatal: true });
async function readStream(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}
function goLineOf(goMod) {
  if (goMod === void 0) return void 0;
  try {
    return parseGoMod(goMod.toString("utf8"), "go.mod", { strict: false }).go;
  } catch {
    return void 0;
  }
}
async function archiveFiles(zip, dir) {
  const files = [];
  let goMod;
  let top;
  const sub = dir === "" ? "" : `${dir}/`;
  for await (const e of zip.eachEntry()) {
    let name;
    let validUtf8 = true;
    try {
      name = utf82.decode(e.fileNameRaw);
    } catch {
      name = new TextDecoder("utf-8").decode(e.fileNameRaw);
      validUtf8 = false;
    }
    if (top === void 0) {
      const slash = name.indexOf("/");
      if (slash < 0) throw new CodeRepoError("git archive: missing top-level directory prefix");
      top = name.slice(0, slash + 1);
    }
    if (!name.startsWith(top)) throw new CodeRepoError("git archive: zip file contains more than one top-level directory");
    if (!name.startsWith(top + sub)) continue;
    const path = name.slice(top.length + sub.length);
    if (path === "" || path.endsWith("/")) continue;
    if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
      throw new CodeRepoError(`git archive: ${path} uses compression method ${e.compressionMethod}`);
    }
    if (path === "go.mod") goMod = await readStream(await zip.openReadStreamPromise(e));
    const entry = {
      name: path,
      method: e.compressionMethod,
      crc32: e.crc32,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
      data: () => zip.openReadStreamPromise(e, e.compressionMethod === 8 ? { decompress: false } : {})
    };
    files.push({ path, kind: entryKind(e), size: e.uncompressedSize, validUtf8, entry });
  }
  return { files, goMod };
}
function createCodeRepo(git, layout) {
  const { modPath, codeDir, pathMajor, pathPrefix, root } = layout;
  const problem = (version, what) => new CodeRepoError(`${modPath}@${version}: ${what}`);
  async function statRevision(version) {
    const rev = revisionFor(version, codeDir);
    if (!isPseudoVersion(version) && !(await git.refs()).has(`refs/tags/${rev}`)) {
      throw new UnknownRevision(`unknown revision ${rev}`);
    }
    return git.stat(rev);
  }
  async function readGoModAt(hash, file) {
    const bytes = await git.readFile(hash, file);
    return { bytes, mpath: bytes === void 0 ? "" : modulePathOfGoMod(bytes.toString("utf8")) };
  }
  async function findDir(version) {
    const { hash } = await statRevision(version);
    const file1 = joinDir(codeDir, "go.mod");
    const g1 = await readGoModAt(hash, file1);
    const found1 = g1.bytes !== void 0 && (isMajor(g1.mpath, pathMajor) || pathMajor === "" && g1.mpath.startsWith("gopkg.in/"));
    let file2 = "";
    if (pathMajor !== "" && root !== modPath && !pathMajor.startsWith(".")) {
      const dir2 = joinDir(codeDir, pathMajor.slice(1));
      file2 = joinDir(dir2, "go.mod");
      const g2 = await readGoModAt(hash, file2);
      const found2 = g2.bytes !== void 0 && isMajor(g2.mpath, pathMajor);
      if (found1 && found2) throw problem(version, `${pathPrefix}/${file1} and ...${pathMajor}/go.mod both have ...${pathMajor} module paths`);
      if (found2) return { hash, dir: dir2, goMod: g2.bytes };
      if (g2.bytes !== void 0) {
        throw problem(version, g2.mpath === "" ? `${root}/${file2} is missing module path` : `${root}/${file2} has non-...${pathMajor} module path "${g2.mpath}"`);
      }
    }
    if (found1) return { hash, dir: codeDir, goMod: g1.bytes };
    if (g1.bytes !== void 0) {
      const suffix = file2 === "" ? "" : ` (and ...${pathMajor}/go.mod does not exist)`;
      throw problem(version, g1.mpath === "" ? `${file1} is missing module path${suffix}` : `${file1} has module path "${g1.mpath}"${suffix}, which does not fit ${modPath}`);
    }
    if (codeDir === "" && (pathMajor === "" || pathMajor.startsWith("."))) return { hash, dir: "", goMod: void 0 };
    throw problem(version, file2 === "" ? `missing ${pathPrefix}/go.mod` : `missing ${pathPrefix}/go.mod and ...${pathMajor}/go.mod`);
  }
  async function canUseIncompatible(v, statVers, hash) {
    if (codeDir !== "" || pathMajor !== "") return false;
    if (await git.readFile(hash, "go.mod") !== void 0) return false;
    if (!statVers.endsWith(INCOMPATIBLE) && await git.readFile(hash, `${major(v)}/go.mod`) !== void 0) return false;
    return true;
  }
  async function checkCanonical(statVers, hash) {
    await findDir(statVers);
    const base = trimIncompatible(statVers);
    let v = statVers;
    if (describePathMajorMismatch(base, pathMajor) !== void 0) {
      if (!await canUseIncompatible(base, statVers, hash)) {
        throw problem(
          statVers,
          pathMajor !== "" ? "module path includes a major version suffix, so major version must match" : `module contains a go.mod file, so module path must match major version ("${pathPrefix}/${major(base)}")`
        );
      }
      v = base + INCOMPATIBLE;
    } else if (statVers.endsWith(INCOMPATIBLE)) {
      throw problem(statVers, `+incompatible suffix not allowed: major version ${major(base)} is compatible`);
    }
    return v;
  }
  async function stat6(version) {
    if (!isValid(version) || canonicalModuleVersion(version) !== version) {
      throw problem(version, "update-set resolves only canonical versions (tags and pseudo-versions) from version control");
    }
    const info = await statRevision(version);
    if (isPseudoVersion(version)) {
      const rev = pseudoVersionRev(version);
      if (rev !== info.hash.slice(0, 12)) throw problem(version, `does not match short name of revision (expected ${info.hash.slice(0, 12)})`);
      if (pseudoVersionTime(version) !== compactTime(info.time)) {
        throw problem(version, `does not match version-control timestamp (expected ${compactTime(info.time)})`);
      }
    }
    return { Version: await checkCanonical(version, info.hash), Time: formatTime(info.time) };
  }
  async function versionHasGoMod(v) {
    const { hash } = await git.stat(v);
    return await git.readFile(hash, "go.mod") !== void 0;
  }
  async function appendIncompatible(list2, incompatible) {
    if (incompatible.length === 0 || pathMajor !== "") return list2;
    const last = list2.at(-1);
    if (last !== void 0 && await versionHasGoMod(last)) return list2;
    const out = [...list2];
    const majors = [...new Set(incompatible.map(major))];
    for (const m of majors) {
      const atMajor = incompatible.filter((v) => major(v) === m);
      if (await versionHasGoMod(atMajor.at(-1))) continue;
      out.push(...atMajor.map((v) => v + INCOMPATIBLE));
    }
    return out;
  }
  async function zip(version, destFile) {
    if (isPseudoVersion(version)) await stat6(version);
    const { hash, dir } = await findDir(version);
    const archiveFile = `${destFile}.git.zip`;
    const part = `${destFile}.part`;
    await mkdir3(dirname2(destFile), { recursive: true }).catch((e) => {
      throw writeFailure(dirname2(destFile), e);
    });
    try {
      await git.archive(hash, dir, archiveFile);
      const archive = await yauzl2.openPromise(archiveFile, { lazyEntries: true, autoClose: false, decodeStrings: false });
      try {
        const { files, goMod } = await archiveFiles(archive, dir);
        if (dir !== "" && !files.some((f) => f.path === "LICENSE")) {
          const license = await git.readFile(hash, "LICENSE");
          if (license !== void 0) files.push({ path: "LICENSE", kind: "file", size: license.length, entry: deflatedEntry("LICENSE", license) });
        }
        const chosen = selectModuleFiles(files, goLineOf(goMod));
        if (chosen.invalid.length > 0) {
          const list2 = chosen.invalid.slice(0, 5).map((p) => `${p.path}: ${p.reason}`).join("; ");
          throw problem(version, `cannot make a module zip: ${list2}`);
        }
        const prefix = `${modPath}@${version}/`;
        await writeZip(part, chosen.valid.map((f) => ({ ...f.entry, name: prefix + f.path }))).catch((e) => {
          throw e instanceof ZipLimitError ? problem(version, `cannot make a module zip: ${e.message}`) : writeFailure(part, e);
        });
      } finally {
        archive.close();
      }
      await rename2(part, destFile).catch((e) => {
        throw writeFailure(destFile, e);
      });
      return (await statFile(destFile)).size;
    } finally {
      await rm3(archiveFile, { force: true });
      await rm3(part, { force: true });
    }
  }
  return {
    async versions() {
      const tags = [...(await git.refs()).keys()].filter((r) => r.startsWith("refs/tags/")).map((r) => r.slice("refs/tags/".length));
      const { list: list2, incompatible } = versionsFromTags(tags, layout);
      return appendIncompatible(list2, incompatible);
    },
    stat: stat6,
    async goMod(version) {
      if (isPseudoVersion(version)) await stat6(version);
      const { goMod } = await findDir(version);
      return goMod ?? Buffer.from(synthesizeGoMod(modPath));
    },
    zip
  };
}
function latestOf(versions) {
  const releases = versions.filter((v) => prerelease(v) === "");
  return (releases.length > 0 ? releases : versions).at(-1);
}

// generator/vcs/meta.ts
import { request } from "undici";
var MAX_REDIRECTS = 10;
var MAX_PAGE_BYTES = 4 << 20;
var REDIRECTS = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
async function authorization(url, options) {
  if (url.protocol !== "https:") return {};
  const c = credentialsFor(await options.netrc(), url.host);
  if (c === void 0) return {};
  const token = Buffer.from(`${c.user}:${c.password}`).toString("base64");
  registerSecret(token);
  return { authorization: `Basic ${token}` };
}
async function readText(body) {
  const chunks = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk;
    size += buf.length;
    if (size > MAX_PAGE_BYTES) break;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}
async function fetchGoImportPage(start, options) {
  let url = start;
  for (let hops = 0; ; hops++) {
    const res = await request(url, {
      dispatcher: options.dispatcher,
      method: "GET",
      headers: { "user-agent": "goset-update-set", ...await authorization(url, options) },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs
    });
    const location = res.headers["location"];
    if (REDIRECTS.has(res.statusCode) && typeof location === "string") {
      await res.body.dump().catch(() => void 0);
      const next = new URL(location, url);
      if (hops >= MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
      if (start.protocol === "https:" && next.protocol !== "https:") {
        throw new Error(`redirected from secure URL ${redactUrl(url.href)} to insecure URL ${redactUrl(next.href)}`);
      }
      url = next;
      continue;
    }
    return { status: res.statusCode, body: await readText(res.body), url: redactUrl(url.href) };
  }
}

// generator/vcs/reporoot.ts
var RepoRootError = class extends Error {
  name = "RepoRootError";
  /** True when a repository refused the credentials it was offered (or got none). */
  auth;
  constructor(message, auth = false) {
    super(message);
    this.auth = auth;
  }
};
var W = "[0-9A-Za-z_.\\-]";
var VCS_SUFFIXES = [".git", ".hg", ".svn", ".bzr", ".fossil"];
var HOSTING_SITES = [
  { prefix: "github.com", pattern: new RegExp(`^(?<root>github\\.com/${W}+/${W}+)(/${W}+)*$`), noVcsSuffix: true },
  { prefix: "bitbucket.org", pattern: new RegExp(`^(?<root>bitbucket\\.org/${W}+/${W}+)(/${W}+)*$`), noVcsSuffix: true },
  { prefix: "hub.jazz.net/git", pattern: new RegExp(`^(?<root>hub\\.jazz\\.net/git/[a-z0-9]+/${W}+)(/${W}+)*$`), noVcsSuffix: true },
  { prefix: "git.apache.org", pattern: new RegExp(`^(?<root>git\\.apache\\.org/[a-z0-9_.\\-]+\\.git)(/${W}+)*$`), noVcsSuffix: false },
  { prefix: "git.openstack.org", pattern: new RegExp(`^(?<root>git\\.openstack\\.org/${W}+/${W}+)(\\.git)?(/${W}+)*$`), noVcsSuffix: false }
];
var QUALIFIED = new RegExp(
  `(?<root>(?<repo>([a-z0-9.\\-]+\\.)+[a-z0-9.\\-]+(:[0-9]+)?(/~?${W}+)+?)\\.(?<vcs>bzr|fossil|git|hg|svn))(/~?${W}+)*$`
);
function hasPathPrefix2(path, prefix) {
  if (path.length === prefix.length) return path === prefix;
  if (prefix === "") return true;
  if (path.length < prefix.length) return false;
  if (prefix.endsWith("/")) return path.startsWith(prefix);
  return path[prefix.length] === "/" && path.startsWith(prefix);
}
function matchStaticRepoRoot(path) {
  for (const site of HOSTING_SITES) {
    if (!hasPathPrefix2(path, site.prefix)) continue;
    const root = site.pattern.exec(path)?.groups?.["root"];
    if (root === void 0) throw new RepoRootError(`invalid ${site.prefix} import path "${path}"`);
    if (site.noVcsSuffix && VCS_SUFFIXES.some((s) => root.endsWith(s))) {
      throw new RepoRootError(`invalid version control suffix in ${site.prefix}/ path`);
    }
    return { kind: "url", vcs: "git", root, repoUrl: `https://${root}` };
  }
  const m = QUALIFIED.exec(path)?.groups;
  if (m?.["root"] === void 0 || m["repo"] === void 0 || m["vcs"] === void 0) return void 0;
  return { kind: "schemeless", vcs: m["vcs"], root: m["root"], repo: m["repo"] };
}
function gitSchemes(insecure) {
  const all = ["git", "https", "http", "git+ssh", "ssh"];
  return insecure ? all : all.filter((s) => s !== "git" && s !== "http");
}
function goGetUrl(importPath, scheme) {
  const slash = importPath.indexOf("/");
  const host = slash < 0 ? importPath : importPath.slice(0, slash);
  if (!host.includes(".")) throw new RepoRootError("import path does not begin with hostname");
  const rest = slash < 0 ? "/" : importPath.slice(slash);
  const url = new URL(`${scheme}://${host}`);
  url.pathname = rest;
  url.search = "go-get=1";
  return url;
}
var XML_ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, name) => {
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return XML_ENTITIES[name] ?? all;
  });
}
function parseAttributes(text) {
  const attrs = /* @__PURE__ */ new Map();
  const re = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (const m of text.matchAll(re)) {
    const name = (m[1] ?? "").toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return attrs;
}
function parseGoImports(html) {
  const found = [];
  const tags = /<!--[\s\S]*?-->|<[!?][^>]*>|<\/\s*([A-Za-z][^\s>]*)[^>]*>|<([A-Za-z][^\s/>]*)([^>]*)>/g;
  for (const m of html.matchAll(tags)) {
    const end = m[1]?.toLowerCase();
    const start = m[2]?.toLowerCase();
    if (end === "head" || start === "body") break;
    if (start !== "meta") continue;
    const attrs = parseAttributes(m[3] ?? "");
    if (attrs.get("name") !== "go-import") continue;
    const f = (attrs.get("content") ?? "").split(/\s+/).filter((w) => w !== "");
    if (f.length !== 3 && f.length !== 4) continue;
    found.push({ prefix: f[0], vcs: f[1], repoRoot: f[2], subdir: f[3] ?? "" });
  }
  const modPrefixes = new Set(found.filter((m) => m.vcs === "mod").map((m) => m.prefix));
  return [...found.filter((m) => m.vcs === "mod"), ...found.filter((m) => m.vcs !== "mod" && !modPrefixes.has(m.prefix))];
}
function matchGoImport(imports, importPath) {
  let match;
  for (const im of imports) {
    if (!hasPathPrefix2(importPath, im.prefix)) continue;
    if (match !== void 0) {
      if (match.vcs === "mod" && im.vcs !== "mod") break;
      throw new RepoRootError(`multiple meta tags match import path "${importPath}"`);
    }
    match = im;
  }
  if (match !== void 0) return match;
  const mismatches = imports.map((im) => `meta tag ${im.prefix} did not match import path ${importPath}`);
  throw new RepoRootError(mismatches.length === 0 ? "no go-import meta tags" : mismatches.join(", "));
}
function repoRootFromMeta(mi, page) {
  if (mi.subdir.startsWith("/") || mi.subdir.startsWith("-")) {
    throw new RepoRootError(`${page}: invalid subdirectory "${mi.subdir}"`);
  }
  let url;
  try {
    url = new URL(mi.repoRoot);
  } catch {
    throw new RepoRootError(`${page}: invalid repo root "${mi.repoRoot}": no scheme`);
  }
  if (url.protocol === "file:") throw new RepoRootError(`${page}: invalid repo root "${mi.repoRoot}": file scheme disallowed`);
  if (mi.vcs !== "git" && mi.vcs !== "mod") {
    throw new RepoRootError(`${page}: go-import names ${mi.vcs}; update-set fetches only git repositories and module proxies`);
  }
  return { vcs: mi.vcs, repoUrl: mi.repoRoot, root: mi.prefix, subdir: mi.subdir };
}

// generator/vcs/resolve.ts
import { STATUS_CODES } from "node:http";
function statusText(status) {
  return `${status} ${STATUS_CODES[status] ?? ""}`.trim();
}
async function getPage(importPath, insecure, deps) {
  try {
    return await deps.fetchPage(goGetUrl(importPath, "https"));
  } catch (e) {
    const reason = e.message;
    if (!insecure) throw new RepoRootError(`https fetch: ${reason}`);
    try {
      return await deps.fetchPage(goGetUrl(importPath, "http"));
    } catch (e2) {
      throw new RepoRootError(`http/https fetch: ${e2.message} (https: ${reason})`);
    }
  }
}
async function readImports(importPath, insecure, deps) {
  const page = await getPage(importPath, insecure, deps);
  const imports = parseGoImports(page.body);
  if (imports.length === 0 && page.status !== 200) {
    throw new RepoRootError(`reading ${page.url}: ${statusText(page.status)}`, page.status === 401 || page.status === 403);
  }
  return { url: page.url, imports };
}
async function pingSchemes(repo, insecure, deps) {
  const failures = [];
  let auth = false;
  for (const scheme of gitSchemes(insecure)) {
    const url = `${scheme}://${repo}`;
    const failed = await deps.ping(url);
    if (failed === void 0) return url;
    failures.push(`${url}: ${failed.reason}`);
    auth ||= failed.auth;
  }
  const why = `no ${insecure ? "" : "secure "}protocol found for repository ${repo} (${failures.join("; ")})`;
  throw new RepoRootError(why, auth);
}
function createRepoRootResolver(deps) {
  const roots = /* @__PURE__ */ new Map();
  const pages = /* @__PURE__ */ new Map();
  const importsFor = (prefix, insecure) => {
    let page = pages.get(prefix);
    if (page === void 0) {
      page = readImports(prefix, insecure, deps);
      pages.set(prefix, page);
    }
    return page;
  };
  async function resolveDynamic(path, insecure) {
    const page = await importsFor(path, insecure);
    const mi = matchGoImport(page.imports, path);
    if (mi.prefix !== path) {
      const own = await importsFor(mi.prefix, insecure).catch((e) => {
        throw new RepoRootError(`fetching ${mi.prefix}: ${e.message}`);
      });
      const again = (() => {
        try {
          return matchGoImport(own.imports, path);
        } catch {
          return void 0;
        }
      })();
      if (again === void 0 || JSON.stringify(again) !== JSON.stringify(mi)) {
        throw new RepoRootError(`${page.url} and ${own.url} disagree about go-import for ${mi.prefix}`);
      }
    }
    return repoRootFromMeta(mi, page.url);
  }
  async function resolve4(path) {
    const insecure = deps.insecure(path);
    const fixed = matchStaticRepoRoot(path);
    if (fixed !== void 0) {
      if (fixed.vcs !== "git") throw new RepoRootError(`${fixed.root} is a ${fixed.vcs} repository; update-set fetches only git`);
      const repoUrl = fixed.kind === "url" ? fixed.repoUrl : await pingSchemes(fixed.repo, insecure, deps);
      return { vcs: "git", repoUrl, root: fixed.root, subdir: "" };
    }
    try {
      return await resolveDynamic(path, insecure);
    } catch (e) {
      if (!(e instanceof RepoRootError)) throw e;
      throw new RepoRootError(`unrecognized import path "${path}": ${e.message}`, e.auth);
    }
  }
  return (path) => {
    let root = roots.get(path);
    if (root === void 0) {
      root = resolve4(path);
      roots.set(path, root);
    }
    return root;
  };
}

// generator/vcs/source.ts
var VCS_HINT = "update-set fetches modules that go direct (GONOPROXY/GOPRIVATE, or `direct` in GOPROXY) with the system git, as go does: check that `git ls-remote <repository>` works in this environment, or serve the module from a proxy in GOPROXY.";
function gitAuthHint(credentials) {
  return `Credentials offered to git: ${credentials}. git itself also reads ~/.netrc (through curl) and its credential helpers, and never prompts here (GIT_TERMINAL_PROMPT=0): add \`machine <host> login <user> password <token>\` to $NETRC or ~/.netrc, or configure a git credential helper (for ssh, load the key into ssh-agent).`;
}
function failureFrom(e, where, credentials) {
  if (e instanceof SourceFailure || isGosetError(e)) return e;
  if (e instanceof GitFailure || e instanceof RepoRootError) {
    const auth = e instanceof GitFailure ? e.isAuth : e.auth;
    return auth ? new SourceFailure("GOSET_VCS_AUTH", `${where}: ${e.message}`, { hint: gitAuthHint(credentials) }) : new SourceFailure("GOSET_VCS", `${where}: ${e.message}`, { hint: VCS_HINT });
  }
  return new SourceFailure("GOSET_VCS", `${where}: ${e instanceof Error ? e.message : String(e)}`, { hint: VCS_HINT });
}
function createDirectSource(options) {
  const repos = createGitRepos();
  const baseEnv = options.env ?? process.env;
  const backends = /* @__PURE__ */ new Map();
  async function credentialsForUrl(url) {
    const web = url.protocol === "https:" || url.protocol === "http:";
    const credentials = web ? credentialsFor(await options.netrc.read(), url.host) : void 0;
    const described = credentials !== void 0 ? `the netrc entry for ${url.host} in ${options.netrc.path} ($NETRC or ~/.netrc), through a credential helper` : web ? `none from update-set (no entry for ${url.host} in ${options.netrc.path})` : `none from update-set (${url.protocol.replace(/:$/, "")} uses ssh keys or the git protocol)`;
    return { credentials, described };
  }
  async function openRepo(url) {
    const { credentials, described } = await credentialsForUrl(new URL(url));
    const env = gitEnvironment(baseEnv, options.timeoutMs, credentials);
    return { repo: repos.open(url, env, gitConfigArgs(credentials !== void 0)), credentials: described };
  }
  const resolveRoot = createRepoRootResolver({
    insecure: (path) => matchPrefixPatterns(options.goinsecure, path),
    fetchPage: (url) => fetchGoImportPage(url, { dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, netrc: options.netrc.read }),
    ping: async (url) => {
      const { repo } = await openRepo(url);
      return repo.refs().then(
        () => void 0,
        (e) => {
          if (!(e instanceof GitFailure)) throw e;
          return { reason: e.message, auth: e.isAuth };
        }
      );
    }
  });
  async function makeBackend(path) {
    let root;
    try {
      root = await resolveRoot(path);
    } catch (e) {
      const host = path.split("/")[0] ?? path;
      throw failureFrom(e, `resolving ${path}`, (await credentialsForUrl(new URL(`https://${host}`))).described);
    }
    if (root.vcs === "mod") return { kind: "mod", source: options.proxySource(root.repoUrl) };
    const { repo, credentials } = await openRepo(root.repoUrl);
    try {
      return { kind: "git", code: createCodeRepo(repo, moduleLayout(root.root, root.subdir, path)), repoUrl: root.repoUrl, credentials };
    } catch (e) {
      throw failureFrom(e, `repository ${redactUrl(root.repoUrl)}`, credentials);
    }
  }
  const backendFor = (path) => {
    let b = backends.get(path);
    if (b === void 0) {
      b = makeBackend(path);
      backends.set(path, b);
    }
    return b;
  };
  async function withBackend(path, viaProxy, viaGit) {
    const backend = await backendFor(path);
    if (backend.kind === "mod") return viaProxy(backend.source);
    try {
      return await viaGit(backend.code);
    } catch (e) {
      throw failureFrom(e, `repository ${redactUrl(backend.repoUrl)}`, backend.credentials);
    }
  }
  const latest = (path) => withBackend(
    path,
    (s) => s.latest(path),
    async (code) => {
      const best = latestOf(await code.versions());
      if (best === void 0) throw new CodeRepoError(`${path} has no tagged versions (update-set resolves only tags and existing pseudo-versions from version control)`);
      return code.stat(best);
    }
  );
  return {
    label: "direct",
    listVersions: (path) => withBackend(path, (s) => s.listVersions(path), (code) => code.versions()),
    info: (path, version) => withBackend(path, (s) => s.info(path, version), (code) => code.stat(version)),
    latest,
    goMod: (path, version) => withBackend(path, (s) => s.goMod(path, version), (code) => code.goMod(version)),
    downloadZip: (path, version, destFile) => withBackend(
      path,
      (s) => s.downloadZip(path, version, destFile),
      async (code) => ({ bytes: await code.zip(version, destFile) })
    ),
    close: () => repos.close()
  };
}

// generator/proxy/agent.ts
import { createSecureContext, rootCertificates } from "node:tls";
import { Agent } from "undici";
var CONNECTIONS_PER_ORIGIN = 16;
var KEEP_ALIVE_MS = 1e4;
var contexts = /* @__PURE__ */ new Map();
function secureContextWith(extraCa) {
  let context = contexts.get(extraCa);
  if (context === void 0) {
    context = createSecureContext({ ca: [...rootCertificates, extraCa] });
    contexts.set(extraCa, context);
  }
  return context;
}
function createHttpAgent(timeoutMs, extraCa) {
  const connect = extraCa === void 0 ? { timeout: timeoutMs } : { timeout: timeoutMs, secureContext: secureContextWith(extraCa) };
  return new Agent({ connect, keepAliveTimeout: KEEP_ALIVE_MS, connections: CONNECTIONS_PER_ORIGIN });
}

// generator/proxy/file-fetcher.ts
import { createReadStream as createReadStream2 } from "node:fs";
import { stat as stat5 } from "node:fs/promises";
import { join as join7 } from "node:path";
import { fileURLToPath } from "node:url";
var MISSING = /* @__PURE__ */ new Set(["ENOENT", "ENOTDIR"]);
function createFileFetcher(baseUrl) {
  const root = fileURLToPath(baseUrl);
  return {
    label: baseUrl,
    async fetch(rel, consume) {
      const file = join7(root, ...rel.split("/"));
      try {
        const info = await stat5(file);
        if (!info.isFile()) throw notFound(`${file} is not a file`);
        return await consume(createReadStream2(file), info.size);
      } catch (e) {
        if (e instanceof SourceFailure || isGosetError(e)) throw e;
        const err = e;
        if (err.code !== void 0 && MISSING.has(err.code)) throw notFound(`no file ${file}`);
        throw new SourceFailure("GOSET_PROXY_HTTP", `reading ${file}: ${err.message}`);
      }
    }
  };
}

// generator/proxy/goproxy.ts
var HINT = "GOPROXY is a list of https://, http:// or file:// URLs separated by ',' (next on 404/410) or '|' (next on any error), optionally ending in 'direct' or 'off', e.g. GOPROXY=https://proxy.golang.org,direct. Fix it in the environment or with `go env -w GOPROXY=...`.";
function invalid(value2, reason) {
  return new GosetError("GOSET_ENV_INVALID", `GOPROXY=${redactUrlsIn(value2)}: ${reason}`, { hint: HINT });
}
function redactUrlsIn(value2) {
  return value2.split(/([,|])/).map((part) => redactUrl(part)).join("");
}
function parseProxyUrl(value2, raw2, fallThrough) {
  const isAbsPath = raw2.startsWith("/");
  const spelled = /[.:/]/.test(raw2) && !raw2.includes(":/") && !isAbsPath ? `https://${raw2}` : raw2;
  let url;
  try {
    url = new URL(spelled);
  } catch {
    throw invalid(value2, `invalid proxy URL ${redactUrl(spelled)} (missing scheme?)`);
  }
  const { user, password } = takeUserinfo(url);
  switch (url.protocol) {
    case "http:":
    case "https:":
      break;
    case "file:":
      if (!/^file:\/\/(\/|$)|^file:\/(?!\/)/i.test(spelled) || url.search !== "" || url.hash !== "" || user !== "") {
        throw invalid(value2, `invalid file:// proxy URL with non-path elements: ${redactUrl(spelled)}`);
      }
      break;
    default:
      throw invalid(value2, `invalid proxy URL scheme (must be https, http, file): ${redactUrl(spelled)}`);
  }
  const auth = user !== "" || password !== "" ? { user, password } : void 0;
  return auth === void 0 ? { kind: "url", url: url.href, fallThrough } : { kind: "url", url: url.href, auth, fallThrough };
}
function parseGoProxy(value2) {
  const entries2 = [];
  const parts = value2.split(/([,|])/);
  for (let i = 0; i < parts.length; i += 2) {
    const raw2 = parts[i].trim();
    const separator = parts[i + 1];
    if (raw2 === "") continue;
    if (raw2 === "off") {
      entries2.push({ kind: "off" });
      break;
    }
    if (raw2 === "direct") {
      entries2.push({ kind: "direct" });
      break;
    }
    entries2.push(parseProxyUrl(value2, raw2, separator === "|" ? "anyError" : "notFound"));
  }
  if (entries2.length === 0) throw invalid(value2, "the list contains no entries");
  return entries2;
}
function takeUserinfo(url) {
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (password !== "") registerSecret(password);
  else if (user !== "") registerSecret(user);
  url.username = "";
  url.password = "";
  return { user, password };
}

// generator/proxy/http-fetcher.ts
import { STATUS_CODES as STATUS_CODES2 } from "node:http";
import { request as request2 } from "undici";

// generator/proxy/retry.ts
import { setTimeout as sleep } from "node:timers/promises";
var MAX_DELAY_MS = 3e4;
function parseRetryAfter(value2, now = Date.now()) {
  if (value2 === void 0) return void 0;
  const trimmed = value2.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  if (!/^[A-Za-z]{3}, /.test(trimmed)) return void 0;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - now);
}
function retryDelayMs(attempt, backoffMs, retryAfterMs, random = Math.random) {
  if (retryAfterMs !== void 0) return Math.min(retryAfterMs, MAX_DELAY_MS);
  const ceiling = Math.min(backoffMs * 2 ** attempt, MAX_DELAY_MS);
  return ceiling / 2 + random() * (ceiling / 2);
}
async function withRetries(policy, attempt) {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof SourceFailure) || !e.retryable) throw e;
      if (n >= policy.retries) {
        const suffix = n === 0 ? "" : ` (after ${n + 1} attempts)`;
        throw new SourceFailure(e.code, e.message + suffix, e.hint === void 0 ? {} : { hint: e.hint });
      }
      await sleep(retryDelayMs(n, policy.backoffMs, e.retryAfterMs));
    }
  }
}

// generator/proxy/http-fetcher.ts
var MAX_REDIRECTS2 = 10;
var REDIRECT_STATUSES = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var TIMEOUT_CODES = /* @__PURE__ */ new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);
var FINAL_CODES = /* @__PURE__ */ new Set(["UND_ERR_NOT_SUPPORTED", "UND_ERR_CLOSED", "UND_ERR_DESTROYED"]);
var ERROR_BODY_BYTES = 1024;
var MAX_ERROR_BODY_BYTES = 64 * 1024;
function basicAuth(c) {
  const header = "Basic " + Buffer.from(`${c.user}:${c.password}`).toString("base64");
  registerSecret(header.slice("Basic ".length));
  return header;
}
function headerValue(value2) {
  return Array.isArray(value2) ? value2[0] : value2;
}
function statusLine(status) {
  const text = STATUS_CODES2[status];
  return text === void 0 ? String(status) : `${status} ${text}`;
}
async function readErrorSnippet(body) {
  const chunks = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk;
      if (size < ERROR_BODY_BYTES) chunks.push(buf);
      size += buf.length;
      if (size > MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
  }
  const text = Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString("utf8").replace(/[^\x20-\x7e]+/g, " ").trim();
  if (text === "") return "";
  return `: ${text.length > 200 ? text.slice(0, 200) + "..." : text}`;
}
function failureForStatus(status, retryAfter, snippet, auth) {
  const detail = statusLine(status) + snippet;
  if (status === 404 || status === 410) return notFound(detail);
  if (status === 403 && auth.header === void 0 && snippet !== "") {
    return new SourceFailure("GOSET_PROXY_HTTP", `the proxy refused this module version (${detail})`, {
      hint: "the proxy does not serve it (see its message); pick another version, or list a proxy that serves it in GOPROXY. If the proxy needs credentials, add them to $NETRC or ~/.netrc."
    });
  }
  if (status === 401 || status === 403) {
    return new SourceFailure("GOSET_PROXY_AUTH", detail, { hint: `Credentials sent: ${auth.source}.` });
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(retryAfter) : void 0;
    return new SourceFailure(
      "GOSET_PROXY_HTTP",
      detail,
      retryAfterMs === void 0 ? { retryable: true } : { retryable: true, retryAfterMs }
    );
  }
  return new SourceFailure("GOSET_PROXY_HTTP", `unexpected ${detail}`);
}
function failureForError(e, timeoutMs) {
  if (e instanceof SourceFailure || isGosetError(e) || !(e instanceof Error)) return e;
  const code = e.code ?? "";
  if (TIMEOUT_CODES.has(code)) {
    const what = code === "UND_ERR_CONNECT_TIMEOUT" ? "could not connect" : code === "UND_ERR_HEADERS_TIMEOUT" ? "no response" : "response body stalled";
    return new SourceFailure("GOSET_PROXY_TIMEOUT", `${what} within ${timeoutMs} ms`, { retryable: true });
  }
  const retryable = !code.startsWith("UND_ERR_INVALID") && !FINAL_CODES.has(code);
  return new SourceFailure("GOSET_PROXY_HTTP", `${e.message}${code === "" ? "" : ` (${code})`}`, { retryable });
}
function joinUrl(base, rel) {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/+$/, "") + "/" + rel;
  return url;
}
function createHttpFetcher(baseUrl, urlAuth, dispatcher, options, netrc) {
  const baseOrigin = new URL(baseUrl).origin;
  async function authFor(url) {
    const secure = url.protocol === "https:";
    if (secure) {
      const c = credentialsFor(await netrc.read(), url.host);
      if (c !== void 0) {
        return { header: basicAuth(c), source: `the netrc entry for ${url.host} in ${netrc.path} ($NETRC or ~/.netrc)` };
      }
    }
    if (urlAuth !== void 0 && url.origin === baseOrigin) {
      return { header: basicAuth(urlAuth), source: "the user:password in the GOPROXY URL" };
    }
    return {
      header: void 0,
      source: secure ? `none (no entry for ${url.host} in ${netrc.path} and no user:password in the GOPROXY URL)` : `none (${url.host} is plain http: credentials are only sent over https)`
    };
  }
  async function open2(rel) {
    const start = joinUrl(baseUrl, rel);
    if (urlAuth !== void 0 && start.protocol !== "https:") {
      throw new SourceFailure("GOSET_PROXY_AUTH", `refusing to pass credentials to insecure URL ${baseUrl}`, {
        hint: "Credentials in a GOPROXY URL are sent over https only: use an https URL for that proxy."
      });
    }
    let url = start;
    for (let hops = 0; ; hops++) {
      const auth = await authFor(url);
      const headers = { "user-agent": "goset-update-set" };
      if (auth.header !== void 0) headers["authorization"] = auth.header;
      const res = await request2(url, {
        dispatcher,
        method: "GET",
        headers,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs
      });
      if (res.statusCode === 200) {
        const length = headerValue(res.headers["content-length"]);
        return { body: res.body, contentLength: length === void 0 ? void 0 : Number(length) };
      }
      const location = headerValue(res.headers["location"]);
      if (REDIRECT_STATUSES.has(res.statusCode) && location !== void 0) {
        await res.body.dump().catch(() => void 0);
        if (hops >= MAX_REDIRECTS2) {
          throw new SourceFailure("GOSET_PROXY_HTTP", `stopped after ${MAX_REDIRECTS2} redirects`);
        }
        let next;
        try {
          next = new URL(location, url);
        } catch {
          throw new SourceFailure("GOSET_PROXY_HTTP", `${statusLine(res.statusCode)} with an invalid Location`);
        }
        if (next.protocol !== "https:" && next.protocol !== "http:") {
          throw new SourceFailure("GOSET_PROXY_HTTP", `redirected to unsupported URL ${redactUrl(next.href)}`);
        }
        if (start.protocol === "https:" && next.protocol !== "https:") {
          throw new SourceFailure(
            "GOSET_PROXY_HTTP",
            `redirected from secure URL ${redactUrl(url.href)} to insecure URL ${redactUrl(next.href)}`
          );
        }
        url = next;
        continue;
      }
      const snippet = await readErrorSnippet(res.body);
      const failure = failureForStatus(res.statusCode, headerValue(res.headers["retry-after"]), snippet, auth);
      if (url === start) throw failure;
      throw new SourceFailure(failure.code, `${failure.message} (at ${redactUrl(url.href)})`, {
        retryable: failure.retryable,
        ...failure.retryAfterMs === void 0 ? {} : { retryAfterMs: failure.retryAfterMs },
        ...failure.hint === void 0 ? {} : { hint: failure.hint }
      });
    }
  }
  return {
    label: baseUrl,
    fetch(rel, consume) {
      return withRetries(options, async () => {
        try {
          const { body, contentLength } = await open2(rel);
          try {
            return await consume(body, contentLength);
          } finally {
            if (!body.readableEnded) body.destroy();
          }
        } catch (e) {
          throw failureForError(e, options.timeoutMs);
        }
      });
    }
  };
}

// generator/proxy/source.ts
import { createWriteStream as createWriteStream3 } from "node:fs";
import { mkdir as mkdir4, rename as rename3, rm as rm4 } from "node:fs/promises";
import { dirname as dirname3 } from "node:path";
import { Transform } from "node:stream";
import { pipeline as pipeline2 } from "node:stream/promises";
var MAX_SMALL_BYTES = 16 << 20;
var MAX_ZIP_BYTES = 500 << 20;
async function readAll(body, contentLength, limit) {
  if (contentLength !== void 0 && contentLength > limit) {
    throw new SourceFailure("GOSET_PROXY_HTTP", `response of ${contentLength} bytes exceeds the ${limit}-byte limit`);
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk;
    size += buf.length;
    if (size > limit) throw new SourceFailure("GOSET_PROXY_HTTP", `response exceeds the ${limit}-byte limit`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
function tooLarge(code, limit, what) {
  return new SourceFailure(code, `${what} exceeds the ${limit}-byte limit`);
}
function writeFailure2(file, e) {
  return new GosetError("GOSET_WRITE", `${file}: ${e.message}`, {
    hint: "Check that the destination directory is writable and the disk is not full.",
    cause: e
  });
}
async function writeBodyToFile(body, contentLength, destFile, limit) {
  if (contentLength !== void 0 && contentLength > limit) {
    throw tooLarge("GOSET_ZIP_TOO_LARGE", limit, `zip of ${contentLength} bytes`);
  }
  const part = destFile + ".part";
  await mkdir4(dirname3(destFile), { recursive: true }).catch((e) => {
    throw writeFailure2(dirname3(destFile), e);
  });
  let bytes = 0;
  const out = createWriteStream3(part);
  let writeError;
  out.on("error", (e) => {
    writeError = e;
  });
  const counter = new Transform({
    transform(chunk, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) callback(tooLarge("GOSET_ZIP_TOO_LARGE", limit, "zip"));
      else callback(null, chunk);
    }
  });
  try {
    await pipeline2(body, counter, out);
    if (contentLength !== void 0 && bytes !== contentLength) {
      throw new SourceFailure("GOSET_PROXY_HTTP", `truncated body: got ${bytes} of ${contentLength} bytes`, {
        retryable: true
      });
    }
    await rename3(part, destFile).catch((e) => {
      throw writeFailure2(destFile, e);
    });
    return bytes;
  } catch (e) {
    await rm4(part, { force: true });
    const local = e === writeError && body.errored === null && !(e instanceof SourceFailure);
    throw local ? writeFailure2(part, e) : e;
  }
}
function parseRevInfo(data, what) {
  let parsed;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    throw new SourceFailure("GOSET_PROXY_HTTP", `invalid JSON in ${what}`);
  }
  const { Version: version, Time: time } = parsed ?? {};
  if (typeof version !== "string" || version === "") {
    throw new SourceFailure("GOSET_PROXY_HTTP", `${what} has no Version`);
  }
  return typeof time === "string" ? { Version: version, Time: time } : { Version: version };
}
function parseVersionList(text) {
  const versions = /* @__PURE__ */ new Set();
  for (const line of text.split("\n")) {
    const first = line.trim().split(/\s+/)[0] ?? "";
    if (isValid(first) && !isPseudoVersion(first)) versions.add(first);
  }
  return sortVersions(versions);
}
function pickLatest(text) {
  const all = text.split("\n").map((line) => line.trim().split(/\s+/)[0] ?? "").filter((v) => isValid(v));
  const rank = (v) => isPseudoVersion(v) ? 0 : prerelease(v) !== "" ? 1 : 2;
  let best;
  for (const v of all) {
    if (best === void 0 || rank(v) > rank(best) || rank(v) === rank(best) && compare(v, best) > 0) best = v;
  }
  return best;
}
function createProtocolSource(fetcher) {
  const small = (rel) => fetcher.fetch(rel, (body, length) => readAll(body, length, MAX_SMALL_BYTES));
  const info = async (path, version) => parseRevInfo(await small(`${escapePath(path)}/@v/${escapeVersion(version)}.info`), `${path}@${version} .info`);
  return {
    label: fetcher.label,
    async listVersions(path) {
      return parseVersionList((await small(`${escapePath(path)}/@v/list`)).toString("utf8"));
    },
    info,
    async latest(path) {
      try {
        return parseRevInfo(await small(`${escapePath(path)}/@latest`), `${path} @latest`);
      } catch (e) {
        if (!(e instanceof SourceFailure && e.notFound)) throw e;
      }
      const best = pickLatest((await small(`${escapePath(path)}/@v/list`)).toString("utf8"));
      if (best === void 0) throw notFound("no @latest and no versions in @v/list");
      return info(path, best);
    },
    goMod(path, version) {
      return small(`${escapePath(path)}/@v/${escapeVersion(version)}.mod`);
    },
    async downloadZip(path, version, destFile) {
      const rel = `${escapePath(path)}/@v/${escapeVersion(version)}.zip`;
      const bytes = await fetcher.fetch(rel, (body, length) => writeBodyToFile(body, length, destFile, MAX_ZIP_BYTES));
      return { bytes };
    }
  };
}
function createUnavailableSource(kind) {
  const fail = () => Promise.reject(new SourceFailure("GOSET_PROXY_OFF", "module lookup disabled by GOPROXY=off"));
  return { label: kind, listVersions: fail, info: fail, latest: fail, goMod: fail, downloadZip: fail };
}

// generator/proxy/client.ts
var ELEMENT_RE = /^[A-Za-z0-9._~-]+$/;
var REVISION_RE = /^[A-Za-z0-9._~+-]+$/;
var MARKERS = /* @__PURE__ */ new Set(["GOSET_PROXY_OFF"]);
var HEADLINES = {
  GOSET_PROXY_NOT_FOUND: "not found on any proxy",
  GOSET_PROXY_AUTH: "the proxy refused access",
  GOSET_PROXY_TIMEOUT: "the proxy timed out",
  GOSET_PROXY_HTTP: "the proxy request failed",
  GOSET_PROXY_OFF: "module lookup disabled by GOPROXY=off",
  GOSET_VCS: "fetching it from version control (direct) failed",
  GOSET_VCS_AUTH: "version control (direct) refused access",
  GOSET_ZIP_TOO_LARGE: "the module zip is too large"
};
var HINTS = {
  GOSET_PROXY_NOT_FOUND: "Check the module path and version (case matters). A private module needs a proxy that serves it in GOPROXY.",
  GOSET_PROXY_AUTH: "Add a `machine <host> login <user> password <token>` entry to $NETRC or ~/.netrc (https only), or put user:password@ in the https GOPROXY URL.",
  GOSET_PROXY_TIMEOUT: "Check the network and the proxy, or retry later.",
  GOSET_PROXY_HTTP: "Retry later, or list a fallback proxy after '|' in GOPROXY.",
  GOSET_PROXY_OFF: "Set GOPROXY to a proxy (e.g. https://proxy.golang.org) or a file:// module cache so update-set can fetch modules.",
  GOSET_ZIP_TOO_LARGE: "Module zips are limited to 500 MiB; such a module cannot be part of the set."
};
function validatePath(path) {
  const elements = path.split("/");
  if (!elements.every((e) => ELEMENT_RE.test(e) && e !== "." && e !== "..")) {
    throw new GosetError("GOSET_PATH_INVALID", `invalid module path ${JSON.stringify(path)}`, {
      hint: "Module paths are slash-separated elements of letters, digits and '-._~'."
    });
  }
}
function validateRevision(path, version, canonical2) {
  const ok = REVISION_RE.test(version) && (!canonical2 || canonicalModuleVersion(version) === version);
  if (!ok) {
    throw new GosetError("GOSET_VERSION_INVALID", `${path}@${version}: not a canonical module version`, {
      hint: "Use a canonical semantic version with the v prefix, e.g. v1.2.3 or v0.0.0-20240101000000-abcdef123456."
    });
  }
}
function reportWalkFailure(what, attempts) {
  const last = attempts.at(-1);
  const telling = attempts.filter((a) => !a.failure.notFound && !MARKERS.has(a.failure.code)).at(-1);
  const chosen = telling ?? (last !== void 0 && MARKERS.has(last.failure.code) ? last : void 0);
  const code = chosen?.failure.code ?? "GOSET_PROXY_NOT_FOUND";
  const said = attempts.filter((a) => !MARKERS.has(a.failure.code)).map((a) => `${a.label}: ${a.failure.message}`);
  const headline = HEADLINES[code] ?? chosen?.failure.message ?? "failed";
  const message = `${what}: ${headline}${said.length === 0 ? "" : ` (${said.join("; ")})`}`;
  const hint = [chosen?.failure.hint, HINTS[code]].filter((h) => h !== void 0).join(" ");
  return new GosetError(code, message, { hint, ...chosen === void 0 ? {} : { cause: chosen.failure } });
}
async function walk(what, steps, op) {
  const attempts = [];
  for (const step of steps) {
    try {
      return await op(step.source);
    } catch (e) {
      if (!(e instanceof SourceFailure)) throw e;
      attempts.push({ label: step.source.label, failure: e });
      if (!e.notFound && step.fallThrough === "notFound") break;
    }
  }
  throw reportWalkFailure(what, attempts);
}
function sourceFor(entry, direct, proxyAt) {
  if (entry.kind === "off") return createUnavailableSource("off");
  if (entry.kind === "direct") return direct;
  return proxyAt(entry.url, entry.auth);
}
function directReason(settings) {
  const via = settings.gonoproxy === settings.goprivate ? "GOPRIVATE" : "GONOPROXY";
  return `matches ${via}=${settings.gonoproxy}, so it is fetched directly from version control`;
}
function createModuleProxy(settings, options = {}) {
  const resolved = {
    timeoutMs: options.timeoutMs ?? 6e4,
    retries: options.retries ?? 4,
    backoffMs: options.backoffMs ?? 500
  };
  const env = options.env ?? process.env;
  const entries2 = parseGoProxy(settings.goproxy);
  const extraCa = options.caCertificates ?? readCaCertificates(env);
  const agent = createHttpAgent(resolved.timeoutMs, extraCa);
  let netrcEntries;
  const netrc = {
    path: settings.netrcPath,
    read: () => netrcEntries ??= readNetrc(settings.netrcPath)
  };
  const proxyAt = (url, auth) => createProtocolSource(url.startsWith("file:") ? createFileFetcher(url) : createHttpFetcher(url, auth, agent, resolved, netrc));
  const direct = createDirectSource({
    goinsecure: settings.goinsecure,
    netrc,
    dispatcher: agent,
    timeoutMs: resolved.timeoutMs,
    env,
    proxySource: (url) => proxyAt(url)
  });
  const steps = entries2.map((entry) => ({
    source: sourceFor(entry, direct, proxyAt),
    fallThrough: entry.kind === "url" ? entry.fallThrough : "notFound"
  }));
  const run = (path, what, op) => {
    validatePath(path);
    if (!matchPrefixPatterns(settings.gonoproxy, path)) return walk(what, steps, op);
    return op(direct).catch((e) => {
      if (!(e instanceof SourceFailure)) throw e;
      const proxyHint = `If a proxy serves ${path}, set GONOPROXY=none (GOPRIVATE then still skips the checksum database) and list that proxy in GOPROXY.`;
      throw new GosetError(e.code, `${what}: ${directReason(settings)}: ${e.message}`, {
        hint: [e.hint, proxyHint].filter((h) => h !== void 0).join(" "),
        cause: e
      });
    });
  };
  let closed;
  return {
    listVersions: async (path) => run(path, `${path} (@v/list)`, (s) => s.listVersions(path)),
    info: async (path, version) => {
      validateRevision(path, version, false);
      return run(path, `${path}@${version}`, (s) => s.info(path, version));
    },
    latest: async (path) => run(path, `${path}@latest`, (s) => s.latest(path)),
    goMod: async (path, version) => {
      validateRevision(path, version, true);
      return run(path, `${path}@${version} (go.mod)`, (s) => s.goMod(path, version));
    },
    downloadZip: async (path, version, destFile) => {
      validateRevision(path, version, true);
      return run(path, `${path}@${version} (zip)`, (s) => s.downloadZip(path, version, destFile));
    },
    close: () => closed ??= Promise.all([agent.close(), direct.close()]).then(() => void 0)
  };
}

// generator/sumdb/verifier.ts
import { join as join9 } from "node:path";

// generator/sumdb/client.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { mkdir as mkdir5, readFile as readFile5, rename as rename4, rm as rm5, writeFile as writeFile3 } from "node:fs/promises";
import { dirname as dirname4, join as join8 } from "node:path";

// generator/sumdb/note.ts
import { createHash as createHash5, createPublicKey, sign, verify } from "node:crypto";

// generator/sumdb/tlog.ts
import { createHash as createHash4 } from "node:crypto";
var HASH_SIZE = 32;
var TlogError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "TlogError";
  }
};
var EMPTY_TREE_HASH = createHash4("sha256").digest();
function recordHash(data) {
  return createHash4("sha256").update(Uint8Array.of(0)).update(data).digest();
}
function nodeHash(left, right) {
  return createHash4("sha256").update(Uint8Array.of(1)).update(left).update(right).digest();
}
function formatHash(h) {
  return h.toString("base64");
}
var shr = (n, k) => Math.floor(n / 2 ** k);
function trailingZeros(n) {
  let z = 0;
  for (let x = n; x > 0 && x % 2 === 0; x /= 2) z++;
  return z;
}
function largestPowerBelow(n) {
  let level = 0;
  while (2 ** (level + 1) < n) level++;
  return { k: 2 ** level, level };
}
function storedHashIndex(level, n) {
  let m = n;
  for (let l = level; l > 0; l--) m = 2 * m + 1;
  let i = 0;
  for (; m > 0; m = shr(m, 1)) i += m;
  return i + level;
}
function splitStoredHashIndex(index) {
  let n = shr(index, 1);
  let indexN = storedHashIndex(0, n);
  if (indexN > index) throw new TlogError(`bad stored hash index ${index}`);
  for (; ; ) {
    const next = indexN + 1 + trailingZeros(n + 1);
    if (next > index) break;
    n++;
    indexN = next;
  }
  const level = index - indexN;
  return { level, n: shr(n, level) };
}
function subTreeIndexes(lo, hi, need = []) {
  let at = lo;
  while (at < hi) {
    const { k, level } = largestPowerBelow(hi - at + 1);
    if (at % k !== 0) throw new TlogError("bad math in subTreeIndexes");
    need.push(storedHashIndex(level, at / k));
    at += k;
  }
  return need;
}
var HashQueue = class {
  constructor(hashes) {
    this.hashes = hashes;
  }
  hashes;
  at = 0;
  take(count2) {
    if (this.at + count2 > this.hashes.length) throw new TlogError("too few hashes for the proof");
    const taken = this.hashes.slice(this.at, this.at + count2);
    this.at += count2;
    return taken;
  }
  assertEmpty() {
    if (this.at !== this.hashes.length) throw new TlogError("too many hashes for the proof");
  }
};
function subTreeHash(lo, hi, queue) {
  const count2 = subTreeIndexes(lo, hi).length;
  const hashes = queue.take(count2);
  let h = hashes[count2 - 1];
  for (let i = count2 - 2; i >= 0; i--) h = nodeHash(hashes[i], h);
  return h;
}
function treeHashFromHashes(n, hashes) {
  if (n === 0) return EMPTY_TREE_HASH;
  const queue = new HashQueue(hashes);
  const h = subTreeHash(0, n, queue);
  queue.assertEmpty();
  return h;
}
async function treeHash(n, read) {
  if (n === 0) return EMPTY_TREE_HASH;
  return treeHashFromHashes(n, await read(subTreeIndexes(0, n)));
}
function recordProofIndexes(lo, hi, n, need) {
  if (lo + 1 === hi) return need;
  const { k } = largestPowerBelow(hi - lo);
  if (n < lo + k) {
    recordProofIndexes(lo, lo + k, n, need);
    subTreeIndexes(lo + k, hi, need);
  } else {
    subTreeIndexes(lo, lo + k, need);
    recordProofIndexes(lo + k, hi, n, need);
  }
  return need;
}
function buildRecordProof(lo, hi, n, queue) {
  if (lo + 1 === hi) return [];
  const { k } = largestPowerBelow(hi - lo);
  if (n < lo + k) {
    const p = buildRecordProof(lo, lo + k, n, queue);
    return [...p, subTreeHash(lo + k, hi, queue)];
  }
  const sibling = subTreeHash(lo, lo + k, queue);
  return [...buildRecordProof(lo + k, hi, n, queue), sibling];
}
function assertRecordInputs(t, n) {
  if (!(Number.isSafeInteger(t) && Number.isSafeInteger(n) && n >= 0 && n < t)) {
    throw new TlogError(`record ${n} is not in a tree of ${t} records`);
  }
}
async function proveRecord(t, n, read) {
  assertRecordInputs(t, n);
  const indexes = recordProofIndexes(0, t, n, []);
  const queue = new HashQueue(indexes.length === 0 ? [] : await read(indexes));
  const proof = buildRecordProof(0, t, n, queue);
  queue.assertEmpty();
  return proof;
}
function runRecordProof(p, lo, hi, n, leaf) {
  if (lo + 1 === hi) return p.length === 0 ? leaf : void 0;
  const last = p.at(-1);
  if (last === void 0) return void 0;
  const { k } = largestPowerBelow(hi - lo);
  const rest = p.slice(0, -1);
  if (n < lo + k) {
    const th2 = runRecordProof(rest, lo, lo + k, n, leaf);
    return th2 === void 0 ? void 0 : nodeHash(th2, last);
  }
  const th = runRecordProof(rest, lo + k, hi, n, leaf);
  return th === void 0 ? void 0 : nodeHash(last, th);
}
function checkRecordProof(p, t, th, n, leaf) {
  assertRecordInputs(t, n);
  const computed = runRecordProof(p, 0, t, n, leaf);
  return computed !== void 0 && computed.equals(th);
}
function treeProofIndexes(lo, hi, n, need) {
  if (n === hi) return lo === 0 ? need : subTreeIndexes(lo, hi, need);
  const { k } = largestPowerBelow(hi - lo);
  if (n <= lo + k) {
    treeProofIndexes(lo, lo + k, n, need);
    subTreeIndexes(lo + k, hi, need);
  } else {
    subTreeIndexes(lo, lo + k, need);
    treeProofIndexes(lo + k, hi, n, need);
  }
  return need;
}
function buildTreeProof(lo, hi, n, queue) {
  if (n === hi) return lo === 0 ? [] : [subTreeHash(lo, hi, queue)];
  const { k } = largestPowerBelow(hi - lo);
  if (n <= lo + k) {
    const p = buildTreeProof(lo, lo + k, n, queue);
    return [...p, subTreeHash(lo + k, hi, queue)];
  }
  const sibling = subTreeHash(lo, lo + k, queue);
  return [...buildTreeProof(lo + k, hi, n, queue), sibling];
}
function assertTreeInputs(t, n) {
  if (!(Number.isSafeInteger(t) && Number.isSafeInteger(n) && n >= 1 && n <= t)) {
    throw new TlogError(`no consistency proof from a tree of ${n} records to one of ${t}`);
  }
}
async function proveTree(t, n, read) {
  assertTreeInputs(t, n);
  const indexes = treeProofIndexes(0, t, n, []);
  const queue = new HashQueue(indexes.length === 0 ? [] : await read(indexes));
  const proof = buildTreeProof(0, t, n, queue);
  queue.assertEmpty();
  return proof;
}
function runTreeProof(p, lo, hi, n, old) {
  if (n === hi) {
    if (lo === 0) return p.length === 0 ? [old, old] : void 0;
    return p.length === 1 ? [p[0], p[0]] : void 0;
  }
  const last = p.at(-1);
  if (last === void 0) return void 0;
  const { k } = largestPowerBelow(hi - lo);
  const rest = p.slice(0, -1);
  if (n <= lo + k) {
    const r2 = runTreeProof(rest, lo, lo + k, n, old);
    return r2 === void 0 ? void 0 : [r2[0], nodeHash(r2[1], last)];
  }
  const r = runTreeProof(rest, lo + k, hi, n, old);
  return r === void 0 ? void 0 : [nodeHash(last, r[0]), nodeHash(last, r[1])];
}
function checkTreeProof(p, t, th, n, h) {
  assertTreeInputs(t, n);
  const r = runTreeProof(p, 0, t, n, h);
  return r !== void 0 && r[0].equals(h) && r[1].equals(th);
}
var TREE_PREFIX = "go.sum database tree\n";
var STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function decodeBase64(s) {
  return STD_BASE64.test(s) ? Buffer.from(s, "base64") : void 0;
}
function parseTree(text) {
  const lines = text.split("\n");
  const [, size, hash64] = lines;
  if (!text.startsWith(TREE_PREFIX) || lines.length < 4 || text.length > 1e6 || size === void 0 || hash64 === void 0) {
    throw new TlogError("malformed tree note");
  }
  const hash = decodeBase64(hash64);
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size)) || hash === void 0 || hash.length !== HASH_SIZE) {
    throw new TlogError("malformed tree note");
  }
  return { n: Number(size), hash };
}
function isValidRecordText(text) {
  return text.endsWith("\n") && !text.includes("\n\n") && !/[\x00-\x09\x0b-\x1f]/.test(text);
}
var fatalUtf8 = new TextDecoder("utf-8", { fatal: true });
function parseRecord(msg) {
  const nl = msg.indexOf(10);
  const idText = nl < 0 ? "" : msg.subarray(0, nl).toString("latin1");
  if (!/^[0-9]{1,16}$/.test(idText) || !Number.isSafeInteger(Number(idText))) throw new TlogError("malformed record data");
  const body = msg.subarray(nl + 1);
  const end = body.indexOf("\n\n");
  if (end < 0) throw new TlogError("malformed record data");
  let text;
  try {
    text = fatalUtf8.decode(body.subarray(0, end + 1));
  } catch {
    throw new TlogError("malformed record data");
  }
  if (!isValidRecordText(text)) throw new TlogError("malformed record data");
  return { id: Number(idText), text, rest: body.subarray(end + 2) };
}

// generator/sumdb/note.ts
var ALG_ED25519 = 1;
var SIG_PREFIX = "\u2014 ";
var MAX_SIGNATURES = 100;
var NoteError = class extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
    this.name = "NoteError";
  }
  kind;
};
function isValidKeyName(name) {
  return name !== "" && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}
function computeKeyHash(name, key) {
  return createHash5("sha256").update(`${name}
`).update(key).digest().readUInt32BE(0);
}
var hex8 = (n) => n.toString(16).padStart(8, "0");
function ed25519PublicKey(raw2) {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw2.toString("base64url") }, format: "jwk" });
}
function parseVerifierKey(vkey) {
  const [name = "", hash16 = "", key64 = ""] = splitKey(vkey, 3);
  const key = decodeBase64(key64);
  if (!/^[0-9a-fA-F]{8}$/.test(hash16) || key === void 0 || key.length === 0 || !isValidKeyName(name)) {
    throw new NoteError("malformed-key", `malformed verifier key ${JSON.stringify(vkey)}`);
  }
  const keyHash = parseInt(hash16, 16);
  if (keyHash !== computeKeyHash(name, key)) {
    throw new NoteError("malformed-key", `verifier key ${JSON.stringify(vkey)}: the key hash ${hash16} does not match the key`);
  }
  if (key[0] !== ALG_ED25519) throw new NoteError("malformed-key", `verifier key ${JSON.stringify(vkey)}: unknown algorithm ${key[0]}`);
  const raw2 = key.subarray(1);
  if (raw2.length !== 32) throw new NoteError("malformed-key", `verifier key ${JSON.stringify(vkey)}: not a 32-byte Ed25519 key`);
  const publicKey = ed25519PublicKey(raw2);
  return {
    name,
    keyHash,
    key: vkey,
    verify(message, signature) {
      try {
        return verify(null, message, publicKey, signature);
      } catch {
        return false;
      }
    }
  };
}
function splitKey(s, parts) {
  const out = [];
  let rest = s;
  for (let i = 1; i < parts; i++) {
    const at = rest.indexOf("+");
    if (at < 0) {
      out.push(rest);
      rest = "";
    } else {
      out.push(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
  }
  out.push(rest);
  return out;
}
var fatalUtf82 = new TextDecoder("utf-8", { fatal: true });
function openNote(msg, verifier) {
  let all;
  try {
    all = fatalUtf82.decode(msg);
  } catch {
    throw new NoteError("malformed-note", "malformed note: not UTF-8");
  }
  if (/[\x00-\x09\x0b-\x1f]/.test(all)) throw new NoteError("malformed-note", "malformed note: control characters");
  const split = all.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("malformed-note", "malformed note: no signature block");
  const text = all.slice(0, split + 1);
  const block = all.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) throw new NoteError("malformed-note", "malformed note: bad signature block");
  const message = Buffer.from(text, "utf8");
  const signatures = [];
  const unverified = [];
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new NoteError("malformed-note", "malformed note: too many signatures");
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError("malformed-note", "malformed note: bad signature line");
    const body = line.slice(SIG_PREFIX.length);
    const space = body.indexOf(" ");
    const name = space < 0 ? body : body.slice(0, space);
    const b64 = space < 0 ? "" : body.slice(space + 1);
    const raw2 = decodeBase64(b64);
    if (raw2 === void 0 || raw2.length < 5 || !isValidKeyName(name)) {
      throw new NoteError("malformed-note", "malformed note: bad signature line");
    }
    const signature = { name, keyHash: raw2.readUInt32BE(0), base64: b64 };
    const seen = (list2) => list2.some((s) => s.name === name && s.keyHash === signature.keyHash && (list2 === signatures || s.base64 === b64));
    if (name !== verifier.name || signature.keyHash !== verifier.keyHash) {
      if (!seen(unverified)) unverified.push(signature);
      continue;
    }
    if (seen(signatures)) continue;
    if (!verifier.verify(message, raw2.subarray(4))) {
      throw new NoteError("invalid-signature", `invalid signature for key ${name}+${hex8(signature.keyHash)}`);
    }
    signatures.push(signature);
  }
  if (signatures.length === 0) {
    const by = unverified.map((s) => `${s.name}+${hex8(s.keyHash)}`).join(", ");
    throw new NoteError("unverified", `note has no signature by ${verifier.name}+${hex8(verifier.keyHash)} (signed by ${by})`);
  }
  return { text, signatures, unverified };
}

// generator/sumdb/tile.ts
var TILE_HEIGHT = 8;
var shr2 = (n, k) => Math.floor(n / 2 ** k);
function locate(h, index) {
  const split = splitStoredHashIndex(index);
  const l = Math.floor(split.level / h);
  const levelInTile = split.level - l * h;
  const n = shr2(split.n * 2 ** levelInTile, h);
  const nInTile = split.n - shr2(n * 2 ** h, levelInTile);
  const width = 2 ** levelInTile;
  return {
    tile: { h, l, n, w: (nInTile + 1) * width },
    start: nInTile * width * HASH_SIZE,
    end: (nInTile + 1) * width * HASH_SIZE
  };
}
function tileForIndex(h, index) {
  return locate(h, index).tile;
}
function tileHash(data) {
  if (data.length === 0) throw new TlogError("bad math in tileHash");
  if (data.length === HASH_SIZE) return Buffer.from(data);
  const half = data.length / 2;
  return nodeHash(tileHash(data.subarray(0, half)), tileHash(data.subarray(half)));
}
function hashFromTile(t, data, index) {
  if (t.h < 1 || t.h > 30 || t.l < 0 || t.l >= 64 || t.w < 1 || t.w > 2 ** t.h) {
    throw new TlogError(`invalid tile ${tilePath(t)}`);
  }
  if (data.length < t.w * HASH_SIZE) throw new TlogError(`data too short for tile ${tilePath(t)}`);
  const { tile, start, end } = locate(t.h, index);
  if (tile.l !== t.l || tile.n !== t.n || tile.w > t.w) {
    throw new TlogError(`stored hash ${index} is in ${tilePath(tile)}, not ${tilePath(t)}`);
  }
  return tileHash(data.subarray(start, end));
}
function tilePath(t) {
  let n = t.n;
  let digits = String(n % 1e3).padStart(3, "0");
  while (n >= 1e3) {
    n = Math.floor(n / 1e3);
    digits = `x${String(n % 1e3).padStart(3, "0")}/${digits}`;
  }
  const partial = t.w === 2 ** t.h ? "" : `.p/${t.w}`;
  return `tile/${t.h}/${t.l}/${digits}${partial}`;
}
function tileParent(t, k, n) {
  const l = t.l + k;
  const tn = shr2(t.n, k * t.h);
  const full = 2 ** t.h;
  const max = shr2(n, l * t.h);
  const start = tn * full;
  if (start + full < max) return { h: t.h, l, n: tn, w: full };
  if (start >= max) return void 0;
  return { h: t.h, l, n: tn, w: max - start };
}
var keyOf = (t) => tilePath(t);
function createTileHashReader(tree, h, readTiles) {
  return async (indexes) => {
    if (indexes.length === 0) return [];
    if (tree.n === 0) throw new TlogError("the empty tree has no stored hashes");
    const order = /* @__PURE__ */ new Map();
    const tiles = [];
    const add = (t) => {
      order.set(keyOf(t), tiles.length);
      tiles.push(t);
      return tiles.length - 1;
    };
    const stx = subTreeIndexes(0, tree.n);
    const stxTile = stx.map((x) => {
      const t = tileParent(tileForIndex(h, x), 0, tree.n);
      if (t === void 0) throw new TlogError("bad math in tile reader");
      return order.get(keyOf(t)) ?? add(t);
    });
    const limit = storedHashIndex(0, tree.n);
    const indexTile = indexes.map((x) => {
      if (!Number.isSafeInteger(x) || x < 0 || x >= limit) throw new TlogError(`stored hash ${x} is not in tree ${tree.n}`);
      const t = tileForIndex(h, x);
      let k = 0;
      let at = -1;
      for (; ; k++) {
        if (k > 64) throw new TlogError("bad math in tile reader");
        const p = tileParent(t, k, tree.n);
        const j = p === void 0 ? void 0 : order.get(keyOf(p));
        if (j !== void 0) {
          if (k === 0) at = j;
          break;
        }
      }
      for (k--; k >= 0; k--) {
        const p = tileParent(t, k, tree.n);
        if (p === void 0 || p.w !== 2 ** p.h) throw new TlogError(`bad math in tile reader: ${tree.n} ${x}`);
        const j = add(p);
        if (k === 0) at = j;
      }
      return at;
    });
    const data = await readTiles(tiles);
    if (data.length !== tiles.length) throw new TlogError("tile reader returned the wrong number of tiles");
    tiles.forEach((t, i) => {
      if (data[i].length !== t.w * HASH_SIZE) {
        throw new TlogError(`downloaded inconsistent tile: ${tilePath(t)} has ${data[i].length} bytes, want ${t.w * HASH_SIZE}`);
      }
    });
    let th;
    for (let i = stx.length - 1; i >= 0; i--) {
      const j = stxTile[i];
      const sub = hashFromTile(tiles[j], data[j], stx[i]);
      th = th === void 0 ? sub : nodeHash(sub, th);
    }
    if (th === void 0 || !th.equals(tree.hash)) {
      throw new TlogError(`downloaded inconsistent tile: tiles do not hash to tree ${tree.n}`);
    }
    for (let i = stxTile.at(-1) + 1; i < tiles.length; i++) {
      const t = tiles[i];
      const p = tileParent(t, 1, tree.n);
      const j = p === void 0 ? void 0 : order.get(keyOf(p));
      if (p === void 0 || j === void 0) throw new TlogError(`bad math in tile reader: lost parent of ${tilePath(t)}`);
      const expected = hashFromTile(p, data[j], storedHashIndex(p.l * p.h, t.n));
      if (!expected.equals(tileHash(data[i]))) {
        throw new TlogError(`downloaded inconsistent tile: ${tilePath(t)} does not match its parent ${tilePath(p)}`);
      }
    }
    return indexes.map((x, i) => {
      const j = indexTile[i];
      return hashFromTile(tiles[j], data[j], x);
    });
  };
}

// generator/sumdb/client.ts
var SumdbFailure = class extends Error {
  constructor(message, security, hint) {
    super(message);
    this.security = security;
    this.hint = hint;
    this.name = "SumdbFailure";
  }
  security;
  hint;
};
var MAX_LOOKUP_BYTES = 1 << 20;
var MAX_TILE_BYTES = (1 << TILE_HEIGHT) * HASH_SIZE;
var fetchBytes = (fetcher, rel, limit) => fetcher.fetch(rel, (body, length) => readAll(body, length, limit));
var treeLabel = (t) => `#${t.n} (${formatHash(t.hash)})`;
function createSumdbClient(db, settings, options) {
  const http = { timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs };
  const agent = createHttpAgent(options.timeoutMs, options.caCertificates);
  let netrcEntries;
  const netrc = { path: settings.netrcPath, read: () => netrcEntries ??= readNetrc(settings.netrcPath) };
  const latestFile = join8(options.cacheDir, ...db.name.split("/"), "latest");
  const keyLabel = db.verifier.key.split("+").slice(0, 2).join("+");
  const fetcherFor = (u) => u.url.startsWith("file:") ? createFileFetcher(u.url) : createHttpFetcher(u.url, u.auth, agent, http, netrc);
  let base;
  async function resolveBase() {
    if (db.url !== void 0) return fetcherFor(db.url);
    const direct = fetcherFor({ url: `https://${db.name}` });
    let failure;
    for (const entry of parseGoProxy(settings.goproxy)) {
      if (entry.kind !== "url") return direct;
      const mirror = fetcherFor({
        url: `${entry.url.replace(/\/+$/, "")}/sumdb/${db.name}`,
        ...entry.auth === void 0 ? {} : { auth: entry.auth }
      });
      try {
        await fetchBytes(mirror, "supported", MAX_LOOKUP_BYTES);
        return mirror;
      } catch (e) {
        if (!(e instanceof SourceFailure)) throw e;
        if (e.notFound) continue;
        failure = { label: `${mirror.label.replace(/\/+$/, "")}/supported`, failure: e };
        if (entry.fallThrough === "notFound") break;
      }
    }
    if (failure === void 0) return direct;
    throw new SourceFailure(failure.failure.code, `${failure.label}: ${failure.failure.message}`, {
      ...failure.failure.hint === void 0 ? {} : { hint: failure.failure.hint }
    });
  }
  const remote = async (rel, limit) => {
    const fetcher = await (base ??= resolveBase());
    try {
      return await fetchBytes(fetcher, rel, limit);
    } catch (e) {
      if (!(e instanceof SourceFailure)) throw e;
      throw new SourceFailure(e.code, `${fetcher.label.replace(/\/+$/, "")}/${rel}: ${e.message}`, {
        retryable: false,
        ...e.hint === void 0 ? {} : { hint: e.hint }
      });
    }
  };
  const tiles = /* @__PURE__ */ new Map();
  function readTile(t) {
    const key = tilePath(t);
    let pending = tiles.get(key);
    if (pending === void 0) {
      pending = (async () => {
        try {
          return await remote(key, MAX_TILE_BYTES);
        } catch (e) {
          const full = { ...t, w: 1 << t.h };
          if (!(e instanceof SourceFailure && e.notFound) || t.w === full.w) throw e;
          const data = await remote(tilePath(full), MAX_TILE_BYTES);
          return data.subarray(0, t.w * HASH_SIZE);
        }
      })();
      tiles.set(key, pending);
      pending.catch(() => tiles.delete(key));
    }
    return pending;
  }
  const readerFor = (tree) => createTileHashReader(tree, TILE_HEIGHT, (ts) => Promise.all(ts.map(readTile)));
  const fileSource = `the latest tree recorded in ${latestFile}`;
  const fileHint = `If GOSUMDB now names another database or key on purpose, delete ${latestFile}; otherwise the file was altered and the checksum database cannot be trusted from here.`;
  function openTree(note, source) {
    const hint = source === fileSource ? fileHint : void 0;
    try {
      return parseTree(openNote(note, db.verifier).text);
    } catch (e) {
      if (e instanceof NoteError) {
        const security = e.kind === "invalid-signature" || e.kind === "unverified";
        const message = `${source}: ${e.message}${security ? ` (the database key is ${keyLabel})` : ""}`;
        throw new SumdbFailure(message, security, hint);
      }
      if (e instanceof TlogError) throw new SumdbFailure(`${source}: ${e.message}`, false, hint);
      throw e;
    }
  }
  async function checkTrees(older, newer) {
    if (older.tree.n === 0) {
      if (older.tree.hash.equals(EMPTY_TREE_HASH)) return;
      throw new SumdbFailure(`tree ${treeLabel(older.tree)} claims records in an empty log`, true);
    }
    const read = readerFor(newer.tree);
    const proof = await proveTree(newer.tree.n, older.tree.n, read);
    if (checkTreeProof(proof, newer.tree.n, newer.tree.hash, older.tree.n, older.tree.hash)) return;
    const claimed = await treeHash(older.tree.n, read);
    throw new SumdbFailure(
      `the database's log forked: signed tree ${treeLabel(older.tree)} is not a prefix of signed tree ${treeLabel(newer.tree)}, whose first ${older.tree.n} records hash to ${formatHash(claimed)}`,
      true,
      `Both trees are signed by ${keyLabel}, so the database (or a mirror replaying it) misbehaved; report it. The latest tree seen is kept in ${latestFile}; delete it only if GOSUMDB now names a different database.`
    );
  }
  let latest = { tree: { n: 0, hash: EMPTY_TREE_HASH }, note: Buffer.alloc(0) };
  async function mergeLatestMemory(note, source) {
    if (note.length === 0) return latest.tree.n === 0 ? "now" : "past";
    const seen = { tree: openTree(note, source), note };
    let known = latest;
    for (; ; ) {
      if (seen.tree.n <= known.tree.n) {
        await checkTrees(seen, known);
        return seen.tree.n < known.tree.n ? "past" : "now";
      }
      await checkTrees(known, seen);
      if (latest === known) {
        latest = seen;
        return "future";
      }
      known = latest;
    }
  }
  async function readLatestFile() {
    try {
      return await readFile5(latestFile);
    } catch (e) {
      if (e.code === "ENOENT") return Buffer.alloc(0);
      throw new GosetError("GOSET_WRITE", `${latestFile}: ${e.message}`, {
        hint: "update-set keeps the latest checksum database tree there; check the permissions of the cache directory.",
        cause: e
      });
    }
  }
  async function writeLatestFile(note) {
    const tmp = `${latestFile}.${process.pid}.${randomBytes2(4).toString("hex")}.tmp`;
    try {
      await mkdir5(dirname4(latestFile), { recursive: true });
      await writeFile3(tmp, note);
      await rename4(tmp, latestFile);
    } catch (e) {
      await rm5(tmp, { force: true });
      throw new GosetError("GOSET_WRITE", `${latestFile}: ${e.message}`, {
        hint: "Check that the cache directory is writable (XDG_CACHE_HOME or ~/.cache/goset) and the disk is not full.",
        cause: e
      });
    }
  }
  let loaded;
  const load = () => loaded ??= readLatestFile().then(async (note) => {
    await mergeLatestMemory(note, fileSource);
  });
  let writing = Promise.resolve();
  function persistLatest() {
    const next = writing.then(async () => {
      const onDisk = await readLatestFile();
      if (await mergeLatestMemory(onDisk, fileSource) === "past") await writeLatestFile(latest.note);
    });
    writing = next.catch(() => void 0);
    return next;
  }
  async function mergeLatest(note, source) {
    await load();
    if (await mergeLatestMemory(note, source) === "future") await persistLatest();
  }
  async function checkRecord(id, text) {
    const { tree } = latest;
    if (id >= tree.n) throw new SumdbFailure(`record ${id} is not in the signed tree of ${tree.n} records`, false);
    const proof = await proveRecord(tree.n, id, readerFor(tree));
    if (!checkRecordProof(proof, tree.n, tree.hash, id, recordHash(Buffer.from(text, "utf8")))) {
      throw new SumdbFailure(`record ${id} is not included in signed tree ${treeLabel(tree)}: its inclusion proof fails`, true);
    }
  }
  const lookups = /* @__PURE__ */ new Map();
  async function fetchRecord(m) {
    const rel = `lookup/${escapePath(m.path)}@${escapeVersion(m.version)}`;
    const data = await remote(rel, MAX_LOOKUP_BYTES);
    let record;
    try {
      record = parseRecord(data);
    } catch (e) {
      if (e instanceof TlogError) throw new SumdbFailure(`/${rel}: ${e.message}`, false);
      throw e;
    }
    await mergeLatest(record.rest, `the tree note of /${rel}`);
    await checkRecord(record.id, record.text);
    return record.text.split("\n").filter((line) => line !== "");
  }
  function describe2(m, e) {
    const what = `${moduleKey(m)}: checksum database ${db.name}`;
    if (isGosetError(e)) return e;
    if (e instanceof SumdbFailure) {
      return new GosetError("GOSET_SUMDB", `${what}: ${e.security ? "SECURITY ERROR: " : ""}${e.message}`, {
        hint: e.hint ?? (e.security ? `The database (or the proxy mirroring it) served data that does not verify with ${keyLabel}. Do not trust this module version; see 'go help module-auth'.` : "The database's answer is malformed; retry later, or check that GOSUMDB names the right database and URL."),
        cause: e
      });
    }
    if (e instanceof TlogError || e instanceof NoteError) {
      return new GosetError("GOSET_SUMDB", `${what}: SECURITY ERROR: ${e.message}`, {
        hint: `The tiles served do not match the tree signed by ${keyLabel}; the database or its mirror misbehaved.`,
        cause: e
      });
    }
    if (e instanceof SourceFailure) {
      const reach = db.url === void 0 ? `It is reached through a GOPROXY entry serving /sumdb/${db.name}/supported, else at https://${db.name}.` : `It is reached at ${db.url.url} (from GOSUMDB).`;
      const advice = e.notFound ? `The database does not know ${moduleKey(m)}. A private module must match GONOSUMDB or GOPRIVATE.` : "Check the network, or set GOSUMDB='<key> <url>' to a reachable mirror; GONOSUMDB/GOSUMDB=off skip verification.";
      return new GosetError(e.code, `${what}: ${e.message}`, {
        hint: [e.hint, reach, advice].filter((h) => h !== void 0).join(" "),
        cause: e
      });
    }
    return e;
  }
  let closed;
  return {
    name: db.name,
    async lookup(m) {
      const key = moduleKey(m);
      let pending = lookups.get(key);
      if (pending === void 0) {
        pending = fetchRecord(m);
        lookups.set(key, pending);
      }
      try {
        return await pending;
      } catch (e) {
        throw describe2(m, e);
      }
    },
    close: () => closed ??= agent.close().then(() => void 0)
  };
}

// generator/sumdb/config.ts
var KNOWN_SUMDB_KEYS = {
  "sum.golang.org": "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
};
var ALIASES = {
  "sum.golang.google.cn": "sum.golang.org https://sum.golang.google.cn"
};
var HINT2 = "GOSUMDB is `off`, a known database name (sum.golang.org), a verifier key <name>+<hash>+<key>, optionally followed by a space and the URL of the database. Fix it in the environment or with `go env -w GOSUMDB=...`.";
function invalid2(value2, reason) {
  return new GosetError("GOSET_ENV_INVALID", `GOSUMDB=${redactUrl(value2)}: ${reason}`, { hint: HINT2 });
}
function isValidDatabaseName(name) {
  const m = /^([A-Za-z0-9.-]+(?::[0-9]+)?)((?:\/[A-Za-z0-9._~-]+)*)$/.exec(name);
  if (m === null) return false;
  return !(m[2] ?? "").split("/").some((e) => e === "." || e === "..");
}
function parseUrl(value2, raw2) {
  let url;
  try {
    url = new URL(raw2);
  } catch {
    throw invalid2(value2, `invalid URL ${redactUrl(raw2)}`);
  }
  if (!["https:", "http:", "file:"].includes(url.protocol)) {
    throw invalid2(value2, `invalid URL scheme (must be https, http, file): ${redactUrl(raw2)}`);
  }
  const { user, password } = takeUserinfo(url);
  return user === "" && password === "" ? { url: url.href } : { url: url.href, auth: { user, password } };
}
function parseGoSumdb(value2) {
  if (value2 === "off") return { kind: "off" };
  const fields = (ALIASES[value2] ?? value2).split(/\s+/).filter((f) => f !== "");
  const [first, second, ...extra] = fields;
  if (first === void 0) throw invalid2(value2, "missing GOSUMDB");
  if (extra.length > 0) throw invalid2(value2, "too many fields");
  let verifier;
  try {
    verifier = parseVerifierKey(KNOWN_SUMDB_KEYS[first] ?? first);
  } catch (e) {
    if (e instanceof NoteError) throw invalid2(value2, `${e.message} (and not a known database name)`);
    throw e;
  }
  if (!isValidDatabaseName(verifier.name)) {
    throw invalid2(value2, `invalid database name ${JSON.stringify(verifier.name)} (must be host[/path])`);
  }
  return second === void 0 ? { kind: "db", name: verifier.name, verifier } : { kind: "db", name: verifier.name, verifier, url: parseUrl(value2, second) };
}

// generator/sumdb/verifier.ts
var SAFE_ELEMENT = /^[A-Za-z0-9._~+-]+$/;
function validateModule(m) {
  const pathOk = m.path.split("/").every((e) => SAFE_ELEMENT.test(e) && e !== "." && e !== "..");
  if (!pathOk) {
    throw new GosetError("GOSET_PATH_INVALID", `invalid module path ${JSON.stringify(m.path)}`, {
      hint: "Module paths are slash-separated elements of letters, digits and '-._~'."
    });
  }
  if (!SAFE_ELEMENT.test(m.version) || !m.version.startsWith("v")) {
    throw new GosetError("GOSET_VERSION_INVALID", `${m.path}@${m.version}: not a module version`, {
      hint: "Use a canonical semantic version with the v prefix, e.g. v1.2.3."
    });
  }
}
function checkLine(m, lines, db, goMod, computed) {
  const version = goMod ? `${m.version}/go.mod` : m.version;
  const noun = goMod ? "go.mod" : "module zip";
  const prefix = `${m.path} ${version} h1:`;
  if (lines.includes(`${m.path} ${version} ${computed}`)) return;
  const line = lines.find((l) => l.startsWith(prefix));
  if (line !== void 0) {
    throw new GosetError(
      "GOSET_SUMDB",
      `${moduleKey(m)}: SECURITY ERROR: ${noun} checksum mismatch: computed ${computed}, checksum database ${db} has ${line.slice(prefix.length - 3)}`,
      {
        hint: "The bits do not match the ones the checksum database recorded: they may have been replaced on the origin server or the proxy, or the download was intercepted. Do not use this module version; see 'go help module-auth'."
      }
    );
  }
  throw new GosetError("GOSET_SUMDB", `${moduleKey(m)}: SECURITY ERROR: ${noun} checksum missing from checksum database ${db}'s record`, {
    hint: "The database's record for this version lacks the line; the database or its mirror misbehaved. Retry later or report it."
  });
}
function createSumdbVerifier(settings, options = {}) {
  let client;
  const clientFor = () => {
    if (client !== void 0) return client;
    const config = parseGoSumdb(settings.gosumdb);
    if (config.kind === "off") throw new GosetError("GOSET_INTERNAL", "checksum database client requested with GOSUMDB=off");
    client = createSumdbClient(config, settings, {
      cacheDir: options.cacheDir ?? join9(settings.cacheDir, "sumdb"),
      timeoutMs: options.timeoutMs ?? 6e4,
      retries: options.retries ?? 4,
      backoffMs: options.backoffMs ?? 500,
      ...options.caCertificates === void 0 ? {} : { caCertificates: options.caCertificates }
    });
    return client;
  };
  return {
    async verify(m, hashes) {
      if (settings.gosumdb === "off" || matchPrefixPatterns(settings.gonosumdb, m.path)) return "skipped";
      validateModule(m);
      const db = clientFor();
      const lines = await db.lookup(m);
      if (hashes.sum !== void 0) checkLine(m, lines, db.name, false, hashes.sum);
      checkLine(m, lines, db.name, true, hashes.goModSum);
      return "sumdb";
    },
    close: async () => {
      await client?.close();
    }
  };
}

// generator/render/lock.ts
import { parse, stringify } from "yaml";
var LOCK_FILE = "set.lock.yaml";
var LOCK_SCHEMA = 2;
var DIGEST_SCHEMAS = [1, LOCK_SCHEMA];
function renderLock(set) {
  const doc = {
    schema: LOCK_SCHEMA,
    inputs: set.inputs,
    modules: Object.fromEntries([...set.modules.values()].map((m) => [m.path, lockModule(m)])),
    goModOnly: Object.fromEntries([...set.goModOnly].map(([path, m]) => [path, { version: m.version, goModSum: m.goModSum, verified: m.verified }])),
    cycles: Object.fromEntries(set.cycles.map((c) => [c.id, [...c.members]])),
    leaves: Object.fromEntries([...set.leaves.values()].map((l) => [l.name, lockLeaf(l)])),
    ...set.held.size === 0 ? {} : { held: Object.fromEntries([...set.held].map(([key, m]) => [key, { path: m.path, ...lockModule(m) }])) }
  };
  const header = "# Generated by update-set (npx update-set --set <this directory>); do not edit.\n";
  return header + stringify(doc, { lineWidth: 0, indent: 2, defaultStringType: "PLAIN", defaultKeyType: "PLAIN" });
}
function lockModule(m) {
  return {
    version: m.version,
    hash: m.hash,
    sum: m.sum,
    goModSum: m.goModSum,
    verified: m.verified,
    ...m.go === void 0 ? {} : { go: m.go },
    requires: [...m.requires],
    ...m.packages === void 0 ? {} : { packages: [...m.packages] },
    ...m.imports === void 0 ? {} : { imports: [...m.imports] },
    ...m.cycle === void 0 ? {} : { cycle: m.cycle }
  };
}
function lockReplacement(r) {
  if (r.kind === "dir") return { dir: r.dir };
  return { path: r.path, ...lockModule(r) };
}
function lockLeaf(l) {
  const source = l.source.kind === "module" ? { module: l.source.module, version: l.source.version, hash: l.source.hash, sum: l.source.sum, goModSum: l.source.goModSum, verified: l.source.verified } : { path: l.source.path };
  return {
    ...source,
    modulePath: l.modulePath,
    ...l.go === void 0 ? {} : { go: l.go },
    subPackages: [...l.subPackages],
    requires: [...l.requires],
    imports: [...l.imports],
    upgraded: Object.fromEntries([...l.upgraded].map(([p, u]) => [p, { from: u.from, to: u.to }])),
    ...l.replaces.size === 0 ? {} : { replaces: Object.fromEntries([...l.replaces].map(([p, r]) => [p, lockReplacement(r)])) },
    ...l.holds.size === 0 ? {} : { holds: Object.fromEntries([...l.holds].map(([p, h]) => [p, lockHold(h)])) },
    ...Object.keys(l.package).length === 0 ? {} : { package: lockPackage(l.package) }
  };
}
function lockPackage(p) {
  const m = p.meta;
  return {
    ...p.ldflags === void 0 ? {} : { ldflags: [...p.ldflags] },
    ...p.tags === void 0 ? {} : { tags: [...p.tags] },
    ...p.env === void 0 ? {} : { env: { ...p.env } },
    ...p.doCheck === void 0 ? {} : { doCheck: p.doCheck },
    ...m === void 0 ? {} : {
      meta: {
        ...m.description === void 0 ? {} : { description: m.description },
        ...m.homepage === void 0 ? {} : { homepage: m.homepage },
        ...m.license === void 0 ? {} : { license: [...m.license] },
        ...m.mainProgram === void 0 ? {} : { mainProgram: m.mainProgram }
      }
    }
  };
}
function lockHold(h) {
  return { version: h.version, ...h.reason === void 0 ? {} : { reason: h.reason } };
}
function readKnownDigests(text) {
  const known = /* @__PURE__ */ new Map();
  if (text === void 0) return known;
  let doc;
  try {
    doc = parse(text);
  } catch {
    return known;
  }
  if (!isRecord2(doc) || !DIGEST_SCHEMAS.includes(doc["schema"])) return known;
  const add = (path, entry) => {
    if (!isRecord2(entry)) return;
    const { version, sum, goModSum, verified } = entry;
    if (typeof version !== "string" || typeof goModSum !== "string" || !isVerification(verified)) return;
    known.set(moduleKey({ path, version }), { ...typeof sum === "string" ? { sum } : {}, goModSum, verified });
  };
  for (const [path, entry] of Object.entries(isRecord2(doc["modules"]) ? doc["modules"] : {})) add(path, entry);
  for (const [path, entry] of Object.entries(isRecord2(doc["goModOnly"]) ? doc["goModOnly"] : {})) add(path, entry);
  for (const entry of Object.values(isRecord2(doc["held"]) ? doc["held"] : {})) {
    if (isRecord2(entry) && typeof entry["path"] === "string") add(entry["path"], entry);
  }
  for (const leaf of Object.values(isRecord2(doc["leaves"]) ? doc["leaves"] : {})) {
    if (!isRecord2(leaf)) continue;
    if (typeof leaf["module"] === "string") add(leaf["module"], leaf);
    for (const r of Object.values(isRecord2(leaf["replaces"]) ? leaf["replaces"] : {})) {
      if (isRecord2(r) && typeof r["path"] === "string") add(r["path"], r);
    }
  }
  return known;
}
function isVerification(v) {
  return v === "go.sum" || v === "sumdb" || v === "none";
}
function isRecord2(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function parseLock(text) {
  try {
    const doc = parse(text);
    if (!isRecord2(doc) || doc["schema"] !== LOCK_SCHEMA) return void 0;
    const modules = /* @__PURE__ */ new Map();
    for (const [path, m] of entries(doc["modules"])) modules.set(path, readModule(path, m));
    const goModOnly = /* @__PURE__ */ new Map();
    for (const [path, m] of entries(doc["goModOnly"])) {
      const verified = field(m, "verified");
      if (!isVerification(verified)) throw new Error("verified");
      goModOnly.set(path, { version: text_(m, "version"), goModSum: text_(m, "goModSum"), verified });
    }
    const cycles = entries(doc["cycles"]).map(([id, members]) => ({ id, members: strings(members) }));
    const leaves = /* @__PURE__ */ new Map();
    for (const [name, l] of entries(doc["leaves"])) leaves.set(name, readLeaf(name, l));
    const held = /* @__PURE__ */ new Map();
    for (const [key, m] of entries(doc["held"])) held.set(key, readModule(text_(m, "path"), m));
    return { inputs: text_(doc, "inputs"), modules, goModOnly, cycles, leaves, held };
  } catch {
    return void 0;
  }
}
function readModule(path, m) {
  const verified = field(m, "verified");
  if (!isVerification(verified)) throw new Error("verified");
  const go = field(m, "go");
  const cycle = field(m, "cycle");
  const packages = field(m, "packages");
  const imports = field(m, "imports");
  return {
    path,
    version: text_(m, "version"),
    hash: text_(m, "hash"),
    sum: text_(m, "sum"),
    goModSum: text_(m, "goModSum"),
    verified,
    ...typeof go === "string" ? { go } : {},
    requires: strings(field(m, "requires")),
    ...packages === void 0 ? {} : { packages: strings(packages) },
    ...imports === void 0 ? {} : { imports: strings(imports) },
    ...typeof cycle === "string" ? { cycle } : {}
  };
}
function readLeaf(name, l) {
  const path = field(l, "path");
  const verified = field(l, "verified");
  const source = typeof path === "string" ? { kind: "path", path } : { kind: "module", module: text_(l, "module"), version: text_(l, "version"), hash: text_(l, "hash"), sum: text_(l, "sum"), goModSum: text_(l, "goModSum"), verified: isVerification(verified) ? verified : "none" };
  const go = field(l, "go");
  const replaces = /* @__PURE__ */ new Map();
  for (const [p, r] of entries(field(l, "replaces"))) {
    const dir = field(r, "dir");
    replaces.set(p, typeof dir === "string" ? { kind: "dir", dir } : { kind: "module", ...readModule(text_(r, "path"), r) });
  }
  return {
    name,
    source,
    modulePath: text_(l, "modulePath"),
    ...typeof go === "string" ? { go } : {},
    subPackages: strings(field(l, "subPackages")),
    requires: strings(field(l, "requires")),
    imports: strings(field(l, "imports")),
    upgraded: new Map(entries(field(l, "upgraded")).map(([p, u]) => [p, { from: text_(u, "from"), to: text_(u, "to") }])),
    replaces,
    holds: new Map(entries(field(l, "holds")).map(([p, h]) => {
      const reason = field(h, "reason");
      return [p, { version: text_(h, "version"), ...typeof reason === "string" ? { reason } : {} }];
    })),
    package: readPackage2(field(l, "package"))
  };
}
function readPackage2(p) {
  if (p === void 0) return {};
  const ldflags = field(p, "ldflags");
  const tags = field(p, "tags");
  const env = field(p, "env");
  const doCheck = field(p, "doCheck");
  const meta = field(p, "meta");
  const license = field(meta, "license");
  const texts = (v, keys) => Object.fromEntries(keys.flatMap((k) => field(v, k) === void 0 ? [] : [[k, text_(v, k)]]));
  return {
    ...ldflags === void 0 ? {} : { ldflags: strings(ldflags) },
    ...tags === void 0 ? {} : { tags: strings(tags) },
    ...env === void 0 ? {} : { env: texts(env, Object.keys(isRecord2(env) ? env : {})) },
    ...typeof doCheck === "boolean" ? { doCheck } : {},
    ...meta === void 0 ? {} : { meta: { ...texts(meta, ["description", "homepage"]), ...license === void 0 ? {} : { license: strings(license) }, ...texts(meta, ["mainProgram"]) } }
  };
}
function field(v, key) {
  return isRecord2(v) ? v[key] : void 0;
}
function text_(v, key) {
  const s = field(v, key);
  if (typeof s !== "string") throw new Error(key);
  return s;
}
function strings(v) {
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) throw new Error("list");
  return v;
}
function entries(v) {
  if (v === void 0 || v === null) return [];
  if (!isRecord2(v)) throw new Error("map");
  return Object.entries(v);
}

// generator/render/nix.ts
var GENERATED_MARK = "# Generated by update-set";
var HEADER2 = [
  `${GENERATED_MARK}; do not edit: rerun \`npx update-set --set <this directory>\`.`,
  "# Hand-written fixes go in overrides.nix beside this set (applied with overrideScope).",
  ""
].join("\n");
function moduleFile(path) {
  return `modules/${escapePath(path)}.nix`;
}
function cycleFile(id) {
  return `cycles/${id}.nix`;
}
function leafFile(name) {
  return `leaves/${name}.nix`;
}
function heldFile(key) {
  return `held/${escapePath(key)}.nix`;
}
function renderNixFiles(set) {
  const files = /* @__PURE__ */ new Map();
  for (const m of set.modules.values()) {
    if (m.cycle === void 0) files.set(moduleFile(m.path), renderModules([m]));
  }
  for (const c of set.cycles) files.set(cycleFile(c.id), renderModules(c.members.map((p) => mustGet(set.modules, p))));
  for (const l of set.leaves.values()) files.set(leafFile(l.name), renderLeaf(l));
  for (const [key, m] of set.held) files.set(heldFile(key), renderModules([m]));
  files.set("default.nix", renderIndex(set));
  return new Map([...files.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function renderModules(modules) {
  return [
    HEADER2,
    "{ mkGoModule }:",
    "",
    "mkGoModule {",
    `  modules = ${list(modules.map(moduleAttrs), "  ")};`,
    "}",
    ""
  ].join("\n");
}
function moduleAttrs(m) {
  return {
    ...fetchAttrs(m),
    imports: (m.imports ?? []).map(str),
    ...m.packages === void 0 ? {} : { packages: m.packages.map(str) }
  };
}
function fetchAttrs(m) {
  return {
    path: str(m.path),
    version: str(m.version),
    hash: str(m.hash),
    sum: str(m.sum),
    ...m.go === void 0 ? {} : { go: str(m.go) }
  };
}
function renderLeaf(l) {
  const src = l.source.kind === "module" ? raw(`fetchGoModule ${attrset({ path: str(l.source.module), version: str(l.source.version), hash: str(l.source.hash) }, "  ")}`) : raw(nixPathFrom("./..", l.source.path));
  const { ldflags, tags, env, doCheck, meta } = l.package;
  const attrs = {
    pname: str(l.name),
    version: str(l.source.kind === "module" ? l.source.version.replace(/^v/, "") : "local"),
    src,
    modulePath: str(l.modulePath),
    ...l.go === void 0 ? {} : { go: str(l.go) },
    subPackages: l.subPackages.map(str),
    goModules: l.imports.map(str),
    ...ldflags === void 0 ? {} : { ldflags: ldflags.map((f) => withVersion(f)) },
    ...tags === void 0 ? {} : { tags: tags.map(str) },
    ...env === void 0 ? {} : { env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, str(v)])) },
    // By default no: the set holds what the leaf's programs import, not what their tests import.
    doCheck: raw(String(doCheck ?? false)),
    ...l.replaces.size === 0 ? {} : { replaces: Object.fromEntries([...l.replaces].map(([p, r]) => [p, replacementAttrs(r)])) },
    ...meta === void 0 ? {} : { meta: metaAttrs(meta) }
  };
  const usesFinalAttrs = (ldflags ?? []).some((f) => f.includes(VERSION_PLACEHOLDER));
  const args = [...meta?.license === void 0 ? [] : ["lib"], "buildGoApplication", "fetchGoModule"];
  const body = usesFinalAttrs ? `(finalAttrs: ${attrset(attrs, "")})` : attrset(attrs, "");
  return [HEADER2, `{ ${args.join(", ")} }:`, "", `buildGoApplication ${body}`, ""].join("\n");
}
var VERSION_PLACEHOLDER = "{version}";
function withVersion(s) {
  const parts = s.split(VERSION_PLACEHOLDER).map((part) => str(part).raw.slice(1, -1).replace(/\$$/, "\\$"));
  return raw(`"${parts.join("${finalAttrs.version}")}"`);
}
function metaAttrs(meta) {
  const licenses2 = (meta.license ?? []).map((id) => raw(`lib.licenses.${nixpkgsLicense(id) ?? id}`));
  return {
    ...meta.description === void 0 ? {} : { description: str(meta.description) },
    ...meta.homepage === void 0 ? {} : { homepage: str(meta.homepage) },
    ...licenses2.length === 0 ? {} : { license: licenses2.length === 1 ? licenses2[0] : licenses2 },
    ...meta.mainProgram === void 0 ? {} : { mainProgram: str(meta.mainProgram) }
  };
}
function replacementAttrs(r) {
  return r.kind === "dir" ? { dir: str(r.dir) } : { ...fetchAttrs(r), requires: r.requires.map(str) };
}
function renderIndex(set) {
  const modules = {};
  for (const m of set.modules.values()) {
    modules[m.path] = m.cycle === void 0 ? raw(nixPathFrom("./.", moduleFile(m.path))) : { cycle: str(m.cycle) };
  }
  const cycles = Object.fromEntries(set.cycles.map((c) => [c.id, raw(nixPathFrom("./.", cycleFile(c.id)))]));
  const leaves = Object.fromEntries([...set.leaves.keys()].map((n) => [n, raw(nixPathFrom("./.", leafFile(n)))]));
  const held = Object.fromEntries([...set.held.keys()].map((k) => [k, raw(nixPathFrom("./.", heldFile(k)))]));
  const leafHolds = Object.fromEntries(
    [...set.leaves.values()].map((l) => [l.name, [...l.holds].map(([p, h]) => [p, `${p}@${h.version}`]).filter(([, key]) => set.held.has(key))]).filter(([, holds]) => holds.length > 0).map(([name, holds]) => [name, Object.fromEntries(holds.map(([p, key]) => [p, str(key)]))])
  );
  return [HEADER2, attrset({ modules, cycles, leaves, ...set.held.size === 0 ? {} : { held, leafHolds } }, ""), ""].join("\n");
}
function raw(text) {
  return { raw: text };
}
function str(s) {
  return raw(JSON.stringify(s).replace(/\$\{/g, "\\${"));
}
function nixPathFrom(base, rel) {
  const literal = /^[A-Za-z0-9._+\-/]+$/.test(rel) && !rel.split("/").includes("");
  if (!literal) return `${base} + ${str("/" + rel).raw}`;
  return base === "./." ? `./${rel}` : `${base}/${rel}`;
}
function isRaw(v) {
  return typeof v === "object" && v !== null && "raw" in v;
}
function value(v, indent) {
  if (isRaw(v)) return v.raw;
  if (Array.isArray(v)) return list(v, indent);
  return attrset(v, indent);
}
function list(items, indent) {
  if (items.length === 0) return "[ ]";
  const inner = indent + "  ";
  return `[
${items.map((i) => inner + value(i, inner)).join("\n")}
${indent}]`;
}
function attrset(attrs, indent) {
  const entries2 = Object.entries(attrs);
  if (entries2.length === 0) return "{ }";
  const inner = indent + "  ";
  return `{
${entries2.map(([k, v]) => `${inner}${attrName(k)} = ${value(v, inner)};`).join("\n")}
${indent}}`;
}
var NIX_KEYWORDS = /* @__PURE__ */ new Set(["assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with"]);
function attrName(name) {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !NIX_KEYWORDS.has(name) ? name : str(name).raw;
}
function mustGet(m, k) {
  const v = m.get(k);
  if (v === void 0) throw new Error(`internal: missing ${String(k)}`);
  return v;
}

// generator/render/report.ts
function diffHolds(before, after) {
  const out = [];
  for (const l of after.leaves.values()) {
    for (const [path, h] of l.holds) {
      const old = before?.leaves.get(l.name)?.holds.get(path);
      const setVersion = after.modules.get(path)?.version;
      out.push({ leaf: l.name, path, version: h.version, ...setVersion === void 0 ? {} : { setVersion }, ...h.reason === void 0 ? {} : { reason: h.reason }, status: old?.version === h.version ? "kept" : "added" });
    }
  }
  for (const l of before?.leaves.values() ?? []) {
    for (const [path, h] of l.holds) {
      if (after.leaves.get(l.name)?.holds.has(path)) continue;
      out.push({ leaf: l.name, path, version: h.version, ...h.reason === void 0 ? {} : { reason: h.reason }, status: "dropped" });
    }
  }
  return out.sort((a, b) => a.leaf !== b.leaf ? a.leaf < b.leaf ? -1 : 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
function rebuildClosure(set, changed) {
  const cycleMembers = membersByCycle(set);
  const dirty = new Set([...changed].filter((p) => set.modules.has(p)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const m of set.modules.values()) {
      if (dirty.has(m.path)) continue;
      const cycleDirty = m.cycle !== void 0 && (cycleMembers.get(m.cycle) ?? []).some((p) => dirty.has(p));
      if (cycleDirty || (m.imports ?? []).some((r) => dirty.has(r))) {
        dirty.add(m.path);
        grew = true;
      }
    }
  }
  const leaves = [...set.leaves.values()].filter((l) => l.imports.some((r) => dirty.has(r))).map((l) => l.name);
  return { modules: dirty, leaves };
}
function membersByCycle(set) {
  return new Map(set.cycles.map((c) => [c.id, c.members]));
}
function rebuildsOf(set, changed) {
  const { modules, leaves } = rebuildClosure(set, changed);
  return { modules: new Set([...modules].map((p) => set.modules.get(p)?.cycle ?? p)).size, leaves: leaves.length };
}
function count(key, packages) {
  return packages === void 0 ? {} : { [key]: packages.length };
}
function packagesKey(packages) {
  return packages === void 0 ? "..." : packages.join("\n");
}
function diffSets(before, after) {
  const old = before?.modules ?? /* @__PURE__ */ new Map();
  const bumped = [];
  const added = [];
  const removed = [];
  const repackaged = [];
  for (const m of after.modules.values()) {
    const prev = old.get(m.path);
    if (prev === void 0) added.push({ path: m.path, to: m.version, rebuilds: rebuildsOf(after, [m.path]) });
    else if (prev.version !== m.version || prev.hash !== m.hash) bumped.push({ path: m.path, from: prev.version, to: m.version, rebuilds: rebuildsOf(after, [m.path]) });
    else if (packagesKey(prev.packages) !== packagesKey(m.packages)) {
      repackaged.push({ path: m.path, to: m.version, rebuilds: rebuildsOf(after, [m.path]), ...count("packagesFrom", prev.packages), ...count("packagesTo", m.packages) });
    }
  }
  for (const m of old.values()) if (!after.modules.has(m.path)) removed.push({ path: m.path, from: m.version, rebuilds: { modules: 0, leaves: 0 } });
  const key = (members) => members.join("\n");
  const oldCycles = new Set((before?.cycles ?? []).map((c) => key(c.members)));
  const newCycles = new Set(after.cycles.map((c) => key(c.members)));
  const leavesChanged = [];
  const version = (s, name) => {
    const src = s?.leaves.get(name)?.source;
    return src === void 0 ? void 0 : src.kind === "module" ? src.version : `path ${src.path}`;
  };
  for (const name of /* @__PURE__ */ new Set([...before?.leaves.keys() ?? [], ...after.leaves.keys()])) {
    const from = version(before, name);
    const to = version(after, name);
    if (from !== to) leavesChanged.push({ name, ...from === void 0 ? {} : { from }, ...to === void 0 ? {} : { to } });
  }
  const raised = [...after.leaves.values()].flatMap(
    (l) => [...l.upgraded].filter(([path, u]) => {
      const old2 = before?.leaves.get(l.name)?.upgraded.get(path);
      return old2 === void 0 || old2.from !== u.from || old2.to !== u.to;
    }).map(([path, u]) => ({ leaf: l.name, path, from: u.from, to: u.to }))
  );
  const changedPaths = [...bumped, ...added, ...repackaged].map((c) => c.path);
  const byVersionOrder = (a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : compare(a.to ?? "", b.to ?? "");
  return {
    bumped: bumped.sort(byVersionOrder),
    added: added.sort(byVersionOrder),
    removed: removed.sort(byVersionOrder),
    repackaged: repackaged.sort(byVersionOrder),
    leavesChanged: leavesChanged.sort((a, b) => a.name < b.name ? -1 : 1),
    cyclesAdded: after.cycles.filter((c) => !oldCycles.has(key(c.members))).map((c) => c.members),
    cyclesRemoved: (before?.cycles ?? []).filter((c) => !newCycles.has(key(c.members))).map((c) => c.members),
    raised,
    holds: diffHolds(before, after),
    totalRebuilds: rebuildsOf(after, changedPaths)
  };
}
function renderReport(r, after) {
  const out = ["## update-set: package set changes", ""];
  out.push(`${after.leaves.size} leaves, ${after.modules.size} modules, ${after.cycles.length} cycles. This change rebuilds ${r.totalRebuilds.modules} module derivations and ${r.totalRebuilds.leaves} leaves.`, "");
  const rebuilds = (c) => `${c.rebuilds.modules} modules, ${c.rebuilds.leaves} leaves`;
  const table = (title, rows, cells, head) => {
    if (rows.length === 0) return;
    out.push(`### ${title} (${rows.length})`, "", `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
    for (const c of rows) out.push(`| ${cells(c).join(" | ")} |`);
    out.push("");
  };
  if (r.leavesChanged.length > 0) {
    out.push(`### Leaves (${r.leavesChanged.length})`, "", "| leaf | from | to |", "|---|---|---|");
    for (const l of r.leavesChanged) out.push(`| ${l.name} | ${l.from ?? "(new)"} | ${l.to ?? "(removed)"} |`);
    out.push("");
  }
  table("Modules bumped", r.bumped, (c) => [`\`${c.path}\``, c.from ?? "", c.to ?? "", rebuilds(c)], ["module", "from", "to", "rebuilds"]);
  table("Modules added", r.added, (c) => [`\`${c.path}\``, c.to ?? "", rebuilds(c)], ["module", "version", "rebuilds"]);
  table("Modules removed", r.removed, (c) => [`\`${c.path}\``, c.from ?? ""], ["module", "version"]);
  table("Package lists changed (same version, other packages compiled)", r.repackaged, (c) => [`\`${c.path}\``, c.to ?? "", `${c.packagesFrom ?? "all"} -> ${c.packagesTo ?? "all"}`, rebuilds(c)], ["module", "version", "packages", "rebuilds"]);
  if (r.cyclesAdded.length + r.cyclesRemoved.length > 0) {
    out.push("### Cycles", "");
    for (const c of r.cyclesAdded) out.push(`- added: ${c.map((p) => `\`${p}\``).join(", ")}`);
    for (const c of r.cyclesRemoved) out.push(`- removed: ${c.map((p) => `\`${p}\``).join(", ")}`);
    out.push("");
  }
  if (r.raised.length > 0) {
    out.push(`### Versions the set newly raised for leaves (${r.raised.length})`, "", "| leaf | module | leaf's own | set |", "|---|---|---|---|");
    for (const u of r.raised) out.push(`| ${u.leaf} | \`${u.path}\` | ${u.from} | ${u.to} |`);
    out.push("");
  }
  if (r.holds.length > 0) {
    out.push(`### Holds (${r.holds.length})`, "", "| leaf | module | held at | set | status | reason |", "|---|---|---|---|---|---|");
    for (const h of r.holds) out.push(`| ${h.leaf} | \`${h.path}\` | ${h.version} | ${h.setVersion ?? ""} | ${h.status} | ${(h.reason ?? "").replace(/\|/g, "\\|")} |`);
    out.push("");
  }
  if (r.bumped.length + r.added.length + r.removed.length + r.repackaged.length + r.leavesChanged.length + r.holds.filter((h) => h.status !== "kept").length === 0) out.push("No module or leaf changed.", "");
  return out.join("\n");
}
function renderFailedLeaves(failed) {
  if (failed.length === 0) return "";
  const out = [`### Leaves not regenerated (${failed.length})`, "", "| leaf | error | state |", "|---|---|---|"];
  for (const f of failed) out.push(`| ${f.name} | ${f.code}: ${f.message.replace(/\|/g, "\\|").replace(/\n/g, " ")} | ${f.kept ? "previous state kept" : "left out (new leaf)"} |`);
  return out.join("\n") + "\n";
}

// generator/leaves/latest.ts
import { parseDocument as parseDocument2 } from "yaml";
function latestRelease(versions) {
  return versions.filter((v) => isValid(v) && prerelease(v) === "").sort(compare).at(-1);
}
async function findLeafBumps(leaves, listVersions) {
  const bumps = await Promise.all(
    leaves.leaves.map(async (leaf) => {
      if (leaf.source.kind !== "module") return void 0;
      const latest = latestRelease(await listVersions(leaf.source.module));
      if (latest === void 0 || compare(latest, leaf.source.version) <= 0) return void 0;
      return { name: leaf.name, module: leaf.source.module, from: leaf.source.version, to: latest };
    })
  );
  return bumps.filter((b) => b !== void 0);
}
function applyLeafBumps(text, bumps) {
  if (bumps.length === 0) return text;
  const doc = parseDocument2(text);
  for (const b of bumps) doc.setIn(["leaves", b.name, "version"], b.to);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

// generator/write/setdir.ts
import { constants as fsc } from "node:fs";
import { link, mkdir as mkdir6, open, readdir as readdir3, readFile as readFile6, rename as rename5, rm as rm6, unlink, writeFile as writeFile4 } from "node:fs/promises";
import { dirname as dirname5, join as join10 } from "node:path";
var WORK = ".update-set";
var LOCKFILE = ".update-set.lock";
var GENERATED_DIRS = ["modules", "cycles", "leaves", "held"];
async function planChanges(dir, files) {
  const write2 = /* @__PURE__ */ new Map();
  for (const [rel, content] of files) {
    if (await readText2(join10(dir, rel)) !== content) write2.set(rel, content);
  }
  const remove = (await listGeneratedFiles(dir)).filter((rel) => !files.has(rel));
  return { write: write2, remove };
}
async function listGeneratedFiles(dir) {
  const found = [];
  const visit = async (rel) => {
    const entries2 = await readdir3(join10(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries2) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) await visit(child);
      else if (e.isFile() && e.name.endsWith(".nix") && await isGenerated(join10(dir, child))) found.push(child);
    }
  };
  for (const d of GENERATED_DIRS) await visit(d);
  for (const top of ["default.nix", "set.lock.yaml"]) if (await isGenerated(join10(dir, top))) found.push(top);
  return found.sort();
}
async function isGenerated(file) {
  const text = await readText2(file);
  return text !== void 0 && text.startsWith(GENERATED_MARK);
}
async function readText2(file) {
  try {
    return await readFile6(file, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR") || isErrno(e, "EISDIR")) return void 0;
    throw e;
  }
}
async function applyPlan(dir, plan, hooks = {}) {
  if (plan.write.size === 0 && plan.remove.length === 0) return;
  const work = join10(dir, WORK);
  await rm6(work, { recursive: true, force: true });
  const stage = join10(work, "stage");
  const backup = join10(work, "backup");
  const journal = { write: [], remove: [...plan.remove] };
  for (const [rel, content] of plan.write) {
    await writeDurably(join10(stage, rel), content);
    const existed = await backupFile(dir, backup, rel);
    journal.write.push({ path: rel, existed });
  }
  for (const rel of plan.remove) await backupFile(dir, backup, rel);
  await writeDurably(join10(work, "journal.json.tmp"), JSON.stringify(journal));
  await rename5(join10(work, "journal.json.tmp"), join10(work, "journal.json"));
  await hooks.beforeRename?.();
  let renamed = 0;
  for (const { path: rel } of journal.write) {
    await mkdir6(dirname5(join10(dir, rel)), { recursive: true });
    await rename5(join10(stage, rel), join10(dir, rel));
    await hooks.afterRename?.(renamed++);
  }
  for (const rel of journal.remove) await unlink(join10(dir, rel)).catch(ignore("ENOENT"));
  await pruneEmptyDirs(dir, [...journal.remove]);
  await unlink(join10(work, "journal.json"));
  await rm6(work, { recursive: true, force: true });
}
async function recoverInterrupted(dir) {
  const work = join10(dir, WORK);
  const text = await readText2(join10(work, "journal.json"));
  if (text === void 0) {
    await rm6(work, { recursive: true, force: true });
    return false;
  }
  const journal = JSON.parse(text);
  const backup = join10(work, "backup");
  for (const { path: rel, existed } of journal.write) {
    if (existed) await rename5(join10(backup, rel), join10(dir, rel)).catch(ignore("ENOENT"));
    else await unlink(join10(dir, rel)).catch(ignore("ENOENT"));
  }
  for (const rel of journal.remove) {
    await mkdir6(dirname5(join10(dir, rel)), { recursive: true });
    await rename5(join10(backup, rel), join10(dir, rel)).catch(ignore("ENOENT"));
  }
  await pruneEmptyDirs(dir, journal.write.filter((w) => !w.existed).map((w) => w.path));
  await rm6(work, { recursive: true, force: true });
  return true;
}
async function backupFile(dir, backup, rel) {
  await mkdir6(dirname5(join10(backup, rel)), { recursive: true });
  try {
    await link(join10(dir, rel), join10(backup, rel));
    return true;
  } catch (e) {
    if (isErrno(e, "ENOENT")) return false;
    throw e;
  }
}
async function writeDurably(file, content) {
  await mkdir6(dirname5(file), { recursive: true });
  const handle = await open(file, fsc.O_CREAT | fsc.O_TRUNC | fsc.O_WRONLY, 420);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
async function pruneEmptyDirs(dir, rels) {
  const dirs = /* @__PURE__ */ new Set();
  for (const rel of rels) for (let d = dirname5(rel); d !== "." && d !== ""; d = dirname5(d)) dirs.add(d);
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    const entries2 = await readdir3(join10(dir, d)).catch(() => void 0);
    if (entries2 !== void 0 && entries2.length === 0) await rm6(join10(dir, d), { recursive: true });
  }
}
async function acquireSetLock(dir) {
  const file = join10(dir, LOCKFILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile4(file, `${process.pid}
`, { flag: "wx" });
      return async () => {
        await unlink(file).catch(ignore("ENOENT"));
      };
    } catch (e) {
      if (!isErrno(e, "EEXIST")) throw new GosetError("GOSET_WRITE", `cannot create ${file}: ${String(e)}`, { cause: e });
      const pid = Number.parseInt(await readText2(file) ?? "", 10);
      if (Number.isInteger(pid) && isAlive(pid)) {
        throw new GosetError("GOSET_LOCKED", `another update-set (pid ${pid}) is writing ${dir}`, {
          hint: "wait for it to finish; if no such process runs, delete " + file
        });
      }
      await unlink(file).catch(ignore("ENOENT"));
    }
  }
  throw new GosetError("GOSET_LOCKED", `could not lock ${dir}`, { hint: "retry; another run took the lock at the same moment" });
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e, "EPERM");
  }
}
function isErrno(e, code) {
  return typeof e === "object" && e !== null && e.code === code;
}
function ignore(code) {
  return (e) => {
    if (!isErrno(e, code)) throw e;
  };
}

// generator/update.ts
var MemberFailure = class extends Error {
  constructor(leaves, error) {
    super(error.message);
    this.leaves = leaves;
    this.error = error;
  }
  leaves;
  error;
};
async function updateSet(options) {
  const setDir = resolve3(options.setDir);
  const emit = options.onEvent ?? (() => void 0);
  const leavesPath = join11(setDir, "leaves.yaml");
  const leavesText = await readFile7(leavesPath, "utf8").catch((cause) => {
    throw new GosetError("GOSET_LEAVES_NOT_FOUND", `cannot read ${leavesPath}`, {
      hint: "create leaves.yaml in the set directory (see the README), or pass --set DIR",
      cause
    });
  });
  let leavesFile = parseLeavesFile(leavesText, leavesPath);
  if (options.check) return checkSet(setDir, leavesFile);
  const release = await acquireSetLock(setDir);
  try {
    if (await recoverInterrupted(setDir)) emit({ kind: "recovered" });
    const previousLock = await readFile7(join11(setDir, LOCK_FILE), "utf8").catch(() => void 0);
    const env = options.env ?? process.env;
    const settings = await readGoSettings(env);
    const caCertificates = readCaCertificates(env);
    const ca = caCertificates === void 0 ? {} : { caCertificates };
    const proxy = createModuleProxy(settings, {
      env,
      ...ca,
      ...options.timeoutMs === void 0 ? {} : { timeoutMs: options.timeoutMs },
      ...options.retries === void 0 ? {} : { retries: options.retries }
    });
    const warnings = [];
    const warn = (message) => {
      warnings.push(message);
      emit({ kind: "warning", message });
    };
    const sumdb = createSumdbVerifier(settings, {
      ...ca,
      ...options.timeoutMs === void 0 ? {} : { timeoutMs: options.timeoutMs },
      ...options.retries === void 0 ? {} : { retries: options.retries }
    });
    try {
      const known = readKnownDigests(previousLock);
      const store = createModuleStore({
        cacheDir: settings.cacheDir,
        proxy,
        jobs: options.jobs,
        onZip: (module) => emit({ kind: "zip", module })
      });
      const checkSums = async (m, hashes, goSums) => {
        if (verifyAgainstGoSums(m, hashes, goSums) === "go.sum") return "go.sum";
        const before = known.get(moduleKey(m));
        if (before?.verified === "sumdb" && before.sum === hashes.sum && before.goModSum === hashes.goModSum) return "sumdb";
        return await sumdb.verify(m, hashes) === "sumdb" ? "sumdb" : "none";
      };
      let newLeavesText = leavesText;
      if (options.updateLeaves) {
        emit({ kind: "phase", phase: "latest releases" });
        const bumps = await findLeafBumps(leavesFile, (path) => proxy.listVersions(path));
        for (const b of bumps) emit({ kind: "info", message: `leaf ${b.name}: ${b.module} ${b.from} -> ${b.to}` });
        newLeavesText = applyLeafBumps(leavesText, bumps);
        leavesFile = parseLeavesFile(newLeavesText, leavesPath);
      }
      const keep = options.keepGoing ? { previous: previousLock === void 0 ? void 0 : parseLock(previousLock), failed: /* @__PURE__ */ new Map() } : void 0;
      const set = await computeWithKeepGoing(() => computeSet(leavesFile, setDir, store, checkSums, emit, warn, keep), keep);
      const unverified = listUnverified(set);
      if (options.strict && unverified.length > 0) {
        throw new GosetError("GOSET_UNVERIFIED", `${unverified.length} module(s) verified neither by a go.sum nor by the checksum database: ${unverified.slice(0, 5).join(", ")}${unverified.length > 5 ? ", ..." : ""}`, {
          hint: "--strict refuses them; check GOSUMDB, GONOSUMDB and GOPRIVATE, or run without --strict"
        });
      }
      const files = renderNixFiles(set);
      files.set(LOCK_FILE, renderLock(set));
      if (newLeavesText !== leavesText) files.set("leaves.yaml", newLeavesText);
      const plan = await planChanges(setDir, files);
      const failedLeaves = [...keep?.failed ?? []].map(([name, e]) => ({ name, code: e.code, message: e.message, kept: set.leaves.has(name) }));
      const report = renderReport(diffSets(previousLock === void 0 ? void 0 : parseLock(previousLock), set), set) + renderFailedLeaves(failedLeaves);
      if (options.reportFile !== void 0) await writeFile5(options.reportFile, report);
      emit({ kind: "phase", phase: "write" });
      await applyPlan(setDir, plan, options.beforeApply ? { beforeRename: options.beforeApply } : {});
      return { ...summarize(setDir, set, plan, store.stats, warnings), failedLeaves };
    } finally {
      await Promise.all([proxy.close(), sumdb.close()]);
    }
  } finally {
    await release?.();
  }
}
async function checkSet(setDir, leavesFile) {
  const lockText = await readFile7(join11(setDir, LOCK_FILE), "utf8").catch(() => void 0);
  const set = lockText === void 0 ? void 0 : parseLock(lockText);
  const inputs = await digestInputs(leavesFile, setDir);
  const noDownloads = { zipDownloads: 0, goModFetches: 0 };
  if (set === void 0 || set.inputs !== inputs) {
    const why = set === void 0 ? "set.lock.yaml is missing or unreadable" : "leaves.yaml (or a path leaf's go.mod/go.sum) changed since set.lock.yaml was generated";
    const empty = { inputs, modules: /* @__PURE__ */ new Map(), goModOnly: /* @__PURE__ */ new Map(), cycles: [], leaves: /* @__PURE__ */ new Map(), held: /* @__PURE__ */ new Map() };
    return summarize(setDir, set ?? empty, { write: /* @__PURE__ */ new Map([[LOCK_FILE, ""]]), remove: [] }, noDownloads, [why]);
  }
  const files = renderNixFiles(set);
  files.set(LOCK_FILE, renderLock(set));
  return summarize(setDir, set, await planChanges(setDir, files), noDownloads, []);
}
function summarize(setDir, set, plan, stats, warnings) {
  const verified = { "go.sum": 0, sumdb: 0, none: 0 };
  for (const m of set.modules.values()) verified[m.verified]++;
  return {
    setDir,
    modules: set.modules.size,
    cycles: set.cycles.length,
    leaves: set.leaves.size,
    written: [...plan.write.keys()],
    removed: plan.remove,
    upToDate: plan.write.size === 0 && plan.remove.length === 0,
    zipDownloads: stats.zipDownloads,
    goModFetches: stats.goModFetches,
    warnings,
    verified,
    failedLeaves: []
  };
}
async function computeWithKeepGoing(compute, keep) {
  for (; ; ) {
    try {
      return await compute();
    } catch (e) {
      if (!(e instanceof MemberFailure)) throw e;
      const fresh = e.leaves.filter((l) => !keep?.failed.has(l));
      if (keep === void 0 || fresh.length === 0) throw e.error;
      for (const l of fresh) keep.failed.set(l, e.error);
    }
  }
}
async function computeSet(leavesFile, setDir, store, checkSums, emit, warn, keep) {
  emit({ kind: "phase", phase: "leaves", total: leavesFile.leaves.length });
  const perLeaf = (name, work) => isolateLeaf(name, work, keep);
  const loaded = await Promise.all(leavesFile.leaves.map((spec) => perLeaf(spec.name, () => loadLeaf(spec, setDir, store))));
  for (const m of likelyMembers(loaded.flatMap((l) => l === void 0 ? [] : [l.goSum]))) store.zipDigest(m).catch(() => void 0);
  emit({ kind: "phase", phase: "select" });
  const selected = await Promise.all(loaded.map((leaf) => leaf === void 0 ? void 0 : perLeaf(leaf.spec.name, () => selectLeaf(leaf, leavesFile.pins, store, warn))));
  const selections = selected.filter((s) => s !== void 0);
  const leaves = selections.map((s) => s.leaf);
  const kept = keptLeaves(keep);
  const usedPins = new Set(selections.flatMap((s) => [...s.pinned.keys()]));
  for (const path of leavesFile.pins.keys()) if (!usedPins.has(path)) warn(`pin ${path} matches no module in any leaf's build list; ignored`);
  const shared = withoutHolds(selections, warn);
  const selection = selectSetVersions([...shared, ...kept.map((k) => k.selection)]);
  const holds = shared.map((sel) => holdsAgainst(sel, selection.versions, warn));
  const needed = modulesProvidingPackages(selections.map((s) => ({ paths: s.pinned.keys(), goSum: s.leaf.goSum })));
  for (const k of kept) for (const p of k.members) needed.add(p);
  const setVersions = new Map([...selection.versions].filter(([path]) => needed.has(path)));
  const members = [...setVersions].map(([path, version]) => ({ path, version }));
  const goSums = leaves.map((l) => ({ name: l.spec.name, goSum: l.goSum }));
  const goModOnly = new Map(
    await Promise.all(
      [...selection.versions].filter(([path]) => !needed.has(path)).map(async ([path, version]) => {
        const goModSum = await store.goModSum({ path, version });
        return [path, { version, goModSum, verified: await checkSums({ path, version }, { goModSum }, goSums) }];
      })
    )
  );
  emit({ kind: "phase", phase: "fetch", total: members.length });
  const fetched = await Promise.all(
    members.map(async (m) => {
      const mod = await lockModule2(m, store, checkSums, goSums, setVersions).catch((e) => {
        if (keep === void 0 || !isGosetError(e)) throw e;
        throw new MemberFailure(selections.filter((s) => s.pinned.get(m.path) === m.version).map((s) => s.name), e);
      });
      emit({ kind: "done-module", module: m });
      return mod;
    })
  );
  const leafPackages = leaves.map((leaf, i) => ({
    modulePath: leaf.goMod.module.path,
    packages: leaf.packages,
    subPackages: leaf.spec.subPackages,
    replaced: selections[i]?.replaced ?? /* @__PURE__ */ new Set()
  }));
  const memberPackages = new Map(fetched.map((m) => [m.module.path, m.packages]));
  const builtPackages = packagesBuiltBySet(leafPackages, memberPackages);
  const imports = memberImports(builtPackages, memberPackages);
  const locked = fetched.map((m) => ({ ...m.module, packages: builtPackages.get(m.module.path) ?? [], imports: imports.get(m.module.path) ?? [] }));
  const cycles = findCycles(imports);
  const cycleOf = new Map(cycles.flatMap((c) => c.members.map((p) => [p, c.id])));
  const modules = new Map(locked.map((m) => {
    const cycle = cycleOf.get(m.path);
    return [m.path, cycle === void 0 ? m : { ...m, cycle }];
  }));
  const held = await lockHeld(leafPackages.map((packages, i) => ({ packages, holds: variantHolds(holds[i] ?? /* @__PURE__ */ new Map(), selection.versions) })), memberPackages, imports, new Set(cycleOf.keys()), (m) => lockModule2(m, store, checkSums, goSums, setVersions));
  const lockedLeaves = await Promise.all(
    leaves.map(async (leaf, i) => {
      const sel = selections[i];
      if (sel === void 0) throw new Error("internal: selection missing");
      const replaces = await lockReplacements(leaf, sel, store, checkSums, goSums, setVersions);
      const requires = [.../* @__PURE__ */ new Set([...selection.members.get(leaf.spec.name) ?? [], ...holds[i]?.keys() ?? []])].sort();
      const ownPackages = leafPackages[i];
      if (ownPackages === void 0) throw new Error("internal: leaf packages missing");
      const ownImports = leafImports(ownPackages, memberPackages);
      const lockedLeaf = {
        name: leaf.spec.name,
        source: await verifyLeafSource(leaf.source, checkSums),
        modulePath: leaf.goMod.module.path,
        ...leaf.goMod.go === void 0 ? {} : { go: leaf.goMod.go },
        subPackages: leaf.spec.subPackages,
        requires,
        imports: replaces.size === 0 ? ownImports : [.../* @__PURE__ */ new Set([...ownImports, ...requires.filter((p) => setVersions.has(p))])].sort(),
        upgraded: selection.upgraded.get(leaf.spec.name) ?? /* @__PURE__ */ new Map(),
        replaces,
        holds: holds[i] ?? /* @__PURE__ */ new Map(),
        package: leaf.spec.package
      };
      return [leaf.spec.name, lockedLeaf];
    })
  );
  for (const k of kept) for (const [key, m] of k.held) held.set(key, m);
  const allLeaves = new Map([...lockedLeaves, ...kept.map((k) => [k.leaf.name, k.leaf])].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
  const inputs = (kept.length > 0 || (keep?.failed.size ?? 0) > 0 ? "partial " : "") + await digestInputs(leavesFile, setDir);
  return { inputs, modules, goModOnly, cycles, leaves: allLeaves, held: new Map([...held].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) };
}
async function isolateLeaf(name, work, keep) {
  if (keep?.failed.has(name)) return void 0;
  try {
    return await work();
  } catch (e) {
    if (keep === void 0 || !isGosetError(e)) throw e;
    keep.failed.set(name, e);
    return void 0;
  }
}
function keptLeaves(keep) {
  if (keep?.previous === void 0) return [];
  const prev = keep.previous;
  return [...keep.failed.keys()].flatMap((name) => {
    const leaf = prev.leaves.get(name);
    if (leaf === void 0) return [];
    const versions = /* @__PURE__ */ new Map();
    for (const p of leaf.requires) {
      const v = leaf.holds.has(p) ? void 0 : prev.modules.get(p)?.version ?? prev.goModOnly.get(p)?.version;
      if (v !== void 0) versions.set(p, v);
    }
    const held = new Map([...leaf.holds].flatMap(([p, h]) => {
      const key = moduleKey({ path: p, version: h.version });
      const m = prev.held.get(key);
      return m === void 0 ? [] : [[key, m]];
    }));
    const selection = { name, own: versions, pinned: versions, replaced: new Set(leaf.replaces.keys()), holds: /* @__PURE__ */ new Map() };
    return [{ leaf, selection, members: leaf.requires.filter((p) => prev.modules.has(p) && !leaf.holds.has(p)), held }];
  });
}
async function lockHeld(leaves, members, imports, inCycle, lock) {
  const versions = /* @__PURE__ */ new Map();
  for (const leaf of leaves) for (const [path, h] of leaf.holds) versions.set(moduleKey({ path, version: h.version }), { path, version: h.version });
  const fetched = new Map(await Promise.all([...versions].map(async ([key, m]) => [key, await lock(m)])));
  const builds = heldBuilds(leaves, members, new Map([...fetched].map(([key, f]) => [key, f.packages])));
  const out = /* @__PURE__ */ new Map();
  for (const [key, build2] of builds) {
    const f = fetched.get(key);
    if (f === void 0) continue;
    const loop = heldCycle(f.module.path, build2.imports, imports, inCycle);
    if (loop !== void 0) {
      throw new GosetError("GOSET_HOLD_CYCLE", `the hold of ${key} cannot be built on its own: ${loop === f.module.path ? `${key} is in an import cycle of the set` : `${loop} imports it back`}`, {
        hint: "hold the cycle's other members too, or drop the hold"
      });
    }
    out.set(key, { ...f.module, packages: build2.packages, imports: build2.imports });
  }
  return out;
}
function listUnverified(set) {
  const out = [];
  for (const m of set.modules.values()) if (m.verified === "none") out.push(moduleKey(m));
  for (const [path, m] of set.goModOnly) if (m.verified === "none") out.push(moduleKey({ path, version: m.version }));
  for (const l of set.leaves.values()) {
    if (l.source.kind === "module" && l.source.verified === "none") out.push(moduleKey({ path: l.source.module, version: l.source.version }));
    for (const r of l.replaces.values()) if (r.kind === "module" && r.verified === "none") out.push(moduleKey(r));
  }
  return out.sort();
}
async function verifyLeafSource(source, checkSums) {
  if (source.kind !== "module") return source;
  const m = { path: source.module, version: source.version };
  return { ...source, verified: await checkSums(m, { sum: source.sum, goModSum: source.goModSum }, []) };
}
async function selectLeaf(leaf, pins, store, warn) {
  const load = leafGoModLoader(leaf, store);
  const own = await selectBuildList(leaf.goMod, load);
  const holds = leaf.spec.holds;
  const extraRoots = [
    ...[...pins].filter(([path, version]) => {
      const selected = own.selected.get(path);
      return selected !== void 0 && !holds.has(path) && compare(version, selected) > 0;
    }),
    ...[...holds].filter(([path]) => own.selected.has(path)).map(([path, h]) => [path, h.version])
  ].map(([path, version]) => ({ path, version }));
  const pinned = extraRoots.length === 0 ? own : await selectBuildList(leaf.goMod, load, extraRoots);
  const replaced = /* @__PURE__ */ new Set();
  for (const [path, version] of pinned.selected) {
    if (findReplacement(leaf.goMod.replaces, { path, version }) !== void 0) replaced.add(path);
  }
  const sel = { name: leaf.spec.name, own: own.selected, pinned: pinned.selected, replaced };
  return { ...applyHolds(sel, holds, warn), leaf };
}
async function lockModule2(m, store, checkSums, goSums, setVersions) {
  const [goModBytes, digest, goModSum] = await Promise.all([store.goMod(m), store.zipDigest(m), store.goModSum(m)]);
  const verified = await checkSums(m, { sum: digest.sum, goModSum }, goSums);
  const goMod = parseGoMod(goModBytes.toString("utf8"), `${moduleKey(m)}/go.mod`, { strict: false });
  const requires = [...new Set(goMod.requires.map((r) => r.path))].filter((p) => p !== m.path && setVersions.has(p)).sort();
  const module = {
    path: m.path,
    version: m.version,
    hash: digest.hash,
    sum: digest.sum,
    goModSum,
    verified,
    ...goMod.go === void 0 ? {} : { go: goMod.go },
    requires
  };
  return { module, packages: digest.packages };
}
function verifyAgainstGoSums(m, hashes, goSums) {
  const { sum, goModSum } = hashes;
  let covered = false;
  for (const { name, goSum } of goSums) {
    const entry = goSum.get(moduleKey(m));
    if (entry === void 0) continue;
    for (const [what, expected, actual] of [["zip", entry.sum, sum], ["go.mod", entry.goModSum, goModSum]]) {
      if (expected === void 0 || actual === void 0) continue;
      if (expected !== actual) {
        throw new GosetError("GOSET_CHECKSUM_MISMATCH", `SECURITY ERROR: ${moduleKey(m)} ${what} has ${actual}, but leaf "${name}"'s go.sum records ${expected}`, {
          hint: "the module proxy served different content than the leaf was built with; do not trust this proxy until this is explained"
        });
      }
      if (what === "zip" || sum === void 0) covered = true;
    }
  }
  return covered ? "go.sum" : "none";
}
async function lockReplacements(leaf, sel, store, checkSums, goSums, setVersions) {
  const out = /* @__PURE__ */ new Map();
  for (const path of sel.replaced) {
    const version = sel.pinned.get(path);
    if (version === void 0) continue;
    const target = findReplacement(leaf.goMod.replaces, { path, version });
    if (target === void 0) continue;
    if (target.kind === "dir") {
      out.set(path, { kind: "dir", dir: target.dir });
      continue;
    }
    const { module } = await lockModule2({ path: target.path, version: target.version }, store, checkSums, goSums.filter((g) => g.name === leaf.spec.name), setVersions);
    out.set(path, { kind: "module", ...module });
  }
  return sortByKey(out);
}
async function digestInputs(leavesFile, setDir) {
  const localFiles = {};
  for (const leaf of leavesFile.leaves) {
    if (leaf.source.kind !== "path") continue;
    for (const f of ["go.mod", "go.sum"]) {
      const text = await readFile7(join11(resolve3(setDir, leaf.source.path), f), "utf8").catch(() => "");
      localFiles[`${leaf.name}/${f}`] = createHash6("sha256").update(text).digest("hex");
    }
  }
  const normal = {
    leaves: leavesFile.leaves.map((l) => ({
      name: l.name,
      source: l.source,
      subPackages: l.subPackages,
      ...l.holds.size === 0 ? {} : { holds: [...l.holds] },
      ...Object.keys(l.package).length === 0 ? {} : { package: l.package }
    })),
    pins: [...leavesFile.pins].sort(([a], [b]) => a < b ? -1 : 1),
    localFiles
  };
  return "sha256-" + createHash6("sha256").update(JSON.stringify(normal)).digest("base64");
}

// generator/cli/progress.ts
function createReporter(out, opts) {
  const live = out.isTTY === true && !opts.quiet;
  let phase = "";
  let total = 0;
  let done = 0;
  let zips = 0;
  let lastLine = "";
  const draw = () => {
    const line = `update-set: ${phase}${total > 0 ? ` ${done}/${total}` : ""}${zips > 0 ? `, ${zips} zips` : ""}`;
    if (line !== lastLine) out.write(`\r\x1B[K${line}`);
    lastLine = line;
  };
  return {
    onEvent(event) {
      switch (event.kind) {
        case "phase":
          phase = event.phase;
          total = event.total ?? 0;
          done = 0;
          if (live) draw();
          else if (!opts.quiet) out.write(`update-set: ${phase}${total ? ` (${total})` : ""}
`);
          break;
        case "zip":
          zips++;
          if (live) draw();
          else if (!opts.quiet) out.write(`update-set: download ${moduleKey(event.module)}
`);
          break;
        case "done-module":
          done++;
          if (live) draw();
          break;
        case "warning":
          if (live) out.write("\r\x1B[K");
          if (!opts.quiet) out.write(`warning: ${event.message}
`);
          break;
        case "info":
          if (live) out.write("\r\x1B[K");
          if (!opts.quiet) out.write(`update-set: ${event.message}
`);
          break;
        case "recovered":
          if (!opts.quiet) out.write("update-set: rolled back an interrupted run\n");
          break;
      }
    },
    close() {
      if (live) out.write("\r\x1B[K");
    }
  };
}

// generator/cli/main.ts
var USAGE = `Usage: update-set [--set DIR] [--jobs N] [--check] [--strict] [--update-leaves] [--keep-going] [--report FILE] [--json] [--timeout S] [--retries N]

Regenerates a Go package set for Nix from DIR/leaves.yaml: selects one
version per module path for all leaves, verifies every module against the
leaves' go.sum files, hashes it for Nix, and writes DIR/set.lock.yaml and the
generated Nix files atomically.

Options:
  --set DIR    the set directory holding leaves.yaml (default: set)
  --jobs N     zip downloads at once (default: number of CPUs, at least 4); zips are hashed one per CPU
  --timeout S  give up on a proxy request idle for S seconds (default 60)
  --retries N  retry a failed proxy request N times with backoff (default 4)
  --check      write nothing and use no network; exit 1 if the lock or the
               generated files are out of date with leaves.yaml
  --update-leaves
               first move every module leaf to its latest release (edits leaves.yaml)
  --keep-going a leaf whose module graph cannot be resolved or verified keeps
               its previous locked state (a new leaf is left out), the rest
               regenerates, and the run exits 3 naming each such leaf
  --report FILE
               write a Markdown change report (modules bumped, added, removed,
               cycles, raised versions, derivations rebuilt) to FILE
  --strict     fail when a module is verified neither by a go.sum nor by the
               checksum database (GOSUMDB)
  --json       print a machine-readable summary on stdout
  -h, --help   show this help
  --version    print the version

Go settings (GOPROXY, GOPRIVATE, GONOPROXY, GONOSUMDB, GOSUMDB, NETRC) are read
from the environment, then from Go's env file, then Go's defaults.

Exit codes: 0 success (or up to date), 1 out of date (--check), 2 error,
3 some leaves not regenerated (--keep-going).`;
async function main(argv) {
  let json = false;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        set: { type: "string", default: "set" },
        jobs: { type: "string" },
        timeout: { type: "string" },
        retries: { type: "string" },
        check: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        "update-leaves": { type: "boolean", default: false },
        "keep-going": { type: "boolean", default: false },
        report: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false }
      },
      strict: true,
      allowPositionals: false
    });
    json = values.json;
    if (values.help) {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    if (values.version) {
      process.stdout.write("update-set 0.1.0\n");
      return 0;
    }
    const jobs = parseCount("--jobs", values.jobs, 1, 256) ?? Math.max(4, availableParallelism2());
    const timeout = parseCount("--timeout", values.timeout, 1, 3600);
    const retries = parseCount("--retries", values.retries, 0, 20);
    const reporter = createReporter(process.stderr, { quiet: json });
    const result = await updateSet({
      setDir: values.set,
      jobs,
      check: values.check,
      strict: values.strict,
      updateLeaves: values["update-leaves"],
      keepGoing: values["keep-going"],
      ...values.report === void 0 ? {} : { reportFile: values.report },
      onEvent: reporter.onEvent,
      ...timeout === void 0 ? {} : { timeoutMs: timeout * 1e3 },
      ...retries === void 0 ? {} : { retries }
    }).finally(reporter.close);
    if (json) process.stdout.write(JSON.stringify(summarize2(result, values.check), null, 2) + "\n");
    else process.stderr.write(describe(result, values.check));
    if (result.failedLeaves.length > 0) return 3;
    return values.check && !result.upToDate ? 1 : 0;
  } catch (e) {
    return reportError(e, json);
  }
}
function parseCount(flag, value2, min, max) {
  if (value2 === void 0) return void 0;
  const n = Number(value2);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new GosetError("GOSET_USAGE", `${flag} must be an integer from ${min} to ${max}, not "${value2}"`, { hint: `for example ${flag} ${Math.max(min, 2)}` });
  }
  return n;
}
function summarize2(r, check) {
  return {
    ok: (!check || r.upToDate) && r.failedLeaves.length === 0,
    upToDate: r.upToDate,
    setDir: r.setDir,
    modules: r.modules,
    cycles: r.cycles,
    leaves: r.leaves,
    [check ? "outOfDate" : "written"]: r.written,
    removed: r.removed,
    zipDownloads: r.zipDownloads,
    goModFetches: r.goModFetches,
    verified: r.verified,
    warnings: r.warnings,
    failedLeaves: r.failedLeaves
  };
}
function describe(r, check) {
  const lines = [`${r.leaves} leaves, ${r.modules} modules, ${r.cycles} cycles; ${r.zipDownloads} zips downloaded`];
  lines.push(`verified: ${r.verified["go.sum"]} by go.sum, ${r.verified.sumdb} by checksum database, ${r.verified.none} not verified`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const f of r.failedLeaves) lines.push(`leaf ${f.name} not regenerated (${f.kept ? "previous state kept" : "left out"}): error ${f.code}: ${f.message}`);
  if (r.upToDate) lines.push(check ? "up to date" : "nothing changed");
  else {
    const verb = check ? "out of date" : "wrote";
    for (const f of r.written) lines.push(`${verb}: ${f}`);
    for (const f of r.removed) lines.push(`${check ? "stale" : "removed"}: ${f}`);
    if (check) lines.push("run update-set to regenerate the set");
  }
  return lines.join("\n") + "\n";
}
function reportError(e, json) {
  const error = isGosetError(e) ? e : new GosetError("GOSET_INTERNAL", e instanceof Error ? e.stack ?? e.message : String(e), { hint: "this is a bug in update-set; please report it with the command you ran" });
  if (json) {
    process.stdout.write(JSON.stringify({ ok: false, error: { code: error.code, message: error.message, hint: error.hint ?? null } }, null, 2) + "\n");
  }
  process.stderr.write(redact(`error ${error.code}: ${error.message}
`) + (error.hint ? redact(`  hint: ${error.hint}
`) : ""));
  return 2;
}
export {
  USAGE,
  main,
  parseCount,
  reportError
};

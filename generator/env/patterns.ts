/**
 * The glob lists of GOPRIVATE, GONOPROXY, GONOSUMDB and GOINSECURE: Go's
 * path.Match patterns, each matched against as many leading elements of a
 * module path as the pattern has (x/mod module.MatchPrefixPatterns).
 */

type Token =
  | { readonly kind: "star" }
  | { readonly kind: "any" }
  | { readonly kind: "literal"; readonly char: string }
  | {
      readonly kind: "class";
      readonly negated: boolean;
      readonly ranges: readonly (readonly [lo: number, hi: number])[];
    };

/** Tokens of a path.Match pattern, or undefined when Go would report ErrBadPattern. */
function compilePattern(pattern: string): Token[] | undefined {
  const chars = [...pattern];
  const tokens: Token[] = [];
  let i = 0;
  // An escape or range bound: one character, which may be `\`-escaped.
  const readClassChar = (): number | undefined => {
    let c = chars[i];
    if (c === undefined || c === "-" || c === "]") return undefined;
    if (c === "\\") {
      i++;
      c = chars[i];
      if (c === undefined) return undefined;
    }
    i++;
    return c.codePointAt(0);
  };
  while (i < chars.length) {
    const c = chars[i] as string;
    if (c === "*") {
      tokens.push({ kind: "star" });
      i++;
    } else if (c === "?") {
      tokens.push({ kind: "any" });
      i++;
    } else if (c === "\\") {
      const next = chars[i + 1];
      if (next === undefined) return undefined;
      tokens.push({ kind: "literal", char: next });
      i += 2;
    } else if (c === "[") {
      i++;
      let negated = false;
      if (chars[i] === "^") {
        negated = true;
        i++;
      }
      const ranges: (readonly [number, number])[] = [];
      for (;;) {
        if (chars[i] === "]" && ranges.length > 0) {
          i++;
          break;
        }
        const lo = readClassChar();
        if (lo === undefined || i >= chars.length) return undefined;
        let hi = lo;
        if (chars[i] === "-") {
          i++;
          const h = readClassChar();
          if (h === undefined || i >= chars.length) return undefined;
          hi = h;
        }
        ranges.push([lo, hi]);
      }
      tokens.push({ kind: "class", negated, ranges });
    } else {
      tokens.push({ kind: "literal", char: c });
      i++;
    }
  }
  return tokens;
}

function matchTokens(tokens: readonly Token[], ti: number, name: readonly string[], ni: number): boolean {
  for (; ti < tokens.length; ti++) {
    const t = tokens[ti] as Token;
    if (t.kind === "star") {
      // `*` takes any run of characters up to the next `/`.
      for (let end = ni; end <= name.length; end++) {
        if (matchTokens(tokens, ti + 1, name, end)) return true;
        if (end < name.length && name[end] === "/") return false;
      }
      return false;
    }
    const c = name[ni];
    if (c === undefined) return false;
    if (t.kind === "any") {
      if (c === "/") return false;
    } else if (t.kind === "literal") {
      if (c !== t.char) return false;
    } else {
      const code = c.codePointAt(0) as number;
      const inClass = t.ranges.some(([lo, hi]) => lo <= code && code <= hi);
      if (inClass === t.negated) return false;
    }
    ni++;
  }
  return ni === name.length;
}

/**
 * Go's path.Match: `*` matches any run of non-`/` characters, `?` one
 * non-`/` character, `[...]` a class (`^` negates, `a-z` ranges, `\` escapes),
 * `\c` the character c. A malformed pattern matches nothing.
 */
export function pathMatch(pattern: string, name: string): boolean {
  const tokens = compilePattern(pattern);
  if (tokens === undefined) return false;
  return matchTokens(tokens, 0, [...name], 0);
}

/**
 * Whether any comma-separated glob in `globs` matches a leading part of
 * `path`: a glob of N elements is matched against the first N elements, so
 * `*.corp.com` matches `git.corp.com/a/b`. Empty entries and a trailing `/`
 * on an entry are ignored.
 */
export function matchPrefixPatterns(globs: string, path: string): boolean {
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

/** Go's interpreted string literals ("..."), as strconv.Unquote reads them. */

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34,
};

const encoder = new TextEncoder();

/**
 * The bytes a quoted literal (with its quotes) stands for, or undefined when
 * it is not a valid literal: unknown escapes, bad digits, code points beyond
 * Unicode or in the surrogate range, an unescaped quote or newline inside.
 */
export function unquoteBytes(literal: string): Uint8Array | undefined {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return undefined;
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  const pushText = (s: string): void => {
    for (const b of encoder.encode(s)) bytes.push(b);
  };
  for (let i = 0; i < body.length; ) {
    const c = body[i] ?? "";
    if (c === '"' || c === "\n") return undefined;
    if (c !== "\\") {
      const s = String.fromCodePoint(body.codePointAt(i) ?? 0);
      pushText(s);
      i += s.length;
      continue;
    }
    const e = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    if (e === "x" || e === "u" || e === "U") {
      const width = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) return undefined;
      const value = parseInt(hex, 16);
      if (e === "x") {
        bytes.push(value);
      } else {
        if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
        pushText(String.fromCodePoint(value));
      }
      i += 2 + width;
      continue;
    }
    const octal = body.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(octal)) return undefined;
    const value = parseInt(octal, 8);
    if (value > 255) return undefined;
    bytes.push(value);
    i += 4;
  }
  return new Uint8Array(bytes);
}

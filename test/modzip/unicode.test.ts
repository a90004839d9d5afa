import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFilePath, foldName } from "../../generator/modzip/index.js";
import { GO, makeTempDir, removeTree } from "./helpers.js";

// Prints Go's strToFold for every rune it changes (F), and the rune ranges
// unicode.IsLetter accepts (L) and that Go's tables assign at all (A).
const GO_PROGRAM = `package main

import (
	"bufio"
	"fmt"
	"os"
	"unicode"
)

func fold(r rune) rune {
	for {
		r0 := r
		r = unicode.SimpleFold(r0)
		if r <= r0 {
			break
		}
	}
	if 'A' <= r && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

func assigned(r rune) bool {
	for name, t := range unicode.Categories {
		if len(name) == 2 && name != "Cn" && unicode.Is(t, r) {
			return true
		}
	}
	return false
}

func ranges(w *bufio.Writer, tag string, in func(rune) bool) {
	start := rune(-1)
	for r := rune(0); r <= unicode.MaxRune+1; r++ {
		ok := r <= unicode.MaxRune && in(r)
		if ok && start < 0 {
			start = r
		} else if !ok && start >= 0 {
			fmt.Fprintf(w, "%s %d %d\\n", tag, start, r-1)
			start = -1
		}
	}
}

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "V %s\\n", unicode.Version)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if f := fold(r); f != r && !(r >= 0xD800 && r <= 0xDFFF) {
			fmt.Fprintf(w, "F %d %d\\n", r, f)
		}
	}
	ranges(w, "L", unicode.IsLetter)
	ranges(w, "A", assigned)
}
`;

interface GoUnicode {
  version: string;
  fold: Map<number, number>;
  isLetter: (cp: number) => boolean;
  isAssigned: (cp: number) => boolean;
}

function rangeSet(ranges: [number, number][]): (cp: number) => boolean {
  const bits = new Uint8Array(0x110000);
  for (const [a, b] of ranges) bits.fill(1, a, b + 1);
  return (cp) => bits[cp] === 1;
}

describe("Unicode rules against Go's own tables", () => {
  let tmp: string;
  let go: GoUnicode;

  beforeAll(async () => {
    tmp = await makeTempDir("unicode");
    await writeFile(join(tmp, "main.go"), GO_PROGRAM);
    const { stdout } = await promisify(execFile)(GO, ["run", "main.go"], {
      cwd: tmp,
      env: { ...process.env, GOENV: "off", GOFLAGS: "", GO111MODULE: "off", GOTOOLCHAIN: "local" },
      maxBuffer: 64 << 20,
    });
    const fold = new Map<number, number>();
    const letters: [number, number][] = [];
    const assigned: [number, number][] = [];
    let version = "";
    for (const line of stdout.trim().split("\n")) {
      const [tag, a = "", b = ""] = line.split(" ");
      if (tag === "V") version = a;
      else if (tag === "F") fold.set(Number(a), Number(b));
      else if (tag === "L") letters.push([Number(a), Number(b)]);
      else if (tag === "A") assigned.push([Number(a), Number(b)]);
    }
    go = { version, fold, isLetter: rangeSet(letters), isAssigned: rangeSet(assigned) };
  });

  afterAll(async () => {
    if (tmp !== undefined) await removeTree(tmp);
  });

  it("Go's tables were read", () => {
    expect(go.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(go.fold.get(0x212a)).toBe(0x6b); // Kelvin sign folds to k
    expect(go.isLetter(0x10400)).toBe(true);
  });

  // Node's Unicode is newer than Go's: runes Go does not assign yet are
  // invalid in Go file paths anyway, so only Go-assigned runes must agree,
  // and a fold may differ only by reaching a case partner Go does not know yet.
  it("foldName equals Go's strToFold on every rune Go assigns", () => {
    const mismatches: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if ((cp >= 0xd800 && cp <= 0xdfff) || !go.isAssigned(cp)) continue;
      const ours = foldName(String.fromCodePoint(cp)).codePointAt(0);
      const theirs = go.fold.get(cp) ?? cp;
      if (ours !== theirs && (ours === undefined || go.isAssigned(ours))) mismatches.push(`U+${cp.toString(16)}: ${ours?.toString(16)} vs ${theirs.toString(16)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("file path characters: letters as unicode.IsLetter judges them, on every rune Go assigns", () => {
    const mismatches: string[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if ((cp >= 0xd800 && cp <= 0xdfff) || !go.isAssigned(cp)) continue;
      const ours = checkFilePath(`a${String.fromCodePoint(cp)}`) === undefined;
      if (ours !== go.isLetter(cp)) mismatches.push(`U+${cp.toString(16)}`);
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it.each([
    ["README", "readme"],
    ["\u212Aey.go", "key.go"],
    ["\u017Fum.go", "SUM.go"],
    ["\u03C2.txt", "\u03A3.txt"],
    ["\u1E9E", "\u00DF"],
    ["\u01C5", "\u01C4"],
  ])("%s and %s fold together", (a, b) => {
    expect(foldName(a)).toBe(foldName(b));
  });

  it.each([
    ["\u0131", "i"],
    ["\u0130", "i"],
    ["\u0131", "I"],
    ["a", "b"],
  ])("%s and %s stay apart", (a, b) => {
    expect(foldName(a)).not.toBe(foldName(b));
  });
});

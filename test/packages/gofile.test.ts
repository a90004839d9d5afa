import { describe, expect, it } from "vitest";
import type { GoFileHeader } from "../../generator/packages/gofile.js";
import { scanGoFileHeader, trimGoSpace } from "../../generator/packages/gofile.js";

const header = (over: Partial<GoFileHeader>): GoFileHeader => ({ packageName: "p", plusBuild: [], imports: [], importsC: false, ...over });

describe("scanGoFileHeader: build constraint lines", () => {
  it.each<[string, string, Partial<GoFileHeader>]>([
    ["//go:build before the package clause", "//go:build linux && !cgo\n\npackage p\n", { goBuild: "linux && !cgo" }],
    ["//go:build needs no blank line", "//go:build linux\npackage p\n", { goBuild: "linux" }],
    ["//go:build indented, tab-separated", "  \t//go:build\tlinux  \n\npackage p\n", { goBuild: "linux" }],
    ["//go:build after a /* */ block", "/* x */\n//go:build linux\npackage p\n", { goBuild: "linux" }],
    ["//go:build inside a /* */ block is text", "/*\n//go:build linux\n*/\npackage p\n", {}],
    ["//go:build after */ on the same line is not at a line start", "/* a\n b */ //go:build linux\npackage p\n", {}],
    ["//go:build after the package clause", "package p\n\n//go:build linux\n", {}],
    ["//go:buildlinux is no constraint", "//go:buildlinux\n\npackage p\n", {}],
    ["//go:build with nothing after it", "//go:build\n\npackage p\n", { goBuild: "" }],
    ["//go:build with a trailing comment keeps it (and fails to parse)", "//go:build linux // x\n\npackage p\n", { goBuild: "linux // x" }],
    ["two //go:build lines reject the file", "//go:build a\n//go:build b\n\npackage p\n", { goBuild: "a", invalid: "multiple //go:build comments" }],
    ["// +build followed by a blank line", "// +build linux darwin\n// +build !cgo\n\npackage p\n", { plusBuild: ["linux darwin", "!cgo"] }],
    ["// +build without a blank line is a doc comment", "// +build linux\npackage p\n", {}],
    ["// +build then a doc comment without blank line", "// +build linux\n// Package p.\npackage p\n", {}],
    ["// +build then blank then doc comment", "// +build linux\n\n// Package p.\npackage p\n", { plusBuild: ["linux"] }],
    ["// +build in every block before the last blank line", "// +build a\n\n// +build b\n\n// Doc.\npackage p\n", { plusBuild: ["a", "b"] }],
    ["// +build after a /* */ block", "/* x */\n// +build linux\n\npackage p\n", {}],
    ["//+build without a space", "//+build linux\n\npackage p\n", { plusBuild: ["linux"] }],
    ["// +build with nothing after it", "// +build\n\npackage p\n", { plusBuild: [""] }],
    ["// +builds is not +build", "// +builds linux\n\npackage p\n", {}],
    ["both kinds", "//go:build linux\n// +build darwin\n\npackage p\n", { goBuild: "linux", plusBuild: ["darwin"] }],
    ["CRLF line ends", "// +build linux\r\n\r\n//go:build linux\r\n\r\npackage p\r\n", { goBuild: "linux", plusBuild: ["linux"] }],
    ["a byte order mark", "\uFEFF//go:build linux\n\npackage p\n", { goBuild: "linux" }],
    ["Go's spaces, not JavaScript's: NBSP and U+0085 trim, U+FEFF does not", "//go:build\u00a0linux\u0085\n\npackage p\n", { goBuild: "linux" }],
  ])("%s", (_, text, expected) => {
    expect(scanGoFileHeader(text)).toEqual(header(expected));
  });

  it("trims like Go's strings.TrimSpace", () => {
    expect(trimGoSpace("\u0085\u3000 x \u2009\u00a0")).toBe("x");
    expect(trimGoSpace("\uFEFFx\u200B")).toBe("\uFEFFx\u200B");
  });
});

describe("scanGoFileHeader: package clause and imports", () => {
  it.each<[string, string, Partial<GoFileHeader>]>([
    ["no imports", "package main\n\nfunc main() {}\n", { packageName: "main" }],
    ["package clause alone, no newline", "package p", {}],
    ["single imports with names", 'package p\nimport "fmt"\nimport f "os"\nimport . "math"\nimport _ "embed"\n', { imports: ["fmt", "os", "math", "embed"] }],
    [
      "a group with comments and semicolons",
      'package p\n\nimport (\n\t"fmt" // x\n\t/* y */ "os"; "strings"\n\tstr "strconv"\n)\n\nfunc F() {}\n',
      { imports: ["fmt", "os", "strings", "strconv"] },
    ],
    ["one line with semicolons", 'package p; import "fmt"; import ("os"; "io";); var x = 1', { imports: ["fmt", "os", "io"] }],
    ["comments between tokens", 'package /* a */ p /* b */ ; import /* c */ x /* d */ "fmt" // e', { imports: ["fmt"] }],
    ["raw strings, \\r dropped", "package p\nimport `io`\nimport x `f\rmt`\n", { imports: ["io", "fmt"] }],
    ["escapes", 'package p\nimport "\\x66mt"\nimport "\\u006fs"\nimport "\\157s/exec"\nimport "\\U00000073ort"\n', { imports: ["fmt", "os", "os/exec", "sort"] }],
    ["duplicates once, in first-seen order", 'package p\nimport ("os"; "fmt")\nimport f "os"\n', { imports: ["os", "fmt"] }],
    ["C is noted, not listed", 'package p\n\n// #include <stdio.h>\nimport "C"\nimport ("unsafe"; _ "C")\n', { imports: ["unsafe"], importsC: true }],
    ["non-ASCII names and paths", 'package pä\nimport ß "example.com/日本"\n', { packageName: "pä", imports: ["example.com/日本"] }],
    ["stops at the first other declaration", 'package p\nimport "fmt"\nvar x = 1\nimport "os"\n', { imports: ["fmt"] }],
    ["a stray semicolon ends the imports", 'package p\n;\nimport "fmt"\n', {}],
    ["go never parses past what its reader takes: a second path", 'package p\nimport "C" "fmt"\n', { importsC: true }],
    ["nor an unclosed string after the imports", 'package p\nimport "fmt"\nvar s = "\\q\n', { imports: ["fmt"] }],
    ["a second byte order mark", '\uFEFF\uFEFFpackage p\nimport "fmt"\n', { imports: ["fmt"] }],
    ["a NUL after the header does not matter", 'package p\nimport "fmt"\nfunc F() {}\n// \0\n', { imports: ["fmt"] }],
    ["a NUL where go's reader looks rejects the file", 'package p\nimport "fmt"\n\n\0', { imports: ["fmt"], invalid: "unexpected NUL in input" }],
    ["package documentation is still a header", "package documentation\n", { packageName: "documentation" }],
  ])("%s", (_, text, expected) => {
    expect(scanGoFileHeader(text)).toEqual(header(expected));
  });

  it.each<[string, string]>([
    ["two paths in one group line", 'package p\nimport ( "fmt" "os" )\n'],
    ["a space in the path", 'package p\nimport "a b"\n'],
    ["an empty path", 'package p\nimport ""\n'],
    ["a backslash in the path", 'package p\nimport "a\\\\b"\n'],
    ["an unknown escape", 'package p\nimport "a\\q"\n'],
    ["an octal escape above 255", 'package p\nimport "\\400"\n'],
    ["a surrogate escape", 'package p\nimport "\\ud800"\n'],
    ["invalid UTF-8 from escapes", 'package p\nimport "\\xff"\n'],
    ["a non-graphic character", 'package p\nimport "\\U0010FFFF"\n'],
    ["a keyword as name", 'package p\nimport func "fmt"\n'],
    ["a number", "package p\nimport 5\n"],
    ["commas", 'package p\nimport ("fmt", "os")\n'],
    ["two semicolons in a group", 'package p\nimport ( "fmt";; "os" )\n'],
    ["an unterminated string", 'package p\nimport "fmt\nimport "os"\n'],
    ["an unclosed group", 'package p\nimport (\n"fmt"\n'],
    ["C among bad imports", 'package p\nimport ( "C" "fmt" )\n'],
  ])("imports that do not parse: %s (go lists the file without imports)", (_, text) => {
    const h = scanGoFileHeader(text);
    expect(h).toMatchObject({ packageName: "p", imports: [], importsC: false });
    expect(h?.importError).toEqual(expect.any(String));
  });

  it.each<[string, string]>([
    ["empty", ""],
    ["only comments", "// just this\n/* and this */\n"],
    ["an unterminated comment first", "/* never closed\npackage p\n"],
    ["a keyword as package name", "package func\n"],
    ["the import on the package line", 'package p import "fmt"\n'],
    ["a number as package name", "package 5\n"],
    ["package without a name", "package\n\nimport \"fmt\"\n"],
    ["a NUL before the package clause", "\0package p\n"],
    ["not Go at all", "\x89PNG\r\n\x1a\n"],
  ])("no package clause: %s", (_, text) => {
    expect(scanGoFileHeader(text)).toBeUndefined();
  });
});

describe("scanGoFileHeader on prefixes and garbage", () => {
  const file = [
    "// Copyright 2024.\n\n//go:build linux || darwin\n// +build linux darwin\n\n",
    "// Package p does things.\npackage p\n\n",
    'import (\n\t"fmt" // fmt\n\tx "os"\n\t/* c */ `io`\n\t"\\x73trings"\n)\n\nimport "C"\n\n',
    "/* A long comment\n that runs on */\nfunc F() { fmt.Println(`raw`, \"s\\n\") }\n",
  ].join("");
  const importsEnd = file.indexOf("/* A long");

  it("gives the full answer for every prefix that holds the imports, and never throws", () => {
    const full = scanGoFileHeader(file);
    expect(full).toEqual(header({ goBuild: "linux || darwin", plusBuild: ["linux darwin"], imports: ["fmt", "os", "io", "strings"], importsC: true }));
    for (let n = 0; n <= file.length; n++) {
      const h = scanGoFileHeader(file.slice(0, n));
      if (n >= importsEnd) expect(h, `prefix of ${n}`).toEqual(full);
    }
  });

  it("keeps the imports when a prefix ends inside a comment after them", () => {
    const big = `package p\n\nimport "fmt"\n\n/*${"x".repeat(1 << 20)}*/\nfunc F() {}\n`;
    expect(scanGoFileHeader(big.slice(0, 1 << 20))).toEqual(header({ imports: ["fmt"] }));
  });

  it("never throws on random input", () => {
    const alphabet = ['package', 'import', ' ', '\n', '\t', '(', ')', ';', '"', '`', "\\", '/', '*', '//go:build ', '// +build ', 'p', 'x', '.', '_', '\0', '\uFEFF', '\r', 'ü', '\uD800', '"fmt"', '\\u', '\\x', '7', '!', '&&'];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const parts = Array.from({ length: 1 + random(30) }, () => alphabet[random(alphabet.length)] as string);
      const text = parts.join("");
      expect(() => scanGoFileHeader(text), JSON.stringify(text)).not.toThrow();
    }
  });
});

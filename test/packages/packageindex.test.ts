import { describe, expect, it } from "vitest";
import { PackageIndexBuilder, isPackageSourceFile, isStandardImport, parsePackageIndex, serializePackageIndex, withTags } from "../../generator/packages/packageindex.js";

const chunked = (text: string, size: number): Buffer[] => {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
};

describe("PackageIndexBuilder", () => {
  it("keeps non-standard imports of files some set platform builds, per directory", () => {
    const b = new PackageIndexBuilder();
    b.addGoFile(["a.go"], [Buffer.from('package a\n\nimport (\n\t"fmt"\n\t"example.com/x"\n)\n')]);
    b.addGoFile(["sub", "s_linux.go"], [Buffer.from('package sub\nimport "example.com/y/z"\n')]);
    b.addGoFile(["sub", "s_windows.go"], [Buffer.from('package sub\nimport "example.com/windows/only"\n')]);
    b.addGoFile(["win", "w.go"], [Buffer.from('//go:build windows\n\npackage win\nimport "example.com/w"\n')]);
    b.addGoFile(["std", "s.go"], [Buffer.from('package std\nimport "os"\n')]);
    expect(Object.fromEntries(b.build())).toEqual({ ".": ["example.com/x"], std: [], sub: ["example.com/y/z"] });
  });

  it("reads headers that run past the first 64 KiB, whatever the chunking", () => {
    const comment = `// ${"x".repeat(100)}\n`.repeat(1000); // about 100 KiB before the package clause
    const text = `${comment}package big\n\nimport (\n\t"example.com/late"\n)\n\nfunc F() {}\n`;
    for (const size of [7, 4096, 65536, 1 << 20]) {
      const b = new PackageIndexBuilder();
      b.addGoFile(["big.go"], chunked(text, size));
      expect(Object.fromEntries(b.build())).toEqual({ ".": ["example.com/late"] });
    }
  });

  it("reads a short header of a long file from its start", () => {
    const text = `package long\n\nimport "example.com/early"\n\nvar s = \`${"y".repeat(300_000)}\`\n`;
    const b = new PackageIndexBuilder();
    b.addGoFile(["long.go"], chunked(text, 65536));
    expect(Object.fromEntries(b.build())).toEqual({ ".": ["example.com/early"] });
  });
});

describe("which files and imports count", () => {
  it.each<[string, boolean]>([
    ["a.go", true],
    ["cmd/x/main.go", true],
    ["a_test.go", false],
    ["a.s", false],
    ["testdata/a.go", false],
    ["vendor/example.com/x/a.go", false],
    ["_old/a.go", false],
    [".hidden/a.go", false],
    ["_a.go", false],
    ["internal/testdata.go", true],
  ])("%s: %s", (path, expected) => {
    expect(isPackageSourceFile(path.split("/"))).toBe(expected);
  });

  it.each<[string, boolean]>([
    ["fmt", true],
    ["net/http", true],
    ["example.com/x", false],
    ["golang.org/x/sys/unix", false],
  ])("%s is standard: %s", (path, expected) => {
    expect(isStandardImport(path)).toBe(expected);
  });
});

describe("files only build tags select", () => {
  const file = (text: string) => [Buffer.from(text)];
  const build = () => {
    const b = new PackageIndexBuilder();
    b.addGoFile(["main.go"], file('package main\n\nimport "example.com/always"\n'));
    b.addGoFile(["re2.go"], file('//go:build gore2regex && !tinygo\n\npackage main\n\nimport "example.com/re2"\n'));
    b.addGoFile(["legacy.go"], file('// +build sqlite3\n\npackage main\n\nimport "example.com/sqlite"\n'));
    b.addGoFile(["win.go"], file('//go:build windows\n\npackage main\n\nimport "example.com/win"\n'));
    b.addGoFile(["gen.go"], file('//go:build ignore\n\npackage main\n\nimport "example.com/gen"\n'));
    b.addGoFile(["tools.go"], file('//go:build tools\n\npackage main\n\nimport _ "example.com/tool"\n'));
    b.addGoFile(["badger.go"], file('//go:build !nobadger\n\npackage main\n\nimport _ "example.com/badger"\n'));
    return b.build();
  };

  it("keeps every file of a directory tags change, with its constraint; platform-only, ignore and tools files aside", () => {
    const index = build();
    expect(index.get(".")).toEqual(["example.com/always", "example.com/badger"]);
    expect([...(index.tagged?.get(".") ?? [])].map((f) => f.name)).toEqual(["badger.go", "legacy.go", "main.go", "re2.go"]);
  });

  it("gives the imports of the files a leaf's tags select, and survives the digest cache", () => {
    const index = parsePackageIndex(JSON.parse(JSON.stringify(serializePackageIndex(build()))));
    if (index === undefined) throw new Error("unreadable index");
    expect(withTags(index, []).get(".")).toEqual(["example.com/always", "example.com/badger"]);
    expect(withTags(index, ["gore2regex"]).get(".")).toEqual(["example.com/always", "example.com/badger", "example.com/re2"]);
    expect(withTags(index, ["sqlite3", "gore2regex", "windows"]).get(".")).toEqual(["example.com/always", "example.com/badger", "example.com/re2", "example.com/sqlite"]);
    // A tag can drop a file too, as go's would.
    expect(withTags(index, ["nobadger"]).get(".")).toEqual(["example.com/always"]);
  });
});

import { describe, expect, it } from "vitest";
import { leafImports, memberImports, packagesBuiltBySet } from "../../generator/graph/packages.js";
import type { LeafPackages } from "../../generator/graph/packages.js";
import type { PackageIndex } from "../../generator/packages/packageindex.js";

const index = (dirs: Record<string, string[]>): PackageIndex => new Map(Object.entries(dirs));

const members = new Map<string, PackageIndex>([
  ["example.com/lib", index({ ".": ["example.com/lib/internal/a"], "internal/a": ["example.com/dep"], unused: ["example.com/other"] })],
  ["example.com/lib/sub", index({ ".": [] })],
  ["example.com/dep", index({ ".": [], extra: [] })],
  ["example.com/other", index({ ".": [] })],
  ["example.com/nested", index({ ".": [] })],
  ["example.com/nested/inner", index({ x: [] })],
]);

const leaf = (over: Partial<LeafPackages>): LeafPackages => ({
  modulePath: "example.com/app",
  packages: index({ ".": ["example.com/app/cmd"], cmd: ["example.com/lib"], tools: ["example.com/other"] }),
  subPackages: ["."],
  replaced: new Set(),
  ...over,
});

describe("packagesBuiltBySet", () => {
  it("follows imports across modules from the leaf's main packages only", () => {
    const built = packagesBuiltBySet([leaf({})], members);
    expect(Object.fromEntries(built)).toEqual({
      "example.com/lib": [".", "internal/a"],
      "example.com/lib/sub": [],
      "example.com/dep": ["."],
      "example.com/other": [],
      "example.com/nested": [],
      "example.com/nested/inner": [],
    });
  });

  it("takes the union over leaves, and subPackages patterns with ...", () => {
    const other = leaf({ modulePath: "example.com/tool", packages: index({ "cmd/t": ["example.com/other", "example.com/lib/sub"], "cmd/u": ["example.com/dep/extra"] }), subPackages: ["./cmd/..."] });
    const built = packagesBuiltBySet([leaf({}), other], members);
    expect(built.get("example.com/other")).toEqual(["."]);
    expect(built.get("example.com/lib/sub")).toEqual(["."]);
    expect(built.get("example.com/dep")).toEqual([".", "extra"]);
  });

  it("resolves an import to the longest module path that holds the package", () => {
    const app = leaf({ packages: index({ ".": ["example.com/nested/inner/x", "example.com/lib/sub"] }) });
    const built = packagesBuiltBySet([app], members);
    expect(built.get("example.com/nested/inner")).toEqual(["x"]);
    expect(built.get("example.com/nested")).toEqual([]);
    expect(built.get("example.com/lib/sub")).toEqual(["."]);
    expect(built.get("example.com/lib")).toEqual([]);
  });

  it("skips modules the leaf replaces, and standard or unknown imports", () => {
    const built = packagesBuiltBySet([leaf({ replaced: new Set(["example.com/lib"]) })], members);
    expect(built.get("example.com/lib")).toEqual([]);
    expect(built.get("example.com/dep")).toEqual([]);
  });

  it("gives the same lists whatever the order of leaves and imports", () => {
    const a = leaf({ packages: index({ ".": ["example.com/dep", "example.com/lib"] }) });
    const b = leaf({ modulePath: "example.com/b", packages: index({ ".": ["example.com/other"] }) });
    expect(packagesBuiltBySet([a, b], members)).toEqual(packagesBuiltBySet([b, a], members));
  });
});

describe("memberImports", () => {
  it("links a member to the members its listed packages import, and to no others", () => {
    const built = packagesBuiltBySet([leaf({})], members);
    expect(Object.fromEntries(memberImports(built, members))).toEqual({
      // lib's unused package imports other, but lib does not build it
      "example.com/lib": ["example.com/dep"],
      "example.com/lib/sub": [],
      "example.com/dep": [],
      "example.com/other": [],
      "example.com/nested": [],
      "example.com/nested/inner": [],
    });
  });

  it("resolves imports against the members even where a leaf replaces one", () => {
    const built = new Map([["example.com/lib", ["internal/a"]]]);
    expect(memberImports(built, members).get("example.com/lib")).toEqual(["example.com/dep"]);
  });
});

describe("leafImports", () => {
  it("gives the members the leaf's own reachable packages import, not those of packages its main packages never reach", () => {
    expect(leafImports(leaf({}), members)).toEqual(["example.com/lib"]);
    expect(leafImports(leaf({ subPackages: ["./..."] }), members)).toEqual(["example.com/lib", "example.com/other"]);
  });

  it("leaves out replaced modules and imports no member provides", () => {
    const app = leaf({ packages: index({ ".": ["example.com/lib", "example.com/dep/extra", "example.com/missing"] }), replaced: new Set(["example.com/lib"]) });
    expect(leafImports(app, members)).toEqual(["example.com/dep"]);
  });
});

import { describe, expect, it } from "vitest";
import { parseLeavesFile } from "../../generator/leaves/leavesfile.js";

describe("parseLeavesFile", () => {
  it("reads module and path leaves, subPackages and pins, sorted by name", () => {
    const file = parseLeavesFile(
      [
        "leaves:",
        "  mytool:",
        "    path: ../apps/mytool",
        "  fzf:",
        "    module: github.com/junegunn/fzf",
        "    version: v0.56.3",
        "    subPackages: [\".\", \"cmd/x\"]",
        "pins:",
        "  golang.org/x/net: v0.33.0",
      ].join("\n"),
      "leaves.yaml",
    );
    expect(file.leaves.map((l) => l.name)).toEqual(["fzf", "mytool"]);
    expect(file.leaves[0]).toEqual({ name: "fzf", source: { kind: "module", module: "github.com/junegunn/fzf", version: "v0.56.3" }, subPackages: [".", "cmd/x"], holds: new Map(), package: {} });
    expect(file.leaves[1]?.source).toEqual({ kind: "path", path: "../apps/mytool" });
    expect(file.leaves[1]?.subPackages).toEqual(["."]);
    expect(Object.fromEntries(file.pins)).toEqual({ "golang.org/x/net": "v0.33.0" });
  });

  it("reads holds: a version, or a version with a reason, sorted by path", () => {
    const file = parseLeavesFile(
      [
        "leaves:",
        "  gopls:",
        "    module: golang.org/x/tools/gopls",
        "    version: v0.23.0",
        "    hold:",
        "      golang.org/x/tools: { version: v0.48.0, reason: \"v0.49.0 drops packagepath.IsStdPackage\" }",
        "      example.com/a: v1.0.0",
      ].join("\n"),
      "leaves.yaml",
    );
    expect([...(file.leaves[0]?.holds ?? [])]).toEqual([
      ["example.com/a", { version: "v1.0.0" }],
      ["golang.org/x/tools", { version: "v0.48.0", reason: "v0.49.0 drops packagepath.IsStdPackage" }],
    ]);
  });

  it("reads a leaf's package attributes: ldflags, tags, env, doCheck and meta with SPDX licences", () => {
    const file = parseLeavesFile(
      [
        "leaves:",
        "  fzf:",
        "    module: github.com/junegunn/fzf",
        "    version: v0.65.2",
        "    ldflags: [\"-s\", \"-w\", \"-X main.version={version}\"]",
        "    tags: [netgo]",
        "    env: { GOEXPERIMENT: loopvar, CGO_ENABLED: 0 }",
        "    doCheck: true",
        "    meta:",
        "      mainProgram: fzf",
        "      license: MIT",
        "      description: A command-line fuzzy finder",
        "      homepage: https://github.com/junegunn/fzf",
        "  dual:",
        "    path: x",
        "    meta: { license: [MIT, Apache-2.0] }",
      ].join("\n"),
      "leaves.yaml",
    );
    expect(file.leaves[1]?.package).toEqual({
      ldflags: ["-s", "-w", "-X main.version={version}"],
      tags: ["netgo"],
      env: { CGO_ENABLED: "0", GOEXPERIMENT: "loopvar" },
      doCheck: true,
      meta: { description: "A command-line fuzzy finder", homepage: "https://github.com/junegunn/fzf", license: ["MIT"], mainProgram: "fzf" },
    });
    expect(file.leaves[0]?.package).toEqual({ meta: { license: ["MIT", "Apache-2.0"] } });
  });

  it.each([
    ["a version without its v", "leaves:\n  a:\n    module: example.com/a\n    version: 0.65.2\n", /version 0.65.2 needs its leading v \(write v0.65.2\)/],
    ["a version YAML reads as a number", "leaves:\n  a:\n    module: example.com/a\n    version: 1.5\n", /version 1.5 needs its leading v/],
    ["a module that is not a path", "leaves:\n  a:\n    module: 123\n    version: v1.0.0\n", /module must be a module path .*not 123/],
    ["ldflags not a list", "leaves:\n  a:\n    path: x\n    ldflags: \"-s -w\"\n", /leaves\.yaml:4: leaf "a": ldflags must be a list of strings/],
    ["doCheck not a boolean", "leaves:\n  a:\n    path: x\n    doCheck: \"yes\"\n", /leaves\.yaml:4: leaf "a": doCheck must be true or false/],
    ["env value a list", "leaves:\n  a:\n    path: x\n    env: { CGO_ENABLED: [0] }\n", /env\.CGO_ENABLED must be a string/],
    ["unknown meta key", "leaves:\n  a:\n    path: x\n    meta: { maintainers: [me] }\n", /meta: unknown key "maintainers"/],
    ["unknown licence", "leaves:\n  a:\n    path: x\n    meta: { license: GPL }\n", /meta\.license "GPL" is not an SPDX identifier/],
    ["empty description", "leaves:\n  a:\n    path: x\n    meta: { description: \"\" }\n", /meta\.description must be a non-empty string/],
    ["hold without version", "leaves:\n  a:\n    path: x\n    hold:\n      example.com/b: { reason: why }\n", /leaves\.yaml:5: leaf "a": hold of example\.com\/b needs a version/],
    ["hold with unknown key", "leaves:\n  a:\n    path: x\n    hold:\n      example.com/b: { version: v1.0.0, until: never }\n", /hold of example\.com\/b: unknown key "until"/],
    ["not yaml", "leaves: [unclosed", /leaves\.yaml:1:/],
    ["no leaves", "pins: {}\n", /non-empty mapping/],
    ["unknown top key", "leaves:\n  a: { path: x }\nextra: 1\n", /leaves\.yaml:3: unknown top-level key "extra"/],
    ["both path and module", "leaves:\n  a:\n    path: x\n    module: m\n", /either path or module/],
    ["missing version", "leaves:\n  a:\n    module: example.com/a\n", /leaves\.yaml:3: .*version must be/],
    ["bad leaf name", "leaves:\n  \"has space\": { path: x }\n", /not a plain Nix attribute name/],
    ["unknown leaf key", "leaves:\n  a:\n    path: x\n    colour: red\n", /leaves\.yaml:4: leaf "a": unknown key "colour"/],
    ["escaping subPackage", "leaves:\n  a:\n    path: x\n    subPackages: [\"../y\"]\n", /leaves the module/],
    ["bad pin", "leaves:\n  a: { path: x }\npins:\n  example.com/a: 1.2.3\n", /leaves\.yaml:4: pin/],
    ["duplicate key", "leaves:\n  a: { path: x }\n  a: { path: y }\n", /leaves\.yaml:3:/],
  ])("rejects %s with GOSET_LEAVES_INVALID, file and line", (_name, text, message) => {
    expect(() => parseLeavesFile(text, "leaves.yaml")).toThrow(message);
    try {
      parseLeavesFile(text, "leaves.yaml");
    } catch (e) {
      expect(e).toMatchObject({ code: "GOSET_LEAVES_INVALID", hint: expect.stringContaining("leaves.yaml") });
    }
  });
});

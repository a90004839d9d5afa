/**
 * A leaf as a package: leaves.yaml's ldflags (with `{version}`), tags, env and
 * meta rendered into the leaf's Nix file and honoured by a real sandboxed build
 * on both package bases; leaves fixed in overrides.nix, stale leaf fixes
 * dropped; every licence goset maps checked against real nixpkgs' lib.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { runCli, updateEnv } from "../update/helpers.js";
import { BASES, REPO, nix, nixBuild, nixEnv, nixEval, nixpkgsMinDir } from "./nix.js";

const run = promisify(execFile);

const MAIN_GO = `package main

import "fmt"

var version = "dev"

func main() { fmt.Println("versioned", version, flavour, cgo) }
`;
const SOURCES: Record<string, string> = {
  "go.mod": "module example.com/versioned\n\ngo 1.22\n",
  "main.go": MAIN_GO,
  "extra.go": "//go:build extra\n\npackage main\n\nconst flavour = \"extra\"\n",
  "plain.go": "//go:build !extra\n\npackage main\n\nconst flavour = \"plain\"\n",
  "cgo.go": "//go:build cgo\n\npackage main\n\nconst cgo = \"cgo\"\n",
  "nocgo.go": "//go:build !cgo\n\npackage main\n\nconst cgo = \"nocgo\"\n",
};

const LEAVES_YAML = `leaves:
  versioned:
    path: ./versioned
    ldflags: ["-s", "-w", "-X main.version={version}"]
    tags: [extra]
    env: { CGO_ENABLED: "0" }
    meta:
      description: Prints its version, build tag and cgo setting
      homepage: https://example.com/versioned
      license: [MIT, Apache-2.0]
      mainProgram: versioned
  plain:
    path: ./versioned
`;

let setDir: string;
let cacheHome: string;
const env = nixEnv();

beforeAll(async () => {
  setDir = await makeTempDir("goset-leafpkg-");
  cacheHome = await makeTempDir("goset-cache-");
  await mkdir(join(setDir, "versioned"));
  for (const [name, text] of Object.entries(SOURCES)) await writeFile(join(setDir, "versioned", name), text);
  await writeFile(join(setDir, "leaves.yaml"), LEAVES_YAML);
  const gen = await runCli(["--set", setDir], updateEnv("off", cacheHome));
  if (gen.code !== 0) throw new Error(gen.stderr);
}, 120_000);

afterAll(async () => {
  await removeTree(setDir);
  await removeTree(cacheHome);
});

describe("a leaf's package attributes", () => {
  it("renders ldflags with ${finalAttrs.version}, tags, env, doCheck and meta with lib.licenses names", async () => {
    const text = await readFile(join(setDir, "leaves", "versioned.nix"), "utf8");
    expect(text).toContain("{ lib, buildGoApplication, fetchGoModule }:");
    expect(text).toContain("buildGoApplication (finalAttrs: {");
    expect(text).toContain('"-X main.version=${finalAttrs.version}"');
    expect(text).toContain("license = [\n      lib.licenses.mit\n      lib.licenses.asl20\n    ];");
    // A leaf without package attributes needs neither lib nor finalAttrs.
    const plain = await readFile(join(setDir, "leaves", "plain.nix"), "utf8");
    expect(plain).toContain("{ buildGoApplication, fetchGoModule }:\n\nbuildGoApplication {");
    for (const file of ["leaves/versioned.nix", "leaves/plain.nix", "default.nix"]) {
      expect((await nix("nix-instantiate", ["--parse", join(setDir, file)], env)).code).toBe(0);
    }
    const check = await runCli(["--set", setDir, "--check"], updateEnv("off", cacheHome));
    expect(check.code).toBe(0);
  });

  describe.each(BASES)("built on the %s base", (base) => {
    it("links the version, selects the tags and applies env; meta evaluates", async () => {
      const res = await nixBuild(setDir, "leaves.versioned", env, [], base);
      expect(res.code, res.stderr.slice(-3000)).toBe(0);
      const { stdout } = await run(join(res.stdout.trim(), "bin", "versioned"));
      expect(stdout.trim()).toBe("versioned local extra nocgo");
      const meta = await nixEval<Record<string, unknown>>(setDir, `let m = goset.leaves.versioned.meta; in { inherit (m) description homepage mainProgram; license = map (l: l.spdxId) m.license; }`, env, base);
      expect(meta).toEqual({
        description: "Prints its version, build tag and cgo setting",
        homepage: "https://example.com/versioned",
        license: ["MIT", "Apache-2.0"],
        mainProgram: "versioned",
      });
    }, 900_000);
  });

  it("takes leaf fixes from overrides.nix (overrideAttrs of version reaches the ldflags) and drops fixes of leaves not in the set", async () => {
    await writeFile(
      join(setDir, "overrides.nix"),
      "final: prev: {\n  leaves.versioned = prev.leaves.versioned.overrideAttrs { version = \"9.9.9\"; };\n  leaves.gone = prev.leaves.gone.overrideAttrs { };\n}\n",
    );
    try {
      const res = await nixBuild(setDir, "leaves.versioned", env);
      expect(res.code, res.stderr.slice(-3000)).toBe(0);
      expect(res.stderr).toContain("fixes leaf gone, which is not in the set; ignored");
      const { stdout } = await run(join(res.stdout.trim(), "bin", "versioned"));
      expect(stdout.trim()).toBe("versioned 9.9.9 extra nocgo");
      // The leaves the fix does not name are still there, unchanged.
      const names = await nixEval<string[]>(setDir, "builtins.attrNames goset.leaves", env);
      expect(names).toEqual(["plain", "versioned"]);
    } finally {
      await writeFile(join(setDir, "overrides.nix"), "final: prev: { }\n");
    }
  }, 900_000);
});

describe("nix/licenses.json", () => {
  it("names, for every SPDX identifier, the nixpkgs licence with that spdxId and freedom", async () => {
    const table = JSON.parse(await readFile(join(REPO, "nix", "licenses.json"), "utf8")) as Record<string, { nixpkgs: string; free: boolean }>;
    const names = Object.values(table).map((l) => l.nixpkgs);
    const real = await nixEval<Record<string, { spdxId: string; free: boolean }>>(
      setDir,
      `let lib = import ${nixpkgsMinDir()}/lib; in lib.genAttrs (builtins.fromJSON ''${JSON.stringify(names)}'') (n: { inherit (lib.licenses.\${n}) spdxId free; })`,
      env,
    );
    for (const [spdxId, l] of Object.entries(table)) expect({ name: l.nixpkgs, ...real[l.nixpkgs] }).toEqual({ name: l.nixpkgs, spdxId, free: l.free });
  });
});

/**
 * buildGoApplication as a drop-in for buildGoModule: one test per row of the
 * README's attribute table, each a real Nix build in the sandbox of a small
 * project of the test's own against the fixture set, on the host base and on
 * real nixpkgs files; then cross-compilation and the package bases' own
 * promises (.override, the lib version check).
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "../fixture/index.js";
import { makeTempDir, prepareFixture, removeTree } from "../fixture/index.js";
import { makeFixtureSet, runCli, updateEnv } from "../update/helpers.js";
import type { Base, NixResult } from "./nix.js";
import { BASES, buildLog, gosetExpr, nix, nixEnv, nixpkgsMinDir, REPO } from "./nix.js";

const run = promisify(execFile);

let fx: Fixture;
let setDir: string;
let project: string;
let env: NodeJS.ProcessEnv;
const temps: string[] = [];

/** The project: a module in app/ (modRoot) with two commands, an example, a library with tests, a build-tagged file. */
const PROJECT: Record<string, string> = {
  "app/go.mod": "module example.com/dropin\n\ngo 1.22\n\nrequire example.com/shared/strutil v1.2.0\n",
  "app/cmd/hello/main.go":
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/shared/strutil"\n)\n\nvar version = "unset"\n\nvar goroot = ""\n\nfunc main() { fmt.Println("hello", version, strutil.Version(), flavour, goroot) }\n',
  "app/cmd/hello/plain.go": "//go:build !fancy\n\npackage main\n\nconst flavour = \"plain\"\n",
  "app/cmd/hello/fancy.go": "//go:build fancy\n\npackage main\n\nconst flavour = \"fancy\"\n",
  "app/cmd/extra/main.go": 'package main\n\nfunc main() { println("extra") }\n',
  "app/examples/demo/main.go": 'package main\n\nfunc main() { println("demo") }\n',
  "app/lib/lib.go": 'package lib\n\nimport "example.com/shared/strutil"\n\nfunc Loud(s string) string { return strutil.Shout(s) }\n',
  "app/lib/lib_test.go":
    'package lib\n\nimport "testing"\n\nfunc TestOnly(t *testing.T) {\n\tif Loud("a") != "A" {\n\t\tt.Fatal(Loud("a"))\n\t}\n}\n\nfunc TestOther(t *testing.T) { t.Fatal("TestOther ran") }\n',
};

/** The project's attributes, as a Nix attribute set body: `extra`, and the defaults it does not set. */
function projectAttrs(extra = ""): string {
  const defaults: Record<string, string> = { pname: '"dropin"', version: '"1.0"', src: project, modRoot: '"app"', checkFlags: '[ "-run=TestOnly" ]' };
  const unset = Object.entries(defaults).filter(([k]) => !new RegExp(`(^|[\\s;])${k} =`).test(extra));
  return `${unset.map(([k, v]) => `${k} = ${v};`).join(" ")} ${extra}`;
}

function build(base: Base, body: string, extra: readonly string[] = []): Promise<NixResult> {
  const expr = `let goset = ${gosetExpr(setDir, base)}; inherit (goset) buildGoApplication goPackages; in ${body}`;
  return nix("nix-build", ["-E", expr, "--no-out-link", ...extra], env);
}

function instantiate(base: Base, body: string): Promise<NixResult> {
  const expr = `let goset = ${gosetExpr(setDir, base)}; inherit (goset) buildGoApplication goPackages; in ${body}`;
  return nix("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], env);
}

async function built(base: Base, body: string): Promise<string> {
  const res = await build(base, body);
  if (res.code !== 0) throw new Error(`nix-build failed:\n${res.stderr.slice(-4000)}`);
  return res.stdout.trim();
}

async function runBin(path: string): Promise<string> {
  return (await run(path)).stdout.trim();
}

/** `go version -m`: the build settings Go recorded in a binary. */
async function buildInfo(path: string): Promise<string> {
  return (await run("go", ["version", "-m", path])).stdout;
}

beforeAll(async () => {
  fx = await prepareFixture();
  setDir = await makeFixtureSet(fx);
  const cacheHome = await makeTempDir("goset-cache-");
  project = await makeTempDir("goset-dropin-");
  temps.push(setDir, cacheHome, project);
  const gen = await runCli(["--set", setDir], updateEnv(fx.proxyUrl, cacheHome));
  if (gen.code !== 0) throw new Error(gen.stderr);
  for (const [name, text] of Object.entries(PROJECT)) {
    await mkdir(join(project, name, ".."), { recursive: true });
    await writeFile(join(project, name), text);
  }
  env = nixEnv({ GOPROXY: fx.proxyUrl, GOSUMDB: "off", GOPRIVATE: "", GONOSUMDB: "", GONOPROXY: "" });
}, 600_000);

afterAll(async () => {
  for (const t of temps) await removeTree(t);
  await fx?.close();
});

describe.each(BASES)("buildGoApplication on the %s base takes buildGoModule's attributes", (base) => {
  let main: string;
  let mainLog: string;

  beforeAll(async () => {
    // One build carries most rows: every attribute below is buildGoModule's spelling.
    main = await built(
      base,
      `buildGoApplication { ${projectAttrs()}
        excludedPackages = [ "extra" ];
        ldflags = [ "-X main.version=from-ldflags" ];
        tags = [ "fancy" ];
        CGO_ENABLED = 0;
        GOFLAGS = [ "-buildmode=pie" ];
        env.GOSET_ENV_PROBE = "probe-value";
        preBuild = "echo pre-build-hook-ran";
        postBuild = "echo post-build-hook-ran";
        preCheck = "echo pre-check-hook-ran";
        postInstall = "echo \\"$GOSET_ENV_PROBE\\" > $out/env-probe";
        nativeBuildInputs = [ (goPackages.gosetTools) ];
        buildInputs = [ ];
        passthru.probe = "passed";
        meta.description = "a drop-in probe";
      }`,
    );
    mainLog = await buildLog(main, env);
  }, 900_000);

  it("pname, version, src, modRoot: the module under modRoot builds as pname-version", () => {
    expect(main).toMatch(/-dropin-1\.0$/);
  });

  it("subPackages unset: every command except examples/ and excludedPackages", async () => {
    expect((await readdir(join(main, "bin"))).sort()).toEqual(["hello"]);
  });

  it("subPackages: exactly the listed packages", async () => {
    const out = await built(base, `buildGoApplication { ${projectAttrs('subPackages = [ "cmd/extra" "./cmd/hello" ];')} }`);
    expect((await readdir(join(out, "bin"))).sort()).toEqual(["extra", "hello"]);
  });

  it("ldflags and tags reach go build", async () => {
    expect(await runBin(join(main, "bin", "hello"))).toBe("hello from-ldflags strutil@v1.2.0 fancy");
  });

  it("top-level CGO_ENABLED and GOFLAGS go into env, after the set's flags", async () => {
    const info = await buildInfo(join(main, "bin", "hello"));
    expect(info).toMatch(/build\s+CGO_ENABLED=0/);
    expect(info).toMatch(/build\s+-buildmode=pie/);
    expect(info).toMatch(/build\s+-trimpath=true/);
    const drvEnv = await instantiate(base, `let d = buildGoApplication { ${projectAttrs("CGO_ENABLED = 0; GOFLAGS = [ \"-buildmode=pie\" ];")} }; in [ d.CGO_ENABLED d.GOFLAGS ]`);
    expect(JSON.parse(drvEnv.stdout)).toEqual(["0", "-mod=mod -trimpath -buildmode=pie"]);
  });

  it("env: variables reach every phase", async () => {
    expect((await readFile(join(main, "env-probe"), "utf8")).trim()).toBe("probe-value");
  });

  it("doCheck defaults to true and checkFlags reach go test (-run=TestOnly skips the failing test)", () => {
    expect(mainLog).toContain("pre-check-hook-ran");
    expect(mainLog).toMatch(/ok\s+example\.com\/dropin\/lib/);
  });

  it("doCheck: a failing test fails the build; doCheck = false skips it", async () => {
    const failing = await build(base, `buildGoApplication { ${projectAttrs('checkFlags = [ ]; postInstall = "echo failing-variant";')} }`);
    expect(failing.code).not.toBe(0);
    expect(failing.stderr).toContain("TestOther ran");
    const skipped = await build(base, `buildGoApplication { ${projectAttrs('checkFlags = [ ]; doCheck = false;')} }`);
    expect(skipped.code, skipped.stderr.slice(-2000)).toBe(0);
  });

  it("phase hooks run (preBuild, postBuild, preCheck, postInstall)", () => {
    expect(mainLog).toContain("pre-build-hook-ran");
    expect(mainLog).toContain("post-build-hook-ran");
  });

  it("nativeBuildInputs and buildInputs: tools on the PATH of the build", async () => {
    const out = await built(base, `buildGoApplication { ${projectAttrs('nativeBuildInputs = [ goPackages.gosetTools ]; buildInputs = [ ]; doCheck = false; preBuild = "command -v gocacheprog > $TMPDIR/found"; postInstall = "cp $TMPDIR/found $out/found";')} }`);
    expect(await readFile(join(out, "found"), "utf8")).toMatch(/goset-tools-0\/bin\/gocacheprog/);
  });

  it("passthru and meta are kept", async () => {
    const res = await instantiate(base, `let d = buildGoApplication { ${projectAttrs('passthru.probe = "passed"; meta.description = "a drop-in probe";')} }; in [ d.probe d.meta.description d.go.version ]`);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(["passed", "a drop-in probe", expect.stringMatching(/^1\.\d+/)]);
  });

  it("the finalAttrs form and overrideAttrs: a changed version reaches ldflags", async () => {
    const out = await built(
      base,
      `(buildGoApplication (finalAttrs: { ${projectAttrs('doCheck = false; subPackages = [ "cmd/hello" ];')} ldflags = [ "-X main.version=v\${finalAttrs.version}" ]; })).overrideAttrs { version = "2.0"; }`,
    );
    expect(out).toMatch(/-dropin-2\.0$/);
    expect(await runBin(join(out, "bin", "hello"))).toBe("hello v2.0 strutil@v1.2.0 plain");
  });

  it("allowGoReference: a binary naming the toolchain fails, unless allowed", async () => {
    const attrs = (allow: boolean) =>
      `buildGoApplication { ${projectAttrs(`doCheck = false; subPackages = [ "cmd/hello" ]; ldflags = [ "-X main.goroot=\${goPackages.go}" ]; allowGoReference = ${allow};`)} }`;
    const denied = await build(base, attrs(false));
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/is not allowed to refer to the following paths:\s+\S+-go-1\.\d+/);
    const allowed = await built(base, attrs(true));
    expect(await runBin(join(allowed, "bin", "hello"))).toMatch(/plain \/nix\/store\/\S+-go-1\.\d+/);
  });

  it("buildTestBinaries: test binaries instead of programs", async () => {
    const out = await built(base, `buildGoApplication { ${projectAttrs("buildTestBinaries = true; doCheck = false;")} }`);
    expect((await readdir(join(out, "bin"))).sort()).toEqual(["lib.test"]);
    const { stdout } = await run(join(out, "bin", "lib.test"), ["-test.run=TestOnly", "-test.v"]);
    expect(stdout).toContain("--- PASS: TestOnly");
  });

  it("name instead of pname and version; enableParallelBuilding passed on", async () => {
    const out = await built(base, `buildGoApplication { ${projectAttrs('name = "named-dropin-3"; pname = null; version = null; enableParallelBuilding = true; doCheck = false; subPackages = [ "cmd/extra" ];')} }`);
    expect(out).toMatch(/-named-dropin-3$/);
  });

  it("buildFlags reach go build", async () => {
    const out = await built(base, `buildGoApplication { ${projectAttrs('buildFlags = [ "-gcflags=-N" ]; doCheck = false; subPackages = [ "cmd/extra" ];')} }`);
    expect(await buildInfo(join(out, "bin", "extra"))).toMatch(/build\s+-gcflags=-N/);
  });

  it("patches are applied before the build", async () => {
    const patch = join(project, "..", `${base}-flavour.patch`);
    temps.push(patch);
    await writeFile(patch, '--- a/app/cmd/hello/plain.go\n+++ b/app/cmd/hello/plain.go\n@@ -2,4 +2,4 @@\n \n package main\n \n-const flavour = "plain"\n+const flavour = "patched"\n');
    const out = await built(base, `buildGoApplication { ${projectAttrs(`patches = [ ${patch} ]; doCheck = false; subPackages = [ "cmd/hello" ];`)} }`);
    expect(await runBin(join(out, "bin", "hello"))).toBe("hello unset strutil@v1.2.0 patched");
  });

  it("go: a go directive newer than the set's Go is an evaluation error; a toolchain builds", async () => {
    const res = await instantiate(base, `(buildGoApplication { ${projectAttrs('go = "9.99";')} }).drvPath`);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/goset: dropin needs go 9\.99, but the set's Go is 1\.\d+/);
    const out = await built(base, `buildGoApplication { ${projectAttrs('go = goPackages.go; doCheck = false; subPackages = [ "cmd/extra" ];')} }`);
    expect((await readdir(join(out, "bin"))).sort()).toEqual(["extra"]);
  });

  it("__structuredAttrs = true evaluates to a derivation (Nix 2.8 cannot build it)", async () => {
    const res = await instantiate(base, `let d = buildGoApplication { ${projectAttrs('__structuredAttrs = true; ldflags = [ "-s" "-w" ];')} }; in builtins.isString d.drvPath`);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe("true");
  });

  it("vendorHash, vendorSha256, proxyVendor, deleteVendor, overrideModAttrs, modPostBuild, goSum: accepted, one warning line each", async () => {
    const res = await instantiate(
      base,
      `(buildGoApplication { ${projectAttrs('vendorHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; vendorSha256 = "0"; proxyVendor = true; deleteVendor = true; overrideModAttrs = _: { }; modPostBuild = "true"; goSum = ./go.sum;')} }).drvPath`,
    );
    expect(res.code, res.stderr).toBe(0);
    for (const name of ["vendorHash", "vendorSha256", "proxyVendor", "deleteVendor", "overrideModAttrs", "modPostBuild", "goSum"]) {
      const lines = res.stderr.split("\n").filter((l) => l.includes(`buildGoApplication dropin: ${name} is not used:`));
      expect({ name, lines: lines.length }).toEqual({ name, lines: 1 });
    }
  });

  it("goModules unset: the set members come from the project's go.mod; a module the set lacks is an evaluation error naming it", async () => {
    const res = await instantiate(base, `(buildGoApplication { ${projectAttrs()} }).goDepends ? "example.com/shared/strutil"`);
    expect(res.stdout.trim()).toBe("true");
    const lacking = await makeTempDir("goset-lacking-");
    temps.push(lacking);
    await writeFile(join(lacking, "go.mod"), "module example.com/lacking\n\ngo 1.22\n\nrequire (\n\texample.com/shared/strutil v1.2.0\n\texample.com/not/in/set v1.0.0 // indirect\n)\n");
    const err = await instantiate(base, `(buildGoApplication { pname = "lacking"; version = "0"; src = ${lacking}; }).drvPath`);
    expect(err.code).not.toBe(0);
    expect(err.stderr).toContain("go.mod requires example.com/not/in/set, which the set does not hold");
    expect(err.stderr).toContain("as a path leaf");
  });
});

describe("cross-compilation", () => {
  it("builds a fixture leaf for linux/arm64 with the host base's crossSystem", async () => {
    const res = await nix(
      "nix-build",
      [REPO, "--arg", "set", setDir, "--arg", "pkgs", `import ${REPO}/nix/host-pkgs.nix { crossSystem = "aarch64-linux"; }`, "-A", "leaves.leaf-c", "--no-out-link"],
      env,
    );
    expect(res.code, res.stderr.slice(-3000)).toBe(0);
    const bin = join(res.stdout.trim(), "bin", "c");
    expect((await run("file", ["-L", bin])).stdout).toMatch(/ELF 64-bit LSB executable, ARM aarch64/);
    const info = await buildInfo(bin);
    expect(info).toMatch(/build\s+GOARCH=arm64/);
    expect(info).toMatch(/build\s+GOOS=linux/);
    expect(info).toMatch(/build\s+CGO_ENABLED=0/);
  }, 900_000);

  it("makes module derivations per platform, and GOOS/GOARCH follow stdenv.hostPlatform.go on real nixpkgs lib, else the toolchain's target", async () => {
    const expr = (pkgs: string) => `(import ${REPO} { set = ${setDir}; pkgs = ${pkgs}; }).goPackages."example.com/shared/strutil"`;
    const native = `import ${REPO}/nix/host-pkgs.nix { }`;
    const arm = `import ${REPO}/nix/host-pkgs.nix { crossSystem = "aarch64-linux"; }`;
    const realArm = `let real = import ${REPO}/test/nix/nixpkgs-min.nix { nixpkgs = ${nixpkgsMinDir()}; }; in real // { stdenv = real.stdenv // { hostPlatform = real.lib.systems.elaborate { config = "aarch64-unknown-linux-gnu"; }; cc = null; }; }`;
    // nixpkgs before 25.05: no hostPlatform.go; the toolchain (buildPackages.go) says what it targets.
    const olderArm = `let real = import ${REPO}/test/nix/nixpkgs-min.nix { nixpkgs = ${nixpkgsMinDir()}; }; in real // { stdenv = real.stdenv // { hostPlatform = removeAttrs real.stdenv.hostPlatform [ "go" ]; cc = null; }; go = real.go // { GOOS = "linux"; GOARCH = "arm"; GOARM = "7"; }; }`;
    const res = await nix("nix-instantiate", ["--eval", "--strict", "--json", "-E", `[ ${expr(native)}.drvPath ${expr(arm)}.drvPath ${expr(arm)}.GOARCH ${expr(realArm)}.GOARCH ${expr(olderArm)}.GOARCH ${expr(olderArm)}.GOARM ]`], env);
    expect(res.code, res.stderr).toBe(0);
    const [a, b, arch, realArch, olderArch, olderArm7] = JSON.parse(res.stdout) as string[];
    expect(a).not.toBe(b);
    expect(arch).toBe("arm64");
    expect(realArch).toBe("arm64");
    expect([olderArch, olderArm7]).toEqual(["arm", "7"]);
  });
});

describe("the package bases", () => {
  it("the host base gives callPackage results .override, kept through overrideAttrs", async () => {
    const res = await instantiate("host", `let l = goPackages.callPackage ${setDir}/leaves/leaf-c.nix { }; o = l.override (a: { buildGoApplication = x: a.buildGoApplication (x // { pname = "renamed"; }); }); in [ o.name ((l.overrideAttrs { pname = "x"; }).override { }).name ]`);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([expect.stringMatching(/^renamed-/), expect.stringMatching(/^x-/)]);
  });

  it("nixpkgs' lib older than 23.11 is refused with a clear error", async () => {
    const old = `let real = import ${REPO}/test/nix/nixpkgs-min.nix { nixpkgs = ${nixpkgsMinDir()}; }; in real // { lib = real.lib // { version = "23.05.20230601"; trivial = real.lib.trivial // { release = "23.05"; }; }; }`;
    const res = await nix("nix-instantiate", ["--eval", "-E", `(import ${REPO} { set = ${setDir}; pkgs = ${old}; }).goPackages.go.version`], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("goset: nixpkgs 23.05.20230601 is too old: goset needs nixpkgs' lib from 23.11 on");
    expect(res.stderr).not.toMatch(/infinite recursion/);
  });
});

/**
 * The builds of the fixture set in Nix's sandbox (scripts/nix.conf), on both
 * bases: a module derivation or a leaf that tries to reach the fixture proxy
 * fails with a network error, the same derivation without the attempt builds,
 * and the builders see what they would see on NixOS (HOME=/homeless-shelter,
 * the build directory /build). Each derivation carries a salt of this run, so
 * nothing comes from the store of an earlier one. As a control, the attempt
 * is also built once with the sandbox off, where it reaches the proxy.
 */
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "../fixture/index.js";
import { makeTempDir, prepareFixture, removeTree } from "../fixture/index.js";
import { makeFixtureSet, runCli, updateEnv } from "../update/helpers.js";
import type { Base, NixResult } from "./nix.js";
import { BASES, buildLog, gosetExpr, nix, nixEnv } from "./nix.js";

const SALT = randomUUID();
const MODULE = "example.com/shared/strutil";
/** What the network attempts download, and the proxy request that shows one got through. */
const TARGET = "example.com/lib@v1.3.0";
const TARGET_INFO = "/example.com/lib/@v/v1.3.0.info";
const REACHED = "goset-sandbox-test: the proxy answered";
const WHERE = 'echo "goset-sandbox-test: HOME=$HOME PWD=$PWD"';

let fx: Fixture;
let setDir: string;
let cacheHome: string;
let leafSrc: string;
let env: NodeJS.ProcessEnv;

/** A Nix string literal of `text` (ASCII), with no interpolation. */
function nixString(text: string): string {
  return JSON.stringify(text).replaceAll("${", "\\${");
}

/** Shell that downloads TARGET from the fixture proxy with go, in a directory of its own, and says so when it could. */
function networkAttempt(): string {
  const goEnv = `GOPROXY=${fx.proxyUrl} GOSUMDB=off GOFLAGS= GOCACHEPROG= GOMODCACHE="$TMPDIR/net/modcache" GOPATH="$TMPDIR/net/gopath" GOCACHE="$TMPDIR/net/gocache"`;
  return `(mkdir -p "$TMPDIR/net" && cd "$TMPDIR/net" && ${goEnv} go mod download -json ${TARGET})\necho "${REACHED}"\n`;
}

/** The set's module derivation of MODULE with `prefix` run first in its build, salted. */
function moduleExpr(base: Base, prefix: string, salt = SALT): string {
  return `${gosetExpr(setDir, base)}.goPackages."${MODULE}".overrideAttrs (o: {
    gosetSandboxSalt = "${salt}";
    buildCommand = ${nixString(prefix)} + o.buildCommand;
  })`;
}

/** A small leaf of the set's MODULE, salted, with the given hooks. */
function leafExpr(base: Base, hooks: { preConfigure: string; preBuild: string }): string {
  return `${gosetExpr(setDir, base)}.buildGoApplication {
    pname = "sandboxed"; version = "0"; src = ${leafSrc}; goModules = [ "${MODULE}" ];
    gosetSandboxSalt = "${SALT}";
    preConfigure = ${nixString(hooks.preConfigure)};
    preBuild = ${nixString(hooks.preBuild)};
  }`;
}

function build(expr: string, options: readonly string[] = []): Promise<NixResult> {
  return nix("nix-build", ["-E", expr, "--no-out-link", ...options], env);
}

/** Builds `expr`, and whether the fixture proxy was asked for TARGET meanwhile. */
async function buildWatchingProxy(expr: string, options: readonly string[] = []): Promise<NixResult & { asked: boolean }> {
  const before = fx.server.requests.length;
  const res = await build(expr, options);
  return { ...res, asked: fx.server.requests.slice(before).includes(TARGET_INFO) };
}

function expectRefused(res: NixResult & { asked: boolean }): void {
  expect(res.code).not.toBe(0);
  const port = new URL(fx.proxyUrl).port;
  expect(res.stderr).toMatch(new RegExp(`${TARGET.replaceAll(".", "\\.")}: .*dial tcp 127\\.0\\.0\\.1:${port}: connect: (connection refused|network is unreachable)`));
  expect(res.stderr).not.toContain(REACHED);
  expect(res.asked).toBe(false);
}

beforeAll(async () => {
  fx = await prepareFixture();
  setDir = await makeFixtureSet(fx);
  cacheHome = await makeTempDir("goset-cache-");
  const gen = await runCli(["--set", setDir], updateEnv(fx.proxyUrl, cacheHome));
  if (gen.code !== 0) throw new Error(gen.stderr);
  env = nixEnv({ GOPROXY: fx.proxyUrl, GOSUMDB: "off", GOPRIVATE: "", GONOSUMDB: "", GONOPROXY: "" });
  leafSrc = await makeTempDir("goset-sandbox-leaf-");
  await writeFile(join(leafSrc, "go.mod"), `module example.com/sandboxed\n\ngo 1.22\n\nrequire ${MODULE} v1.2.0\n`);
  await writeFile(join(leafSrc, "main.go"), `package main\n\nimport "${MODULE}"\n\nfunc main() { println(strutil.Version()) }\n`);
}, 600_000);

afterAll(async () => {
  for (const dir of [setDir, cacheHome, leafSrc]) if (dir !== undefined) await removeTree(dir);
  await fx?.close();
});

describe.each(BASES)("builds in the sandbox on the %s base", (base) => {
  it("fails a module derivation that reaches for the network, and builds it without that, in /build with HOME=/homeless-shelter", async () => {
    expectRefused(await buildWatchingProxy(moduleExpr(base, `${WHERE}\n${networkAttempt()}`)));
    const plain = await build(moduleExpr(base, `${WHERE}\n`));
    expect(plain.code, plain.stderr.slice(-3000)).toBe(0);
    expect(await buildLog(plain.stdout.trim(), env)).toContain("goset-sandbox-test: HOME=/homeless-shelter PWD=/build\n");
  });

  it("fails a buildGoApplication leaf whose preBuild reaches for the network, and builds it without that", async () => {
    expectRefused(await buildWatchingProxy(leafExpr(base, { preConfigure: "", preBuild: networkAttempt() })));
    const plain = await build(leafExpr(base, { preConfigure: WHERE, preBuild: WHERE }));
    expect(plain.code, plain.stderr.slice(-3000)).toBe(0);
    const log = await buildLog(plain.stdout.trim(), env);
    const seen = [...log.matchAll(/^goset-sandbox-test: HOME=(\S*) PWD=(\S*)$/gm)].map((m) => ({ home: m[1], pwd: m[2] }));
    // Before configure the builder's own environment; from then on go-setup.sh's HOME in the build directory.
    expect(seen).toEqual([
      { home: "/homeless-shelter", pwd: expect.stringMatching(/^\/build\/[^/]+$/) },
      { home: "/build/home", pwd: seen[0]?.pwd },
    ]);
  });

  it("reaches the proxy with the same attempt when the sandbox is off (the control)", async () => {
    const res = await buildWatchingProxy(moduleExpr(base, `${WHERE}\n${networkAttempt()}`, `${SALT}-unsandboxed`), ["--option", "sandbox", "false"]);
    expect(res.code, res.stderr.slice(-3000)).toBe(0);
    expect(res.asked).toBe(true);
    expect(await buildLog(res.stdout.trim(), env)).toContain(REACHED);
  });
});

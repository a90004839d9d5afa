/**
 * Real Nix builds of the fixture set, in the sandbox, on goset's host base and
 * on real nixpkgs files (lib, stdenv, setup.sh): every module in its own
 * derivation, leaves compiling only their own packages, exact rebuilds after
 * a bump or an overrideScope, and clear failures.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "../fixture/index.js";
import { copyTree, makeTempDir, prepareFixture, removeTree } from "../fixture/index.js";
import type { Lock } from "../update/helpers.js";
import { makeFixtureSet, readLock, runCli, updateEnv } from "../update/helpers.js";
import type { Base } from "./nix.js";
import { BASES, buildLog, cacheprogLines, compiledPackages, gosetExpr, nix, nixBuild, nixEnv, nixEval } from "./nix.js";

const run = promisify(execFile);

/** What each leaf prints when built through the set: its source's line, with the set's versions (strutil v1.2.0, cycle v1.1.0). */
const SET_OUTPUTS: Record<string, string> = {
  "leaf-a": "hello from leaf-a: leaf-a message | hello from the fork | a1.1/b1.1 | bridge:a1.1/b1.1 | strutil@v1.2.0 | Mixed@v1.0.0 | ~banner~",
  "leaf-b": "hello from leaf-b: util/strutil@v1.2.0,a1.1/b1.1,oldapi@v2.0.0+incompatible,lib v1.3.0,[lib v2.1.0],[snap@abcdef123456],tool@v1.1.0,~banner~",
  "leaf-c": "hello from leaf-c: old@v1.0.0 other@v1.0.0",
  hello: "hello from app/hello: strutil@v1.2.0,HI [lib v2.1.0] ~banner~",
};

let fx: Fixture;
let setDir: string;
let cacheHome: string;
let lock: Lock;
let env: NodeJS.ProcessEnv;
const temps: string[] = [];

interface Drvs {
  modules: Record<string, string>;
  leaves: Record<string, string>;
}

function drvsOf(base: Base, dir: string, scope = "goset.goPackages", names = Object.keys(lock.modules)): Promise<Drvs> {
  return nixEval<Drvs>(
    dir,
    `let g = ${scope}; in {
      modules = builtins.listToAttrs (map (n: { name = n; value = g.\${n}.drvPath; }) (builtins.fromJSON ''${JSON.stringify(names)}''));
      leaves = builtins.mapAttrs (_: f: (g.callPackage f { }).drvPath) index.leaves;
    }`,
    env,
    base,
  );
}

/** Modules whose derivation must change when `changed` change: the members importing them, transitively, whole cycles included. */
function reverseClosure(l: Lock, changed: Iterable<string>): Set<string> {
  const out = new Set(changed);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [path, m] of Object.entries(l.modules)) {
      const hit = (m.imports ?? []).some((r) => out.has(r)) || (m.cycle !== undefined && (l.cycles[m.cycle] ?? []).some((c) => out.has(c)));
      if (!out.has(path) && hit) {
        out.add(path);
        grew = true;
      }
    }
  }
  return out;
}

function leavesAbove(l: Lock, modules: Set<string>): string[] {
  return Object.entries(l.leaves).filter(([, leaf]) => leaf.imports.some((r) => modules.has(r))).map(([n]) => n).sort();
}

function changedNames(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

beforeAll(async () => {
  fx = await prepareFixture();
  setDir = await makeFixtureSet(fx);
  cacheHome = await makeTempDir("goset-cache-");
  temps.push(setDir, cacheHome);
  const gen = await runCli(["--set", setDir], updateEnv(fx.proxyUrl, cacheHome));
  if (gen.code !== 0) throw new Error(gen.stderr);
  lock = await readLock(setDir);
  env = nixEnv({ GOPROXY: fx.proxyUrl, GOSUMDB: "off", GOPRIVATE: "", GONOSUMDB: "", GONOPROXY: "" });
}, 600_000);

afterAll(async () => {
  for (const t of temps) await removeTree(t);
  await fx?.close();
});

describe.each(BASES)("the fixture set built with Nix on the %s base", (base) => {
  let leafOutputs: Record<string, string> = {};

  beforeAll(async () => {
    leafOutputs = {};
    for (const name of Object.keys(lock.leaves)) {
      const res = await nixBuild(setDir, `leaves.${name}`, env, [], base);
      if (res.code !== 0) throw new Error(`nix-build leaves.${name} on the ${base} base failed:\n${res.stderr.slice(-4000)}`);
      leafOutputs[name] = res.stdout.trim();
    }
  }, 1_800_000);

  it("builds every leaf, and each binary prints what its source says", async () => {
    expect(Object.keys(leafOutputs).sort()).toEqual(Object.keys(SET_OUTPUTS).sort());
    for (const [name, out] of Object.entries(leafOutputs)) {
      const bin = name === "hello" ? "hello" : name.slice(-1);
      const { stdout } = await run(join(out, "bin", bin));
      expect({ name, line: stdout.trim() }).toEqual({ name, line: SET_OUTPUTS[name] });
    }
  });

  it("compiles only each leaf's own packages in the leaf's build", async () => {
    for (const [name, out] of Object.entries(leafOutputs)) {
      const leaf = lock.leaves[name];
      const own = [leaf?.modulePath ?? "", ...Object.keys(leaf?.replaces ?? {})];
      const log = await buildLog(out, env);
      const compiled = compiledPackages(log);
      expect(compiled).toContain(leaf?.modulePath);
      expect({ name, foreign: compiled.filter((p) => !own.some((o) => p === o || p.startsWith(o + "/"))) }).toEqual({ name, foreign: [] });
      const [stats] = cacheprogLines(log);
      expect(stats?.hits).toBeGreaterThan(50);
    }
  });

  it("compiles each module once, hitting the cache for its dependencies and the standard library", async () => {
    const drvs = await drvsOf(base, setDir);
    let withHits = 0;
    for (const [path, drv] of Object.entries(drvs.modules)) {
      const log = await buildLog(drv, env);
      const members = lock.modules[path]?.cycle ? (lock.cycles[lock.modules[path]?.cycle ?? ""] ?? []) : [path];
      const compiled = compiledPackages(log);
      expect({ path, foreign: compiled.filter((p) => !members.some((m) => p === m || p.startsWith(m + "/"))) }).toEqual({ path, foreign: [] });
      const stats = cacheprogLines(log);
      expect({ path, builds: stats.length }).not.toEqual({ path, builds: 0 });
      const hits = stats.reduce((n, s) => n + s.hits, 0);
      // A package importing nothing (Upper/Mixed) asks the cache for nothing it could hit.
      const outside = (lock.modules[path]?.imports ?? []).filter((r) => !members.includes(r));
      if (outside.length > 0) expect({ path, hits: hits > 0 }).toEqual({ path, hits: true });
      if (hits > 0) withHits++;
    }
    expect(withHits).toBeGreaterThan(Object.keys(drvs.modules).length / 2);
  });

  it("builds each package of a module that can build, and records why the others cannot", async () => {
    const src = await makeTempDir("goset-partial-");
    temps.push(src);
    const files: Record<string, string> = {
      "go.mod": "module example.com/partial\n\ngo 1.22\n",
      "good/good.go": 'package good\n\nimport "example.com/shared/strutil"\n\nfunc V() string { return strutil.Version() }\n',
      "bad/bad.go": 'package bad\n\nfunc F() int { return "not an int" }\n',
      "usesbad/usesbad.go": 'package usesbad\n\nimport "example.com/partial/bad"\n\nvar G = bad.F\n',
      "outside/outside.go": 'package outside\n\nimport "example.com/not/in/the/set"\n\nvar _ = set.X\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(src, name, ".."), { recursive: true });
      await writeFile(join(src, name), text);
    }
    const expr = `${gosetExpr(setDir, base)}.goPackages.mkGoModule { modules = [ { path = "example.com/partial"; version = "v1.0.0"; hash = ""; src = ${src}; imports = [ "example.com/shared/strutil" ]; } ]; }`;
    const res = await nix("nix-build", ["-E", expr, "--no-out-link"], env);
    expect(res.code).toBe(0);
    const report = JSON.parse(await readFile(join(res.stdout.trim(), "nix-support", "goset-packages.json"), "utf8")) as { packages: { importPath: string; built: boolean; reason?: string }[] };
    const byPath = Object.fromEntries(report.packages.map((p) => [p.importPath.replace("example.com/partial/", ""), p]));
    expect(Object.keys(byPath).sort()).toEqual(["bad", "good", "outside", "usesbad"]);
    expect(byPath["good"]?.built).toBe(true);
    expect(byPath["bad"]).toMatchObject({ built: false, reason: expect.stringContaining("cannot use \"not an int\"") });
    expect(byPath["usesbad"]).toMatchObject({ built: false, reason: expect.stringContaining("cannot use \"not an int\"") });
    expect(byPath["outside"]).toMatchObject({ built: false, reason: expect.stringContaining("example.com/not/in/the/set") });
    // the one package that built is in the output cache, for dependents
    expect(compiledPackages(await buildLog(res.stdout.trim(), env))).toContain("example.com/partial/good");
  });

  it("rebuilds exactly the bumped module, its reverse dependencies and the leaves above them", async () => {
    const before = await drvsOf(base, setDir);
    const bumped = await makeTempDir("goset-bumped-");
    temps.push(bumped);
    await copyTree(setDir, bumped);
    await writeFile(join(bumped, "leaves.yaml"), (await readFile(join(setDir, "leaves.yaml"), "utf8")) + "pins:\n  example.com/Upper/Mixed: v1.1.0-RC1\n");
    const gen = await runCli(["--set", bumped], updateEnv(fx.proxyUrl, cacheHome));
    expect(gen.code).toBe(0);
    const lock2 = await readLock(bumped);
    expect(lock2.modules["example.com/Upper/Mixed"]?.version).toBe("v1.1.0-RC1");
    const versionChanged = Object.keys(lock2.modules).filter((p) => lock2.modules[p]?.version !== lock.modules[p]?.version);
    const closure = reverseClosure(lock2, versionChanged);
    const after = await drvsOf(base, bumped, "goset.goPackages", Object.keys(lock2.modules));
    expect(changedNames(before.modules, after.modules)).toEqual([...closure].sort());
    expect(changedNames(before.leaves, after.leaves)).toEqual(leavesAbove(lock2, closure));
    expect(changedNames(before.leaves, after.leaves).length).toBeGreaterThan(0);
  });

  it("overrideScope on one module changes its dependents' derivations and nothing else", async () => {
    const target = "example.com/shared/strutil";
    const before = await drvsOf(base, setDir);
    const after = await drvsOf(base, setDir, `goset.goPackages.overrideScope (final: prev: { "${target}" = prev."${target}".overrideAttrs (o: { GOSET_TEST_MARK = "1"; }); })`);
    const closure = reverseClosure(lock, [target]);
    expect(changedNames(before.modules, after.modules)).toEqual([...closure].sort());
    expect(changedNames(before.leaves, after.leaves)).toEqual(leavesAbove(lock, closure));
  });

  it("fails a fixed-output fetch with a wrong hash, naming the module and version", async () => {
    const broken = await makeTempDir("goset-badhash-");
    temps.push(broken);
    await copyTree(setDir, broken);
    const file = join(broken, "modules", "example.com", "lib.nix");
    const good = lock.modules["example.com/lib"]?.hash ?? "";
    const wrong = lock.modules["example.com/assets/banner"]?.hash ?? "";
    await writeFile(file, (await readFile(file, "utf8")).replace(good, wrong));
    const res = await nixBuild(broken, 'goPackages."example.com/lib"', env, [], base);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/hash mismatch in fixed-output derivation '[^']*example\.com-lib-v1\.3\.0[^']*'/);
    expect(res.stderr).toMatch(new RegExp(`specified:\\s+${wrong.replace(/[+/=]/g, "\\$&")}`));
    expect(res.stderr).toMatch(new RegExp(`got:\\s+${good.replace(/[+/=]/g, "\\$&")}`));
  });

  it.each([
    ["passes", "if Trimmed() != \"x\" { t.Fatal(Trimmed()) }", 0],
    ["fails", "t.Fatal(\"deliberate test failure\")", 1],
  ] as const)("runs the leaf's tests with doCheck, and %s with them", async (_what, body, failing) => {
    const src = await makeTempDir("goset-check-leaf-");
    temps.push(src);
    await writeFile(join(src, "go.mod"), "module example.com/checked\n\ngo 1.22\n\nrequire example.com/shared/strutil v1.2.0\n");
    await writeFile(join(src, "main.go"), 'package main\n\nimport "example.com/shared/strutil"\n\nfunc Trimmed() string { return strutil.Trim(" x ") }\n\nfunc main() { println(Trimmed()) }\n');
    await writeFile(join(src, "main_test.go"), `package main\n\nimport "testing"\n\nfunc TestTrimmed(t *testing.T) { ${body} }\n`);
    const expr = `${gosetExpr(setDir, base)}.buildGoApplication { pname = "checked-${failing}"; version = "0"; src = ${src}; goModules = [ "example.com/shared/strutil" ]; doCheck = true; }`;
    const res = await nix("nix-build", ["-E", expr, "--no-out-link"], env);
    if (failing) {
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("deliberate test failure");
    } else {
      expect(res.code).toBe(0);
      expect(res.stderr).toMatch(/ok\s+example\.com\/checked/);
    }
  });

  it("fails a leaf that does not compile with Go's error in the log", async () => {
    const src = await makeTempDir("goset-broken-leaf-");
    temps.push(src);
    await mkdir(src, { recursive: true });
    await writeFile(join(src, "go.mod"), "module example.com/broken\n\ngo 1.22\n\nrequire example.com/shared/strutil v1.2.0\n");
    await writeFile(join(src, "main.go"), 'package main\n\nimport "example.com/shared/strutil"\n\nfunc main() { strutil.DoesNotExist() }\n');
    const expr = `${gosetExpr(setDir, base)}.buildGoApplication { pname = "broken"; version = "0"; src = ${src}; goModules = [ "example.com/shared/strutil" ]; }`;
    const res = await nix("nix-build", ["-E", expr, "--no-out-link"], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/undefined: strutil\.DoesNotExist/);
  });
});

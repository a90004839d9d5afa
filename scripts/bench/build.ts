/**
 * Build benchmark: one leaf built through the set with Nix, against a plain
 * `go build` of the same leaf.
 *
 *   npx tsx scripts/bench/build.ts [--set DIR] [--leaf NAME] [--fixture]
 *
 * - cold through the set: goStdlib, every module derivation the leaf needs
 *   and the leaf, forced to rebuild by a fresh salt in goEnv (sources stay
 *   fetched, as the module cache stays warm for go);
 * - leaf-only rebuild: the leaf's derivation changed, its modules built;
 * - plain go build: empty GOCACHE, warm GOMODCACHE, then fully warm GOCACHE.
 * `--fixture` builds the fixture's app/hello leaf through a loopback proxy.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { parse } from "yaml";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "..", "..");

export interface BuildFigures {
  leaf: string;
  coldSetSeconds: number;
  derivationsBuilt: number;
  leafRebuildSeconds: number;
  leafPackagesCompiled: string[];
  goColdSeconds: number;
  goWarmSeconds: number;
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const v = await f();
  return [Number(process.hrtime.bigint() - t0) / 1e9, v];
}

function nixEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: "substituters =\nexperimental-features = nix-command", ...extra };
}

/** A Nix expression for the leaf built through a scope whose every Go build carries `salt`. */
function leafExpr(setDir: string, leaf: string, salt: string, leafSalt: string): string {
  return `let
    goset = import ${REPO} { set = ${setDir}; };
    index = import ${setDir}/default.nix;
    g = goset.goPackages.overrideScope (final: prev: { goEnv = prev.goEnv // { GOSET_BENCH_SALT = "${salt}"; }; });
  in (g.callPackage index.leaves.${leaf} { }).overrideAttrs (o: { GOSET_BENCH_LEAF = "${leafSalt}"; })`;
}

async function nixBuildExpr(expr: string, env: NodeJS.ProcessEnv): Promise<{ out: string; stderr: string }> {
  const { stdout, stderr } = await run("nix-build", ["-E", expr, "--no-out-link"], { env, maxBuffer: 256 << 20 });
  return { out: stdout.trim(), stderr };
}

function compiledPackages(log: string): string[] {
  return log.split("\n").map((l) => l.trim()).filter((l) => /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~+-]+)*$/.test(l) && l.includes("."));
}

export async function benchBuild(setDir: string, leaf: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<BuildFigures> {
  const env = nixEnv(extraEnv);
  const lock = parse(await readFile(join(setDir, "set.lock.yaml"), "utf8")) as { leaves: Record<string, { module?: string; version?: string; path?: string; subPackages: string[] }> };
  const spec = lock.leaves[leaf];
  if (!spec) throw new Error(`no leaf ${leaf} in ${setDir}`);
  const salt = randomBytes(6).toString("hex");

  // Sources are fetched first (not timed): both sides start with the modules on disk.
  await nixBuildExpr(`(import ${REPO} { set = ${setDir}; }).leaves.${leaf}.src`, env).catch(() => undefined);
  const [coldSetSeconds, cold] = await timed(() => nixBuildExpr(leafExpr(setDir, leaf, salt, "a"), env));
  const derivationsBuilt = Number(/these (\d+) derivations will be built/.exec(cold.stderr)?.[1] ?? "1");
  const [leafRebuildSeconds, rebuilt] = await timed(() => nixBuildExpr(leafExpr(setDir, leaf, salt, "b"), env));
  const log = (await run("nix-store", ["--read-log", rebuilt.out], { env, maxBuffer: 64 << 20 })).stdout;

  // Plain go: the leaf's source in a writable directory, module cache filled first.
  const work = await mkdtemp(join(tmpdir(), "goset-bench-go-"));
  const goEnv = { ...process.env, ...extraEnv, GOMODCACHE: join(work, "modcache"), GOCACHE: join(work, "gocache"), GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" };
  try {
    let src: string;
    if (spec.module && spec.version) {
      const { stdout } = await run("go", ["mod", "download", "-json", `${spec.module}@${spec.version}`], { cwd: work, env: goEnv });
      src = join(work, "src");
      await cp((JSON.parse(stdout) as { Dir: string }).Dir, src, { recursive: true });
      await run("chmod", ["-R", "u+w", src]);
    } else {
      src = resolve(setDir, spec.path ?? ".");
    }
    await run("go", ["mod", "download"], { cwd: src, env: goEnv });
    const pkgs = spec.subPackages.map((p) => (p === "." ? "." : p.startsWith("./") ? p : `./${p}`));
    const goBuild = () => run("go", ["build", "-trimpath", "-o", join(work, "bin") + "/", ...pkgs], { cwd: src, env: goEnv, maxBuffer: 64 << 20 });
    const [goColdSeconds] = await timed(goBuild);
    // Without the binary go must link again, as after any change; only compiles are cached.
    await rm(join(work, "bin"), { recursive: true, force: true });
    const [goWarmSeconds] = await timed(goBuild);
    return { leaf, coldSetSeconds, derivationsBuilt, leafRebuildSeconds, leafPackagesCompiled: compiledPackages(log), goColdSeconds, goWarmSeconds };
  } finally {
    await run("chmod", ["-R", "u+w", work]).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

export function formatBuildFigures(f: BuildFigures): string {
  const r = (a: number, b: number) => (a / b).toFixed(2);
  return [
    `| measure (${f.leaf}) | goset | plain go | ratio |`,
    "|---|---|---|---|",
    `| cold build (${f.derivationsBuilt} derivations: std, modules, leaf) vs go build, empty GOCACHE | ${f.coldSetSeconds.toFixed(1)} s | ${f.goColdSeconds.toFixed(1)} s | ${r(f.coldSetSeconds, f.goColdSeconds)} |`,
    `| leaf-only rebuild vs go build, fully warm GOCACHE (link only) | ${f.leafRebuildSeconds.toFixed(1)} s | ${f.goWarmSeconds.toFixed(1)} s | ${r(f.leafRebuildSeconds, f.goWarmSeconds)} |`,
    `| packages the leaf build compiled | ${f.leafPackagesCompiled.length} (${f.leafPackagesCompiled.join(", ")}) | | |`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { set: { type: "string", default: join(REPO, "set") }, leaf: { type: "string", default: "fzf" }, fixture: { type: "boolean", default: false } } });
  if (values.fixture) {
    const { prepareFixture, makeTempDir } = await import("../../test/fixture/index.js");
    const { makeFixtureSet, runCli, updateEnv } = await import("../../test/update/helpers.js");
    const fx = await prepareFixture();
    try {
      const dir = await makeFixtureSet(fx);
      const gen = await runCli(["--set", dir], updateEnv(fx.proxyUrl, await makeTempDir("goset-cache-")));
      if (gen.code !== 0) throw new Error(gen.stderr);
      const figures = await benchBuild(dir, "hello", { GOPROXY: fx.proxyUrl, GOSUMDB: "off", GONOSUMDB: "", GOPRIVATE: "", GONOPROXY: "" });
      console.log(formatBuildFigures(figures));
    } finally {
      await fx.close();
    }
  } else {
    console.log(formatBuildFigures(await benchBuild(resolve(values.set), values.leaf)));
  }
}

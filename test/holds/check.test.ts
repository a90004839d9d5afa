/**
 * `goset check` on a conflict of the test's own (test/holds/conflict.ts), with
 * real go, update-set and Nix builds in the sandbox: it reports the broken
 * leaf, `--fix` finds the hold by bisection and writes it into leaves.yaml,
 * the leaf builds again while the others keep the raised versions, and
 * `--prune-holds` drops a hold a leaf does not need.
 */
import { execFile } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { nixBuild, nixEnv, nixEval, REPO } from "../nix/nix.js";
import { runCli, updateEnv } from "../update/helpers.js";
import type { Conflict } from "./conflict.js";
import { APP, INDEP, leafLine, leavesYaml, LIB, prepareConflict } from "./conflict.js";

const run = promisify(execFile);

let conflict: Conflict;
let cache: string;
let env: NodeJS.ProcessEnv;
const temps: string[] = [];

interface CheckJson {
  ok: boolean;
  regenerated: boolean;
  leaves: { name: string; status: string; reason?: string; failedDrv?: string; logTail?: string; bisectBuilds?: number; holdsAdded: { path: string; from: string; version: string; reason: string }[]; holdsPruned: string[] }[];
}

function goset(args: readonly string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, "bin", "goset.js"), ...args], { env, maxBuffer: 64 << 20, ...(cwd === undefined ? {} : { cwd }) }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

async function makeSet(names: readonly string[], extra: Record<string, string> = {}): Promise<string> {
  const dir = await makeTempDir("goset-check-set-");
  temps.push(dir);
  await writeFile(join(dir, "leaves.yaml"), leavesYaml(conflict, dir, names, extra));
  const gen = await runCli(["--set", dir], updateEnv(conflict.proxyUrl, cache));
  if (gen.code !== 0) throw new Error(gen.stderr);
  return dir;
}

beforeAll(async () => {
  conflict = await prepareConflict();
  cache = await makeTempDir("goset-check-cache-");
  temps.push(cache);
  env = { ...nixEnv(updateEnv(conflict.proxyUrl, cache)), GOSUMDB: "off" };
}, 300_000);

afterAll(async () => {
  for (const t of temps) await removeTree(t);
  await conflict?.close();
});

describe("goset check", () => {
  it("exits 1 naming the failing leaf, its failing derivation and Go's error", async () => {
    const setDir = await makeSet(["new", "old"]);
    const res = await goset(["check", "--set", setDir, "--json"]);
    expect(res.code, res.stderr).toBe(1);
    const out = JSON.parse(res.stdout) as CheckJson;
    expect(out.ok).toBe(false);
    const byName = Object.fromEntries(out.leaves.map((l) => [l.name, l]));
    expect(byName["new"]?.status).toBe("ok");
    expect(byName["old"]).toMatchObject({ status: "failed", failedDrv: expect.stringMatching(/-old-local\.drv$/), reason: expect.stringContaining("undefined: lib.Old") });
    expect(res.stderr).toMatch(/check: leaf 1 of 2: new \(\d+ s\)/);
    expect(res.stderr).toMatch(/ {2}building \/nix\/store\/\S+-old-local\.drv/);
  }, 900_000);

  it("takes a --set relative to the working directory (nix-build gets it as an absolute path)", async () => {
    const setDir = await makeSet(["new"]);
    const res = await goset(["check", "--set", basename(setDir), "--json"], dirname(setDir));
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as CheckJson).leaves.map((l) => [l.name, l.status])).toEqual([["new", "ok"]]);
  }, 900_000);

  it("reports a leaf Nix cannot evaluate as failed, without bisecting it", async () => {
    const setDir = await makeSet(["new", "old"]);
    await writeFile(join(setDir, "leaves", "old.nix"), "{ buildGoApplication }: buildGoApplication { pname = \"old\"; }\n");
    const res = await goset(["check", "--set", setDir, "--fix", "--json"]);
    expect(res.code).toBe(1);
    const old = (JSON.parse(res.stdout) as CheckJson).leaves.find((l) => l.name === "old");
    expect(old).toMatchObject({ status: "failed", reason: expect.stringContaining("error:") });
    expect(old?.bisectBuilds).toBeUndefined();
    expect(res.stderr).not.toContain("check: bisecting old");
  }, 900_000);

  describe("--fix", () => {
    let setDir: string;
    let res: { code: number; stdout: string; stderr: string };
    let out: CheckJson;

    beforeAll(async () => {
      setDir = await makeSet(["new", "old"]);
      res = await goset(["check", "--set", setDir, "--fix", "--json", "--report", join(setDir, "check.md")]);
      out = JSON.parse(res.stdout) as CheckJson;
    }, 1_800_000);

    it("finds by bisection that lib's bump broke old, not indep's, and holds lib", () => {
      expect(res.code, res.stderr).toBe(0);
      const old = out.leaves.find((l) => l.name === "old");
      expect(old).toMatchObject({ status: "held", holdsAdded: [{ path: LIB, from: "v1.1.0", version: "v1.0.0", reason: expect.stringContaining("undefined: lib.Old") }] });
      // holding both, indep alone, lib alone: three builds (holding nothing is known to fail)
      expect(old?.bisectBuilds).toBe(3);
      expect(out.leaves.find((l) => l.name === "new")?.status).toBe("ok");
    });

    it("writes the hold into leaves.yaml and regenerates: old builds again, new keeps lib v1.1.0, indep is shared", async () => {
      const yaml = parse(await readFile(join(setDir, "leaves.yaml"), "utf8")) as { leaves: Record<string, { hold?: Record<string, { version: string; reason: string }> }> };
      expect(yaml.leaves["old"]?.hold?.[LIB]).toMatchObject({ version: "v1.0.0", reason: expect.stringContaining("undefined: lib.Old") });
      const built = await nixBuild(setDir, "leaves.old", env);
      expect(built.code, built.stderr.slice(-2000)).toBe(0);
      expect((await run(join(built.stdout.trim(), "bin", "old"))).stdout.trim()).toBe(leafLine("old", "v1.0.0"));
      const paths = await nixEval<string[]>(setDir, `[ goset.leaves.old.goDepends."${INDEP}".outPath goset.goPackages."${INDEP}".outPath goset.leaves.new.goDepends."${LIB}".outPath goset.goPackages."${LIB}".outPath ]`, env);
      expect(paths[0]).toBe(paths[1]);
      expect(paths[2]).toBe(paths[3]);
    }, 600_000);

    it("writes a report naming what broke what and the bisection's builds", async () => {
      const report = await readFile(join(setDir, "check.md"), "utf8");
      expect(report).toContain("| old | held |");
      expect(report).toContain(`- **old**: \`${LIB}\` v1.0.0 -> v1.1.0 broke it; held at v1.0.0.`);
      expect(report).toMatch(/\| old \| held \| `old --version` \| old old-api mid\+lib@v1\.0\.0 indep \| `example\.com\/hold\/lib` v1\.1\.0 -> v1\.0\.0 \| {2}\| 3 \|/);
    });
  });

  it("--prune-holds drops a hold the leaf does not need and keeps one it needs", async () => {
    const setDir = await makeSet(["new", "old", "mild"], { old: `hold:\n  ${LIB}: v1.0.0`, mild: `hold:\n  ${LIB}: v1.0.0` });
    const res = await goset(["check", "--set", setDir, "--prune-holds", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as CheckJson;
    expect(out.leaves.find((l) => l.name === "mild")).toMatchObject({ status: "ok", holdsPruned: [LIB] });
    expect(out.leaves.find((l) => l.name === "old")).toMatchObject({ status: "held", holdsPruned: [] });
    const yaml = parse(await readFile(join(setDir, "leaves.yaml"), "utf8")) as { leaves: Record<string, { hold?: unknown }> };
    expect(yaml.leaves["mild"]?.hold).toBeUndefined();
    expect(yaml.leaves["old"]?.hold).toBeDefined();
  }, 1_800_000);

  it("--fix keeps a module leaf at its previous release when its new release is broken and no hold helps", async () => {
    const setDir = await makeSet(["new"], {});
    const appLeaf = (version: string) => `  app:\n    module: ${APP}\n    version: ${version}\n`;
    const base = await readFile(join(setDir, "leaves.yaml"), "utf8");
    await writeFile(join(setDir, "leaves.yaml"), base + appLeaf("v1.0.0"));
    expect((await runCli(["--set", setDir], updateEnv(conflict.proxyUrl, cache))).code).toBe(0);
    await copyFile(join(setDir, "set.lock.yaml"), join(setDir, "previous.lock.yaml"));
    await writeFile(join(setDir, "leaves.yaml"), base + appLeaf("v1.1.0"));
    expect((await runCli(["--set", setDir], updateEnv(conflict.proxyUrl, cache))).code).toBe(0);

    const res = await goset(["check", "--set", setDir, "--fix", "--previous", join(setDir, "previous.lock.yaml"), "--json"]);
    expect(res.code, res.stderr).toBe(0);
    const app = (JSON.parse(res.stdout) as CheckJson).leaves.find((l) => l.name === "app") as unknown as { status: string; keptBack: unknown; reason: string; bisectBuilds: number };
    expect(app).toMatchObject({ status: "kept-back", keptBack: { from: "v1.1.0", to: "v1.0.0" }, reason: expect.stringContaining("a release that does not compile"), bisectBuilds: 0 });
    const yaml = parse(await readFile(join(setDir, "leaves.yaml"), "utf8")) as { leaves: Record<string, { version?: string }> };
    expect(yaml.leaves["app"]?.version).toBe("v1.0.0");
    const built = await nixBuild(setDir, "leaves.app", env);
    expect(built.code, built.stderr.slice(-2000)).toBe(0);
    expect((await run(join(built.stdout.trim(), "bin", "app"))).stdout.trim()).toBe("app v1.0.0 indep");
  }, 1_800_000);

  it("--changed checks only the leaves the regeneration since --previous changed", async () => {
    const setDir = await makeSet(["new", "old"], { old: `hold:\n  ${LIB}: v1.0.0` });
    await copyFile(join(setDir, "set.lock.yaml"), join(setDir, "previous.lock.yaml"));
    await writeFile(join(setDir, "leaves.yaml"), leavesYaml(conflict, setDir, ["mild", "new", "old"], { old: `hold:\n  ${LIB}: v1.0.0` }));
    expect((await runCli(["--set", setDir], updateEnv(conflict.proxyUrl, cache))).code).toBe(0);
    const res = await goset(["check", "--set", setDir, "--changed", "--previous", join(setDir, "previous.lock.yaml"), "--json"]);
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as CheckJson).leaves.map((l) => [l.name, l.status])).toEqual([["mild", "ok"]]);
  }, 900_000);
});

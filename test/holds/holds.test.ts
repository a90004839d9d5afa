/**
 * Holds end to end, on a proxy of the test's own (test/holds/conflict.ts),
 * with update-set and real Nix builds in the sandbox: a leaf broken by the
 * set's newer version of a module builds again when it holds the old one,
 * only the held module and its importers are built again for it, and a
 * second leaf holding the same version shares those derivations.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { nixBuild, nixEnv, nixEval } from "../nix/nix.js";
import { runCli, updateEnv } from "../update/helpers.js";
import type { Conflict } from "./conflict.js";
import { INDEP, leafLine, leavesYaml, LIB, MID, prepareConflict } from "./conflict.js";

const run = promisify(execFile);

let conflict: Conflict;
let cache: string;
let env: NodeJS.ProcessEnv;
const temps: string[] = [];

async function makeSet(yaml: (dir: string) => string): Promise<string> {
  const dir = await makeTempDir("goset-holds-set-");
  temps.push(dir);
  await writeFile(join(dir, "leaves.yaml"), yaml(dir));
  return dir;
}

function update(setDir: string) {
  return runCli(["--set", setDir], updateEnv(conflict.proxyUrl, cache));
}

async function runLeaf(setDir: string, name: string): Promise<string> {
  const res = await nixBuild(setDir, `leaves.${name}`, env);
  if (res.code !== 0) throw new Error(`nix-build leaves.${name} failed:\n${res.stderr.slice(-3000)}`);
  return (await run(join(res.stdout.trim(), "bin", name))).stdout.trim();
}

/** Output paths of what a leaf builds against, by module path. */
function dependsOf(setDir: string, leaf: string): Promise<Record<string, string>> {
  return nixEval<Record<string, string>>(setDir, `builtins.mapAttrs (_: d: d.outPath) goset.leaves.${leaf}.goDepends`, env);
}

beforeAll(async () => {
  conflict = await prepareConflict();
  cache = await makeTempDir("goset-holds-cache-");
  temps.push(cache);
  env = nixEnv({ GOPROXY: conflict.proxyUrl, GOSUMDB: "off", GOPRIVATE: "", GONOSUMDB: "", GONOPROXY: "" });
}, 300_000);

afterAll(async () => {
  for (const t of temps) await removeTree(t);
  await conflict?.close();
});

describe("holds", () => {
  it("without a hold, the set raises lib for every leaf and the old leaf no longer compiles", async () => {
    const setDir = await makeSet((d) => leavesYaml(conflict, d, ["new", "old"]));
    const gen = await update(setDir);
    expect(gen.code, gen.stderr).toBe(0);
    const res = await nixBuild(setDir, "leaves.old", env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/undefined: lib\.Old/);
  }, 600_000);

  describe("with old and old2 holding lib at v1.0.0", () => {
    let setDir: string;
    let gen: Awaited<ReturnType<typeof update>>;
    const hold = `hold:\n  ${LIB}: { version: v1.0.0, reason: "v1.1.0 drops Old" }`;

    beforeAll(async () => {
      setDir = await makeSet((d) => leavesYaml(conflict, d, ["new", "old", "old2"], { old: hold, old2: `hold:\n  ${LIB}: v1.0.0` }));
      temps.push(`${setDir}-report.md`);
      gen = await runCli(["--set", setDir, "--report", `${setDir}-report.md`], updateEnv(conflict.proxyUrl, cache));
      if (gen.code !== 0) throw new Error(gen.stderr);
    }, 600_000);

    it("locks the set at lib v1.1.0 and the held v1.0.0 once, with the leaves' holds and reasons", async () => {
      const lock = parse(await readFile(join(setDir, "set.lock.yaml"), "utf8")) as {
        modules: Record<string, { version: string }>;
        held: Record<string, { path: string; version: string; verified: string; packages: string[]; imports: string[] }>;
        leaves: Record<string, { holds?: Record<string, { version: string; reason?: string }> }>;
      };
      expect(lock.modules[LIB]?.version).toBe("v1.1.0");
      expect(Object.keys(lock.held)).toEqual([`${LIB}@v1.0.0`]);
      expect(lock.held[`${LIB}@v1.0.0`]).toMatchObject({ path: LIB, version: "v1.0.0", verified: "go.sum", packages: ["."], imports: [] });
      expect(lock.leaves["old"]?.holds).toEqual({ [LIB]: { version: "v1.0.0", reason: "v1.1.0 drops Old" } });
      expect(lock.leaves["old2"]?.holds).toEqual({ [LIB]: { version: "v1.0.0" } });
      expect(lock.leaves["new"]?.holds).toBeUndefined();
    });

    it("lists the holds in the change report, with the set's version and the reason", async () => {
      const report = await readFile(`${setDir}-report.md`, "utf8");
      expect(report).toContain("### Holds (2)");
      expect(report).toContain(`| old | \`${LIB}\` | v1.0.0 | v1.1.0 | added | v1.1.0 drops Old |`);
      expect(report).toContain(`| old2 | \`${LIB}\` | v1.0.0 | v1.1.0 | added |  |`);
    });

    it("builds every leaf: the holders against lib v1.0.0, the other against v1.1.0", async () => {
      expect(await runLeaf(setDir, "old")).toBe(leafLine("old", "v1.0.0"));
      expect(await runLeaf(setDir, "old2")).toBe(leafLine("old2", "v1.0.0"));
      expect(await runLeaf(setDir, "new")).toBe(leafLine("new", "v1.1.0"));
    }, 600_000);

    it("rebuilds only the held module and its importers for a holder; a second holder shares them", async () => {
      const old = await dependsOf(setDir, "old");
      const old2 = await dependsOf(setDir, "old2");
      const fresh = await dependsOf(setDir, "new");
      const shared = await nixEval<Record<string, string>>(setDir, `builtins.mapAttrs (_: d: d.outPath) { inherit (goset.goPackages) "${LIB}" "${MID}" "${INDEP}"; held = goset.held."${LIB}@v1.0.0"; }`, env);
      expect(old[INDEP]).toBe(shared[INDEP]);
      expect(fresh[LIB]).toBe(shared[LIB]);
      expect(fresh[MID]).toBe(shared[MID]);
      expect(old[LIB]).toBe(shared["held"]);
      expect(old[LIB]).not.toBe(shared[LIB]);
      expect(old[MID]).not.toBe(shared[MID]);
      expect(old2[LIB]).toBe(old[LIB]);
      expect(old2[MID]).toBe(old[MID]);
    });

    it("writes the same bytes on a rerun, and --check agrees", async () => {
      const before = await readFile(join(setDir, "set.lock.yaml"), "utf8");
      const again = await update(setDir);
      expect(again.code, again.stderr).toBe(0);
      expect(await readFile(join(setDir, "set.lock.yaml"), "utf8")).toBe(before);
      const check = await runCli(["--set", setDir, "--check"], updateEnv(conflict.proxyUrl, cache));
      expect(check.code, check.stderr).toBe(0);
    }, 300_000);
  });

  it("warns about a hold at the set's version and one outside the leaf's build list, and ignores both", async () => {
    const setDir = await makeSet((d) => leavesYaml(conflict, d, ["new", "old"], { old: `hold:\n  ${LIB}: v1.1.0`, new: `hold:\n  example.com/not/required: v1.0.0` }));
    const gen = await update(setDir);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toContain(`leaf old: hold of ${LIB} at v1.1.0 equals the set's version; ignored`);
    expect(gen.stderr).toContain("leaf new: hold of example.com/not/required names a module outside its build list; ignored");
    const lock = parse(await readFile(join(setDir, "set.lock.yaml"), "utf8")) as { held?: unknown };
    expect(lock.held).toBeUndefined();
  }, 300_000);

  it("makes a hold of a module no other leaf has the set's version, recorded as the leaf's hold without a variant", async () => {
    const setDir = await makeSet((d) => leavesYaml(conflict, d, ["new", "old2"], { new: `hold:\n  ${INDEP}: { version: v1.0.0, reason: "stay" }` }));
    const gen = await update(setDir);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toContain(`leaf new: hold of ${INDEP} at v1.0.0: no other leaf's build list has ${INDEP}, so the set takes v1.0.0 (the hold acts as a pin)`);
    const lock = parse(await readFile(join(setDir, "set.lock.yaml"), "utf8")) as { modules: Record<string, { version: string }>; held?: unknown; leaves: Record<string, { holds?: unknown }> };
    expect(lock.modules[INDEP]?.version).toBe("v1.0.0");
    expect(lock.leaves["new"]?.holds).toEqual({ [INDEP]: { version: "v1.0.0", reason: "stay" } });
    expect(lock.held).toBeUndefined();
    expect(await readFile(join(setDir, "default.nix"), "utf8")).not.toContain("leafHolds");
    expect(await runLeaf(setDir, "new")).toBe(leafLine("new", "v1.1.0"));
  }, 600_000);

  it("composes with pins: a pin raises the set, a hold keeps one leaf back", async () => {
    const setDir = await makeSet((d) => leavesYaml(conflict, d, ["mild", "old"], { old: `hold:\n  ${LIB}: v1.0.0` }) + `pins:\n  ${LIB}: v1.1.0\n`);
    const gen = await update(setDir);
    expect(gen.code, gen.stderr).toBe(0);
    const lock = parse(await readFile(join(setDir, "set.lock.yaml"), "utf8")) as { modules: Record<string, { version: string }>; held: Record<string, unknown>; leaves: Record<string, { holds?: unknown; upgraded: Record<string, unknown> }> };
    expect(lock.modules[LIB]?.version).toBe("v1.1.0");
    expect(Object.keys(lock.held)).toEqual([`${LIB}@v1.0.0`]);
    expect(lock.leaves["old"]?.holds).toEqual({ [LIB]: { version: "v1.0.0" } });
    expect(lock.leaves["mild"]?.upgraded[LIB]).toEqual({ from: "v1.0.0", to: "v1.1.0" });
  }, 300_000);
});

/** Bulk regeneration: --update-leaves moves leaves to their latest release, --report writes the change report. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "../fixture/index.js";
import { copyTree, makeTempDir, prepareFixture, removeTree } from "../fixture/index.js";
import { makeFixtureSet, readLock, runCli, updateEnv } from "./helpers.js";

let fx: Fixture;
let cacheHome: string;
const temps: string[] = [];

beforeAll(async () => {
  fx = await prepareFixture();
  cacheHome = await makeTempDir("goset-cache-");
  temps.push(cacheHome);
});

afterAll(async () => {
  for (const t of temps) await removeTree(t);
  await fx?.close();
});

describe("bulk regeneration", () => {
  it("moves module leaves to their latest release, keeping leaves.yaml's comments", async () => {
    const dir = await makeTempDir("goset-bump-");
    temps.push(dir);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "leaves.yaml"), "# my set\nleaves:\n  # a tool we track\n  tool:\n    module: example.com/retract/tool\n    version: v1.0.0 # old\n    subPackages: [./...] # a library: no package main\n");
    const report = join(dir, "..", `${dir.split("/").pop()}-report.md`);
    temps.push(report);
    const res = await runCli(["--set", dir, "--update-leaves", "--report", report], updateEnv(fx.proxyUrl, cacheHome));
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("leaf tool: example.com/retract/tool v1.0.0 -> v1.2.0");
    const leaves = await readFile(join(dir, "leaves.yaml"), "utf8");
    expect(leaves).toContain("# my set\n");
    expect(leaves).toContain("# a tool we track\n");
    expect(leaves).toMatch(/version: v1\.2\.0/);
    expect((await readLock(dir)).leaves["tool"]).toMatchObject({ modulePath: "example.com/retract/tool" });
    expect(await readFile(report, "utf8")).toContain("| tool | (new) | v1.2.0 |");
    // nothing newer: a second run changes nothing
    const again = await runCli(["--set", dir, "--update-leaves"], updateEnv(fx.proxyUrl, cacheHome));
    expect(again.stderr).toContain("nothing changed");
  });

  it("reports a bumped module with the derivations it rebuilds, and raised leaf versions", async () => {
    const dir = await makeFixtureSet(fx);
    temps.push(dir);
    expect((await runCli(["--set", dir], updateEnv(fx.proxyUrl, cacheHome))).code).toBe(0);
    const before = await readLock(dir);
    const bumped = await makeTempDir("goset-bumped-");
    temps.push(bumped);
    await copyTree(dir, bumped);
    await writeFile(join(bumped, "leaves.yaml"), (await readFile(join(dir, "leaves.yaml"), "utf8")) + "pins:\n  example.com/Upper/Mixed: v1.1.0-RC1\n");
    const report = join(bumped, "..", `${bumped.split("/").pop()}-report.md`);
    temps.push(report);
    const res = await runCli(["--set", bumped, "--report", report], updateEnv(fx.proxyUrl, cacheHome));
    expect(res.code).toBe(0);
    const text = await readFile(report, "utf8");
    const dependents = Object.entries(before.modules).filter(([, m]) => m.requires.includes("example.com/Upper/Mixed")).length;
    const leaves = Object.values(before.leaves).filter((l) => l.requires.includes("example.com/Upper/Mixed")).length;
    expect(text).toContain(`| \`example.com/Upper/Mixed\` | v1.0.0 | v1.1.0-RC1 | ${1 + dependents} modules, ${leaves} leaves |`);
    expect(text).toMatch(/### Versions the set newly raised for leaves \(\d+\)/);
    expect(text).toContain("| leaf-a | `example.com/Upper/Mixed` | v1.0.0 | v1.1.0-RC1 |");
    expect(text).not.toContain("### Modules removed");
  });
});

/**
 * `goset update --keep-going`: a leaf whose graph the proxy cannot serve
 * keeps its previous locked state (a new one is left out), the rest of the
 * set regenerates, and the run exits 3 naming the leaf with its coded error.
 * Without the flag the run fails and writes nothing.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { runCli, updateEnv } from "../update/helpers.js";
import type { Conflict } from "./conflict.js";
import { INDEP, leavesYaml, prepareConflict } from "./conflict.js";

let conflict: Conflict;
const temps: string[] = [];

interface LockDoc {
  inputs: string;
  modules: Record<string, { version: string }>;
  leaves: Record<string, { requires: string[] }>;
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await makeTempDir(prefix);
  temps.push(dir);
  return dir;
}

/** update-set with a fresh content cache, so every go.mod is asked of the proxy. */
async function update(setDir: string, args: readonly string[] = []) {
  return runCli(["--set", setDir, ...args], updateEnv(conflict.proxyUrl, await tempDir("goset-kg-cache-")));
}

async function lockOf(setDir: string): Promise<LockDoc> {
  return parse(await readFile(join(setDir, "set.lock.yaml"), "utf8")) as LockDoc;
}

/** The proxy refuses indep v1.0.0's go.mod, which only old's graph needs (new has v1.1.0). */
function refuseOldIndep(): void {
  conflict.proxy.setFault((p) => (p === `/${INDEP}/@v/v1.0.0.mod` ? { status: 403 } : "ok"));
}

beforeAll(async () => {
  conflict = await prepareConflict();
}, 300_000);

afterAll(async () => {
  conflict?.proxy.setFault(undefined);
  for (const t of temps) await removeTree(t);
  await conflict?.close();
});

describe("update --keep-going", () => {
  it("keeps a failing leaf's previous state, regenerates the rest, exits 3 naming it", async () => {
    const setDir = await tempDir("goset-kg-set-");
    await writeFile(join(setDir, "leaves.yaml"), leavesYaml(conflict, setDir, ["new", "old"]));
    const first = await update(setDir);
    expect(first.code, first.stderr).toBe(0);
    const before = await lockOf(setDir);
    const oldFile = await readFile(join(setDir, "leaves", "old.nix"), "utf8");

    await writeFile(join(setDir, "leaves.yaml"), leavesYaml(conflict, setDir, ["mild", "new", "old"]));
    refuseOldIndep();
    try {
      const lockText = await readFile(join(setDir, "set.lock.yaml"), "utf8");
      const strict = await update(setDir);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toMatch(/error GOSET_PROXY_\w+: .*example\.com\/hold\/indep@v1\.0\.0/);
      expect(await readFile(join(setDir, "set.lock.yaml"), "utf8")).toBe(lockText);

      const res = await update(setDir, ["--keep-going", "--json", "--report", join(setDir, "..", "kg-report.md")]);
      temps.push(join(setDir, "..", "kg-report.md"));
      expect(res.code, res.stderr).toBe(3);
      const out = JSON.parse(res.stdout) as { ok: boolean; failedLeaves: { name: string; code: string; message: string; kept: boolean }[] };
      expect(out.ok).toBe(false);
      expect(out.failedLeaves).toEqual([{ name: "old", code: expect.stringMatching(/^GOSET_PROXY_/), message: expect.stringContaining(`${INDEP}@v1.0.0`), kept: true }]);
      const after = await lockOf(setDir);
      expect(Object.keys(after.leaves).sort()).toEqual(["mild", "new", "old"]);
      expect(after.leaves["old"]).toEqual(before.leaves["old"]);
      expect(await readFile(join(setDir, "leaves", "old.nix"), "utf8")).toBe(oldFile);
      expect(after.inputs).toMatch(/^partial /);
      const report = await readFile(join(setDir, "..", "kg-report.md"), "utf8");
      expect(report).toContain("### Leaves not regenerated (1)");
      expect(report).toMatch(/\| old \| GOSET_PROXY_\w+: .* \| previous state kept \|/);
      const check = await runCli(["--set", setDir, "--check"], updateEnv(conflict.proxyUrl, await tempDir("goset-kg-cache-")));
      expect(check.code).toBe(1);
    } finally {
      conflict.proxy.setFault(undefined);
    }
  }, 600_000);

  it("leaves out a new leaf that fails", async () => {
    const setDir = await tempDir("goset-kg-set-");
    await writeFile(join(setDir, "leaves.yaml"), leavesYaml(conflict, setDir, ["new"]));
    expect((await update(setDir)).code).toBe(0);
    await writeFile(join(setDir, "leaves.yaml"), leavesYaml(conflict, setDir, ["mild", "new", "old"]));
    refuseOldIndep();
    try {
      const res = await update(setDir, ["--keep-going"]);
      expect(res.code, res.stderr).toBe(3);
      expect(res.stderr).toMatch(/leaf old not regenerated \(left out\): error GOSET_PROXY_\w+/);
      expect(Object.keys((await lockOf(setDir)).leaves).sort()).toEqual(["mild", "new"]);
    } finally {
      conflict.proxy.setFault(undefined);
    }
  }, 600_000);
});

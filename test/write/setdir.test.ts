import { spawnSync } from "node:child_process";
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireSetLock, applyPlan, listGeneratedFiles, planChanges, recoverInterrupted } from "../../generator/write/setdir.js";
import { GENERATED_MARK } from "../../generator/render/nix.js";

const gen = (body: string) => `${GENERATED_MARK}; test\n${body}\n`;

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else out[child] = await readFile(join(dir, child), "utf8");
    }
  };
  await walk("");
  return out;
}

async function put(dir: string, files: Record<string, string>) {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "goset-setdir-"));
  await put(dir, {
    "leaves.yaml": "leaves: {}\n",
    "overrides.nix": "# hand-written\n{ }\n",
    "default.nix": gen("old index"),
    "set.lock.yaml": gen("old lock"),
    "modules/example.com/a.nix": gen("a v1"),
    "modules/example.com/gone.nix": gen("gone"),
    "modules/example.com/handwritten.nix": "# mine\n",
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const next = new Map([
  ["default.nix", gen("new index")],
  ["set.lock.yaml", gen("new lock")],
  ["modules/example.com/a.nix", gen("a v2")],
  ["modules/example.com/b.nix", gen("b v1")],
  ["leaves/hello.nix", gen("hello")],
]);

describe("planChanges", () => {
  it("lists changed files and stale generated files, never hand-written ones", async () => {
    await put(dir, { "leaves/hello.nix": gen("hello") });
    const plan = await planChanges(dir, next);
    expect([...plan.write.keys()].sort()).toEqual(["default.nix", "modules/example.com/a.nix", "modules/example.com/b.nix", "set.lock.yaml"]);
    expect(plan.remove).toEqual(["modules/example.com/gone.nix"]);
    expect(await listGeneratedFiles(dir)).not.toContain("modules/example.com/handwritten.nix");
  });
});

describe("applyPlan", () => {
  it("writes the new set and prunes stale generated files", async () => {
    await applyPlan(dir, await planChanges(dir, next));
    const after = await snapshot(dir);
    expect(after["modules/example.com/a.nix"]).toBe(gen("a v2"));
    expect(after["modules/example.com/gone.nix"]).toBeUndefined();
    expect(after["modules/example.com/handwritten.nix"]).toBe("# mine\n");
    expect(after["overrides.nix"]).toBe("# hand-written\n{ }\n");
    expect(Object.keys(after).some((k) => k.startsWith(".update-set"))).toBe(false);
    expect((await planChanges(dir, next)).write.size).toBe(0);
  });

  it.each([1, 2, 4])("rolls back to exactly the previous set after SIGKILL after %i renames", async (after) => {
    const before = await snapshot(dir);
    const plan = await planChanges(dir, next);
    const child = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "kill-child.ts"), dir, JSON.stringify({ write: [...plan.write], remove: plan.remove }), String(after)], { encoding: "utf8" });
    expect(child.signal).toBe("SIGKILL");
    expect(await snapshot(dir)).not.toEqual(before);
    expect(await recoverInterrupted(dir)).toBe(true);
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe("acquireSetLock", () => {
  it("lets one run in at a time and takes over a dead owner's lock", async () => {
    const release = await acquireSetLock(dir);
    await expect(acquireSetLock(dir)).rejects.toMatchObject({ code: "GOSET_LOCKED" });
    await release();
    await writeFile(join(dir, ".update-set.lock"), "999999999\n");
    const again = await acquireSetLock(dir);
    await again();
    await expect(stat(join(dir, ".update-set.lock"))).rejects.toThrow();
  });
});

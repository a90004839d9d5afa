/**
 * Command-line mistakes are usage errors: GOSET_USAGE, exit 2, a hint, JSON on
 * stdout with --json, and no stack trace; the set is not touched.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { runCli } from "../update/helpers.js";

let dir: string;

beforeAll(async () => {
  dir = await makeTempDir("goset-usage-");
  await mkdir(join(dir, "app"));
  await writeFile(join(dir, "app", "go.mod"), "module example.com/app\n\ngo 1.22\n");
  await writeFile(join(dir, "app", "main.go"), "package main\n\nfunc main() {}\n");
  await mkdir(join(dir, "app", "lib"));
  await writeFile(join(dir, "app", "lib", "lib.go"), "package lib\n");
  await writeFile(join(dir, "leaves.yaml"), "leaves:\n  app:\n    path: ./app\n");
});

afterAll(async () => {
  await removeTree(dir);
});

const env = () => ({ PATH: process.env["PATH"], HOME: process.env["HOME"], GOPROXY: "off", GOSUMDB: "off", GOENV: "off", XDG_CACHE_HOME: join(dir, "cache") });

describe("update-set usage errors", () => {
  it.each([
    ["an unknown option", ["--bogus"]],
    ["--set without a value", ["--set"]],
    ["a negative timeout", ["--timeout", "-1"]],
    ["a negative retry count", ["--retries=-1"]],
    ["a report into a missing directory", ["--report", "/nonexistent/dir/report.md"]],
    ["--check with --update-leaves", ["--check", "--update-leaves"]],
  ])("%s: GOSET_USAGE, exit 2, JSON with --json, no stack trace", async (_what, args) => {
    const res = await runCli(["--set", dir, ...args, "--json"], env());
    expect(res.code).toBe(2);
    const out = JSON.parse(res.stdout) as { ok: boolean; error: { code: string; hint: string | null } };
    expect(out).toMatchObject({ ok: false, error: { code: "GOSET_USAGE" } });
    expect(out.error.hint).not.toBeNull();
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a subPackage that names no package of the leaf, naming it", async () => {
    const sub = await makeTempDir("goset-sub-");
    try {
      await writeFile(join(sub, "leaves.yaml"), `leaves:\n  app:\n    path: ${join(dir, "app")}\n    subPackages: ["nonexistent/pkg"]\n`);
      const res = await runCli(["--set", sub, "--json"], { ...env(), XDG_CACHE_HOME: join(sub, "cache") });
      expect(res.code).toBe(2);
      expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, error: { code: "GOSET_LEAVES_INVALID", message: expect.stringContaining('"nonexistent/pkg"') } });
    } finally {
      await removeTree(sub);
    }
  });

  it("refuses a subPackage whose package is not main, naming it", async () => {
    const sub = await makeTempDir("goset-sub-");
    try {
      await writeFile(join(sub, "leaves.yaml"), `leaves:\n  app:\n    path: ${join(dir, "app")}\n    subPackages: [".", "./lib"]\n`);
      const res = await runCli(["--set", sub, "--json"], { ...env(), XDG_CACHE_HOME: join(sub, "cache") });
      expect(res.code).toBe(2);
      expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, error: { code: "GOSET_LEAVES_INVALID", message: expect.stringMatching(/"\.\/lib".* not package main/) } });
    } finally {
      await removeTree(sub);
    }
  });

  it("renders a path leaf given as an absolute path as that path", async () => {
    const abs = await makeTempDir("goset-abs-");
    try {
      await writeFile(join(abs, "leaves.yaml"), `leaves:\n  app:\n    path: ${join(dir, "app")}\n`);
      const res = await runCli(["--set", abs], { ...env(), XDG_CACHE_HOME: join(abs, "cache") });
      expect(res.code, res.stderr).toBe(0);
      const { readFile } = await import("node:fs/promises");
      expect(await readFile(join(abs, "leaves", "app.nix"), "utf8")).toContain(`src = ${join(dir, "app")};`);
    } finally {
      await removeTree(abs);
    }
  });

  it("quotes a leaf named with a Nix keyword, so every generated file parses", async () => {
    const keyword = await makeTempDir("goset-keyword-");
    try {
      await mkdir(join(keyword, "app"));
      await writeFile(join(keyword, "app", "go.mod"), "module example.com/app\n\ngo 1.22\n");
      await writeFile(join(keyword, "app", "main.go"), "package main\n\nfunc main() {}\n");
      await writeFile(join(keyword, "leaves.yaml"), "leaves:\n  with:\n    path: ./app\n  in:\n    path: ./app\n");
      const res = await runCli(["--set", keyword], { ...env(), XDG_CACHE_HOME: join(keyword, "cache") });
      expect(res.code, res.stderr).toBe(0);
      const { execFile } = await import("node:child_process");
      const parse = (file: string) =>
        new Promise<number>((resolve) => execFile("nix-instantiate", ["--parse", join(keyword, file)], (error) => resolve(error === null ? 0 : 1)));
      for (const file of ["default.nix", "leaves/with.nix", "leaves/in.nix"]) expect({ file, code: await parse(file) }).toEqual({ file, code: 0 });
    } finally {
      await removeTree(keyword);
    }
  });
});

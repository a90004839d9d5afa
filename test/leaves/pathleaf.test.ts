/**
 * Path leaves as Nix copies them: symbolic links are kept as links, so a link
 * that leaves the leaf's directory is refused (GOSET_LOCAL_PATH, exit 2, the
 * link named) before a replace or go/build follows it; links inside it are
 * followed as go/build follows them.
 */
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { runCli } from "../update/helpers.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map(removeTree));
});

const env = (dir: string) => ({ PATH: process.env["PATH"], HOME: process.env["HOME"], GOPROXY: "off", GOSUMDB: "off", GOENV: "off", XDG_CACHE_HOME: join(dir, "cache") });

/** A set whose one path leaf `app` replaces example.com/dep with ./dep; `layout` adds links and files. */
async function setWithLeaf(layout: (dir: string, app: string) => Promise<void>): Promise<string> {
  const dir = await makeTempDir("goset-pathleaf-");
  temps.push(dir);
  const app = join(dir, "app");
  await mkdir(app);
  await writeFile(join(app, "go.mod"), "module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ./dep\n");
  await writeFile(join(app, "main.go"), 'package main\n\nimport "example.com/dep"\n\nfunc main() { dep.Run() }\n');
  await writeFile(join(dir, "leaves.yaml"), "leaves:\n  app:\n    path: ./app\n");
  await layout(dir, app);
  return dir;
}

async function writeDep(at: string): Promise<void> {
  await mkdir(at, { recursive: true });
  await writeFile(join(at, "go.mod"), "module example.com/dep\n\ngo 1.22\n");
  await writeFile(join(at, "dep.go"), "package dep\n\nfunc Run() {}\n");
}

describe("symbolic links in a path leaf", () => {
  it.each([
    ["a replacement directory linked outside the leaf", async (dir: string, app: string) => {
      await writeDep(join(dir, "elsewhere", "dep"));
      await symlink("../elsewhere/dep", join(app, "dep"));
    }, "dep"],
    ["a Go file linked outside the leaf", async (dir: string, app: string) => {
      await writeDep(join(app, "dep"));
      await writeFile(join(dir, "secret.go"), "package main\n");
      await symlink("../secret.go", join(app, "secret.go"));
    }, "secret.go"],
    ["a link by an absolute path, even into the leaf", async (_dir: string, app: string) => {
      await writeDep(join(app, "dep"));
      await symlink(join(app, "main.go"), join(app, "alias.go"));
    }, "alias.go"],
    ["a link whose chain ends outside the leaf", async (dir: string, app: string) => {
      await writeDep(join(app, "dep"));
      await writeFile(join(dir, "notes.txt"), "outside\n");
      await symlink("../../notes.txt", join(app, "dep", "hop"));
      await mkdir(join(app, "a-docs"));
      await symlink("../dep/hop", join(app, "a-docs", "notes.txt"));
    }, "a-docs/notes.txt"],
  ])("refuses %s, naming the link", async (_what, layout, link) => {
    const dir = await setWithLeaf(layout);
    const res = await runCli(["--set", dir, "--json"], env(dir));
    expect(res.code).toBe(2);
    const out = JSON.parse(res.stdout) as { error: { code: string; message: string; hint: string } };
    expect(out.error).toMatchObject({ code: "GOSET_LOCAL_PATH", message: expect.stringContaining(`${link} is a symbolic link`) });
    expect(out.error.hint).toMatch(/Nix copies/);
  });

  it("follows links that stay inside the leaf, as go/build does", async () => {
    const dir = await setWithLeaf(async (_dir, app) => {
      await writeDep(join(app, "third_party", "dep"));
      await symlink("third_party/dep", join(app, "dep"));
      await mkdir(join(app, "cmd"));
      await mkdir(join(app, "shared"));
      await writeFile(join(app, "shared", "tool.go"), 'package main\n\nimport "example.com/dep"\n\nfunc main() { dep.Run() }\n');
      await symlink("../shared", join(app, "cmd", "tool"));
    });
    await writeFile(join(dir, "leaves.yaml"), "leaves:\n  app:\n    path: ./app\n    subPackages: [., ./cmd/tool]\n");
    const res = await runCli(["--set", dir], env(dir));
    expect(res.code, res.stderr).toBe(0);
    expect(await readFile(join(dir, "leaves", "app.nix"), "utf8")).toContain('"./cmd/tool"');
  });
});

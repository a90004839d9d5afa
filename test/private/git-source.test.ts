/**
 * The git layer on its own, against git http-backend on 127.0.0.1 (no
 * namespace needed: repositories are opened by URL): credentials reach git
 * only through the environment of its credential helper, refusals are
 * recognised, and a module's zip holds what x/mod/zip's rules keep.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { digestModuleZip } from "../../generator/modzip/index.js";
import { createCodeRepo, moduleLayout } from "../../generator/vcs/coderepo.js";
import { GitFailure, gitConfigArgs, gitEnvironment } from "../../generator/vcs/git.js";
import { createGitRepos, type GitRepos } from "../../generator/vcs/gitrepo.js";
import { deflatedEntry, writeZip } from "../../generator/vcs/zipwriter.js";
import { crc32 } from "node:zlib";
import { startGitServer, type GitServer } from "./git-server.js";
import { buildTestRepos, HOST, type TestRepos } from "./repos.js";

const USER = "bob";
const PASSWORD = "helper-pw-5521";

let tmp: string;
let repos: TestRepos;
let server: GitServer;
let home: string;
const opened: GitRepos[] = [];

function open(url: string, credentials?: { user: string; password: string }) {
  const all = createGitRepos();
  opened.push(all);
  const base = { PATH: process.env["PATH"], HOME: home, GIT_CONFIG_NOSYSTEM: "1" };
  return all.open(url, gitEnvironment(base, 10_000, credentials), gitConfigArgs(credentials !== undefined));
}

async function zipContents(file: string): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const out = new Map<string, string>();
  try {
    for await (const e of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
      out.set(e.fileName, Buffer.concat(chunks).toString("utf8"));
    }
  } finally {
    zip.close();
  }
  return out;
}

beforeAll(async () => {
  tmp = await makeTempDir("goset-git-source-");
  repos = await buildTestRepos(join(tmp, "repos"));
  home = join(tmp, "home");
  await mkdir(home);
  server = await startGitServer({ projectRoot: repos.projectRoot, user: USER, password: PASSWORD, goImports: repos.goImports });
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((r) => r.close()));
  await server?.close();
  if (tmp !== undefined) await removeTree(tmp);
});

describe("git over http with basic auth", () => {
  const url = (): string => `http://127.0.0.1:${server.port}/repo.git`;

  it("without credentials git fails at once (no prompt), and the failure reads as refused access", async () => {
    const err = await open(url()).refs().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitFailure);
    expect((err as GitFailure).isAuth).toBe(true);
    expect((err as GitFailure).message).toMatch(/^git ls-remote: fatal: could not read Username .*terminal prompts disabled/);
  });

  it("a wrong password reads as refused access too", async () => {
    const err = await open(url(), { user: USER, password: "nope" }).refs().catch((e: unknown) => e);
    expect((err as GitFailure).isAuth).toBe(true);
    expect((err as GitFailure).message).toContain("Authentication failed");
  });

  it("the credential helper hands git the netrc entry; the secret is never on a command line", async () => {
    const before = server.log.length;
    const refs = await open(url(), { user: USER, password: PASSWORD }).refs();
    expect([...refs.keys()].filter((r) => r.startsWith("refs/tags/")).sort()).toEqual(["refs/tags/sub/v1.0.0", "refs/tags/v1.0.0", "refs/tags/v1.1.0", "refs/tags/v2.0.0"]);
    expect(server.log.slice(before).some((l) => l.endsWith(` ${USER}`))).toBe(true);
    expect(gitConfigArgs(true).join(" ")).not.toContain(PASSWORD);
  });

  it("stats a tag with its commit time, reads files at it, and tells a missing file", async () => {
    const repo = open(url(), { user: USER, password: PASSWORD });
    const info = await repo.stat("v1.0.0");
    expect(new Date(info.time * 1000).toISOString()).toBe("2024-03-01T10:00:00.000Z");
    expect((await repo.readFile(info.hash, "sub/go.mod"))?.toString()).toBe(`module ${HOST}/repo/sub\n\ngo 1.22\n`);
    expect(await repo.readFile(info.hash, "missing.txt")).toBeUndefined();
    await expect(repo.stat("v9.9.9")).rejects.toThrow("unknown revision v9.9.9");
  });
});

describe("a module zip from git archive", () => {
  it("holds the module's files as cmd/go keeps them, with go's h1", async () => {
    const repo = open(`http://127.0.0.1:${server.port}/repo.git`, { user: USER, password: PASSWORD });
    const code = createCodeRepo(repo, moduleLayout(`${HOST}/repo`, "", `${HOST}/repo`));
    expect(await code.versions()).toEqual(["v1.0.0", "v1.1.0"]);
    expect(await code.stat("v1.1.0")).toEqual({ Version: "v1.1.0", Time: "2024-03-02T10:00:00Z" });
    const file = join(tmp, "repo.zip");
    await code.zip("v1.0.0", file);
    const files = await zipContents(file);
    const prefix = `${HOST}/repo@v1.0.0/`;
    expect([...files.keys()].map((n) => n.slice(prefix.length)).sort()).toEqual(
      [".gitattributes", "LICENSE", "crlf.txt", "go.mod", "ignored.txt", "repo.go", "subst.txt", "tool.sh", "vendor/modules.txt"].sort(),
    );
    expect(files.get(prefix + "crlf.txt")).toBe("line one\r\nline two\r\n");
    expect(files.get(prefix + "subst.txt")).toBe("kept verbatim: $Format:%H$\n");
    // What `go mod download` records for this repository (direct-git.test.ts recomputes it with go).
    expect((await digestModuleZip(file, { path: `${HOST}/repo`, version: "v1.0.0" })).sum).toBe("h1:RDdJAnKJd2pvJx/s3KZegCvosB74Y2EVpLK4FtaoXoY=");
  });

  it("adds the repository's LICENSE to a subdirectory module and finds a /v2 module in its major subdirectory", async () => {
    const repo = open(`http://127.0.0.1:${server.port}/repo.git`, { user: USER, password: PASSWORD });
    const sub = createCodeRepo(repo, moduleLayout(`${HOST}/repo`, "", `${HOST}/repo/sub`));
    const v2 = createCodeRepo(repo, moduleLayout(`${HOST}/repo`, "", `${HOST}/repo/v2`));
    await sub.zip("v1.0.0", join(tmp, "sub.zip"));
    await v2.zip("v2.0.0", join(tmp, "v2.zip"));
    expect([...(await zipContents(join(tmp, "sub.zip"))).keys()].sort()).toEqual([`${HOST}/repo/sub@v1.0.0/LICENSE`, `${HOST}/repo/sub@v1.0.0/go.mod`, `${HOST}/repo/sub@v1.0.0/sub.go`]);
    expect((await v2.goMod("v2.0.0")).toString()).toBe(`module ${HOST}/repo/v2\n\ngo 1.22\n`);
    expect(await v2.versions()).toEqual(["v2.0.0"]);
    await expect(createCodeRepo(repo, moduleLayout(`${HOST}/repo`, "", `${HOST}/repo`)).stat("v2.0.0")).rejects.toThrow(
      `module contains a go.mod file, so module path must match major version ("${HOST}/repo/v2")`,
    );
  });
});

describe("the zip writer", () => {
  it("writes stored and deflated entries, non-ASCII names flagged UTF-8, that the module zip reader accepts", async () => {
    const stored = Buffer.from("package x\n");
    const file = join(tmp, "written.zip");
    await writeZip(file, [
      { name: "x.example/m@v1.0.0/go.mod", method: 0, crc32: crc32(Buffer.from("module x.example/m\n")), compressedSize: 19, uncompressedSize: 19, data: Buffer.from("module x.example/m\n") },
      { name: "x.example/m@v1.0.0/héllo.go", method: 0, crc32: crc32(stored), compressedSize: stored.length, uncompressedSize: stored.length, data: stored },
      deflatedEntry("x.example/m@v1.0.0/big.txt", Buffer.from("abc".repeat(10_000))),
    ]);
    const files = await zipContents(file);
    expect(files.get("x.example/m@v1.0.0/héllo.go")).toBe("package x\n");
    expect(files.get("x.example/m@v1.0.0/big.txt")).toBe("abc".repeat(10_000));
    const digest = await digestModuleZip(file, { path: "x.example/m", version: "v1.0.0" });
    expect(digest.files).toBe(3);
    expect(digest.goMod?.toString()).toBe("module x.example/m\n");
  });
});

/**
 * GOPRIVATE modules fetched straight from git, end to end: a git smart-HTTP
 * server with basic auth on port 80 of a private network namespace where
 * git.goset.test is 127.0.0.1, the real go and update-set run inside it,
 * and a Nix build whose fixed-output fetches run git there too (the sandbox
 * shows them the netrc through extra-sandbox-paths).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureGoCache, makeTempDir, removeTree } from "../fixture/index.js";
import { nixEnv, REPO } from "../nix/nix.js";
import { readLock, type Lock } from "../update/helpers.js";
import { writeBuildUserFile } from "./buildusers.js";
import { createNetns, type Netns, type RunResult } from "./netns.js";
import { buildTestRepos, HOST, type TestRepos } from "./repos.js";

const run = promisify(execFile);
const USER = "alice";
const PASSWORD = "git-s3cret-7f3a";
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");

let tmp: string;
let ns: Netns | undefined;
let repos: TestRepos;
let leafDir: string;
let setDir: string;
let netrc: string;
let emptyHome: string;
let pseudo: string;

const paths = {
  repo: `${HOST}/repo`,
  sub: `${HOST}/repo/sub`,
  v2: `${HOST}/repo/v2`,
  plain: `${HOST}/plain.git`,
};

/** What go and update-set share: no proxy at all, the host private and reachable over plain http. */
function goSettings(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"],
    GOENV: "off",
    GOPROXY: "off",
    GOPRIVATE: HOST,
    GONOPROXY: "",
    GONOSUMDB: "",
    GOINSECURE: HOST,
    GOSUMDB: "off",
    GOFLAGS: "-mod=mod",
    GOTOOLCHAIN: "local",
    GOWORK: "off",
    ...extra,
  };
}

/** go's git reads credentials from ~/.netrc only. */
function goEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return goSettings({ HOME: home, GOMODCACHE: join(home, "gomodcache"), GOPATH: join(home, "gopath"), GOCACHE: fixtureGoCache(), ...extra });
}

async function runInside(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = REPO): Promise<RunResult> {
  if (ns === undefined) throw new Error("no namespace");
  return ns.run(cmd, args, { env, cwd });
}

async function updateSet(env: NodeJS.ProcessEnv, dir = setDir): Promise<RunResult> {
  const cache = await makeTempDir("goset-private-cache-");
  try {
    return await runInside(process.execPath, [join(REPO, "bin", "update-set.js"), "--set", dir], goSettings({ HOME: emptyHome, XDG_CACHE_HOME: cache, ...env }));
  } finally {
    await removeTree(cache);
  }
}

function expectNoSecret(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(PASSWORD);
    expect(t).not.toContain(BASIC);
  }
}

async function writeLeaf(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "go.mod"),
    `module example.com/leaf/gitdirect\n\ngo 1.22\n\nrequire (\n\t${paths.repo} v1.0.0\n\t${paths.sub} v1.0.0\n\t${paths.v2} v2.0.0\n\t${paths.plain} ${pseudo}\n)\n`,
  );
  await writeFile(
    join(dir, "main.go"),
    [
      "package main",
      "",
      'import (\n\t"fmt"\n',
      `\trepo "${paths.repo}"\n\t"${paths.sub}"\n\tv2 "${paths.v2}"\n\tplain "${paths.plain}"\n)`,
      "",
      'func main() { fmt.Println(repo.Hello(), sub.Name(), v2.Major(), plain.Word()) }',
      "",
    ].join("\n"),
  );
}

const available = await (async () => {
  const dir = await makeTempDir("goset-netns-probe-");
  try {
    const probe = await createNetns(dir, []);
    await probe?.close();
    return probe !== undefined;
  } finally {
    await removeTree(dir);
  }
})();
// CI installs what the tests need and skips none of them.
if (!available && process.env["CI"] === "true") throw new Error("no network namespace here (unshare --net --mount as root), which CI must have");

beforeAll(async () => {
  if (!available) return;
  tmp = await makeTempDir("goset-private-git-");
  repos = await buildTestRepos(join(tmp, "repos"));
  pseudo = `v0.0.0-20240303040506-${repos.plainCommit.slice(0, 12)}`;
  ns = await createNetns(tmp, [HOST]);
  const server = { projectRoot: repos.projectRoot, host: "127.0.0.1", port: 80, user: USER, password: PASSWORD, goImports: repos.goImports };
  await ns?.start(process.execPath, ["--import", "tsx", join(REPO, "test", "private", "git-server.ts"), JSON.stringify(server)], {
    env: process.env,
    cwd: REPO,
    ready: /^listening 80$/,
  });
  emptyHome = join(tmp, "empty-home");
  await mkdir(emptyHome);
  netrc = await writeBuildUserFile(tmp, "nix-readable", "netrc", `machine ${HOST} login ${USER} password ${PASSWORD}\n`);
  // The leaf's go.sum comes from go itself.
  const goHome = join(tmp, "go-home");
  await mkdir(goHome);
  await writeFile(join(goHome, ".netrc"), `machine ${HOST} login ${USER} password ${PASSWORD}\n`);
  leafDir = join(tmp, "leaf");
  await writeLeaf(leafDir);
  const tidy = await runInside("go", ["mod", "tidy"], goEnv(goHome), leafDir);
  if (tidy.code !== 0) throw new Error(`go mod tidy failed: ${tidy.stderr}`);
  setDir = join(tmp, "set");
  await mkdir(setDir);
  await writeFile(join(setDir, "leaves.yaml"), `leaves:\n  gitdirect:\n    path: ${relative(setDir, leafDir)}\n`);
}, 600_000);

afterAll(async () => {
  await ns?.close();
  if (tmp !== undefined) await removeTree(tmp);
});

describe.skipIf(!available)("GOPRIVATE modules straight from git (network namespace)", () => {
  let lock: Lock;
  let generated: RunResult;

  beforeAll(async () => {
    generated = await updateSet({ NETRC: netrc });
    if (generated.code !== 0) throw new Error(`update-set failed:\n${generated.stderr}`);
    lock = await readLock(setDir);
  }, 300_000);

  it("update-set resolves tags, a subdirectory module, a major-version subdirectory and a pseudo-version through git", () => {
    expect(Object.fromEntries(Object.entries(lock.modules).map(([p, m]) => [p, [m.version, m.verified]]))).toEqual({
      [paths.repo]: ["v1.0.0", "go.sum"],
      [paths.sub]: ["v1.0.0", "go.sum"],
      [paths.v2]: ["v2.0.0", "go.sum"],
      [paths.plain]: [pseudo, "go.sum"],
    });
  });

  it("writes the sums and tree hashes that go computes for the same repositories", async () => {
    const home = join(tmp, "go-home-2");
    await mkdir(home);
    await writeFile(join(home, ".netrc"), `machine ${HOST} login ${USER} password ${PASSWORD}\n`);
    const targets = Object.entries(lock.modules).map(([p, m]) => `${p}@${m.version}`);
    const res = await runInside("go", ["mod", "download", "-json", ...targets], goEnv(home), tmp);
    expect(res.stderr).toBe("");
    const downloads = res.stdout
      .split(/\n(?=\{)/)
      .map((t) => JSON.parse(t) as { Path: string; Version: string; Sum: string; GoModSum: string; Dir: string });
    expect(downloads).toHaveLength(4);
    for (const d of downloads) {
      const m = lock.modules[d.Path];
      const { stdout } = await run("nix", ["--extra-experimental-features", "nix-command", "hash", "path", "--sri", d.Dir]);
      expect({ path: d.Path, version: m?.version, sum: m?.sum, goModSum: m?.goModSum, hash: m?.hash }).toEqual({
        path: d.Path,
        version: d.Version,
        sum: d.Sum,
        goModSum: d.GoModSum,
        hash: stdout.trim(),
      });
    }
  });

  it("lists tagged versions per module directory and picks the latest release", async () => {
    const res = await runInside(process.execPath, ["--import", "tsx", join(REPO, "test", "private", "probe.ts"), ...Object.values(paths)], goSettings({ HOME: emptyHome, NETRC: netrc }));
    const probe = JSON.parse(res.stdout) as Record<string, { versions?: string[]; latest?: { Version: string; Time?: string }; latestError?: string }>;
    expect(probe[paths.repo]).toEqual({ versions: ["v1.0.0", "v1.1.0"], latest: { Version: "v1.1.0", Time: "2024-03-02T10:00:00Z" } });
    expect(probe[paths.sub]).toEqual({ versions: ["v1.0.0"], latest: { Version: "v1.0.0", Time: "2024-03-01T10:00:00Z" } });
    expect(probe[paths.v2]).toEqual({ versions: ["v2.0.0"], latest: { Version: "v2.0.0", Time: "2024-03-01T10:00:00Z" } });
    expect(probe[paths.plain]?.versions).toEqual([]);
    expect(probe[paths.plain]?.latestError).toMatch(/^GOSET_VCS: .*git\.goset\.test\/plain\.git has no tagged versions/);
  });

  it("keeps the credentials out of the output and the generated files", async () => {
    expectNoSecret(generated.stdout, generated.stderr);
    for (const f of ["set.lock.yaml", "default.nix", "leaves/gitdirect.nix"]) expectNoSecret(await readFile(join(setDir, f), "utf8"));
  });

  it.each([
    ["no credentials", { NETRC: join(tmp ?? "", "no-such-netrc") }, "none from update-set (no entry for git.goset.test in"],
    ["a wrong password", { NETRC: "WRONG" }, "the netrc entry for git.goset.test in"],
  ])("with %s it fails with GOSET_VCS_AUTH naming the module and the credential source", async (_what, env, source) => {
    const environment = { ...env };
    if (environment.NETRC === "WRONG") {
      environment.NETRC = join(tmp, "wrong-netrc");
      await writeFile(environment.NETRC, `machine ${HOST} login ${USER} password not-${PASSWORD}\n`);
    }
    const res = await updateSet(environment);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`error GOSET_VCS_AUTH: ${HOST.replaceAll(".", "\\.")}/(repo|plain\\.git)\\S*@v\\S+ .*matches GOPRIVATE=${HOST.replaceAll(".", "\\.")}, so it is fetched directly from version control`));
    // Whichever module fails first: repo.git by its path, plain.git after probing each protocol.
    expect(res.stderr).toMatch(/http:\/\/git\.goset\.test\/(repo\.git|plain): git ls-remote: .*(terminal prompts disabled|Authentication failed)/);
    expect(res.stderr).toContain(source);
    expectNoSecret(res.stdout, res.stderr);
  });

  it("reads go-import pages over plain http only for GOINSECURE paths, as go does", async () => {
    const res = await updateSet({ NETRC: netrc, GOINSECURE: "" });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_VCS: git\.goset\.test\/repo\S*@v\S+ .*resolving git\.goset\.test\/repo\S*: unrecognized import path "git\.goset\.test\/repo\S*": https fetch: /);
  });

  it("builds the leaf with Nix: the fixed-output fetches run git with the NETRC passed through impureEnvVars", async () => {
    const env = nixEnv(goSettings({ HOME: emptyHome, NETRC: netrc }), [dirname(netrc)]);
    const build = await runInside("nix-build", [REPO, "--arg", "set", setDir, "-A", "leaves.gitdirect", "--no-out-link"], env);
    expect(build.code, build.stderr.slice(-3000)).toBe(0);
    const out = build.stdout.trim();
    const { stdout } = await run(join(out, "bin", "gitdirect"));
    expect(stdout.trim()).toBe("repo v1.0.0 sub v1.0.0 repo/v2 v2.0.0 plain");
    // --check fetches again even when the store has the output: the credentials really are used.
    const attr = `goPackages."${paths.repo}".src`;
    const check = await runInside("nix-build", [REPO, "--arg", "set", setDir, "-A", attr, "--no-out-link", "--check"], env);
    expect(check.code, check.stderr.slice(-3000)).toBe(0);
    const src = check.stdout.trim();
    const drv = (await run("nix-store", ["--query", "--deriver", src])).stdout.trim();
    expectNoSecret(await readFile(drv, "utf8"), build.stderr, check.stderr);
    await expect(run("grep", ["-r", "-l", "-F", "-e", PASSWORD, "-e", BASIC, src, out])).rejects.toMatchObject({ code: 1 });
    const denied = await runInside("nix-build", [REPO, "--arg", "set", setDir, "-A", attr, "--no-out-link", "--check"], nixEnv(goSettings({ HOME: emptyHome, NETRC: "" })));
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(`${paths.repo}@v1.0.0`);
    expect(denied.stderr).toMatch(/terminal prompts disabled|Authentication failed|could not read Username/);
    expectNoSecret(denied.stderr);
  }, 1_200_000);
});

/**
 * update-set's failures: each bad input gives a stable code, a message naming
 * what is wrong, a hint and exit code 2, and leaves the previous set exactly
 * as it was. Bad modules are served by a second real proxy on loopback, in
 * front of the fixture proxy (`GOPROXY=bad,fixture`).
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapePath, escapeVersion } from "../../generator/gomod/escape.js";
import { acquireSetLock } from "../../generator/write/setdir.js";
import type { Fixture, FixtureProxyServer } from "../fixture/index.js";
import { copyTree, listFiles, makeTempDir, prepareFixture, removeTree, startFixtureProxy, zipFiles } from "../fixture/index.js";
import { patchBytes } from "../modzip/helpers.js";
import { makeFixtureSet, REPO, runCli, updateEnv } from "./helpers.js";

let fx: Fixture;
let bad: FixtureProxyServer;
let badRoot: string;
let goodSet: string;
let cacheHome: string;
const temps: string[] = [];

interface BadModule {
  path: string;
  version: string;
  goMod: string;
  /** Zip entries; names are used as given (no prefix added) when `rawNames` is set. */
  files: Record<string, string>;
  rawNames?: boolean;
  /** Same-length byte patch applied to the finished zip (names yazl refuses to write). */
  patch?: [string, string];
}

async function publish(m: BadModule, root = badRoot): Promise<void> {
  const dir = join(root, escapePath(m.path), "@v");
  await mkdir(dir, { recursive: true });
  const v = escapeVersion(m.version);
  await writeFile(join(dir, "list"), `${m.version}\n`);
  await writeFile(join(dir, `${v}.info`), JSON.stringify({ Version: m.version, Time: "2024-01-01T00:00:00Z" }));
  await writeFile(join(dir, `${v}.mod`), m.goMod);
  const files = new Map(Object.entries(m.files).map(([k, c]) => [k, Buffer.from(c)]));
  const zip = await zipFiles(m.rawNames ? "" : `${m.path}@${m.version}/`, files);
  await writeFile(join(dir, `${v}.zip`), m.patch ? patchBytes(zip, ...m.patch) : zip);
}

/** A copy of the good set plus one path leaf that requires `requires`. */
async function setWithLeaf(name: string, requires: string[], goSum = ""): Promise<string> {
  const dir = await makeTempDir("goset-badset-");
  temps.push(dir);
  await copyTree(goodSet, dir);
  const leafDir = join(dir, "apps", name);
  await mkdir(leafDir, { recursive: true });
  await writeFile(join(leafDir, "go.mod"), `module example.com/apps/${name}\n\ngo 1.22\n\nrequire (\n${requires.map((r) => `\t${r.replace("@", " ")}\n`).join("")})\n`);
  await writeFile(join(leafDir, "go.sum"), goSum);
  await writeFile(join(leafDir, "main.go"), "package main\n\nfunc main() {}\n");
  const leaves = await readFile(join(dir, "leaves.yaml"), "utf8");
  await writeFile(join(dir, "leaves.yaml"), leaves.replace("leaves:\n", `leaves:\n  ${name}:\n    path: apps/${name}\n`));
  return dir;
}

async function generatedFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(dir)) if (!f.startsWith("apps/") && f !== "leaves.yaml") out[f] = await readFile(join(dir, f), "utf8");
  return out;
}

const env = (extra: NodeJS.ProcessEnv = {}) => updateEnv(`${bad.url},${fx.proxyUrl}`, cacheHome, extra);

beforeAll(async () => {
  fx = await prepareFixture();
  badRoot = await makeTempDir("goset-badproxy-");
  bad = await startFixtureProxy(badRoot);
  cacheHome = await makeTempDir("goset-cache-");
  goodSet = await makeFixtureSet(fx);
  temps.push(badRoot, cacheHome, goodSet);
  // A good set placed beside the leaves' copies so relative paths still resolve from copies.
  const res = await runCli(["--set", goodSet], env());
  if (res.code !== 0) throw new Error(res.stderr);
  const gomod = (p: string) => `module ${p}\n\ngo 1.21\n`;
  await publish({ path: "example.com/bad/gomod", version: "v1.0.0", goMod: "module example.com/bad/gomod\n\ngo 1.21\nrequire (\n\texample.com/x v1.0.0\n", files: { "go.mod": "module example.com/bad/gomod\n" } });
  await publish({ path: "example.com/bad/outside", version: "v1.0.0", goMod: gomod("example.com/bad/outside"), rawNames: true, files: { "example.com/bad/outside@v1.0.0/go.mod": gomod("example.com/bad/outside"), "example.com/other@v1.0.0/x.go": "package x\n" } });
  await publish({ path: "example.com/bad/dotdot", version: "v1.0.0", goMod: gomod("example.com/bad/dotdot"), files: { "go.mod": gomod("example.com/bad/dotdot"), "a/QQ/QQ/escape.go": "package x\n" }, patch: ["QQ/QQ", "../.."] });
  await publish({ path: "example.com/bad/case", version: "v1.0.0", goMod: gomod("example.com/bad/case"), files: { "go.mod": gomod("example.com/bad/case"), "README": "a", "readme": "b" } });
  await publish({ path: "example.com/ok/slow", version: "v1.0.0", goMod: gomod("example.com/ok/slow"), files: { "go.mod": gomod("example.com/ok/slow"), "s.go": "package slow\n" } });
});

afterAll(async () => {
  await bad?.close();
  await fx?.close();
  for (const t of temps) await removeTree(t);
});

describe("update-set errors", () => {
  it("rejects a malformed leaves.yaml with file:line and a hint", async () => {
    const dir = await makeTempDir("goset-badset-");
    temps.push(dir);
    await writeFile(join(dir, "leaves.yaml"), "leaves:\n  a:\n    modul: example.com/a\n");
    const res = await runCli(["--set", dir], env());
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_LEAVES_INVALID: .*leaves\.yaml:3: leaf "a": unknown key "modul"/);
    expect(res.stderr).toMatch(/hint: /);
  });

  it.each([
    ["a malformed go.mod in a dependency", ["example.com/bad/gomod@v1.0.0"], "GOSET_GOMOD_PARSE", /example\.com\/bad\/gomod@v1\.0\.0\/go\.mod:\d+/],
    ["a module missing on every proxy", ["example.com/nowhere@v1.0.0"], "GOSET_PROXY_NOT_FOUND", /example\.com\/nowhere@v1\.0\.0/],
    ["a zip entry outside path@version/", ["example.com/bad/outside@v1.0.0"], "GOSET_ZIP_INVALID", /example\.com\/bad\/outside@v1\.0\.0.*example\.com\/other@v1\.0\.0\/x\.go/],
    ["a zip entry with ..", ["example.com/bad/dotdot@v1.0.0"], "GOSET_ZIP_INVALID", /example\.com\/bad\/dotdot@v1\.0\.0/],
    ["case-colliding zip entries", ["example.com/bad/case@v1.0.0"], "GOSET_ZIP_INVALID", /example\.com\/bad\/case@v1\.0\.0.*(README|readme)/],
  ])("fails on %s and leaves the previous set intact", async (_what, requires, code, message) => {
    const dir = await setWithLeaf("broken", requires);
    const before = await generatedFiles(dir);
    const res = await runCli(["--set", dir, "--retries", "0"], env());
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`error ${code}:`);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).toMatch(/hint: \S/);
    expect(await generatedFiles(dir)).toEqual(before);
  });

  it("fails with a security error when a zip differs from the leaf's go.sum", async () => {
    const sum = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const dir = await setWithLeaf("tampered", ["example.com/ok/slow@v1.0.0"], `example.com/ok/slow v1.0.0 ${sum}\n`);
    const before = await generatedFiles(dir);
    const res = await runCli(["--set", dir], env());
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_CHECKSUM_MISMATCH: SECURITY ERROR: example\.com\/ok\/slow@v1\.0\.0 zip has h1:\S+, but leaf "tampered"'s go\.sum records h1:AAAA/);
    expect(await generatedFiles(dir)).toEqual(before);
  });

  it("drops content that failed verification from its cache: a rerun through an honest proxy succeeds", async () => {
    // The honest sum of example.com/ok/slow, as the set records it.
    const honest = await setWithLeaf("honest", ["example.com/ok/slow@v1.0.0"]);
    expect((await runCli(["--set", honest], env())).code).toBe(0);
    const sum = /example\.com\/ok\/slow:\n {4}version: v1\.0\.0\n {4}hash: \S+\n {4}sum: (\S+)/.exec(await readFile(join(honest, "set.lock.yaml"), "utf8"))?.[1];
    expect(sum).toMatch(/^h1:/);
    // A proxy serving other bytes for it.
    const evilRoot = await makeTempDir("goset-evilproxy-");
    temps.push(evilRoot);
    const gomod = "module example.com/ok/slow\n\ngo 1.21\n";
    await publish({ path: "example.com/ok/slow", version: "v1.0.0", goMod: gomod, files: { "go.mod": gomod, "s.go": "package slow // tampered\n" } }, evilRoot);
    const evil = await startFixtureProxy(evilRoot);
    try {
      const dir = await setWithLeaf("victim", ["example.com/ok/slow@v1.0.0"], `example.com/ok/slow v1.0.0 ${sum}\n`);
      const cache = await makeTempDir("goset-cache-");
      temps.push(cache);
      const first = await runCli(["--set", dir], updateEnv(`${evil.url},${fx.proxyUrl}`, cache));
      expect(first.code).toBe(2);
      expect(first.stderr).toContain("error GOSET_CHECKSUM_MISMATCH");
      expect(first.stderr).toMatch(/hint: .*removed from goset's content cache/);
      const second = await runCli(["--set", dir], updateEnv(`${bad.url},${fx.proxyUrl}`, cache));
      expect(second.code, second.stderr).toBe(0);
    } finally {
      await evil.close();
    }
  });

  it("fails with GOSET_PROXY_OFF under GOPROXY=off", async () => {
    const dir = await setWithLeaf("offline", ["example.com/ok/slow@v1.0.0"]);
    const res = await runCli(["--set", dir], updateEnv("off", await makeTempDir("goset-cache-")));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_PROXY_OFF: .*(example\.com\/ok\/slow|example\.com\/app\/hello)/);
  });

  it("fetches a GOPRIVATE module straight from version control, and says so when that fails", async () => {
    const dir = await setWithLeaf("private", ["example.com/ok/slow@v1.0.0"]);
    const res = await runCli(["--set", dir], env({ GOPRIVATE: "example.com/ok", XDG_CACHE_HOME: await makeTempDir("goset-cache-") }));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_VCS: .*example\.com\/ok\/slow.*so it is fetched directly from version control/s);
    expect(res.stderr).toMatch(/hint: \S/);
  });

  it("retries 500s and succeeds; gives up with GOSET_PROXY_HTTP when they persist", async () => {
    const dir = await setWithLeaf("flaky", ["example.com/ok/slow@v1.0.0"]);
    bad.setFault((p) => (p.includes("/ok/slow/@v/v1.0.0.zip") ? { status: 500, times: 2 } : "ok"));
    const ok = await runCli(["--set", dir, "--retries", "3"], env({ XDG_CACHE_HOME: await makeTempDir("goset-cache-") }));
    expect(ok.code).toBe(0);
    const again = await setWithLeaf("flaky", ["example.com/ok/slow@v1.0.0"]);
    bad.setFault((p) => (p.includes("/ok/slow/@v/v1.0.0.zip") ? { status: 500 } : "ok"));
    const res = await runCli(["--set", again, "--retries", "1"], env({ XDG_CACHE_HOME: await makeTempDir("goset-cache-") }));
    bad.setFault(undefined);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_PROXY_HTTP: .*example\.com\/ok\/slow@v1\.0\.0.*500/s);
  });

  it("gives up on a proxy that does not answer with GOSET_PROXY_TIMEOUT", async () => {
    const dir = await setWithLeaf("hung", ["example.com/ok/slow@v1.0.0"]);
    const before = await generatedFiles(dir);
    bad.setFault((p) => (p.includes("/ok/slow/@v/v1.0.0.mod") ? "hang" : "ok"));
    const res = await runCli(["--set", dir, "--timeout", "1", "--retries", "0"], env({ XDG_CACHE_HOME: await makeTempDir("goset-cache-") }));
    bad.setFault(undefined);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_PROXY_TIMEOUT: .*example\.com\/ok\/slow@v1\.0\.0/s);
    expect(await generatedFiles(dir)).toEqual(before);
  });

  it.each(["truncate", "corrupt"] as const)("fails cleanly on a %s zip", async (fault) => {
    const dir = await setWithLeaf("damaged", ["example.com/ok/slow@v1.0.0"]);
    const before = await generatedFiles(dir);
    bad.setFault((p) => (p.endsWith("/ok/slow/@v/v1.0.0.zip") ? fault : "ok"));
    const res = await runCli(["--set", dir, "--retries", "0"], env({ XDG_CACHE_HOME: await makeTempDir("goset-cache-") }));
    bad.setFault(undefined);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error GOSET_(ZIP_INVALID|PROXY_HTTP): .*example\.com\/ok\/slow@v1\.0\.0/s);
    // It names the module, not the temporary file the zip was in (deleted by then).
    expect(res.stderr).not.toMatch(/\.zip\b.*\n/);
    expect(await generatedFiles(dir)).toEqual(before);
  });

  it("leaves the previous set intact when killed with SIGKILL mid-run", async () => {
    const dir = await setWithLeaf("killed", ["example.com/ok/slow@v1.0.0"]);
    const before = await generatedFiles(dir);
    bad.setFault((p) => (p.endsWith("/ok/slow/@v/v1.0.0.zip") ? "hang" : "ok"));
    const child = spawn(process.execPath, [join(REPO, "bin", "update-set.js"), "--set", dir], { env: env({ XDG_CACHE_HOME: await makeTempDir("goset-cache-") }) });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (bad.requests.some((r) => r.endsWith("/ok/slow/@v/v1.0.0.zip"))) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    bad.setFault(undefined);
    expect(await generatedFiles(dir)).toEqual(before);
    // the next run finishes the job
    const res = await runCli(["--set", dir], env());
    expect(res.code).toBe(0);
  });

  it("warns of a path leaf without go.sum and of a pin below the set's version", async () => {
    const dir = await setWithLeaf("nosum", ["example.com/ok/slow@v1.0.0"]);
    await writeFile(join(dir, "leaves.yaml"), (await readFile(join(dir, "leaves.yaml"), "utf8")) + "pins:\n  example.com/shared/strutil: v1.0.0\n");
    const res = await runCli(["--set", dir], env());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain("leaf nosum has no go.sum: its modules are verified by the checksum database alone");
    expect(res.stderr).toContain("pin example.com/shared/strutil v1.0.0 is below the set's version v1.2.0");
  });

  it("rolls a write that fails midway back before it exits, with GOSET_WRITE naming the path", async () => {
    const dir = await setWithLeaf("immutable", ["example.com/ok/slow@v1.0.0"]);
    expect((await runCli(["--set", dir], env())).code).toBe(0);
    const before = await generatedFiles(dir);
    // A change to every generated file, then the lock, renamed last, made immutable (root cannot replace it either).
    await writeFile(join(dir, "leaves.yaml"), (await readFile(join(dir, "leaves.yaml"), "utf8")) + "pins:\n  example.com/cycle/a: v1.1.0\n");
    const lock = join(dir, "set.lock.yaml");
    const chattr = (flag: string) => new Promise<number>((resolve) => spawn("chattr", [flag, lock]).on("exit", (code) => resolve(code ?? 1)));
    expect(await chattr("+i")).toBe(0);
    try {
      const res = await runCli(["--set", dir, "--json"], env());
      expect(res.code).toBe(2);
      expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, error: { code: "GOSET_WRITE", message: expect.stringContaining(lock), hint: expect.stringContaining("chattr") } });
      expect(res.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await chattr("-i");
    }
    expect(await generatedFiles(dir)).toEqual(before);
    expect((await listFiles(dir)).filter((f) => f.startsWith(".update-set"))).toEqual([]);
  });

  it("refuses a second run on the same directory while one holds it", async () => {
    const release = await acquireSetLock(goodSet);
    try {
      const res = await runCli(["--set", goodSet], env());
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/error GOSET_LOCKED: another update-set \(pid \d+\)/);
    } finally {
      await release();
    }
  });

  it("lets two concurrent runs end with one consistent set", async () => {
    const dir = await setWithLeaf("twice", ["example.com/ok/slow@v1.0.0"]);
    const [a, b] = await Promise.all([runCli(["--set", dir], env()), runCli(["--set", dir], env())]);
    const codes = [a.code, b.code].sort();
    expect(codes[0]).toBe(0);
    for (const r of [a, b]) if (r.code !== 0) expect(r.stderr).toContain("GOSET_LOCKED");
    const check = await runCli(["--set", dir, "--check"], env());
    expect(check.code).toBe(0);
  });
});

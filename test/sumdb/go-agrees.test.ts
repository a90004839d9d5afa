/**
 * The real `go` against the test database: what it accepts the verifier
 * accepts, and what it calls a SECURITY ERROR the verifier refuses too.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSumdbVerifier, type SumdbResult } from "../../generator/sumdb/index.js";
import { escapePath } from "../../generator/gomod/escape.js";
import { zipFiles } from "../fixture/build.js";
import { goEnv, runGo } from "../gomod/gotool.js";
import { dbSettings, fakeH1, fillerEntries, makeKey, recordText, startTestDb, TestLog, type LogEntry, type TestDb } from "./testdb.js";

const MODULE = { path: "example.com/Sumdb/Demo", version: "v1.0.0" };
const KEY = makeKey("sum.test.example");

/** A file:// proxy with MODULE; returns its URL. */
async function writeProxy(dir: string): Promise<string> {
  const goMod = `module ${MODULE.path}\n\ngo 1.21\n`;
  const files = new Map([
    ["go.mod", Buffer.from(goMod)],
    ["demo.go", Buffer.from("package demo\n\nconst Answer = 42\n")],
  ]);
  const v = join(dir, "proxy", escapePath(MODULE.path), "@v");
  await mkdir(v, { recursive: true });
  await writeFile(join(v, "list"), `${MODULE.version}\n`);
  await writeFile(join(v, `${MODULE.version}.info`), JSON.stringify({ Version: MODULE.version, Time: "2024-01-01T00:00:00Z" }));
  await writeFile(join(v, `${MODULE.version}.mod`), goMod);
  await writeFile(join(v, `${MODULE.version}.zip`), await zipFiles(`${MODULE.path}@${MODULE.version}/`, files));
  return pathToFileURL(join(dir, "proxy")).href;
}

interface Outcome {
  readonly go: { ok: boolean; stderr: string };
  readonly goset: SumdbResult | { code: string; message: string };
}

describe("go and the verifier agree on a test database", () => {
  let dir: string;
  let proxyUrl: string;
  let real: LogEntry;
  let run = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "goset-sumdb-go-"));
    proxyUrl = await writeProxy(dir);
    const env = goEnv({ GOPROXY: proxyUrl, GOMODCACHE: join(dir, "hashcache"), GOPATH: join(dir, "hashpath") });
    const go = await runGo(["mod", "download", "-json", `${MODULE.path}@${MODULE.version}`], dir, env);
    expect(go.code).toBe(0);
    const d = JSON.parse(go.stdout) as { Sum: string; GoModSum: string };
    real = { ...MODULE, sum: d.Sum, goModSum: d.GoModSum };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs go (fresh module cache, the given GOPATH for its latest tree) and the verifier (the given cache). */
  async function both(db: TestDb, state: string): Promise<Outcome> {
    run++;
    const env = goEnv({
      GOPROXY: proxyUrl,
      GOSUMDB: `${KEY.vkey} ${db.url}`,
      GOFLAGS: "-modcacherw -mod=mod",
      GOMODCACHE: join(dir, `modcache-${run}`),
      GOPATH: join(dir, state, "gopath"),
    });
    const go = await runGo(["mod", "download", "-json", `${MODULE.path}@${MODULE.version}`], dir, env);
    const verifier = createSumdbVerifier(dbSettings(db), { cacheDir: join(dir, state, "goset"), retries: 0 });
    try {
      const goset = await verifier
        .verify(MODULE, { sum: real.sum, goModSum: real.goModSum })
        .catch((e: { code: string; message: string }) => ({ code: e.code, message: e.message }));
      return { go: { ok: go.code === 0, stderr: go.stderr + go.stdout }, goset };
    } finally {
      await verifier.close();
    }
  }

  /** 300 records, MODULE's at 270 (in the partial tile 001.p/44). */
  const logWith = (e: LogEntry): TestLog => new TestLog([...fillerEntries(270), e, ...fillerEntries(29, "example.com/after")]);

  it("both accept the honest record", async () => {
    const db = await startTestDb(KEY, logWith(real));
    try {
      const out = await both(db, "honest");
      expect(out.go).toMatchObject({ ok: true });
      expect(out.goset).toBe("sumdb");
      // Both recorded the same signed tree.
      const recorded = await Promise.all([
        readFile(join(dir, "honest", "gopath", "pkg", "sumdb", KEY.name, "latest")),
        readFile(join(dir, "honest", "goset", KEY.name, "latest")),
      ]);
      expect(recorded).toEqual([await db.signedTree(), await db.signedTree()]);
    } finally {
      await db.close();
    }
  });

  it("both refuse a signed record with another zip hash (SECURITY ERROR)", async () => {
    const db = await startTestDb(KEY, logWith({ ...real, sum: fakeH1("not the zip") }));
    try {
      const out = await both(db, "wrong-hash");
      expect(out.go.ok).toBe(false);
      expect(out.go.stderr).toMatch(/checksum mismatch[\s\S]*SECURITY ERROR/);
      expect(out.goset).toMatchObject({ code: "GOSET_SUMDB", message: expect.stringMatching(/SECURITY ERROR: module zip checksum mismatch/) });
    } finally {
      await db.close();
    }
  });

  it("both refuse a record with the right hashes that the signed tree does not include", async () => {
    const db = await startTestDb(KEY, logWith({ ...real, sum: fakeH1("logged zip") }));
    try {
      db.tamper.records.set(270, recordText(real));
      const out = await both(db, "not-included");
      expect(out.go.ok).toBe(false);
      expect(out.go.stderr).toMatch(/cannot authenticate record data in server response/);
      expect(out.goset).toMatchObject({ code: "GOSET_SUMDB", message: expect.stringMatching(/SECURITY ERROR: record 270 is not included/) });
    } finally {
      await db.close();
    }
  });

  it("both refuse a tampered tile", async () => {
    const db = await startTestDb(KEY, logWith(real));
    try {
      const path = "tile/8/0/001.p/44";
      const data = Buffer.from(await (await fetch(`${db.url}/${path}`)).arrayBuffer());
      data[0] = (data[0] as number) ^ 1;
      db.tamper.tiles.set(path, data);
      const out = await both(db, "tampered-tile");
      expect(out.go.ok).toBe(false);
      expect(out.go.stderr).toMatch(/downloaded inconsistent tile/);
      expect(out.goset).toMatchObject({ code: "GOSET_SUMDB", message: expect.stringMatching(/downloaded inconsistent tile/) });
    } finally {
      await db.close();
    }
  });

  it("both refuse a tree that forks from the one they saw before", async () => {
    const honest = await startTestDb(KEY, logWith(real));
    const rewritten = fillerEntries(270).map((e, i) => (i === 7 ? { ...e, goModSum: fakeH1("rewritten") } : e));
    const fork = await startTestDb(KEY, new TestLog([...rewritten, real, ...fillerEntries(39, "example.com/after")]));
    try {
      expect((await both(honest, "fork")).goset).toBe("sumdb");
      const out = await both(fork, "fork");
      expect(out.go.ok).toBe(false);
      // go re-reads its recorded tree #300 from the fork's tiles first; the verifier proves #300 is not a prefix of #310.
      expect(out.go.stderr).toMatch(/checking tree#300: downloaded inconsistent tile/);
      expect(out.goset).toMatchObject({ code: "GOSET_SUMDB", message: expect.stringMatching(/SECURITY ERROR: the database's log forked/) });
    } finally {
      await Promise.all([honest.close(), fork.close()]);
    }
  });
});

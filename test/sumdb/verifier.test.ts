import { generateKeyPairSync } from "node:crypto";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GoSettings } from "../../generator/env/goenv.js";
import { createNoteSigner, createSumdbVerifier, formatTree, parseTree, openNote, parseVerifierKey, signNote } from "../../generator/sumdb/index.js";
import type { SumdbVerifier } from "../../generator/sumdb/index.js";
import { createHttpSetup } from "../../generator/proxy/agent.js";
import { createModuleProxy } from "../../generator/proxy/client.js";
import { settingsFor } from "../proxy/servers.js";
import { dbSettings, fakeH1, fillerEntries, makeKey, startTestDb, TestLog, withTempDir, type LogEntry, type TestDb } from "./testdb.js";

const KEY = makeKey("sum.test.example");
const FAST = { timeoutMs: 5_000, retries: 0, backoffMs: 10 };

const entry = (path: string, version = "v1.0.0"): LogEntry => ({
  path,
  version,
  sum: fakeH1(`${path}@${version} zip`),
  goModSum: fakeH1(`${path}@${version} mod`),
});

const EARLY = entry("example.com/early");
const LATE = entry("example.com/Upper/Late", "v1.2.0-RC1");
/** 300 records: EARLY is record 5 (a full tile), LATE record 280 (the partial tile 001.p/44). */
function baseEntries(): LogEntry[] {
  const fill = fillerEntries(298);
  return [...fill.slice(0, 5), EARLY, ...fill.slice(5, 279), LATE, ...fill.slice(279)];
}

async function expectSumdbError(p: Promise<unknown>, message: RegExp): Promise<void> {
  await expect(p).rejects.toMatchObject({ code: "GOSET_SUMDB", message: expect.stringMatching(message) });
}

async function withVerifier<T>(settings: GoSettings, cacheDir: string, body: (v: SumdbVerifier) => Promise<T>): Promise<T> {
  const v = createSumdbVerifier(settings, { cacheDir, ...FAST });
  try {
    return await body(v);
  } finally {
    await v.close();
  }
}

describe("a checksum database on 127.0.0.1", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await startTestDb(KEY, new TestLog(baseEntries()));
  });
  afterAll(async () => {
    await db.close();
  });
  const reset = (): void => {
    db.tamper.tiles.clear();
    db.tamper.records.clear();
    db.tamper.missing.clear();
    delete db.tamper.signer;
    delete db.tamper.treeSize;
  };

  it.each([
    ["record 5, in a full tile", EARLY],
    ["record 280, in a partial tile, with an uppercase path and version", LATE],
  ])("verifies %s", async (_name, e) => {
    reset();
    await withTempDir("goset-sumdb-", async (dir) => {
      const result = await withVerifier(dbSettings(db), dir, (v) => v.verify(e, { sum: e.sum, goModSum: e.goModSum }));
      expect(result).toBe("sumdb");
      const latest = await readFile(join(dir, "sum.test.example", "latest"));
      expect(latest).toEqual(await db.signedTree());
    });
  });

  it("shares a run's HTTP set-up with the module proxy client: closing either client leaves it open, its creator closes it", async () => {
    reset();
    await withTempDir("goset-sumdb-", async (dir) => {
      const settings = dbSettings(db);
      const http = createHttpSetup(settings.netrcPath, FAST);
      const proxy = createModuleProxy(settings, { http });
      const first = createSumdbVerifier(settings, { cacheDir: dir, http });
      expect(await first.verify(EARLY, { sum: EARLY.sum, goModSum: EARLY.goModSum })).toBe("sumdb");
      await Promise.all([first.close(), proxy.close()]);
      expect(http.agent.closed).toBe(false);
      const second = createSumdbVerifier(settings, { cacheDir: dir, http });
      expect(await second.verify(LATE, { sum: LATE.sum, goModSum: LATE.goModSum })).toBe("sumdb");
      await second.close();
      await http.close();
      expect(http.agent.closed).toBe(true);
      // a client given no set-up makes its own and closes it
      const own = createModuleProxy(settings, FAST);
      await own.close();
    });
  });

  it("checks only the go.mod line when there is no zip hash", async () => {
    reset();
    await withTempDir("goset-sumdb-", async (dir) => {
      await withVerifier(dbSettings(db), dir, async (v) => {
        expect(await v.verify(EARLY, { goModSum: EARLY.goModSum })).toBe("sumdb");
        await expectSumdbError(v.verify(EARLY, { goModSum: fakeH1("other") }), /example\.com\/early@v1\.0\.0: SECURITY ERROR: go\.mod checksum mismatch/);
      });
    });
  });

  it("rejects a zip hash that differs from the database's record", async () => {
    reset();
    await withTempDir("goset-sumdb-", async (dir) => {
      const p = withVerifier(dbSettings(db), dir, (v) => v.verify(LATE, { sum: fakeH1("tampered zip"), goModSum: LATE.goModSum }));
      await expect(p).rejects.toMatchObject({
        code: "GOSET_SUMDB",
        message: expect.stringContaining(`example.com/Upper/Late@v1.2.0-RC1: SECURITY ERROR: module zip checksum mismatch: computed ${fakeH1("tampered zip")}, checksum database sum.test.example has ${LATE.sum}`),
        hint: expect.stringContaining("go help module-auth"),
      });
    });
  });

  it.each([
    ["signed with another private key under the database's key hash", () => ({ ...KEY.signer, privateKey: generateKeyPairSync("ed25519").privateKey }), /SECURITY ERROR: .*invalid signature for key sum\.test\.example\+/],
    ["signed by another key of the same name", () => makeKey("sum.test.example").signer, /SECURITY ERROR: .*no signature by sum\.test\.example\+/],
  ])("rejects a tree note %s", async (_name, signer, message) => {
    reset();
    db.tamper.signer = signer();
    await withTempDir("goset-sumdb-", async (dir) => {
      await expectSumdbError(withVerifier(dbSettings(db), dir, (v) => v.verify(EARLY, EARLY)), message);
    });
  });

  it.each([
    ["the record's full level-0 tile", EARLY, "tile/8/0/000"],
    ["the record's partial level-0 tile", LATE, "tile/8/0/001.p/44"],
    ["the level-1 tile", EARLY, "tile/8/1/000.p/1"],
  ])("rejects a tampered %s", async (_name, e, path) => {
    reset();
    const data = Buffer.from(await fetch(`${db.url}/${path}`).then<ArrayBuffer>((r) => r.arrayBuffer()));
    expect(data.length % 32).toBe(0);
    data[data.length - 1] = (data[data.length - 1] as number) ^ 0xff;
    db.tamper.tiles.set(path, data);
    await withTempDir("goset-sumdb-", async (dir) => {
      await expectSumdbError(withVerifier(dbSettings(db), dir, (v) => v.verify(e, e)), /SECURITY ERROR: downloaded inconsistent tile/);
    });
  });

  it("rejects a record whose text is not the one in the tree", async () => {
    reset();
    const id = db.log.idOf(EARLY.path, EARLY.version) as number;
    const forged = { ...EARLY, sum: fakeH1("forged") };
    db.tamper.records.set(id, `${forged.path} ${forged.version} ${forged.sum}\n${forged.path} ${forged.version}/go.mod ${forged.goModSum}\n`);
    await withTempDir("goset-sumdb-", async (dir) => {
      // The forged record matches the forged hash, so only the inclusion proof can catch it.
      await expectSumdbError(withVerifier(dbSettings(db), dir, (v) => v.verify(forged, forged)), /SECURITY ERROR: record 5 is not included in signed tree #300/);
    });
  });

  it("falls back to the full tile when a partial tile is gone", async () => {
    reset();
    const grown = await startTestDb(KEY, new TestLog([...baseEntries(), ...fillerEntries(300, "example.com/more")]));
    try {
      grown.tamper.treeSize = 300;
      await withTempDir("goset-sumdb-", async (dir) => {
        // The database has 600 records now; tile 8/0/001 is complete and its partial form is gone.
        grown.tamper.missing.add("tile/8/0/001.p/44");
        expect(await withVerifier(dbSettings(grown), dir, (v) => v.verify(LATE, LATE))).toBe("sumdb");
      });
    } finally {
      await grown.close();
    }
  });

  it("shares tile and lookup fetches between concurrent verifications", async () => {
    reset();
    db.requests.length = 0;
    const entries = [EARLY, LATE, ...baseEntries().filter((_, i) => i % 15 === 0)];
    await withTempDir("goset-sumdb-", async (dir) => {
      const results = await withVerifier(dbSettings(db), dir, (v) =>
        Promise.all([...entries, ...entries].map((e) => v.verify(e, { sum: e.sum, goModSum: e.goModSum }))),
      );
      expect(results.every((r) => r === "sumdb")).toBe(true);
    });
    const counts = new Map<string, number>();
    for (const r of db.requests) counts.set(r, (counts.get(r) ?? 0) + 1);
    expect([...counts.entries()].filter(([, c]) => c > 1)).toEqual([]);
    expect([...counts.keys()].filter((r) => r.startsWith("lookup/"))).toHaveLength(new Set(entries).size);
  });

  it.each<[string, Partial<GoSettings>]>([
    ["GOSUMDB=off", { gosumdb: "off" }],
    ["a GONOSUMDB prefix", { gonosumdb: "example.com/early" }],
    ["a GONOSUMDB glob (from GOPRIVATE)", { gonosumdb: "*.com,example.org", goprivate: "*.com,example.org" }],
  ])("skips for %s without asking the database", async (_name, extra) => {
    reset();
    db.requests.length = 0;
    await withTempDir("goset-sumdb-", async (dir) => {
      const result = await withVerifier(dbSettings(db, extra), dir, (v) => v.verify(EARLY, { goModSum: fakeH1("anything") }));
      expect(result).toBe("skipped");
    });
    expect(db.requests).toEqual([]);
  });

  it("reports a module the database does not know", async () => {
    reset();
    await withTempDir("goset-sumdb-", async (dir) => {
      const p = withVerifier(dbSettings(db), dir, (v) => v.verify(entry("example.com/unknown"), entry("example.com/unknown")));
      await expect(p).rejects.toMatchObject({
        code: "GOSET_PROXY_NOT_FOUND",
        message: expect.stringContaining(`example.com/unknown@v1.0.0: checksum database sum.test.example: ${db.url}/lookup/example.com/unknown@v1.0.0: 404 Not Found`),
        hint: expect.stringContaining("GONOSUMDB"),
      });
    });
  });
});

describe("reaching the database", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await startTestDb(KEY, new TestLog(baseEntries()));
  });
  afterAll(async () => {
    await db.close();
  });

  it("uses a GOPROXY entry that mirrors it under /sumdb/<name>/", async () => {
    db.requests.length = 0;
    const settings = settingsFor(`${db.proxyUrl}/nothing-here,${db.proxyUrl},direct`, { gosumdb: KEY.vkey });
    await withTempDir("goset-sumdb-", async (dir) => {
      expect(await withVerifier(settings, dir, (v) => v.verify(EARLY, EARLY))).toBe("sumdb");
    });
    expect(db.server.requests.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        "/nothing-here/sumdb/sum.test.example/supported",
        "/sumdb/sum.test.example/supported",
        "/sumdb/sum.test.example/lookup/example.com/early@v1.0.0",
      ]),
    );
  });

  it("goes to https://<name> when no proxy mirrors it", async () => {
    const port = await closedPort();
    const key = makeKey(`127.0.0.1:${port}`);
    const settings = settingsFor(`${db.proxyUrl}/nothing-here,off`, { gosumdb: key.vkey });
    await withTempDir("goset-sumdb-", async (dir) => {
      const p = withVerifier(settings, dir, (v) => v.verify(EARLY, EARLY));
      await expect(p).rejects.toMatchObject({
        code: "GOSET_PROXY_HTTP",
        message: expect.stringContaining(`https://127.0.0.1:${port}/lookup/example.com/early@v1.0.0`),
      });
    });
  });

  it("stops at a proxy that fails for another reason than 404 after ','", async () => {
    const settings = settingsFor(`http://127.0.0.1:${await closedPort()},${db.proxyUrl}`, { gosumdb: KEY.vkey });
    await withTempDir("goset-sumdb-", async (dir) => {
      await expect(withVerifier(settings, dir, (v) => v.verify(EARLY, EARLY))).rejects.toMatchObject({
        code: "GOSET_PROXY_HTTP",
        message: expect.stringContaining("/sumdb/sum.test.example/supported"),
      });
      // After '|' the next entry is tried.
      const piped = settingsFor(`http://127.0.0.1:${await closedPort()}|${db.proxyUrl}`, { gosumdb: KEY.vkey });
      expect(await withVerifier(piped, dir, (v) => v.verify(EARLY, EARLY))).toBe("sumdb");
    });
  });
});

describe("the latest known tree", () => {
  const base = baseEntries();
  const TARGET = entry("example.com/target");
  const honest = [...base, TARGET, ...fillerEntries(9, "example.com/next")];
  const forked = honest.map((e, i) => (i === 150 ? { ...e, sum: fakeH1("rewritten history") } : e));

  it("moves forward along one log and refuses a fork", async () => {
    await withTempDir("goset-sumdb-", async (dir) => {
      const latestFile = join(dir, "sum.test.example", "latest");
      const first = await startTestDb(KEY, new TestLog(base));
      const grown = await startTestDb(KEY, new TestLog(honest));
      const fork = await startTestDb(KEY, new TestLog(forked));
      try {
        expect(await withVerifier(dbSettings(first), dir, (v) => v.verify(EARLY, EARLY))).toBe("sumdb");
        expect(parseTree(openNote(await readFile(latestFile), parseVerifierKey(KEY.vkey)).text).n).toBe(300);

        await expectSumdbError(
          withVerifier(dbSettings(fork), dir, (v) => v.verify(TARGET, TARGET)),
          /SECURITY ERROR: the database's log forked: signed tree #300 \(.*\) is not a prefix of signed tree #310/,
        );
        expect(parseTree(openNote(await readFile(latestFile), parseVerifierKey(KEY.vkey)).text).n).toBe(300);

        expect(await withVerifier(dbSettings(grown), dir, (v) => v.verify(TARGET, TARGET))).toBe("sumdb");
        expect(await readFile(latestFile)).toEqual(await grown.signedTree());

        // An older tree from the same log (a mirror's cached lookup) is fine and leaves the file alone.
        grown.tamper.treeSize = 300;
        expect(await withVerifier(dbSettings(grown), dir, (v) => v.verify(EARLY, EARLY))).toBe("sumdb");
        delete grown.tamper.treeSize;
        expect(parseTree(openNote(await readFile(latestFile), parseVerifierKey(KEY.vkey)).text).n).toBe(310);

        // Once the grown tree is known, the fork's older-looking tree is refused too: its tiles cannot reproduce tree #310.
        fork.tamper.treeSize = 305;
        await expectSumdbError(withVerifier(dbSettings(fork), dir, (v) => v.verify(EARLY, EARLY)), /SECURITY ERROR: downloaded inconsistent tile: tiles do not hash to tree 310/);
      } finally {
        await Promise.all([first.close(), grown.close(), fork.close()]);
      }
    });
  });

  it("follows a log that grows during one run", async () => {
    const log = new TestLog(base);
    const db = await startTestDb(KEY, log);
    try {
      await withTempDir("goset-sumdb-", async (dir) => {
        await withVerifier(dbSettings(db), dir, async (v) => {
          expect(await v.verify(EARLY, EARLY)).toBe("sumdb");
          log.append(TARGET);
          expect(await v.verify(TARGET, TARGET)).toBe("sumdb");
        });
        const latest = await readFile(join(dir, "sum.test.example", "latest"));
        expect(parseTree(openNote(latest, parseVerifierKey(KEY.vkey)).text).n).toBe(301);
      });
    } finally {
      await db.close();
    }
  });

  it("refuses a recorded tree that the database key did not sign", async () => {
    const db = await startTestDb(KEY, new TestLog(base));
    try {
      await withTempDir("goset-sumdb-", async (dir) => {
        const other = createNoteSigner("sum.test.example", generateKeyPairSync("ed25519").privateKey);
        await mkdir(join(dir, "sum.test.example"), { recursive: true });
        await writeFile(join(dir, "sum.test.example", "latest"), signNote(formatTree(await db.log.tree()), other));
        await expect(withVerifier(dbSettings(db), dir, (v) => v.verify(EARLY, EARLY))).rejects.toMatchObject({
          code: "GOSET_SUMDB",
          message: expect.stringContaining(`the latest tree recorded in ${join(dir, "sum.test.example", "latest")}`),
          hint: expect.stringContaining("delete"),
        });
      });
    } finally {
      await db.close();
    }
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

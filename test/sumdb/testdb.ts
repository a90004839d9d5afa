/**
 * A checksum database for tests: a log built with generator/sumdb/tlog.ts,
 * tree notes signed with an Ed25519 key made here, served on 127.0.0.1 by
 * node:http at `/` and (as a proxy mirror) at `/sumdb/<name>/`, with knobs
 * to make it lie.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unescapeCase } from "../../generator/gomod/escape.js";
import {
  appendRecord,
  createNoteSigner,
  formatRecord,
  formatTree,
  formatVerifierKey,
  parseTilePath,
  readTileData,
  recordHash,
  signNote,
  treeHash,
  type Hash,
  type NoteSigner,
  type Tree,
} from "../../generator/sumdb/index.js";
import type { GoSettings } from "../../generator/env/goenv.js";
import { settingsFor, startServer, type TestServer } from "../proxy/servers.js";

export interface LogEntry {
  readonly path: string;
  readonly version: string;
  readonly sum: string;
  readonly goModSum: string;
}

export function recordText(e: LogEntry): string {
  return `${e.path} ${e.version} ${e.sum}\n${e.path} ${e.version}/go.mod ${e.goModSum}\n`;
}

/** A made-up h1: hash, stable for a seed. */
export function fakeH1(seed: string): string {
  return "h1:" + createHash("sha256").update(seed).digest("base64");
}

export function fillerEntries(count: number, prefix = "example.com/filler"): LogEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `${prefix}/m${i}`,
    version: "v1.0.0",
    sum: fakeH1(`${prefix} zip ${i}`),
    goModSum: fakeH1(`${prefix} mod ${i}`),
  }));
}

/** An append-only log: record texts and every stored hash. */
export class TestLog {
  readonly texts: string[] = [];
  readonly stored: Hash[] = [];
  private readonly ids = new Map<string, number>();

  constructor(entries: readonly LogEntry[] = []) {
    for (const e of entries) this.append(e);
  }

  append(e: LogEntry): number {
    const id = this.texts.length;
    const text = recordText(e);
    this.texts.push(text);
    this.ids.set(`${e.path}@${e.version}`, id);
    this.stored.push(...appendRecord(id, recordHash(Buffer.from(text)), (i) => this.hash(i)));
    return id;
  }

  idOf(path: string, version: string): number | undefined {
    return this.ids.get(`${path}@${version}`);
  }

  hash(index: number): Hash {
    const h = this.stored[index];
    if (h === undefined) throw new Error(`no stored hash ${index}`);
    return h;
  }

  async tree(n = this.texts.length): Promise<Tree> {
    return { n, hash: await treeHash(n, async (indexes) => indexes.map((i) => this.hash(i))) };
  }
}

export interface TestKey {
  readonly name: string;
  readonly vkey: string;
  readonly signer: NoteSigner;
}

export function makeKey(name: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { name, vkey: formatVerifierKey(name, publicKey), signer: createNoteSigner(name, privateKey) };
}

/** Ways to make the database lie; change them between requests. */
export interface Tampering {
  /** Signs tree notes with this signer instead of the database's. */
  signer?: NoteSigner;
  /** Serves these bytes for a tile path (e.g. `tile/8/0/000`). */
  tiles: Map<string, Buffer>;
  /** Answers 404 for these paths. */
  missing: Set<string>;
  /** Serves this text for record id instead of the logged one. */
  records: Map<number, string>;
  /** Serves the tree of this many records instead of the whole log. */
  treeSize?: number;
}

export interface TestDb {
  readonly key: TestKey;
  log: TestLog;
  readonly tamper: Tampering;
  readonly server: TestServer;
  /** The database served at the server root. */
  readonly url: string;
  /** A GOPROXY base that mirrors the database under /sumdb/<name>/. */
  readonly proxyUrl: string;
  /** Paths requested, relative to the database root. */
  readonly requests: string[];
  signedTree(): Promise<Buffer>;
  close(): Promise<void>;
}

export async function startTestDb(key: TestKey, log: TestLog): Promise<TestDb> {
  const tamper: Tampering = { tiles: new Map(), records: new Map(), missing: new Set() };
  const requests: string[] = [];
  const db = { key, log, tamper };

  const currentTree = (): Promise<Tree> => db.log.tree(tamper.treeSize ?? db.log.texts.length);
  const signedTree = async (): Promise<Buffer> => signNote(formatTree(await currentTree()), tamper.signer ?? key.signer);

  async function answer(rel: string): Promise<Buffer | undefined> {
    if (tamper.missing.has(rel)) return undefined;
    if (rel === "latest") return signedTree();
    if (rel.startsWith("lookup/")) {
      const at = rel.lastIndexOf("@");
      const path = unescapeCase(rel.slice("lookup/".length, at));
      const version = unescapeCase(rel.slice(at + 1));
      const id = path === undefined || version === undefined ? undefined : db.log.idOf(path, version);
      if (id === undefined || id >= (await currentTree()).n) return undefined;
      const text = (tamper.records.get(id) ?? db.log.texts[id]) as string;
      return Buffer.concat([Buffer.from(formatRecord(id, text)), await signedTree()]);
    }
    const override = tamper.tiles.get(rel);
    if (override !== undefined) return override;
    const tile = parseTilePath(rel);
    if (tile === undefined) return undefined;
    // Tiles come from the whole log, whatever tree the notes name.
    const levelSize = Math.floor(db.log.texts.length / 2 ** (tile.l * tile.h));
    if (tile.n * 2 ** tile.h + tile.w > levelSize) return undefined;
    return readTileData(tile, (i) => db.log.hash(i));
  }

  const mirrorPrefix = `/sumdb/${key.name}/`;
  const server = await startServer((req, res) => {
    const url = req.url ?? "";
    const rel = url.startsWith(mirrorPrefix) ? url.slice(mirrorPrefix.length) : url.slice(1);
    requests.push(rel);
    if (url === `${mirrorPrefix}supported`) {
      res.writeHead(200).end();
      return;
    }
    answer(rel).then(
      (body) => {
        if (body === undefined) res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${url}\n`);
        else res.writeHead(200, { "content-length": String(body.length) }).end(body);
      },
      (e: unknown) => res.writeHead(500).end(String(e)),
    );
  });

  return Object.assign(db, {
    server,
    url: server.url,
    proxyUrl: server.url,
    requests,
    signedTree,
    close: () => server.close(),
  });
}

/** Settings for a verifier that reaches `db` at its explicit URL. */
export function dbSettings(db: TestDb, extra: Partial<GoSettings> = {}): GoSettings {
  return settingsFor("off", { gosumdb: `${db.key.vkey} ${db.url}`, ...extra });
}

export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}


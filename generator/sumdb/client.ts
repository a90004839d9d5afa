/**
 * The checksum database client: finds where the database is reached (a
 * GOPROXY entry that mirrors it, else https://<name>, or GOSUMDB's explicit
 * URL), fetches `/lookup` records and hash tiles, authenticates every record
 * against the signed tree and every new tree against the latest one known,
 * and keeps that latest signed tree in `<cacheDir>/<name>/latest`.
 *
 * Within a run, lookups, tiles and the reachable base are fetched once and
 * shared by concurrent callers.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { GosetError, isGosetError } from "../errors.js";
import type { HttpSetup } from "../proxy/agent.js";
import type { GoSettings } from "../env/goenv.js";
import { escapePath, escapeVersion } from "../gomod/escape.js";
import { SourceFailure } from "../proxy/failure.js";
import type { ProxyFetcher } from "../proxy/fetcher.js";
import { createFileFetcher } from "../proxy/file-fetcher.js";
import { parseGoProxy } from "../proxy/goproxy.js";
import { createHttpFetcher } from "../proxy/http-fetcher.js";
import { readAll } from "../proxy/source.js";
import { moduleKey, type ModuleVersion } from "../types.js";
import type { SumdbConfig, SumdbUrl } from "./config.js";
import { NoteError, openNote } from "./note.js";
import { createTileHashReader, TILE_HEIGHT, tilePath, type Tile } from "./tile.js";
import {
  checkRecordProof,
  checkTreeProof,
  EMPTY_TREE_HASH,
  formatHash,
  HASH_SIZE,
  type HashReader,
  parseRecord,
  parseTree,
  proveRecord,
  proveTree,
  recordHash,
  TlogError,
  treeHash,
  type Tree,
} from "./tlog.js";

export interface SumdbClientOptions {
  /** Where `<name>/latest` (the latest signed tree seen) is kept. */
  readonly cacheDir: string;
  /** The run's HTTP set-up; the client leaves it open. */
  readonly http: HttpSetup;
}

export interface SumdbClient {
  readonly name: string;
  /** The authenticated record text's lines (go.sum lines) for the module version. */
  lookup(m: ModuleVersion): Promise<readonly string[]>;
}

type DbConfig = Extract<SumdbConfig, { kind: "db" }>;

/** Something the database answered does not hold up. */
class SumdbFailure extends Error {
  constructor(
    message: string,
    readonly security: boolean,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "SumdbFailure";
  }
}

interface SignedTree {
  readonly tree: Tree;
  /** The signed note, byte for byte; empty for the unsigned empty tree. */
  readonly note: Buffer;
}

type When = "past" | "now" | "future";

const MAX_LOOKUP_BYTES = 1 << 20;
const MAX_TILE_BYTES = (1 << TILE_HEIGHT) * HASH_SIZE;

const fetchBytes = (fetcher: ProxyFetcher, rel: string, limit: number): Promise<Buffer> =>
  fetcher.fetch(rel, (body, length) => readAll(body, length, limit));

const treeLabel = (t: Tree): string => `#${t.n} (${formatHash(t.hash)})`;

/**
 * The client reads top-down as its stages: reach the database (`connectDatabase`),
 * fetch tiles once (`createTileCache`), keep the latest signed tree consistent in
 * memory and in `latestFile` (`createLatestTree`), look up a record, prove its
 * inclusion (`proveInclusion`), and cache each lookup for the run.
 */
export function createSumdbClient(db: DbConfig, settings: GoSettings, options: SumdbClientOptions): SumdbClient {
  const keyLabel = db.verifier.key.split("+").slice(0, 2).join("+");
  const latestFile = join(options.cacheDir, ...db.name.split("/"), "latest");
  const database = connectDatabase(db, settings, options);
  const tiles = createTileCache(database.fetch);
  const latest = createLatestTree(db, keyLabel, latestFile, tiles);

  const lookups = new Map<string, Promise<readonly string[]>>();
  return {
    name: db.name,
    async lookup(m) {
      const key = moduleKey(m);
      let pending = lookups.get(key);
      if (pending === undefined) {
        pending = lookupRecord(m, database.fetch, latest, tiles);
        lookups.set(key, pending);
      }
      try {
        return await pending;
      } catch (e) {
        throw describeFailure(db, keyLabel, m, e);
      }
    },
  };
}

/** A path under the database's base URL, fetched whole up to `limit` bytes. */
type DatabaseFetch = (rel: string, limit: number) => Promise<Buffer>;

/** Where the database is reached, decided on the first fetch and kept for the run. */
function connectDatabase(db: DbConfig, settings: GoSettings, options: SumdbClientOptions): { fetch: DatabaseFetch } {
  const { agent, netrc, policy } = options.http;
  const fetcherFor = (u: SumdbUrl): ProxyFetcher =>
    u.url.startsWith("file:") ? createFileFetcher(u.url) : createHttpFetcher(u.url, u.auth, agent, policy, netrc);

  let base: Promise<ProxyFetcher> | undefined;
  const fetch = async (rel: string, limit: number): Promise<Buffer> => {
    const fetcher = await (base ??= resolveBase(db, settings, fetcherFor));
    try {
      return await fetchBytes(fetcher, rel, limit);
    } catch (e) {
      if (!(e instanceof SourceFailure)) throw e;
      throw new SourceFailure(e.code, `${fetcher.label.replace(/\/+$/, "")}/${rel}: ${e.message}`, {
        retryable: false,
        ...(e.hint === undefined ? {} : { hint: e.hint }),
      });
    }
  };
  return { fetch };
}

/** GOSUMDB's URL, else the first GOPROXY entry that mirrors the database, else https://<name> (cmd/go's initBase). */
async function resolveBase(db: DbConfig, settings: GoSettings, fetcherFor: (u: SumdbUrl) => ProxyFetcher): Promise<ProxyFetcher> {
  if (db.url !== undefined) return fetcherFor(db.url);
  const direct = fetcherFor({ url: `https://${db.name}` });
  let failure: { label: string; failure: SourceFailure } | undefined;
  for (const entry of parseGoProxy(settings.goproxy)) {
    if (entry.kind !== "url") return direct;
    const mirror = fetcherFor({
      url: `${entry.url.replace(/\/+$/, "")}/sumdb/${db.name}`,
      ...(entry.auth === undefined ? {} : { auth: entry.auth }),
    });
    try {
      await fetchBytes(mirror, "supported", MAX_LOOKUP_BYTES);
      return mirror;
    } catch (e) {
      if (!(e instanceof SourceFailure)) throw e;
      if (e.notFound) continue;
      failure = { label: `${mirror.label.replace(/\/+$/, "")}/supported`, failure: e };
      if (entry.fallThrough === "notFound") break;
    }
  }
  if (failure === undefined) return direct;
  throw new SourceFailure(failure.failure.code, `${failure.label}: ${failure.failure.message}`, {
    ...(failure.failure.hint === undefined ? {} : { hint: failure.failure.hint }),
  });
}

interface TileCache {
  /** The hashes of `tree`, read from its tiles. */
  readerFor(tree: Tree): HashReader;
}

/** Tiles never change once served, so one fetch per path serves the whole run. */
function createTileCache(fetch: DatabaseFetch): TileCache {
  const tiles = new Map<string, Promise<Buffer>>();
  function readTile(t: Tile): Promise<Buffer> {
    const key = tilePath(t);
    let pending = tiles.get(key);
    if (pending === undefined) {
      pending = (async () => {
        try {
          return await fetch(key, MAX_TILE_BYTES);
        } catch (e) {
          const full = { ...t, w: 1 << t.h };
          // A partial tile may be gone once the tile is complete: its prefix is the same.
          if (!(e instanceof SourceFailure && e.notFound) || t.w === full.w) throw e;
          const data = await fetch(tilePath(full), MAX_TILE_BYTES);
          return data.subarray(0, t.w * HASH_SIZE);
        }
      })();
      tiles.set(key, pending);
      pending.catch(() => tiles.delete(key));
    }
    return pending;
  }
  return { readerFor: (tree) => createTileHashReader(tree, TILE_HEIGHT, (ts) => Promise.all(ts.map(readTile))) };
}

interface LatestTree {
  /** The latest signed tree known (in memory). */
  current(): SignedTree;
  /** Verifies a signed tree note against the latest known one and keeps the newer; a newer one is written to the cache. */
  merge(note: Buffer, source: string): Promise<void>;
}

/**
 * The latest signed tree: opened and verified, proved consistent with every
 * other tree seen (in this run and in `latestFile`), and persisted when it grows.
 */
function createLatestTree(db: DbConfig, keyLabel: string, latestFile: string, tiles: TileCache): LatestTree {
  const fileSource = `the latest tree recorded in ${latestFile}`;
  const fileHint =
    `If GOSUMDB now names another database or key on purpose, delete ${latestFile}; ` +
    "otherwise the file was altered and the checksum database cannot be trusted from here.";
  const open = (note: Buffer, source: string): Tree => openTree(db, keyLabel, note, source, source === fileSource ? fileHint : undefined);
  const checkTrees = (older: SignedTree, newer: SignedTree): Promise<void> => proveConsistency(older, newer, tiles, keyLabel, latestFile);

  let latest: SignedTree = { tree: { n: 0, hash: EMPTY_TREE_HASH }, note: Buffer.alloc(0) };

  /** Merges a signed tree into the in-memory latest one (cmd/go's mergeLatestMem). */
  async function mergeLatestMemory(note: Buffer, source: string): Promise<When> {
    if (note.length === 0) return latest.tree.n === 0 ? "now" : "past";
    const seen: SignedTree = { tree: open(note, source), note };
    let known = latest;
    for (;;) {
      if (seen.tree.n <= known.tree.n) {
        await checkTrees(seen, known);
        return seen.tree.n < known.tree.n ? "past" : "now";
      }
      await checkTrees(known, seen);
      // Other lookups may have moved `latest` while the tiles were fetched.
      if (latest === known) {
        latest = seen;
        return "future";
      }
      known = latest;
    }
  }

  let loaded: Promise<void> | undefined;
  const load = (): Promise<void> =>
    (loaded ??= readLatestFile(latestFile).then(async (note) => {
      await mergeLatestMemory(note, fileSource);
    }));

  // Writes are chained so that one run never replaces a newer tree with an older one.
  let writing: Promise<void> = Promise.resolve();
  function persistLatest(): Promise<void> {
    const next = writing.then(async () => {
      // Another process may have recorded a newer tree meanwhile: it must be consistent too.
      const onDisk = await readLatestFile(latestFile);
      if ((await mergeLatestMemory(onDisk, fileSource)) === "past") await writeLatestFile(latestFile, latest.note);
    });
    writing = next.catch(() => undefined);
    return next;
  }

  return {
    current: () => latest,
    async merge(note, source) {
      await load();
      if ((await mergeLatestMemory(note, source)) === "future") await persistLatest();
    },
  };
}

/** A signed tree note opened with the database's key; `hint` goes with its failures. */
function openTree(db: DbConfig, keyLabel: string, note: Buffer, source: string, hint: string | undefined): Tree {
  try {
    return parseTree(openNote(note, db.verifier).text);
  } catch (e) {
    if (e instanceof NoteError) {
      const security = e.kind === "invalid-signature" || e.kind === "unverified";
      const message = `${source}: ${e.message}${security ? ` (the database key is ${keyLabel})` : ""}`;
      throw new SumdbFailure(message, security, hint);
    }
    if (e instanceof TlogError) throw new SumdbFailure(`${source}: ${e.message}`, false, hint);
    throw e;
  }
}

/** Checks that `older` is a prefix of `newer` with a consistency proof from `newer`'s tiles. */
async function proveConsistency(older: SignedTree, newer: SignedTree, tiles: TileCache, keyLabel: string, latestFile: string): Promise<void> {
  if (older.tree.n === 0) {
    if (older.tree.hash.equals(EMPTY_TREE_HASH)) return;
    throw new SumdbFailure(`tree ${treeLabel(older.tree)} claims records in an empty log`, true);
  }
  const read = tiles.readerFor(newer.tree);
  const proof = await proveTree(newer.tree.n, older.tree.n, read);
  if (checkTreeProof(proof, newer.tree.n, newer.tree.hash, older.tree.n, older.tree.hash)) return;
  const claimed = await treeHash(older.tree.n, read);
  throw new SumdbFailure(
    `the database's log forked: signed tree ${treeLabel(older.tree)} is not a prefix of signed tree ` +
      `${treeLabel(newer.tree)}, whose first ${older.tree.n} records hash to ${formatHash(claimed)}`,
    true,
    `Both trees are signed by ${keyLabel}, so the database (or a mirror replaying it) misbehaved; report it. ` +
      `The latest tree seen is kept in ${latestFile}; delete it only if GOSUMDB now names a different database.`,
  );
}

async function readLatestFile(latestFile: string): Promise<Buffer> {
  try {
    return await readFile(latestFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw new GosetError("GOSET_WRITE", `${latestFile}: ${(e as Error).message}`, {
      hint: "update-set keeps the latest checksum database tree there; check the permissions of the cache directory.",
      cause: e,
    });
  }
}

async function writeLatestFile(latestFile: string, note: Buffer): Promise<void> {
  const tmp = `${latestFile}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(latestFile), { recursive: true });
    await writeFile(tmp, note);
    await rename(tmp, latestFile);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new GosetError("GOSET_WRITE", `${latestFile}: ${(e as Error).message}`, {
      hint: "Check that the cache directory is writable (XDG_CACHE_HOME or ~/.cache/goset) and the disk is not full.",
      cause: e,
    });
  }
}

/** The database's record for `m` (`/lookup`), its tree note merged into the latest tree, and its inclusion proved. */
async function lookupRecord(m: ModuleVersion, fetch: DatabaseFetch, latest: LatestTree, tiles: TileCache): Promise<readonly string[]> {
  const rel = `lookup/${escapePath(m.path)}@${escapeVersion(m.version)}`;
  const data = await fetch(rel, MAX_LOOKUP_BYTES);
  let record;
  try {
    record = parseRecord(data);
  } catch (e) {
    if (e instanceof TlogError) throw new SumdbFailure(`/${rel}: ${e.message}`, false);
    throw e;
  }
  await latest.merge(record.rest, `the tree note of /${rel}`);
  await proveInclusion(latest.current().tree, record.id, record.text, tiles);
  return record.text.split("\n").filter((line) => line !== "");
}

/** Checks that record `id` with `text` is in `tree`, with an inclusion proof from its tiles. */
async function proveInclusion(tree: Tree, id: number, text: string, tiles: TileCache): Promise<void> {
  if (id >= tree.n) throw new SumdbFailure(`record ${id} is not in the signed tree of ${tree.n} records`, false);
  const proof = await proveRecord(tree.n, id, tiles.readerFor(tree));
  if (!checkRecordProof(proof, tree.n, tree.hash, id, recordHash(Buffer.from(text, "utf8")))) {
    throw new SumdbFailure(`record ${id} is not included in signed tree ${treeLabel(tree)}: its inclusion proof fails`, true);
  }
}

/** A lookup's failure as the GosetError the user sees: what failed, and where the database is reached. */
function describeFailure(db: DbConfig, keyLabel: string, m: ModuleVersion, e: unknown): unknown {
  const what = `${moduleKey(m)}: checksum database ${db.name}`;
  if (isGosetError(e)) return e;
  if (e instanceof SumdbFailure) {
    return new GosetError("GOSET_SUMDB", `${what}: ${e.security ? "SECURITY ERROR: " : ""}${e.message}`, {
      hint:
        e.hint ??
        (e.security
          ? `The database (or the proxy mirroring it) served data that does not verify with ${keyLabel}. ` +
            "Do not trust this module version; see 'go help module-auth'."
          : "The database's answer is malformed; retry later, or check that GOSUMDB names the right database and URL."),
      cause: e,
    });
  }
  if (e instanceof TlogError || e instanceof NoteError) {
    return new GosetError("GOSET_SUMDB", `${what}: SECURITY ERROR: ${e.message}`, {
      hint: `The tiles served do not match the tree signed by ${keyLabel}; the database or its mirror misbehaved.`,
      cause: e,
    });
  }
  if (e instanceof SourceFailure) {
    const reach =
      db.url === undefined
        ? `It is reached through a GOPROXY entry serving /sumdb/${db.name}/supported, else at https://${db.name}.`
        : `It is reached at ${db.url.url} (from GOSUMDB).`;
    const advice = e.notFound
      ? `The database does not know ${moduleKey(m)}. A private module must match GONOSUMDB or GOPRIVATE.`
      : "Check the network, or set GOSUMDB='<key> <url>' to a reachable mirror; GONOSUMDB/GOSUMDB=off skip verification.";
    return new GosetError(e.code, `${what}: ${e.message}`, {
      hint: [e.hint, reach, advice].filter((h) => h !== undefined).join(" "),
      cause: e,
    });
  }
  return e;
}

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  appendRecord,
  checkRecordProof,
  checkTreeProof,
  createTileHashReader,
  EMPTY_TREE_HASH,
  nodeHash,
  parseRecord,
  parseTilePath,
  parseTree,
  proveRecord,
  proveTree,
  readTileData,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  tileForIndex,
  tilePath,
  TlogError,
  treeHash,
  type Hash,
  type HashReader,
  type Tile,
} from "../../generator/sumdb/index.js";

/** RFC 6962 §2.1 MTH, straight from the definition. */
function mth(leaves: readonly Buffer[]): Hash {
  if (leaves.length === 0) return createHash("sha256").digest();
  if (leaves.length === 1) return recordHash(leaves[0] as Buffer);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function buildLog(count: number): { leaves: Buffer[]; stored: Hash[]; read: HashReader } {
  const leaves = Array.from({ length: count }, (_, i) => Buffer.from(`record ${i}\n`));
  const stored: Hash[] = [];
  leaves.forEach((leaf, i) => stored.push(...appendRecord(i, recordHash(leaf), (x) => stored[x] as Hash)));
  const read: HashReader = async (indexes) =>
    indexes.map((x) => {
      const h = stored[x];
      if (h === undefined) throw new Error(`read beyond the log: ${x}`);
      return h;
    });
  return { leaves, stored, read };
}

const LOG = buildLog(300);

describe("stored hash numbering", () => {
  it("splits every index it makes, and counts match the log", () => {
    for (let index = 0; index < LOG.stored.length; index++) {
      const { level, n } = splitStoredHashIndex(index);
      expect(storedHashIndex(level, n)).toBe(index);
    }
    expect(storedHashCount(300)).toBe(LOG.stored.length);
    expect([1, 2, 3, 4, 5, 8].map(storedHashCount)).toEqual([1, 3, 4, 7, 8, 15]);
  });

  it("is exact beyond 2^32 records", () => {
    const n = 2 ** 40 + 12345;
    expect(splitStoredHashIndex(storedHashIndex(3, n))).toEqual({ level: 3, n });
  });
});

describe("tree hashes", () => {
  it("equal RFC 6962's MTH for every size up to 300", async () => {
    expect(await treeHash(0, LOG.read)).toEqual(EMPTY_TREE_HASH);
    for (let n = 1; n <= 300; n++) {
      expect((await treeHash(n, LOG.read)).equals(mth(LOG.leaves.slice(0, n))), `n=${n}`).toBe(true);
    }
  });
});

describe("inclusion proofs", () => {
  it("verify for every record of every tree size up to 40, and of a 300-record tree", async () => {
    const cases: [number, number][] = [];
    for (let t = 1; t <= 40; t++) for (let n = 0; n < t; n++) cases.push([t, n]);
    for (const n of [0, 1, 255, 256, 257, 299]) cases.push([300, n]);
    for (const [t, n] of cases) {
      const th = mth(LOG.leaves.slice(0, t));
      const proof = await proveRecord(t, n, LOG.read);
      expect(checkRecordProof(proof, t, th, n, recordHash(LOG.leaves[n] as Buffer)), `t=${t} n=${n}`).toBe(true);
    }
  });

  it.each([
    ["another record's data", (p: Hash[]) => p, 1],
    ["a flipped proof hash", (p: Hash[]) => p.map((h, i) => (i === 0 ? nodeHash(h, h) : h)), 0],
    ["a shortened proof", (p: Hash[]) => p.slice(1), 0],
    ["a lengthened proof", (p: Hash[]) => [...p, EMPTY_TREE_HASH], 0],
  ])("fail with %s", async (_name, change, leafOffset) => {
    const proof = await proveRecord(300, 200, LOG.read);
    const leaf = recordHash(LOG.leaves[200 + leafOffset] as Buffer);
    expect(checkRecordProof(change(proof), 300, mth(LOG.leaves), 200, leaf)).toBe(false);
  });

  it("rejects records outside the tree", async () => {
    await expect(proveRecord(10, 10, LOG.read)).rejects.toThrow(TlogError);
  });
});

describe("consistency proofs", () => {
  it("verify between every pair of sizes up to 40, and up to 300", async () => {
    const cases: [number, number][] = [];
    for (let t = 1; t <= 40; t++) for (let n = 1; n <= t; n++) cases.push([t, n]);
    for (const n of [1, 7, 256, 257, 299, 300]) cases.push([300, n]);
    for (const [t, n] of cases) {
      const proof = await proveTree(t, n, LOG.read);
      expect(checkTreeProof(proof, t, mth(LOG.leaves.slice(0, t)), n, mth(LOG.leaves.slice(0, n))), `t=${t} n=${n}`).toBe(true);
    }
  });

  it("fail for a forked history", async () => {
    const forked = LOG.leaves.slice(0, 100).map((l, i) => (i === 42 ? Buffer.from("forged\n") : l));
    const proof = await proveTree(300, 100, LOG.read);
    expect(checkTreeProof(proof, 300, mth(LOG.leaves), 100, mth(forked))).toBe(false);
    expect(checkTreeProof(proof, 300, mth(LOG.leaves), 100, mth(LOG.leaves.slice(0, 100)))).toBe(true);
  });
});

describe("tiles", () => {
  it.each<[Tile, string]>([
    [{ h: 8, l: 0, n: 0, w: 256 }, "tile/8/0/000"],
    [{ h: 8, l: 1, n: 1, w: 44 }, "tile/8/1/001.p/44"],
    [{ h: 8, l: 2, n: 1234067, w: 256 }, "tile/8/2/x001/x234/067"],
    [{ h: 8, l: 0, n: 1000, w: 3 }, "tile/8/0/x001/000.p/3"],
  ])("%o is at %s", (tile, path) => {
    expect(tilePath(tile)).toBe(path);
    expect(parseTilePath(path)).toEqual(tile);
  });

  it.each(["tile/8/0/1", "tile/8/0/000.p/256", "tile/8/0/000.p/0", "tile/8/0/x000/001", "tile/8/data/000", "tile/8/0/000/"])(
    "%s is not a tile path",
    (path) => {
      expect(parseTilePath(path)).toBeUndefined();
    },
  );

  it("locates stored hashes: level 0..7 in tiles of level 0, level 8 in level 1", () => {
    expect(tileForIndex(8, storedHashIndex(0, 299))).toEqual({ h: 8, l: 0, n: 1, w: 44 });
    expect(tileForIndex(8, storedHashIndex(3, 5))).toEqual({ h: 8, l: 0, n: 0, w: 48 });
    expect(tileForIndex(8, storedHashIndex(8, 0))).toEqual({ h: 8, l: 1, n: 0, w: 1 });
  });

  const readTiles = (overrides: Map<string, Buffer> = new Map()) => async (tiles: readonly Tile[]) =>
    tiles.map((t) => overrides.get(tilePath(t)) ?? readTileData(t, (x) => LOG.stored[x] as Hash));

  it("a tile hash reader answers the stored hashes once the tiles authenticate", async () => {
    const tree = { n: 300, hash: mth(LOG.leaves) };
    const read = createTileHashReader(tree, 8, readTiles());
    const indexes = [storedHashIndex(0, 5), storedHashIndex(0, 299), storedHashIndex(5, 3), storedHashIndex(8, 0)];
    expect(await read(indexes)).toEqual(indexes.map((x) => LOG.stored[x]));
    // Every hash a 300-record tree stores is reachable.
    const all = Array.from({ length: storedHashCount(300) }, (_, i) => i);
    expect(await read(all)).toEqual(LOG.stored.slice(0, all.length));
  });

  it.each([
    ["a full level-0 tile", "tile/8/0/000"],
    ["a partial level-0 tile", "tile/8/0/001.p/44"],
    ["the level-1 tile", "tile/8/1/000.p/1"],
  ])("a tampered %s is detected", async (_name, path) => {
    const tile = parseTilePath(path) as Tile;
    const data = Buffer.from(readTileData(tile, (x) => LOG.stored[x] as Hash));
    data[data.length - 1] = (data[data.length - 1] as number) ^ 1;
    const read = createTileHashReader({ n: 300, hash: mth(LOG.leaves) }, 8, readTiles(new Map([[path, data]])));
    await expect(read([storedHashIndex(0, 5), storedHashIndex(0, 299)])).rejects.toThrow(/downloaded inconsistent tile/);
  });

  it("tiles of one tree do not authenticate another tree's hash", async () => {
    const read = createTileHashReader({ n: 300, hash: mth(LOG.leaves.slice(0, 299)) }, 8, readTiles());
    await expect(read([storedHashIndex(0, 5)])).rejects.toThrow(/inconsistent tile/);
  });
});

describe("tree notes and records", () => {
  const hash = Buffer.alloc(32, 7).toString("base64");

  it("parses a tree note text", () => {
    expect(parseTree(`go.sum database tree\n300\n${hash}\n`)).toEqual({ n: 300, hash: Buffer.alloc(32, 7) });
    expect(parseTree(`go.sum database tree\n300\n${hash}\nextra line\n`).n).toBe(300);
  });

  it.each([
    `go.sum database tree\n300\n${hash}`,
    `go.sum database tree\n0300\n${hash}\n`,
    `go.sum database tree\n-1\n${hash}\n`,
    `go.sum database tree\n300\n${Buffer.alloc(31).toString("base64")}\n`,
    `go.sum database tree\n300\n${hash.slice(0, -1)}\n`,
    `go.sum database trees\n300\n${hash}\n`,
  ])("rejects the tree text %j", (text) => {
    expect(() => parseTree(text)).toThrow(TlogError);
  });

  it("parses a lookup answer into id, text and the note", () => {
    const r = parseRecord(Buffer.from("17\na b h1:x\na b/go.mod h1:y\n\nnote text\n\n— sig\n"));
    expect(r).toEqual({ id: 17, text: "a b h1:x\na b/go.mod h1:y\n", rest: Buffer.from("note text\n\n— sig\n") });
  });

  it.each(["x\na\n\n", "17\na\n", "17\na\tb\n\n", "\na\n\n", "17 \na\n\n"])("rejects the lookup answer %j", (msg) => {
    expect(() => parseRecord(Buffer.from(msg))).toThrow(TlogError);
  });

  it("rejects a record that is not UTF-8", () => {
    expect(() => parseRecord(Buffer.concat([Buffer.from("1\na "), Buffer.from([0xff]), Buffer.from("\n\n")]))).toThrow(TlogError);
  });
});

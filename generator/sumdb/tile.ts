/**
 * Hash tiles: how the checksum database serves its stored hashes. A tile of
 * height H at level L holds 2^H consecutive hashes of tree level L·H (fewer
 * in a partial tile, `.p/<W>`); the hashes of levels L·H+1 .. L·H+H-1 are
 * recomputed from them. Tiles are authenticated against a signed tree hash
 * before any hash from them is used.
 */
import { HASH_SIZE, nodeHash, splitStoredHashIndex, storedHashIndex, subTreeIndexes, TlogError } from "./tlog.js";
import type { Hash, HashReader, Tree } from "./tlog.js";

/** The tile height every Go checksum database client uses. */
export const TILE_HEIGHT = 8;

export interface Tile {
  /** Height: the tile spans H tree levels and holds up to 2^H hashes. */
  readonly h: number;
  /** Level in the tiling: the tile's bottom hashes are tree level L·H. */
  readonly l: number;
  /** Position within the level. */
  readonly n: number;
  /** Width: how many bottom hashes it holds (2^H when complete). */
  readonly w: number;
}

/** Fetches tile data (w·32 bytes each, in order); authentication is the caller's job. */
export type TileReader = (tiles: readonly Tile[]) => Promise<readonly Buffer[]>;

const shr = (n: number, k: number): number => Math.floor(n / 2 ** k);

/** The smallest tile holding stored hash `index`, and the byte range of what hashes to it. */
function locate(h: number, index: number): { tile: Tile; start: number; end: number } {
  const split = splitStoredHashIndex(index);
  const l = Math.floor(split.level / h);
  const levelInTile = split.level - l * h;
  const n = shr(split.n * 2 ** levelInTile, h);
  const nInTile = split.n - shr(n * 2 ** h, levelInTile);
  const width = 2 ** levelInTile;
  return {
    tile: { h, l, n, w: (nInTile + 1) * width },
    start: nInTile * width * HASH_SIZE,
    end: (nInTile + 1) * width * HASH_SIZE,
  };
}

export function tileForIndex(h: number, index: number): Tile {
  return locate(h, index).tile;
}

/** The hash over a run of a tile's bottom hashes (a power of two of them). */
function tileHash(data: Buffer): Hash {
  if (data.length === 0) throw new TlogError("bad math in tileHash");
  if (data.length === HASH_SIZE) return Buffer.from(data);
  const half = data.length / 2;
  return nodeHash(tileHash(data.subarray(0, half)), tileHash(data.subarray(half)));
}

/** Stored hash `index`, computed from the data of tile `t`. */
function hashFromTile(t: Tile, data: Buffer, index: number): Hash {
  if (t.h < 1 || t.h > 30 || t.l < 0 || t.l >= 64 || t.w < 1 || t.w > 2 ** t.h) {
    throw new TlogError(`invalid tile ${tilePath(t)}`);
  }
  if (data.length < t.w * HASH_SIZE) throw new TlogError(`data too short for tile ${tilePath(t)}`);
  const { tile, start, end } = locate(t.h, index);
  if (tile.l !== t.l || tile.n !== t.n || tile.w > t.w) {
    throw new TlogError(`stored hash ${index} is in ${tilePath(tile)}, not ${tilePath(t)}`);
  }
  return tileHash(data.subarray(start, end));
}

/** `tile/<H>/<L>/<NNN>` with `x`-prefixed groups of three digits, plus `.p/<W>` when partial. */
export function tilePath(t: Tile): string {
  let n = t.n;
  let digits = String(n % 1000).padStart(3, "0");
  while (n >= 1000) {
    n = Math.floor(n / 1000);
    digits = `x${String(n % 1000).padStart(3, "0")}/${digits}`;
  }
  const partial = t.w === 2 ** t.h ? "" : `.p/${t.w}`;
  return `tile/${t.h}/${t.l}/${digits}${partial}`;
}

/** The inverse of tilePath; undefined for anything else (including data tiles). */
export function parseTilePath(path: string): Tile | undefined {
  const m = /^tile\/([1-9][0-9]?)\/([0-9]{1,2})\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]*))?$/.exec(path);
  if (m === null) return undefined;
  const h = Number(m[1]);
  const l = Number(m[2]);
  const n = (m[3] as string).split("/").reduce((acc, part) => acc * 1000 + Number(part.replace("x", "")), 0);
  const w = m[4] === undefined ? 2 ** h : Number(m[4]);
  if (h > 30 || w >= 2 ** h + (m[4] === undefined ? 1 : 0)) return undefined;
  const tile = { h, l, n, w };
  return tilePath(tile) === path ? tile : undefined;
}

/** A tile's data from stored hashes (what a database serves). */
export function readTileData(t: Tile, stored: (index: number) => Hash): Buffer {
  const start = t.n * 2 ** t.h;
  const out: Buffer[] = [];
  for (let i = 0; i < t.w; i++) out.push(stored(storedHashIndex(t.h * t.l, start + i)));
  return Buffer.concat(out);
}

/**
 * The tile `k` levels above `t` in the tree of `n` records, cut to the
 * tree's size; undefined when the tree has nothing there.
 */
function tileParent(t: Tile, k: number, n: number): Tile | undefined {
  const l = t.l + k;
  const tn = shr(t.n, k * t.h);
  const full = 2 ** t.h;
  const max = shr(n, l * t.h);
  const start = tn * full;
  if (start + full < max) return { h: t.h, l, n: tn, w: full };
  if (start >= max) return undefined;
  return { h: t.h, l, n: tn, w: max - start };
}

const keyOf = (t: Tile): string => tilePath(t);

/**
 * A HashReader for `tree` over tiles: it fetches the tiles holding the
 * requested hashes plus those holding the tree's own subtree hashes, checks
 * that the latter hash to `tree.hash` and that every other tile hashes to the
 * entry its parent tile holds, and only then answers. A tile that does not
 * fit throws TlogError("downloaded inconsistent tile").
 */
export function createTileHashReader(tree: Tree, h: number, readTiles: TileReader): HashReader {
  return async (indexes) => {
    if (indexes.length === 0) return [];
    if (tree.n === 0) throw new TlogError("the empty tree has no stored hashes");
    const order = new Map<string, number>();
    const tiles: Tile[] = [];
    const add = (t: Tile): number => {
      order.set(keyOf(t), tiles.length);
      tiles.push(t);
      return tiles.length - 1;
    };

    const stx = subTreeIndexes(0, tree.n);
    const stxTile = stx.map((x) => {
      const t = tileParent(tileForIndex(h, x), 0, tree.n);
      if (t === undefined) throw new TlogError("bad math in tile reader");
      return order.get(keyOf(t)) ?? add(t);
    });

    const limit = storedHashIndex(0, tree.n);
    const indexTile = indexes.map((x) => {
      if (!Number.isSafeInteger(x) || x < 0 || x >= limit) throw new TlogError(`stored hash ${x} is not in tree ${tree.n}`);
      const t = tileForIndex(h, x);
      // Climb to the first ancestor already wanted; then add the missing ones top-down, so parents come first.
      let k = 0;
      let at = -1;
      for (; ; k++) {
        if (k > 64) throw new TlogError("bad math in tile reader");
        const p = tileParent(t, k, tree.n);
        const j = p === undefined ? undefined : order.get(keyOf(p));
        if (j !== undefined) {
          if (k === 0) at = j;
          break;
        }
      }
      for (k--; k >= 0; k--) {
        const p = tileParent(t, k, tree.n);
        if (p === undefined || p.w !== 2 ** p.h) throw new TlogError(`bad math in tile reader: ${tree.n} ${x}`);
        const j = add(p);
        if (k === 0) at = j;
      }
      return at;
    });

    const data = await readTiles(tiles);
    if (data.length !== tiles.length) throw new TlogError("tile reader returned the wrong number of tiles");
    tiles.forEach((t, i) => {
      if ((data[i] as Buffer).length !== t.w * HASH_SIZE) {
        throw new TlogError(`downloaded inconsistent tile: ${tilePath(t)} has ${(data[i] as Buffer).length} bytes, want ${t.w * HASH_SIZE}`);
      }
    });

    let th: Hash | undefined;
    for (let i = stx.length - 1; i >= 0; i--) {
      const j = stxTile[i] as number;
      const sub = hashFromTile(tiles[j] as Tile, data[j] as Buffer, stx[i] as number);
      th = th === undefined ? sub : nodeHash(sub, th);
    }
    if (th === undefined || !th.equals(tree.hash)) {
      throw new TlogError(`downloaded inconsistent tile: tiles do not hash to tree ${tree.n}`);
    }

    for (let i = (stxTile.at(-1) as number) + 1; i < tiles.length; i++) {
      const t = tiles[i] as Tile;
      const p = tileParent(t, 1, tree.n);
      const j = p === undefined ? undefined : order.get(keyOf(p));
      if (p === undefined || j === undefined) throw new TlogError(`bad math in tile reader: lost parent of ${tilePath(t)}`);
      const expected = hashFromTile(p, data[j] as Buffer, storedHashIndex(p.l * p.h, t.n));
      if (!expected.equals(tileHash(data[i] as Buffer))) {
        throw new TlogError(`downloaded inconsistent tile: ${tilePath(t)} does not match its parent ${tilePath(p)}`);
      }
    }

    return indexes.map((x, i) => {
      const j = indexTile[i] as number;
      return hashFromTile(tiles[j] as Tile, data[j] as Buffer, x);
    });
  };
}

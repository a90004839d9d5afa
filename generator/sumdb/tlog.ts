/**
 * The checksum database's transparent log (RFC 6962 Merkle trees, as
 * golang.org/x/mod/sumdb/tlog lays them out): record and node hashes, the
 * numbering of stored hashes, tree hashes, and inclusion (record) and
 * consistency (tree) proofs. Everything here is pure; hashes a computation
 * needs are named by stored-hash index and handed in by the caller.
 *
 * Sizes and indexes are JS numbers: exact up to 2^53, far beyond any log.
 */
import { createHash } from "node:crypto";

/** A SHA-256 hash of 32 bytes. */
export type Hash = Buffer;

export const HASH_SIZE = 32;

/** A tree head: the log's first `n` records hash to `hash`. */
export interface Tree {
  readonly n: number;
  readonly hash: Hash;
}

/** Reads stored hashes by index; the client authenticates them against a tree first. */
export type HashReader = (indexes: readonly number[]) => Promise<readonly Hash[]>;

/** Thrown for data that breaks the log's rules (never for I/O failures). */
export class TlogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TlogError";
  }
}

/** The hash of the empty tree: SHA-256 of no bytes. */
export const EMPTY_TREE_HASH: Hash = createHash("sha256").digest();

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function recordHash(data: Uint8Array): Hash {
  return createHash("sha256").update(Uint8Array.of(0)).update(data).digest();
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash("sha256").update(Uint8Array.of(1)).update(left).update(right).digest();
}

export function formatHash(h: Hash): string {
  return h.toString("base64");
}

const shr = (n: number, k: number): number => Math.floor(n / 2 ** k);

function trailingZeros(n: number): number {
  let z = 0;
  for (let x = n; x > 0 && x % 2 === 0; x /= 2) z++;
  return z;
}

/** The largest power of two below `n` (for n ≥ 2), with its exponent. */
function largestPowerBelow(n: number): { k: number; level: number } {
  let level = 0;
  while (2 ** (level + 1) < n) level++;
  return { k: 2 ** level, level };
}

/**
 * Where the hash of node `n` at `level` (the subtree over records
 * [n·2^level, (n+1)·2^level)) sits in the append-only sequence of stored
 * hashes: after record n·2^level, every completed subtree is appended.
 */
export function storedHashIndex(level: number, n: number): number {
  let m = n;
  for (let l = level; l > 0; l--) m = 2 * m + 1;
  let i = 0;
  for (; m > 0; m = shr(m, 1)) i += m;
  return i + level;
}

/** The inverse of storedHashIndex. */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  let n = shr(index, 1);
  let indexN = storedHashIndex(0, n);
  if (indexN > index) throw new TlogError(`bad stored hash index ${index}`);
  for (;;) {
    const next = indexN + 1 + trailingZeros(n + 1);
    if (next > index) break;
    n++;
    indexN = next;
  }
  const level = index - indexN;
  return { level, n: shr(n, level) };
}

/** How many hashes are stored for a log of `n` records. */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  let count = storedHashIndex(0, n - 1) + 1;
  for (let i = n - 1; i % 2 === 1; i = shr(i, 1)) count++;
  return count;
}

/**
 * The hashes to append when record `n` (with leaf hash `leaf`) joins a log of
 * `n` records: the leaf, then one node per subtree the record completes.
 * `stored` reads earlier stored hashes.
 */
export function appendRecord(n: number, leaf: Hash, stored: (index: number) => Hash): Hash[] {
  const out = [leaf];
  let h = leaf;
  const completed = trailingZeros(n + 1);
  for (let level = 0; level < completed; level++) {
    h = nodeHash(stored(storedHashIndex(level, shr(n, level) - 1)), h);
    out.push(h);
  }
  return out;
}

/** Stored-hash indexes of the complete subtrees that make up records [lo, hi), largest first. */
export function subTreeIndexes(lo: number, hi: number, need: number[] = []): number[] {
  let at = lo;
  while (at < hi) {
    const { k, level } = largestPowerBelow(hi - at + 1);
    if (at % k !== 0) throw new TlogError("bad math in subTreeIndexes");
    need.push(storedHashIndex(level, at / k));
    at += k;
  }
  return need;
}

/** Hashes consumed in order, as the proof builders walk the tree. */
class HashQueue {
  private at = 0;
  constructor(private readonly hashes: readonly Hash[]) {}
  take(count: number): Hash[] {
    if (this.at + count > this.hashes.length) throw new TlogError("too few hashes for the proof");
    const taken = this.hashes.slice(this.at, this.at + count);
    this.at += count;
    return taken;
  }
  assertEmpty(): void {
    if (this.at !== this.hashes.length) throw new TlogError("too many hashes for the proof");
  }
}

function subTreeHash(lo: number, hi: number, queue: HashQueue): Hash {
  const count = subTreeIndexes(lo, hi).length;
  const hashes = queue.take(count);
  let h = hashes[count - 1] as Hash;
  for (let i = count - 2; i >= 0; i--) h = nodeHash(hashes[i] as Hash, h);
  return h;
}

/** The tree hash of the first `n` records from the stored hashes at `subTreeIndexes(0, n)`. */
function treeHashFromHashes(n: number, hashes: readonly Hash[]): Hash {
  if (n === 0) return EMPTY_TREE_HASH;
  const queue = new HashQueue(hashes);
  const h = subTreeHash(0, n, queue);
  queue.assertEmpty();
  return h;
}

export async function treeHash(n: number, read: HashReader): Promise<Hash> {
  if (n === 0) return EMPTY_TREE_HASH;
  return treeHashFromHashes(n, await read(subTreeIndexes(0, n)));
}

// Inclusion proofs: record n in a tree of t records.

function recordProofIndexes(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const { k } = largestPowerBelow(hi - lo);
  if (n < lo + k) {
    recordProofIndexes(lo, lo + k, n, need);
    subTreeIndexes(lo + k, hi, need);
  } else {
    subTreeIndexes(lo, lo + k, need);
    recordProofIndexes(lo + k, hi, n, need);
  }
  return need;
}

function buildRecordProof(lo: number, hi: number, n: number, queue: HashQueue): Hash[] {
  if (lo + 1 === hi) return [];
  const { k } = largestPowerBelow(hi - lo);
  if (n < lo + k) {
    const p = buildRecordProof(lo, lo + k, n, queue);
    return [...p, subTreeHash(lo + k, hi, queue)];
  }
  const sibling = subTreeHash(lo, lo + k, queue);
  return [...buildRecordProof(lo + k, hi, n, queue), sibling];
}

function assertRecordInputs(t: number, n: number): void {
  if (!(Number.isSafeInteger(t) && Number.isSafeInteger(n) && n >= 0 && n < t)) {
    throw new TlogError(`record ${n} is not in a tree of ${t} records`);
  }
}

/** The audit path for record `n` in the tree of `t` records (RFC 6962 §2.1.1), leaf side first. */
export async function proveRecord(t: number, n: number, read: HashReader): Promise<Hash[]> {
  assertRecordInputs(t, n);
  const indexes = recordProofIndexes(0, t, n, []);
  const queue = new HashQueue(indexes.length === 0 ? [] : await read(indexes));
  const proof = buildRecordProof(0, t, n, queue);
  queue.assertEmpty();
  return proof;
}

function runRecordProof(p: readonly Hash[], lo: number, hi: number, n: number, leaf: Hash): Hash | undefined {
  if (lo + 1 === hi) return p.length === 0 ? leaf : undefined;
  const last = p.at(-1);
  if (last === undefined) return undefined;
  const { k } = largestPowerBelow(hi - lo);
  const rest = p.slice(0, -1);
  if (n < lo + k) {
    const th = runRecordProof(rest, lo, lo + k, n, leaf);
    return th === undefined ? undefined : nodeHash(th, last);
  }
  const th = runRecordProof(rest, lo + k, hi, n, leaf);
  return th === undefined ? undefined : nodeHash(last, th);
}

/** Whether proof `p` shows that record `n` with leaf hash `leaf` is in the tree of `t` records hashing to `th`. */
export function checkRecordProof(p: readonly Hash[], t: number, th: Hash, n: number, leaf: Hash): boolean {
  assertRecordInputs(t, n);
  const computed = runRecordProof(p, 0, t, n, leaf);
  return computed !== undefined && computed.equals(th);
}

// Consistency proofs: the tree of n records is a prefix of the tree of t records.

function treeProofIndexes(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subTreeIndexes(lo, hi, need);
  const { k } = largestPowerBelow(hi - lo);
  if (n <= lo + k) {
    treeProofIndexes(lo, lo + k, n, need);
    subTreeIndexes(lo + k, hi, need);
  } else {
    subTreeIndexes(lo, lo + k, need);
    treeProofIndexes(lo + k, hi, n, need);
  }
  return need;
}

function buildTreeProof(lo: number, hi: number, n: number, queue: HashQueue): Hash[] {
  if (n === hi) return lo === 0 ? [] : [subTreeHash(lo, hi, queue)];
  const { k } = largestPowerBelow(hi - lo);
  if (n <= lo + k) {
    const p = buildTreeProof(lo, lo + k, n, queue);
    return [...p, subTreeHash(lo + k, hi, queue)];
  }
  const sibling = subTreeHash(lo, lo + k, queue);
  return [...buildTreeProof(lo + k, hi, n, queue), sibling];
}

function assertTreeInputs(t: number, n: number): void {
  if (!(Number.isSafeInteger(t) && Number.isSafeInteger(n) && n >= 1 && n <= t)) {
    throw new TlogError(`no consistency proof from a tree of ${n} records to one of ${t}`);
  }
}

/** The consistency proof from the tree of `n` records to the tree of `t` records (RFC 6962 §2.1.2). */
export async function proveTree(t: number, n: number, read: HashReader): Promise<Hash[]> {
  assertTreeInputs(t, n);
  const indexes = treeProofIndexes(0, t, n, []);
  const queue = new HashQueue(indexes.length === 0 ? [] : await read(indexes));
  const proof = buildTreeProof(0, t, n, queue);
  queue.assertEmpty();
  return proof;
}

/** Returns [hash of the old tree, hash of the new tree] as the proof computes them. */
function runTreeProof(p: readonly Hash[], lo: number, hi: number, n: number, old: Hash): [Hash, Hash] | undefined {
  if (n === hi) {
    if (lo === 0) return p.length === 0 ? [old, old] : undefined;
    return p.length === 1 ? [p[0] as Hash, p[0] as Hash] : undefined;
  }
  const last = p.at(-1);
  if (last === undefined) return undefined;
  const { k } = largestPowerBelow(hi - lo);
  const rest = p.slice(0, -1);
  if (n <= lo + k) {
    const r = runTreeProof(rest, lo, lo + k, n, old);
    return r === undefined ? undefined : [r[0], nodeHash(r[1], last)];
  }
  const r = runTreeProof(rest, lo + k, hi, n, old);
  return r === undefined ? undefined : [nodeHash(last, r[0]), nodeHash(last, r[1])];
}

/** Whether proof `p` shows the tree of `n` records hashing to `h` is a prefix of the tree of `t` records hashing to `th`. */
export function checkTreeProof(p: readonly Hash[], t: number, th: Hash, n: number, h: Hash): boolean {
  assertTreeInputs(t, n);
  const r = runTreeProof(p, 0, t, n, h);
  return r !== undefined && r[0].equals(h) && r[1].equals(th);
}

// The texts the database signs and serves.

const TREE_PREFIX = "go.sum database tree\n";

/** The signed text of a tree head. */
export function formatTree(tree: Tree): string {
  return `${TREE_PREFIX}${tree.n}\n${formatHash(tree.hash)}\n`;
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64 only (Node's decoder would skip junk silently). */
export function decodeBase64(s: string): Buffer | undefined {
  return STD_BASE64.test(s) ? Buffer.from(s, "base64") : undefined;
}

/** Parses a tree note's text: the prefix line, the size, the base64 hash; later lines are ignored. */
export function parseTree(text: string): Tree {
  const lines = text.split("\n");
  const [, size, hash64] = lines;
  if (!text.startsWith(TREE_PREFIX) || lines.length < 4 || text.length > 1e6 || size === undefined || hash64 === undefined) {
    throw new TlogError("malformed tree note");
  }
  const hash = decodeBase64(hash64);
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size)) || hash === undefined || hash.length !== HASH_SIZE) {
    throw new TlogError("malformed tree note");
  }
  return { n: Number(size), hash };
}

/** Record text: UTF-8 lines without control characters or empty lines, ending in a newline. */
function isValidRecordText(text: string): boolean {
  return text.endsWith("\n") && !text.includes("\n\n") && !/[\x00-\x09\x0b-\x1f]/.test(text);
}

export interface LookupRecord {
  readonly id: number;
  /** The record's text (the go.sum lines), which the log hashes. */
  readonly text: string;
  /** What follows: the signed tree note. */
  readonly rest: Buffer;
}

/** A `/lookup` answer: the record id line, the record text, an empty line, then the signed tree note. */
export function formatRecord(id: number, text: string): string {
  if (!isValidRecordText(text)) throw new TlogError("malformed record data");
  return `${id}\n${text}\n`;
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

export function parseRecord(msg: Buffer): LookupRecord {
  const nl = msg.indexOf(0x0a);
  const idText = nl < 0 ? "" : msg.subarray(0, nl).toString("latin1");
  if (!/^[0-9]{1,16}$/.test(idText) || !Number.isSafeInteger(Number(idText))) throw new TlogError("malformed record data");
  const body = msg.subarray(nl + 1);
  const end = body.indexOf("\n\n");
  if (end < 0) throw new TlogError("malformed record data");
  let text: string;
  try {
    text = fatalUtf8.decode(body.subarray(0, end + 1));
  } catch {
    throw new TlogError("malformed record data");
  }
  if (!isValidRecordText(text)) throw new TlogError("malformed record data");
  return { id: Number(idText), text, rest: body.subarray(end + 2) };
}

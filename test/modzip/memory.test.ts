import { createHash } from "node:crypto";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { digestModuleZip, hashHash1, narString } from "../../generator/modzip/index.js";
import { makeTempDir, removeTree, writeZip } from "./helpers.js";

const MOD = { path: "example.com/big", version: "v1.0.0" };
const SIZE = 200 << 20;
const CHUNK = Buffer.alloc(1 << 20);

function zeros(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      const n = Math.min(left, CHUNK.length);
      left -= n;
      this.push(n === 0 ? null : CHUNK.subarray(0, n));
    },
  });
}

let tmp: string;
let zipFile: string;

beforeAll(async () => {
  tmp = await makeTempDir("memory");
  zipFile = join(tmp, "big.zip");
  await writeZip(zipFile, [
    { name: `${MOD.path}@${MOD.version}/go.mod`, content: `module ${MOD.path}\n` },
    { name: `${MOD.path}@${MOD.version}/zeros.bin`, stream: { source: zeros(SIZE), size: SIZE } },
  ]);
});

afterAll(async () => {
  if (tmp !== undefined) await removeTree(tmp);
});

it("hashes a 200 MiB file while resident memory grows far less than the file", async () => {
  const expectedZeros = createHash("sha256");
  for (let left = SIZE; left > 0; left -= CHUNK.length) expectedZeros.update(CHUNK.subarray(0, Math.min(left, CHUNK.length)));
  const goMod = Buffer.from(`module ${MOD.path}\n`);

  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const digest = await digestModuleZip(zipFile, MOD).finally(() => clearInterval(sampler));
  peak = Math.max(peak, process.memoryUsage().rss);

  expect(digest.files).toBe(2);
  expect(digest.unzippedBytes).toBe(SIZE + goMod.length);
  expect(digest.sum).toBe(
    hashHash1([
      { name: `${MOD.path}@${MOD.version}/go.mod`, sha256: createHash("sha256").update(goMod).digest() },
      { name: `${MOD.path}@${MOD.version}/zeros.bin`, sha256: expectedZeros.digest() },
    ]),
  );
  // The NAR is header + go.mod entry + zeros entry; recompute it independently of NarTreeWriter.
  const t = (...xs: string[]): Buffer => Buffer.concat(xs.map((x) => narString(x)));
  const nar = createHash("sha256");
  nar.update(t("nix-archive-1", "(", "type", "directory"));
  nar.update(t("entry", "(", "name", "go.mod", "node", "(", "type", "regular", "contents"));
  nar.update(narString(goMod));
  nar.update(t(")", ")", "entry", "(", "name", "zeros.bin", "node", "(", "type", "regular", "contents"));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(SIZE));
  nar.update(length);
  for (let left = SIZE; left > 0; left -= CHUNK.length) nar.update(CHUNK.subarray(0, Math.min(left, CHUNK.length)));
  nar.update(t(")", ")", ")"));
  expect(digest.hash).toBe("sha256-" + nar.digest("base64"));

  expect(peak - baseline).toBeLessThan(SIZE / 4);
});

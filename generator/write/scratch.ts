/**
 * A throwaway copy of a set directory, beside it (so relative path leaves
 * stay valid), for trial regenerations that must leave the set untouched.
 */
import { cp, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export async function withScratchSet<T>(setDir: string, purpose: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(dirname(setDir), `.${basename(setDir)}.goset-${purpose}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await cp(setDir, dir, { recursive: true });
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

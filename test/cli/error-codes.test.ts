/** README's error table lists every code update-set and goset can report, and no other. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";

const REPO = join(import.meta.dirname, "..", "..");

it("README's Errors table names exactly the codes of generator/errors.ts", async () => {
  const source = await readFile(join(REPO, "generator", "errors.ts"), "utf8");
  const union = source.slice(source.indexOf("export type ErrorCode"), source.indexOf(";", source.indexOf("export type ErrorCode")));
  const codes = [...new Set(union.match(/GOSET_[A-Z_]+/g))].sort();
  const readme = await readFile(join(REPO, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("### Errors"), readme.indexOf("\n### ", readme.indexOf("### Errors") + 1));
  const rows = table.split("\n").filter((l) => l.startsWith("| `GOSET_"));
  const documented = [...new Set(rows.flatMap((r) => (r.split(" | ")[0] ?? "").match(/GOSET_[A-Z_]+/g) ?? []))].sort();
  expect(codes.length).toBeGreaterThan(20);
  expect(documented).toEqual(codes);
});

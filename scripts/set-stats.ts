/**
 * Figures about a generated set, read from its lock: modules, go.mod-only
 * entries, packages compiled, cycles and their sizes, modules shared by two
 * or more leaves.
 *   npx tsx scripts/set-stats.ts [SET_DIR]
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseLock } from "../generator/render/lock.js";
import { leafClosure } from "../generator/render/report.js";

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, "..", "set"));
const set = parseLock(await readFile(join(dir, "set.lock.yaml"), "utf8"));
if (set === undefined) throw new Error(`cannot read ${dir}/set.lock.yaml`);

const users = new Map<string, number>();
for (const leaf of set.leaves.values()) for (const p of leafClosure(set, leaf)) users.set(p, (users.get(p) ?? 0) + 1);
const shared = [...users.values()].filter((n) => n >= 2).length;
const derivations = set.modules.size - set.cycles.reduce((n, c) => n + c.members.length - 1, 0);

console.log(`| figure | value |`);
console.log(`|---|---|`);
console.log(`| leaves | ${set.leaves.size} |`);
console.log(`| modules (set members) | ${set.modules.size} |`);
console.log(`| module derivations (a cycle is one) | ${derivations} |`);
console.log(`| go.mod-only entries (selected, never built) | ${set.goModOnly.size} |`);
console.log(`| modules shared by 2 or more leaves | ${shared} |`);
const packages = [...set.modules.values()].map((m) => m.packages?.length ?? 0);
console.log(`| packages the set compiles (some leaf imports them) | ${packages.reduce((a, b) => a + b, 0)} |`);
console.log(`| members none of whose packages a leaf imports (source only) | ${packages.filter((n) => n === 0).length} |`);
console.log(`| cycles (members) | ${set.cycles.length} (${set.cycles.map((c) => c.members.length).sort((a, b) => b - a).join(", ")}) |`);
for (const c of set.cycles) console.log(`| cycle ${c.id} | ${c.members.join(", ")} |`);

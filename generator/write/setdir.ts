/**
 * Writing a set directory: only files whose content changed are touched,
 * stale generated files (and only generated ones) are pruned, and the whole
 * change is applied as one transaction that a crash rolls back.
 *
 * A run stages every new file under `.update-set/stage`, hard-links every
 * file it will replace or delete into `.update-set/backup`, records the
 * change in `.update-set/journal.json`, then renames. If the process dies
 * before the journal is removed, the next run (or `--check`) restores the
 * backups first, so the directory returns exactly to the previous set.
 */
import { constants as fsc } from "node:fs";
import { link, mkdir, open, readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { GosetError } from "../errors.js";
import { GENERATED_MARK } from "../render/nix.js";

const WORK = ".update-set";
const LOCKFILE = ".update-set.lock";
const GENERATED_DIRS = ["modules", "cycles", "leaves", "held"];

export interface Plan {
  readonly write: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
}

interface Journal {
  readonly write: readonly { path: string; existed: boolean }[];
  readonly remove: readonly string[];
}

/** Which files differ from `files`, and which generated files no longer belong. */
export async function planChanges(dir: string, files: ReadonlyMap<string, string>): Promise<Plan> {
  const write = new Map<string, string>();
  for (const [rel, content] of files) {
    if ((await readText(join(dir, rel))) !== content) write.set(rel, content);
  }
  const remove = (await listGeneratedFiles(dir)).filter((rel) => !files.has(rel));
  return { write, remove };
}

export async function listGeneratedFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) await visit(child);
      else if (e.isFile() && e.name.endsWith(".nix") && (await isGenerated(join(dir, child)))) found.push(child);
    }
  };
  for (const d of GENERATED_DIRS) await visit(d);
  for (const top of ["default.nix", "set.lock.yaml"]) if (await isGenerated(join(dir, top))) found.push(top);
  return found.sort();
}

async function isGenerated(file: string): Promise<boolean> {
  const text = await readText(file);
  return text !== undefined && text.startsWith(GENERATED_MARK);
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR") || isErrno(e, "EISDIR")) return undefined;
    throw e;
  }
}

/** Applies a plan as one transaction. */
export interface ApplyHooks {
  /** Runs once everything is staged and journaled, before the first rename. */
  readonly beforeRename?: () => Promise<void>;
  /** Runs after each file is renamed into place (tests use it to die half-way). */
  readonly afterRename?: (index: number) => Promise<void>;
}

export async function applyPlan(dir: string, plan: Plan, hooks: ApplyHooks = {}): Promise<void> {
  if (plan.write.size === 0 && plan.remove.length === 0) return;
  const work = join(dir, WORK);
  await rm(work, { recursive: true, force: true });
  const stage = join(work, "stage");
  const backup = join(work, "backup");
  const journal: Journal = { write: [], remove: [...plan.remove] };
  let staging = work;
  try {
    for (const [rel, content] of plan.write) {
      staging = join(stage, rel);
      await writeDurably(join(stage, rel), content);
      const existed = await backupFile(dir, backup, rel);
      (journal.write as { path: string; existed: boolean }[]).push({ path: rel, existed });
    }
    for (const rel of plan.remove) await backupFile(dir, backup, rel);
    staging = join(work, "journal.json");
    await writeDurably(join(work, "journal.json.tmp"), JSON.stringify(journal));
    await rename(join(work, "journal.json.tmp"), join(work, "journal.json"));
  } catch (e) {
    // Nothing of the set was touched yet: drop the staging area.
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
    throw writeError(staging, e);
  }

  await hooks.beforeRename?.();
  let renamed = 0;
  let current = "";
  try {
    for (const { path: rel } of journal.write) {
      current = rel;
      await mkdir(dirname(join(dir, rel)), { recursive: true });
      await rename(join(stage, rel), join(dir, rel));
      await hooks.afterRename?.(renamed++);
    }
    for (const rel of journal.remove) {
      current = rel;
      await unlink(join(dir, rel)).catch(ignore("ENOENT"));
    }
  } catch (e) {
    // Roll back now, from the journal, rather than leave the set half-applied until a later run.
    await recoverInterrupted(dir);
    throw writeError(join(dir, current), e);
  }
  await pruneEmptyDirs(dir, [...journal.remove]);
  await unlink(join(work, "journal.json"));
  await rm(work, { recursive: true, force: true });
}

function writeError(path: string, cause: unknown): GosetError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new GosetError("GOSET_WRITE", `cannot write ${path}: ${why}; the set was rolled back to its previous state`, {
    hint: "check the permissions, attributes (chattr -i) and free space of the set directory, then rerun",
    cause,
  });
}

/** Rolls back a transaction a killed run left behind. Returns whether there was one. */
export async function recoverInterrupted(dir: string): Promise<boolean> {
  const work = join(dir, WORK);
  const text = await readText(join(work, "journal.json"));
  if (text === undefined) {
    await rm(work, { recursive: true, force: true });
    return false;
  }
  const journal = JSON.parse(text) as Journal;
  const backup = join(work, "backup");
  for (const { path: rel, existed } of journal.write) {
    if (existed) await rename(join(backup, rel), join(dir, rel)).catch(ignore("ENOENT"));
    else await unlink(join(dir, rel)).catch(ignore("ENOENT"));
  }
  for (const rel of journal.remove) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await rename(join(backup, rel), join(dir, rel)).catch(ignore("ENOENT"));
  }
  await pruneEmptyDirs(dir, journal.write.filter((w) => !w.existed).map((w) => w.path));
  await rm(work, { recursive: true, force: true });
  return true;
}

async function backupFile(dir: string, backup: string, rel: string): Promise<boolean> {
  await mkdir(dirname(join(backup, rel)), { recursive: true });
  try {
    await link(join(dir, rel), join(backup, rel));
    return true;
  } catch (e) {
    if (isErrno(e, "ENOENT")) return false;
    throw e;
  }
}

async function writeDurably(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, fsc.O_CREAT | fsc.O_TRUNC | fsc.O_WRONLY, 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function pruneEmptyDirs(dir: string, rels: readonly string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const rel of rels) for (let d = dirname(rel); d !== "." && d !== ""; d = dirname(d)) dirs.add(d);
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    const entries = await readdir(join(dir, d)).catch(() => undefined);
    if (entries !== undefined && entries.length === 0) await rm(join(dir, d), { recursive: true });
  }
}

/** One run at a time per set directory. A lock left by a dead process is taken over. */
export async function acquireSetLock(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCKFILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: "wx" });
      return async () => {
        await unlink(file).catch(ignore("ENOENT"));
      };
    } catch (e) {
      if (!isErrno(e, "EEXIST")) throw new GosetError("GOSET_WRITE", `cannot create ${file}: ${String(e)}`, { cause: e });
      const pid = Number.parseInt((await readText(file)) ?? "", 10);
      if (Number.isInteger(pid) && isAlive(pid)) {
        throw new GosetError("GOSET_LOCKED", `another update-set (pid ${pid}) is writing ${dir}`, {
          hint: "wait for it to finish; if no such process runs, delete " + file,
        });
      }
      await unlink(file).catch(ignore("ENOENT"));
    }
  }
  throw new GosetError("GOSET_LOCKED", `could not lock ${dir}`, { hint: "retry; another run took the lock at the same moment" });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e, "EPERM");
  }
}

function isErrno(e: unknown, code: string): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === code;
}

function ignore(code: string): (e: unknown) => void {
  return (e) => {
    if (!isErrno(e, code)) throw e;
  };
}

/**
 * One remote git repository as cmd/go's codehost sees it, kept in a
 * temporary bare repository: refs from `git ls-remote`, revisions fetched
 * shallowly by their ref (everything only as a last resort), files read
 * with `git cat-file`, trees exported with `git archive` with export-subst
 * and export-ignore disabled, exactly as cmd/go runs it.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitFailure, runGit } from "./git.js";

export interface GitRevInfo {
  /** Full commit hash. */
  readonly hash: string;
  /** Committer time, Unix seconds. */
  readonly time: number;
}

export interface GitRepo {
  readonly url: string;
  /** `HEAD`, `refs/heads/*` and `refs/tags/*` -> commit hash (annotated tags peeled). */
  refs(): Promise<ReadonlyMap<string, string>>;
  /** A tag, branch, `HEAD` or hash (prefix of at least 12 digits), fetched when needed. */
  stat(rev: string): Promise<GitRevInfo>;
  /** A file at a commit, or undefined when it does not exist there. */
  readFile(hash: string, file: string): Promise<Buffer | undefined>;
  /** `git archive --format=zip --prefix=prefix/` of the commit (limited to `subdir` when set) into `destFile`. */
  archive(hash: string, subdir: string, destFile: string): Promise<void>;
}

interface GitRepoOptions {
  readonly url: string;
  /** The child environment (see gitEnvironment). */
  readonly env: NodeJS.ProcessEnv;
  /** `-c` options for every command (see gitConfigArgs). */
  readonly config: readonly string[];
  /** A fresh directory for the bare repository, created on first use. */
  readonly makeDir: () => Promise<string>;
}

/** Thrown for a revision the repository does not have. */
export class UnknownRevision extends Error {
  override readonly name = "UnknownRevision";
}

const MIN_HASH_DIGITS = 12;
const GIT_ATTRIBUTES = "\n* -export-subst -export-ignore\n";

/** The refs of `git ls-remote -q` output, annotated tags replaced by the commit they point to. */
export function parseLsRemote(text: string): Map<string, string> {
  const refs = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 2) continue;
    const [hash, ref] = f as [string, string];
    if (ref.endsWith("^{}")) peeled.set(ref.slice(0, -3), hash);
    else if (ref === "HEAD" || ref.startsWith("refs/heads/") || ref.startsWith("refs/tags/")) refs.set(ref, hash);
  }
  for (const [ref, hash] of peeled) if (refs.has(ref)) refs.set(ref, hash);
  return refs;
}

/** What to fetch for `rev` (cmd/go gitRepo.stat): the ref naming it and its hash, as far as the refs tell. */
export function locateRevision(refs: ReadonlyMap<string, string>, rev: string): { ref?: string; hash?: string; rev: string } {
  for (const ref of [`refs/tags/${rev}`, `refs/heads/${rev}`]) {
    const hash = refs.get(ref);
    if (hash !== undefined) return { ref, hash, rev: ref.startsWith("refs/tags/") ? rev : hash };
  }
  const head = refs.get("HEAD");
  if (rev === "HEAD" && head !== undefined) return { ref: "HEAD", hash: head, rev: head };
  const hashLength = [...refs.values()][0]?.length ?? 40;
  if (rev.length < MIN_HASH_DIGITS || rev.length > hashLength || !/^[0-9a-f]+$/.test(rev)) {
    throw new UnknownRevision(`unknown revision ${rev}`);
  }
  let found: { ref: string; hash: string } | undefined;
  for (const [ref, hash] of refs) {
    if (!hash.startsWith(rev)) continue;
    if (found !== undefined && found.hash !== hash) throw new UnknownRevision(`ambiguous revision ${rev}`);
    if (found === undefined || ref < found.ref) found = { ref, hash };
  }
  if (found !== undefined) return { ...found, rev: found.hash };
  return rev.length === hashLength ? { hash: rev, rev } : { rev };
}

function parseLogLine(text: string): GitRevInfo | undefined {
  const [hash, time] = text.trim().split(/\s+/);
  if (hash === undefined || time === undefined || !/^\d+$/.test(time)) return undefined;
  return { hash, time: Number(time) };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function openGitRepo(options: GitRepoOptions): GitRepo {
  let refs: Promise<Map<string, string>> | undefined;
  let dir: Promise<string> | undefined;
  let fetchedAll = false;
  let queue: Promise<unknown> = Promise.resolve();
  const stats = new Map<string, Promise<GitRevInfo>>();

  // One git command at a time per repository: fetches and archive share its lock files.
  const serialized = <T>(op: () => Promise<T>): Promise<T> => {
    const next = queue.then(op, op);
    queue = next.catch(() => undefined);
    return next;
  };

  const git = async (args: readonly string[], stdoutFile?: string): Promise<Buffer> => {
    const gitDir = await repoDir();
    return runGit({
      args: [...options.config, ...args],
      cwd: gitDir,
      env: { ...options.env, GIT_DIR: gitDir },
      ...(stdoutFile === undefined ? {} : { stdoutFile }),
    });
  };

  const loadRefs = (): Promise<Map<string, string>> =>
    (refs ??= runGit({ args: [...options.config, "ls-remote", "-q", options.url], cwd: tmpdir(), env: options.env }).then((out) =>
      parseLsRemote(out.toString("utf8")),
    ));

  function repoDir(): Promise<string> {
    dir ??= (async () => {
      const d = await options.makeDir();
      const sha256 = [...(await loadRefs()).values()].some((h) => h.length === 64);
      const format = sha256 ? ["--object-format=sha256"] : [];
      await runGit({ args: ["init", "--bare", "-q", ...format, d], cwd: d, env: options.env });
      await runGit({ args: ["remote", "add", "origin", "--", options.url], cwd: d, env: { ...options.env, GIT_DIR: d } });
      await mkdir(join(d, "info"), { recursive: true });
      await writeFile(join(d, "info", "attributes"), GIT_ATTRIBUTES, { flag: "a" });
      return d;
    })();
    return dir;
  }

  const statLocal = async (rev: string): Promise<GitRevInfo | undefined> => {
    const out = await git(["-c", "log.showsignature=false", "log", "--no-decorate", "-n1", "--format=format:%H %ct", rev, "--"]).catch(
      (e: unknown) => {
        if (e instanceof GitFailure) return undefined;
        throw e;
      },
    );
    return out === undefined ? undefined : parseLogLine(out.toString("utf8"));
  };

  const fetchEverything = async (): Promise<void> => {
    if (fetchedAll) return;
    await git(["fetch", "-f", "origin", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"]);
    if (await exists(join(await repoDir(), "shallow"))) await git(["fetch", "--unshallow", "-f", "origin"]);
    fetchedAll = true;
  };

  async function statRemote(rev: string): Promise<GitRevInfo> {
    const where = locateRevision(await loadRefs(), rev);
    return serialized(async () => {
      const local = where.hash === undefined ? undefined : await statLocal(where.hash);
      if (local !== undefined) return local;
      if (where.ref !== undefined && where.hash !== undefined) {
        const refspec = where.ref === "HEAD" ? `${where.hash}:refs/dummy` : `${where.ref}:${where.ref}`;
        const ok = await git(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "origin", refspec]).then(
          () => true,
          (e: unknown) => {
            if (e instanceof GitFailure && !e.isAuth) return false;
            throw e;
          },
        );
        const fetched = ok ? await statLocal(where.hash) : undefined;
        if (fetched !== undefined) return fetched;
      }
      await fetchEverything();
      const last = await statLocal(where.hash ?? where.rev);
      if (last === undefined) throw new UnknownRevision(`unknown revision ${rev}`);
      return last;
    });
  }

  return {
    url: options.url,
    refs: loadRefs,
    stat(rev) {
      let info = stats.get(rev);
      if (info === undefined) {
        info = statRemote(rev);
        stats.set(rev, info);
      }
      return info;
    },
    async readFile(hash, file) {
      return serialized(() =>
        git(["cat-file", "blob", `${hash}:${file}`]).catch((e: unknown) => {
          if (e instanceof GitFailure) return undefined;
          throw e;
        }),
      );
    },
    async archive(hash, subdir, destFile) {
      const paths = subdir === "" ? [] : [subdir];
      await serialized(() =>
        git(["-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=zip", "--prefix=prefix/", hash, ...paths], destFile),
      );
    },
  };
}

/** Repositories by URL, each in its own bare repository under one temporary directory removed by close(). */
export interface GitRepos {
  open(url: string, env: NodeJS.ProcessEnv, config: readonly string[]): GitRepo;
  close(): Promise<void>;
}

export function createGitRepos(): GitRepos {
  const repos = new Map<string, GitRepo>();
  let root: Promise<string> | undefined;
  let count = 0;
  const makeDir = async (): Promise<string> => {
    root ??= mkdtemp(join(tmpdir(), "goset-vcs-"));
    const d = join(await root, `repo-${++count}`);
    await mkdir(d);
    return d;
  };
  return {
    open(url, env, config) {
      let repo = repos.get(url);
      if (repo === undefined) {
        repo = openGitRepo({ url, env, config, makeDir });
        repos.set(url, repo);
      }
      return repo;
    },
    async close() {
      const dir = await root?.catch(() => undefined);
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

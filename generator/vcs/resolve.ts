/**
 * Module path -> repository, with cmd/go's network steps: pinging the
 * schemes of a `.git`-qualified path with `git ls-remote`, and reading
 * go-import tags over https (falling back to http only for GOINSECURE
 * paths), checking a non-authoritative tag against the prefix's own page.
 */
import { STATUS_CODES } from "node:http";
import type { ModulePath } from "../types.js";
import type { GoImportPage } from "./meta.js";
import {
  gitSchemes,
  goGetUrl,
  matchGoImport,
  matchStaticRepoRoot,
  parseGoImports,
  RepoRootError,
  repoRootFromMeta,
  type MetaImport,
  type RepoRoot,
} from "./reporoot.js";

export interface RepoRootDeps {
  /** Whether GOINSECURE matches the path. */
  readonly insecure: (path: ModulePath) => boolean;
  /** Rejects only when no HTTP answer arrived. */
  readonly fetchPage: (url: URL) => Promise<GoImportPage>;
  /** Runs `git ls-remote <url>`: undefined when it succeeds, else why it failed. */
  readonly ping: (repoUrl: string) => Promise<{ readonly reason: string; readonly auth: boolean } | undefined>;
}

interface ImportsPage {
  readonly url: string;
  readonly imports: readonly MetaImport[];
}

function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ""}`.trim();
}

/** web.Get: https, then plain http when the path is GOINSECURE and https got no answer. */
async function getPage(importPath: string, insecure: boolean, deps: RepoRootDeps): Promise<GoImportPage> {
  try {
    return await deps.fetchPage(goGetUrl(importPath, "https"));
  } catch (e) {
    const reason = (e as Error).message;
    if (!insecure) throw new RepoRootError(`https fetch: ${reason}`);
    try {
      return await deps.fetchPage(goGetUrl(importPath, "http"));
    } catch (e2) {
      throw new RepoRootError(`http/https fetch: ${(e2 as Error).message} (https: ${reason})`);
    }
  }
}

async function readImports(importPath: string, insecure: boolean, deps: RepoRootDeps): Promise<ImportsPage> {
  const page = await getPage(importPath, insecure, deps);
  const imports = parseGoImports(page.body);
  if (imports.length === 0 && page.status !== 200) {
    throw new RepoRootError(`reading ${page.url}: ${statusText(page.status)}`, page.status === 401 || page.status === 403);
  }
  return { url: page.url, imports };
}

async function pingSchemes(repo: string, insecure: boolean, deps: RepoRootDeps): Promise<string> {
  const failures: string[] = [];
  let auth = false;
  for (const scheme of gitSchemes(insecure)) {
    const url = `${scheme}://${repo}`;
    const failed = await deps.ping(url);
    if (failed === undefined) return url;
    failures.push(`${url}: ${failed.reason}`);
    auth ||= failed.auth;
  }
  const why = `no ${insecure ? "" : "secure "}protocol found for repository ${repo} (${failures.join("; ")})`;
  throw new RepoRootError(why, auth);
}

/** A memoizing resolver: each module path, and each go-import page, is looked up once per run. */
export function createRepoRootResolver(deps: RepoRootDeps): (path: ModulePath) => Promise<RepoRoot> {
  const roots = new Map<ModulePath, Promise<RepoRoot>>();
  const pages = new Map<string, Promise<ImportsPage>>();
  const importsFor = (prefix: string, insecure: boolean): Promise<ImportsPage> => {
    let page = pages.get(prefix);
    if (page === undefined) {
      page = readImports(prefix, insecure, deps);
      pages.set(prefix, page);
    }
    return page;
  };

  async function resolveDynamic(path: ModulePath, insecure: boolean): Promise<RepoRoot> {
    const page = await importsFor(path, insecure);
    const mi = matchGoImport(page.imports, path);
    if (mi.prefix !== path) {
      // A tag on a deeper page speaks for the prefix only if the prefix's own page agrees.
      const own = await importsFor(mi.prefix, insecure).catch((e: unknown) => {
        throw new RepoRootError(`fetching ${mi.prefix}: ${(e as Error).message}`);
      });
      const again = (() => {
        try {
          return matchGoImport(own.imports, path);
        } catch {
          return undefined;
        }
      })();
      if (again === undefined || JSON.stringify(again) !== JSON.stringify(mi)) {
        throw new RepoRootError(`${page.url} and ${own.url} disagree about go-import for ${mi.prefix}`);
      }
    }
    return repoRootFromMeta(mi, page.url);
  }

  async function resolve(path: ModulePath): Promise<RepoRoot> {
    const insecure = deps.insecure(path);
    const fixed = matchStaticRepoRoot(path);
    if (fixed !== undefined) {
      if (fixed.vcs !== "git") throw new RepoRootError(`${fixed.root} is a ${fixed.vcs} repository; update-set fetches only git`);
      const repoUrl = fixed.kind === "url" ? fixed.repoUrl : await pingSchemes(fixed.repo, insecure, deps);
      return { vcs: "git", repoUrl, root: fixed.root, subdir: "" };
    }
    try {
      return await resolveDynamic(path, insecure);
    } catch (e) {
      if (!(e instanceof RepoRootError)) throw e;
      throw new RepoRootError(`unrecognized import path "${path}": ${e.message}`, e.auth);
    }
  }

  return (path) => {
    let root = roots.get(path);
    if (root === undefined) {
      root = resolve(path);
      roots.set(path, root);
    }
    return root;
  };
}

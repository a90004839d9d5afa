/**
 * `direct` as a module source: what GOPROXY's `direct` entry and every
 * GONOPROXY/GOPRIVATE module use. The module path is resolved to a
 * repository as cmd/go resolves it, then read with the system git; a
 * go-import `mod` entry is read as a module proxy instead. Failures are
 * SourceFailures naming the repository and, for refused access, where git's
 * credentials came from (never the credentials).
 */
import type { Dispatcher } from "undici";
import { isGosetError } from "../errors.js";
import { credentialsFor, type Credentials } from "../env/netrc.js";
import { matchPrefixPatterns } from "../env/patterns.js";
import { SourceFailure } from "../proxy/failure.js";
import type { NetrcSource } from "../proxy/http-fetcher.js";
import type { ModuleSource, RevInfo } from "../proxy/source.js";
import { redactUrl } from "../redact.js";
import type { ModulePath, Version } from "../types.js";
import { CodeRepoError, createCodeRepo, latestOf, moduleLayout, type CodeRepo } from "./coderepo.js";
import { GitFailure, gitConfigArgs, gitEnvironment } from "./git.js";
import { createGitRepos, type GitRepo } from "./gitrepo.js";
import { fetchGoImportPage } from "./meta.js";
import { RepoRootError, type RepoRoot } from "./reporoot.js";
import { createRepoRootResolver } from "./resolve.js";

export interface DirectSourceOptions {
  /** GOINSECURE: paths whose go-import pages may be read over plain http, and repositories pinged over http/git. */
  readonly goinsecure: string;
  readonly netrc: NetrcSource;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  /** git's environment; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A module proxy at a base URL, for go-import `mod` entries. */
  readonly proxySource: (baseUrl: string) => ModuleSource;
}

export interface DirectSource extends ModuleSource {
  /** Removes the temporary git repositories. */
  close(): Promise<void>;
}

type Backend =
  | { readonly kind: "mod"; readonly source: ModuleSource }
  | { readonly kind: "git"; readonly code: CodeRepo; readonly repoUrl: string; readonly credentials: string };

const VCS_HINT =
  "update-set fetches modules that go direct (GONOPROXY/GOPRIVATE, or `direct` in GOPROXY) with the system git, " +
  "as go does: check that `git ls-remote <repository>` works in this environment, or serve the module from a proxy in GOPROXY.";

function gitAuthHint(credentials: string): string {
  return (
    `Credentials offered to git: ${credentials}. git itself also reads ~/.netrc (through curl) and its credential helpers, ` +
    "and never prompts here (GIT_TERMINAL_PROMPT=0): add `machine <host> login <user> password <token>` to $NETRC or ~/.netrc, " +
    "or configure a git credential helper (for ssh, load the key into ssh-agent)."
  );
}

/** A SourceFailure for anything the direct path threw; `where` names the repository or the lookup. */
function failureFrom(e: unknown, where: string, credentials: string): unknown {
  if (e instanceof SourceFailure || isGosetError(e)) return e;
  if (e instanceof GitFailure || e instanceof RepoRootError) {
    const auth = e instanceof GitFailure ? e.isAuth : e.auth;
    return auth
      ? new SourceFailure("GOSET_VCS_AUTH", `${where}: ${e.message}`, { hint: gitAuthHint(credentials) })
      : new SourceFailure("GOSET_VCS", `${where}: ${e.message}`, { hint: VCS_HINT });
  }
  // UnknownRevision, CodeRepoError, and whatever else reading the repository threw.
  return new SourceFailure("GOSET_VCS", `${where}: ${e instanceof Error ? e.message : String(e)}`, { hint: VCS_HINT });
}

export function createDirectSource(options: DirectSourceOptions): DirectSource {
  const repos = createGitRepos();
  const baseEnv = options.env ?? process.env;
  const backends = new Map<ModulePath, Promise<Backend>>();

  /** The netrc entry update-set hands git for `url` (http and https, as git's curl reads ~/.netrc), and how to name it. */
  async function credentialsForUrl(url: URL): Promise<{ credentials: Credentials | undefined; described: string }> {
    const web = url.protocol === "https:" || url.protocol === "http:";
    const credentials = web ? credentialsFor(await options.netrc.read(), url.host) : undefined;
    const described =
      credentials !== undefined
        ? `the netrc entry for ${url.host} in ${options.netrc.path} ($NETRC or ~/.netrc), through a credential helper`
        : web
          ? `none from update-set (no entry for ${url.host} in ${options.netrc.path})`
          : `none from update-set (${url.protocol.replace(/:$/, "")} uses ssh keys or the git protocol)`;
    return { credentials, described };
  }

  /** The repository at `url` with git's environment, and a description of the credentials offered. */
  async function openRepo(url: string): Promise<{ repo: GitRepo; credentials: string }> {
    const { credentials, described } = await credentialsForUrl(new URL(url));
    const env = gitEnvironment(baseEnv, options.timeoutMs, credentials);
    return { repo: repos.open(url, env, gitConfigArgs(credentials !== undefined)), credentials: described };
  }

  const resolveRoot = createRepoRootResolver({
    insecure: (path) => matchPrefixPatterns(options.goinsecure, path),
    fetchPage: (url) => fetchGoImportPage(url, { dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, netrc: options.netrc.read }),
    ping: async (url) => {
      const { repo } = await openRepo(url);
      return repo.refs().then(
        () => undefined,
        (e: unknown) => {
          if (!(e instanceof GitFailure)) throw e;
          return { reason: e.message, auth: e.isAuth };
        },
      );
    },
  });

  async function makeBackend(path: ModulePath): Promise<Backend> {
    let root: RepoRoot;
    try {
      root = await resolveRoot(path);
    } catch (e) {
      const host = path.split("/")[0] ?? path;
      throw failureFrom(e, `resolving ${path}`, (await credentialsForUrl(new URL(`https://${host}`))).described);
    }
    if (root.vcs === "mod") return { kind: "mod", source: options.proxySource(root.repoUrl) };
    const { repo, credentials } = await openRepo(root.repoUrl);
    try {
      return { kind: "git", code: createCodeRepo(repo, moduleLayout(root.root, root.subdir, path)), repoUrl: root.repoUrl, credentials };
    } catch (e) {
      throw failureFrom(e, `repository ${redactUrl(root.repoUrl)}`, credentials);
    }
  }

  const backendFor = (path: ModulePath): Promise<Backend> => {
    let b = backends.get(path);
    if (b === undefined) {
      b = makeBackend(path);
      backends.set(path, b);
    }
    return b;
  };

  /** Runs `op` on the module's repository (or proxy), mapping failures. */
  async function withBackend<T>(path: ModulePath, viaProxy: (s: ModuleSource) => Promise<T>, viaGit: (c: CodeRepo) => Promise<T>): Promise<T> {
    const backend = await backendFor(path);
    if (backend.kind === "mod") return viaProxy(backend.source);
    try {
      return await viaGit(backend.code);
    } catch (e) {
      throw failureFrom(e, `repository ${redactUrl(backend.repoUrl)}`, backend.credentials);
    }
  }

  const latest = (path: ModulePath): Promise<RevInfo> =>
    withBackend(
      path,
      (s) => s.latest(path),
      async (code) => {
        const best = latestOf(await code.versions());
        if (best === undefined) throw new CodeRepoError(`${path} has no tagged versions (update-set resolves only tags and existing pseudo-versions from version control)`);
        return code.stat(best);
      },
    );

  return {
    label: "direct",
    listVersions: (path) => withBackend(path, (s) => s.listVersions(path), (code) => code.versions()),
    info: (path, version) => withBackend(path, (s) => s.info(path, version), (code) => code.stat(version)),
    latest,
    goMod: (path, version: Version) => withBackend(path, (s) => s.goMod(path, version), (code) => code.goMod(version)),
    downloadZip: (path, version, destFile) =>
      withBackend(
        path,
        (s) => s.downloadZip(path, version, destFile),
        async (code) => ({ bytes: await code.zip(version, destFile) }),
      ),
    close: () => repos.close(),
  };
}

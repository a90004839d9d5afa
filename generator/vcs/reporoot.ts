/**
 * Where a module path's code lives, decided as cmd/go decides it
 * (cmd/go/internal/vcs): known hosting sites and paths with a VCS qualifier
 * element (`host/repo.git/sub`) map statically; any other path is looked up
 * through the `<meta name="go-import">` tags of `https://<path>?go-get=1`.
 * Pure functions only; fetching and pinging live in resolve.ts.
 */
import type { ModulePath } from "../types.js";

export type VcsKind = "git" | "mod";

/** Where a module's repository is: the import path at the repository root and its URL. */
export interface RepoRoot {
  readonly vcs: VcsKind;
  /** Repository URL with scheme (for `mod`: the module proxy base URL). */
  readonly repoUrl: string;
  /** The import path corresponding to `subdir` of the repository. */
  readonly root: ModulePath;
  /** Subdirectory of the repository holding `root` (go-import's optional 4th field); "" for the top. */
  readonly subdir: string;
}

/** A static match: either a full URL, or a scheme-less repository whose scheme is found by pinging. */
export type StaticMatch =
  | { readonly kind: "url"; readonly vcs: string; readonly root: ModulePath; readonly repoUrl: string }
  | { readonly kind: "schemeless"; readonly vcs: string; readonly root: ModulePath; readonly repo: string };

/** One `<meta name="go-import" content="prefix vcs repo [subdir]">`. */
export interface MetaImport {
  readonly prefix: string;
  readonly vcs: string;
  readonly repoRoot: string;
  readonly subdir: string;
}

/** Thrown when no repository can be found; the source turns it into a SourceFailure naming the module. */
export class RepoRootError extends Error {
  override readonly name = "RepoRootError";
  /** True when a repository refused the credentials it was offered (or got none). */
  readonly auth: boolean;
  constructor(message: string, auth = false) {
    super(message);
    this.auth = auth;
  }
}

const W = "[0-9A-Za-z_.\\-]";
const VCS_SUFFIXES = [".git", ".hg", ".svn", ".bzr", ".fossil"];

interface HostingSite {
  readonly prefix: string;
  readonly pattern: RegExp;
  readonly noVcsSuffix: boolean;
}

// cmd/go's vcsPaths for git hosting sites (fossil's chiselapp.com and launchpad's bzr are not git).
const HOSTING_SITES: readonly HostingSite[] = [
  { prefix: "github.com", pattern: new RegExp(`^(?<root>github\\.com/${W}+/${W}+)(/${W}+)*$`), noVcsSuffix: true },
  { prefix: "bitbucket.org", pattern: new RegExp(`^(?<root>bitbucket\\.org/${W}+/${W}+)(/${W}+)*$`), noVcsSuffix: true },
  { prefix: "hub.jazz.net/git", pattern: new RegExp(`^(?<root>hub\\.jazz\\.net/git/[a-z0-9]+/${W}+)(/${W}+)*$`), noVcsSuffix: true },
  { prefix: "git.apache.org", pattern: new RegExp(`^(?<root>git\\.apache\\.org/[a-z0-9_.\\-]+\\.git)(/${W}+)*$`), noVcsSuffix: false },
  { prefix: "git.openstack.org", pattern: new RegExp(`^(?<root>git\\.openstack\\.org/${W}+/${W}+)(\\.git)?(/${W}+)*$`), noVcsSuffix: false },
];

// The general form `host/path.vcs/...`; like cmd/go's, not anchored at the start.
const QUALIFIED = new RegExp(
  `(?<root>(?<repo>([a-z0-9.\\-]+\\.)+[a-z0-9.\\-]+(:[0-9]+)?(/~?${W}+)+?)\\.(?<vcs>bzr|fossil|git|hg|svn))(/~?${W}+)*$`,
);

/** Whether `path` is `prefix` or lies below it (cmd/go str.HasPathPrefix). */
function hasPathPrefix(path: string, prefix: string): boolean {
  if (path.length === prefix.length) return path === prefix;
  if (prefix === "") return true;
  if (path.length < prefix.length) return false;
  if (prefix.endsWith("/")) return path.startsWith(prefix);
  return path[prefix.length] === "/" && path.startsWith(prefix);
}

/**
 * The statically known repository of `path`, or undefined when only a
 * go-import lookup can tell. Throws RepoRootError for a malformed path on a
 * known site.
 */
export function matchStaticRepoRoot(path: ModulePath): StaticMatch | undefined {
  for (const site of HOSTING_SITES) {
    if (!hasPathPrefix(path, site.prefix)) continue;
    const root = site.pattern.exec(path)?.groups?.["root"];
    if (root === undefined) throw new RepoRootError(`invalid ${site.prefix} import path "${path}"`);
    if (site.noVcsSuffix && VCS_SUFFIXES.some((s) => root.endsWith(s))) {
      throw new RepoRootError(`invalid version control suffix in ${site.prefix}/ path`);
    }
    return { kind: "url", vcs: "git", root, repoUrl: `https://${root}` };
  }
  const m = QUALIFIED.exec(path)?.groups;
  if (m?.["root"] === undefined || m["repo"] === undefined || m["vcs"] === undefined) return undefined;
  return { kind: "schemeless", vcs: m["vcs"], root: m["root"], repo: m["repo"] };
}

/** Schemes cmd/go pings for a git repository, in order; plain `git://` and `http://` only when GOINSECURE allows. */
export function gitSchemes(insecure: boolean): string[] {
  const all = ["git", "https", "http", "git+ssh", "ssh"];
  return insecure ? all : all.filter((s) => s !== "git" && s !== "http");
}

/** `https://host/rest?go-get=1` for an import path (cmd/go urlForImportPath), with the scheme given. */
export function goGetUrl(importPath: string, scheme: "https" | "http"): URL {
  const slash = importPath.indexOf("/");
  const host = slash < 0 ? importPath : importPath.slice(0, slash);
  if (!host.includes(".")) throw new RepoRootError("import path does not begin with hostname");
  const rest = slash < 0 ? "/" : importPath.slice(slash);
  const url = new URL(`${scheme}://${host}`);
  url.pathname = rest;
  url.search = "go-get=1";
  return url;
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return XML_ENTITIES[name] ?? all;
  });
}

/** Attributes of a start tag's inner text (after the element name), names lowercased. */
function parseAttributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (const m of text.matchAll(re)) {
    const name = (m[1] ?? "").toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return attrs;
}

/**
 * The go-import meta tags of an HTML page, read up to `</head>` or `<body>`.
 * `mod` entries come first and hide other entries for the same prefix, as
 * cmd/go orders them in module mode.
 */
export function parseGoImports(html: string): MetaImport[] {
  const found: MetaImport[] = [];
  const tags = /<!--[\s\S]*?-->|<[!?][^>]*>|<\/\s*([A-Za-z][^\s>]*)[^>]*>|<([A-Za-z][^\s/>]*)([^>]*)>/g;
  for (const m of html.matchAll(tags)) {
    const end = m[1]?.toLowerCase();
    const start = m[2]?.toLowerCase();
    if (end === "head" || start === "body") break;
    if (start !== "meta") continue;
    const attrs = parseAttributes(m[3] ?? "");
    if (attrs.get("name") !== "go-import") continue;
    const f = (attrs.get("content") ?? "").split(/\s+/).filter((w) => w !== "");
    if (f.length !== 3 && f.length !== 4) continue;
    found.push({ prefix: f[0] as string, vcs: f[1] as string, repoRoot: f[2] as string, subdir: f[3] ?? "" });
  }
  const modPrefixes = new Set(found.filter((m) => m.vcs === "mod").map((m) => m.prefix));
  return [...found.filter((m) => m.vcs === "mod"), ...found.filter((m) => m.vcs !== "mod" && !modPrefixes.has(m.prefix))];
}

/** The one meta import whose prefix covers `importPath` (cmd/go matchGoImport). */
export function matchGoImport(imports: readonly MetaImport[], importPath: string): MetaImport {
  let match: MetaImport | undefined;
  for (const im of imports) {
    if (!hasPathPrefix(importPath, im.prefix)) continue;
    if (match !== undefined) {
      if (match.vcs === "mod" && im.vcs !== "mod") break;
      throw new RepoRootError(`multiple meta tags match import path "${importPath}"`);
    }
    match = im;
  }
  if (match !== undefined) return match;
  const mismatches = imports.map((im) => `meta tag ${im.prefix} did not match import path ${importPath}`);
  throw new RepoRootError(mismatches.length === 0 ? "no go-import meta tags" : mismatches.join(", "));
}

/** The repository root a matched meta import names, after cmd/go's checks of its subdirectory and URL. */
export function repoRootFromMeta(mi: MetaImport, page: string): RepoRoot {
  if (mi.subdir.startsWith("/") || mi.subdir.startsWith("-")) {
    throw new RepoRootError(`${page}: invalid subdirectory "${mi.subdir}"`);
  }
  let url: URL;
  try {
    url = new URL(mi.repoRoot);
  } catch {
    throw new RepoRootError(`${page}: invalid repo root "${mi.repoRoot}": no scheme`);
  }
  if (url.protocol === "file:") throw new RepoRootError(`${page}: invalid repo root "${mi.repoRoot}": file scheme disallowed`);
  if (mi.vcs !== "git" && mi.vcs !== "mod") {
    throw new RepoRootError(`${page}: go-import names ${mi.vcs}; update-set fetches only git repositories and module proxies`);
  }
  return { vcs: mi.vcs, repoUrl: mi.repoRoot, root: mi.prefix, subdir: mi.subdir };
}

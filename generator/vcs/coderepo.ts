/**
 * A module inside a git repository, as cmd/go's modfetch codeRepo sees it:
 * which tags are its versions, where its go.mod lives for a version (the
 * module's directory or its major-version subdirectory), and its zip, made
 * from `git archive` with x/mod/zip's file rules. Tagged versions and
 * existing pseudo-versions are supported; queries (branches, `latest` of an
 * untagged repository) are not.
 */
import { mkdir, rename, rm, stat as statFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";
import { GosetError } from "../errors.js";
import { parseGoMod, synthesizeGoMod } from "../gomod/gomodfile.js";
import { describePathMajorMismatch, splitPathVersion } from "../gomod/module.js";
import { build, canonical, canonicalModuleVersion, isPseudoVersion, isValid, major, prerelease, sortVersions } from "../gomod/semver.js";
import type { ModulePath, Version } from "../types.js";
import type { GitRepo, GitRevInfo } from "./gitrepo.js";
import { UnknownRevision } from "./gitrepo.js";
import { selectModuleFiles, type CandidateFile } from "./modfiles.js";
import { deflatedEntry, writeZip, ZipLimitError, type ZipEntryData } from "./zipwriter.js";

/** A module-level failure in a repository (missing go.mod, wrong major version, invalid files...). */
export class CodeRepoError extends Error {
  override readonly name = "CodeRepoError";
}

export interface ModuleLayout {
  readonly modPath: ModulePath;
  /** Import path of the repository root. */
  readonly root: ModulePath;
  /** Directory of the module in the repository ("" for the root). */
  readonly codeDir: string;
  /** "/v2", ".v1" or "". */
  readonly pathMajor: string;
  readonly pathPrefix: ModulePath;
}

export interface RevisionInfo {
  readonly Version: Version;
  /** RFC 3339, UTC, as cmd/go writes `.info`. */
  readonly Time: string;
}

export interface CodeRepo {
  versions(): Promise<Version[]>;
  stat(version: string): Promise<RevisionInfo>;
  goMod(version: Version): Promise<Buffer>;
  /** Writes the module zip to `destFile` (through `destFile.part`); resolves with its size. */
  zip(version: Version, destFile: string): Promise<number>;
}

interface ModuleDir {
  readonly hash: string;
  readonly dir: string;
  readonly goMod: Buffer | undefined;
}

const INCOMPATIBLE = "+incompatible";

function writeFailure(file: string, e: unknown): GosetError {
  return new GosetError("GOSET_WRITE", `${file}: ${(e as Error).message}`, {
    hint: "Check that the destination directory is writable and the disk is not full.",
    cause: e,
  });
}

function hasPathPrefix(path: string, prefix: string): boolean {
  return path === prefix || (path.startsWith(prefix) && (prefix.endsWith("/") || path[prefix.length] === "/"));
}

function joinDir(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

const trimIncompatible = (v: string): string => (v.endsWith(INCOMPATIBLE) ? v.slice(0, -INCOMPATIBLE.length) : v);

/** Where module `modPath` sits in a repository rooted at import path `root` (subdir from go-import). */
export function moduleLayout(root: ModulePath, subdir: string, modPath: ModulePath): ModuleLayout {
  if (!hasPathPrefix(modPath, root)) throw new CodeRepoError(`mismatched repo: found ${root} for ${modPath}`);
  const split = splitPathVersion(modPath);
  if (!split.ok) throw new CodeRepoError(`invalid module path "${modPath}"`);
  const pathPrefix = root === modPath ? modPath : split.prefix;
  let codeDir = "";
  if (root !== modPath) {
    if (!hasPathPrefix(pathPrefix, root)) throw new CodeRepoError(`repository rooted at ${root} cannot contain module ${modPath}`);
    codeDir = pathPrefix.slice(root.length).replace(/^\/+|\/+$/g, "");
  }
  return { modPath, root, codeDir: joinDir(codeDir, subdir), pathMajor: split.pathMajor, pathPrefix };
}

/** modfile.ModulePath: the module path a go.mod declares, or "" (a fast scan, no full parse). */
export function modulePathOfGoMod(text: string): string {
  for (const raw of text.split("\n")) {
    const line = raw.split("//")[0]?.trim() ?? "";
    if (!line.startsWith("module")) continue;
    const rest = line.slice("module".length);
    const trimmed = rest.trim();
    if (trimmed.length === rest.length || trimmed === "") continue;
    if (trimmed.startsWith("`")) return trimmed.length > 1 && trimmed.endsWith("`") ? trimmed.slice(1, -1) : "";
    if (trimmed.startsWith('"')) {
      try {
        return JSON.parse(trimmed) as string;
      } catch {
        return "";
      }
    }
    return trimmed;
  }
  return "";
}

/** Whether a go.mod's module path `mpath` belongs to major version `pathMajor` (cmd/go isMajor). */
export function isMajor(mpath: string, pathMajor: string): boolean {
  if (mpath === "") return false;
  const split = splitPathVersion(mpath);
  if (!split.ok) return false;
  if (pathMajor === "") {
    const m = split.pathMajor.replace(/^[./]/, "").replace(/-unstable$/, "");
    return m === "" || m === "v0" || m === "v1";
  }
  return split.pathMajor !== "" && pathMajor.slice(1) === split.pathMajor.slice(1);
}

/** The tags of a repository that are versions of the module: compatible ones and +incompatible candidates. */
export function versionsFromTags(tags: Iterable<string>, layout: ModuleLayout): { list: Version[]; incompatible: Version[] } {
  const prefix = layout.codeDir === "" ? "" : `${layout.codeDir}/`;
  const list: Version[] = [];
  const incompatible: Version[] = [];
  for (const tag of tags) {
    if (!tag.startsWith(prefix)) continue;
    const v = tag.slice(prefix.length);
    if (v === "" || v !== canonical(v) || isPseudoVersion(v)) continue;
    if (describePathMajorMismatch(v, layout.pathMajor) !== undefined) {
      if (layout.codeDir === "" && layout.pathMajor === "" && major(v) > "v1") incompatible.push(v);
      continue;
    }
    list.push(v);
  }
  return { list: sortVersions(list), incompatible: sortVersions(incompatible) };
}

/** The git revision naming a version: its tag (in the module's directory), or a pseudo-version's commit. */
export function revisionFor(version: Version, codeDir: string): string {
  if (isPseudoVersion(version)) return pseudoVersionRev(version);
  const base = build(version) === INCOMPATIBLE ? trimIncompatible(version) : version;
  return codeDir === "" ? base : `${codeDir}/${base}`;
}

export function pseudoVersionRev(v: Version): string {
  const body = v.split("+")[0] ?? v;
  return body.slice(body.lastIndexOf("-") + 1);
}

/** The `yyyymmddhhmmss` of a pseudo-version. */
export function pseudoVersionTime(v: Version): string {
  const body = v.split("+")[0] ?? v;
  const rest = body.slice(0, body.lastIndexOf("-"));
  return rest.slice(-14);
}

function formatTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

function compactTime(seconds: number): string {
  return formatTime(seconds).replace(/[-:TZ]/g, "");
}

/** The file kind archive/zip reports for an entry (FileHeader.Mode). */
function entryKind(e: Entry): CandidateFile["kind"] {
  const creator = e.versionMadeBy >>> 8;
  if (creator === 3 || creator === 19) {
    const type = (e.externalFileAttributes >>> 16) & 0o170000;
    if (type === 0o120000) return "symlink";
    return type === 0 || type === 0o100000 ? "file" : "other";
  }
  if ((creator === 0 || creator === 11 || creator === 14) && (e.externalFileAttributes & 0x10) !== 0) return "other";
  return "file";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

interface ArchiveFile extends CandidateFile {
  readonly entry: ZipEntryData;
}

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function goLineOf(goMod: Buffer | undefined): string | undefined {
  if (goMod === undefined) return undefined;
  try {
    return parseGoMod(goMod.toString("utf8"), "go.mod", { strict: false }).go;
  } catch {
    return undefined;
  }
}

/** The files of `dir` in a `git archive --prefix=prefix/` zip, named relative to `dir`, and the module's go.mod bytes. */
async function archiveFiles(zip: ZipFile, dir: string): Promise<{ files: ArchiveFile[]; goMod: Buffer | undefined }> {
  const files: ArchiveFile[] = [];
  let goMod: Buffer | undefined;
  let top: string | undefined;
  const sub = dir === "" ? "" : `${dir}/`;
  for await (const e of zip.eachEntry()) {
    let name: string;
    let validUtf8 = true;
    try {
      name = utf8.decode(e.fileNameRaw);
    } catch {
      name = new TextDecoder("utf-8").decode(e.fileNameRaw);
      validUtf8 = false;
    }
    if (top === undefined) {
      const slash = name.indexOf("/");
      if (slash < 0) throw new CodeRepoError("git archive: missing top-level directory prefix");
      top = name.slice(0, slash + 1);
    }
    if (!name.startsWith(top)) throw new CodeRepoError("git archive: zip file contains more than one top-level directory");
    if (!name.startsWith(top + sub)) continue;
    const path = name.slice(top.length + sub.length);
    if (path === "" || path.endsWith("/")) continue;
    if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
      throw new CodeRepoError(`git archive: ${path} uses compression method ${e.compressionMethod}`);
    }
    if (path === "go.mod") goMod = await readStream(await zip.openReadStreamPromise(e));
    const entry: ZipEntryData = {
      name: path,
      method: e.compressionMethod,
      crc32: e.crc32,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
      data: () => zip.openReadStreamPromise(e, e.compressionMethod === 8 ? { decompress: false } : {}) as Promise<AsyncIterable<Buffer>>,
    };
    files.push({ path, kind: entryKind(e), size: e.uncompressedSize, validUtf8, entry });
  }
  return { files, goMod };
}

export function createCodeRepo(git: GitRepo, layout: ModuleLayout): CodeRepo {
  const repo: RepoModule = { git, layout };
  return {
    versions: () => listVersions(repo),
    stat: (version) => statVersion(repo, version),
    async goMod(version) {
      if (isPseudoVersion(version)) await statVersion(repo, version);
      const { goMod } = await findModuleDir(repo, version);
      return goMod ?? Buffer.from(synthesizeGoMod(layout.modPath));
    },
    zip: (version, destFile) => writeModuleZip(repo, version, destFile),
  };
}

/** A module in a git repository: what each of createCodeRepo's stages works on. */
interface RepoModule {
  readonly git: GitRepo;
  readonly layout: ModuleLayout;
}

const problem = (layout: ModuleLayout, version: string, what: string): CodeRepoError => new CodeRepoError(`${layout.modPath}@${version}: ${what}`);

/** The module's versions: its tags in its directory, and cmd/go's +incompatible ones. */
async function listVersions({ git, layout }: RepoModule): Promise<Version[]> {
  const tags = [...(await git.refs()).keys()].filter((r) => r.startsWith("refs/tags/")).map((r) => r.slice("refs/tags/".length));
  const { list, incompatible } = versionsFromTags(tags, layout);
  return appendIncompatible({ git, layout }, list, incompatible);
}

// cmd/go appendIncompatibleVersions: vN tags without go.mod count as vN.x.y+incompatible.
async function appendIncompatible({ git, layout }: RepoModule, list: Version[], incompatible: Version[]): Promise<Version[]> {
  if (incompatible.length === 0 || layout.pathMajor !== "") return list;
  const versionHasGoMod = async (v: Version): Promise<boolean> => {
    const { hash } = await git.stat(v);
    return (await git.readFile(hash, "go.mod")) !== undefined;
  };
  const last = list.at(-1);
  if (last !== undefined && (await versionHasGoMod(last))) return list;
  const out = [...list];
  const majors = [...new Set(incompatible.map(major))];
  for (const m of majors) {
    const atMajor = incompatible.filter((v) => major(v) === m);
    if (await versionHasGoMod(atMajor.at(-1) as Version)) continue;
    out.push(...atMajor.map((v) => v + INCOMPATIBLE));
  }
  return out;
}

/** The commit of a version: its tag must exist, a pseudo-version's commit is looked up. */
async function statRevision({ git, layout }: RepoModule, version: Version): Promise<GitRevInfo> {
  const rev = revisionFor(version, layout.codeDir);
  if (!isPseudoVersion(version) && !(await git.refs()).has(`refs/tags/${rev}`)) {
    throw new UnknownRevision(`unknown revision ${rev}`);
  }
  return git.stat(rev);
}

/** A version's info: a pseudo-version must match its commit, and the version must be canonical for the module. */
async function statVersion(repo: RepoModule, version: string): Promise<RevisionInfo> {
  if (!isValid(version) || canonicalModuleVersion(version) !== version) {
    throw problem(repo.layout, version, "update-set resolves only canonical versions (tags and pseudo-versions) from version control");
  }
  const info = await statRevision(repo, version);
  if (isPseudoVersion(version)) {
    const rev = pseudoVersionRev(version);
    if (rev !== info.hash.slice(0, 12)) throw problem(repo.layout, version, `does not match short name of revision (expected ${info.hash.slice(0, 12)})`);
    if (pseudoVersionTime(version) !== compactTime(info.time)) {
      throw problem(repo.layout, version, `does not match version-control timestamp (expected ${compactTime(info.time)})`);
    }
  }
  return { Version: await checkCanonical(repo, version, info.hash), Time: formatTime(info.time) };
}

// cmd/go checkCanonical for a requested canonical version: the version it names, +incompatible as appropriate.
async function checkCanonical(repo: RepoModule, statVers: Version, hash: string): Promise<Version> {
  const { pathMajor, pathPrefix } = repo.layout;
  await findModuleDir(repo, statVers);
  const base = trimIncompatible(statVers);
  let v = statVers;
  if (describePathMajorMismatch(base, pathMajor) !== undefined) {
    if (!(await canUseIncompatible(repo, base, statVers, hash))) {
      throw problem(
        repo.layout,
        statVers,
        pathMajor !== ""
          ? "module path includes a major version suffix, so major version must match"
          : `module contains a go.mod file, so module path must match major version ("${pathPrefix}/${major(base)}")`,
      );
    }
    v = base + INCOMPATIBLE;
  } else if (statVers.endsWith(INCOMPATIBLE)) {
    throw problem(repo.layout, statVers, `+incompatible suffix not allowed: major version ${major(base)} is compatible`);
  }
  return v;
}

async function canUseIncompatible({ git, layout }: RepoModule, v: Version, statVers: string, hash: string): Promise<boolean> {
  if (layout.codeDir !== "" || layout.pathMajor !== "") return false;
  if ((await git.readFile(hash, "go.mod")) !== undefined) return false;
  if (!statVers.endsWith(INCOMPATIBLE) && (await git.readFile(hash, `${major(v)}/go.mod`)) !== undefined) return false;
  return true;
}

async function readGoModAt(git: GitRepo, hash: string, file: string): Promise<{ bytes: Buffer | undefined; mpath: string }> {
  const bytes = await git.readFile(hash, file);
  return { bytes, mpath: bytes === undefined ? "" : modulePathOfGoMod(bytes.toString("utf8")) };
}

// cmd/go findDir: the module's go.mod is in codeDir, or for /vN paths possibly in codeDir/vN.
async function findModuleDir(repo: RepoModule, version: Version): Promise<ModuleDir> {
  const { git, layout } = repo;
  const { modPath, codeDir, pathMajor, pathPrefix, root } = layout;
  const { hash } = await statRevision(repo, version);
  const file1 = joinDir(codeDir, "go.mod");
  const g1 = await readGoModAt(git, hash, file1);
  const found1 = g1.bytes !== undefined && (isMajor(g1.mpath, pathMajor) || (pathMajor === "" && g1.mpath.startsWith("gopkg.in/")));
  let file2 = "";
  if (pathMajor !== "" && root !== modPath && !pathMajor.startsWith(".")) {
    const dir2 = joinDir(codeDir, pathMajor.slice(1));
    file2 = joinDir(dir2, "go.mod");
    const g2 = await readGoModAt(git, hash, file2);
    const found2 = g2.bytes !== undefined && isMajor(g2.mpath, pathMajor);
    if (found1 && found2) throw problem(layout, version, `${pathPrefix}/${file1} and ...${pathMajor}/go.mod both have ...${pathMajor} module paths`);
    if (found2) return { hash, dir: dir2, goMod: g2.bytes };
    if (g2.bytes !== undefined) {
      throw problem(layout, version, g2.mpath === "" ? `${root}/${file2} is missing module path` : `${root}/${file2} has non-...${pathMajor} module path "${g2.mpath}"`);
    }
  }
  if (found1) return { hash, dir: codeDir, goMod: g1.bytes };
  if (g1.bytes !== undefined) {
    const suffix = file2 === "" ? "" : ` (and ...${pathMajor}/go.mod does not exist)`;
    throw problem(layout, version, g1.mpath === "" ? `${file1} is missing module path${suffix}` : `${file1} has module path "${g1.mpath}"${suffix}, which does not fit ${modPath}`);
  }
  if (codeDir === "" && (pathMajor === "" || pathMajor.startsWith("."))) return { hash, dir: "", goMod: undefined };
  throw problem(layout, version, file2 === "" ? `missing ${pathPrefix}/go.mod` : `missing ${pathPrefix}/go.mod and ...${pathMajor}/go.mod`);
}

/** The module zip: `git archive` of the module's directory, x/mod/zip's file rules, written through `destFile.part`. */
async function writeModuleZip(repo: RepoModule, version: Version, destFile: string): Promise<number> {
  if (isPseudoVersion(version)) await statVersion(repo, version);
  const { hash, dir } = await findModuleDir(repo, version);
  const archiveFile = `${destFile}.git.zip`;
  const part = `${destFile}.part`;
  await mkdir(dirname(destFile), { recursive: true }).catch((e: unknown) => {
    throw writeFailure(dirname(destFile), e);
  });
  try {
    await repo.git.archive(hash, dir, archiveFile);
    const archive = await yauzl.openPromise(archiveFile, { lazyEntries: true, autoClose: false, decodeStrings: false });
    try {
      const files = await moduleZipFiles(repo, version, archive, hash, dir);
      const prefix = `${repo.layout.modPath}@${version}/`;
      await writeZip(part, files.map((f) => ({ ...f.entry, name: prefix + f.path }))).catch((e: unknown) => {
        throw e instanceof ZipLimitError ? problem(repo.layout, version, `cannot make a module zip: ${e.message}`) : writeFailure(part, e);
      });
    } finally {
      archive.close();
    }
    await rename(part, destFile).catch((e: unknown) => {
      throw writeFailure(destFile, e);
    });
    return (await statFile(destFile)).size;
  } finally {
    await rm(archiveFile, { force: true });
    await rm(part, { force: true });
  }
}

/** The files of the module zip: the archive's files in `dir`, the repository's LICENSE for a subdirectory module, by x/mod/zip's rules. */
async function moduleZipFiles(repo: RepoModule, version: Version, archive: ZipFile, hash: string, dir: string): Promise<readonly ArchiveFile[]> {
  const { files, goMod } = await archiveFiles(archive, dir);
  if (dir !== "" && !files.some((f) => f.path === "LICENSE")) {
    const license = await repo.git.readFile(hash, "LICENSE");
    if (license !== undefined) files.push({ path: "LICENSE", kind: "file", size: license.length, entry: deflatedEntry("LICENSE", license) });
  }
  const chosen = selectModuleFiles(files, goLineOf(goMod));
  if (chosen.invalid.length > 0) {
    const list = chosen.invalid.slice(0, 5).map((p) => `${p.path}: ${p.reason}`).join("; ");
    throw problem(repo.layout, version, `cannot make a module zip: ${list}`);
  }
  return chosen.valid;
}

/** The highest release, else the highest pre-release, of a version list. */
export function latestOf(versions: readonly Version[]): Version | undefined {
  const releases = versions.filter((v) => prerelease(v) === "");
  return (releases.length > 0 ? releases : versions).at(-1);
}

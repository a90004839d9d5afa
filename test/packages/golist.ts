/** The real go's view of packages (`go list`), and ours of the same directories, for differential tests. */
import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BuildContext } from "../../generator/packages/constraint.js";
import { fileMatches } from "../../generator/packages/constraint.js";
import type { GoFileHeader } from "../../generator/packages/gofile.js";
import { scanGoFileHeader } from "../../generator/packages/gofile.js";
import { parseJsonStream } from "../fixture/go.js";

export const GO = "/usr/local/go/bin/go";

/** What production scans of a file: its first MiB, decoded as UTF-8. */
const HEADER_LIMIT = 1 << 20;

/** The fields of `go list -json` the comparison reads. */
export interface ListedPackage {
  readonly Dir: string;
  readonly ImportPath: string;
  readonly GoFiles?: readonly string[];
  readonly CgoFiles?: readonly string[];
  readonly IgnoredGoFiles?: readonly string[];
  readonly InvalidGoFiles?: readonly string[];
  readonly Imports?: readonly string[];
}

function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(GO, [...args], { cwd, env, maxBuffer: 256 << 20, encoding: "utf8" }, (error, stdout, stderr) => {
      // go list -e and go mod download -json report per-item errors in their JSON and may still exit 1.
      if (error !== null && !stdout.includes("{")) reject(new Error(`go ${args.join(" ")} in ${cwd}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** The parent's environment without GO* variables (GOENV=off drops the go env file too). */
function cleanEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("GO") && k !== "CGO_ENABLED") env[k] = v;
  return { ...env, GOENV: "off", GOTOOLCHAIN: "local", GOWORK: "off", ...overrides };
}

/** The machine's own go settings, read once (the proxy to download from and where modules land). */
async function machineGoEnv(): Promise<Record<string, string>> {
  const out = await run(["env", "-json", "GOPROXY", "GOMODCACHE", "GONOSUMDB", "GOSUMDB", "GOPRIVATE", "GOINSECURE"], process.cwd(), {
    ...process.env,
    GOTOOLCHAIN: "local",
  });
  const values = JSON.parse(out) as Record<string, string>;
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ""));
}

export interface ModuleDownload {
  readonly Path: string;
  readonly Version: string;
  readonly Dir?: string;
  readonly GoMod?: string;
  readonly Error?: string;
}

/** `go mod download -json` through the machine's GOPROXY into its module cache (a no-op for modules already there). */
export async function downloadModules(modules: readonly string[], cwd: string): Promise<Map<string, ModuleDownload>> {
  const env = cleanEnv({ ...(await machineGoEnv()), GOFLAGS: "-mod=mod" });
  const out = await run(["mod", "download", "-json", ...modules], cwd, env);
  return new Map(parseJsonStream<ModuleDownload>(out).map((d) => [`${d.Path}@${d.Version}`, d]));
}

/**
 * Copies the Go sources and go.mod/go.sum of a module tree into a writable
 * directory (go list must never run inside the read-only module cache, where
 * root could still write).
 */
export async function copyGoTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    if (e.isDirectory()) await copyGoTree(join(from, e.name), join(to, e.name));
    else if (e.isFile() && (e.name.endsWith(".go") || e.name === "go.mod" || e.name === "go.sum")) {
      await copyFile(join(from, e.name), join(to, e.name));
      await chmod(join(to, e.name), 0o644); // the module cache's files are read-only
    }
  }
}

/**
 * Rewrites a module's go.mod to its module and go lines only. With GOPROXY=off
 * the requirements' go.mod files may be missing and go list would fail as a
 * whole; without requirements it reports the unresolved imports per package
 * (-e) and still lists every file.
 */
export async function dropRequirements(moduleRoot: string): Promise<void> {
  const out = await run(["mod", "edit", "-json"], moduleRoot, cleanEnv({ GOPROXY: "off", GOFLAGS: "" }));
  const mod = JSON.parse(out) as { Module: { Path: string }; Go?: string };
  await writeFile(join(moduleRoot, "go.mod"), `module ${mod.Module.Path}\n${mod.Go === undefined ? "" : `\ngo ${mod.Go}\n`}`);
}

/**
 * Directories (relative, "." for the root) that hold .go files and that
 * `./...` would walk: no testdata, vendor, "_" or "." directories, no nested
 * modules.
 */
export async function packageDirs(root: string, rel = "."): Promise<string[]> {
  const dir = rel === "." ? root : join(root, rel);
  const entries = await readdir(dir, { withFileTypes: true });
  if (rel !== "." && entries.some((e) => e.isFile() && e.name === "go.mod")) return [];
  const out = entries.some((e) => e.isFile() && e.name.endsWith(".go")) ? [rel] : [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith(".") || e.name.startsWith("_") || e.name === "testdata" || e.name === "vendor") continue;
    out.push(...(await packageDirs(root, rel === "." ? e.name : `${rel}/${e.name}`)));
  }
  return out;
}

export function platformName(ctx: BuildContext): string {
  return `${ctx.goos}/${ctx.goarch}${ctx.cgo ? "" : " nocgo"}${ctx.tags.length > 0 ? ` -tags=${ctx.tags.join(",")}` : ""}`;
}

export function contextEnv(ctx: BuildContext): NodeJS.ProcessEnv {
  const flags = ["-mod=mod", ...(ctx.tags.length > 0 ? [`-tags=${ctx.tags.join(",")}`] : [])];
  return cleanEnv({
    GOOS: ctx.goos,
    GOARCH: ctx.goarch,
    CGO_ENABLED: ctx.cgo ? "1" : "0",
    GOFLAGS: flags.join(" "),
    GOPROXY: "off",
    GOSUMDB: "off",
  });
}

/** `go list -e -json` of the given package directories (relative to the module root). */
export async function goList(moduleRoot: string, ctx: BuildContext, dirs: readonly string[]): Promise<ListedPackage[]> {
  const fields = "Dir,ImportPath,GoFiles,CgoFiles,IgnoredGoFiles,InvalidGoFiles,Imports";
  const patterns = dirs.map((d) => (d === "." ? "." : `./${d}`));
  const out = await run(["list", "-e", `-json=${fields}`, ...patterns], moduleRoot, contextEnv(ctx));
  return parseJsonStream<ListedPackage>(out);
}

/** The non-test Go files of a directory as our scanner sees them (the first MiB of each). */
export async function scanDirectory(dir: string): Promise<Map<string, GoFileHeader | undefined>> {
  const out = new Map<string, GoFileHeader | undefined>();
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith(".go")).map((e) => e.name);
  for (const name of names.sort()) {
    if (name.endsWith("_test.go") || name.startsWith("_") || name.startsWith(".")) continue;
    const bytes = await readFile(join(dir, name));
    out.set(name, scanGoFileHeader(bytes.subarray(0, HEADER_LIMIT).toString("utf8")));
  }
  return out;
}

/** A package as seen by go list or by us, in comparable form. */
export interface PackageView {
  readonly goFiles: readonly string[];
  readonly cgoFiles: readonly string[];
  readonly notBuilt: readonly string[];
  readonly imports: readonly string[];
}

/** Our prediction of go list for one directory. Files without a package clause count as not built. */
export function predictPackage(ctx: BuildContext, files: ReadonlyMap<string, GoFileHeader | undefined>): PackageView {
  const goFiles: string[] = [];
  const cgoFiles: string[] = [];
  const notBuilt: string[] = [];
  const imports = new Set<string>();
  for (const [name, header] of files) {
    if (header === undefined || !fileMatches(ctx, name, header)) {
      notBuilt.push(name);
      continue;
    }
    (header.importsC ? cgoFiles : goFiles).push(name);
    for (const i of header.imports) imports.add(i);
    if (header.importsC) imports.add("C");
  }
  return { goFiles, cgoFiles, notBuilt, imports: [...imports].sort() };
}

/** go list's answer for the same files (test files left out, as predictPackage has none). */
export function listedView(pkg: ListedPackage): PackageView {
  const nonTest = (names: readonly string[] | undefined): string[] => (names ?? []).filter((n) => !n.endsWith("_test.go"));
  const built = new Set([...nonTest(pkg.GoFiles), ...nonTest(pkg.CgoFiles)]);
  const notBuilt = [...nonTest(pkg.IgnoredGoFiles), ...nonTest(pkg.InvalidGoFiles).filter((n) => !built.has(n))];
  return {
    goFiles: nonTest(pkg.GoFiles).sort(),
    cgoFiles: nonTest(pkg.CgoFiles).sort(),
    notBuilt: [...new Set(notBuilt)].sort(),
    imports: [...(pkg.Imports ?? [])].sort(),
  };
}

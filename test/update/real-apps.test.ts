/**
 * update-set on the bundled set's real applications, through this machine's
 * real Go module proxy, compared with the real go and nix: each leaf's build
 * list with `go list -m all` in the leaf module, every module's sums with
 * `go mod download -json`, and every hash with `nix hash path` of what go
 * extracted. The committed set must also be what update-set generates.
 * The package-level and hash comparisons run on a set of a sample of the
 * leaves (tags, holds, cgo, a go.mod cycle, 600 modules): all 35 would take
 * CI's two cores most of an hour and several gigabytes of module cache.
 */
import { execFile } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { compare } from "../../generator/gomod/semver.js";
import type { GoModDownload } from "../fixture/index.js";
import { copyTree, makeTempDir, parseJsonStream, removeTree, runGo } from "../fixture/index.js";
import type { Lock } from "./helpers.js";
import { readLock, REPO, runCli } from "./helpers.js";

const run = promisify(execFile);
const temps: string[] = [];
let setDir: string;
let lock: Lock;
/** The set of the sample leaves, for the package and hash comparisons. */
let sampleDir: string;
let sample: Lock;
const SAMPLE = ["air", "caddy", "dlv", "fzf", "gitleaks", "gopls", "lefthook", "sqlc"];
let goEnv: NodeJS.ProcessEnv;
let downloads: Map<string, GoModDownload>;
let cacheHome: string;

function ownSelection(name: string): string[] {
  const leaf = lock.leaves[name];
  if (!leaf) throw new Error(`no leaf ${name}`);
  const lines = leaf.requires.map((p) => `${p} ${leaf.upgraded[p]?.from ?? lock.modules[p]?.version ?? lock.goModOnly[p]?.version}`);
  for (const [p, r] of Object.entries(leaf.replaces ?? {})) lines.push(`${p} => ${r.path} ${r.version}`);
  return lines.sort();
}

/** A writable copy of a module leaf's source, as go downloads it. */
async function leafCheckout(spec: { module: string; version: string }): Promise<string> {
  const { stdout } = await runGo(["mod", "download", "-json", `${spec.module}@${spec.version}`], { cwd: setDir, env: goEnv });
  const dir = await makeTempDir("goset-real-leaf-");
  temps.push(dir);
  await copyTree((JSON.parse(stdout) as GoModDownload).Dir ?? "", dir);
  await run("chmod", ["-R", "u+w", dir]);
  return dir;
}

beforeAll(async () => {
  setDir = await makeTempDir("goset-real-");
  sampleDir = await makeTempDir("goset-real-sample-");
  const modCache = await makeTempDir("goset-real-modcache-");
  temps.push(setDir, sampleDir, modCache);
  await copyFile(join(REPO, "set", "leaves.yaml"), join(setDir, "leaves.yaml"));
  cacheHome = process.env["GOSET_TEST_CACHE_HOME"] ?? (await makeTempDir("goset-real-cache-"));
  const res = await runCli(["--set", setDir, "--strict"], { ...process.env, XDG_CACHE_HOME: cacheHome });
  if (res.code !== 0) throw new Error(res.stderr);
  lock = await readLock(setDir);
  const doc = parseDocument(await readFile(join(REPO, "set", "leaves.yaml"), "utf8"));
  for (const name of Object.keys(lock.leaves)) if (!SAMPLE.includes(name)) doc.deleteIn(["leaves", name]);
  await writeFile(join(sampleDir, "leaves.yaml"), doc.toString());
  const sampled = await runCli(["--set", sampleDir, "--strict"], { ...process.env, XDG_CACHE_HOME: cacheHome });
  if (sampled.code !== 0) throw new Error(sampled.stderr);
  sample = await readLock(sampleDir);
  goEnv = { ...process.env, GOMODCACHE: modCache, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local", GOWORK: "off" };
  const targets = Object.entries(sample.modules).map(([p, m]) => `${p}@${m.version}`);
  const { stdout } = await run("go", ["mod", "download", "-json", ...targets], { cwd: setDir, env: goEnv, maxBuffer: 256 << 20 });
  downloads = new Map(parseJsonStream<GoModDownload>(stdout).map((d) => [d.Path, d]));
}, 1_800_000);

afterAll(async () => {
  for (const t of temps) await removeTree(t);
});

describe("update-set on real applications through the real proxy", () => {
  it("reruns warm without the network: nothing fetched, nothing written", async () => {
    const res = await runCli(["--set", setDir, "--json"], { ...process.env, XDG_CACHE_HOME: cacheHome, GOPROXY: "off" });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ upToDate: true, zipDownloads: 0, goModFetches: 0 });
  });

  it("generates exactly the committed set", async () => {
    for (const f of ["set.lock.yaml", "default.nix"]) {
      expect(await readFile(join(setDir, f), "utf8")).toBe(await readFile(join(REPO, "set", f), "utf8"));
    }
  });

  it("selects, for each leaf, what `go list -m all` selects in the leaf module (with the set's pins and the leaf's holds applied as go get would)", async () => {
    const file = parse(await readFile(join(setDir, "leaves.yaml"), "utf8")) as {
      leaves: Record<string, { module: string; version: string; hold?: Record<string, string | { version: string }> }>;
      pins?: Record<string, string>;
    };
    expect(Object.keys(file.leaves).length).toBeGreaterThanOrEqual(3);
    const format = "{{if not .Main}}{{.Path}}{{with .Replace}} => {{.Path}} {{.Version}}{{else}} {{.Version}}{{end}}{{end}}";
    for (const [name, spec] of Object.entries(file.leaves)) {
      const dir = await leafCheckout(spec);
      const own = (await runGo(["list", "-m", "-f", format, "all"], { cwd: dir, env: goEnv })).stdout.split("\n").filter(Boolean).sort();
      const ownVersions = new Map(own.map((l) => l.split(" ") as [string, string]));
      const holds = Object.entries(spec.hold ?? {}).map(([path, h]) => [path, typeof h === "string" ? h : h.version] as const);
      const held = new Set(holds.map(([path]) => path));
      const pins = [
        ...Object.entries(file.pins ?? {}).filter(([path, v]) => !held.has(path) && ownVersions.has(path) && compare(v, ownVersions.get(path) ?? "") > 0),
        ...holds.filter(([path]) => ownVersions.has(path)),
      ];
      const mine = ownSelection(name);
      if (pins.length === 0) {
        expect({ name, list: mine }).toEqual({ name, list: own });
        continue;
      }
      // Every module of the leaf's own build list but the held ones is recorded at its own version...
      const pathOf = (l: string) => l.split(" ")[0] ?? "";
      expect({ name, list: mine.filter((l) => ownVersions.has(pathOf(l)) && !held.has(pathOf(l))) }).toEqual({ name, list: own.filter((l) => !held.has(pathOf(l))) });
      // ...and the set holds exactly the modules go selects once the pins are required.
      await runGo(["mod", "edit", ...pins.map(([path, v]) => `-require=${path}@${v}`)], { cwd: dir, env: goEnv });
      const pinned = (await runGo(["list", "-m", "-f", "{{if not .Main}}{{.Path}}{{end}}", "all"], { cwd: dir, env: goEnv })).stdout.split("\n").filter(Boolean).sort();
      expect({ name, paths: mine.map((l) => l.split(" ")[0]).sort() }).toEqual({ name, paths: pinned });
    }
  }, 1_800_000);

  it("lists for each member exactly the packages go loads for the sample's leaves at its versions, on the set's platforms, and the members they import", async () => {
    const file = parse(await readFile(join(sampleDir, "leaves.yaml"), "utf8")) as { leaves: Record<string, { module: string; version: string; subPackages?: string[]; tags?: string[] }> };
    const loaded = new Map<string, Set<string>>(Object.keys(sample.modules).map((p) => [p, new Set<string>()]));
    const edges = new Map<string, Set<string>>();
    for (const [name, spec] of Object.entries(file.leaves)) {
      const dir = await leafCheckout(spec);
      const leaf = sample.leaves[name];
      // Every member at exactly the set's version, whatever go would select (the Nix builds close the graph over the set likewise).
      const pinAll = Object.entries(sample.modules).filter(([p]) => p !== leaf?.modulePath).map(([p, m]) => `-replace=${p}=${p}@${m.version}`);
      await runGo(["mod", "edit", ...pinAll], { cwd: dir, env: goEnv });
      const patterns = (spec.subPackages ?? ["."]).map((p) => (p === "." ? "." : `./${p}`));
      for (const [goos, goarch] of [["linux", "amd64"], ["linux", "arm64"], ["darwin", "amd64"], ["darwin", "arm64"]]) {
        // With the leaf's build tags, as its Nix build compiles it.
        const tags = spec.tags === undefined ? [] : ["-tags", spec.tags.join(",")];
        const { stdout } = await runGo(["list", "-e", "-deps", ...tags, "-f", "{{if .Module}}{{.Module.Path}} {{.ImportPath}} {{join .Imports \",\"}}{{end}}", ...patterns], {
          cwd: dir,
          env: { ...goEnv, GOOS: goos, GOARCH: goarch, CGO_ENABLED: "1" },
        });
        const moduleOf = new Map<string, string>();
        const imports: [string, string[]][] = [];
        for (const line of stdout.split("\n").filter(Boolean)) {
          const [module, importPath, imported = ""] = line.split(" ") as [string, string, string?];
          moduleOf.set(importPath, module);
          imports.push([importPath, imported.split(",").filter(Boolean)]);
          if (module !== leaf?.modulePath) loaded.get(module)?.add(importPath === module ? "." : importPath.slice(module.length + 1));
        }
        // module -> the members its loaded packages import; the leaf's own module under the leaf's name
        for (const [importPath, imported] of imports) {
          const module = moduleOf.get(importPath) ?? "";
          const from = module === leaf?.modulePath ? `leaf ${name}` : module;
          for (const to of imported.map((i) => moduleOf.get(i) ?? "")) {
            if (to !== module && sample.modules[to] !== undefined) edges.set(from, (edges.get(from) ?? new Set()).add(to));
          }
        }
      }
    }
    const listed = Object.fromEntries(Object.entries(sample.modules).map(([p, m]) => [p, (m as { packages?: string[] }).packages ?? []]));
    expect(listed).toEqual(Object.fromEntries([...loaded].map(([p, dirs]) => [p, [...dirs].sort()])));
    // The derivation graph must hold every import go follows: a member builds against the members its
    // listed packages import, a leaf against those its own packages import. (It may hold more: update-set
    // takes a package's imports on all the set's platforms, even where only one platform reaches the
    // package, as klauspost/cpuid's darwin-only import of x/sys shows; the fixture test checks equality.)
    const missing = (from: string, imports: readonly string[]) => [...(edges.get(from) ?? [])].filter((to) => !imports.includes(to)).sort();
    const nonEmpty = (pairs: [string, string[]][]) => Object.fromEntries(pairs.filter(([, to]) => to.length > 0));
    const missingEdges = nonEmpty(Object.entries(sample.modules).map(([p, m]) => [p, missing(p, m.imports ?? [])]));
    expect(missingEdges).toEqual({});
    const missingLeafEdges = nonEmpty(Object.entries(sample.leaves).map(([name, l]) => [name, missing(`leaf ${name}`, l.imports)]));
    expect(missingLeafEdges).toEqual({});
    expect(edges.size).toBeGreaterThan(Object.keys(sample.leaves).length);
  }, 1_800_000);

  it("records go's sums and nix's hashes for every module of the sample's set", async () => {
    expect(downloads.size).toBe(Object.keys(sample.modules).length);
    for (const [path, m] of Object.entries(sample.modules)) {
      const d = downloads.get(path);
      const { stdout } = await run("nix", ["--extra-experimental-features", "nix-command", "hash", "path", "--sri", d?.Dir ?? "/nonexistent"]);
      expect({ path, sum: m.sum, goModSum: m.goModSum, hash: m.hash }).toEqual({ path, sum: d?.Sum, goModSum: d?.GoModSum, hash: stdout.trim() });
    }
  }, 1_800_000);

  it("verifies every module by a go.sum or the checksum database (--strict)", () => {
    const all = [...Object.values(lock.modules), ...Object.values(lock.goModOnly)] as { verified?: string }[];
    expect(all.filter((m) => m.verified !== "go.sum" && m.verified !== "sumdb")).toEqual([]);
    expect(Object.values(lock.modules).filter((m) => m.verified === "go.sum").length).toBeGreaterThan(Object.keys(lock.modules).length / 2);
    for (const leaf of Object.values(lock.leaves) as { verified?: string }[]) expect(leaf.verified).toBe("sumdb");
  });
});

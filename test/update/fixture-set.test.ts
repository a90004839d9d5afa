/**
 * update-set against the fixture proxy, compared with what the real go and
 * nix say about the same modules: versions (`go list -m all`), sums (the
 * go.sum lines go writes, `go mod download -json`), and hashes (`nix hash
 * path` of the directory go extracted).
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGoSum } from "../../generator/gomod/gosum.js";
import type { Fixture, GoModDownload } from "../fixture/index.js";
import { parseLock, renderLock } from "../../generator/render/lock.js";
import { copyTree, downloadModules, listFiles, makeTempDir, prepareFixture, removeTree, runGo } from "../fixture/index.js";
import type { Lock } from "./helpers.js";
import { makeFixtureSet, readLock, runCli, updateEnv } from "./helpers.js";

let fx: Fixture;
let setDir: string;
let cacheHome: string;
let lock: Lock;
let firstRun: { code: number; stdout: string; stderr: string };
const temps: string[] = [];

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(dir)) out[f] = await readFile(join(dir, f), "utf8");
  return out;
}

/** A leaf's own selection, rebuilt from the lock: the set's version unless the set raised it. */
function ownSelection(name: string): string[] {
  const leaf = lock.leaves[name];
  if (!leaf) throw new Error(`no leaf ${name}`);
  const lines = leaf.requires.map((p) => `${p} ${leaf.upgraded[p]?.from ?? lock.modules[p]?.version ?? lock.goModOnly[p]?.version}`);
  for (const [p, r] of Object.entries(leaf.replaces ?? {})) lines.push(r.dir ? `${p} => ${r.dir}` : `${p} => ${r.path} ${r.version}`);
  return lines.sort();
}

/** `go list -m all` without the main module, replacements shown without the replaced version. */
async function goListAll(dir: string): Promise<string[]> {
  const { stdout } = await runGo(["list", "-m", "-f", "{{if not .Main}}{{.Path}}{{with .Replace}} => {{if .Version}}{{.Path}} {{.Version}}{{else}}{{.Path}}{{end}}{{else}} {{.Version}}{{end}}{{end}}", "all"], { cwd: dir, env: fx.goEnv() });
  return stdout.split("\n").filter((l) => l !== "").sort();
}

beforeAll(async () => {
  fx = await prepareFixture();
  setDir = await makeFixtureSet(fx);
  cacheHome = await makeTempDir("goset-cache-");
  temps.push(setDir, cacheHome);
  firstRun = await runCli(["--set", setDir], updateEnv(fx.proxyUrl, cacheHome));
  if (firstRun.code !== 0) throw new Error(`update-set failed: ${firstRun.stderr}`);
  lock = await readLock(setDir);
});

afterAll(async () => {
  for (const t of temps) await removeTree(t);
  await fx?.close();
});

describe("update-set on the fixture", () => {
  it.each(["leaf-a", "leaf-b", "leaf-c"])("selects what `go list -m all` selects for %s", async (name) => {
    const dir = fx.leaves[name];
    if (!dir) throw new Error(name);
    expect(ownSelection(name)).toEqual(await goListAll(dir));
  });

  it("selects what go selects for a leaf published as a module", async () => {
    const [hello] = await downloadModules(["example.com/app/hello@v1.0.0"], { cwd: fx.leavesDir, env: fx.goEnv() });
    expect(hello?.Dir).toBeDefined();
    const listed = await runGo(["list", "-m", "-f", "{{if not .Main}}{{.Path}} {{.Version}}{{end}}", "all"], { cwd: hello?.Dir ?? "", env: fx.goEnv({ GOFLAGS: "-mod=readonly" }) });
    expect(ownSelection("hello")).toEqual(listed.stdout.split("\n").filter(Boolean).sort());
    expect(lock.leaves["hello"]).toMatchObject({ modulePath: "example.com/app/hello" });
  });

  it("holds one version per path: the highest any leaf selects", () => {
    expect(lock.modules["example.com/shared/strutil"]?.version).toBe("v1.2.0");
    expect(lock.leaves["leaf-a"]?.upgraded["example.com/shared/strutil"]).toEqual({ from: "v1.0.0", to: "v1.2.0" });
    expect(lock.modules["example.com/cycle/a"]?.version).toBe("v1.1.0");
    expect(lock.leaves["leaf-b"]?.upgraded["example.com/cycle/a"]).toEqual({ from: "v1.0.0", to: "v1.1.0" });
    expect(lock.goModOnly["example.com/unpruned/kit"]?.version).toBe("v1.2.0");
  });

  it("keeps modules whose packages no leaf uses as go.mod-only entries, not set members", () => {
    // leaf-c imports only the root packages of old and other: deep and kit are graph nodes only
    expect(Object.keys(lock.goModOnly).sort()).toEqual(["example.com/unpruned/deep", "example.com/unpruned/kit"]);
    expect(lock.modules["example.com/unpruned/deep"]).toBeUndefined();
    expect(lock.leaves["leaf-c"]?.requires).toContain("example.com/unpruned/kit");
  });

  it("keeps replacements as the leaf's own entries", () => {
    expect(lock.modules["example.com/orig/greet"]).toBeUndefined();
    expect(lock.modules["example.com/fork/greet"]).toBeUndefined();
    expect(lock.leaves["leaf-a"]?.replaces?.["example.com/orig/greet"]).toMatchObject({ path: "example.com/fork/greet", version: "v1.0.1" });
    expect(lock.leaves["leaf-b"]?.replaces?.["example.com/local/util"]).toEqual({ dir: "./third_party/util" });
  });

  it("lists for each member exactly the packages go loads for the leaves, on the set's platforms", async () => {
    const platforms = [["linux", "amd64"], ["linux", "arm64"], ["darwin", "amd64"], ["darwin", "arm64"]] as const;
    const loaded = new Map<string, Set<string>>(Object.keys(lock.modules).map((p) => [p, new Set<string>()]));
    // module -> modules its loaded packages import, as go resolves the imports
    const edges = new Map<string, Set<string>>();
    const addEdges = (moduleOf: Map<string, string>, imports: Map<string, string[]>) => {
      for (const [pkg, imported] of imports) {
        const from = moduleOf.get(pkg) ?? "";
        for (const to of imported.map((i) => moduleOf.get(i)).filter((m): m is string => m !== undefined && m !== from && lock.modules[m] !== undefined)) {
          edges.set(from, (edges.get(from) ?? new Set()).add(to));
        }
      }
    };
    const [hello] = await downloadModules(["example.com/app/hello@v1.0.0"], { cwd: fx.leavesDir, env: fx.goEnv() });
    const sources: Record<string, string> = { ...fx.leaves, hello: hello?.Dir ?? "" };
    for (const [name, source] of Object.entries(sources)) {
      const leaf = lock.leaves[name] as (typeof lock.leaves)[string] & { subPackages: string[] };
      // the leaf's own tree, with every set member raised to the set's version
      const dir = await makeTempDir("goset-deps-");
      temps.push(dir);
      await copyTree(source, dir);
      execFileSync("chmod", ["-R", "u+w", dir]);
      const raise = leaf.requires.filter((p) => lock.modules[p] !== undefined).map((p) => `-require=${p}@${lock.modules[p]?.version}`);
      if (raise.length > 0) await runGo(["mod", "edit", ...raise], { cwd: dir, env: fx.goEnv() });
      for (const [goos, goarch] of platforms) {
        const patterns = leaf.subPackages.map((p) => (p === "." ? "." : `./${p.replace(/^\.\//, "")}`));
        const { stdout } = await runGo(["list", "-deps", "-f", "{{if .Module}}{{.Module.Path}} {{.ImportPath}} {{join .Imports \",\"}}{{end}}", ...patterns], {
          cwd: dir,
          env: fx.goEnv({ GOOS: goos, GOARCH: goarch, CGO_ENABLED: "1", GOFLAGS: "-mod=mod" }),
        });
        const moduleOf = new Map<string, string>();
        const imports = new Map<string, string[]>();
        for (const line of stdout.split("\n").filter(Boolean)) {
          const [module, importPath, imported = ""] = line.split(" ") as [string, string, string?];
          loaded.get(module)?.add(importPath === module ? "." : importPath.slice(module.length + 1));
          moduleOf.set(importPath, module);
          imports.set(importPath, imported.split(",").filter(Boolean));
        }
        addEdges(moduleOf, imports);
      }
    }
    const listed = Object.fromEntries(Object.entries(lock.modules).map(([p, m]) => [p, (m as { packages?: string[] }).packages]));
    expect(listed).toEqual(Object.fromEntries([...loaded].map(([p, dirs]) => [p, [...dirs].sort()])));
    expect(Object.values(listed).some((dirs) => (dirs?.length ?? 0) > 0)).toBe(true);

    // what each member builds against: the members its listed packages import
    const imports = Object.fromEntries(Object.entries(lock.modules).map(([p, m]) => [p, m.imports]));
    expect(imports).toEqual(Object.fromEntries(Object.keys(lock.modules).map((p) => [p, [...(edges.get(p) ?? [])].sort()])));
    // and each leaf without replacements, the members its own packages import
    for (const [name, leaf] of Object.entries(lock.leaves).filter(([, l]) => l.replaces === undefined)) {
      expect({ name, imports: leaf.imports }).toEqual({ name, imports: [...(edges.get(leaf.modulePath) ?? [])].sort() });
    }
    expect(Object.values(imports).some((i) => (i?.length ?? 0) > 0)).toBe(true);
  });

  it("finds the module cycle: a imports b, and b's bridge (which leaf-a imports) imports a", () => {
    const cycles = Object.values(lock.cycles);
    expect(cycles).toEqual([["example.com/cycle/a", "example.com/cycle/b"]]);
    const id = Object.keys(lock.cycles)[0];
    expect(lock.modules["example.com/cycle/a"]?.cycle).toBe(id);
    expect(lock.modules["example.com/cycle/b"]?.cycle).toBe(id);
  });

  it("records sums equal to go's, and NAR hashes equal to nix's over go's extraction", async () => {
    const targets = Object.entries(lock.modules).map(([p, m]) => `${p}@${m.version}`);
    const fork = lock.leaves["leaf-a"]?.replaces?.["example.com/orig/greet"];
    targets.push(`${fork?.path}@${fork?.version}`);
    const modCache = await makeTempDir("goset-modcache-");
    temps.push(modCache);
    const downloads: GoModDownload[] = await downloadModules(targets, { cwd: fx.leavesDir, env: fx.goEnv({ GOMODCACHE: modCache }) });
    expect(downloads).toHaveLength(targets.length);
    for (const d of downloads) {
      const entry = d.Path === fork?.path ? fork : lock.modules[d.Path];
      expect({ module: d.Path, sum: entry?.sum, hash: entry?.hash }).toEqual({
        module: d.Path,
        sum: d.Sum,
        hash: execFileSync("nix", ["--extra-experimental-features", "nix-command", "hash", "path", "--sri", d.Dir ?? ""], { encoding: "utf8" }).trim(),
      });
      if (d.Path !== fork?.path) expect(lock.modules[d.Path]?.goModSum).toBe(d.GoModSum);
    }
    for (const [path, m] of Object.entries(lock.goModOnly)) {
      const { stdout } = await runGo(["mod", "download", "-json", `${path}@${m.version}`], { cwd: fx.leavesDir, env: fx.goEnv({ GOMODCACHE: modCache }) });
      expect(m.goModSum).toBe((JSON.parse(stdout) as GoModDownload).GoModSum);
    }
  });

  it("verifies against the go.sum lines go wrote, and says which modules no go.sum covers", async () => {
    const covered = new Set<string>();
    for (const name of ["leaf-a", "leaf-b", "leaf-c"]) {
      const sums = parseGoSum(await readFile(join(fx.leaves[name] ?? "", "go.sum"), "utf8"), "go.sum");
      for (const [path, m] of Object.entries(lock.modules)) {
        const e = sums.get(`${path}@${m.version}`);
        if (e?.sum) {
          expect(m.sum).toBe(e.sum);
          covered.add(path);
        }
        if (e?.goModSum) expect(m.goModSum).toBe(e.goModSum);
      }
    }
    // every module the fixture leaves build with is covered by some go.sum
    for (const [path, m] of Object.entries(lock.modules)) {
      expect({ path, verified: m.verified }).toEqual({ path, verified: covered.has(path) ? "go.sum" : "none" });
    }
    expect(covered.size).toBe(Object.keys(lock.modules).length);
  });

  it("counts, with GOSUMDB=off, every module version no go.sum covers as not verified: go.mod-only entries and the module leaf too", async () => {
    const res = await runCli(["--set", setDir, "--json"], updateEnv(fx.proxyUrl, cacheHome));
    const summary = JSON.parse(res.stdout) as { verified: Record<string, number> };
    const locked = await readFile(join(setDir, "set.lock.yaml"), "utf8");
    const none = (locked.match(/verified: none/g) ?? []).length;
    expect(none).toBeGreaterThan(0);
    expect(summary.verified).toEqual({ "go.sum": (locked.match(/verified: go\.sum/g) ?? []).length, sumdb: 0, none });
  });

  it("writes byte-identical files when the leaves are listed in another order", async () => {
    const other = await makeFixtureSet(fx, "reverse");
    temps.push(other);
    const res = await runCli(["--set", other], updateEnv(fx.proxyUrl, cacheHome));
    expect(res.code).toBe(0);
    const a = await snapshot(setDir);
    const b = await snapshot(other);
    delete a["leaves.yaml"];
    delete b["leaves.yaml"];
    expect(b).toEqual(a);
  });

  it("reruns with unchanged inputs without downloading a zip or changing a byte", async () => {
    const before = await snapshot(setDir);
    const zipsBefore = fx.server.requests.filter((r) => r.endsWith(".zip")).length;
    const res = await runCli(["--set", setDir, "--json"], updateEnv(fx.proxyUrl, cacheHome));
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout) as { upToDate: boolean; zipDownloads: number };
    expect(summary).toMatchObject({ upToDate: true, zipDownloads: 0 });
    expect(fx.server.requests.filter((r) => r.endsWith(".zip")).length).toBe(zipsBefore);
    expect(await snapshot(setDir)).toEqual(before);
  });

  it("reruns from the lock alone (empty cache) to the same files, fetching only set members' zips to index their packages", async () => {
    const freshCache = await makeTempDir("goset-cache-");
    temps.push(freshCache);
    const res = await runCli(["--set", setDir, "--json"], updateEnv(fx.proxyUrl, freshCache));
    const summary = JSON.parse(res.stdout) as { upToDate: boolean; zipDownloads: number };
    expect(summary.upToDate).toBe(true);
    const lock = parseLock(await readFile(join(setDir, "set.lock.yaml"), "utf8"));
    const leaves = [...(lock?.leaves.values() ?? [])];
    const forks = new Set(leaves.flatMap((l) => [...l.replaces.values()].flatMap((r) => (r.kind === "module" ? [`${r.path}@${r.version}`] : []))));
    const moduleLeaves = leaves.filter((l) => l.source.kind === "module").length;
    // each set member, fork and module leaf once; never a go.mod-only module
    expect(summary.zipDownloads).toBe((lock?.modules.size ?? 0) + forks.size + moduleLeaves);
  });

  it("reads its own lock back exactly", async () => {
    const text = await readFile(join(setDir, "set.lock.yaml"), "utf8");
    const parsed = parseLock(text);
    expect(parsed).toBeDefined();
    expect(renderLock(parsed as NonNullable<typeof parsed>)).toBe(text);
  });

  it("--check works without the network and notices edited files and changed path leaves", async () => {
    const copy = await makeTempDir("goset-check-");
    temps.push(copy);
    await copyTree(setDir, copy);
    const offline = updateEnv("off", await makeTempDir("goset-cache-"));
    expect((await runCli(["--set", copy, "--check"], offline)).code).toBe(0);
    const moduleFile = join(copy, "modules", "example.com", "lib.nix");
    await writeFile(moduleFile, (await readFile(moduleFile, "utf8")).replace("v1.3.0", "v1.2.0"));
    const edited = await runCli(["--set", copy, "--check"], offline);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain("out of date: modules/example.com/lib.nix");
    await copyTree(setDir, copy);
    const leafDir = fx.leaves["leaf-c"] ?? "";
    const goSum = await readFile(join(leafDir, "go.sum"), "utf8");
    try {
      await writeFile(join(leafDir, "go.sum"), goSum + "\n");
      const changed = await runCli(["--set", copy, "--check", "--json"], offline);
      expect(changed.code).toBe(1);
      expect(JSON.parse(changed.stdout)).toMatchObject({ upToDate: false, warnings: [expect.stringContaining("go.sum")] });
    } finally {
      await writeFile(join(leafDir, "go.sum"), goSum);
    }
  });

  it("--check passes on an up-to-date set and fails with exit 1 when leaves.yaml changed", async () => {
    const ok = await runCli(["--set", setDir, "--check"], updateEnv(fx.proxyUrl, cacheHome));
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain("up to date");
    const stale = await makeFixtureSet(fx, "forward", "pins:\n  example.com/unpruned/kit: v1.2.0\n");
    temps.push(stale);
    const res = await runCli(["--set", stale, "--check"], updateEnv(fx.proxyUrl, cacheHome));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/out of date: set\.lock\.yaml/);
    expect(await listFiles(stale)).toEqual(["leaves.yaml"]);
  });
});

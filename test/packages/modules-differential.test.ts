import { access, chmod, copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildContext } from "../../generator/packages/constraint.js";
import type { GoFileHeader } from "../../generator/packages/gofile.js";
import type { ListedPackage } from "./golist.js";
import { copyGoTree, downloadModules, dropRequirements, goList, listedView, packageDirs, platformName, predictPackage, scanDirectory } from "./golist.js";

// Fixed versions the public proxy serves, chosen for what they exercise.
const MODULES = [
  { path: "golang.org/x/sys", version: "v0.25.0" }, // _GOOS/_GOARCH names, //go:build ignore generators
  { path: "golang.org/x/sys", version: "v0.0.0-20200930185726-fdedc70b468f" }, // // +build only, cgo
  { path: "golang.org/x/net", version: "v0.29.0" }, // cgo, many platform files
  { path: "golang.org/x/crypto", version: "v0.27.0" }, // gc, purego, feature tags
  { path: "github.com/mattn/go-sqlite3", version: "v1.14.22" }, // cgo with many optional tags
  { path: "github.com/mattn/go-sqlite3", version: "v1.10.0" }, // cgo, // +build only
  { path: "github.com/shirou/gopsutil/v3", version: "v3.24.5" }, // darwin && cgo files
  { path: "github.com/fsnotify/fsnotify", version: "v1.7.0" },
  { path: "github.com/klauspost/compress", version: "v1.17.9" }, // amd64 && gc && !noasm
  { path: "github.com/ebitengine/purego", version: "v0.8.0" }, // cgo and !cgo twins, darwin files
  { path: "gopkg.in/check.v1", version: "v0.0.0-20161208181325-20d25e280405" }, // no go.mod
] as const;

const PLATFORMS: readonly BuildContext[] = [
  { goos: "linux", goarch: "amd64", cgo: true, goVersionMinor: 26, tags: [] },
  { goos: "darwin", goarch: "arm64", cgo: true, goVersionMinor: 26, tags: [] },
  // Not a set platform: cgo files must drop out.
  { goos: "linux", goarch: "arm64", cgo: false, goVersionMinor: 26, tags: [] },
];

interface Tree {
  readonly module: string;
  readonly root: string;
  readonly dirs: readonly string[];
  readonly files: ReadonlyMap<string, ReadonlyMap<string, GoFileHeader | undefined>>;
  readonly listed: ReadonlyMap<string, ReadonlyMap<string, ListedPackage>>;
}

describe("built files and imports of real modules, against go list", () => {
  let tmp: string;
  const trees: Tree[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "goset-packages-"));
    const downloads = await downloadModules(MODULES.map((m) => `${m.path}@${m.version}`), tmp);
    await Promise.all(
      MODULES.map(async (m, i) => {
        const module = `${m.path}@${m.version}`;
        const d = downloads.get(module);
        if (d?.Dir === undefined || d.GoMod === undefined) throw new Error(`go mod download ${module}: ${d?.Error ?? "no result"}`);
        const root = join(tmp, String(i));
        await copyGoTree(d.Dir, root);
        // A module without go.mod gets the one the proxy synthesizes.
        await access(join(root, "go.mod")).catch(() => copyFile(d.GoMod as string, join(root, "go.mod")).then(() => chmod(join(root, "go.mod"), 0o644)));
        await dropRequirements(root);
        const dirs = await packageDirs(root);
        const files = new Map<string, ReadonlyMap<string, GoFileHeader | undefined>>();
        for (const dir of dirs) files.set(dir, await scanDirectory(join(root, dir)));
        const listed = new Map<string, ReadonlyMap<string, ListedPackage>>();
        for (const ctx of PLATFORMS) {
          const pkgs = await goList(root, ctx, dirs);
          listed.set(platformName(ctx), new Map(pkgs.map((p) => [p.Dir === root ? "." : p.Dir.slice(root.length + 1), p])));
        }
        trees[i] = { module, root, dirs, files, listed };
      }),
    );
  });

  afterAll(async () => {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it.each(MODULES.map((m, i) => ({ ...m, i })))("$path@$version", ({ i }) => {
    const tree = trees[i] as Tree;
    expect(tree.dirs.length).toBeGreaterThan(0);
    for (const ctx of PLATFORMS) {
      const listed = tree.listed.get(platformName(ctx)) as ReadonlyMap<string, ListedPackage>;
      for (const dir of tree.dirs) {
        const pkg = listed.get(dir);
        expect(pkg, `${tree.module} ${dir}: listed by go`).toBeDefined();
        const ours = predictPackage(ctx, tree.files.get(dir) as ReadonlyMap<string, GoFileHeader | undefined>);
        expect(ours, `${tree.module} ${dir} on ${platformName(ctx)}`).toEqual(listedView(pkg as ListedPackage));
      }
    }
  });

  it("covers cgo files, platform-named files, +build-only files and excluded files on both platforms", () => {
    const all = trees.flatMap((t) => [...t.files.values()].flatMap((files) => [...files]));
    const headers = all.map(([, h]) => h).filter((h): h is GoFileHeader => h !== undefined);
    const packages = trees.reduce((n, t) => n + t.dirs.length, 0);
    const count = (p: (h: GoFileHeader) => boolean): number => headers.filter(p).length;
    const stats = {
      packages,
      files: all.length,
      cgo: count((h) => h.importsC),
      plusBuildOnly: count((h) => h.goBuild === undefined && h.plusBuild.length > 0),
      goBuild: count((h) => h.goBuild !== undefined),
      platformNamed: all.filter(([n]) => /_(linux|darwin|windows|amd64|arm64)(_test)?\.go$/.test(n)).length,
    };
    console.log(`differential coverage: ${JSON.stringify(stats)} x ${PLATFORMS.length} platforms`);
    expect(stats.packages).toBeGreaterThan(120);
    expect(stats.cgo).toBeGreaterThan(50);
    expect(stats.plusBuildOnly).toBeGreaterThan(300);
    expect(stats.platformNamed).toBeGreaterThan(200);
    // Both outcomes occur on each platform; cgo files only with cgo.
    for (const ctx of PLATFORMS) {
      const views = trees.flatMap((t) => t.dirs.map((d) => predictPackage(ctx, t.files.get(d) as ReadonlyMap<string, GoFileHeader | undefined>)));
      const sum = (f: (v: (typeof views)[number]) => number): number => views.reduce((n, v) => n + f(v), 0);
      const counts = { goFiles: sum((v) => v.goFiles.length), cgoFiles: sum((v) => v.cgoFiles.length), notBuilt: sum((v) => v.notBuilt.length), imports: sum((v) => v.imports.length) };
      console.log(`  ${platformName(ctx)}: ${JSON.stringify(counts)}`);
      if (ctx.cgo) expect(counts.cgoFiles).toBeGreaterThan(10);
      else expect(counts.cgoFiles).toBe(0);
      expect(counts.goFiles).toBeGreaterThan(500);
      expect(counts.notBuilt).toBeGreaterThan(300);
    }
  });
});

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildContext } from "../../generator/packages/constraint.js";
import { scanGoFileHeader } from "../../generator/packages/gofile.js";
import { CORPUS, NO_PACKAGE_CLAUSE, TRUNCATION_TOLERANT } from "./corpus.js";
import type { ListedPackage, PackageView } from "./golist.js";
import { goList, listedView, platformName, predictPackage } from "./golist.js";

const ctx = (goos: string, goarch: string, cgo: boolean, tags: readonly string[] = []): BuildContext => ({ goos, goarch, cgo, goVersionMinor: 26, tags });

const PLATFORMS: readonly BuildContext[] = [
  ctx("linux", "amd64", true),
  ctx("linux", "arm64", true),
  ctx("darwin", "amd64", true),
  ctx("darwin", "arm64", true),
  ctx("linux", "amd64", false, ["foo", "purego"]),
  ctx("android", "arm64", true),
  ctx("ios", "arm64", true),
  ctx("illumos", "amd64", false),
  ctx("windows", "amd64", false),
  ctx("linux", "386", false),
  ctx("linux", "arm", false),
  ctx("linux", "ppc64le", false),
  ctx("linux", "riscv64", false),
  ctx("wasip1", "wasm", false),
  ctx("aix", "ppc64", false),
];

/** What production scans: the first MiB of the file, decoded as UTF-8. */
const prefix = (text: string): string => Buffer.from(text).subarray(0, 1 << 20).toString("utf8");

// One package directory per file: go list's package answer is the file's answer.
const FILES = [...CORPUS, ...NO_PACKAGE_CLAUSE, ...TRUNCATION_TOLERANT].map((f, i) => ({ ...f, dir: `c${String(i).padStart(3, "0")}` }));

describe("tricky files, against go list on many platforms", () => {
  let root: string;
  const listed = new Map<string, ReadonlyMap<string, ListedPackage>>();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "goset-corpus-"));
    await writeFile(join(root, "go.mod"), "module example.com/corpus\n\ngo 1.26\n");
    for (const f of FILES) {
      await mkdir(join(root, f.dir));
      await writeFile(join(root, f.dir, f.name), f.text);
    }
    await Promise.all(
      PLATFORMS.map(async (c) => {
        const pkgs = await goList(root, c, FILES.map((f) => f.dir));
        listed.set(platformName(c), new Map(pkgs.map((p) => [p.Dir.slice(root.length + 1), p])));
      }),
    );
  });

  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  const listedFor = (c: BuildContext, dir: string): ListedPackage => {
    const pkg = listed.get(platformName(c))?.get(dir);
    expect(pkg, `${dir} listed`).toBeDefined();
    return pkg as ListedPackage;
  };

  const ours = (c: BuildContext, f: (typeof FILES)[number]): PackageView => {
    const hidden = f.name.startsWith("_") || f.name.startsWith(".");
    return predictPackage(c, new Map(hidden ? [] : [[f.name, scanGoFileHeader(prefix(f.text))]]));
  };

  it.each(FILES.slice(0, CORPUS.length).map((f) => [f.name, f] as const))("%s", (_, f) => {
    for (const c of PLATFORMS) {
      expect(ours(c, f), `${f.name} on ${platformName(c)}`).toEqual(listedView(listedFor(c, f.dir)));
    }
  });

  it("both outcomes occur on every platform", () => {
    for (const c of PLATFORMS) {
      const views = FILES.map((f) => ours(c, f));
      expect(views.filter((v) => v.goFiles.length + v.cgoFiles.length > 0).length, platformName(c)).toBeGreaterThan(40);
      expect(views.filter((v) => v.notBuilt.length > 0).length, platformName(c)).toBeGreaterThan(20);
    }
  });

  const dirOf = (name: string): string => (FILES.find((x) => x.name === name) as (typeof FILES)[number]).dir;

  it.each(NO_PACKAGE_CLAUSE.map((f) => [f.name, f] as const))(
    "%s: no header for us; go lists it as an invalid file of package \"\"",
    (_, f) => {
      expect(scanGoFileHeader(f.text)).toBeUndefined();
      const dir = dirOf(f.name);
      for (const c of PLATFORMS) {
        const pkg = listedFor(c, dir);
        expect(pkg.InvalidGoFiles).toEqual([f.name]);
        expect(pkg.GoFiles ?? []).toEqual([f.name]);
        expect(pkg.Imports ?? []).toEqual([]);
      }
    },
  );

  it.each(TRUNCATION_TOLERANT.map((f) => [f.name, f] as const))("%s: we keep the imports go drops", (_, f) => {
    const header = scanGoFileHeader(f.text);
    expect(header).toMatchObject({ imports: ["fmt"], importsC: false });
    expect(header?.importError).toBeUndefined();
    for (const c of PLATFORMS) {
      const pkg = listedFor(c, dirOf(f.name));
      expect(pkg.GoFiles).toEqual([f.name]);
      expect(pkg.InvalidGoFiles).toEqual([f.name]);
      expect(pkg.Imports ?? []).toEqual([]);
    }
  });
});

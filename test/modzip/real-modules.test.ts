import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestModuleZip, hashGoMod, narHashOfDirectory } from "../../generator/modzip/index.js";
import type { GoDownload } from "./helpers.js";
import { goModDownload, makeTempDir, nixHashPath, removeTree } from "./helpers.js";

// Real modules through the real proxy, extracted by the real go.
const MODULES = [
  { path: "github.com/google/uuid", version: "v1.6.0" },
  { path: "golang.org/x/sync", version: "v0.10.0" },
  { path: "github.com/BurntSushi/toml", version: "v1.4.0" },
] as const;

describe("digestModuleZip on real module zips", () => {
  let tmp: string;
  let downloads: Map<string, GoDownload>;

  beforeAll(async () => {
    tmp = await makeTempDir("real");
    // No GOFLAGS=-modcacherw: hash the tree exactly as go extracts it (read-only files).
    downloads = await goModDownload(
      MODULES.map((m) => `${m.path}@${m.version}`),
      { GOMODCACHE: join(tmp, "modcache"), GOPROXY: "https://proxy.golang.org" },
      tmp,
    );
  });

  afterAll(async () => {
    if (tmp !== undefined) await removeTree(tmp);
  });

  function download(path: string, version: string): Required<Omit<GoDownload, "Error">> {
    const d = downloads.get(`${path}@${version}`);
    expect(d?.Error).toBeUndefined();
    expect(d?.Zip && d.Dir && d.GoMod && d.Sum && d.GoModSum).toBeTruthy();
    return d as Required<Omit<GoDownload, "Error">>;
  }

  it.each(MODULES)("$path@$version: h1, NAR hash and go.mod match go and nix", async ({ path, version }) => {
    const d = download(path, version);
    const digest = await digestModuleZip(d.Zip, { path, version });
    expect(digest.sum).toBe(d.Sum);

    const nixHash = await nixHashPath(d.Dir);
    expect(nixHash).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    expect(digest.hash).toBe(nixHash);
    expect(await narHashOfDirectory(d.Dir)).toBe(nixHash);

    const modBytes = await readFile(d.GoMod);
    expect(hashGoMod(modBytes)).toBe(d.GoModSum);
    // These modules all ship a go.mod, which the proxy serves unchanged as .mod.
    expect(digest.goMod?.equals(modBytes)).toBe(true);
    expect(digest.files).toBeGreaterThan(5);
    expect(digest.unzippedBytes).toBeGreaterThan(10_000);
  });

  it("the uppercase path is escaped on disk but not inside the zip", () => {
    const d = download("github.com/BurntSushi/toml", "v1.4.0");
    expect(d.Dir).toContain("github.com/!burnt!sushi/toml@v1.4.0");
  });

  it("rejects a real zip checked against the wrong module version", async () => {
    const d = download("github.com/google/uuid", "v1.6.0");
    await expect(digestModuleZip(d.Zip, { path: "github.com/google/uuid", version: "v1.5.0" })).rejects.toMatchObject({
      code: "GOSET_ZIP_INVALID",
      message: expect.stringContaining("github.com/google/uuid@v1.5.0"),
    });
  });
});

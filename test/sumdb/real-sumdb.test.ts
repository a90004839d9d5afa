/**
 * The verifier against the real sum.golang.org, through the mirror at
 * https://proxy.golang.org/sumdb/sum.golang.org/ (the only way this machine
 * reaches it), with hashes the real `go` computed.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSumdbVerifier, KNOWN_SUMDB_KEYS, openNote, parseTree, parseVerifierKey } from "../../generator/sumdb/index.js";
import { goEnv, runGo } from "../gomod/gotool.js";
import { settingsFor } from "../proxy/servers.js";
import { withTempDir } from "./testdb.js";

interface Download {
  Path: string;
  Version: string;
  Sum: string;
  GoModSum: string;
}

const MODULES = [
  { path: "github.com/google/uuid", version: "v1.6.0" },
  { path: "github.com/BurntSushi/toml", version: "v1.3.2" },
];

const UUID_SUM = "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=";
const UUID_GOMOD_SUM = "h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=";
const MIRROR = "https://proxy.golang.org/sumdb/sum.golang.org";
const settings = (cacheDir: string) =>
  settingsFor("https://proxy.golang.org,direct", { gosumdb: "sum.golang.org", cacheDir });
const readTreeSize = async (file: string): Promise<number> =>
  parseTree(openNote(await readFile(file), parseVerifierKey(KNOWN_SUMDB_KEYS["sum.golang.org"] as string)).text).n;

describe("the real checksum database", () => {
  it("holds the hashes go computes, and the verifier authenticates them", async () => {
    await withTempDir("goset-sumdb-real-", async (dir) => {
      const env = goEnv({
        GOPROXY: "https://proxy.golang.org",
        GOSUMDB: "sum.golang.org",
        GOMODCACHE: join(dir, "modcache"),
        GOPATH: join(dir, "gopath"),
      });
      const go = await runGo(["mod", "download", "-json", ...MODULES.map((m) => `${m.path}@${m.version}`)], dir, env);
      expect(go.stderr).toBe("");
      expect(go.code).toBe(0);
      const downloads = go.stdout
        .split(/(?<=^\})\n/m)
        .filter((chunk) => chunk.trim() !== "")
        .map((chunk) => JSON.parse(chunk) as Download);
      expect(downloads.map((d) => d.Path)).toEqual(MODULES.map((m) => m.path));
      expect(downloads[0]).toMatchObject({ Sum: UUID_SUM, GoModSum: UUID_GOMOD_SUM });

      const cacheDir = join(dir, "goset-cache");
      const verifier = createSumdbVerifier(settings(cacheDir));
      try {
        const results = await Promise.all(
          downloads.map((d) => verifier.verify({ path: d.Path, version: d.Version }, { sum: d.Sum, goModSum: d.GoModSum })),
        );
        expect(results).toEqual(["sumdb", "sumdb"]);
        await expect(
          verifier.verify(MODULES[0] as (typeof MODULES)[0], { sum: downloads[1]?.Sum as string, goModSum: UUID_GOMOD_SUM }),
        ).rejects.toMatchObject({ code: "GOSET_SUMDB", message: expect.stringMatching(/github\.com\/google\/uuid@v1\.6\.0: SECURITY ERROR: module zip checksum mismatch/) });
      } finally {
        await verifier.close();
      }
      // Both go and the verifier keep a latest tree signed by sum.golang.org: a real
      // log of millions of records (the mirror served here lags the live log, so no
      // closer bound holds from day to day).
      expect(await readTreeSize(join(cacheDir, "sumdb", "sum.golang.org", "latest"))).toBeGreaterThan(10_000_000);
      expect(await readTreeSize(join(dir, "gopath", "pkg", "sumdb", "sum.golang.org", "latest"))).toBeGreaterThan(10_000_000);
    });
  });

  it("proves a lookup's older tree consistent with the current tree", async () => {
    await withTempDir("goset-sumdb-real-", async (dir) => {
      const latest = Buffer.from(await (await fetch(`${MIRROR}/latest`)).arrayBuffer());
      const latestFile = join(dir, "sumdb", "sum.golang.org", "latest");
      await mkdir(join(dir, "sumdb", "sum.golang.org"), { recursive: true });
      await writeFile(latestFile, latest);
      const current = await readTreeSize(latestFile);

      const lookup = await (await fetch(`${MIRROR}/lookup/github.com/google/uuid@v1.6.0`)).text();
      const lookupTree = parseTree(lookup.slice(lookup.indexOf("go.sum database tree"))).n;

      const verifier = createSumdbVerifier(settings(dir));
      try {
        expect(await verifier.verify(MODULES[0] as (typeof MODULES)[0], { sum: UUID_SUM, goModSum: UUID_GOMOD_SUM })).toBe("sumdb");
      } finally {
        await verifier.close();
      }
      // The mirror answers lookups with the tree of when it first cached them: an older tree, proven a prefix of ours.
      expect(lookupTree).toBeLessThanOrEqual(current);
      expect(await readTreeSize(latestFile)).toBeGreaterThanOrEqual(current);
    });
  });
});

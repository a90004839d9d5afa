/**
 * goset audit of the bundled set against the real Go vulnerability database
 * (golang.org/x/vulndb through the proxy, verified by the checksum database),
 * cross-checked with govulncheck -mode=binary on leaf binaries built through
 * the set, govulncheck reading a vuln.go.dev layout of the same OSV files:
 * every vulnerability govulncheck reports for a binary is among goset's
 * findings for that leaf, and the two sets of ids are equal but for findings
 * in the leaf's own module: a binary built from source records its main
 * module as "(devel)", which govulncheck cannot match; goset knows the
 * leaf's release.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTree } from "../fixture/index.js";
import { nixBuild, nixEnv, REPO } from "../nix/nix.js";
import { writeVulndbLayout } from "./layout.js";

const run = promisify(execFile);
const LEAVES = ["act", "fzf", "gitleaks"];

let work: string;
let govulncheck: string;
let layout: string;
let vulndbVersion: string;
let ours: { database: string; findings: { id: string; module: string; leaves: string[] }[] };

beforeAll(async () => {
  work = await makeTempDir("goset-govulncheck-");
  const gobin = join(work, "bin");
  await run("go", ["install", "golang.org/x/vuln/cmd/govulncheck@latest"], { env: { ...process.env, GOBIN: gobin, GOFLAGS: "-mod=mod" }, maxBuffer: 64 << 20 });
  govulncheck = join(gobin, "govulncheck");
  const { stdout } = await run("go", ["mod", "download", "-json", "golang.org/x/vulndb@latest"], { cwd: work, maxBuffer: 64 << 20 });
  const download = JSON.parse(stdout) as { Version: string; Dir: string };
  vulndbVersion = download.Version;
  layout = join(work, "vulndb");
  await writeVulndbLayout(join(download.Dir, "data", "osv"), layout);
  const audit = await run(process.execPath, [join(REPO, "bin", "goset.js"), "audit", "--set", join(REPO, "set"), "--json"], { maxBuffer: 256 << 20 });
  ours = JSON.parse(audit.stdout) as typeof ours;
}, 1_800_000);

afterAll(async () => {
  if (work !== undefined) await removeTree(work);
});

/** The OSV ids govulncheck reports for a binary, at any level (its JSON stream of messages). */
async function govulncheckIds(binary: string): Promise<Set<string>> {
  const { stdout } = await run(govulncheck, ["-mode=binary", "-db", `file://${layout}`, "-format", "json", binary], { maxBuffer: 256 << 20 });
  const ids = new Set<string>();
  const decoder = /"finding":\s*\{\s*"osv":\s*"([^"]+)"/g;
  for (const m of stdout.matchAll(decoder)) if (m[1] !== undefined) ids.add(m[1]);
  return ids;
}

describe("goset audit against the real database, cross-checked with govulncheck", () => {
  it("reads golang.org/x/vulndb at the proxy's newest version, verified", () => {
    expect(ours.database).toContain(`golang.org/x/vulndb@${vulndbVersion} (verified: sumdb`);
    expect(ours.findings.length).toBeGreaterThan(20);
  });

  it.each(LEAVES)("finds for %s exactly the vulnerabilities govulncheck reports in its binary", async (leaf) => {
    const res = await nixBuild(REPO + "/set", `leaves.${leaf}`, nixEnv());
    expect(res.code, res.stderr.slice(-2000)).toBe(0);
    const bin = join(res.stdout.trim(), "bin", leaf);
    const theirs = await govulncheckIds(bin);
    const lock = await readFile(join(REPO, "set", "set.lock.yaml"), "utf8");
    const own = new RegExp(`\\n  ${leaf}:\\n    module: (\\S+)\\n`).exec(lock)?.[1];
    const forLeaf = ours.findings.filter((f) => f.leaves.includes(leaf));
    const mine = new Set(forLeaf.filter((f) => f.module !== own).map((f) => f.id));
    expect([...theirs].filter((id) => !mine.has(id))).toEqual([]);
    expect([...mine].sort()).toEqual([...theirs].sort());
    // What goset adds is in the leaf's own module only, and govulncheck reports none of it.
    expect(forLeaf.filter((f) => f.module === own && theirs.has(f.id))).toEqual([]);
  }, 1_800_000);
});

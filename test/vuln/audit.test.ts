/**
 * goset audit on the fixture set (generated through the loopback proxy)
 * against a fixture vulnerability database: OSV ranges with several events,
 * pseudo-versions, +incompatible, a withdrawn entry, platform-limited
 * packages, the standard library and the toolchain, a finding in a package
 * no leaf compiles; read from a directory and from a vuln.go.dev-style URL.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "../fixture/index.js";
import { copyTree, makeTempDir, prepareFixture, removeTree } from "../fixture/index.js";
import { makeFixtureSet, runCli, updateEnv } from "../update/helpers.js";
import { REPO } from "../nix/nix.js";
import { writeVulndbLayout } from "./layout.js";

const semver = (...events: Record<string, string>[]) => [{ type: "SEMVER", events }];
const entry = (id: string, module: string, ranges: unknown, imports: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  schema_version: "1.3.1",
  id,
  modified: "2026-11-01T00:00:00Z",
  aliases: [`CVE-2026-${id.slice(-4)}`],
  summary: `test entry ${id} in ${module}`,
  affected: [{ package: { name: module, ecosystem: "Go" }, ranges, ecosystem_specific: { imports } }],
  ...extra,
});

const ENTRIES = [
  // Two windows in one range: v1.2.0 lies in the second.
  entry("GO-TEST-0001", "example.com/shared/strutil", semver({ introduced: "0" }, { fixed: "1.1.0" }, { introduced: "1.2.0" }, { fixed: "1.2.1" }), [{ path: "example.com/shared/strutil", symbols: ["Join"] }]),
  entry("GO-TEST-0002", "example.com/shared/strutil", semver({ introduced: "1.0.0" }, { fixed: "1.1.0" })),
  entry("GO-TEST-0003", "example.com/legacy/oldapi", semver({ introduced: "2.0.0+incompatible" }, { fixed: "2.1.0+incompatible" })),
  entry("GO-TEST-0004", "example.com/pseudo/snap", semver({ introduced: "0" }, { fixed: "0.0.0-20240201000000-000000000000" })),
  entry("GO-TEST-0005", "example.com/pseudo/snap", semver({ introduced: "0" }, { fixed: "0.0.0-20231201000000-000000000000" })),
  entry("GO-TEST-0006", "example.com/lib/v2", semver({ introduced: "2.0.0" }), [{ path: "example.com/lib/v2/internal/unused", symbols: [] }]),
  entry("GO-TEST-0007", "example.com/shared/strutil", semver({ introduced: "0" }), [], { withdrawn: "2026-11-02T00:00:00Z" }),
  entry("GO-TEST-0008", "stdlib", semver({ introduced: "1.26.0-0" }, { fixed: "1.26.9" }), [{ path: "net/http", symbols: ["Server.Serve"] }]),
  entry("GO-TEST-0009", "stdlib", semver({ introduced: "0" }, { fixed: "1.26.8" }), [{ path: "net/http", symbols: [] }]),
  entry("GO-TEST-0010", "example.com/shared/strutil", semver({ introduced: "0" }), [{ path: "example.com/shared/strutil", symbols: [], goos: ["windows"] }]),
  entry("GO-TEST-0011", "toolchain", semver({ introduced: "0" }, { fixed: "1.27.0" }), [{ path: "cmd/go", symbols: [] }]),
  // Fixed in a pre-release: what goset impact's pin fixes.
  entry("GO-TEST-0012", "example.com/Upper/Mixed", semver({ introduced: "0" }, { fixed: "1.1.0-RC1" })),
];

interface Finding {
  id: string;
  module: string;
  version: string;
  fixed?: string;
  reachable: boolean;
  leaves: string[];
}
interface AuditJson {
  ok: boolean;
  database: string;
  findings: Finding[];
}

let fx: Fixture;
let setDir: string;
let osvDir: string;
let cache: string;
const temps: string[] = [];

function goset(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, "bin", "goset.js"), ...args], { maxBuffer: 64 << 20, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const AUDIT = ["--go", "go1.26.8", "--platform", "linux/amd64", "--json"];

beforeAll(async () => {
  fx = await prepareFixture();
  setDir = await makeFixtureSet(fx);
  cache = await makeTempDir("goset-cache-");
  osvDir = await makeTempDir("goset-osv-");
  temps.push(setDir, cache, osvDir);
  const gen = await runCli(["--set", setDir], updateEnv(fx.proxyUrl, cache));
  if (gen.code !== 0) throw new Error(gen.stderr);
  for (const e of ENTRIES) await writeFile(join(osvDir, `${e.id}.json`), JSON.stringify(e, null, 2));
}, 600_000);

afterAll(async () => {
  for (const t of temps) await removeTree(t);
  await fx?.close();
});

function byId(findings: readonly Finding[]): Record<string, Omit<Finding, "id">> {
  return Object.fromEntries(findings.map(({ id, ...rest }) => [id, rest]));
}

describe("goset audit", () => {
  it("matches versions by OSV ranges in Go's order and packages by what the set compiles", async () => {
    const res = await goset(["audit", "--set", setDir, "--vulndb", osvDir, ...AUDIT]);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as AuditJson;
    expect(out.database).toContain("12 entries");
    const found = byId(out.findings);
    expect(Object.keys(found).sort()).toEqual(["GO-TEST-0001", "GO-TEST-0003", "GO-TEST-0004", "GO-TEST-0006", "GO-TEST-0008", "GO-TEST-0011", "GO-TEST-0012"]);
    expect(found["GO-TEST-0001"]).toMatchObject({ module: "example.com/shared/strutil", version: "v1.2.0", fixed: "v1.2.1", reachable: true, leaves: ["hello", "leaf-a", "leaf-b"] });
    expect(found["GO-TEST-0003"]).toMatchObject({ module: "example.com/legacy/oldapi", version: "v2.0.0+incompatible", fixed: "v2.1.0+incompatible", reachable: true, leaves: ["leaf-b"] });
    expect(found["GO-TEST-0004"]).toMatchObject({ module: "example.com/pseudo/snap", version: "v0.0.0-20240102030405-abcdef123456", reachable: true, leaves: ["leaf-b"] });
    // Its only affected package is one no leaf compiles.
    expect(found["GO-TEST-0006"]).toMatchObject({ module: "example.com/lib/v2", reachable: false, leaves: ["hello", "leaf-b"] });
    expect(found["GO-TEST-0008"]).toMatchObject({ module: "stdlib", version: "v1.26.8", fixed: "v1.26.9", reachable: false, leaves: ["hello", "leaf-a", "leaf-b", "leaf-c"] });
    expect(found["GO-TEST-0011"]).toMatchObject({ module: "toolchain", reachable: false, leaves: [] });
    // Reachable findings come first.
    expect(out.findings.findIndex((f) => !f.reachable)).toBe(out.findings.filter((f) => f.reachable).length);
  }, 120_000);

  it("counts a windows-only entry on windows", async () => {
    const res = await goset(["audit", "--set", setDir, "--vulndb", osvDir, "--go", "go1.26.8", "--platform", "windows/amd64", "--json"]);
    expect(Object.keys(byId((JSON.parse(res.stdout) as AuditJson).findings))).toContain("GO-TEST-0010");
  }, 120_000);

  it("reads the same entries from a vuln.go.dev-style URL, only those of the set's modules", async () => {
    const layout = await makeTempDir("goset-vulndb-");
    temps.push(layout);
    await writeVulndbLayout(osvDir, layout);
    const requested: string[] = [];
    const server: Server = createServer((req, res) => {
      requested.push(req.url ?? "");
      readFile(join(layout, (req.url ?? "/").slice(1)))
        .then((body) => res.writeHead(200, { "content-type": "application/json" }).end(body))
        .catch(() => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await goset(["audit", "--set", setDir, "--vulndb", url, ...AUDIT]);
      expect(res.code, res.stderr).toBe(0);
      const out = JSON.parse(res.stdout) as AuditJson;
      expect(out.database).toContain(`${url} (modified 2026-11-01T00:00:00Z`);
      expect(Object.keys(byId(out.findings)).sort()).toEqual(["GO-TEST-0001", "GO-TEST-0003", "GO-TEST-0004", "GO-TEST-0006", "GO-TEST-0008", "GO-TEST-0011", "GO-TEST-0012"]);
      expect(requested.filter((r) => r.startsWith("/ID/")).length).toBe(ENTRIES.length);
    } finally {
      server.close();
    }
  }, 120_000);

  it("exits 1 under --fail-on when findings are met, writes Markdown, and refuses a bad level", async () => {
    const report = join(osvDir, "..", `audit-${process.pid}.md`);
    temps.push(report);
    expect((await goset(["audit", "--set", setDir, "--vulndb", osvDir, ...AUDIT, "--fail-on", "package", "--report", report])).code).toBe(1);
    expect(await readFile(report, "utf8")).toMatch(/\| `example.com\/shared\/strutil@v1.2.0` \| GO-TEST-0001 \(CVE-2026-0001\): .* \| reachable \| v1.2.1 \|/);
    expect((await goset(["audit", "--set", setDir, "--vulndb", osvDir, ...AUDIT, "--fail-on", "none"])).code).toBe(0);
    const bad = await goset(["audit", "--set", setDir, "--vulndb", osvDir, ...AUDIT, "--fail-on", "symbol"]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { code: "GOSET_USAGE" } });
  }, 120_000);

  it("refuses a database that is not one, with a coded error", async () => {
    const broken = join(osvDir, "..", `broken-${process.pid}`);
    temps.push(broken);
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, "GO-BAD.json"), "{ not json");
    const res = await goset(["audit", "--set", setDir, "--vulndb", broken, ...AUDIT]);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, error: { code: "GOSET_VULNDB_INVALID" } });
  }, 120_000);
});

describe("goset why", () => {
  interface Why {
    module: string;
    package?: string;
    version?: string;
    kind: string;
    importedBy: { leaf: string; chain: string[] }[];
    asked: { leaf: string; version: string }[];
    selectedBy: string[];
  }
  const why = async (target: string) => {
    const res = await goset(["why", target, "--set", setDir, "--json"]);
    return { code: res.code, answer: JSON.parse(res.stdout) as Why };
  };

  it("names the leaves' chains to a module, what each leaf asked for and whose requirement won", async () => {
    const { code, answer } = await why("example.com/shared/strutil");
    expect(code).toBe(0);
    expect(answer).toMatchObject({ module: "example.com/shared/strutil", version: "v1.2.0", kind: "member" });
    expect(answer.asked).toEqual([
      { leaf: "hello", version: "v1.2.0" },
      { leaf: "leaf-a", version: "v1.0.0" },
      { leaf: "leaf-b", version: "v1.2.0" },
    ]);
    expect(answer.selectedBy).toEqual(["hello", "leaf-b"]);
    expect(answer.importedBy.map((w) => w.chain)).toEqual([
      ["hello", "example.com/shared/strutil"],
      ["leaf-a", "example.com/shared/strutil"],
      ["leaf-b", "example.com/shared/strutil"],
    ]);
  }, 60_000);

  it("takes a package path, and answers 1 for what the set does not hold", async () => {
    const { answer } = await why("example.com/cycle/b/bridge");
    expect(answer).toMatchObject({ module: "example.com/cycle/b", package: "example.com/cycle/b/bridge", version: "v1.1.0" });
    expect(answer.importedBy.map((w) => w.leaf)).toEqual(["leaf-a", "leaf-b"]);
    const absent = await why("example.com/not/there");
    expect(absent.code).toBe(1);
    expect(absent.answer.kind).toBe("absent");
  }, 60_000);
});

describe("goset impact", () => {
  it("predicts, without writing, the change report of the pin applied, findings included", async () => {
    const env = updateEnv(fx.proxyUrl, cache);
    const lockBefore = await readFile(join(setDir, "set.lock.yaml"), "utf8");
    const res = await goset(["impact", "example.com/Upper/Mixed@v1.1.0-RC1", "--set", setDir, "--vulndb", osvDir, "--json"], { ...env, PATH: process.env["PATH"] });
    expect(res.code, res.stderr).toBe(0);
    const impact = JSON.parse(res.stdout) as { bumped: { path: string; from: string; to: string }[]; totalRebuilds: { modules: number; leaves: number }; audit: { fixed: { id: string }[]; introduced: { id: string }[] } };
    expect(impact.bumped.map((b) => [b.path, b.from, b.to])).toEqual([["example.com/Upper/Mixed", "v1.0.0", "v1.1.0-RC1"]]);
    expect(impact.audit.fixed.map((f) => f.id)).toEqual(["GO-TEST-0012"]);
    expect(impact.audit.introduced).toEqual([]);
    expect(await readFile(join(setDir, "set.lock.yaml"), "utf8")).toBe(lockBefore);

    // The same pin applied: the change report gives the same numbers.
    const applied = await makeTempDir("goset-applied-");
    temps.push(applied);
    await copyTree(setDir, applied);
    await writeFile(join(applied, "leaves.yaml"), (await readFile(join(applied, "leaves.yaml"), "utf8")) + "pins:\n  example.com/Upper/Mixed: v1.1.0-RC1\n");
    const report = join(applied, "report.md");
    const gen = await runCli(["--set", applied, "--report", report, "--vulndb", osvDir], env);
    expect(gen.code, gen.stderr).toBe(0);
    const text = await readFile(report, "utf8");
    // The report's vulnerability section agrees with impact's.
    expect(text).toContain("Fixed by this change (1):");
    expect(text).toMatch(/\| GO-TEST-0012 \| `example.com\/Upper\/Mixed@v1.0.0` \| reachable \| leaf-a \|/);
    expect(text).toContain("Introduced by this change: none.");
    expect(text).toContain(`This change rebuilds ${impact.totalRebuilds.modules} module derivations and ${impact.totalRebuilds.leaves} leaves.`);
    expect(text).toMatch(/`example.com\/Upper\/Mixed` \| v1.0.0 \| v1.1.0-RC1 \|/);
  }, 300_000);

  it("refuses an argument that is not MODULE@VERSION", async () => {
    const res = await goset(["impact", "example.com/shared/strutil", "--set", setDir, "--json"]);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, error: { code: "GOSET_USAGE" } });
  }, 60_000);
});

describe("goset audit --fix", () => {
  it("pins each fixable module at its lowest fixed version, regenerates, and gives the rebuild closure", async () => {
    const copy = await makeTempDir("goset-fix-");
    temps.push(copy);
    await copyTree(setDir, copy);
    const env = { ...updateEnv(fx.proxyUrl, cache), PATH: process.env["PATH"] };
    const res = await goset(["audit", "--set", copy, "--vulndb", osvDir, ...AUDIT, "--fix"], env);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { fix: { pins: { path: string; from: string; to: string; fixes: string[] }[]; unfixable: { path: string; why: string }[]; rebuilds: { modules: number; leaves: number }; remaining: Finding[] } };
    expect(out.fix.pins).toEqual([{ path: "example.com/Upper/Mixed", from: "v1.0.0", to: "v1.1.0-RC1", fixes: ["GO-TEST-0012"] }]);
    expect(out.fix.unfixable.map((u) => u.path)).toEqual(["example.com/legacy/oldapi", "example.com/lib/v2", "example.com/pseudo/snap", "example.com/shared/strutil"]);
    expect(out.fix.unfixable.find((u) => u.path === "example.com/lib/v2")?.why).toContain("no fixed version");
    // Mixed is imported by no member and by leaf-a alone: its own derivation and that leaf.
    expect(out.fix.rebuilds).toEqual({ modules: 1, leaves: 1 });
    expect(out.fix.remaining.map((f) => f.id)).not.toContain("GO-TEST-0012");
    expect(await readFile(join(copy, "leaves.yaml"), "utf8")).toContain("example.com/Upper/Mixed: v1.1.0-RC1");
    expect(await readFile(join(copy, "set.lock.yaml"), "utf8")).toMatch(/example.com\/Upper\/Mixed:\n {4}version: v1.1.0-RC1/);
  }, 300_000);
});

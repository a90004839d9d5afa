/**
 * The committed bundled set: consistent with leaves.yaml without the network,
 * every leaf a package with meta, a sample of its leaves built through Nix
 * passing `goset check`'s smoke checks (their release versions linked in),
 * and the example project built against goPackages as a user's project would.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../update/helpers.js";
import { buildLog, compiledPackages, nix, nixEnv, REPO } from "./nix.js";

const run = promisify(execFile);

describe("the bundled set", () => {
  it("is up to date with set/leaves.yaml (update-set --check, no network)", async () => {
    const res = await runCli(["--set", join(REPO, "set"), "--check"], { ...process.env, GOPROXY: "off", GOSUMDB: "off" });
    expect(res.stderr).toContain("up to date");
    expect(res.code).toBe(0);
  });

  it("gives every leaf meta with a description, homepage, licence and main program", async () => {
    const expr = `builtins.mapAttrs (_: l: { inherit (l.meta) description homepage mainProgram; license = map (x: x.spdxId) (if builtins.isList l.meta.license then l.meta.license else [ l.meta.license ]); }) (import ${REPO} { set = ${REPO}/set; }).leaves`;
    const res = await nix("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], nixEnv());
    expect(res.code, res.stderr).toBe(0);
    const metas = JSON.parse(res.stdout) as Record<string, { description: string; homepage: string; mainProgram: string; license: string[] }>;
    expect(Object.keys(metas).length).toBeGreaterThanOrEqual(30);
    for (const [name, meta] of Object.entries(metas)) {
      expect({ name, description: meta.description.length > 10, homepage: /^https:\/\//.test(meta.homepage), licensed: meta.license.length > 0, main: meta.mainProgram !== "" }).toEqual({ name, description: true, homepage: true, licensed: true, main: true });
    }
  });

  it("builds a sample of its leaves with Nix, and each passes goset check's smoke check with its release version", async () => {
    const sample = ["fzf", "age", "gofumpt"];
    const { stdout } = await run(join(REPO, "bin", "goset.js"), ["check", "--set", join(REPO, "set"), "--json", ...sample], { env: nixEnv(), maxBuffer: 64 << 20 });
    const result = JSON.parse(stdout) as { ok: boolean; leaves: { name: string; status: string; smoke?: string; smokeOutput?: string }[] };
    expect(result.leaves.map((l) => [l.name, l.status])).toEqual(sample.sort().map((n) => [n, "ok"]));
    const output = Object.fromEntries(result.leaves.map((l) => [l.name, l.smokeOutput ?? ""]));
    expect(output["fzf"]).toContain("0.65.2");
    expect(output["age"]).toContain("v1.3.1");
    expect(output["gofumpt"]).toContain("v0.12.0");
    expect(result.ok).toBe(true);
  }, 3_600_000);

  it("builds the example project against goPackages, compiling only its own package", async () => {
    const env = nixEnv();
    const res = await nix("nix-build", [join(REPO, "examples", "hello-goset"), "--no-out-link"], env);
    expect(res.code).toBe(0);
    const out = res.stdout.trim();
    const bin = join(out, "bin", "hello-goset");
    expect((await run(bin, ["--version"])).stdout.trim()).toBe("hello-goset version 0.1.0");
    expect((await run(bin, ["nix"])).stdout).toBe("greeting: hello nix\n");
    const log = await buildLog(out, env);
    expect(compiledPackages(log).filter((p) => !p.startsWith("ok "))).toEqual(["example.com/hello-goset"]);
  }, 1_800_000);
});

/**
 * The committed bundled set: consistent with leaves.yaml without the network,
 * two of its leaves build through Nix and pass their smoke checks, and the
 * example project builds against goPackages as a user's project would.
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

  it("builds two leaves with Nix, and their binaries pass the smoke check", async () => {
    const { stdout } = await run("bash", [join(REPO, "scripts", "check-leaves.sh"), "fzf", "shfmt"], { env: nixEnv(), maxBuffer: 64 << 20 });
    expect(stdout).toMatch(/^ok fzf: fzf --version -> /m);
    expect(stdout).toMatch(/^ok shfmt: shfmt --version -> /m);
    expect(stdout).toContain("2 passed, 0 failed");
  }, 1_800_000);

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

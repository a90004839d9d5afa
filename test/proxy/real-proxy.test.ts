import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { readGoSettings } from "../../generator/env/goenv.js";
import { createModuleProxy, type ModuleProxy } from "../../generator/proxy/client.js";

describe("the proxy this machine's go uses", () => {
  let proxy: ModuleProxy | undefined;
  afterAll(async () => {
    await proxy?.close();
  });

  it("lists github.com/google/uuid and serves its go.mod", async () => {
    const settings = await readGoSettings();
    const { stdout } = await promisify(execFile)("go", ["env", "GOPROXY"]);
    expect(settings.goproxy).toBe(stdout.trim());
    proxy = createModuleProxy(settings, { timeoutMs: 30_000 });
    expect(await proxy.listVersions("github.com/google/uuid")).toContain("v1.6.0");
    const mod = await proxy.goMod("github.com/google/uuid", "v1.6.0");
    expect(mod.toString("utf8").startsWith("module github.com/google/uuid")).toBe(true);
  });
});

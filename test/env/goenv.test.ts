import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goEnvFilePath, parseGoEnvFile, readGoSettings, type GoSettings } from "../../generator/env/goenv.js";

const run = promisify(execFile);
const GO_KEYS = ["GOPROXY", "GONOPROXY", "GONOSUMDB", "GOPRIVATE", "GOSUMDB", "GOINSECURE", "GOFLAGS"] as const;

function settingsAsGoEnv(s: GoSettings): Record<(typeof GO_KEYS)[number], string> {
  return {
    GOPROXY: s.goproxy,
    GONOPROXY: s.gonoproxy,
    GONOSUMDB: s.gonosumdb,
    GOPRIVATE: s.goprivate,
    GOSUMDB: s.gosumdb,
    GOINSECURE: s.goinsecure,
    GOFLAGS: s.goflags,
  };
}

async function goEnvJson(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const { stdout } = await run("go", ["env", "-json", ...GO_KEYS], { env });
  return JSON.parse(stdout) as Record<string, string>;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "goset-goenv-"));
});
afterAll(async () => {
  // go may leave a telemetry child writing under the temporary HOME for a moment.
  await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

interface Case {
  name: string;
  /** Written with `go env -w` under the writer environment. */
  written: Record<string, string>;
  /** How the env file is located: explicit GOENV, XDG_CONFIG_HOME, or HOME. */
  location: "GOENV" | "XDG" | "HOME";
  /** Extra variables for the reading run. */
  env: Record<string, string>;
}

const cases: Case[] = [
  {
    name: "file only",
    written: { GOPROXY: "https://a.example.com|https://b.example.com,direct", GOPRIVATE: "*.corp.com,github.com/me" },
    location: "GOENV",
    env: {},
  },
  {
    name: "environment overrides file",
    written: { GOPROXY: "https://file.example.com", GOSUMDB: "off", GOFLAGS: "-mod=mod" },
    location: "GOENV",
    env: { GOPROXY: "https://env.example.com,off", GOFLAGS: "-trimpath" },
  },
  {
    name: "GOPRIVATE from file feeds GONOPROXY; explicit GONOSUMDB wins",
    written: { GOPRIVATE: "git.corp.com/*" },
    location: "GOENV",
    env: { GONOSUMDB: "example.org" },
  },
  {
    name: "GOPRIVATE from environment feeds GONOPROXY over the file's GOPRIVATE",
    written: { GOPRIVATE: "file.corp.com", GOINSECURE: "insecure.example.com" },
    location: "GOENV",
    env: { GOPRIVATE: "env.corp.com" },
  },
  {
    name: "empty environment value falls through to the file",
    written: { GOPROXY: "https://f.example.com,direct" },
    location: "GOENV",
    env: { GOPROXY: "" },
  },
  {
    name: "GOENV=off ignores the file",
    written: { GOPROXY: "https://ignored.example.com", GOPRIVATE: "ignored.example.com" },
    location: "GOENV",
    env: { GOENV: "off", GONOPROXY: "only.example.com" },
  },
  {
    name: "default file under XDG_CONFIG_HOME",
    written: { GOPROXY: "https://xdg.example.com", GOSUMDB: "sum.example.com" },
    location: "XDG",
    env: {},
  },
  {
    name: "default file under HOME",
    written: { GOPROXY: "file:///srv/goproxy", GONOPROXY: "none.example.com", GOPRIVATE: "p.example.com" },
    location: "HOME",
    env: {},
  },
  {
    name: "an empty value in the file hides go.env",
    written: { GOPROXY: "", GOSUMDB: "off" },
    location: "GOENV",
    env: {},
  },
];

describe("readGoSettings agrees with `go env`", () => {
  it.each(cases)("$name", async (c) => {
    const dir = await mkdtemp(join(root, "case-"));
    const home = join(dir, "home");
    await mkdir(home);
    const base: NodeJS.ProcessEnv = { PATH: process.env["PATH"] ?? "", HOME: home };
    if (c.location === "GOENV") base["GOENV"] = join(dir, "goenv");
    if (c.location === "XDG") base["XDG_CONFIG_HOME"] = join(dir, "config");
    const assignments = Object.entries(c.written).map(([k, v]) => `${k}=${v}`);
    await run("go", ["env", "-w", ...assignments], { env: base });

    const env = { ...base, ...c.env };
    const ours = settingsAsGoEnv(await readGoSettings(env));
    const theirs = await goEnvJson(env);
    expect(ours).toEqual(theirs);
  });

  it("reads the values `go env -w` wrote (the file really was used)", async () => {
    const file = join(root, "used-env");
    const env = { PATH: process.env["PATH"] ?? "", HOME: root, GOENV: file };
    await run("go", ["env", "-w", "GOPRIVATE=*.corp.example"], { env });
    const s = await readGoSettings(env);
    expect(s.goprivate).toBe("*.corp.example");
    expect(s.gonoproxy).toBe("*.corp.example");
  });
});

describe("parseGoEnvFile", () => {
  it.each([
    ["GOPROXY=https://a\nGOPRIVATE=x\n", { GOPROXY: "https://a", GOPRIVATE: "x" }],
    ["# comment=1\n\nlower=1\nGOFLAGS=-a=b -c\n", { GOFLAGS: "-a=b -c" }],
    ["GOPROXY=a\nGOPROXY=b", { GOPROXY: "b" }],
    ["NOEQUALS\nGOSUMDB=", { GOSUMDB: "" }],
  ])("%j", (text, expected) => {
    expect(Object.fromEntries(parseGoEnvFile(text))).toEqual(expected);
  });
});

describe("file locations and update-set's own paths", () => {
  it.each([
    [{ GOENV: "/x/env", HOME: "/h" }, "/x/env"],
    [{ GOENV: "off", HOME: "/h" }, undefined],
    [{ XDG_CONFIG_HOME: "/cfg", HOME: "/h" }, "/cfg/go/env"],
    [{ XDG_CONFIG_HOME: "relative", HOME: "/h" }, undefined],
    [{ HOME: "/h" }, "/h/.config/go/env"],
  ])("goEnvFilePath(%j) = %s", (env, expected) => {
    expect(goEnvFilePath(env)).toBe(expected);
  });

  it("takes NETRC and XDG_CACHE_HOME from the environment", async () => {
    const noFiles = (): Promise<string> => Promise.reject(Object.assign(new Error("no"), { code: "ENOENT" }));
    const s = await readGoSettings({ HOME: "/h", NETRC: "/n/netrc", XDG_CACHE_HOME: "/c", PATH: "" }, noFiles);
    expect(s.netrcPath).toBe("/n/netrc");
    expect(s.cacheDir).toBe("/c/goset");
    const d = await readGoSettings({ HOME: "/h", PATH: "" }, noFiles);
    expect(d.netrcPath).toBe("/h/.netrc");
    expect(d.cacheDir).toBe("/h/.cache/goset");
  });

  it("falls back to Go's defaults when no file exists and GOROOT is unknown", async () => {
    const noFiles = (): Promise<string> => Promise.reject(new Error("ENOENT"));
    const s = await readGoSettings({ HOME: "/h", PATH: "" }, noFiles);
    expect(s.goproxy).toBe("https://proxy.golang.org,direct");
    expect(s.gosumdb).toBe("sum.golang.org");
    expect(s.gonoproxy).toBe("");
  });

  it("reads $GOROOT/go.env below the user file", async () => {
    const files: Record<string, string> = {
      "/u/env": "GOSUMDB=sum.user.example\n",
      "/goroot/go.env": "# defaults\nGOPROXY=https://distro.example,direct\nGOSUMDB=off\n",
    };
    const readFile = async (p: string): Promise<string> => {
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT ${p}`);
      return text;
    };
    const s = await readGoSettings({ HOME: "/h", GOENV: "/u/env", GOROOT: "/goroot", PATH: "" }, readFile);
    expect(s.goproxy).toBe("https://distro.example,direct");
    expect(s.gosumdb).toBe("sum.user.example");
  });

  it("rejects a relative XDG_CACHE_HOME", async () => {
    await expect(readGoSettings({ HOME: "/h", XDG_CACHE_HOME: "rel", PATH: "" })).rejects.toMatchObject({
      code: "GOSET_ENV_INVALID",
    });
  });
});

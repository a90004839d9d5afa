/**
 * A private module through a private proxy, end to end: an https proxy with
 * a self-signed certificate and basic auth that serves only corp.example/
 * (404 for everything else), listed first in GOPROXY before the public
 * fixture proxy. go, update-set and the Nix fetches read the same GOPROXY,
 * NETRC and SSL_CERT_FILE; no credential reaches any output or file. The Nix
 * fetches run in the sandbox, which shows them the CA and netrc only through
 * extra-sandbox-paths, and take their TLS roots as fetchGoModule documents.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFixtureProxy, makeTempDir, prepareFixture, removeTree, runGo, type Fixture } from "../fixture/index.js";
import { nixBuild, nixEnv } from "../nix/nix.js";
import { makeCertificate } from "../proxy/servers.js";
import { readLock, runCli, updateEnv, type CliResult, type Lock } from "../update/helpers.js";
import { startAuthProxy, type AuthProxy } from "./auth-proxy.js";
import { writeBuildUserFile } from "./buildusers.js";

const run = promisify(execFile);
const USER = "ci-bot";
const PASSWORD = "proxy-s3cret-91c2";
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");
const SECRET = "corp.example/secret";
const LINE = "PRIVATE strutil@v1.2.0 ~banner~ [lib v2.1.0]";

let fx: Fixture;
let tmp: string;
let priv: AuthProxy;
let caFile: string;
let netrc: string;
/** The directory of caFile and netrc: what the Nix fetches are shown of the host. */
let readable: string;
/** A copy of the CA that the build users may read but that is never in the sandbox. */
let unsandboxedCa: string;
let leafDir: string;
let goproxy: string;

/** The private patterns as a private proxy wants them: no checksum database, but no direct fetches either. */
const PRIVATE_ENV = { GOPRIVATE: "corp.example", GONOPROXY: "none", GONOSUMDB: "" };

async function writePrivateModule(modulesDir: string): Promise<void> {
  const dir = join(modulesDir, `${SECRET}@v1.0.0`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "go.mod"), `module ${SECRET}\n\ngo 1.22\n\nrequire example.com/shared/strutil v1.2.0\n`);
  await writeFile(join(dir, "secret.go"), 'package secret\n\nimport "example.com/shared/strutil"\n\nfunc Word() string { return strutil.Shout("private") }\n');
}

async function writeLeaf(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "go.mod"),
    `module example.com/leaf/private\n\ngo 1.22\n\nrequire (\n\t${SECRET} v1.0.0\n\texample.com/assets/banner v1.0.0\n\texample.com/lib/v2 v2.1.0\n\texample.com/shared/strutil v1.2.0\n)\n`,
  );
  await writeFile(
    join(dir, "main.go"),
    'package main\n\nimport (\n\t"fmt"\n\n\t"corp.example/secret"\n\t"example.com/assets/banner"\n\tlib "example.com/lib/v2"\n\t"example.com/shared/strutil"\n)\n\n' +
      "func main() { fmt.Println(secret.Word(), strutil.Version(), banner.Text(), lib.Name()) }\n",
  );
}

async function makeSet(): Promise<string> {
  const dir = await makeTempDir("goset-private-set-");
  await writeFile(join(dir, "leaves.yaml"), `leaves:\n  private:\n    path: ${relative(dir, leafDir)}\n`);
  return dir;
}

async function updateSet(setDir: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const cache = await makeTempDir("goset-private-cache-");
  try {
    return await runCli(["--set", setDir], updateEnv(goproxy, cache, { ...PRIVATE_ENV, SSL_CERT_FILE: caFile, ...env }));
  } finally {
    await removeTree(cache);
  }
}

/**
 * The environment of a Nix fetch of the private module: both CA variables
 * given (Nix passes one the caller did not set as ""), GIT_SSL_CAINFO empty,
 * `sandboxPaths` shown to the build.
 */
function fetchEnv(ca: { NIX_SSL_CERT_FILE: string; SSL_CERT_FILE: string }, sandboxPaths: readonly string[] = [readable]): NodeJS.ProcessEnv {
  return nixEnv({ GOPROXY: goproxy, ...PRIVATE_ENV, GOSUMDB: "off", GOINSECURE: "", NETRC: netrc, GIT_SSL_CAINFO: "", ...ca }, sandboxPaths);
}

/** host-pkgs.nix arguments making `file` the base's cacert bundle. */
const cacertOf = (file: string): string => `hostCABundle = ${file};`;

function expectNoSecret(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(PASSWORD);
    expect(t).not.toContain(BASIC);
  }
}

beforeAll(async () => {
  fx = await prepareFixture();
  tmp = await makeTempDir("goset-private-proxy-");
  const tls = await makeCertificate();
  caFile = await writeBuildUserFile(tmp, "nix-readable", "ca.pem", tls.cert);
  await writePrivateModule(join(tmp, "modules"));
  const tree = await buildFixtureProxy(join(tmp, "proxy"), { modulesDir: join(tmp, "modules") });
  priv = await startAuthProxy({ root: tree.root, tls, user: USER, password: PASSWORD, prefix: "corp.example/" });
  netrc = await writeBuildUserFile(tmp, "nix-readable", "netrc", `machine 127.0.0.1:${priv.port}\n  login ${USER}\n  password ${PASSWORD}\n`);
  readable = dirname(caFile);
  unsandboxedCa = await writeBuildUserFile(tmp, "not-in-sandbox", "ca.pem", tls.cert);
  goproxy = `${priv.url},${fx.proxyUrl}`;
  leafDir = join(tmp, "leaf");
  await writeLeaf(leafDir);
  await runGo(["mod", "tidy"], { cwd: leafDir, env: fx.goEnv({ GOPROXY: goproxy, ...PRIVATE_ENV, NETRC: netrc, SSL_CERT_FILE: caFile }) });
}, 600_000);

afterAll(async () => {
  await priv?.close();
  await fx?.close();
  if (tmp !== undefined) await removeTree(tmp);
});

describe("a private module through a private proxy with basic auth", () => {
  let setDir: string;
  let lock: Lock;
  let generated: CliResult;

  beforeAll(async () => {
    setDir = await makeSet();
    priv.requests.length = 0;
    generated = await updateSet(setDir, { NETRC: netrc });
    if (generated.code !== 0) throw new Error(`update-set failed:\n${generated.stderr}`);
    lock = await readLock(setDir);
  }, 300_000);

  afterAll(async () => {
    if (setDir !== undefined) await removeTree(setDir);
  });

  it("takes the private module from the private proxy with the netrc's credentials, the rest from the public one", async () => {
    expect(Object.keys(lock.modules).sort()).toEqual([SECRET, "example.com/assets/banner", "example.com/lib/v2", "example.com/shared/strutil"].sort());
    const goSum = await readFile(join(leafDir, "go.sum"), "utf8");
    expect(goSum).toContain(`${SECRET} v1.0.0 ${lock.modules[SECRET]?.sum}\n`);
    expect(lock.modules[SECRET]?.verified).toBe("go.sum");
    const privateAsked = priv.requests.filter((r) => r.path.startsWith(`/${SECRET}/`));
    expect(privateAsked.length).toBeGreaterThan(0);
    expect(privateAsked.every((r) => r.auth === "valid" && r.status === 200)).toBe(true);
    // Public modules were asked of the private proxy first, which answered 404, and then found on the fixture proxy.
    expect(priv.requests.some((r) => r.path === "/example.com/shared/strutil/@v/v1.2.0.zip" && r.status === 404)).toBe(true);
    expect(fx.server.requests).toContain("/example.com/shared/strutil/@v/v1.2.0.zip");
    expect(fx.server.requests.some((p) => p.startsWith("/corp.example/"))).toBe(false);
  });

  it("keeps the credentials out of the output and every generated file", async () => {
    expectNoSecret(generated.stdout, generated.stderr);
    const { stdout } = await run("grep", ["-r", "-l", "-F", "-e", PASSWORD, "-e", BASIC, setDir]).catch((e: { code: number; stdout: string }) => e);
    expect(stdout).toBe("");
  });

  it("works with the credentials in the https GOPROXY URL instead of a netrc", async () => {
    const dir = await makeSet();
    try {
      const withAuth = `${priv.url.replace("://", `://${USER}:${PASSWORD}@`)},${fx.proxyUrl}`;
      const cache = await makeTempDir("goset-private-cache-");
      const res = await runCli(["--set", dir], updateEnv(withAuth, cache, { ...PRIVATE_ENV, SSL_CERT_FILE: caFile, NETRC: join(tmp, "no-netrc") }));
      await removeTree(cache);
      expect(res.code, res.stderr).toBe(0);
      expect((await readLock(dir)).modules).toEqual(lock.modules);
      expectNoSecret(res.stdout, res.stderr, await readFile(join(dir, "set.lock.yaml"), "utf8"));
    } finally {
      await removeTree(dir);
    }
  });

  it.each([
    ["no netrc", "none", "Credentials sent: none (no entry for 127.0.0.1:PORT in NETRC and no user:password in the GOPROXY URL)"],
    ["a wrong password", "wrong", "Credentials sent: the netrc entry for 127.0.0.1:PORT in NETRC"],
  ])("with %s it fails with GOSET_PROXY_AUTH naming the module and the credential source", async (_what, kind, source) => {
    const dir = await makeSet();
    try {
      const file = kind === "none" ? join(tmp, "no-netrc") : join(tmp, "wrong-netrc");
      if (kind === "wrong") await writeFile(file, `machine 127.0.0.1:${priv.port} login ${USER} password not-${PASSWORD}\n`);
      const res = await updateSet(dir, { NETRC: file });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/error GOSET_PROXY_AUTH: corp\.example\/secret@v1\.0\.0 \S+: the proxy refused access \(https:\/\/127\.0\.0\.1:\d+\/: 401 Unauthorized/);
      expect(res.stderr).toContain(source.replace("PORT", String(priv.port)).replace("NETRC", file));
      expectNoSecret(res.stdout, res.stderr);
    } finally {
      await removeTree(dir);
    }
  });

  it("builds the leaf with Nix, fetching through the same proxies with NETRC and SSL_CERT_FILE passed through", async () => {
    const env = fetchEnv({ NIX_SSL_CERT_FILE: "", SSL_CERT_FILE: caFile });
    const build = await nixBuild(setDir, "leaves.private", env);
    expect(build.code, build.stderr.slice(-3000)).toBe(0);
    const out = build.stdout.trim();
    const { stdout } = await run(join(out, "bin", "private"));
    expect(stdout.trim()).toBe(LINE);
    // --check fetches again even when the store already has the module: the credentials really are used.
    priv.requests.length = 0;
    const attr = `goPackages."${SECRET}".src`;
    const check = await nixBuild(setDir, attr, env, ["--check"]);
    expect(check.code, check.stderr.slice(-3000)).toBe(0);
    expect(priv.requests.some((r) => r.path === `/${SECRET}/@v/v1.0.0.zip` && r.auth === "valid" && r.status === 200)).toBe(true);
    const src = check.stdout.trim();
    const drv = (await run("nix-store", ["--query", "--deriver", src])).stdout.trim();
    expectNoSecret(await readFile(drv, "utf8"), build.stderr, check.stderr);
    const leaked = await run("grep", ["-r", "-l", "-F", "-e", PASSWORD, "-e", BASIC, src, out]).catch((e: { code: number; stdout: string }) => e);
    expect(leaked.stdout).toBe("");
    const denied = await nixBuild(setDir, attr, { ...env, NETRC: join(tmp, "no-netrc") }, ["--check"]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/corp\.example\/secret@v1\.0\.0: .*401 Unauthorized/);
    expectNoSecret(denied.stderr);
  }, 1_200_000);

  describe("the TLS roots of the fetch in the sandbox", () => {
    const attr = `goPackages."${SECRET}".src`;
    const NOT_READABLE = "is not readable in this build";

    /** Fetches the private module again (--check), and whether the private proxy served its zip to the netrc's credentials. */
    async function refetch(env: NodeJS.ProcessEnv, pkgsArgs = ""): Promise<{ code: number; stderr: string; served: boolean }> {
      priv.requests.length = 0;
      const res = await nixBuild(setDir, attr, env, ["--check"], "host", pkgsArgs);
      const served = priv.requests.some((r) => r.path === `/${SECRET}/@v/v1.0.0.zip` && r.auth === "valid" && r.status === 200);
      return { code: res.code, stderr: res.stderr, served };
    }

    beforeAll(async () => {
      // --check needs the output in the store.
      const res = await nixBuild(setDir, attr, fetchEnv({ NIX_SSL_CERT_FILE: caFile, SSL_CERT_FILE: "" }));
      if (res.code !== 0) throw new Error(`nix-build ${attr} failed:\n${res.stderr.slice(-3000)}`);
    }, 300_000);

    it.each([
      ["NIX_SSL_CERT_FILE, with SSL_CERT_FILE empty", "CA", ""],
      ["NIX_SSL_CERT_FILE, with SSL_CERT_FILE /no-cert-file.crt", "CA", "/no-cert-file.crt"],
      ["SSL_CERT_FILE, with NIX_SSL_CERT_FILE empty", "", "CA"],
      ["SSL_CERT_FILE, with NIX_SSL_CERT_FILE /no-cert-file.crt", "/no-cert-file.crt", "CA"],
    ])("trusts the CA named by %s, not taking the other for a configured CA", async (_what, nixSsl, ssl) => {
      const ca = (v: string): string => (v === "CA" ? caFile : v);
      const res = await refetch(fetchEnv({ NIX_SSL_CERT_FILE: ca(nixSsl), SSL_CERT_FILE: ca(ssl) }));
      expect(res.code, res.stderr.slice(-3000)).toBe(0);
      expect(res.served).toBe(true);
      expect(res.stderr).not.toContain(NOT_READABLE);
    });

    it("trusts the base's cacert when neither variable names a CA", async () => {
      const res = await refetch(fetchEnv({ NIX_SSL_CERT_FILE: "", SSL_CERT_FILE: "" }), cacertOf(caFile));
      expect(res.code, res.stderr.slice(-3000)).toBe(0);
      expect(res.served).toBe(true);
      expect(res.stderr).not.toContain(NOT_READABLE);
    });

    it("fails with a certificate error when neither variable names a CA and cacert is the host's bundle", async () => {
      const res = await refetch(fetchEnv({ NIX_SSL_CERT_FILE: "", SSL_CERT_FILE: "" }));
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/corp\.example\/secret@v1\.0\.0: .*x509: certificate signed by unknown authority/);
      expect(res.served).toBe(false);
      expectNoSecret(res.stderr);
    });

    it("reports a configured CA outside the sandbox and uses cacert instead", async () => {
      const env = fetchEnv({ NIX_SSL_CERT_FILE: "", SSL_CERT_FILE: unsandboxedCa });
      const message = `fetchGoModule: SSL_CERT_FILE=${unsandboxedCa} ${NOT_READABLE}`;
      const withTestCacert = await refetch(env, cacertOf(caFile));
      expect(withTestCacert.code, withTestCacert.stderr.slice(-3000)).toBe(0);
      expect(withTestCacert.served).toBe(true);
      expect(withTestCacert.stderr).toContain(message);
      const withHostCacert = await refetch(env);
      expect(withHostCacert.code).not.toBe(0);
      expect(withHostCacert.stderr).toContain(message);
      expect(withHostCacert.stderr).toMatch(/x509: certificate signed by unknown authority/);
      // The same file in the sandbox is read: the build users could always read it.
      const shown = await refetch(fetchEnv({ NIX_SSL_CERT_FILE: "", SSL_CERT_FILE: unsandboxedCa }, [readable, dirname(unsandboxedCa)]));
      expect(shown.code, shown.stderr.slice(-3000)).toBe(0);
      expect(shown.served).toBe(true);
      expect(shown.stderr).not.toContain(NOT_READABLE);
    }, 600_000);
  });
});

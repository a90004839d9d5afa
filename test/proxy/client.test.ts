import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GosetError } from "../../generator/errors.js";
import { createModuleProxy, type ModuleProxy, type ModuleProxyOptions } from "../../generator/proxy/client.js";
import { makeCertificate, routes, settingsFor, startServer, type Handler, type TestServer, type TlsMaterial } from "./servers.js";

const FAST: ModuleProxyOptions = { timeoutMs: 5_000, retries: 2, backoffMs: 1 };

let tmp: string;
const servers: TestServer[] = [];
const proxies: ModuleProxy[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "goset-proxy-"));
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function serve(handler: Handler, tls?: TlsMaterial): Promise<TestServer> {
  const s = await startServer(handler, tls);
  servers.push(s);
  return s;
}

function proxyFor(goproxy: string, options: ModuleProxyOptions = FAST, extra = {}): ModuleProxy {
  const p = createModuleProxy(settingsFor(goproxy, extra), options);
  proxies.push(p);
  return p;
}

async function failureOf(p: Promise<unknown>): Promise<GosetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GosetError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

/** Everything an error could show a user or a log. */
function visibleText(e: GosetError): string {
  const cause = e.cause instanceof Error ? `${e.cause.message} ${e.cause.stack ?? ""}` : String(e.cause);
  return [e.message, e.hint ?? "", e.stack ?? "", JSON.stringify(e), cause, String(e)].join("\n");
}

const UUID = "github.com/google/uuid";
const INFO = JSON.stringify({ Version: "v1.6.0", Time: "2024-01-23T18:54:04Z" });
const MOD = "module github.com/google/uuid\n";

describe("walking the GOPROXY list", () => {
  it("after `,` tries the next proxy on 404 and uses its answer", async () => {
    const a = await serve(routes({}));
    const b = await serve(routes({ [`/${UUID}/@v/v1.6.0.mod`]: MOD }));
    const mod = await proxyFor(`${a.url},${b.url}`).goMod(UUID, "v1.6.0");
    expect(mod.toString()).toBe(MOD);
    expect(a.requests.map((r) => r.url)).toEqual([`/${UUID}/@v/v1.6.0.mod`]);
    expect(b.requests).toHaveLength(1);
  });

  it("after `,` stops at a server error (after retrying it)", async () => {
    const a = await serve((_req, res) => {
      res.writeHead(500);
      res.end("boom");
    });
    const b = await serve(routes({ [`/${UUID}/@v/v1.6.0.mod`]: MOD }));
    const err = await failureOf(proxyFor(`${a.url},${b.url}`).goMod(UUID, "v1.6.0"));
    expect(err.code).toBe("GOSET_PROXY_HTTP");
    expect(err.message).toContain(`${UUID}@v1.6.0`);
    expect(err.message).toContain(`${a.url}/: 500 Internal Server Error: boom (after 3 attempts)`);
    expect(a.requests).toHaveLength(3);
    expect(b.requests).toHaveLength(0);
  });

  it("after `|` tries the next proxy on any error", async () => {
    const a = await serve((_req, res) => {
      res.writeHead(502);
      res.end();
    });
    const b = await serve(routes({ [`/${UUID}/@v/v1.6.0.info`]: INFO }));
    const info = await proxyFor(`${a.url}|${b.url}`).info(UUID, "v1.6.0");
    expect(info).toEqual({ Version: "v1.6.0", Time: "2024-01-23T18:54:04Z" });
    expect(a.requests).toHaveLength(3);
    expect(b.requests).toHaveLength(1);
  });

  it("reports GOSET_PROXY_NOT_FOUND naming every proxy and what it said", async () => {
    const a = await serve(routes({}));
    const b = await serve((_req, res) => {
      res.writeHead(410);
      res.end("gone for good");
    });
    const err = await failureOf(proxyFor(`${a.url},${b.url}`).info(UUID, "v9.9.9"));
    expect(err.code).toBe("GOSET_PROXY_NOT_FOUND");
    expect(err.message).toContain(`${UUID}@v9.9.9: not found on any proxy`);
    expect(err.message).toContain(`${a.url}/: 404 Not Found: not found: /${UUID}/@v/v9.9.9.info`);
    expect(err.message).toContain(`${b.url}/: 410 Gone: gone for good`);
    expect(err.hint).toBeTruthy();
    // 404 and 410 are answers, not failures: no retries.
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
  });

  it("GOPROXY=off disables lookups", async () => {
    const err = await failureOf(proxyFor("off").listVersions(UUID));
    expect(err.code).toBe("GOSET_PROXY_OFF");
    expect(err.message).toContain("module lookup disabled by GOPROXY=off");
    expect(err.hint).toContain("GOPROXY");
  });

  it("a proxy's 404 followed by off reports off and the 404", async () => {
    const a = await serve(routes({}));
    const err = await failureOf(proxyFor(`${a.url},off`).listVersions(UUID));
    expect(err.code).toBe("GOSET_PROXY_OFF");
    expect(err.message).toContain(`${a.url}/: 404 Not Found`);
  });

  // Module paths on hosts that never resolve: direct (version control) fails fast and the same way everywhere.
  const PRIVATE = "git.corp.invalid/team/lib";

  it("reaching direct reports why version control failed, after the proxies' answers", async () => {
    const a = await serve(routes({}));
    const err = await failureOf(proxyFor(`${a.url},direct`).goMod(PRIVATE, "v1.6.0"));
    expect(err.code).toBe("GOSET_VCS");
    expect(err.message).toContain(`${PRIVATE}@v1.6.0`);
    expect(err.message).toContain("404 Not Found");
    expect(err.message).toContain(`direct: resolving ${PRIVATE}: unrecognized import path "${PRIVATE}": https fetch:`);
    expect(err.hint).toContain("git ls-remote");
  });

  it("like go, prefers direct's error to an earlier proxy failure", async () => {
    const a = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const err = await failureOf(proxyFor(`${a.url}|direct`, { ...FAST, retries: 0 }).goMod(PRIVATE, "v1.6.0"));
    expect(err.code).toBe("GOSET_VCS");
    expect(err.message).toContain("503 Service Unavailable");
    expect(err.message).toContain("direct: resolving");
  });

  it("a GOPRIVATE match goes direct without asking any proxy", async () => {
    const a = await serve(routes({}));
    const p = proxyFor(a.url, FAST, { goprivate: "*.corp.invalid,rsc.io", gonoproxy: "*.corp.invalid,rsc.io" });
    const err = await failureOf(p.info(PRIVATE, "v1.0.0"));
    expect(err.code).toBe("GOSET_VCS");
    expect(err.message).toContain(`${PRIVATE}@v1.0.0`);
    expect(err.message).toContain("GOPRIVATE=*.corp.invalid,rsc.io, so it is fetched directly from version control");
    expect(err.hint).toContain("GONOPROXY=none");
    expect(a.requests).toHaveLength(0);
  });

  it("an explicit GONOPROXY is named as such", async () => {
    const p = proxyFor("https://proxy.invalid", FAST, { goprivate: "a.example", gonoproxy: "b.invalid" });
    const err = await failureOf(p.listVersions("b.invalid/x"));
    expect(err.code).toBe("GOSET_VCS");
    expect(err.message).toContain("GONOPROXY=b.invalid");
  });
});

describe("retries", () => {
  it("retries a 500 and then succeeds", async () => {
    const a = await serve((req, res, i) => {
      if (i === 0) {
        res.writeHead(500);
        res.end();
      } else routes({ [`/${UUID}/@v/list`]: "v1.6.0\nv1.5.0\n" })(req, res, i);
    });
    expect(await proxyFor(a.url).listVersions(UUID)).toEqual(["v1.5.0", "v1.6.0"]);
    expect(a.requests).toHaveLength(2);
  });

  it("honours Retry-After on 429", async () => {
    const a = await serve((req, res, i) => {
      if (i === 0) {
        res.writeHead(429, { "retry-after": "1" });
        res.end("slow down");
      } else routes({ [`/${UUID}/@v/list`]: "v1.0.0\n" })(req, res, i);
    });
    expect(await proxyFor(a.url, { ...FAST, backoffMs: 1 }).listVersions(UUID)).toEqual(["v1.0.0"]);
    expect(a.requests).toHaveLength(2);
    const [first, second] = a.requests;
    // With a 1 ms backoff only the server's Retry-After can explain a gap of a second.
    expect(Number((second?.at ?? 0n) - (first?.at ?? 0n)) / 1e6).toBeGreaterThanOrEqual(950);
  });

  it("a server that never answers times out with GOSET_PROXY_TIMEOUT", async () => {
    const a = await serve(() => {
      // Never respond.
    });
    const err = await failureOf(proxyFor(a.url, { timeoutMs: 200, retries: 1, backoffMs: 1 }).listVersions(UUID));
    expect(err.code).toBe("GOSET_PROXY_TIMEOUT");
    expect(err.message).toContain("no response within 200 ms (after 2 attempts)");
    expect(a.requests).toHaveLength(2);
  });

  it("does not retry a 400", async () => {
    const a = await serve((_req, res) => {
      res.writeHead(400);
      res.end("bad");
    });
    const err = await failureOf(proxyFor(a.url).listVersions(UUID));
    expect(err.code).toBe("GOSET_PROXY_HTTP");
    expect(a.requests).toHaveLength(1);
  });

  it("reuses one keep-alive connection for sequential requests", async () => {
    const a = await serve(routes({ [`/${UUID}/@v/list`]: "v1.0.0\n" }));
    const p = proxyFor(a.url);
    for (let i = 0; i < 5; i++) await p.listVersions(UUID);
    await p.listVersions("example.com/missing").catch(() => undefined);
    await p.listVersions(UUID);
    expect(a.requests).toHaveLength(7);
    // undici may open a second socket while the first is being released; never one per request.
    expect(a.connections()).toBeLessThanOrEqual(2);
  });
});

describe("credentials", () => {
  let tls: TlsMaterial;
  beforeAll(async () => {
    tls = await makeCertificate();
  });

  async function writeNetrc(text: string): Promise<string> {
    const file = join(await mkdtemp(join(tmp, "netrc-")), "netrc");
    await writeFile(file, text);
    return file;
  }

  const basic = (user: string, password: string): string =>
    "Basic " + Buffer.from(`${user}:${password}`).toString("base64");

  it("sends user:password from an https GOPROXY URL as basic auth", async () => {
    const a = await serve(routes({ [`/${UUID}/@v/list`]: "v1.0.0\n" }), tls);
    const withAuth = a.url.replace("://", "://alice:url-s3cret-pw@");
    await proxyFor(withAuth, { ...FAST, caCertificates: tls.cert }).listVersions(UUID);
    expect(a.requests[0]?.authorization).toBe(basic("alice", "url-s3cret-pw"));
  });

  it("like go, refuses to send GOPROXY URL credentials over plain http", async () => {
    const a = await serve(routes({ [`/${UUID}/@v/list`]: "v1.0.0\n" }));
    const withAuth = a.url.replace("://", "://alice:url-plain-pw@");
    const err = await failureOf(proxyFor(withAuth).listVersions(UUID));
    expect(err.code).toBe("GOSET_PROXY_AUTH");
    expect(err.message).toContain(`refusing to pass credentials to insecure URL ${a.url}/`);
    expect(a.requests).toHaveLength(0);
    expect(visibleText(err)).not.toContain("url-plain-pw");
  });

  it("sends netrc credentials to an https proxy", async () => {
    const a = await serve(routes({ [`/${UUID}/@v/list`]: "v1.0.0\n" }), tls);
    const netrcPath = await writeNetrc(`machine 127.0.0.1:${a.port}\n  login bob\n  password netrc-https-pw\n`);
    const p = createModuleProxy(settingsFor(a.url, { netrcPath }), { ...FAST, caCertificates: tls.cert });
    proxies.push(p);
    expect(await p.listVersions(UUID)).toEqual(["v1.0.0"]);
    expect(a.requests[0]?.authorization).toBe(basic("bob", "netrc-https-pw"));
  });

  it("never sends netrc credentials over plain http", async () => {
    const a = await serve((_req, res) => {
      res.writeHead(401);
      res.end("who are you");
    });
    const netrcPath = await writeNetrc(`machine 127.0.0.1:${a.port} login bob password netrc-http-pw\n`);
    const err = await failureOf(proxyFor(a.url, FAST, { netrcPath }).listVersions(UUID));
    expect(a.requests[0]?.authorization).toBeUndefined();
    expect(err.code).toBe("GOSET_PROXY_AUTH");
    expect(err.hint).toContain("plain http");
  });

  it("a 401 names the credential source and never the secret", async () => {
    const secret = "Zq9-very-secret-token";
    const a = await serve((req, res) => {
      res.writeHead(401);
      // A careless proxy echoing what it got.
      res.end(`denied for ${req.headers.authorization} (${secret})`);
    }, tls);
    const withAuth = a.url.replace("://", `://carol:${secret}@`);
    const err = await failureOf(proxyFor(withAuth, { ...FAST, caCertificates: tls.cert }).goMod(UUID, "v1.6.0"));
    expect(err.code).toBe("GOSET_PROXY_AUTH");
    expect(err.message).toContain(`${UUID}@v1.6.0`);
    expect(err.message).toContain("401 Unauthorized");
    expect(err.hint).toContain("the user:password in the GOPROXY URL");
    const text = visibleText(err);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(`carol:${secret}`).toString("base64"));
  });

  it("a 403 over https names the netrc file and hides its password", async () => {
    const secret = "netrc-pw-0451";
    const a = await serve((req, res) => {
      res.writeHead(403);
      res.end(`nope ${req.headers.authorization}`);
    }, tls);
    const netrcPath = await writeNetrc(`machine 127.0.0.1:${a.port} login dave password ${secret}\n`);
    const p = createModuleProxy(settingsFor(a.url, { netrcPath }), { ...FAST, caCertificates: tls.cert });
    proxies.push(p);
    const err = await failureOf(p.latest(UUID));
    expect(err.code).toBe("GOSET_PROXY_AUTH");
    expect(err.hint).toContain(netrcPath);
    const text = visibleText(err);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(`dave:${secret}`).toString("base64"));
  });

  it("does not forward URL credentials to another host on redirect", async () => {
    const target = await serve(routes({ [`/${UUID}/@v/list`]: "v1.2.3\n" }), tls);
    const a = await serve((req, res) => {
      res.writeHead(302, { location: `${target.url}${req.url}` });
      res.end();
    }, tls);
    const withAuth = a.url.replace("://", "://erin:redirect-pw@");
    expect(await proxyFor(withAuth, { ...FAST, caCertificates: tls.cert }).listVersions(UUID)).toEqual(["v1.2.3"]);
    expect(a.requests[0]?.authorization).toBe(basic("erin", "redirect-pw"));
    expect(target.requests[0]?.authorization).toBeUndefined();
  });

  it("refuses a redirect from https to http", async () => {
    const plain = await serve(routes({ [`/${UUID}/@v/list`]: "v1.0.0\n" }));
    const a = await serve((req, res) => {
      res.writeHead(301, { location: `${plain.url}${req.url}` });
      res.end();
    }, tls);
    const p = createModuleProxy(settingsFor(a.url), { ...FAST, caCertificates: tls.cert });
    proxies.push(p);
    const err = await failureOf(p.listVersions(UUID));
    expect(err.code).toBe("GOSET_PROXY_HTTP");
    expect(err.message).toContain("to insecure URL");
    expect(plain.requests).toHaveLength(0);
  });

  it("stops after 10 redirects", async () => {
    const a = await serve((req, res) => {
      res.writeHead(302, { location: `${req.url}x` });
      res.end();
    });
    const err = await failureOf(proxyFor(a.url).listVersions(UUID));
    expect(err.message).toContain("stopped after 10 redirects");
    expect(a.requests).toHaveLength(11);
  });
});

describe("protocol details", () => {
  it("case-escapes paths and versions in URLs", async () => {
    const a = await serve(routes({ "/github.com/!burnt!sushi/toml/@v/v1.0.0-!r!c1.info": '{"Version":"v1.0.0-RC1"}' }));
    const info = await proxyFor(a.url).info("github.com/BurntSushi/toml", "v1.0.0-RC1");
    expect(info).toEqual({ Version: "v1.0.0-RC1" });
    expect(a.requests.map((r) => r.url)).toEqual(["/github.com/!burnt!sushi/toml/@v/v1.0.0-!r!c1.info"]);
  });

  it("keeps the proxy URL's own path", async () => {
    const a = await serve(routes({ [`/mirror/go/${UUID}/@v/list`]: "" }));
    expect(await proxyFor(`${a.url}/mirror/go/`).listVersions(UUID)).toEqual([]);
  });

  it("lists release versions sorted, without pseudo-versions", async () => {
    const list = "v1.10.0\nv1.2.0 2020-01-01T00:00:00Z\nv0.0.0-20200101000000-abcdefabcdef\nv1.2.0\nnot-a-version\nv2.0.0-rc.1\n";
    const a = await serve(routes({ [`/${UUID}/@v/list`]: list }));
    expect(await proxyFor(a.url).listVersions(UUID)).toEqual(["v1.2.0", "v1.10.0", "v2.0.0-rc.1"]);
  });

  it("latest uses @latest when the proxy has it", async () => {
    const a = await serve(routes({ [`/${UUID}/@latest`]: INFO }));
    expect((await proxyFor(a.url).latest(UUID)).Version).toBe("v1.6.0");
  });

  it("latest falls back to the highest release in @v/list on the same proxy", async () => {
    const a = await serve(
      routes({
        [`/${UUID}/@v/list`]: "v1.5.0\nv1.6.0\nv1.7.0-beta.1\n",
        [`/${UUID}/@v/v1.6.0.info`]: INFO,
      }),
    );
    expect(await proxyFor(a.url).latest(UUID)).toEqual({ Version: "v1.6.0", Time: "2024-01-23T18:54:04Z" });
    expect(a.requests.map((r) => r.url)).toEqual([`/${UUID}/@latest`, `/${UUID}/@v/list`, `/${UUID}/@v/v1.6.0.info`]);
  });

  it("rejects an invalid .info answer", async () => {
    const a = await serve(routes({ [`/${UUID}/@v/v1.6.0.info`]: "<html>" }));
    const err = await failureOf(proxyFor(a.url).info(UUID, "v1.6.0"));
    expect(err.code).toBe("GOSET_PROXY_HTTP");
    expect(err.message).toContain("invalid JSON");
  });

  it.each([
    ["../etc/passwd", "v1.0.0", "GOSET_PATH_INVALID"],
    ["example.com/a b", "v1.0.0", "GOSET_PATH_INVALID"],
    ["example.com/a", "v1.0", "GOSET_VERSION_INVALID"],
    ["example.com/a", "v1.0.0/../x", "GOSET_VERSION_INVALID"],
  ])("rejects %s@%s before any request", async (path, version, code) => {
    const a = await serve(routes({}));
    const err = await failureOf(proxyFor(a.url).goMod(path, version));
    expect(err.code).toBe(code);
    expect(a.requests).toHaveLength(0);
  });

  it("rejects a bad GOPROXY when the client is made", () => {
    expect(() => createModuleProxy(settingsFor("ftp://example.com"))).toThrow(/must be https, http, file/);
  });
});

describe("zips", () => {
  it("streams a zip to the destination file", async () => {
    const zip = randomBytes(3 * 1024 * 1024 + 17);
    const a = await serve((req, res) => {
      if (req.url !== `/${UUID}/@v/v1.6.0.zip`) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { "content-length": String(zip.length) });
      // Several writes, so the body arrives in many chunks.
      for (let off = 0; off < zip.length; off += 256 * 1024) res.write(zip.subarray(off, off + 256 * 1024));
      res.end();
    });
    const dest = join(tmp, "zips", "a", "uuid@v1.6.0.zip");
    const { bytes } = await proxyFor(a.url).downloadZip(UUID, "v1.6.0", dest);
    expect(bytes).toBe(zip.length);
    expect((await readFile(dest)).equals(zip)).toBe(true);
    expect(await readdir(join(tmp, "zips", "a"))).toEqual(["uuid@v1.6.0.zip"]);
  });

  it("a truncated body is an error, not a short file", async () => {
    const a = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100000" });
      res.write(Buffer.alloc(40000, 1));
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const dir = join(tmp, "zips", "truncated");
    const err = await failureOf(proxyFor(a.url, { ...FAST, retries: 1 }).downloadZip(UUID, "v1.6.0", join(dir, "x.zip")));
    expect(err.code).toBe("GOSET_PROXY_HTTP");
    expect(err.message).toContain(`${UUID}@v1.6.0 (zip)`);
    expect(a.requests).toHaveLength(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a truncated go.mod is an error too", async () => {
    const a = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "500" });
      res.write("module github.com/google/uuid\n");
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const err = await failureOf(proxyFor(a.url, { ...FAST, retries: 0 }).goMod(UUID, "v1.6.0"));
    expect(err.code).toBe("GOSET_PROXY_HTTP");
  });
});

describe("file:// proxies", () => {
  let root: string;
  beforeAll(async () => {
    root = join(tmp, "fileproxy");
    const v = join(root, "github.com", "!burnt!sushi", "toml", "@v");
    await mkdir(v, { recursive: true });
    await writeFile(join(v, "list"), "v1.0.0-RC1\nv0.4.1\n");
    await writeFile(join(v, "v0.4.1.info"), '{"Version":"v0.4.1","Time":"2020-01-01T00:00:00Z"}');
    await writeFile(join(v, "v0.4.1.mod"), "module github.com/BurntSushi/toml\n");
    await writeFile(join(v, "v0.4.1.zip"), Buffer.from("PK-not-really-a-zip"));
  });
  const TOML = "github.com/BurntSushi/toml";

  it("reads the proxy layout from disk", async () => {
    const p = proxyFor(pathToFileURL(root).href);
    expect(await p.listVersions(TOML)).toEqual(["v0.4.1", "v1.0.0-RC1"]);
    expect((await p.goMod(TOML, "v0.4.1")).toString()).toBe("module github.com/BurntSushi/toml\n");
    expect(await p.latest(TOML)).toEqual({ Version: "v0.4.1", Time: "2020-01-01T00:00:00Z" });
    const dest = join(tmp, "fromfile", "toml.zip");
    expect(await p.downloadZip(TOML, "v0.4.1", dest)).toEqual({ bytes: 19 });
    expect((await readFile(dest)).toString()).toBe("PK-not-really-a-zip");
  });

  it("a missing file falls through like a 404", async () => {
    const b = await serve(routes({ "/example.com/other/@v/list": "v0.1.0\n" }));
    const p = proxyFor(`${pathToFileURL(root).href},${b.url}`);
    expect(await p.listVersions("example.com/other")).toEqual(["v0.1.0"]);
    const err = await failureOf(p.info(TOML, "v9.0.0"));
    expect(err.code).toBe("GOSET_PROXY_NOT_FOUND");
    expect(err.message).toContain(pathToFileURL(root).href);
  });
});

describe("close", () => {
  it("can be called twice", async () => {
    const p = createModuleProxy(settingsFor("off"));
    await p.close();
    await expect(p.close()).resolves.toBeUndefined();
  });
});

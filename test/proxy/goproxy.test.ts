import { describe, expect, it } from "vitest";
import { GosetError } from "../../generator/errors.js";
import { describeProxyEntry, parseGoProxy, type ProxyEntry } from "../../generator/proxy/goproxy.js";

describe("parseGoProxy", () => {
  it.each<[string, ProxyEntry[]]>([
    [
      "https://proxy.golang.org,direct",
      [{ kind: "url", url: "https://proxy.golang.org/", fallThrough: "notFound" }, { kind: "direct" }],
    ],
    [
      "https://a.example|https://b.example,https://c.example",
      [
        { kind: "url", url: "https://a.example/", fallThrough: "anyError" },
        { kind: "url", url: "https://b.example/", fallThrough: "notFound" },
        { kind: "url", url: "https://c.example/", fallThrough: "notFound" },
      ],
    ],
    ["proxy.example.com/go", [{ kind: "url", url: "https://proxy.example.com/go", fallThrough: "notFound" }]],
    ["localhost:3000", [{ kind: "url", url: "https://localhost:3000/", fallThrough: "notFound" }]],
    ["http://127.0.0.1:8080", [{ kind: "url", url: "http://127.0.0.1:8080/", fallThrough: "notFound" }]],
    [
      "https://user:p%40ss@goproxy.corp.example/path|direct",
      [
        {
          kind: "url",
          url: "https://goproxy.corp.example/path",
          auth: { user: "user", password: "p@ss" },
          fallThrough: "anyError",
        },
        { kind: "direct" },
      ],
    ],
    ["off,https://a.example", [{ kind: "off" }]],
    ["direct|https://a.example", [{ kind: "direct" }]],
    [" https://a.example , ,direct", [{ kind: "url", url: "https://a.example/", fallThrough: "notFound" }, { kind: "direct" }]],
    ["file:///srv/goproxy", [{ kind: "url", url: "file:///srv/goproxy", fallThrough: "notFound" }]],
    ["file:/srv/goproxy", [{ kind: "url", url: "file:///srv/goproxy", fallThrough: "notFound" }]],
  ])("%s", (value, expected) => {
    expect(parseGoProxy(value)).toEqual(expected);
  });

  it.each([
    ["", "no entries"],
    [",", "no entries"],
    [" | ", "no entries"],
    ["ftp://example.com", "must be https, http, file"],
    ["foo", "missing scheme"],
    ["/srv/goproxy", "missing scheme"],
    ["file://host/srv", "non-path elements"],
    ["file:///srv?x=1", "non-path elements"],
    ["https://ok.example,gopher://bad.example", "must be https, http, file"],
  ])("rejects %j (%s)", (value, reason) => {
    let caught: unknown;
    try {
      parseGoProxy(value);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GosetError);
    const err = caught as GosetError;
    expect(err.code).toBe("GOSET_ENV_INVALID");
    expect(err.message).toContain(reason);
    expect(err.hint).toContain("GOPROXY");
  });

  it("keeps a password out of its error", () => {
    let message = "";
    try {
      parseGoProxy("https://u:pw-in-goproxy-1@ok.example|ftp://u:pw-in-goproxy-2@bad.example");
    } catch (e) {
      message = (e as GosetError).message;
    }
    expect(message).toContain("must be https, http, file");
    expect(message).not.toContain("pw-in-goproxy-1");
    expect(message).not.toContain("pw-in-goproxy-2");
  });

  it("names entries without credentials", () => {
    const entries = parseGoProxy("https://u:secretpw@a.example,off");
    expect(entries.map(describeProxyEntry)).toEqual(["https://a.example/", "off"]);
  });
});

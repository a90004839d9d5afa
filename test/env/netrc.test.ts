import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credentialsFor, netrcPathFor, parseNetrc, readNetrc } from "../../generator/env/netrc.js";
import { processSecrets } from "../../generator/redact.js";

describe("parseNetrc", () => {
  it("reads one-line and multi-line entries", () => {
    const text = [
      "machine a.example login alice password pw-alice-1",
      "machine b.example",
      "  login bob",
      "  account acct",
      "  password pw-bob-2",
      "default login anon password pw-anon-3",
    ].join("\n");
    expect(parseNetrc(text)).toEqual([
      { machine: "a.example", isDefault: false, login: "alice", password: "pw-alice-1", account: "" },
      { machine: "b.example", isDefault: false, login: "bob", password: "pw-bob-2", account: "acct" },
      { machine: "", isDefault: true, login: "anon", password: "pw-anon-3", account: "" },
    ]);
  });

  it("skips macdef bodies up to the next empty line", () => {
    const text = [
      "machine a.example login alice password pw-a-111",
      "macdef init",
      "machine evil.example login mallory password not-an-entry",
      "cd /pub",
      "",
      "machine c.example login carol password pw-c-222",
    ].join("\n");
    expect(parseNetrc(text).map((e) => [e.machine, e.login])).toEqual([
      ["a.example", "alice"],
      ["c.example", "carol"],
    ]);
  });

  it("accepts a value on the next line", () => {
    expect(parseNetrc("machine\nhost.example\nlogin\nu\npassword\npw-next-line")).toEqual([
      { machine: "host.example", isDefault: false, login: "u", password: "pw-next-line", account: "" },
    ]);
  });

  it("registers every password as a secret", () => {
    parseNetrc("machine x.example login u password registered-pw-42");
    expect(processSecrets.redact("curl said registered-pw-42")).toBe("curl said ***");
  });
});

describe("credentialsFor", () => {
  const entries = parseNetrc(
    [
      "machine proxy.example login first password pw-first",
      "machine proxy.example login second password pw-second",
      "machine proxy.example:8443 login ported password pw-ported",
      "machine nopass.example login lonely",
      "default login anon password pw-anon",
    ].join("\n"),
  );
  it.each([
    ["proxy.example", { user: "first", password: "pw-first" }],
    ["proxy.example:8443", { user: "ported", password: "pw-ported" }],
    ["nopass.example", undefined],
    ["other.example", undefined],
  ])("%s", (host, expected) => {
    expect(credentialsFor(entries, host)).toEqual(expected);
  });
});

describe("reading the file", () => {
  it("finds $NETRC, else ~/.netrc", () => {
    expect(netrcPathFor({ NETRC: "/etc/goset-netrc", HOME: "/h" })).toBe("/etc/goset-netrc");
    expect(netrcPathFor({ NETRC: "", HOME: "/h" })).toBe("/h/.netrc");
  });

  it("treats a missing file as empty and parses an existing one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "goset-netrc-"));
    try {
      expect(await readNetrc(join(dir, "missing"))).toEqual([]);
      await writeFile(join(dir, "netrc"), "machine m.example login u password pw-file-1\n");
      expect(credentialsFor(await readNetrc(join(dir, "netrc")), "m.example")).toEqual({ user: "u", password: "pw-file-1" });
      await expect(readNetrc(dir)).rejects.toMatchObject({ code: "GOSET_NETRC_INVALID" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

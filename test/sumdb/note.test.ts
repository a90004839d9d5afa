import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  createNoteSigner,
  formatVerifierKey,
  KNOWN_SUMDB_KEYS,
  NoteError,
  openNote,
  parseGoSumdb,
  parseTree,
  parseVerifierKey,
  signNote,
} from "../../generator/sumdb/index.js";

const GO_KEY_FILE = "/usr/local/go/src/cmd/go/internal/modfetch/key.go";

/** A tree note as https://proxy.golang.org/sumdb/sum.golang.org/latest served it. */
const REAL_NOTE =
  "go.sum database tree\n66398721\n5oXTdOltbW8oy+WAHSPYkUE7FskIY/5ZJCYGy+buJ3g=\n\n" +
  "\u2014 sum.golang.org Az3grkwAPWdf0j0QaqFdZ3Hg/pDusO9we04GR+upDAujfj+kau8VzeyO7Xqw0j0qZNnwMvwiV98DluG2iyB8t4v4WQU=\n";

const SUM_GOLANG_ORG = KNOWN_SUMDB_KEYS["sum.golang.org"] as string;

describe("verifier keys", () => {
  it("sum.golang.org's key is the one cmd/go has built in", async () => {
    const source = await readFile(GO_KEY_FILE, "utf8");
    expect(source).toContain(`"sum.golang.org": "${SUM_GOLANG_ORG}"`);
    const v = parseVerifierKey(SUM_GOLANG_ORG);
    expect([v.name, v.keyHash]).toEqual(["sum.golang.org", 0x033de0ae]);
  });

  it("a real signed tree from sum.golang.org opens with it", () => {
    const note = openNote(Buffer.from(REAL_NOTE), parseVerifierKey(SUM_GOLANG_ORG));
    expect(note.signatures.map((s) => s.name)).toEqual(["sum.golang.org"]);
    expect(parseTree(note.text).n).toBe(66398721);
  });

  it("a changed tree size under the real signature does not open", () => {
    const forged = REAL_NOTE.replace("66398721", "66398722");
    expect(() => openNote(Buffer.from(forged), parseVerifierKey(SUM_GOLANG_ORG))).toThrow(/invalid signature/);
  });

  it.each([
    ["no key hash", "sum.golang.org"],
    ["a short key hash", "sum.golang.org+33de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"],
    ["a wrong key hash", "sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"],
    ["another name", "sum.golang.com+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"],
    ["bad base64", "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn"],
    ["an empty name", "+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"],
  ])("rejects a key with %s", (_name, key) => {
    expect(() => parseVerifierKey(key)).toThrow(NoteError);
  });

  it("formats keys that parse back, for generated Ed25519 keys", () => {
    const { publicKey } = generateKeyPairSync("ed25519");
    const vkey = formatVerifierKey("sum.example.test", publicKey);
    expect(vkey).toMatch(/^sum\.example\.test\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    expect(parseVerifierKey(vkey).name).toBe("sum.example.test");
  });
});

describe("signed notes", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signer = createNoteSigner("db.test", privateKey);
  const verifier = parseVerifierKey(formatVerifierKey("db.test", publicKey));
  const other = createNoteSigner("other.test", generateKeyPairSync("ed25519").privateKey);

  it("round-trips text and keeps other keys' signatures as unverified", () => {
    const note = openNote(signNote("hello\nworld\n", other, signer), verifier);
    expect(note.text).toBe("hello\nworld\n");
    expect(note.signatures).toHaveLength(1);
    expect(note.unverified.map((s) => s.name)).toEqual(["other.test"]);
  });

  it("rejects a note signed only by another key", () => {
    expect(() => openNote(signNote("hello\n", other), verifier)).toThrow(
      expect.objectContaining({ kind: "unverified" }),
    );
  });

  it("rejects a signature made with another private key under the right key hash", () => {
    const impostor = { ...signer, privateKey: generateKeyPairSync("ed25519").privateKey };
    expect(() => openNote(signNote("hello\n", impostor), verifier)).toThrow(
      expect.objectContaining({ kind: "invalid-signature" }),
    );
  });

  const good = signNote("hello\n", signer).toString("utf8");
  it.each([
    ["no signature block", "hello\n"],
    ["no final newline", good.slice(0, -1)],
    ["a control character", good.replace("hello", "hel\tlo")],
    ["a signature line without the dash", good.replace("\u2014 ", "- ")],
    ["a signature without base64", good.replace(/ [A-Za-z0-9+/=]+\n$/, "\n")],
    ["a too-short signature", good.replace(/ [A-Za-z0-9+/=]+\n$/, " AAAA\n")],
  ])("rejects a note with %s", (_name, text) => {
    expect(() => openNote(Buffer.from(text), verifier)).toThrow(expect.objectContaining({ kind: "malformed-note" }));
  });

  it("rejects bytes that are not UTF-8", () => {
    const bytes = Buffer.concat([Buffer.from("hel"), Buffer.from([0xc3]), Buffer.from(good.slice(3))]);
    expect(() => openNote(bytes, verifier)).toThrow(NoteError);
  });
});

describe("GOSUMDB", () => {
  it.each([
    ["sum.golang.org", { name: "sum.golang.org", url: undefined }],
    [SUM_GOLANG_ORG, { name: "sum.golang.org", url: undefined }],
    ["sum.golang.google.cn", { name: "sum.golang.org", url: "https://sum.golang.google.cn/" }],
    [`${SUM_GOLANG_ORG}  http://127.0.0.1:8080/db `, { name: "sum.golang.org", url: "http://127.0.0.1:8080/db" }],
  ])("%s", (value, expected) => {
    const config = parseGoSumdb(value);
    if (config.kind !== "db") throw new Error("expected a database");
    expect({ name: config.name, url: config.url?.url }).toEqual(expected);
  });

  it("off is off", () => {
    expect(parseGoSumdb("off")).toEqual({ kind: "off" });
  });

  it("takes credentials out of the URL", () => {
    const config = parseGoSumdb(`sum.golang.org https://user:s3cr3t@mirror.example/db`);
    expect(config.kind === "db" ? config.url : undefined).toEqual({
      url: "https://mirror.example/db",
      auth: { user: "user", password: "s3cr3t" },
    });
  });

  it.each([
    ["", /missing GOSUMDB/],
    ["sum.example.org", /malformed verifier key/],
    ["sum.golang.org a b", /too many fields/],
    ["sum.golang.org ftp://x", /scheme/],
  ])("rejects %j", (value, message) => {
    expect(() => parseGoSumdb(value)).toThrow(expect.objectContaining({ code: "GOSET_ENV_INVALID", message: expect.stringMatching(message) }));
  });

  it("rejects database names that are not host[/path]", () => {
    const { publicKey } = generateKeyPairSync("ed25519");
    for (const name of ["db.test/../x", "db.test?x", "user@db.test"]) {
      expect(() => parseGoSumdb(formatVerifierKey(name, publicKey)), name).toThrow(/invalid database name/);
    }
    expect(parseGoSumdb(formatVerifierKey("db.test:8443/sumdb", publicKey)).kind).toBe("db");
  });
});

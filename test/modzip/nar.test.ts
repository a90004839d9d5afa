import { execFile } from "node:child_process";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NarTreeWriter, narHashOfDirectory, narString } from "../../generator/modzip/index.js";
import { makeTempDir, nixHashPath, removeTree } from "./helpers.js";

const execFileP = promisify(execFile);

async function nixStoreDump(path: string): Promise<Buffer> {
  const { stdout } = await execFileP("/usr/bin/nix-store", ["--dump", path], { encoding: "buffer", maxBuffer: 64 << 20 });
  return stdout;
}

function collect(build: (w: NarTreeWriter) => void): Buffer {
  const chunks: Uint8Array[] = [];
  const w = new NarTreeWriter((c) => chunks.push(Buffer.from(c)));
  build(w);
  w.end();
  return Buffer.concat(chunks);
}

describe("narString", () => {
  it.each([
    ["", "0000000000000000"],
    ["abc", "0300000000000000" + "6162630000000000"],
    ["12345678", "0800000000000000" + "3132333435363738"],
  ])("str(%j)", (s, hex) => {
    expect(Buffer.from(narString(s)).toString("hex")).toBe(hex);
  });
});

describe("NAR of a directory tree, byte for byte against nix-store --dump", () => {
  let tmp: string;
  let root: string;
  const fileA = "x".repeat(13);
  const deep = "deep\n".repeat(1000);

  beforeAll(async () => {
    tmp = await makeTempDir("nar");
    root = join(tmp, "tree");
    await mkdir(join(root, "a", "sub"), { recursive: true });
    await mkdir(join(root, "empty"));
    await writeFile(join(root, "a-b"), fileA);
    await writeFile(join(root, "a.b"), "");
    await writeFile(join(root, "a", "c"), "eight by");
    await writeFile(join(root, "a", "sub", "deep.txt"), deep);
    await writeFile(join(root, "run.sh"), "#!/bin/sh\n");
    await chmod(join(root, "run.sh"), 0o755);
    await writeFile(join(root, "\uFF5A"), "z");
    await writeFile(join(root, "\u{10400}"), "deseret");
    await symlink("a/c", join(root, "link"));
    await symlink("../outside/nowhere", join(root, "a", "dangling"));
  });

  afterAll(async () => {
    if (tmp !== undefined) await removeTree(tmp);
  });

  it("the streaming writer produces the bytes nix does, entries in UTF-8 byte order", async () => {
    const ours = collect((w) => {
      // Byte order of names: "a" < "a-b" < "a.b" < "empty" < "link" < "run.sh" < U+FF5A < U+10400.
      w.directory(["a"]);
      w.beginFile(["a", "c"], 8);
      w.writeContents(Buffer.from("eight by"));
      w.endFile();
      w.symlink(["a", "dangling"], "../outside/nowhere");
      w.beginFile(["a", "sub", "deep.txt"], deep.length);
      w.writeContents(Buffer.from(deep.slice(0, 100)));
      w.writeContents(Buffer.from(deep.slice(100)));
      w.endFile();
      w.beginFile(["a-b"], fileA.length);
      w.writeContents(Buffer.from(fileA));
      w.endFile();
      w.beginFile(["a.b"], 0);
      w.endFile();
      w.directory(["empty"]);
      w.symlink(["link"], "a/c");
      w.beginFile(["run.sh"], 10, true);
      w.writeContents(Buffer.from("#!/bin/sh\n"));
      w.endFile();
      w.beginFile(["\uFF5A"], 1);
      w.writeContents(Buffer.from("z"));
      w.endFile();
      w.beginFile(["\u{10400}"], 7);
      w.writeContents(Buffer.from("deseret"));
      w.endFile();
    });
    expect(ours.equals(await nixStoreDump(root))).toBe(true);
  });

  it("narHashOfDirectory equals nix hash path", async () => {
    const nix = await nixHashPath(root);
    expect(nix).toMatch(/^sha256-/);
    expect(await narHashOfDirectory(root)).toBe(nix);
  });

  it("an executable bit changes the hash", async () => {
    const before = await narHashOfDirectory(root);
    await chmod(join(root, "run.sh"), 0o644);
    try {
      const after = await narHashOfDirectory(root);
      expect(after).not.toBe(before);
      expect(after).toBe(await nixHashPath(root));
    } finally {
      await chmod(join(root, "run.sh"), 0o755);
    }
  });

  it("narHashOfDirectory refuses a file", async () => {
    await expect(narHashOfDirectory(join(root, "a-b"))).rejects.toMatchObject({ code: "GOSET_LOCAL_PATH" });
  });
});

describe("NarTreeWriter guards its order", () => {
  const file = (w: NarTreeWriter, path: string[]): void => {
    w.beginFile(path, 0);
    w.endFile();
  };

  it.each([
    ["out of order", (w: NarTreeWriter) => { file(w, ["b"]); file(w, ["a"]); }],
    ["duplicate", (w: NarTreeWriter) => { file(w, ["a"]); file(w, ["a"]); }],
    ["UTF-16 order instead of byte order", (w: NarTreeWriter) => { file(w, ["\u{10400}"]); file(w, ["\uFF5A"]); }],
    ["inside a file", (w: NarTreeWriter) => { file(w, ["a"]); file(w, ["a", "b"]); }],
    ["directory after its children", (w: NarTreeWriter) => { file(w, ["a", "b"]); w.directory(["a"]); }],
    ["short file", (w: NarTreeWriter) => { w.beginFile(["a"], 3); w.writeContents(Buffer.from("ab")); w.endFile(); }],
    ["long file", (w: NarTreeWriter) => { w.beginFile(["a"], 1); w.writeContents(Buffer.from("ab")); }],
    ["bad element", (w: NarTreeWriter) => { file(w, ["a", ".."]); }],
  ])("%s throws GOSET_INTERNAL", (_, build) => {
    expect(() => collect(build)).toThrow(expect.objectContaining({ code: "GOSET_INTERNAL" }));
  });

  it("implicit parents equal explicit ones", () => {
    const implicit = collect((w) => file(w, ["a", "b", "c"]));
    const explicit = collect((w) => {
      w.directory(["a"]);
      w.directory(["a", "b"]);
      file(w, ["a", "b", "c"]);
    });
    expect(implicit.equals(explicit)).toBe(true);
  });
});

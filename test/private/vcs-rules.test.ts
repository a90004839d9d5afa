/**
 * The pure rules of direct fetches, table-driven: how cmd/go maps module
 * paths to repositories and reads go-import tags, which tags are versions of
 * a module, and which files x/mod/zip puts into a module zip.
 */
import { describe, expect, it } from "vitest";
import { isMajor, moduleLayout, modulePathOfGoMod, pseudoVersionRev, pseudoVersionTime, revisionFor, versionsFromTags } from "../../generator/vcs/coderepo.js";
import { locateRevision, parseLsRemote } from "../../generator/vcs/gitrepo.js";
import { cleanPath, isVendoredPackage, selectModuleFiles, type CandidateFile } from "../../generator/vcs/modfiles.js";
import { gitSchemes, goGetUrl, matchGoImport, matchStaticRepoRoot, parseGoImports, repoRootFromMeta } from "../../generator/vcs/reporoot.js";
import { subcommandOf, summarizeStderr, GitFailure } from "../../generator/vcs/git.js";

describe("module path -> repository without the network", () => {
  it.each([
    ["github.com/user/repo", { kind: "url", vcs: "git", root: "github.com/user/repo", repoUrl: "https://github.com/user/repo" }],
    ["github.com/user/repo/sub/v2", { kind: "url", vcs: "git", root: "github.com/user/repo", repoUrl: "https://github.com/user/repo" }],
    ["bitbucket.org/team/lib", { kind: "url", vcs: "git", root: "bitbucket.org/team/lib", repoUrl: "https://bitbucket.org/team/lib" }],
    ["git.corp.example/team/repo.git/sub/v2", { kind: "schemeless", vcs: "git", root: "git.corp.example/team/repo.git", repo: "git.corp.example/team/repo" }],
    ["git.corp.example:8443/repo.git", { kind: "schemeless", vcs: "git", root: "git.corp.example:8443/repo.git", repo: "git.corp.example:8443/repo" }],
    ["hg.corp.example/x.hg/y", { kind: "schemeless", vcs: "hg", root: "hg.corp.example/x.hg", repo: "hg.corp.example/x" }],
    ["git.corp.example/team/repo", undefined],
    ["golang.org/x/mod", undefined],
  ])("%s", (path, expected) => {
    expect(matchStaticRepoRoot(path)).toEqual(expected);
  });

  it.each([
    ["github.com/user", /invalid github\.com import path/],
    ["github.com/user/repo.git", /invalid version control suffix in github\.com\/ path/],
  ])("rejects %s", (path, message) => {
    expect(() => matchStaticRepoRoot(path)).toThrow(message);
  });

  it("pings plain git:// and http:// only for GOINSECURE paths, in cmd/go's order", () => {
    expect(gitSchemes(false)).toEqual(["https", "git+ssh", "ssh"]);
    expect(gitSchemes(true)).toEqual(["git", "https", "http", "git+ssh", "ssh"]);
  });

  it.each([
    ["example.com", "https", "https://example.com/?go-get=1"],
    ["example.com/a/b", "http", "http://example.com/a/b?go-get=1"],
  ] as const)("the go-get URL of %s over %s", (path, scheme, url) => {
    expect(goGetUrl(path, scheme).href).toBe(url);
  });

  it("needs a host name with a dot", () => {
    expect(() => goGetUrl("localhost/x", "https")).toThrow("import path does not begin with hostname");
  });
});

describe("go-import meta tags", () => {
  const page = `<!DOCTYPE html>
<html><head>
<!-- <meta name="go-import" content="commented.example/x git https://no"> -->
<META NAME='go-import' CONTENT='example.com/a git https://git.example.com/a.git'>
<meta content="example.com/b git https://git.example.com/b?x=1&amp;y=2 sub/dir" name="go-import"/>
<meta name="go-source" content="example.com/a _ _ _">
<meta name="go-import" content="example.com/c git">
<meta name="go-import" content="example.com/d git https://git.example.com/d">
<meta name="go-import" content="example.com/d mod https://proxy.example.com">
</head>
<body><meta name="go-import" content="example.com/late git https://late"></body></html>`;

  it("reads tags up to </head>: mod entries first, hiding other entries of their prefix", () => {
    expect(parseGoImports(page)).toEqual([
      { prefix: "example.com/d", vcs: "mod", repoRoot: "https://proxy.example.com", subdir: "" },
      { prefix: "example.com/a", vcs: "git", repoRoot: "https://git.example.com/a.git", subdir: "" },
      { prefix: "example.com/b", vcs: "git", repoRoot: "https://git.example.com/b?x=1&y=2", subdir: "sub/dir" },
    ]);
  });

  it("stops at <body> when there is no </head>", () => {
    const text = '<html><meta name="go-import" content="a.example/x git https://a"><body><meta name="go-import" content="b.example/x git https://b">';
    expect(parseGoImports(text).map((m) => m.prefix)).toEqual(["a.example/x"]);
  });

  it.each([
    ["example.com/a/pkg", "example.com/a"],
    ["example.com/b", "example.com/b"],
    ["example.com/d/v2", "example.com/d"],
  ])("%s matches the tag for %s", (path, prefix) => {
    expect(matchGoImport(parseGoImports(page), path).prefix).toBe(prefix);
  });

  it("reports a mismatch and an ambiguity", () => {
    expect(() => matchGoImport(parseGoImports(page), "example.com/zzz")).toThrow("meta tag example.com/d did not match import path example.com/zzz");
    const twice = parseGoImports('<meta name="go-import" content="x.example/a git https://1"><meta name="go-import" content="x.example/a git https://2">');
    expect(() => matchGoImport(twice, "x.example/a")).toThrow('multiple meta tags match import path "x.example/a"');
  });

  it.each([
    [{ prefix: "x.example/a", vcs: "git", repoRoot: "file:///srv/a", subdir: "" }, "file scheme disallowed"],
    [{ prefix: "x.example/a", vcs: "git", repoRoot: "git.example/a", subdir: "" }, "no scheme"],
    [{ prefix: "x.example/a", vcs: "git", repoRoot: "https://a", subdir: "/abs" }, "invalid subdirectory"],
    [{ prefix: "x.example/a", vcs: "hg", repoRoot: "https://a", subdir: "" }, "only git repositories"],
  ])("refuses %j", (mi, message) => {
    expect(() => repoRootFromMeta(mi, "https://x.example/a?go-get=1")).toThrow(message);
  });
});

describe("a module inside a repository", () => {
  it.each([
    ["git.x/repo", "", "git.x/repo", { codeDir: "", pathMajor: "", pathPrefix: "git.x/repo" }],
    ["git.x/repo", "", "git.x/repo/sub/v2", { codeDir: "sub", pathMajor: "/v2", pathPrefix: "git.x/repo/sub" }],
    ["git.x/repo", "go", "git.x/repo/v3", { codeDir: "go", pathMajor: "/v3", pathPrefix: "git.x/repo" }],
    ["nanomsg.org/go/mangos/v2", "", "nanomsg.org/go/mangos/v2", { codeDir: "", pathMajor: "/v2", pathPrefix: "nanomsg.org/go/mangos/v2" }],
  ])("root %s (subdir %j) holds %s", (root, subdir, path, expected) => {
    expect(moduleLayout(root, subdir, path)).toMatchObject(expected);
  });

  it("refuses a module outside the repository", () => {
    expect(() => moduleLayout("git.x/repo", "", "git.x/other")).toThrow("mismatched repo: found git.x/repo for git.x/other");
  });

  const tags = ["v1.0.0", "v1.1.0-rc.1", "v2.0.0", "v3.1.0", "v1.2", "v1.3.0+meta", "sub/v1.0.0", "sub/v2.0.0", "v0.0.0-20240101000000-abcdefabcdef", "latest"];
  it.each([
    ["git.x/repo", { list: ["v1.0.0", "v1.1.0-rc.1"], incompatible: ["v2.0.0", "v3.1.0"] }],
    ["git.x/repo/v2", { list: ["v2.0.0"], incompatible: [] }],
    ["git.x/repo/sub", { list: ["v1.0.0"], incompatible: [] }],
    ["git.x/repo/sub/v2", { list: ["v2.0.0"], incompatible: [] }],
  ])("the versions of %s among the tags", (path, expected) => {
    expect(versionsFromTags(tags, moduleLayout("git.x/repo", "", path))).toEqual(expected);
  });

  it.each([
    ["v1.2.3", "", "v1.2.3"],
    ["v1.2.3", "sub", "sub/v1.2.3"],
    ["v2.0.0+incompatible", "", "v2.0.0"],
    ["v0.0.0-20240303040506-ebea119ac69e", "sub", "ebea119ac69e"],
    ["v1.2.4-0.20240303040506-ebea119ac69e+incompatible", "", "ebea119ac69e"],
  ])("version %s in %j is revision %s", (version, codeDir, rev) => {
    expect(revisionFor(version, codeDir)).toBe(rev);
  });

  it("reads a pseudo-version's time", () => {
    expect(pseudoVersionTime("v1.2.4-pre.0.20240303040506-ebea119ac69e")).toBe("20240303040506");
    expect(pseudoVersionRev("v1.2.4-pre.0.20240303040506-ebea119ac69e")).toBe("ebea119ac69e");
  });

  it.each([
    ["module x.example/a\n", "x.example/a"],
    ['// header\nmodule "x.example/q" // comment\n', "x.example/q"],
    ["module `x.example/raw`\n", "x.example/raw"],
    ["modulex x.example/a\n", ""],
    ["go 1.22\n", ""],
  ])("the module path of %j is %j", (text, path) => {
    expect(modulePathOfGoMod(text)).toBe(path);
  });

  it.each([
    ["x.example/a", "", true],
    ["x.example/a/v2", "", false],
    ["x.example/a/v2", "/v2", true],
    ["x.example/a", "/v2", false],
    ["gopkg.in/yaml.v3", ".v3", true],
    ["", "", false],
  ])("isMajor(%j, %j)", (mpath, pathMajor, want) => {
    expect(isMajor(mpath, pathMajor)).toBe(want);
  });
});

describe("git refs", () => {
  const lsRemote = [
    "1111111111111111111111111111111111111111\tHEAD",
    "1111111111111111111111111111111111111111\trefs/heads/main",
    "2222222222222222222222222222222222222222\trefs/tags/v1.0.0",
    "3333333333333333333333333333333333333333\trefs/tags/v1.0.0^{}",
    "4444444444444444444444444444444444444444\trefs/pull/1/head",
    "",
  ].join("\n");

  it("keeps HEAD, branches and tags, annotated tags peeled to their commit", () => {
    expect(Object.fromEntries(parseLsRemote(lsRemote))).toEqual({
      HEAD: "1111111111111111111111111111111111111111",
      "refs/heads/main": "1111111111111111111111111111111111111111",
      "refs/tags/v1.0.0": "3333333333333333333333333333333333333333",
    });
  });

  it.each([
    ["v1.0.0", { ref: "refs/tags/v1.0.0", hash: "3333333333333333333333333333333333333333", rev: "v1.0.0" }],
    ["main", { ref: "refs/heads/main", hash: "1111111111111111111111111111111111111111", rev: "1111111111111111111111111111111111111111" }],
    ["111111111111", { ref: "HEAD", hash: "1111111111111111111111111111111111111111", rev: "1111111111111111111111111111111111111111" }],
    ["abcdefabcdef", { rev: "abcdefabcdef" }],
  ])("locates %s", (rev, expected) => {
    expect(locateRevision(parseLsRemote(lsRemote), rev)).toEqual(expected);
  });

  it("refuses what cannot name a commit", () => {
    expect(() => locateRevision(parseLsRemote(lsRemote), "nope")).toThrow("unknown revision nope");
    expect(() => locateRevision(parseLsRemote(lsRemote), "abc")).toThrow("unknown revision abc");
  });

  it("names failures by subcommand and classifies refused credentials", () => {
    expect(subcommandOf(["-c", "credential.helper=!f", "-c", "protocol.version=2", "fetch", "-f"])).toBe("fetch");
    expect(summarizeStderr("remote: Counting objects: 3\nfatal: Authentication failed for 'https://x/'\n")).toBe("fatal: Authentication failed for 'https://x/'");
    expect(new GitFailure("git ls-remote", 128, "fatal: could not read Username for 'https://x': terminal prompts disabled").isAuth).toBe(true);
    expect(new GitFailure("git ls-remote", 128, "fatal: repository 'https://x/' not found").isAuth).toBe(false);
  });
});

describe("which files a module zip holds (x/mod/zip rules)", () => {
  const file = (path: string, kind: CandidateFile["kind"] = "file", size = 1): CandidateFile => ({ path, kind, size });
  const files = [
    file("go.mod"),
    file("a.go"),
    file("vendor/modules.txt"),
    file("vendor/example.com/v/v.go"),
    file("pkg/vendor/vendor.go"),
    file("nested/go.mod"),
    file("nested/n.go"),
    file("deep/er/GO.MOD"),
    file("deep/er/x.go"),
    file("link.go", "symlink"),
    file("fifo", "other"),
    file(".hg_archival.txt"),
    file(".gitattributes"),
  ];

  it.each([
    ["1.22", ["go.mod", "a.go", "vendor/modules.txt", ".gitattributes"]],
    ["1.24.1", ["go.mod", "a.go", "pkg/vendor/vendor.go", ".gitattributes"]],
  ])("with go %s", (goLine, valid) => {
    const chosen = selectModuleFiles(files, goLine);
    expect(chosen.valid.map((f) => f.path)).toEqual(valid);
    expect(chosen.invalid).toEqual([]);
    expect(Object.fromEntries(chosen.omitted.map((p) => [p.path, p.reason]))).toMatchObject({
      "nested/n.go": "file is in another module",
      "deep/er/x.go": "file is in another module",
      "link.go": "file is a symbolic link",
      fifo: "not a regular file",
      ".hg_archival.txt": "file is inserted by 'hg archive' and is always omitted",
      "vendor/example.com/v/v.go": "file is in vendor directory",
    });
  });

  it("finds every invalid file", () => {
    const chosen = selectModuleFiles([file("a/../b.go"), file("GO.MOD"), file("x/A.go"), file("x/a.go"), file("bad:name.go"), file("big", "file", 600 << 20)], "1.22");
    expect(chosen.valid.map((f) => f.path)).toEqual(["x/A.go"]);
    expect(chosen.invalid.map((p) => [p.path, p.reason])).toEqual([
      ["a/../b.go", "file path is not clean"],
      ["GO.MOD", "go.mod files must have lowercase names"],
      ["x/a.go", 'case-insensitive file name collision: "x/A.go" and "x/a.go"'],
      ["bad:name.go", 'malformed file path "bad:name.go": invalid char ":"'],
      ["big", "module source tree too large (max size is 524288000 bytes)"],
    ]);
  });

  it.each([
    ["vendor/modules.txt", "1.23", false],
    ["vendor/modules.txt", "1.24rc1", true],
    ["vendor/a.go", undefined, false],
    ["vendor/x/a.go", undefined, true],
    ["a/vendor/x/b.go", "1.24", true],
  ])("isVendoredPackage(%j, go %s) is %s", (name, goLine, want) => {
    expect(isVendoredPackage(name, goLine)).toBe(want);
  });

  it.each([
    ["a/./b", "a/b"],
    ["a//b/", "a/b"],
    ["../a", "../a"],
    ["/../a", "/a"],
    ["", "."],
  ])("cleanPath(%j) is %j", (p, want) => {
    expect(cleanPath(p)).toBe(want);
  });
});
